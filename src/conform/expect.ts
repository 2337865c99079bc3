/**
 * What the spec's `flow` section (docs/flow.md) says the code must do, in the shape the
 * conformance checks need: the numbered equations with who computes or checks them at which step,
 * and one *segment* per piece of work a party does between receiving one message and sending the
 * next (the unit a handler of the executable model implements).
 */
import type { SourcePos } from '../spec/diagnostics.js';
import type { Flow, FlowAction, FlowField, FlowPhase } from '../spec/flow-ast.js';

export interface SpecAction {
  readonly kind: FlowAction['kind'];
  readonly party: string;
  readonly text: string;
  readonly eq?: number;
  readonly contract?: string;
  readonly phase: string;
  /** Step id the action is written under; the phase id for a phase's local actions. */
  readonly step: string;
  readonly where: 'local' | 'before' | 'after';
  readonly pos: SourcePos;
}

/**
 * One party's work between a receive and the next send, in spec order: the receiver's actions
 * after step `receives` followed by its actions before the step it sends next. A start segment
 * (`receives: null`) is the initiator's work before the phase's first message.
 */
export interface Segment {
  readonly phase: string;
  readonly party: string;
  readonly receives: string | null;
  readonly sends: string | null;
  readonly actions: readonly SpecAction[];
}

export interface SpecStep {
  readonly id: string;
  readonly phase: string;
  readonly from: string;
  readonly to: string;
  readonly fields: readonly FlowField[];
  /** 'secure' for the paper's secure channel (registration, §3.1 item 1); 'public' otherwise. */
  readonly channel: 'secure' | 'public';
  readonly eqs: readonly number[];
  readonly pos: SourcePos;
}

export interface Expectations {
  /** Every action carrying an equation number, by number (more than one only if the flow repeats a number). */
  readonly equations: ReadonlyMap<number, readonly SpecAction[]>;
  readonly segments: readonly Segment[];
  /** Steps in flow order; a step id shared by phase variants (registration-*) appears once per variant. */
  readonly steps: readonly SpecStep[];
  /** Smart contracts the flow calls, and the subset that are look-ups (their verdict guards what follows). */
  readonly contracts: ReadonlySet<string>;
  readonly lookups: ReadonlySet<string>;
  /** The flow's ledger participant (the center), when declared. */
  readonly ledger?: string;
}

/**
 * The paper's query contracts (§3.3: ptchk, hachk, hbchk, mrchk) are the ones named `*chk`; their
 * result is a verdict the caller must act on. Insert contracts (ptins, hains, hbins, mrins) are
 * guarded uses.
 */
export const isLookup = (contract: string): boolean => /chk$/.test(contract);

function act(p: FlowPhase, a: FlowAction, step: string, where: SpecAction['where']): SpecAction {
  return {
    kind: a.kind, party: a.party, text: a.text, phase: p.id, step, where, pos: a.pos,
    ...(a.eq !== undefined ? { eq: a.eq } : {}),
    ...(a.contract !== undefined ? { contract: a.contract } : {}),
  };
}

export function expectationsOf(flow: Flow): Expectations {
  const equations = new Map<number, SpecAction[]>();
  const segments: Segment[] = [];
  const steps: SpecStep[] = [];
  const contracts = new Set<string>();
  const note = (a: SpecAction) => {
    if (a.eq !== undefined) equations.set(a.eq, [...(equations.get(a.eq) ?? []), a]);
    if (a.contract !== undefined) contracts.add(a.contract);
  };
  for (const p of flow.phases) {
    for (const a of p.local ?? []) note(act(p, a, p.id, 'local'));
    const before = p.steps.map((s) => s.before.map((a) => act(p, a, s.id, 'before')));
    const after = p.steps.map((s) => s.after.map((a) => act(p, a, s.id, 'after')));
    p.steps.forEach((s, i) => {
      before[i]!.forEach(note);
      after[i]!.forEach(note);
      steps.push({
        id: s.id, phase: p.id, from: s.from, to: s.to, fields: s.fields, pos: s.pos, channel: s.channel ?? 'public',
        eqs: [...before[i]!, ...after[i]!].flatMap((a) => (a.eq === undefined ? [] : [a.eq])),
      });
    });
    p.steps.forEach((s, i) => {
      const next = p.steps[i + 1];
      // A phase opens with its first step; a step whose sender did not just receive the one before also opens a segment.
      const prev = p.steps[i - 1];
      if (!prev || prev.to !== s.from) segments.push({ phase: p.id, party: s.from, receives: null, sends: s.id, actions: before[i]! });
      const chained = next !== undefined && next.from === s.to;
      segments.push({
        phase: p.id, party: s.to, receives: s.id, sends: chained ? next.id : null,
        actions: [...after[i]!, ...(chained ? before[i + 1]! : [])],
      });
    });
  }
  const lookups = new Set([...contracts].filter(isLookup));
  return { equations, segments, steps, contracts, lookups, ...(flow.ledger !== undefined ? { ledger: flow.ledger } : {}) };
}
