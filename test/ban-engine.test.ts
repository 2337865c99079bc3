/**
 * The engine as a whole: a classic sanity case (Needham–Schroeder shared-key, BAN 1989 §6),
 * termination on adversarial specs, determinism, proof exports, why-not with verified
 * suggestions, proof checking verdicts and the idealisation audit.
 */
import { describe, expect, it } from 'vitest';
import {
  analyse,
  auditIdealisation,
  checkProof,
  toJson,
  toLatex,
  toMarkdown,
  toText,
} from '../src/ban/index.js';
import { specOf } from '../src/ban/build.js';
import { needhamSchroederSK } from '../src/ban/classic.js';
import { saturateSpec } from '../src/ban/saturate.js';
import { syntheticSpec } from '../src/ban/synthetic.js';
import { termKey } from '../src/ban/terms.js';
import {
  atom,
  believes,
  comb,
  controls,
  enc,
  fresh,
  said,
  secret,
  sees,
  sharedKey,
  tuple,
  v,
  type Term,
} from '../src/ban/terms.js';

const P = atom('P');
const Q = atom('Q');
const S = atom('S');
const K = atom('K');
const N = atom('N');

describe('Needham–Schroeder shared-key (BAN 1989 §6)', () => {
  it('derives the published goals A |= A<-Kab->B, B |= A<-Kab->B, A |= B |= ..., B |= A |= ...', () => {
    const a = analyse(needhamSchroederSK());
    expect(a.goals.map((g) => [g.label, g.derived])).toEqual([
      ['G1', true],
      ['G2', true],
      ['G3', true],
      ['G4', true],
    ]);
    // the key step of G1: jurisdiction of S over the key, through the schematic assumption A6
    const g1 = a.goals[0]!.proof!;
    expect(g1.rule).toBe('JUR');
    expect(g1.premises[0]!.source).toBe('A6 [?K := Kab]');
  });
  it("without B |= #(A <-Kab-> B) (the assumption BAN flag) B's goals fail, and the why-not names it", () => {
    const a = analyse(needhamSchroederSK({ withDubiousAssumption: false }));
    expect(a.goals.map((g) => g.derived)).toEqual([true, false, true, false]);
    const g2 = a.goals[1]!;
    const sug = g2.whyNot!.suggestions.map((s) => s.map(termKey));
    expect(sug).toContainEqual([termKey(believes(atom('B'), fresh(sharedKey(atom('A'), atom('Kab'), atom('B')))))]);
  });
});

describe('why-not suggestions are verified', () => {
  it('every suggestion, added as an assumption, makes the goal derivable; the goal itself is never suggested', () => {
    const base = needhamSchroederSK({ withDubiousAssumption: false });
    const a = analyse(base);
    for (const g of a.goals.filter((x) => !x.derived)) {
      expect(g.whyNot!.suggestions.length).toBeGreaterThan(0);
      for (const s of g.whyNot!.suggestions) {
        expect(s.map(termKey)).not.toContain(termKey(g.formula));
        const extended = { ...base, assumptions: [...base.assumptions, ...s.map((f, i) => ({ label: `X${i}`, formula: f, vars: [], notes: {}, pos: base.assumptions[0]!.pos }))] };
        expect(analyse(extended, { whyNot: false, goals: [g.label] }).goals[0]!.derived).toBe(true);
      }
    }
  });
  it('reports the missing key belief for message meaning at the right step', () => {
    const spec = specOf({
      principals: ['P', 'Q'],
      messages: [{ label: 'M1', from: 'Q', to: 'P', body: comb(N, atom('Y')) }],
      assumptions: [{ label: 'A1', formula: believes(P, fresh(N)) }],
      goals: [{ label: 'G', formula: believes(P, believes(Q, N)) }],
    });
    const w = analyse(spec).goals[0]!.whyNot!;
    const missing = w.missing.map((m) => [termKey(m.formula), m.at]);
    expect(missing).toContainEqual([termKey(believes(P, said(Q, N))), 'G ⇐ NV']);
    expect(missing).toContainEqual([termKey(believes(P, secret(Q, atom('Y'), P))), 'G ⇐ NV ⇐ MM-SS']);
    expect(w.suggestions.map((s) => s.map(termKey))).toContainEqual([termKey(believes(P, secret(Q, atom('Y'), P)))]);
  });
});

describe('termination and determinism', () => {
  it('terminates on deeply nested messages', () => {
    let body: Term = N;
    for (let i = 0; i < 40; i++) body = enc(tuple(atom(`N${i}`), body, fresh(atom(`N${i}`))), K);
    const spec = specOf({
      principals: ['P', 'Q'],
      messages: [{ label: 'M1', from: 'Q', to: 'P', body }],
      assumptions: [{ label: 'A1', formula: believes(P, sharedKey(P, K, Q)) }, ...Array.from({ length: 40 }, (_, i) => ({ label: `F${i}`, formula: believes(P, fresh(atom(`N${i}`))) }))],
      goals: [
        { label: 'G', formula: believes(P, believes(Q, N)) },
        { label: 'H', formula: believes(P, fresh(N)) },
      ],
    });
    const t0 = Date.now();
    const a = analyse(spec, { whyNot: false });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(a.rounds).toBeGreaterThan(40);
    // Q |= N through all 40 layers (innermost cleartext tuple is fresh via N0) ...
    expect(a.goals[0]!.derived).toBe(true);
    // ... but N itself is never fresh for P: freshness does not decompose
    expect(a.goals[1]!.derived).toBe(false);
  });
  it('terminates with many schematic assumptions and long tuples', () => {
    const items = Array.from({ length: 60 }, (_, i) => atom(`X${i}`));
    const spec = specOf({
      principals: ['P', 'Q', 'S'],
      messages: [
        { label: 'M1', from: 'S', to: 'P', body: enc(tuple(N, ...items, sharedKey(P, K, Q)), atom('Kps')) },
        { label: 'M2', from: 'Q', to: 'P', body: enc(tuple(...items), K) },
      ],
      assumptions: [
        { label: 'A1', formula: believes(P, sharedKey(P, atom('Kps'), S)) },
        { label: 'A2', formula: believes(P, fresh(N)) },
        ...Array.from({ length: 50 }, (_, i) => ({ label: `J${i}`, formula: believes(P, controls(S, v(`Z${i}`))) })),
        { label: 'J', formula: believes(v('W'), controls(v('U'), sharedKey(v('W'), v('K'), v('U')))) },
      ],
      goals: [{ label: 'G', formula: believes(P, tuple(...items)) }],
    });
    const t0 = Date.now();
    const a = analyse(spec, { whyNot: false });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(a.goals[0]!.derived).toBe(true); // S has jurisdiction over everything via the schemata J0..J49
  });
  it('the synthetic family saturates and derives its goals', () => {
    for (const n of [2, 4, 8]) {
      const a = analyse(syntheticSpec(n), { whyNot: false });
      expect(a.goals.every((g) => g.derived)).toBe(true);
    }
  });
  it('two runs give identical JSON, facts in the same order', () => {
    const spec = needhamSchroederSK({ withDubiousAssumption: false });
    expect(toJson(analyse(spec))).toBe(toJson(analyse(spec)));
    const k1 = [...saturateSpec(syntheticSpec(6)).facts.keys()];
    const k2 = [...saturateSpec(syntheticSpec(6)).facts.keys()];
    expect(k1).toEqual(k2);
  });
});

describe('exports', () => {
  const a = analyse(needhamSchroederSK());
  it('text: header with assurance and rule set, one verdict line per goal, numbered statements', () => {
    const t = toText(a);
    expect(t.split('\n')[0]).toContain('BAN belief-logic result (not a computational proof)');
    expect(t).toContain('no key-agreement extension');
    expect(t).toMatch(/G1: derived {4,}A \|= A <-Kab-> B/);
    expect(t).toMatch(/Statement 2: A \|= S \|~ .* by message meaning \(MM-SK\) from A1, M2/);
  });
  it('markdown and LaTeX (bussproofs)', () => {
    expect(toMarkdown(a)).toContain('| G1 | derived |');
    const tex = toLatex(a);
    expect(tex).toContain('\\begin{prooftree}');
    expect(tex).toContain('\\BinaryInfC');
    expect(tex).toContain('\\stackrel{Kab}{\\leftrightarrow}');
  });
  it('JSON carries the proof and statements', () => {
    const j = JSON.parse(toJson(a));
    expect(j.assurance).toBe('BAN belief-logic result (not a computational proof)');
    expect(j.goals[0].proof.rule).toBe('JUR');
    expect(j.allDerived).toBe(true);
  });
  it('bare-term beliefs are accepted with a note', () => {
    const spec = specOf({
      principals: ['P', 'Q'],
      assumptions: [{ label: 'A1', formula: believes(P, controls(Q, atom('ID_Q'))) }, { label: 'A2', formula: believes(P, believes(Q, atom('ID_Q'))) }],
      goals: [{ label: 'G', formula: believes(P, atom('ID_Q')) }],
    });
    const g = analyse(spec).goals[0]!;
    expect(g.derived).toBe(true);
    expect(g.notes?.[0]).toMatch(/bare term.*accepted as written/);
  });
});

describe('proof checking', () => {
  const kab = sharedKey(P, K, Q);
  const base = {
    principals: ['P', 'Q', 'S'],
    messages: [{ label: 'M1', from: 'S', to: 'P', body: enc(tuple(N, kab), atom('Kps')) }],
    assumptions: [
      { label: 'A1', formula: believes(P, sharedKey(P, atom('Kps'), S)) },
      { label: 'A2', formula: believes(P, fresh(N)) },
      { label: 'A3', formula: believes(P, controls(S, sharedKey(P, v('K'), Q))) },
    ],
  };
  const verdicts = (proof: { label: string; formula: Term; rule: string; premises: string[] }[]) =>
    checkProof(specOf({ ...base, proof })).steps.map((s) => ({ label: s.label, valid: s.valid, rule: s.rule, reason: s.reason ?? '' }));

  it('a correct proof is valid step by step, with vague names matched to engine rules', () => {
    const c = verdicts([
      { label: 'S1', formula: believes(P, said(S, tuple(N, kab))), rule: 'message meaning', premises: ['A1', 'M1'] },
      { label: 'S2', formula: believes(P, fresh(tuple(N, kab))), rule: 'freshness', premises: ['A2'] },
      { label: 'S3', formula: believes(P, believes(S, tuple(N, kab))), rule: 'nonce verification', premises: ['S2', 'S1'] },
      { label: 'S4', formula: believes(P, believes(S, kab)), rule: 'belief rule', premises: ['S3'] },
      { label: 'S5', formula: believes(P, kab), rule: 'jurisdiction', premises: ['A3', 'S4'] },
    ]);
    expect(c.map((s) => [s.label, s.valid, s.rule])).toEqual([
      ['S1', true, 'MM-SK'],
      ['S2', true, 'FRESH'],
      ['S3', true, 'NV'],
      ['S4', true, 'BELBEL-E'],
      ['S5', true, 'JUR'],
    ]);
  });
  it('invalid steps say exactly why, and dependants say they depend on them', () => {
    const c = verdicts([
      { label: 'S0', formula: believes(P, said(S, tuple(N, kab))), rule: 'message meaning', premises: ['A1', 'M1'] },
      { label: 'S1', formula: believes(P, said(S, tuple(N, kab))), rule: 'telepathy', premises: ['A1', 'M1'] },
      { label: 'S2', formula: believes(P, said(S, tuple(N, kab))), rule: 'message meaning', premises: ['M1'] },
      { label: 'S3', formula: believes(P, fresh(N)), rule: 'freshness', premises: ['S9'] },
      { label: 'S4', formula: believes(P, believes(S, tuple(N, kab))), rule: 'nonce verification', premises: ['A2', 'S0'] },
      { label: 'S5', formula: believes(P, believes(S, kab)), rule: 'belief', premises: ['S4'] },
      { label: 'S6', formula: believes(P, kab), rule: 'nonce verification', premises: ['A3'] },
      { label: 'S7', formula: believes(P, said(S, tuple(N, kab))), rule: 'message meaning', premises: ['A1', 'M1'] },
      { label: 'S8', formula: believes(P, fresh(N)), rule: 'freshness', premises: ['S7'] },
    ]);
    const [s0, s1, s2, s3, s4, s5, s6, s7, s8] = c;
    expect(s0!.valid).toBe(true);
    expect(s1!.reason).toMatch(/^rule name unknown: 'telepathy'/);
    expect(s2!.reason).toMatch(/missing premise for MM-SK: P \|= S <-Kps-> P/);
    expect(s3!.reason).toMatch(/premise not yet established: 'S9'/);
    expect(s4!.reason).toMatch(/conclusion does not follow: from these premises the rule would conclude P \|= S \|= N \(NV\)/);
    expect(s5!.reason).toBe('depends on invalid statement S4; granting its premises, the step itself is valid (BELBEL-E)');
    expect(s6!.reason).toMatch(/cannot produce this conclusion \(NV concludes P \|= Q \|= X\)/);
    expect(s7!.valid).toBe(true);
    // freshness does not follow from a said statement
    expect(s8!.valid).toBe(false);
    expect(s8!.reason).toMatch(/FRESH/);
  });
  it('hints: NV on a non-cleartext X, and a key belief stepped to a belief about the peer', () => {
    const c = verdicts([
      { label: 'S1', formula: believes(P, said(S, enc(N, K, S))), rule: 'belief', premises: [] },
      { label: 'S2', formula: believes(P, believes(S, enc(N, K, S))), rule: 'nonce verification', premises: ['A2', 'S1'] },
      { label: 'S3', formula: believes(P, believes(S, sharedKey(P, atom('Kps'), S))), rule: 'belief', premises: ['A1'] },
    ]);
    expect(c[1]!.reason).toMatch(/nonce verification applies to cleartext only/);
    expect(c[2]!.reason).toMatch(/no rule turns a key or secret belief into a belief about the peer's beliefs/);
  });
  it('a statement citing a later statement is not yet established', () => {
    const c = verdicts([
      { label: 'S1', formula: believes(P, fresh(tuple(N, kab))), rule: 'freshness', premises: ['S2'] },
      { label: 'S2', formula: believes(P, fresh(N)), rule: 'freshness', premises: ['A2'] },
    ]);
    expect(c[0]!.reason).toMatch(/S2 is statement 2, after this one/);
  });
  it('the message of a restated receipt is valid, with a note', () => {
    const r = checkProof(specOf({ ...base, proof: [{ label: 'S1', formula: sees(P, enc(tuple(N, kab), atom('Kps'), S)), rule: 'seeing', premises: ['M1'] }] }));
    expect(r.steps[0]).toMatchObject({ valid: true, note: 'restates M1' });
  });
});

describe('idealisation audit', () => {
  const flow = {
    phases: [
      {
        id: 'initial',
        title: 'initial',
        participants: ['P', 'Q'],
        pos: { file: 'f', line: 1, col: 1 },
        steps: [
          {
            id: 'initial.2',
            from: 'Q',
            to: 'P',
            fields: [
              { name: 'ID_Q', type: 'id' },
              { name: 'CHK', type: 'check' },
            ],
            before: [{ kind: 'compute' as const, party: 'Q', text: 'CHK = H3(SEK, T_P)', eq: 20, pos: { file: 'f', line: 2, col: 1 } }],
            after: [],
            pos: { file: 'f', line: 2, col: 1 },
          },
        ],
      },
    ],
  };
  it('reports what supports a formula, unsupported atoms, unknown steps and missing links', () => {
    const spec = specOf({
      principals: ['P', 'Q'],
      messages: [
        { label: 'M1', from: 'Q', to: 'P', body: comb(tuple(atom('T_P'), sharedKey(P, atom('SEK'), Q)), atom('CHK')), concrete: ['initial.2'] },
        { label: 'M2', from: 'Q', to: 'P', body: enc(tuple(atom('Nx'), sharedKey(P, atom('K9'), Q)), atom('K9')), concrete: ['initial.2', 'initial.9'] },
        { label: 'M3', from: 'Q', to: 'P', body: atom('T_P') },
      ],
      flow,
    });
    const f = auditIdealisation(spec);
    const byMsg = (m: string) => f.filter((x) => x.message === m).map((x) => [x.kind, x.subject]);
    // P is named neither by name nor by an atom the spec ties to P (issue 16: principal-unnamed).
    expect(byMsg('M1')).toEqual([
      ['principal-unnamed', 'P <-SEK-> Q'],
      ['formula-supported', 'P <-SEK-> Q'],
    ]);
    expect(f.find((x) => x.message === 'M1' && x.kind === 'formula-supported')!.supportedBy).toEqual(['initial.2 compute by Q eq (20): CHK = H3(SEK, T_P)']);
    expect(byMsg('M2')).toEqual([
      ['unknown-step', 'initial.9'],
      ['unsupported-atom', 'Nx'],
      ['unsupported-atom', 'K9'],
      ['principal-unnamed', 'P <-K9-> Q'],
      ['formula-unsupported', 'P <-K9-> Q'],
    ]);
    expect(byMsg('M3')).toEqual([['no-concrete-link', undefined]]);
  });
});
