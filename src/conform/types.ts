/**
 * The report of `bantam conform` as data (printed by ./report.ts, returned by `conform` in ./index.ts).
 */
export type CheckName = 'tags' | 'messages' | 'flow' | 'guards' | 'tests';
export const CHECKS: readonly CheckName[] = ['tags', 'messages', 'flow', 'guards', 'tests'];

export interface Finding {
  readonly check: CheckName;
  /** Stable code, e.g. `tag.missing`, `schema.field-order`, `flow.order`, `guard.late`. */
  readonly code: string;
  readonly message: string;
  /** Where in the code (or the spec, for something the code lacks). */
  readonly file?: string;
  readonly line?: number;
  readonly eq?: number;
  readonly step?: string;
}

export interface EquationRow {
  readonly eq: number;
  readonly phase: string;
  readonly step: string;
  readonly party: string;
  readonly kind: string;
  readonly text: string;
  readonly spec: string;
  /** `file:line name` of each `@eq` tag (exactly one when conformant). */
  readonly tags: readonly string[];
  /** Where the equation is evaluated: `file:line (unit)`. */
  readonly sites: readonly string[];
  readonly tests: readonly string[];
  /** Of `tests`, those that also name the equation (`eq: N`, `eq === N`, `eq. (N)`, `eqN_…`, `@eq N`): likely asserting on it specifically. */
  readonly namedIn: readonly string[];
}

export interface ConformReport {
  readonly spec: string;
  readonly src: string;
  readonly messages: string;
  readonly tests: string | null;
  readonly assurance: string;
  readonly checks: readonly { name: CheckName; ok: boolean; findings: number; skipped?: boolean }[];
  readonly counts: { equations: number; tags: number; steps: number; segments: number; awaits: number; checks: number; testFiles: number; namedEquations: number };
  readonly equations: readonly EquationRow[];
  readonly findings: readonly Finding[];
  readonly ok: boolean;
}

export interface ConformOptions {
  readonly spec: string;
  readonly src: string;
  readonly messages: string;
  /** Test folders (files named *.test.ts); null skips the tests check. */
  readonly tests: string | readonly string[] | null;
}

export const ASSURANCE =
  'static analysis of the TypeScript source (ts-morph syntax and symbol resolution; nothing is executed): ' +
  'ordering and guard results hold for the structured code the rules model (docs/conformance.md); ' +
  'test exercise is reachability in the reference graph from what each test file imports, not coverage';
