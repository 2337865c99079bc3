/**
 * Start-up of the CLI: the compiled package (package.json "bin", the bundled dist/bin/bantam.cjs:
 * what `npx bantam` runs after an install) against the TypeScript launcher the package used before
 * the build (`node bin/bantam.js`: a second node that compiles src/ with tsx on every start). Unit:
 * the tsx launcher running the same command, measured in the same run. Also shown: tsc's unbundled
 * output (`node dist/cli/bin.js`), to show what the bundling (scripts/bundle-cli.mjs) gains.
 * Whole-process wall-clock time, spawned alternately (order rotated every sample) so all see the
 * same machine; the report gives the fastest-sample ratio, the median of the per-pair ratios and
 * their spread (the 2nd-fastest and 2nd-slowest pair with 10 pairs), and the load average.
 * Target (issue 15): ≥ 4× faster, i.e. a ratio ≤ 0.25.
 *
 *   npm run bench startup            (builds dist/ first when it is missing)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow, Harness } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED = join(root, (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { bantam: string } }).bin.bantam);
const UNBUNDLED = join(root, 'dist', 'cli', 'bin.js');
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
  if (!existsSync(COMPILED) || !existsSync(UNBUNDLED)) {
    const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const pairs = h.options.minSamples >= 10 ? 10 : 5;
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const load0 = loadavg()[0]!;
  const entries = [
    { op: `compiled, bundled (${COMPILED.slice(root.length + 1)})`, entry: COMPILED, target: true },
    { op: 'compiled, unbundled (dist/cli/bin.js)', entry: UNBUNDLED, target: false },
  ];
  for (const c of COMMANDS) {
    // one warm-up of each (file-system cache), not counted
    timeOnce(TSX_LAUNCHER, c.args, c.exit);
    for (const e of entries) timeOnce(e.entry, c.args, c.exit);
    const tsx: number[] = [];
    const times: number[][] = entries.map(() => []);
    for (let i = 0; i < pairs; i++) {
      // rotate the order within a round: tsx first, in the middle, last, ...
      const order = [-1, ...entries.map((_, k) => k)];
      for (let r = 0; r < i % order.length; r++) order.push(order.shift()!);
      for (const k of order) {
        if (k < 0) tsx.push(timeOnce(TSX_LAUNCHER, c.args, c.exit));
        else times[k]!.push(timeOnce(entries[k]!.entry, c.args, c.exit));
      }
    }
    units[c.op] = median(tsx);
    rows.push({ group: c.op, op: 'tsx launcher (unit)', ratio: 1, medianRatio: 1, medianNs: median(tsx) });
    entries.forEach((e, k) => {
      const xs = times[k]!;
      const ratios = xs.map((x, i) => x / tsx[i]!).sort((a, b) => a - b);
      const medianRatio = median(ratios);
      // spread: the 2nd-fastest and 2nd-slowest pair (one outlier either side dropped)
      const lo = ratios[Math.min(1, ratios.length - 1)]!;
      const hi = ratios[Math.max(0, ratios.length - 2)]!;
      rows.push({
        group: c.op,
        op: e.op,
        ratio: Math.min(...xs) / Math.min(...tsx),
        medianRatio,
        medianNs: median(xs),
        note: `${(1 / medianRatio).toFixed(1)}× faster (median of ${pairs} pairs; pairs ${(1 / hi).toFixed(1)}–${(1 / lo).toFixed(1)}×)${e.target ? '; target ≥ 4×' : ''}`,
      });
    });
  }
  return {
    name: `CLI start-up: compiled package vs the tsx launcher (whole process, wall clock; 1-minute load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end)`,
    unit: 'the same command through the tsx launcher (node bin/bantam.js)',
    units,
    rows,
  };
}
