/**
 * Seeds of the bounded property tests. Fixed by default so `npm test` is reproducible; set
 * BANTAM_PROPS_SEED to explore another part of the input space (the seed is printed either way,
 * and every fast-check failure prints the seed and path that replay it).
 */
export function propSeed(name: string): number {
  const env = process.env.BANTAM_PROPS_SEED;
  const seed = env !== undefined && /^-?\d+$/.test(env) ? Number(env) : 2020_07_19;
  console.info(`[properties/${name}] seed ${seed} (set BANTAM_PROPS_SEED to change; bounded testing, not proof)`);
  return seed;
}

/**
 * BANTAM_PROPS_NO_SHRINK=1 (set by the mutation campaign's vitest.stryker.config.ts): fast-check stops at
 * the first failing case instead of shrinking it. Whether a property fails does not change; only the
 * counterexample it prints is not minimised. Off by default, so `npm test` prints shrunk counterexamples.
 */
export const NO_SHRINK = process.env.BANTAM_PROPS_NO_SHRINK === '1';

/**
 * fast-check parameters of a bounded property: run count, seed, no shrinking when NO_SHRINK, and the failing
 * assertion's message inside fast-check's own report (not only as its `cause`), so that tools which keep only
 * a failure's message (Stryker's report, docs/mutation.md) see what failed.
 */
export function propParams(seed: number, numRuns: number): { numRuns: number; seed: number; includeErrorInReport: true; endOnFailure?: boolean } {
  return { numRuns, seed, includeErrorInReport: true, ...(NO_SHRINK ? { endOnFailure: true } : {}) };
}
