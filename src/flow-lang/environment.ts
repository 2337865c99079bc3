/**
 * What the checker needs to know of an environment module (FLOW-DESIGN §6): the sorts of its
 * calls and functions. The modules themselves (state, concrete behaviour) live in
 * src/interpret/environments; this signature keeps the language free of any of them.
 */
import type { ArgSort } from './primitives.js';
import type { Sort } from './sorts.js';

export interface EnvironmentSignature {
  name: string;
  /** `X calls name(args)`: succeeds or fails (a failure aborts like a failed check). */
  calls: Readonly<Record<string, { args: ArgSort[]; doc: string }>>;
  /** Functions usable in expressions (application data codecs, ...). */
  functions?: Readonly<Record<string, { args: ArgSort[]; result: Sort; doc: string }>>;
}
