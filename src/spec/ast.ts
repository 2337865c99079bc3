/**
 * The one typed model of a protocol spec. Text spec → src/spec/parse.ts → Spec → engines
 * (src/ban for belief logic, src/diagrams for pictures, src/conform for code conformance).
 *
 * Everything here is plain data, positions included, so every engine can point back into the
 * spec file when it reports.
 */
import type { Term } from '../ban/terms.js';
import type { Diagnostic, SourcePos } from './diagnostics.js';
import type { Flow } from './flow-ast.js';

export type AtomSort =
  | 'principal'
  | 'nonce'
  | 'timestamp'
  | 'key' // symmetric / shared key
  | 'pubkey'
  | 'privkey'
  | 'secret'
  | 'id'
  | 'data'
  | 'function' // hash or key-derivation function names: H, H3, F0
  | 'predicate'; // user predicates: IdOf(P, ID_PAT) is a statement (a formula), not a bare term

export interface Declaration {
  name: string;
  sort: AtomSort;
  pos: SourcePos;
}

/** Notes attached to an item by comments: `# typo: ...`, `# why: ...`, `# source: ...`. */
export interface ItemNotes {
  typo?: string;
  why?: string;
  source?: string;
  other?: string[];
}

/** An idealised message `M1: P -> HA : X`, optionally tied to concrete steps (`[concrete: initial.1]`). */
export interface IdealMessage {
  label: string;
  from: string;
  to: string;
  /** Every enc/comb inside has a builder: the parser fills `from` with the sender where the text has none. */
  body: Term;
  concrete: string[];
  notes: ItemNotes;
  pos: SourcePos;
}

export interface Assumption {
  label: string;
  formula: Term;
  /** Schematic variables (written ?K in the text). */
  vars: string[];
  notes: ItemNotes;
  pos: SourcePos;
}

export interface Goal {
  label: string;
  formula: Term;
  notes: ItemNotes;
  pos: SourcePos;
}

/** One statement of a hand proof: `S5: HA |= P |= X   by belief from S4` as the paper prints it. */
export interface ProofStep {
  label: string;
  formula: Term;
  /** Rule name as written (normalised to the engine's rule ids by the checker). */
  rule: string;
  /** Labels cited: messages (M1), assumptions (A2), earlier statements (S3). */
  premises: string[];
  notes: ItemNotes;
  pos: SourcePos;
}

export interface SpecOptions {
  /** van Oorschot / SVO key-agreement extension, off unless `options key-agreement`. */
  keyAgreement: boolean;
}

export interface Spec {
  file: string;
  name: string;
  options: SpecOptions;
  declarations: Declaration[];
  messages: IdealMessage[];
  assumptions: Assumption[];
  goals: Goal[];
  proof: ProofStep[];
  /** The concrete protocol (issue 6), when the spec has a `flow` section. */
  flow?: Flow;
  /**
   * The `queries` section(s) as written (line texts with positions): src/attacker/queries.ts
   * parses them against the typed flow, so its errors can name roles, phases and values.
   */
  queries?: { file: string; headerLine: number; lines: { line: number; text: string }[] }[];
  /** Warnings (errors abort parsing with a UserError). */
  diagnostics: Diagnostic[];
  /** Text of every file read (the spec and its includes) by file name, so warnings can be printed with carets. */
  sources?: Record<string, string>;
}
