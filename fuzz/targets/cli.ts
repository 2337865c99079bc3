/**
 * The command line: spawned invocations (fuzz/cli-child.ts) with hostile argv — unknown and
 * repeated flags, huge values, /dev/zero, a FIFO, symbolic links, a directory, /proc and /sys as
 * inputs and outputs, mutated specs and ledgers. A crash is an exit code outside 0–3, a signal, or
 * a stack trace / "internal error" on stderr; a wrong accept is an output target (a link, a FIFO,
 * a directory) that was replaced. Hang = main() itself over the bound (start-up excluded).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mutateText } from '../mutate.js';
import type { FuzzRng } from '../rng.js';
import { hostileCount } from '../rng.js';
import type { FuzzTarget, Outcome } from '../target.js';
import { specCorpus, type SpecCorpus } from './parser.js';
import { sealedRunLedger, TAMPER_CLASSES } from './ledger.js';

export interface CliCtx {
  dir: string;
  root: string;
  specs: SpecCorpus;
  ledger: string;
  n: number;
}

export interface CliInput {
  argv: string[];
  files: { path: string; data: string | Uint8Array }[];
}

const COMMANDS = ['derive', 'check', 'why', 'diagram', 'ledger', 'run', 'frobnicate', ''];
const FLAGS = [
  '--json', '--goal', '--format', '--limits', '--out', '--render', '--trace', '--phase', '--save-ledger', '--trace-out', '--seed', '--suite',
  '--force', '--allow-unsealed', '--require-seal', '--anchor', '--center-key', '--key-agreement', '--no-key-agreement', '--no-why', '--bogus', '--', '-h',
  '--limits=depth=500', '--json=1', '--out=',
];

function sentinels(dir: string): void {
  writeFileSync(join(dir, 'real'), 'orig\n');
  symlinkSync('real', join(dir, 'link'));
  symlinkSync('/dev/null', join(dir, 'devlink'));
  mkdirSync(join(dir, 'adir'), { recursive: true });
  spawnSync('mkfifo', [join(dir, 'fifo')]);
}

/** The sentinels are intact: nothing replaced a link, a FIFO or a directory. */
function sentinelDamage(dir: string): string | undefined {
  try {
    if (!lstatSync(join(dir, 'link')).isSymbolicLink() || readlinkSync(join(dir, 'link')) !== 'real') return 'link replaced';
    if (!lstatSync(join(dir, 'devlink')).isSymbolicLink()) return 'link to /dev/null replaced';
    if (!lstatSync(join(dir, 'adir')).isDirectory()) return 'directory replaced';
    if (existsSync(join(dir, 'fifo')) && !lstatSync(join(dir, 'fifo')).isFIFO()) return 'FIFO replaced';
  } catch (e) {
    return `sentinel missing: ${(e as Error).message}`;
  }
  return undefined;
}

export const cliTarget: FuzzTarget<CliCtx, CliInput> = {
  name: 'cli',
  summary: 'spawned bantam invocations with hostile argv (devices, FIFOs, links, /proc, huge values, mutated specs and ledgers)',
  prepare() {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-fuzz-cli-'));
    sentinels(dir);
    return { dir, root: resolve('.'), specs: specCorpus(), ledger: sealedRunLedger(), n: 0 };
  },
  input(r: FuzzRng, c: CliCtx): CliInput {
    const files: CliInput['files'] = [];
    const specNames = [...c.specs.files.keys()];
    const base = r.pick(specNames);
    const specPath = join(c.dir, `in-${r.int(1e9)}.ban`);
    files.push({ path: specPath, data: r.chance(0.3) ? c.specs.files.get(base)! : mutateText(r, c.specs.files.get(base)!) });
    const ledgerPath = join(c.dir, `in-${r.int(1e9)}.jsonl`);
    const klass = r.pick(Object.keys(TAMPER_CLASSES));
    files.push({ path: ledgerPath, data: r.chance(0.3) ? c.ledger : TAMPER_CLASSES[klass]!(r, c.ledger) });
    const paths = [
      specPath, specPath, ledgerPath, '/dev/zero', join(c.dir, 'fifo'), join(c.dir, 'link'), join(c.dir, 'devlink'), join(c.dir, 'adir'),
      join(c.dir, 'out', 'x'), '/proc/self/status', '/proc', '/proc/self', '/sys/kernel', join(c.dir, 'nope.ban'), join(c.root, 'spec', 'emr-corrected.ban'),
    ];
    const values = [
      ...paths, '', '-', 'x'.repeat(hostileCount(r, 100_000)), '999999999999999999999', '-1', '0', 'p256', 'ristretto255', 'none',
      'bytes=1', 'depth=500,line=1', 'depth=0', 'depth=99999999', 'G1', 'P |= ' + '#('.repeat(hostileCount(r, 5000)), 'HA |= P |~ X', '7:' + 'ab'.repeat(32), 'é\u202e',
    ];
    const cmd = r.pick(COMMANDS);
    const argv: string[] = cmd === '' ? [] : [cmd];
    if (cmd === 'ledger') argv.push(r.pick(['verify', 'show', 'verify', 'bogus']));
    const n = r.int(7);
    for (let i = 0; i < n; i++) {
      if (r.chance(0.45)) argv.push(r.pick(paths));
      else {
        argv.push(r.pick(FLAGS));
        if (r.chance(0.7)) argv.push(r.pick(values));
      }
    }
    // Never launch a browser: rendering is slow by nature and out of scope here.
    if (cmd === 'diagram' || argv.includes('--diagram')) argv.push('--render', 'none');
    return { argv: argv.map((a) => a.replace(/\0/g, '')), files };
  },
  run(input, c): Outcome {
    for (const f of input.files) writeFileSync(f.path, f.data);
    const timing = join(c.dir, `timing-${c.n++}.json`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(c.root, 'fuzz', 'cli-child.ts'), ...input.argv], {
      cwd: c.root,
      env: { ...process.env, BANTAM_FUZZ_TIMING: timing, BANTAM_DEBUG: '' },
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'buffer',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const f of input.files) rmSync(f.path, { force: true });
    rmSync(join(c.dir, 'out'), { recursive: true, force: true });
    const stderr = r.stderr?.toString('utf8') ?? '';
    const klass = COMMANDS.includes(input.argv[0] ?? '') ? input.argv[0]! : '(no command)';
    let t: { code: number; ms: number; maxRssKiB: number } | undefined;
    try {
      t = JSON.parse(readFileSync(timing, 'utf8'));
      rmSync(timing, { force: true });
    } catch {
      t = undefined;
    }
    const extra = t ? { ms: t.ms, childMaxRssKiB: t.maxRssKiB } : {};
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { kind: 'crash', klass, detail: 'killed after 60 s', ms: 60_000 };
    if (r.signal) return { kind: 'crash', klass, detail: `signal ${r.signal}`, ...extra };
    if (r.status === null || r.status > 3) return { kind: 'crash', klass, detail: `exit ${r.status}: ${stderr.slice(0, 300)}`, ...extra };
    // bantam's own report of a bug is `bantam CMD: internal error: …` (the help's exit-code legend names '70 internal error' too)
    if (/^bantam [^\n]*: internal error: |\n\s+at .+:\d+:\d+\)?\n/m.test(stderr)) return { kind: 'crash', klass, detail: `stack trace: ${stderr.slice(0, 300)}`, ...extra };
    const damage = sentinelDamage(c.dir);
    if (damage) {
      // Put the sentinels back so later inputs are judged on their own.
      rmSync(c.dir, { recursive: true, force: true });
      mkdirSync(c.dir, { recursive: true });
      sentinels(c.dir);
      return { kind: 'wrong-accept', klass, detail: damage, ...extra };
    }
    const outBytes = (r.stdout?.length ?? 0) + (r.stderr?.length ?? 0);
    if (r.status === 2 && outBytes > 1_000_000) return { kind: 'bad-error', klass, detail: `${outBytes} bytes of error output`, ...extra };
    return { kind: r.status === 0 ? 'accepted' : 'rejected', klass, ...extra };
  },
  show: (i) => JSON.stringify(i.argv.map((a) => (a.length > 80 ? `${a.slice(0, 40)}…(${a.length} chars)` : a))),
  cleanup: (c) => rmSync(c.dir, { recursive: true, force: true }),
};
