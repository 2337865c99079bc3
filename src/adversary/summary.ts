/**
 * The property summary `bantam demo` prints: the correctness experiment (a failure is a bug of the
 * tool or model) and the verdict of every security claim of the paper (a refutation is a finding
 * about the paper). Bounded testing with the stated runs and seed, not proof.
 */
import { CLAIMS, claimExperiments, judge, runExperiment } from './claims.js';
import { honestRuns } from './correctness.js';
import { defaultWorkers, mergeChunks, planJobs, runJobs } from './pool.js';
import type { SuiteResult } from './runner.js';

export const PROPS_ASSURANCE = 'bounded testing (fast-check): each verdict holds for the runs made from the stated seed; not a proof';

export interface PropertySummary {
  readonly assurance: string;
  readonly seed: number;
  readonly suite: string;
  readonly results: readonly { name: string; kind: 'correctness' | 'security'; status: 'holds' | 'refuted'; runs: number; summary: string }[];
  readonly correctnessHolds: boolean;
}

/** Seeds given as text (CLI) become fast-check's integer seeds: digits as is, other text hashed. */
export function numericSeed(seed: string | number): number {
  if (typeof seed === 'number') return seed | 0;
  if (/^-?\d+$/.test(seed)) return Number(seed) | 0;
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h | 0;
}

export async function summariseProperties(opts: { suite: string; seed: string | number; runs: number; workers?: number; onProgress?: (line: string) => void }): Promise<PropertySummary> {
  const seed = numericSeed(opts.seed);
  const results = new Map<string, SuiteResult>();
  const names = [honestRuns.name, ...claimExperiments()];
  const workers = opts.workers ?? defaultWorkers();
  if (workers <= 1) {
    for (const [i, n] of names.entries()) {
      opts.onProgress?.(`properties: ${n} (${i + 1}/${names.length}, ${opts.runs} runs)`);
      results.set(n, runExperiment(n, { runs: opts.runs, seed, suite: opts.suite }));
    }
  } else {
    // the same campaign as `bantam props`: chunks with consecutive seeds on child processes
    const jobs = planJobs(names, { runs: opts.runs, seed, suite: opts.suite, chunks: workers });
    const total = jobs.reduce((n, j) => n + j.opts.runs, 0);
    let done = 0;
    let quarter = 0;
    const byJob = await runJobs(jobs, workers, () => {
      done++;
      if (done <= total && Math.floor((4 * done) / total) > quarter) {
        quarter = Math.floor((4 * done) / total);
        opts.onProgress?.(`properties: ${done}/${total} runs on ${workers} processes`);
      }
    });
    for (const n of names) results.set(n, mergeChunks(jobs.filter((j) => j.experiment === n).map((j) => byJob.get(j.id)!)));
  }
  const correctness = results.get(honestRuns.name)!;
  const verdicts = judge(results).filter((v) => v.verdict !== 'not-tested');
  return {
    assurance: PROPS_ASSURANCE,
    seed,
    suite: opts.suite,
    correctnessHolds: correctness.ok,
    results: [
      { name: honestRuns.name, kind: 'correctness', status: correctness.ok ? 'holds' : 'refuted', runs: correctness.runs, summary: correctness.failure?.detail ?? honestRuns.summary },
      ...verdicts.map((v) => ({
        name: `${v.claim.id} (${v.claim.source})`,
        kind: 'security' as const,
        status: v.verdict === 'holds' ? ('holds' as const) : ('refuted' as const),
        runs: v.evidence.reduce((n, e) => n + e.runs, 0),
        summary: v.counterexample?.detail ?? v.claim.statement,
      })),
    ],
  };
}

export { CLAIMS };
