/**
 * What a fuzz target is: a corpus prepared once, an input made from (rng, corpus), and a run that
 * classifies the input. Outcomes (docs/fuzzing.md):
 * - accepted / rejected: both fine (a rejection is a clean UserError, typed rejection or exit 2);
 * - crash: anything else thrown, a stack overflow, an exit code outside 0–3, a stack trace;
 * - wrong-accept: accepted although it must not be (a spec whose printed form does not parse back
 *   to the same spec, a wire message that does not re-encode to its bytes, a changed ledger that
 *   verifies, a command that replaced a device or link);
 * - bad-error: rejected, but the error output is unbounded (over 1 MB) or has no diagnostic.
 * Time over the hang bound (2 s) is counted by the runner.
 */
import type { FuzzRng } from './rng.js';

export type OutcomeKind = 'accepted' | 'rejected' | 'crash' | 'wrong-accept' | 'bad-error';

export interface Outcome {
  kind: OutcomeKind;
  detail?: string;
  /** A class label for per-class reporting (ledger tamper classes, CLI commands). */
  klass?: string;
  /** Time inside the code under test, when the target measures it itself (CLI: without process start-up). */
  ms?: number;
  /** Peak resident memory of a child process, KiB (CLI target). */
  childMaxRssKiB?: number;
}

export interface FuzzTarget<C, I> {
  name: string;
  summary: string;
  prepare(): C | Promise<C>;
  input(r: FuzzRng, ctx: C): I;
  run(input: I, ctx: C): Outcome | Promise<Outcome>;
  /** A short printable form of an input, for replay output. */
  show(input: I): string;
  cleanup?(ctx: C): void;
}

/** Diagnostics output above this many characters is a bad error (it was 75 MB for one 10 KB line). */
export const MAX_ERROR_OUTPUT = 1_000_000;
