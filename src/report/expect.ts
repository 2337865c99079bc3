/**
 * Expected outcomes written as data in a spec: a goal line may carry `# expect: derived` or
 * `# expect: not-derived` (spec/classic/*.ban). The classic library states, for each protocol,
 * both what the BAN paper derives and what it shows cannot be derived; tests and
 * `bantam proofs` compare these with what the engine computes.
 */
import type { Spec } from '../spec/ast.js';
import { UserError } from '../spec/diagnostics.js';

export type Expectation = 'derived' | 'not-derived';

const EXPECT = /^expect:\s*(derived|not-derived)\s*$/i;

/**
 * The expectation of every goal that states one. A goal with two different expectations is bad
 * input. The parser attaches a comment-only line to the item before it, so only notes that are
 * exactly `expect: …` count (free text mentioning "expect" does not).
 */
export function goalExpectations(spec: Spec): Map<string, Expectation> {
  const out = new Map<string, Expectation>();
  for (const g of spec.goals) {
    const found = new Set<Expectation>();
    for (const note of g.notes.other ?? []) {
      const m = EXPECT.exec(note.trim());
      if (m) found.add(m[1]!.toLowerCase() as Expectation);
    }
    if (found.size > 1) throw new UserError(`${spec.file}: goal ${g.label} states both 'expect: derived' and 'expect: not-derived'`);
    const [e] = [...found];
    if (e) out.set(g.label, e);
  }
  return out;
}

export interface ExpectationCheck {
  label: string;
  expected: Expectation;
  derived: boolean;
  ok: boolean;
}

/** Compares the stated expectations with computed verdicts (label -> derived?). */
export function compareExpectations(expect: ReadonlyMap<string, Expectation>, derived: ReadonlyMap<string, boolean>): ExpectationCheck[] {
  const out: ExpectationCheck[] = [];
  for (const [label, expected] of expect) {
    const d = derived.get(label);
    if (d === undefined) continue;
    out.push({ label, expected, derived: d, ok: (expected === 'derived') === d });
  }
  return out;
}
