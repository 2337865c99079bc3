/**
 * Writing an output file without ever destroying something that is not one (docs/architecture.md,
 * "Conventions"; docs/fuzzing.md). Every file the CLI writes goes through safeWriteFile:
 *
 * - the target must be absent or a regular file; a symbolic link is refused unless `force`
 *   (then the link is kept and the regular file it points to is replaced); a device, FIFO,
 *   socket or directory is refused always (it is never replaced, even with `force`);
 * - the folder must be a real directory on an ordinary filesystem: /proc, /sys and other kernel
 *   pseudo-filesystems are refused before anything is opened there (writing into them can block);
 * - the data goes to a new temporary file in the same folder (created exclusively, never through an
 *   existing name), is flushed, and is renamed over the target; on any failure the temporary file
 *   is removed, so the target is either the old file or the complete new one, never half-written.
 *
 * Errors are UserErrors (exit 2) naming the path and the reason: `cannot write file 'X': it is a
 * character device; only a regular file is ever replaced`.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../spec/diagnostics.js';
import { fileKind } from './read-bounded.js';

export interface SafeWriteOptions {
  /** Write through a symbolic link to the regular file it names (the link itself is kept). */
  force?: boolean;
}

/** statfs magic numbers of kernel pseudo-filesystems (linux/magic.h): output never goes there. */
const PSEUDO_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x42494e4d, 'binfmt_misc'],
  [0x6e736673, 'nsfs'],
  [0x50495045, 'pipefs'],
]);

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

const refuse = (what: string, path: string, why: string): never => {
  throw new UserError(`cannot write ${what} '${path}': ${why}`);
};

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.code === 'ENOTDIR' ? 'a parent is not a directory' : err.code === 'ENOSPC' ? 'no space left on device' : err.message;
}

/** The folder must be a directory (not a link to one is fine) on an ordinary filesystem. */
export function checkOutputDir(dir: string, what = 'into folder'): void {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    return refuse(what, dir, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : errnoText(e));
  }
  if (!st.isDirectory()) refuse(what, dir, `${fileKind(st)}, not a directory`);
  let type: number | undefined;
  try {
    type = Number(statfsSync(dir).type);
  } catch {
    type = undefined; // statfs unsupported here: the per-file checks still apply
  }
  const fs = type === undefined ? undefined : PSEUDO_FS.get(type);
  if (fs) refuse(what, dir, `it is on the kernel's ${fs} filesystem, not ordinary storage`);
}

/**
 * Creates `dir` (and parents) if needed and checks it as an output folder. An existing path that
 * is not a directory is refused; so is a folder on /proc or /sys.
 */
export function ensureOutputDir(dir: string): void {
  // Check the nearest existing ancestor first: mkdir inside /proc must not even be attempted.
  let probe = resolve(dir);
  while (lstatOrUndefined(probe) === undefined && dirname(probe) !== probe) probe = dirname(probe);
  checkOutputDir(probe, 'output directory');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    refuse('output directory', dir, errnoText(e));
  }
  checkOutputDir(dir, 'output directory');
}

/** Writes `data` to `path` atomically, refusing anything that is not a regular file (see above). */
export function safeWriteFile(path: string, data: string | Uint8Array, opts: SafeWriteOptions = {}): void {
  let target = resolve(path);
  let st: Stats | undefined;
  try {
    st = lstatOrUndefined(target);
  } catch (e) {
    return refuse('file', path, errnoText(e));
  }
  if (st?.isSymbolicLink()) {
    if (!opts.force) refuse('file', path, 'it is a symbolic link (pass --force to write to the file it points to)');
    try {
      target = realpathSync(target);
    } catch {
      return refuse('file', path, 'it is a dangling symbolic link');
    }
    st = lstatOrUndefined(target);
  }
  if (st && !st.isFile()) refuse('file', path, `it is ${fileKind(st)}; only a regular file is ever replaced`);
  const dir = dirname(target);
  checkOutputDir(dir);

  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL: the temporary name is created fresh, never opened through something planted there.
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, st ? st.mode & 0o7777 : 0o666);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or already renamed */
    }
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot write file '${path}': ${errnoText(e)}`);
  }
}
