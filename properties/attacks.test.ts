/**
 * The adversarial suites that stay in src/adversary (src/adversary/suites.ts) and the Table 1
 * experiment, bounded, with every invariant checked after every step. They decide the claims the
 * generic attacker cannot express (src/adversary/claims.ts, docs/claims.md "What src/adversary still
 * does, and why it stays"): each must keep holding on the protocol of Chen et al. 2020, with sessions
 * accepted (not vacuous). The refutations the retired suites established (untraceability, EMR access
 * control, eCK-style ephemeral leakage) are searched from the spec's queries by the generic attacker:
 * test/attacker-emr.test.ts. The verdicts printed by `bantam claims` are computed by the same code,
 * never read from here.
 */
import { describe, expect, it } from 'vitest';
import { CLAIMS, claimExperiments, experimentNames, judge, MUTANT_PREFIX, runExperiment } from '../src/adversary/claims.js';
import type { SuiteResult } from '../src/adversary/runner.js';
import { NO_SHRINK, propSeed } from './seed.js';

const SEED = propSeed('attacks');
const RUNS = 16;
const results = new Map<string, SuiteResult>();

const HOLDS = ['honest-runs', 'impersonation', 'compromise', 'reports', 'table-1'];

/** A mutant's hunt stops at the first counterexample, so its budget can be larger at little cost. */
const HUNT_RUNS = 40;

/**
 * Runs an experiment the first time a test needs it, inside that test (not in a beforeAll), so that
 * each test does its own work: a mutation tool's per-test coverage (docs/mutation.md) then sees which
 * test exercises which code, and a test run alone still computes what it asserts on.
 */
function result(name: string): SuiteResult {
  let r = results.get(name);
  if (!r) {
    r = runExperiment(name, { runs: RUNS, seed: SEED, ...(NO_SHRINK ? { noShrink: true } : {}) });
    results.set(name, r);
  }
  return r;
}

describe(`adversarial suites that stay (bounded: ${RUNS} runs each, seed ${SEED})`, () => {
  it('the default campaign is exactly the kept experiments', () => {
    expect(experimentNames()).toEqual(HOLDS);
    expect(claimExperiments().sort()).toEqual(HOLDS.filter((n) => n !== 'honest-runs').sort());
  });

  it.each(HOLDS)('%s: no invariant is violated', (name) => {
    const r = result(name);
    expect(r.failure?.trace.join('\n') ?? '', r.failure?.detail).toBe('');
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(RUNS);
    // not vacuous: sessions beyond the setup's were accepted in these runs
    expect(r.coverage.acceptances).toBeGreaterThan(RUNS / 4);
  });

  it('a command suite\'s counterexample (a mutant\'s hunt) is short, numbered, and replays from its seed and path', () => {
    const name = `${MUTANT_PREFIX}reused-ephemeral`;
    const r = runExperiment(name, { runs: HUNT_RUNS, seed: SEED });
    expect(r.ok).toBe(false);
    expect(r.failure!.trace.length).toBeGreaterThan(1);
    expect(r.failure!.trace.length).toBeLessThanOrEqual(8);
    expect(r.failure!.trace[0]).toMatch(/^0\. /);
    const again = runExperiment(name, { runs: HUNT_RUNS, seed: SEED, path: r.failure!.path, ...(r.failure!.replayPath ? { replayPath: r.failure!.replayPath } : {}) });
    expect(again.ok).toBe(false);
    expect(again.failure!.detail).toBe(r.failure!.detail);
  });

  it('every claim the scripted campaigns decide gets a verdict computed from these runs; each says why it stays scripted', () => {
    const verdicts = judge(new Map(claimExperiments().map((n) => [n, result(n)] as const)));
    expect(verdicts.map((v) => v.claim.id)).toEqual(CLAIMS.map((c) => c.id));
    for (const v of verdicts) {
      if (!v.claim.experiments.length) {
        expect(v.verdict, v.claim.id).toBe('not-tested');
        continue;
      }
      expect(v.verdict, v.claim.id).toBe('holds');
      expect(v.claim.why, v.claim.id).toBeTruthy();
      expect(v.evidence.every((e) => e.runs > 0 && e.acceptances > 0)).toBe(true);
    }
  });
});

describe('a scripted verdict is never a "holds" from a broken or vacuous run', () => {
  const base = (name: string, over: Partial<SuiteResult> = {}): SuiteResult => ({
    name,
    ok: true,
    runs: 5,
    seed: 1,
    cryptoSuite: 'secp256k1',
    cryptoBackend: 'noble',
    properties: [],
    coverage: { commands: 10, acceptances: 7, attackerSessions: 0, reveals: 0 },
    ms: 1,
    ...over,
  });
  const failure = (property: string) => ({ replay: 'bantam props …', path: '0', property, detail: `${property} here`, trace: ['0. setup'], actions: [], worldSeed: 0 });
  const verdictOf = (id: string, results: SuiteResult[]) => {
    const all = new Map(claimExperiments().map((n) => [n, base(n)] as const));
    for (const r of results) all.set(r.name, r);
    return judge(all).find((v) => v.claim.id === id)!;
  };

  it('stopped at another property, or crashed: not tested, with the reason', () => {
    const other = verdictOf('replay-resistance', [base('compromise', { ok: false, runs: 2, failure: failure('secrecy') })]);
    expect(other).toMatchObject({ verdict: 'not-tested' });
    expect(other.reason).toMatch(/compromise stopped after 2 run\(s\) at another property \(secrecy\)/);
    const crashed = verdictOf('illegal-device', [base('impersonation', { ok: false, runs: 1, failure: failure('error') })]);
    expect(crashed.reason).toMatch(/stopped after 1 run\(s\) at an error/);
    // the claim's own property is a refutation
    expect(verdictOf('replay-resistance', [base('compromise', { ok: false, failure: failure('replay') })]).verdict).toBe('refuted');
  });

  it('no session accepted in any run: not tested (vacuous)', () => {
    const v = verdictOf('non-repudiation', [base('table-1', { coverage: { commands: 0, acceptances: 0, attackerSessions: 0, reveals: 0 } })]);
    expect(v.verdict).toBe('not-tested');
    expect(v.reason).toMatch(/no session was accepted .* table-1 \(vacuous\)/);
  });
});
