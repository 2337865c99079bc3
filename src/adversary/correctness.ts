/**
 * The correctness property as a runnable experiment (for `bantam props`, `bantam demo`): over random
 * seeds and identities, every phase of the protocol (§3.4–3.7) completes on the honest scheduler,
 * both sides of each session hold the same key (SEK_AP, SEK_BP, SEK_AB: §4.2), and the ledger
 * verifies. properties/correctness.test.ts holds the finer equation-level properties.
 */
import fc from 'fast-check';
import { getSuite } from '../crypto/index.js';
import { runScenario } from '../model/index.js';
import { replayCommand, type SuiteResult } from './runner.js';
import type { ExperimentDef } from './experiments.js';

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');

export const honestRuns: ExperimentDef = {
  name: 'honest-runs',
  summary: 'every phase completes honestly with agreed keys (SEK_AP, SEK_BP, SEK_AB) and a verified ledger, for random ids and seeds',
  run(opts): SuiteResult {
    const t0 = performance.now();
    let acceptances = 0;
    let detail = '';
    const prop = fc.property(fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), fc.nat({ max: 1_000_000 }), ([p, a, b], seed) => {
      opts.onRun?.();
      const r = runScenario({ suite: getSuite(opts.suite ?? 'ristretto255', opts.backend ?? 'noble'), seed, patientId: p!, hospitalA: a!, hospitalB: b! });
      acceptances += r.trace.events.filter((e) => e.kind === 'accept').length;
      if (!r.ok) {
        detail = `ids ${p}, ${a}, ${b}, seed ${seed}: ${[...r.failures, ...r.agreements.filter((x) => !x.agreed).map((x) => `${x.key} not agreed`)].join('; ') || 'not ok'}`;
        return false;
      }
      return true;
    });
    const d = fc.check(prop, { numRuns: opts.runs, seed: opts.seed, ...(opts.path ? { path: opts.path } : {}) });
    const base = {
      name: 'honest-runs', runs: d.numRuns, seed: opts.seed, cryptoSuite: opts.suite ?? 'ristretto255', cryptoBackend: opts.backend ?? 'noble',
      properties: [] as never[], coverage: { commands: 0, acceptances, attackerSessions: 0, reveals: 0 }, ms: performance.now() - t0,
    };
    if (!d.failed) return { ...base, ok: true };
    return { ...base, ok: false, failure: { replay: replayCommand('honest-runs', base.cryptoSuite, opts.seed, opts.runs, d.counterexamplePath ?? '', undefined, base.cryptoBackend), path: d.counterexamplePath ?? '', property: 'correctness', detail, trace: [], actions: [], worldSeed: 0 } };
  },
};
