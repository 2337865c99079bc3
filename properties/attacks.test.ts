/**
 * The adversarial suites (src/adversary/suites.ts) and experiments, bounded, with every invariant
 * checked after every step. Expected outcomes are what bantam currently FINDS about the protocol of
 * Chen et al. 2020 (docs/claims.md): a suite that holds must keep holding; a refuted claim must keep
 * being refuted with a short, replayable attack trace. The verdicts printed by `bantam claims` are
 * computed by the same code, never read from here.
 */
import { describe, expect, it } from 'vitest';
import { CLAIMS, experimentNames, judge, runExperiment } from '../src/adversary/claims.js';
import type { SuiteResult } from '../src/adversary/runner.js';
import { NO_SHRINK, propSeed } from './seed.js';

const SEED = propSeed('attacks');
const RUNS = 16;
const results = new Map<string, SuiteResult>();

const HOLDS = ['honest-runs', 'network', 'impersonation', 'compromise', 'reports', 'forward-secrecy', 'kci', 'table-1'];
const REFUTED: Record<string, string> = { records: 'emr-access', 'ephemeral-leakage': 'secrecy', untraceability: 'untraceability' };

/** Refutations stop at the first counterexample, so their budget can be larger at little cost. */
const HUNT_RUNS = 40;

/**
 * Runs an experiment the first time a test needs it, inside that test (not in a beforeAll), so that
 * each test does its own work: a mutation tool's per-test coverage (docs/mutation.md) then sees which
 * test exercises which code, and a test run alone still computes what it asserts on.
 */
function result(name: string): SuiteResult {
  let r = results.get(name);
  if (!r) {
    // A suite expected to hold is never shrunk under NO_SHRINK; a refutation is always shrunk (its trace length is asserted).
    const noShrink = NO_SHRINK && !(name in REFUTED);
    r = runExperiment(name, { runs: name in REFUTED ? HUNT_RUNS : RUNS, seed: SEED, ...(noShrink ? { noShrink } : {}) });
    results.set(name, r);
  }
  return r;
}

describe(`adversarial suites (bounded: ${RUNS} runs each, seed ${SEED})`, () => {
  it.each(HOLDS)('%s: no invariant is violated', (name) => {
    const r = result(name);
    expect(r.failure?.trace.join('\n') ?? '', r.failure?.detail).toBe('');
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(RUNS);
    // not vacuous: sessions beyond the setup's were accepted in these runs
    expect(r.coverage.acceptances).toBeGreaterThan(RUNS / 4);
  });

  it.each(Object.entries(REFUTED))('%s: refuted on %s with a short numbered trace', (name, property) => {
    const r = result(name);
    expect(r.ok).toBe(false);
    expect(r.failure!.property).toBe(property);
    expect(r.failure!.trace.length).toBeGreaterThan(1);
    expect(r.failure!.trace.length).toBeLessThanOrEqual(8);
    expect(r.failure!.trace[0]).toMatch(/^0\. /);
  });

  it('the counterexample of a command suite replays from its seed and path to the same violation', () => {
    const r = result('records');
    const again = runExperiment('records', { runs: HUNT_RUNS, seed: SEED, path: r.failure!.path, ...(r.failure!.replayPath ? { replayPath: r.failure!.replayPath } : {}) });
    expect(again.ok).toBe(false);
    expect(again.failure!.detail).toBe(r.failure!.detail);
  });

  it('every claim of the paper gets a verdict computed from these runs', () => {
    const verdicts = judge(new Map(experimentNames().map((n) => [n, result(n)] as const)));
    expect(verdicts.map((v) => v.claim.id)).toEqual(CLAIMS.map((c) => c.id));
    const by = Object.fromEntries(verdicts.map((v) => [v.claim.id, v.verdict]));
    expect(by['user-untraceability']).toBe('refuted');
    expect(by['emr-security']).toBe('refuted');
    expect(by['ephemeral-leakage']).toBe('refuted');
    for (const id of ['mutual-authentication', 'illegal-device', 'data-integrity', 'replay-resistance', 'forward-backward-secrecy', 'center-compromise', 'non-repudiation', 'kci-resistance']) {
      expect(by[id], id).toBe('holds');
    }
    for (const v of verdicts) {
      if (v.verdict === 'refuted') expect(v.counterexample!.replay).toMatch(/^bantam props --only /);
      if (v.verdict === 'holds') expect(v.evidence.every((e) => e.runs > 0)).toBe(true);
    }
  });
});
