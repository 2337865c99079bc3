/**
 * Reading an input file with a size bound. The file is opened without blocking (a FIFO with no
 * writer does not hang the open), must be a regular file (a device such as /dev/zero, a FIFO, a
 * socket or a directory is refused before any read), and at most `maxBytes` bytes are read:
 * a larger file — or one that grows while being read, or a /proc file reporting size 0 — is
 * refused after reading maxBytes + 1 bytes. Nothing here throws for bad input: the caller gets
 * a reason it turns into its own error (a spec diagnostic, a ledger UserError).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../spec/diagnostics.js';

export type BoundedRead = { bytes: Uint8Array } | { error: string; code: 'not-found' | 'not-regular' | 'too-large' | 'unreadable' };

function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EISDIR'
      ? 'is a directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENXIO'
          ? 'not a regular file'
          : String((e as Error).message);
}

/** What kind of file a stat describes, for "is a character device" style messages. */
export function fileKind(st: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function readBounded(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: describeErrno(e), code: code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'not-regular' : 'unreadable' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: `${fileKind(st)}, not a regular file`, code: 'not-regular' };
    if (st.size > maxBytes) return { error: `${st.size} bytes, larger than the limit of ${maxBytes}`, code: 'too-large' };
    // Read up to maxBytes + 1: the size in the stat may be stale or 0 (/proc), the read is the truth.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 65_536)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (total > maxBytes) return { error: `larger than the limit of ${maxBytes} bytes`, code: 'too-large' };
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(buf.length, maxBytes + 1 - total), null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return { error: 'not ready for reading (a FIFO or device?)', code: 'not-regular' };
        return { error: describeErrno(e), code: 'unreadable' };
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    const out = Buffer.concat(chunks, total);
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } finally {
    closeSync(fd);
  }
}

/** readBounded, decoded as UTF-8 (invalid sequences become U+FFFD, as readFileSync(…, 'utf8') does). */
export function readBoundedText(path: string, maxBytes: number): { text: string } | { error: string; code: string } {
  const r = readBounded(path, maxBytes);
  return 'error' in r ? r : { text: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength).toString('utf8') };
}

/** Default bound for other input files (run traces, matrices): 64 MiB. */
export const MAX_INPUT_BYTES = 64 * 1_048_576;

/**
 * readBoundedText for a CLI input, as a UserError (exit 2) on failure:
 * `cannot read trace 'x.json': a character device, not a regular file`.
 */
export function readInputText(path: string, what: string, maxBytes = MAX_INPUT_BYTES): string {
  const r = readBoundedText(path, maxBytes);
  if ('error' in r) throw new UserError(`cannot read ${what} '${path}': ${r.error}`);
  return r.text;
}
