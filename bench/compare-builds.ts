/**
 * Two builds of bantam compared on the whole EMR analysis (both specs analysed with why-not, both
 * hand proofs checked), pair by pair in fresh processes (bench/pairs.ts): each trial is one child
 * process (bench/emr-trial.mjs) that warms up, then reports the CPU time per analysis, so the JIT
 * state, the heap and the term-key memo start the same for both builds.
 *
 *   npx tsx bench/compare-builds.ts <distBefore> <distAfter> [pairs=7] [warm=150] [iters=60]   (from the repository root)
 *
 * A build is the output of `npx tsc -p tsconfig.build.json --outDir <dir>` at some commit (e.g. in a
 * `git worktree` of the older commit). Prints each side's CPU ms per analysis and the median speed
 * ratio after/before with its spread (> 1: the second build is faster).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRatio, paired, type Trial } from './pairs.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(argv: string[]): Promise<number> {
  const [before, after, pairs = '7', warm = '150', iters = '60'] = argv;
  if (!before || !after || ![pairs, warm, iters].every((x) => /^\d+$/.test(x))) {
    console.error('usage: npx tsx bench/compare-builds.ts <distBefore> <distAfter> [pairs] [warm] [iters]');
    return 2;
  }
  const trial = (dir: string) => async (): Promise<Trial> => {
    const out = JSON.parse(execFileSync(process.execPath, [join(here, 'emr-trial.mjs'), dir, warm, iters], { encoding: 'utf8' })) as { cpuNs: number; wallNs: number };
    return { cpuNs: out.cpuNs, wallNs: out.wallNs };
  };
  const r = await paired('before', trial(before), 'after', trial(after), { pairs: Number(pairs), metric: 'cpu-rate' });
  const ms = (ts: Trial[]): string => ts.map((t) => (t.cpuNs / 1e6).toFixed(1)).join(' ');
  console.log(`before (${before}): CPU ms per whole EMR analysis, per trial: ${ms(r.a.trials)}`);
  console.log(`after  (${after}): CPU ms per whole EMR analysis, per trial: ${ms(r.b.trials)}`);
  console.log(`speed after / before (CPU): ${formatRatio(r)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`compare-builds: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(70);
  },
);
