/**
 * Checking each statement of a hand proof on its own: "is this step valid if its cited
 * premises are granted?". The engine's checkProof marks a step that cites an invalid statement
 * as invalid for that reason alone; for an errata table one also wants the step's own verdict
 * (a step can be wrong twice over). This module asks the engine exactly that question: for
 * statement i it re-runs checkProof on a copy of the spec whose proof is statement i alone and
 * whose assumptions also contain statements 1..i-1 (as if granted). Every verdict is the
 * engine's; nothing is decided here.
 */
import { checkProof } from '../ban/check.js';
import type { Assumption, Spec } from '../spec/ast.js';

export interface LocalVerdict {
  label: string;
  valid: boolean;
  rule: string;
  reason?: string;
  note?: string;
}

export function checkStepsGranting(spec: Spec, opts: { keyAgreement?: boolean } = {}): LocalVerdict[] {
  const out: LocalVerdict[] = [];
  spec.proof.forEach((step, i) => {
    const granted: Assumption[] = spec.proof.slice(0, i).map((s) => ({
      label: s.label,
      formula: s.formula,
      vars: [],
      notes: {},
      pos: s.pos,
    }));
    const one: Spec = { ...spec, assumptions: [...spec.assumptions, ...granted], proof: [step] };
    const v = checkProof(one, opts).steps[0];
    if (!v) throw new Error(`internal: no verdict for ${step.label}`);
    out.push({
      label: step.label,
      valid: v.valid,
      rule: v.rule,
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v.note !== undefined ? { note: v.note } : {}),
    });
  });
  return out;
}
