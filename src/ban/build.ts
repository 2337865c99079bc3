/**
 * Building a `Spec` in code (tests, benchmarks, and callers that do not start from a file).
 * Positions point at a synthetic file so diagnostics stay well-formed.
 */
import type { AtomSort, Spec } from '../spec/ast.js';
import type { Flow } from '../spec/flow-ast.js';
import { variablesOf, type Term } from './terms.js';

export interface SpecInput {
  name?: string;
  keyAgreement?: boolean;
  principals?: string[];
  atoms?: Partial<Record<AtomSort, string[]>>;
  messages?: { label: string; from: string; to: string; body: Term; concrete?: string[] }[];
  assumptions?: { label: string; formula: Term }[];
  goals?: { label: string; formula: Term }[];
  proof?: { label: string; formula: Term; rule: string; premises: string[] }[];
  flow?: Flow;
}

export function specOf(input: SpecInput): Spec {
  const file = `<${input.name ?? 'in-code'}>`;
  let line = 0;
  const pos = (): { file: string; line: number; col: number } => ({ file, line: ++line, col: 1 });
  const declarations: Spec['declarations'] = [];
  for (const p of input.principals ?? []) declarations.push({ name: p, sort: 'principal', pos: pos() });
  for (const [sort, names] of Object.entries(input.atoms ?? {})) {
    for (const n of names ?? []) declarations.push({ name: n, sort: sort as AtomSort, pos: pos() });
  }
  const spec: Spec = {
    file,
    name: input.name ?? 'in-code',
    options: { keyAgreement: input.keyAgreement ?? false },
    declarations,
    messages: (input.messages ?? []).map((m) => ({ ...m, concrete: m.concrete ?? [], notes: {}, pos: pos() })),
    assumptions: (input.assumptions ?? []).map((a) => ({ ...a, vars: [...variablesOf(a.formula)].sort(), notes: {}, pos: pos() })),
    goals: (input.goals ?? []).map((g) => ({ ...g, notes: {}, pos: pos() })),
    proof: (input.proof ?? []).map((s) => ({ ...s, notes: {}, pos: pos() })),
    diagnostics: [],
  };
  if (input.flow) spec.flow = input.flow;
  return spec;
}
