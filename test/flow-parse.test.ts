import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../src/spec/diagnostics.js';
import { flowEquations, parseFlowSection, phaseActions } from '../src/spec/flow.js';
import type { Flow, FlowStep } from '../src/spec/flow-ast.js';
import { splitSections } from '../src/spec/sections.js';

function parseFlow(text: string, file = 't.ban'): { flow: Flow; diagnostics: Diagnostic[] } {
  const { sections, diagnostics } = splitSections(file, text);
  expect(diagnostics).toEqual([]);
  const section = sections.find((s) => s.name === 'flow');
  if (!section) throw new Error('test text has no flow section');
  return parseFlowSection(section, file);
}

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');

const SMALL = [
  'flow', // line 1
  '  participant P  "Patient"', // 2
  '  participant HA "Hospital A"', // 3
  '  participant BC "Blockchain center" ledger', // 4
  '  phase initial "Initial treatment" §3.6', // 5
  '    participants P, HA, BC', // 6
  '    initial.1: P -> HA : (ID_PAT: id, R_PAT: point,', // 7
  '                          T_PAT: point)', // 8
  '      P  computes T_PAT = a·P                 (14)', // 9
  '    initial.2: HA -> P : (ID_HPA: id, CHK_PA: check)', // 10
  '      HA computes CHK_PA = H3(SEK_AP, T_PAT)  (20)', // 11
  '      HA calls    ptchk(ID_PAT)', // 12
  '      P  checks   CHK_PA =? H3(SEK_AP, T_PAT) (25)', // 13
  '      P  stores   (SEK_AP)', // 14
].join('\n');

describe('flow section: what a correct flow parses to', () => {
  test('phases, participants, steps, typed fields (over a wrapped line), actions with equation numbers', () => {
    const { flow, diagnostics } = parseFlow(SMALL);
    expect(diagnostics).toEqual([]);
    expect(flow.ledger).toBe('BC');
    expect(flow.participants?.map((p) => [p.id, p.title])).toEqual([
      ['P', 'Patient'],
      ['HA', 'Hospital A'],
      ['BC', 'Blockchain center'],
    ]);
    const [phase] = flow.phases;
    expect(phase).toMatchObject({ id: 'initial', title: 'Initial treatment', section: '§3.6', participants: ['P', 'HA', 'BC'] });
    expect(phase!.pos).toEqual({ file: 't.ban', line: 5, col: 3 });
    const [s1, s2] = phase!.steps as [FlowStep, FlowStep];
    expect(s1).toMatchObject({ id: 'initial.1', from: 'P', to: 'HA', pos: { line: 7, col: 5 } });
    expect(s1.fields).toEqual([
      { name: 'ID_PAT', type: 'id' },
      { name: 'R_PAT', type: 'point' },
      { name: 'T_PAT', type: 'point' },
    ]);
    expect(s1.before).toEqual([{ kind: 'compute', party: 'P', text: 'T_PAT = a·P', eq: 14, pos: { file: 't.ban', line: 9, col: 7 }, textPos: { file: 't.ban', line: 9, col: 19 } }]);
    expect(s2.before.map((a) => [a.kind, a.text, a.eq])).toEqual([
      ['compute', 'CHK_PA = H3(SEK_AP, T_PAT)', 20],
      ['contract', 'ptchk(ID_PAT)', undefined],
    ]);
    expect(s2.before[1]).toMatchObject({ contract: 'ptchk', args: ['ID_PAT'] });
    // The receiver's actions come after the message.
    expect(s2.after.map((a) => [a.party, a.kind, a.eq])).toEqual([
      ['P', 'check', 25],
      ['P', 'store', undefined],
    ]);
    expect(flowEquations(flow)).toEqual([14, 20, 25]);
    expect(phaseActions(phase!).map((x) => x.where)).toEqual(['before', 'before', 'before', 'after', 'after']);
  });

  test('without a participants line a phase lists who takes part, plus the ledger when it calls contracts', () => {
    const { flow, diagnostics } = parseFlow(
      ['flow', '  participant BC "Center" ledger', '  phase initial "X"', '    initial.1: P -> HA : ()', '      HA calls hachk(ID)'].join('\n'),
    );
    expect(errors(diagnostics)).toEqual([{ severity: 'error', code: 'flow.undeclared', message: "'P' is not a declared participant", pos: { file: 't.ban', line: 4, col: 16 }, expected: 'BC', length: 1 }, expect.objectContaining({ code: 'flow.undeclared', pos: { file: 't.ban', line: 4, col: 21 } }), expect.objectContaining({ code: 'flow.undeclared', pos: { file: 't.ban', line: 5, col: 7 } })]);
    const ok = parseFlow(['flow', '  phase initial "X"', '    initial.1: P -> HA : ()', '      HA calls hachk(ID)'].join('\n'));
    expect(ok.diagnostics).toEqual([]);
    expect(ok.flow.phases[0]!.participants).toEqual(['P', 'HA']);
  });

  test('actions before the first step belong to the phase itself (the §3.2 set-up)', () => {
    const { flow, diagnostics } = parseFlow(['flow', '  phase setup "System initialization" §3.2', '    BC computes PK = s·P   (1)'].join('\n'));
    expect(diagnostics).toEqual([]);
    expect(flow.phases[0]!.local).toEqual([{ kind: 'compute', party: 'BC', text: 'PK = s·P', eq: 1, pos: { file: 't.ban', line: 3, col: 5 }, textPos: { file: 't.ban', line: 3, col: 17 } }]);
    expect(flow.phases[0]!.participants).toEqual(['BC']);
  });

  test('a registration variant phase (registration-patient) takes registration.N step ids', () => {
    const { flow, diagnostics } = parseFlow(['flow', '  phase registration-patient "Patient registration" §3.4', '    registration.1: P -> BC : (ID_PAT: id)'].join('\n'));
    expect(diagnostics).toEqual([]);
    expect(flow.phases[0]!.steps[0]!.id).toBe('registration.1');
  });

  test("'secure' after the fields marks a secure channel; anything else there is an error", () => {
    const { flow, diagnostics } = parseFlow(['flow', '  phase p "x"', '    p.1: A -> B : (X: id)  secure', '    p.2: B -> A : (Y: id)'].join('\n'));
    expect(diagnostics).toEqual([]);
    expect(flow.phases[0]!.steps.map((s) => s.channel)).toEqual(['secure', undefined]);
    const bad = errors(parseFlow(['flow', '  phase p "x"', '    p.1: A -> B : (X: id) private'].join('\n')).diagnostics);
    expect(bad).toEqual([expect.objectContaining({ code: 'flow.syntax', pos: { file: 't.ban', line: 3, col: 27 }, length: 7 })]);
  });

  test('a parenthesised term at the end of an action is text, only a whitespace-separated (N) is an equation', () => {
    const { flow } = parseFlow(['flow', '  phase p "x"', '    p.1: A -> B : ()', '      A computes X = H(2)', '      A computes Y = H(Z) (7)'].join('\n'));
    expect(flow.phases[0]!.steps[0]!.before.map((a) => [a.text, a.eq])).toEqual([
      ['X = H(2)', undefined],
      ['Y = H(Z)', 7],
    ]);
  });
});

describe('flow section: errors point at the offending text', () => {
  const one = (text: string) => {
    const ds = errors(parseFlow(text).diagnostics);
    expect(ds.length).toBeGreaterThan(0);
    return ds[0]!;
  };

  test('unknown field type: code, position of the type, caret length, expected list', () => {
    const src = ['flow', '  phase initial "X"', '    initial.1: P -> HA : (ID_PAT: id, T_PAT: pointt)'].join('\n');
    const d = one(src);
    expect(d).toMatchObject({ code: 'flow.field-type', pos: { line: 3, col: 46 }, length: 6 });
    expect(d.expected).toBe('id | point | scalar | check | ciphertext | signature | bytes | key | nonce | hash | mac | pke');
    expect(formatDiagnostic(d, src).split('\n').slice(0, 3)).toEqual([
      "t.ban:3:46: error: unknown field type 'pointt' (flow.field-type)",
      ' 3 |     initial.1: P -> HA : (ID_PAT: id, T_PAT: pointt)',
      '   |                                              ^^^^^^',
    ]);
  });

  test('a field without a type', () => {
    expect(one(['flow', '  phase initial "X"', '    initial.1: P -> HA : (ID_PAT, T_PAT: point)'].join('\n'))).toMatchObject({
      code: 'flow.field',
      pos: { line: 3, col: 27 },
      length: 6,
    });
  });

  test('a position on the continuation line of a wrapped message', () => {
    const d = one(['flow', '  phase initial "X"', '    initial.1: P -> HA : (ID_PAT: id,', '         T_PAT: dot)'].join('\n'));
    expect(d).toMatchObject({ code: 'flow.field-type', pos: { line: 4, col: 17 }, length: 3 });
  });

  test('missing arrow, missing colon, unclosed fields', () => {
    expect(one(['flow', '  phase initial "X"', '    initial.1: P HA : ()'].join('\n'))).toMatchObject({ code: 'flow.syntax', message: "expected '->'", pos: { line: 3, col: 18 } });
    expect(one(['flow', '  phase initial "X"', '    initial.1: P -> HA (ID: id)'].join('\n'))).toMatchObject({ code: 'flow.syntax', pos: { line: 3, col: 24 } });
    expect(one(['flow', '  phase initial "X"', '    initial.1: P -> HA : (ID: id'].join('\n'))).toMatchObject({ code: 'flow.syntax', message: "unclosed '(' in the message fields", pos: { line: 3, col: 26 } });
  });

  test('step id from another phase, duplicate and decreasing step numbers', () => {
    expect(one(['flow', '  phase initial "X"', '    inter.1: P -> HB : ()'].join('\n'))).toMatchObject({ code: 'flow.step-id', pos: { line: 3, col: 5 }, length: 5 });
    const dup = errors(parseFlow(['flow', '  phase initial "X"', '    initial.2: P -> HA : ()', '    initial.2: HA -> P : ()'].join('\n')).diagnostics);
    expect(dup.map((d) => [d.code, d.pos.line])).toEqual([
      ['flow.duplicate', 4],
      ['flow.step-id', 4],
    ]);
  });

  test('an action by a party that neither sends nor receives the step', () => {
    const d = one(['flow', '  phase inter "X"', '    inter.5: HB -> HA : ()', '      P computes X = Y (1)'].join('\n'));
    expect(d).toMatchObject({ code: 'flow.party', pos: { line: 4, col: 7 }, length: 1 });
    expect(d.message).toBe("'P' neither sends nor receives inter.5 (HB -> HA)");
  });

  test("the sender's actions must come before the receiver's", () => {
    const d = one(['flow', '  phase p "x"', '    p.1: A -> B : ()', '      B computes Y = 1', '      A computes X = 2'].join('\n'));
    expect(d).toMatchObject({ code: 'flow.order', pos: { line: 5, col: 7 } });
  });

  test('unknown verb, bad contract call, party outside the participants line', () => {
    expect(one(['flow', '  phase p "x"', '    A derives X'].join('\n'))).toMatchObject({ code: 'flow.syntax', message: "unknown action 'derives'", pos: { line: 3, col: 7 }, length: 7 });
    expect(one(['flow', '  phase p "x"', '    A calls ptchk'].join('\n'))).toMatchObject({ code: 'flow.syntax', pos: { line: 3, col: 13 } });
    expect(one(['flow', '  phase p "x"', '    participants A', '    p.1: A -> B : ()'].join('\n'))).toMatchObject({ code: 'flow.party', pos: { line: 4, col: 15 } });
  });

  test('a step before any phase; the same equation twice is a warning', () => {
    expect(one(['flow', '  initial.1: P -> HA : ()'].join('\n'))).toMatchObject({ code: 'flow.order', pos: { line: 2, col: 3 } });
    const w = parseFlow(['flow', '  phase p "x"', '    A computes X (3)', '    A computes Y (3)'].join('\n')).diagnostics;
    expect(w).toEqual([expect.objectContaining({ severity: 'warning', code: 'flow.eq-duplicate', pos: { file: 't.ban', line: 4, col: 18 } })]);
  });

  test('the parser recovers: every bad line is reported, good lines still parse', () => {
    const { flow, diagnostics } = parseFlow(['flow', '  phase p "x"', '    p.1: A -> B : (X: nope)', '    ???', '    p.2: B -> A : (Y: id)'].join('\n'));
    expect(errors(diagnostics).map((d) => d.pos.line)).toEqual([3, 4]);
    expect(flow.phases[0]!.steps.map((s) => s.id)).toEqual(['p.1', 'p.2']);
  });
});

// ---------------------------------------------------------------------------------------------
// spec/emr-flow.ban against the paper (§3.2–3.7) and the cross-team step table (contracts.md).

const EMR_FILE = 'spec/emr-flow.ban';
const emr = () => parseFlow(readFileSync(EMR_FILE, 'utf8'), EMR_FILE);

/** contracts.md "Step and phase ids", fields with the paper's names per role. */
const CONTRACT_STEPS: Record<string, { from: string; to: string; fields: [string, string][] }> = {
  'initial.1': { from: 'P', to: 'HA', fields: [['ID_PAT', 'id'], ['R_PAT', 'point'], ['T_PAT', 'point']] },
  'initial.2': { from: 'HA', to: 'P', fields: [['ID_HPA', 'id'], ['R_HPA', 'point'], ['T_HPA', 'point'], ['CHK_PA', 'check']] },
  'initial.3': { from: 'P', to: 'HA', fields: [['ID_PAT', 'id'], ['c_PAT', 'ciphertext'], ['CHK_AP', 'check']] },
  'initial.4': { from: 'HA', to: 'P', fields: [['ID_HPA', 'id'], ['c_HPA', 'ciphertext'], ['Sig_HPA', 'signature']] },
  'inter.1': { from: 'P', to: 'HB', fields: [['ID_PAT', 'id'], ['R_PAT', 'point'], ['T_PAT2', 'point']] },
  'inter.2': { from: 'HB', to: 'P', fields: [['ID_HPB', 'id'], ['R_HPB', 'point'], ['T_HPB', 'point'], ['CHK_PB', 'check']] },
  'inter.3': { from: 'P', to: 'HB', fields: [['ID_PAT', 'id'], ['c_PAT2', 'ciphertext'], ['CHK_BP', 'check']] },
  'inter.5': { from: 'HB', to: 'HA', fields: [['ID_HPB', 'id'], ['R_HPB', 'point'], ['T_HPB2', 'point']] },
  'inter.6': { from: 'HA', to: 'HB', fields: [['ID_HPA', 'id'], ['R_HPA', 'point'], ['T_HPA2', 'point'], ['CHK_BA', 'check']] },
  'inter.7': { from: 'HB', to: 'HA', fields: [['ID_HPB', 'id'], ['c_HPB', 'ciphertext'], ['CHK_AB', 'check']] },
  'inter.8': { from: 'HA', to: 'HB', fields: [['ID_HPA', 'id'], ['c_HPA2', 'ciphertext'], ['Sig_HPA2', 'signature']] },
  'inter.10': { from: 'HB', to: 'P', fields: [['ID_HPB', 'id'], ['c_HPB2', 'ciphertext'], ['Sig_HPB', 'signature']] },
};

/** contracts.md: the equations each step's sender computes before it, and its receiver after it (when it sends nothing more). */
const CONTRACT_EQS: Record<string, { before: number[]; after: number[] }> = {
  'initial.1': { before: [14], after: [] },
  'initial.2': { before: [15, 16, 17, 18, 19, 20], after: [] },
  'initial.3': { before: [21, 22, 23, 24, 25, 26, 27], after: [] },
  'initial.4': { before: [28, 29, 30, 31], after: [32, 33] },
  'inter.1': { before: [34], after: [] },
  'inter.2': { before: [35, 36, 37, 38, 39, 40], after: [] },
  'inter.3': { before: [41, 42, 43, 44, 45, 46, 47], after: [] },
  'inter.5': { before: [48, 49, 50], after: [] },
  'inter.6': { before: [51, 52, 53, 54, 55, 56], after: [] },
  'inter.7': { before: [57, 58, 59, 60, 61, 62, 63], after: [] },
  'inter.8': { before: [64, 65, 66, 67], after: [] },
  'inter.10': { before: [68, 69, 70, 71], after: [72, 73] },
};

/** §3.4–3.5: each registration with its role's names and equations; contract registration.1/.2. */
const REGISTRATIONS: [phase: string, x: string, suffix: string, eqs: number[], insert: string][] = [
  ['registration-patient', 'P', 'PAT', [2, 3, 4, 5], 'ptins'],
  ['registration-hpa', 'HA', 'HPA', [6, 7, 8, 9], 'hains'],
  ['registration-hpb', 'HB', 'HPB', [10, 11, 12, 13], 'hbins'],
];

const eqsOf = (actions: { eq?: number }[]) => actions.flatMap((a) => (a.eq === undefined ? [] : [a.eq]));
const contractsOf = (actions: { contract?: string }[]) => actions.flatMap((a) => (a.contract === undefined ? [] : [a.contract]));

describe('spec/emr-flow.ban is the paper (§3.2–3.7)', () => {
  test('parses without diagnostics, phases in paper order with their sections', () => {
    const { flow, diagnostics } = emr();
    expect(diagnostics).toEqual([]);
    expect(flow.phases.map((p) => [p.id, p.section])).toEqual([
      ['setup', '§3.2'],
      ['registration-patient', '§3.4'],
      ['registration-hpa', '§3.5'],
      ['registration-hpb', '§3.5'],
      ['initial', '§3.6'],
      ['inter', '§3.7'],
    ]);
    expect(flow.ledger).toBe('BC');
  });

  test('every equation (1)–(73) appears exactly once, in paper order', () => {
    const eqs = flowEquations(emr().flow);
    expect(eqs).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
  });

  test('every message of §3.6–3.7 has exactly the paper fields, sender and receiver of the contract table', () => {
    const { flow } = emr();
    const steps = flow.phases.filter((p) => p.id === 'initial' || p.id === 'inter').flatMap((p) => p.steps);
    expect(steps.map((s) => s.id)).toEqual(Object.keys(CONTRACT_STEPS));
    expect(steps.filter((s) => s.channel !== undefined)).toEqual([]);
    for (const s of steps) {
      const want = CONTRACT_STEPS[s.id]!;
      expect({ id: s.id, from: s.from, to: s.to, fields: s.fields.map((f) => [f.name, f.type]) }).toEqual({ id: s.id, ...want });
    }
  });

  test('each step carries the equations of the contract table, sender before and receiver after', () => {
    const { flow } = emr();
    for (const p of flow.phases.filter((x) => x.id === 'initial' || x.id === 'inter')) {
      for (const s of p.steps) expect({ step: s.id, before: eqsOf(s.before), after: eqsOf(s.after) }).toEqual({ step: s.id, ...CONTRACT_EQS[s.id] });
    }
  });

  test('checks are the paper "?=" equations, and only those', () => {
    const checks = emr().flow.phases.flatMap((p) => phaseActions(p)).filter((x) => x.action.kind === 'check' && x.action.eq !== undefined);
    expect(checks.map((x) => x.action.eq)).toEqual([5, 9, 13, 25, 28, 33, 45, 48, 61, 64, 69, 73]);
  });

  test('registrations (§3.4–3.5): ID_X to the center, (R_X, S_X, PK_X, SK_X) back, eqs and the insert contract', () => {
    const { flow } = emr();
    for (const [id, x, sfx, eqs, insert] of REGISTRATIONS) {
      const p = flow.phases.find((q) => q.id === id)!;
      const [r1, r2] = p.steps as [FlowStep, FlowStep];
      expect([r1.id, r1.from, r1.to, r1.fields]).toEqual(['registration.1', x, 'BC', [{ name: `ID_${sfx}`, type: 'id' }]]);
      expect([r2.id, r2.from, r2.to, r2.fields.map((f) => `${f.name}:${f.type}`)]).toEqual([
        'registration.2', 'BC', x, [`R_${sfx}:point`, `S_${sfx}:scalar`, `PK_${sfx}:point`, `SK_${sfx}:scalar`],
      ]);
      expect([r1.channel, r2.channel]).toEqual(['secure', 'secure']);
      expect(eqsOf(r2.before)).toEqual(eqs.slice(0, 3));
      expect(contractsOf(r2.before)).toEqual([insert]);
      // the party checks the paper's equation, then (model additions, as recomputations that
      // compare with what it received) PK_X = S_X·P and SK_X = S_X, and stores its keys
      expect(r2.after.map((a) => [a.kind, a.eq])).toEqual([['check', eqs[3]], ['compute', undefined], ['compute', undefined], ['store', undefined]]);
      expect(r2.after.slice(1, 3).map((a) => a.text)).toEqual([`PK_${sfx} = S_${sfx}·P`, `SK_${sfx} = S_${sfx}`]);
    }
  });

  test('smart-contract calls: who calls which, at which step', () => {
    const calls = emr().flow.phases.flatMap((p) => phaseActions(p).filter((x) => x.action.kind === 'contract').map((x) => `${p.id}:${x.step?.id}:${x.action.party}:${x.action.contract}`));
    expect(calls).toEqual([
      'registration-patient:registration.2:BC:ptins',
      'registration-hpa:registration.2:BC:hains',
      'registration-hpb:registration.2:BC:hbins',
      'initial:initial.3:P:hachk',
      'initial:initial.4:HA:ptchk',
      'initial:initial.4:HA:mrins',
      'initial:initial.4:HA:ptins',
      'inter:inter.3:P:hbchk',
      'inter:inter.5:HB:ptchk',
      'inter:inter.10:HB:mrchk',
      'inter:inter.10:HB:mrins',
      'inter:inter.10:HB:ptins',
    ]);
  });
});
