/**
 * The flow (spec/emr-flow.ban), the model's message schemas (src/net/messages.ts) and a real
 * model run (src/model runScenario) describe the same protocol: same steps, fields, parties and
 * equations; and a real run's trace draws into diagrams Mermaid accepts.
 */
import mermaid from 'mermaid';
import { describe, expect, test } from 'vitest';
import { diagramsForTrace } from '../src/diagrams/from-trace.js';
import { runScenario } from '../src/model/scenario.js';
import { MESSAGE_SCHEMAS } from '../src/net/messages.js';
import type { FlowStep } from '../src/spec/flow-ast.js';
import { loadSpec } from '../src/spec/load.js';

const flow = loadSpec('spec/emr-flow.ban').flow!;
const eqs = (s: FlowStep) => [...s.before, ...s.after].flatMap((a) => (a.eq === undefined ? [] : [a.eq]));

/** Flow participants for the schema roles; registration's X per registration phase, with its name suffix. */
const ROLE = { P: 'P', HA: 'HA', HB: 'HB', CENTER: 'BC' } as const;
const REG = [
  { phase: 'registration-patient', X: 'P', sfx: 'PAT', eqs: [2, 3, 4, 5] },
  { phase: 'registration-hpa', X: 'HA', sfx: 'HPA', eqs: [6, 7, 8, 9] },
  { phase: 'registration-hpb', X: 'HB', sfx: 'HPB', eqs: [10, 11, 12, 13] },
];

describe('flow vs MESSAGE_SCHEMAS', () => {
  test('§3.6–3.7: every schema step is a flow step with the same fields, sender, receiver and equations, and vice versa', () => {
    const flowSteps = flow.phases.filter((p) => p.id === 'initial' || p.id === 'inter').flatMap((p) => p.steps);
    const schemas = Object.values(MESSAGE_SCHEMAS).filter((s) => s.phase !== 'registration');
    expect(flowSteps.map((s) => s.id)).toEqual(schemas.map((s) => s.step));
    for (const sc of schemas) {
      const st = flowSteps.find((s) => s.id === sc.step)!;
      expect({ step: st.id, from: st.from, to: st.to, channel: st.channel ?? 'public', fields: st.fields, eqs: eqs(st) }).toEqual({
        step: sc.step,
        channel: sc.channel,
        from: ROLE[sc.from as keyof typeof ROLE],
        to: ROLE[sc.to as keyof typeof ROLE],
        fields: sc.fields.map((f) => ({ name: f.name, type: f.type })),
        eqs: [...sc.eqs],
      });
    }
  });

  test("§3.4–3.5: each registration phase is the schema's registration with X's names", () => {
    for (const r of REG) {
      const phase = flow.phases.find((p) => p.id === r.phase)!;
      expect(phase.steps.map((s) => s.id)).toEqual(['registration.1', 'registration.2']);
      for (const st of phase.steps) {
        const sc = MESSAGE_SCHEMAS[st.id as 'registration.1' | 'registration.2'];
        const who = (role: string) => (role === 'X' ? r.X : ROLE[role as keyof typeof ROLE]);
        expect({ from: st.from, to: st.to, channel: st.channel ?? 'public', fields: st.fields }).toEqual({
          from: who(sc.from),
          channel: sc.channel,
          to: who(sc.to),
          fields: sc.fields.map((f) => ({ name: f.name.replace(/_X$/, `_${r.sfx}`), type: f.type })),
        });
      }
      expect(eqs(phase.steps[1]!)).toEqual(r.eqs);
    }
    // The one registration.2 schema lists the equations of all three registrations.
    expect([...MESSAGE_SCHEMAS['registration.2'].eqs].sort((a, b) => a - b)).toEqual(REG.flatMap((r) => r.eqs));
  });
});

describe('a real model run, drawn', () => {
  const run = runScenario({ suite: 'ristretto255', seed: 11 });

  test('the honest scenario completes, and each phase of its trace draws into a diagram Mermaid parses', async () => {
    expect(run.ok).toBe(true);
    const ds = diagramsForTrace(run.trace);
    expect(ds.map((d) => d.name)).toEqual(['trace-setup', 'trace-registration', 'trace-initial', 'trace-inter']);
    for (const d of ds) expect(((await mermaid.parse(d.mermaid)) as { diagramType: string }).diagramType, d.name).toBe('sequence');
  });

  test("the run's delivered steps, in order, are the flow's steps; sizes are the encoded ones", () => {
    const ds = diagramsForTrace(run.trace);
    for (const phase of ['initial', 'inter']) {
      const d = ds.find((x) => x.name === `trace-${phase}`)!;
      const drawn = [...d.mermaid.matchAll(/->>\w+: ([\w.]+) \(/g)].map((m) => m[1]);
      expect(drawn).toEqual(flow.phases.find((p) => p.id === phase)!.steps.map((s) => s.id));
    }
    const sends = run.trace.events.filter((e) => e.kind === 'send');
    const all = ds.map((d) => d.mermaid).join('\n');
    for (const s of sends) expect(all).toContain(`= ${s.size} B`);
    expect(all).not.toContain('Adversary');
  });
});
