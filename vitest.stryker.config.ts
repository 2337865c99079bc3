import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Test set of the mutation campaign (`npm run mutation`, see docs/mutation.md): the property campaigns of
// properties/ first, then the unit tests of the executable EMR model. Not used by `npm test`.
//
// ORDER MATTERS. Stryker runs a mutant's covering test files one at a time in this order and stops at the
// first failing test (bail). Property campaigns come first, so a mutant's recorded killer is a property
// whenever any property kills it; the unit tests only run for mutants that no property kills, and so say
// "killed only by a unit test". scripts/mutation-classify.ts relies on this order.
export const MUTATION_TEST_FILES = [
  // the property campaigns (fast-check, seeded by properties/seed.ts, bounded): the broad honest-run property
  // first, then the focused ones (each names the check, routing reason or function it targets; a mutant's
  // recorded killer is the first property that fails), then the broad campaigns
  'properties/honest-runs.test.ts',
  // fresh session labels; sessions a party cannot run are refused; runUntilQuiet's bound; sessionKeyOf (≈ 3 s)
  // (before correctness, whose whole runs also fail on these, without naming them)
  'properties/sessions.test.ts',
  // the equations: registration checks, §4.2 key equalities, AEAD, signatures, codec, whole runs (≈ 7 s)
  'properties/correctness.test.ts',
  // deliver's routing: replays, wrong channel, wrong role, unknown party or session, no credentials (≈ 2 s)
  'properties/routing.test.ts',
  // the center's registration checks and each party's (5)/(9)/(13), PK_X, SK_X checks (≈ 4 s)
  'properties/registration.test.ts',
  // each identity field set to another registered party's id: refused by the receiver's identity check (≈ 5 s)
  'properties/id-binding.test.ts',
  // a failed check of B's record sub-session aborts the patient session it serves (≈ 10 s)
  'properties/abort-propagation.test.ts',
  // a dishonest hospital's correctly sealed wrong record; a record for a patient session no longer waiting (≈ 2 s)
  'properties/dishonest-records.test.ts',
  // the ledger checks: mrchk's six comparisons under collusion; a refused mrins; B's own record; hachk/ptchk/hbchk (≈ 12 s)
  'properties/record-index.test.ts',
  'properties/master-key-compromise.test.ts',
  'properties/clinic-records.test.ts',
  // the single-fault sweep delivered to the model and the interpreter in lockstep (CI subset of the faults)
  'properties/fault-sweep.test.ts',
  'properties/mutants.test.ts',
  'properties/attacks.test.ts',
  // unit tests of the model (only reached by mutants that no property kills)
  'test/model-honest.test.ts',
  'test/model-rejections.test.ts',
  'test/model-failures.test.ts',
  // Not in the set: test/emr-differential.test.ts (interpreter = model, byte for byte; ~37 s per run, and a kill
  // by it would count as "only by a unit test", which the target does not count) and the conformance tests.
];

/** Runs the files in MUTATION_TEST_FILES order (vitest's default puts large or recently failed files first). */
class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = MUTATION_TEST_FILES.indexOf(relative(f.project.config.root, f.moduleId).replaceAll('\\', '/'));
      return i < 0 ? MUTATION_TEST_FILES.length : i;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: MUTATION_TEST_FILES,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Stryker's vitest runner overrides the pool (threads, one worker) and runs the files one after another.
    sequence: { sequencer: ListedOrder },
    // A kill needs the first failing case; shrinking it only makes the printed counterexample smaller (properties/seed.ts).
    env: { BANTAM_PROPS_NO_SHRINK: '1' },
  },
});
