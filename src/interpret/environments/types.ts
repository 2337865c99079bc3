/**
 * Environment modules (FLOW-DESIGN §6): what `X calls name(args)` does, without the interpreter
 * knowing any protocol. A module is plain data plus functions; its state is created per world by
 * `init` and passed back to every call. A spec names its module with `environment NAME`; modules
 * are registered by name in ./index.ts. Environment calls are traced as `contract` events.
 *
 * Contract of `run`: a call that returns ok: false must leave the state unchanged (a failed call
 * aborts the caller's session like a failed check; nothing is half-applied).
 */
import type { CryptoSuite, Rng } from '../../crypto/suite.js';
import type { ArgSort } from '../../flow-lang/primitives.js';
import type { Sort } from '../../flow-lang/sorts.js';
import type { Value } from '../../flow-lang/values.js';
import type { EvalResult } from '../../flow-lang/primitives.js';

export interface EnvCallContext {
  /** The principal making the call, and the role it plays. */
  caller: string;
  role: string;
  phase: string;
  step?: string;
  session: string;
  /** The caller's RNG: draws happen in flow order, as a hand-written party's would (e.g. signing a ledger transaction). */
  rng: Rng;
  /** The caller's knowledge at the call (read-only). */
  values: ReadonlyMap<string, Value>;
  /** The suite, its operations counted for the caller under `phase` (default: the current phase). */
  suite(phase?: string): CryptoSuite;
}

export interface EnvInitContext {
  suite: CryptoSuite;
  rng: Rng;
  /** Principals of the world (a live view: principals added later appear). */
  principals: () => readonly string[];
  /** A principal's published value, if it has published it. */
  published: (principal: string, name: string) => Value | undefined;
}

export interface EnvironmentModule<State = unknown> {
  name: string;
  doc: string;
  init(ctx: EnvInitContext): State;
  calls: Readonly<Record<string, { args: ArgSort[]; doc: string; run(state: State, ctx: EnvCallContext, args: Value[]): { ok: boolean; detail?: string } }>>;
  /**
   * `public: true` marks a function anyone can compute (message formatting over its arguments
   * alone): the attacker may apply it, as the spec does, to values it knows (src/attacker).
   */
  functions?: Readonly<Record<string, { args: ArgSort[]; result: Sort; doc: string; public?: boolean; eval(state: State, args: Value[], ctx: EnvCallContext): EvalResult }>>;
  /**
   * What the environment's state makes public (a public ledger's entries): the attacker learns
   * these values (src/attacker/execute.ts). `name` is a label for the value, `what` says where it is read.
   */
  observable?(state: State): { name: string; value: Value; what: string }[];
  /**
   * An independent copy of the state for a copy of its world (src/attacker/world-snapshot.ts), whose
   * live views of the principals are `views`; calls on either never affect the other. Without it a
   * world with this environment cannot be copied (the attacker then re-runs each state from the seed).
   */
  fork?(state: State, views: Pick<EnvInitContext, 'principals' | 'published'>): State | undefined;
  /**
   * The fields of a structured value this environment makes (a certificate, a record; or a tuple of
   * them bound together, e.g. an EMR and its certificate), each altered alone with the others kept —
   * or, for a tuple, kept consistent (a certificate's digest over an altered record): what a dishonest
   * sender could seal (src/attacker/fault-sweep.ts, class `sender-field`). [] for a value it does not
   * recognise.
   */
  fieldVariants?(state: State, value: Value): { field: string; value: Value }[];
}
