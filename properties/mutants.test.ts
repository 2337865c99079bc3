/**
 * Detection power: each deliberately broken variant of the protocol (src/adversary/mutants.ts,
 * built by wrapping the suite the parties run — src/model is untouched) is caught by at least one
 * property within a bounded number of runs, and the same attacker finds nothing on the real
 * protocol (the control), so the catch is the mutant's doing.
 */
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../src/adversary/mutants.js';
import { runSuite } from '../src/adversary/runner.js';
import { NO_SHRINK, propSeed } from './seed.js';

const SEED = propSeed('mutants');
const HUNT_RUNS = 40;
const CONTROL_RUNS = 6;

describe(`mutants are caught (bounded: up to ${HUNT_RUNS} runs, seed ${SEED})`, () => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const r = runSuite(m.hunt, { runs: HUNT_RUNS, seed: SEED, wrapSuite: m.wrap, noShrink: NO_SHRINK });
    expect(r.ok, `${m.name} (${m.breaks}) was not caught in ${HUNT_RUNS} runs`).toBe(false);
    expect(m.caughtBy).toContain(r.failure!.property);
    expect(r.failure!.trace.length).toBeGreaterThan(1);
    const control = runSuite(m.hunt, { runs: CONTROL_RUNS, seed: SEED, noShrink: NO_SHRINK });
    expect(control.failure?.detail ?? '').toBe('');
  });
});
