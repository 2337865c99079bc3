/**
 * Start-up of the CLI: the compiled package (`node dist/cli/bin.js`, what `npx bantam` runs after
 * an install) against the TypeScript launcher the package used before the build (`node
 * bin/bantam.js`: a second node that compiles src/ with tsx on every start). Unit: the tsx launcher
 * running the same command, measured in the same run. Whole-process wall-clock time, spawned
 * alternately (compiled, tsx, tsx, compiled, …) so both see the same machine; the report gives
 * the fastest-sample ratio and the median of the per-pair ratios. Target (issue 15): ≥ 4× faster,
 * i.e. a ratio ≤ 0.25.
 *
 *   npm run bench startup            (builds dist/ first when it is missing)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow, Harness } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED = join(root, 'dist', 'cli', 'bin.js');
const TSX_LAUNCHER = join(root, 'bin', 'bantam.js');

const COMMANDS: { op: string; args: string[]; exit: number }[] = [
  { op: 'bantam --version', args: ['--version'], exit: 0 },
  { op: 'bantam derive spec/emr-corrected.ban', args: ['derive', 'spec/emr-corrected.ban'], exit: 0 },
];

function timeOnce(entry: string, args: string[], exit: number): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ns = Number(process.hrtime.bigint() - t0);
  if (r.status !== exit) throw new Error(`${entry} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 400)}`);
  return ns;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export default async function startup(h: Harness): Promise<BenchReport> {
  if (!existsSync(COMPILED)) {
    const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const pairs = h.options.minSamples >= 10 ? 10 : 5;
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  for (const c of COMMANDS) {
    // one warm-up of each (file-system cache), not counted
    timeOnce(COMPILED, c.args, c.exit);
    timeOnce(TSX_LAUNCHER, c.args, c.exit);
    const compiled: number[] = [];
    const tsx: number[] = [];
    for (let i = 0; i < pairs; i++) {
      // alternate the order within a pair
      if (i % 2 === 0) {
        compiled.push(timeOnce(COMPILED, c.args, c.exit));
        tsx.push(timeOnce(TSX_LAUNCHER, c.args, c.exit));
      } else {
        tsx.push(timeOnce(TSX_LAUNCHER, c.args, c.exit));
        compiled.push(timeOnce(COMPILED, c.args, c.exit));
      }
    }
    const ratios = compiled.map((x, i) => x / tsx[i]!);
    const ratio = Math.min(...compiled) / Math.min(...tsx);
    const medianRatio = median(ratios);
    units[c.op] = median(tsx);
    rows.push({ group: c.op, op: 'tsx launcher (unit)', ratio: 1, medianRatio: 1, medianNs: median(tsx) });
    rows.push({
      group: c.op,
      op: 'compiled dist/cli/bin.js',
      ratio,
      medianRatio,
      medianNs: median(compiled),
      note: `${(1 / medianRatio).toFixed(1)}× faster (median of ${pairs} pairs; target ≥ 4×)`,
    });
  }
  return { name: 'CLI start-up: compiled package vs the tsx launcher (whole process, wall clock)', unit: 'the same command through the tsx launcher (node bin/bantam.js)', units, rows };
}
