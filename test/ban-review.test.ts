/**
 * Issue 16: what an outside review of unseen BAN cases found, one describe per class, each with
 * cases of our own (not the reviewers'):
 *   1. conjunction is a set;  2. why suggests only what could be true;  3. warnings are shown;
 *   4. the idealisation audit;  5. check gives the right reason;  6. notation gaps.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse, auditIdealisation, checkProof } from '../src/ban/index.js';
import { engineWarnings } from '../src/ban/lint.js';
import { showTerm } from '../src/ban/print.js';
import { atom, believes, conjuncts, enc, fresh, said, sharedKey, termKey, tuple } from '../src/ban/terms.js';
import { cleartextProjection } from '../src/ban/util.js';
import { main } from '../src/cli/main.js';
import { UserError } from '../src/spec/diagnostics.js';
import { parseSpec } from '../src/spec/parse.js';
import { loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/ast.js';

const spec = (text: string): Spec => parseSpec('review.ban', text);
const verdicts = (s: Spec, opts: { keyAgreement?: boolean } = {}): Record<string, boolean> =>
  Object.fromEntries(analyse(s, { ...opts, whyNot: false }).goals.map((g) => [g.label, g.derived]));
const whyOf = (s: Spec, label: string, opts: { keyAgreement?: boolean } = {}) => {
  const g = analyse(s, { ...opts, goals: [label] }).goals[0]!;
  expect(g.derived, label).toBe(false);
  return g.whyNot!;
};
const shown = (xs: readonly (readonly import('../src/ban/terms.js').Term[])[]): string[] => xs.map((s) => s.map((t) => showTerm(t)).join(' & '));

const dir = mkdtempSync(join(tmpdir(), 'bantam-review-'));
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { out: (s: string) => void (out += s + '\n'), err: () => {} });
  return { code, out };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// ---------------------------------------------------------------------------------------------
describe('1. conjunction is a set', () => {
  const S = spec(`protocol Conj
principals A, B
atoms
  key Kab
  nonce Na, Nb
  data Xb, Y
messages
  M1: B -> A : {Na, (Nb, Xb)}_Kab
  M2: B -> A : {Y, (Nb, {Xb}_Kab)}_Kab
assumptions
  A1: A |= A <-Kab-> B
  A2: A |= #(Na)
  A3: A |= #(Y)
goals
  G1: A |= B |= (Xb, Nb, Na)
  G2: A |= B |= (Nb, Xb)
  G3: A |= B |~ (Nb, (Na, Xb))
  G4: A <| (Xb, Na)
  G5: A |= B |= (Nb, Y)
  G6: A |= B |= (Na, Na, Xb, Nb)
`);
  it('order, nesting and repetition do not change a tuple: (Na, Nb, Xb) = (Xb, Nb, Na) = (Na, (Nb, Xb))', () => {
    const [Na, Nb, Xb] = [atom('Na'), atom('Nb'), atom('Xb')];
    expect(termKey(tuple(Na, Nb, Xb))).toBe(termKey(tuple(Xb, Nb, Na)));
    expect(termKey(tuple(Na, tuple(Nb, Xb)))).toBe(termKey(tuple(Na, Nb, Xb)));
    expect(termKey(tuple(Na, Na))).toBe(termKey(Na));
    expect(termKey(tuple(Na, Nb))).not.toBe(termKey(tuple(Na, Xb)));
    expect(conjuncts(tuple(Na, tuple(Nb, tuple(Xb, Na)))).map((t) => showTerm(t))).toEqual(['Na', 'Nb', 'Xb']);
  });
  it('goals in another order or nesting than the message are derived (saturation and goals)', () => {
    expect(verdicts(S)).toEqual({ G1: true, G2: true, G3: true, G4: true, G5: true, G6: true });
  });
  it('the cleartext parts of a nested tuple are kept when its encrypted parts are stripped', () => {
    const t = tuple(atom('Y'), tuple(atom('Nb'), enc(atom('Xb'), atom('Kab'))));
    expect(showTerm(cleartextProjection(t)!)).toBe('Y, Nb');
    // G5 rests on exactly that: B said (Y, Nb) in the clear part of M2, and Y is fresh.
    const a = analyse(S, { goals: ['G5'] });
    expect(JSON.stringify(a.goals[0]!.proof)).toContain('NV');
  });
  it('schematic assumptions match tuples in any order; the checker compares by the normal form', () => {
    const s = spec(`protocol Schema
principals A, S
atoms
  key Kas
  nonce Na, Nb
messages
  M1: S -> A : {Nb, Na}_Kas
assumptions
  A1: A |= A <-Kas-> S
  A2: A |= #(Na)
  A3: A |= S |=> (?X, Na)
goals
  G1: A |= (Na, Nb)
proof
  S1: A |= S |~ (Na, Nb)   by message meaning from A1, M1
  S2: A |= S |= (Nb, Na)   by nonce verification from A2, S1
`);
    expect(verdicts(s)).toEqual({ G1: true });
    expect(checkProof(s).steps.map((x) => x.valid)).toEqual([true, false]);
    // S2 is invalid only because #(Na, Nb) is not cited (FRESH would give it): the checker
    // compared (Nb, Na) with (Na, Nb) as the same tuple and asked for the freshness premise.
    expect(checkProof(s).steps[1]!.reason).toMatch(/#\((Na, Nb|Nb, Na)\)/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('2. why suggests only what could be true, real blocker first', () => {
  it('Kerberos without B |= #(Ts): the missing assumption four rule applications deep comes first', () => {
    const text = readFileSync('spec/classic/kerberos.ban', 'utf8').replace(/^ {2}A9: B \|= #\(Ts\)\n/m, '');
    const w = whyOf(spec(text), 'G2');
    expect(shown(w.suggestions)[0]).toBe('B |= #(Ts)');
    expect(w.blockers[0]).toMatch(/nothing in it is fresh to B/);
    // Nothing about what a peer said or believes is ever offered as an assumption.
    for (const s of w.suggestions.flat()) expect(['said', 'believes']).not.toContain(s.kind === 'believes' ? s.what.kind : '');
  });
  it('X.509: no public key offered as a shared key; the blocker is the signed ciphertext', () => {
    const w = whyOf(spec(readFileSync('spec/classic/x509.ban', 'utf8')), 'N1');
    const all = [...shown(w.suggestions), ...w.missing.map((m) => showTerm(m.formula))];
    expect(all.some((s) => /<-K[ab]->/.test(s))).toBe(false);
    expect(all.some((s) => / \|= A \|~ Ya$/.test(s) && shown(w.suggestions).includes(s))).toBe(false);
    expect(w.blockers[0]).toMatch(/A said Ya only inside a ciphertext/);
    expect(w.blockers.join('\n')).toMatch(/idealise it as \{Ya\}_inv\(Ka\) with B \|= ->Ka A/);
  });
  it('the paper pattern: <X>_{PK} is named as the blocker, with the signature form; no public key as a secret', () => {
    const s = spec(`protocol Pattern
principals P, HA
atoms
  pubkey PK_HA, PK_P
  nonce T_P, T_HA
  id ID_P
messages
  M1: P -> HA : <ID_P, T_P>_{PK_HA}
assumptions
  A1: HA |= #(T_HA)
  A2: HA |= P |=> ID_P
goals
  G1: HA |= P |= ID_P
  G2: HA |= P |~ ID_P
`);
    for (const l of ['G1', 'G2']) {
      const w = whyOf(s, l);
      expect(w.blockers[0], l).toMatch(/^HA sees ID_P only in <ID_P, T_P>_\{PK_HA\} from P: PK_HA is a public key/);
      expect(w.blockers[0], l).toMatch(/idealise it as \{ID_P, T_P\}_inv\(K\) with HA \|= ->K P/);
      const all = [...shown(w.suggestions), ...w.missing.map((m) => showTerm(m.formula))];
      expect(all.filter((x) => x.includes('<=PK_')), l).toEqual([]);
    }
  });
  it('a signature is asked for as {X}_inv(K) with the missing |= ->K Q', () => {
    const s = spec(`protocol Sig
principals A, B
atoms
  pubkey Ka
  nonce Na
messages
  M1: A -> B : Na
assumptions
  A1: B |= #(Na)
goals
  G1: B |= A |= Na
`);
    const w = whyOf(s, 'G1');
    const missing = w.missing.map((m) => `${showTerm(m.formula)} @ ${m.at}`);
    expect(missing).toContain('B |= ->_ A @ G1 ⇐ NV ⇐ MM-PK');
    expect(missing).toContain('B <| {Na}_{inv(_)} from _ @ G1 ⇐ NV ⇐ MM-PK');
  });
  it("a party's key with the server is not offered as its key with a peer", () => {
    const s = spec(`protocol Peer
principals A, B, S
atoms
  key Kas, Kbs, Kab
  nonce Nb
messages
  M1: A -> B : {Nb}_Kas
assumptions
  A1: A |= A <-Kas-> S
  A2: B |= B <-Kbs-> S
  A3: B |= #(Nb)
goals
  G1: B |= A |= Nb
`);
    const w = whyOf(s, 'G1');
    const all = [...shown(w.suggestions), ...w.missing.map((m) => showTerm(m.formula))];
    expect(all.some((x) => /<-Kas->/.test(x) && /B/.test(x))).toBe(false);
    expect(w.blockers[0]).toMatch(/cannot look inside it until it believes the key/);
  });
  it('names a reflected message as the blocker (R ≠ P)', () => {
    const s = spec(`protocol Reflect
principals A, B
atoms
  key Kab
  nonce Na
messages
  M1: A -> B : {Na}_Kab
  M2: B -> A : {Na}_Kab from A
assumptions
  A1: A |= A <-Kab-> B
  A2: A |= #(Na)
goals
  G1: A |= B |= Na
`);
    const w = whyOf(s, 'G1');
    expect(w.blockers).toHaveLength(1);
    expect(w.blockers[0]).toMatch(/which A built itself: .* R ≠ P.* reflected message/);
  });
  const sts = `protocol STS
principals A, B
atoms
  pubkey Ka, Kb
  nonce Xa, Xb
  function F0
messages
  M1: A -> B : Xa
  M2: B -> A : Xb, {{Xb, Xa}_inv(Kb)}_F0(Xa, Xb)
assumptions
  A1: A |= ->Kb B
  A2: A |= #(Xa)
goals
  G1: A |= B |= (Xb, Xa)
`;
  it('station-to-station: the real blocker is the ciphertext A cannot open, then a key belief as the suggestion', () => {
    const w = whyOf(spec(sts), 'G1');
    expect(w.blockers[0]).toMatch(/^A sees \{\{Xb, Xa\}_\{inv\(Kb\)\} from B\}_\{F0\(Xa, Xb\)\} from B but cannot look inside it until it believes the key/);
    expect(w.blockers[0]).toMatch(/options key-agreement/);
    expect(shown(w.suggestions)[0]).toBe('A |= B <-F0(Xa, Xb)-> A');
    // An agreed key is not offered as a public key.
    expect(shown(w.suggestions).some((x) => x.includes('->F0'))).toBe(false);
  });
  it("suggests 'options key-agreement' where it derives the goal", () => {
    const s = spec(sts.replace('  A2: A |= #(Xa)', '  A2: A |= #(Xa)\n  A3: A |= PK_delta(A, Xa)\n  A4: A |= PK_delta(B, Xb)'));
    expect(verdicts(s, { keyAgreement: true })).toEqual({ G1: true });
    const w = whyOf(s, 'G1');
    expect(w.blockers[0]).toMatch(/^the key-agreement extension is off: with 'options key-agreement'.* the goal is derived/);
    // ... and not where it would not help.
    expect(whyOf(spec(sts), 'G1').blockers.join('\n')).not.toMatch(/the goal is derived/);
  });
  it('every suggestion is verified and none is a said or peer-belief statement (NS shared key, EMR printed)', () => {
    for (const [f, labels] of [
      ['spec/classic/ns-shared-key.ban', ['N1', 'N2']],
      ['spec/emr-printed.ban', ['G1', 'G2', 'G8']],
    ] as const) {
      const s = loadSpec(f);
      for (const l of labels) {
        const g = analyse(s, { goals: [l] }).goals[0]!;
        for (const sug of g.whyNot!.suggestions) {
          for (const t of sug) expect(t.kind === 'believes' && ['said', 'believes'].includes(t.what.kind), `${f} ${l}`).toBe(false);
          const extended = { ...s, assumptions: [...s.assumptions, ...sug.map((formula, i) => ({ label: `X${i}`, formula, vars: [], notes: {}, pos: s.assumptions[0]!.pos }))] };
          expect(verdicts({ ...extended, goals: s.goals.filter((x) => x.label === l) })[l], `${f} ${l}`).toBe(true);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('3. warnings are shown in the text output', () => {
  const text = `protocol Warn
principals A, B
atoms
  key Kab
  pubkey Ka, PKB
  nonce Na
messages
  M1: A -> B : <Na>_{PKB}, {Na}_Ka
  M2: B -> A : {Na}_Kab
assumptions
  A1: B |= ->Ka A
  A2: A |= PK_delta(A, Kab)
  A3: A |= A <-Kab-> B
goals
  G1: A |= Na
proof
  S1: A <| Na   by seeing from M2
`;
  it('engine warnings: PK_delta without the option, encryption under the builder\'s own public key', () => {
    const codes = engineWarnings(spec(text)).map((d) => d.code);
    expect(codes).toEqual(['type.ka-without-option', 'type.pubkey-encryption-by-owner']);
    expect(engineWarnings(spec(text), { keyAgreement: true }).map((d) => d.code)).toEqual(['type.pubkey-encryption-by-owner']);
    expect(engineWarnings(spec(text))[1]!.message).toMatch(/did you mean the signature \{…\}_inv\(Ka\)/);
  });
  it('derive, check and why print every warning with its code, not just a count', async () => {
    const f = file('warn.ban', text);
    for (const argv of [['derive', f], ['check', f], ['why', f, 'G1']]) {
      const r = await cli(...argv);
      for (const code of ['type.pubkey-as-secret', 'type.bare-term-belief', 'type.ka-without-option', 'type.pubkey-encryption-by-owner']) {
        expect(r.out, `${argv[0]} ${code}`).toContain(`(${code})`);
      }
      expect(r.out, argv[0]).toMatch(/warn\.ban:\d+:\d+: warning: /);
    }
    const j = await cli('derive', f, '--json');
    const json = JSON.parse(j.out) as { warnings: number; warningList: { code: string }[] };
    expect(json.warnings).toBe(json.warningList.length);
    expect(json.warningList.map((w) => w.code)).toContain('type.ka-without-option');
  });
});

// ---------------------------------------------------------------------------------------------
describe('4. the idealisation audit', () => {
  const ds = `protocol Denning-Sacco-PK
principals A, B
atoms
  pubkey Ka, Kb
  key Kab
  timestamp Ta
messages
  M3: A -> B : {A <-Kab-> B, Ta}_inv(Ka)   [concrete: ds.3]
assumptions
  A1: B |= ->Ka A
  A2: B |= #(Ta)
  A3: B |= A |=> A <-?K-> B
goals
  G1: B |= A <-Kab-> B
flow
  phase ds "Denning-Sacco public-key key distribution"
    ds.3: A -> B : (Cert_A: signature, C: ciphertext)
      A computes Sig = S_SKa(Kab, Ta)
      A computes C = E_Kb(Sig)
      B computes Sig = D_SKb(C)
      B checks   (Kab, Ta) =? V_Ka(Sig)
`;
  it('warns when an idealised A <-Kab-> B comes from a concrete message that never names B (Denning–Sacco)', () => {
    const s = spec(ds);
    expect(verdicts(s)).toEqual({ G1: true }); // the logic is happy; the audit is not
    const f = auditIdealisation(s).filter((x) => x.kind === 'principal-unnamed');
    expect(f.map((x) => [x.message, x.subject])).toEqual([['M3', 'A <-Kab-> B']]);
    expect(f[0]!.detail).toMatch(/names B, but no field or computation of ds\.3 names B/);
    // Naming B inside the signed part (the Abadi–Needham repair) silences it; B being the
    // receiver, or the key of E_Kb(…) outside the signature, does not count as naming B.
    const fixed = spec(ds.replace('S_SKa(Kab, Ta)', 'S_SKa(A, B, Kab, Ta)'));
    expect(auditIdealisation(fixed).filter((x) => x.kind === 'principal-unnamed')).toEqual([]);
  });
  it('an atom the spec ties to the principal names it (->K Q, PK_delta, user predicates)', () => {
    const s = spec(ds.replace('S_SKa(Kab, Ta)', 'S_SKa(ID_B, Kab, Ta)').replace('  timestamp Ta', '  timestamp Ta\n  id ID_B\n  predicate IdOf').replace('  A2: B |= #(Ta)', '  A2: B |= #(Ta)\n  A4: B |= IdOf(B, ID_B)'));
    expect(auditIdealisation(s).filter((x) => x.kind === 'principal-unnamed')).toEqual([]);
  });
  it('does not flag a key the flow uses through V_K(…)', () => {
    const f = auditIdealisation(spec(ds)).filter((x) => x.kind === 'unsupported-atom');
    expect(f.map((x) => x.subject)).not.toContain('Ka');
  });
  it('runs in the text output of derive', async () => {
    const r = await cli('derive', file('ds.ban', ds));
    expect(r.out).toMatch(/idealisation audit \(idealisation is outside the logic\): 1 warning/);
    expect(r.out).toContain('[warning] M3 principal-unnamed');
    const plain = await cli('derive', 'spec/classic/kerberos.ban');
    expect(plain.out).toContain('idealisation audit: not run');
  });
});

// ---------------------------------------------------------------------------------------------
describe('5. check gives the right reason', () => {
  const s = spec(`protocol MMFresh
principals P, Q
atoms
  pubkey PK_Q
  secret Y
  nonce N, T
messages
  M1: P -> Q : <N>_{PK_Q}
  M2: P -> Q : <N>_Y
assumptions
  A1: Q |= #(T)
  A2: Q |= #(N)
  A3: Q |= P <=Y=> Q
proof
  S1: Q |~ N   by seeing from M1
  S2: Q |= P |~ N   by message meaning from M1, A1
  S3: Q |= P |~ N   by message meaning from M2, A2
  S4: Q |= P |~ N   by message meaning from M2, A3
`.replace('  S1: Q |~ N   by seeing from M1\n', ''));
  it('message meaning "from freshness" is rejected because message meaning takes no freshness premise', () => {
    const c = checkProof(s);
    const [s2, s3, s4] = c.steps;
    expect(s2!.valid).toBe(false);
    expect(s2!.reason).toMatch(/^message meaning takes no freshness premise: A1 \(Q \|= #\(T\)\) is a freshness belief/);
    expect(s3!.reason).toMatch(/^message meaning takes no freshness premise: A2/);
    // Never the public key as the missing secret.
    expect(`${s2!.reason} ${s3!.reason}`).not.toMatch(/<=PK_Q=>/);
    // With the secret belief cited, message meaning is valid.
    expect(s4!.valid).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('6. notation gaps', () => {
  const base = `protocol Gaps
principals A, B, S
atoms
  key Kab, Kbs
  timestamp Ta
  id ID_A
  function H
  predicate IdOf
messages
  M1: A -> B : {Ta, IdOf(A, ID_A), H(Ta)}_Kab
  M2: B -> A : {Ta + 1}_Kab
assumptions
  A1: B |= A <-Kab-> B
  A2: B |= #(Ta)
  A3: B |= A |=> IdOf(A, ID_A)
  A4: A |= A <-Kab-> B
  A5: A |= #(Ta)
goals
  G1: B |= IdOf(A, ID_A)
  G2: B |= #(H(Ta))
  G3: A |= B |~ Ta
`;
  it('Na + 1 is parsed as Na with a notation.arithmetic warning; arithmetic on two terms is an error with a hint', () => {
    const s = spec(base);
    expect(showTerm(s.messages[1]!.body)).toBe('{Ta}_Kab from B');
    expect(s.diagnostics.map((d) => d.code)).toContain('notation.arithmetic');
    expect(verdicts(s).G3).toBe(true);
    expect(showTerm(spec(base.replace('Ta + 1', 'Ta - 1')).messages[1]!.body)).toBe('{Ta}_Kab from B');
    expect(() => spec(base.replace('Ta + 1', 'Ta + Kab'))).toThrow(/arithmetic '\+' on two terms has no BAN reading; idealise it/);
  });
  it("a schematic K written without '?' gets a hint about ?K, not a did-you-mean", () => {
    try {
      spec(base.replace('A3: B |= A |=> IdOf(A, ID_A)', 'A3: B |= S |=> A <-K-> B'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      const d = (e as UserError).diagnostics[0]!;
      expect(d.code).toBe('name.undeclared');
      expect(d.message).toBe("undeclared name 'K'; a schematic variable (any value) is written '?K'");
    }
    expect(() => spec(base.replace('G3: A |= B |~ Ta', 'G3: B |= A <-K-> B'))).toThrow(/schematic variables \('\?K'\) are allowed in assumptions only/);
  });
  it('freshness of a hash of a fresh value needs no key-agreement option (FRESH-F is core)', () => {
    const s = spec(base);
    expect(s.options.keyAgreement).toBe(false);
    const a = analyse(s, { goals: ['G2'] });
    expect(a.goals[0]!.derived).toBe(true);
    expect(a.goals[0]!.proof!.rule).toBe('FRESH-F');
    expect(a.ruleSet).toContain('FRESH-F');
  });
  it('user predicates make identity goals statements: no bare-term warning, jurisdiction applies', () => {
    const s = spec(base);
    expect(s.diagnostics.filter((d) => d.code.startsWith('type.bare-term'))).toEqual([]);
    const g1 = analyse(s, { goals: ['G1'] }).goals[0]!;
    expect(g1.derived).toBe(true);
    expect(g1.proof!.rule).toBe('JUR');
    expect(g1.notes).toBeUndefined();
    expect(showTerm(believes(atom('B'), { kind: 'pred', name: 'IdOf', args: [atom('A'), atom('ID_A')] }), 'latex')).toBe('B \\mid\\equiv \\mathit{IdOf}(A, ID_{A})');
    // A predicate is applied, never used bare.
    expect(() => spec(base.replace('G2: B |= #(H(Ta))', 'G2: B |= #(IdOf)'))).toThrow(/'IdOf' is a predicate; apply it/);
  });
  it('a said fact about a predicate is an ordinary statement', () => {
    const t = said(atom('A'), { kind: 'pred', name: 'IdOf', args: [atom('A'), atom('ID_A')] });
    expect(termKey(t)).not.toBe(termKey(said(atom('A'), { kind: 'app', fn: 'IdOf', args: [atom('A'), atom('ID_A')] })));
    expect(termKey(fresh(sharedKey(atom('A'), atom('K'), atom('B'))))).toBe(termKey(fresh(sharedKey(atom('B'), atom('K'), atom('A')))));
  });
});
