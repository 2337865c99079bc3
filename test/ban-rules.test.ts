/**
 * Each engine rule fires on a minimal spec (positive), each non-rule of the reference does not
 * (negative), and the side conditions hold: R ≠ P, cleartext-only NV, no message meaning from
 * public-key encryption. Every assertion compares a computed verdict with the rule's statement.
 */
import { describe, expect, it } from 'vitest';
import { analyse, NON_RULES, RULES } from '../src/ban/index.js';
import { specOf, type SpecInput } from '../src/ban/build.js';
import { saturateSpec } from '../src/ban/saturate.js';
import { proofOfGoal } from '../src/ban/proof.js';
import {
  app,
  atom,
  believes,
  comb,
  controls,
  enc,
  fresh,
  inv,
  kaKey,
  pubKey,
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
const X = atom('X');
const Y = atom('Y');
const N = atom('N');
const Kp = atom('Kp');
const Kq = atom('Kq');

let n = 0;
/** Does `goal` follow from the given messages and assumptions? Also returns the rule at the root. */
function derive(input: Omit<SpecInput, 'goals'>, goal: Term): { derived: boolean; rule?: string } {
  const spec = specOf({ principals: ['P', 'Q', 'S'], ...input, goals: [{ label: 'G', formula: goal }] });
  const st = saturateSpec(spec);
  const p = proofOfGoal(st, goal);
  n++;
  return p ? { derived: true, rule: p.rule } : { derived: false };
}
let a = 0;
const A = (formula: Term, label = `A${++a}`) => ({ label, formula });
const M = (from: string, to: string, body: Term, label = 'M1') => ({ label, from, to, body });

describe('BAN rules fire on minimal specs (positive)', () => {
  it('MM-SK: P |= Q <-K-> P, P <| {X}_K from Q ⟹ P |= Q |~ X', () => {
    const r = derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, sharedKey(Q, K, P)))] }, believes(P, said(Q, X)));
    expect(r).toEqual({ derived: true, rule: 'MM-SK' });
  });
  it('MM-PK: P |= ->K Q, P <| {X}_inv(K) ⟹ P |= Q |~ X', () => {
    const r = derive({ messages: [M('Q', 'P', enc(X, inv(K)))], assumptions: [A(believes(P, pubKey(K, Q)))] }, believes(P, said(Q, X)));
    expect(r).toEqual({ derived: true, rule: 'MM-PK' });
  });
  it('MM-SS: P |= Q <=Y=> P, P <| <X>_Y ⟹ P |= Q |~ X', () => {
    const r = derive({ messages: [M('Q', 'P', comb(X, Y))], assumptions: [A(believes(P, secret(Q, Y, P)))] }, believes(P, said(Q, X)));
    expect(r).toEqual({ derived: true, rule: 'MM-SS' });
  });
  it('NV: P |= #(X), P |= Q |~ X ⟹ P |= Q |= X', () => {
    const r = derive({ assumptions: [A(believes(P, fresh(X))), A(believes(P, said(Q, X)))] }, believes(P, believes(Q, X)));
    expect(r).toEqual({ derived: true, rule: 'NV' });
  });
  it('JUR: P |= Q |=> X, P |= Q |= X ⟹ P |= X', () => {
    const goal = believes(P, sharedKey(P, K, Q));
    const r = derive({ assumptions: [A(believes(P, controls(Q, sharedKey(P, K, Q)))), A(believes(P, believes(Q, sharedKey(P, K, Q))))] }, goal);
    expect(r).toEqual({ derived: true, rule: 'JUR' });
  });
  it('BEL-I builds a tuple that occurs in a goal', () => {
    const r = derive({ assumptions: [A(believes(P, fresh(X))), A(believes(P, fresh(Y)))] }, believes(P, tuple(fresh(X), fresh(Y))));
    expect(r).toEqual({ derived: true, rule: 'BEL-I' });
  });
  it('BEL-E, BELBEL-E, SAID-E take components', () => {
    expect(derive({ assumptions: [A(believes(P, tuple(fresh(X), fresh(Y))))] }, believes(P, fresh(Y)))).toEqual({ derived: true, rule: 'BEL-E' });
    expect(derive({ assumptions: [A(believes(P, believes(Q, tuple(X, Y))))] }, believes(P, believes(Q, Y)))).toEqual({ derived: true, rule: 'BELBEL-E' });
    expect(derive({ assumptions: [A(believes(P, said(Q, tuple(X, Y))))] }, believes(P, said(Q, X)))).toEqual({ derived: true, rule: 'SAID-E' });
  });
  it('seeing: tuple, combined, shared-key decryption, own public key, signature with a known key', () => {
    expect(derive({ messages: [M('Q', 'P', tuple(X, Y))] }, sees(P, Y))).toEqual({ derived: true, rule: 'SEE-TUPLE' });
    expect(derive({ messages: [M('Q', 'P', comb(X, Y))] }, sees(P, X))).toEqual({ derived: true, rule: 'SEE-COMB' });
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, sees(P, X))).toEqual({ derived: true, rule: 'SEE-SK' });
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, pubKey(K, P)))] }, sees(P, X))).toEqual({ derived: true, rule: 'SEE-OWNPK' });
    expect(derive({ messages: [M('Q', 'P', enc(X, inv(K)))], assumptions: [A(believes(P, pubKey(K, Q)))] }, sees(P, X))).toEqual({ derived: true, rule: 'SEE-SIG' });
  });
  it('FRESH: P |= #(X) ⟹ P |= #(X, Y) for a tuple in the spec', () => {
    expect(derive({ assumptions: [A(believes(P, fresh(X)))] }, believes(P, fresh(tuple(Y, X))))).toEqual({ derived: true, rule: 'FRESH' });
  });
  it('symmetry of <-K-> and <=X=> at any belief depth', () => {
    const kr = derive({ assumptions: [A(believes(P, believes(Q, sharedKey(P, K, Q))))] }, believes(P, believes(Q, sharedKey(Q, K, P))));
    expect(kr).toEqual({ derived: true, rule: 'SYM-SK' });
    const sr = derive({ assumptions: [A(believes(P, secret(P, Y, Q)))] }, believes(P, secret(Q, Y, P)));
    expect(sr).toEqual({ derived: true, rule: 'SYM-SS' });
    // and MM-SK uses the key belief in either orientation
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, believes(P, said(Q, X))).derived).toBe(true);
  });
  it('schematic assumptions are matched when a rule fires (A |= S |=> A <-?K-> B)', () => {
    const kab = sharedKey(P, K, Q);
    const r = derive(
      {
        messages: [M('S', 'P', enc(tuple(N, kab), atom('Kps')))],
        assumptions: [A(believes(P, sharedKey(P, atom('Kps'), S))), A(believes(P, controls(S, sharedKey(P, v('K'), Q))), 'J1'), A(believes(P, fresh(N)))],
      },
      believes(P, kab),
    );
    expect(r).toEqual({ derived: true, rule: 'JUR' });
    // the instance is reported with its binding
    const spec = specOf({
      principals: ['P', 'Q', 'S'],
      messages: [M('S', 'P', enc(tuple(N, kab), atom('Kps')))],
      assumptions: [A(believes(P, sharedKey(P, atom('Kps'), S)), 'A1'), A(believes(P, controls(S, sharedKey(P, v('K'), Q))), 'J1'), A(believes(P, fresh(N)), 'A2')],
      goals: [{ label: 'G', formula: believes(P, kab) }],
    });
    const jur = analyse(spec).goals[0]!.proof!;
    expect(jur.premises[0]!.rule).toBe('instance');
    expect(jur.premises[0]!.source).toBe('J1 [?K := K]');
  });
  it('a schematic variable does not match a different principal', () => {
    const r = derive(
      { assumptions: [A(believes(P, controls(S, sharedKey(P, v('K'), Q)))), A(believes(P, believes(S, sharedKey(P, K, S))))] },
      believes(P, sharedKey(P, K, S)),
    );
    expect(r.derived).toBe(false);
  });
});

describe('key-agreement extension (van Oorschot 1993 / SVO 1994), only when switched on', () => {
  const F = app('F0', Kp, Kq);
  const base = {
    assumptions: [A(believes(P, kaKey(P, Kp))), A(believes(P, kaKey(Q, Kq))), A(believes(P, fresh(Kp)))],
  };
  it('KA: P |= PK_delta(P,Kp), P |= PK_delta(Q,Kq) ⟹ P |= P <-F0(Kp,Kq)-> Q', () => {
    expect(derive({ ...base, keyAgreement: true }, believes(P, sharedKey(P, F, Q)))).toEqual({ derived: true, rule: 'KA' });
    expect(derive({ ...base, keyAgreement: false }, believes(P, sharedKey(P, F, Q))).derived).toBe(false);
  });
  it('KA treats F0 as commutative: Q, owning Kq, derives the key written F0(Kp, Kq)', () => {
    const assumptions = [A(believes(Q, kaKey(Q, Kq))), A(believes(Q, kaKey(P, Kp)))];
    expect(derive({ assumptions, keyAgreement: true }, believes(Q, sharedKey(Q, F, P)))).toEqual({ derived: true, rule: 'KA' });
    // written the other way round, the proof adds a symmetry step
    expect(derive({ assumptions, keyAgreement: true }, believes(Q, sharedKey(P, F, Q)))).toEqual({ derived: true, rule: 'SYM-SK' });
    // but not from two keys of the same owner, nor without its own key
    expect(derive({ assumptions: [A(believes(Q, kaKey(P, Kp))), A(believes(Q, kaKey(P, Kq)))], keyAgreement: true }, believes(Q, sharedKey(P, F, Q))).derived).toBe(false);
  });
  it('KA-FRESH: freshness of F0(...) from a fresh input', () => {
    expect(derive({ ...base, keyAgreement: true }, believes(P, fresh(F)))).toEqual({ derived: true, rule: 'KA-FRESH' });
    expect(derive({ ...base, keyAgreement: false }, believes(P, fresh(F))).derived).toBe(false);
  });
  it('KA-CONF: a MAC under the agreed key over a value P knows fresh confirms the key', () => {
    const goal = believes(P, believes(Q, sharedKey(P, F, Q)));
    const msg = M('Q', 'P', comb(tuple(N, X), F));
    const assumptions = [...base.assumptions, A(believes(P, fresh(N)))];
    expect(derive({ messages: [msg], assumptions, keyAgreement: true }, goal)).toEqual({ derived: true, rule: 'KA-CONF' });
    // reflected MAC (built by P) confirms nothing
    expect(derive({ messages: [M('Q', 'P', comb(tuple(N, X), F, P))], assumptions, keyAgreement: true }, goal).derived).toBe(false);
    // a MAC over a value P does not know fresh confirms nothing
    expect(derive({ messages: [msg], assumptions: base.assumptions.slice(0, 2), keyAgreement: true }, goal).derived).toBe(false);
  });
});

describe('non-rules are not derivable (negative)', () => {
  it('lists every non-rule of the reference', () => {
    expect(NON_RULES.map((r) => r.id)).toEqual([
      'no-fresh-decomposition',
      'no-said-composition',
      'no-said-to-belief',
      'no-belief-without-jurisdiction',
      'no-mm-public-encryption',
      'no-mm-freshness',
      'no-key-to-peer-belief',
      'no-key-secret-conversion',
      'no-reflection',
    ]);
  });
  it('#(X, Y) does not give #(X)', () => {
    expect(derive({ assumptions: [A(believes(P, fresh(tuple(X, Y))))] }, believes(P, fresh(X))).derived).toBe(false);
  });
  it('said does not compose', () => {
    expect(derive({ assumptions: [A(believes(P, said(Q, X))), A(believes(P, said(Q, Y)))] }, believes(P, said(Q, tuple(X, Y)))).derived).toBe(false);
  });
  it('said does not become belief without freshness', () => {
    expect(derive({ assumptions: [A(believes(P, said(Q, X)))] }, believes(P, believes(Q, X))).derived).toBe(false);
  });
  it("Q's belief does not become P's without jurisdiction", () => {
    expect(derive({ assumptions: [A(believes(P, believes(Q, sharedKey(P, K, Q))))] }, believes(P, sharedKey(P, K, Q))).derived).toBe(false);
  });
  it('encryption under a public key authenticates nothing (MM with public-key encryption gives nothing)', () => {
    const r = derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, pubKey(K, Q)))] }, believes(P, said(Q, X)));
    expect(r.derived).toBe(false);
    // even if P owns K and can read it
    const r2 = derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, pubKey(K, P)))] }, believes(P, said(Q, X)));
    expect(r2.derived).toBe(false);
  });
  it('freshness is no substitute for a key in message meaning', () => {
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, fresh(X)))] }, believes(P, said(Q, X))).derived).toBe(false);
  });
  it('a key belief alone gives no belief about the peer', () => {
    expect(derive({ assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, believes(P, believes(Q, sharedKey(P, K, Q)))).derived).toBe(false);
    // nor does it with the key-agreement extension switched on (KA-CONF needs a fresh MAC)
    expect(derive({ keyAgreement: true, assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, believes(P, believes(Q, sharedKey(P, K, Q)))).derived).toBe(false);
  });
  it('keys and secrets do not convert', () => {
    expect(derive({ assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, believes(P, secret(P, K, Q))).derived).toBe(false);
    expect(derive({ assumptions: [A(believes(P, secret(P, K, Q)))] }, believes(P, sharedKey(P, K, Q))).derived).toBe(false);
    // and a secret does not open a ciphertext as a key would
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, secret(P, K, Q)))] }, believes(P, said(Q, X))).derived).toBe(false);
  });
});

describe('side conditions', () => {
  it('R ≠ P: reflection of P’s own ciphertext does not authenticate (MM-SK), and does not decrypt (SEE-SK)', () => {
    const input = { messages: [M('Q', 'P', enc(X, K, P))], assumptions: [A(believes(P, sharedKey(P, K, Q)))] };
    expect(derive(input, believes(P, said(Q, X))).derived).toBe(false);
    expect(derive(input, sees(P, X)).derived).toBe(false);
    // the same message built by Q does
    expect(derive({ ...input, messages: [M('Q', 'P', enc(X, K, Q))] }, believes(P, said(Q, X))).derived).toBe(true);
  });
  it('R ≠ P also for combined messages (MM-SS) and signatures (MM-PK)', () => {
    expect(derive({ messages: [M('Q', 'P', comb(X, Y, P))], assumptions: [A(believes(P, secret(P, Y, Q)))] }, believes(P, said(Q, X))).derived).toBe(false);
    expect(derive({ messages: [M('Q', 'P', enc(X, inv(K), P))], assumptions: [A(believes(P, pubKey(K, Q)))] }, believes(P, said(Q, X))).derived).toBe(false);
  });
  it('the builder defaults to the sender: a message P receives from Q was built by Q', () => {
    expect(derive({ messages: [M('Q', 'P', enc(X, K))], assumptions: [A(believes(P, sharedKey(P, K, Q)))] }, believes(P, said(Q, X))).derived).toBe(true);
  });
  it('NV only on cleartext: an encrypted X is not verified, its cleartext part is', () => {
    const c = enc(Y, atom('Kqs'), S);
    const input = { assumptions: [A(believes(P, fresh(tuple(N, c)))), A(believes(P, fresh(N))), A(believes(P, said(Q, tuple(N, c))))] };
    expect(derive(input, believes(P, believes(Q, tuple(N, c)))).derived).toBe(false);
    expect(derive(input, believes(P, believes(Q, N)))).toEqual({ derived: true, rule: 'NV' });
    expect(derive({ assumptions: [A(believes(P, fresh(c))), A(believes(P, said(Q, c)))] }, believes(P, believes(Q, c))).derived).toBe(false);
  });
  it('NV on the cleartext projection: SAID-E strips the ciphertext, FRESH extends the nonce', () => {
    const kab = sharedKey(P, K, Q);
    const input = { assumptions: [A(believes(P, said(S, tuple(N, kab, enc(kab, atom('Kqs'), S))))), A(believes(P, fresh(N)))] };
    expect(derive(input, believes(P, believes(S, kab)))).toEqual({ derived: true, rule: 'BELBEL-E' });
  });
  it('growing rules only build terms of the spec: no FRESH for tuples nobody mentions', () => {
    const spec = specOf({ principals: ['P'], assumptions: [A(believes(P, fresh(X)))] });
    const st = saturateSpec(spec);
    expect([...st.facts.keys()]).toEqual(['[P|=#(X)]']);
  });
});

describe('rule records', () => {
  it('every rule has a source and the rule ids are unique', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(r.source).toMatch(/\[(BAN89|vO93|SVO94)\]/);
  });
});
