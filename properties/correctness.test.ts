/**
 * Correctness properties of the EMR protocol (Chen et al. 2020) on every crypto suite, over random
 * scalars, identities and messages: registration checks (5)(9)(13), the key equalities of §4.2
 * (K_PA1 = K_AP1, K_PA2 = K_AP2 and the BP / AB counterparts), equal SEKs on both sides, CHK values
 * that verify, AEAD and signature round trips, and the codec round trip for every message type.
 *
 * Bounded testing: each property runs a small number of random cases (RUNS) from a printed seed;
 * `bantam props` runs the same properties longer. Failures print fast-check's seed and path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSuite, seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import type { CryptoSuite, Point } from '../src/crypto/suite.js';
import { decodeMessage, encodeMessage, type AnyMessage } from '../src/net/codec.js';
import { MESSAGE_SCHEMAS, STEP_IDS, type StepId } from '../src/net/messages.js';
import * as E from '../src/model/equations.js';
import type { EqCtx } from '../src/model/equations.js';
import { addParty, createSystem, runUntilQuiet, sessionKeyOf, startInitial, startInter, startRegistration } from '../src/model/index.js';
import { bytesEq } from '../src/model/records.js';
import { propParams, propSeed } from './seed.js';

const RUNS = 12;
const SEED = propSeed('correctness');
const params = (runs = RUNS) => propParams(SEED, runs);

/** Identities as the codec accepts them: 1..64 of [A-Za-z0-9._:-]. */
const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,24}$/);

function ctx(cs: CryptoSuite, PK: Point, seed: number): EqCtx {
  return { suite: cs, PK, rng: seededRng(`correctness/${seed}`), party: 'T', phase: 'initial', session: 't', events: [] };
}

function scalarArb(cs: CryptoSuite): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: 1n, max: cs.order - 1n });
}

/** A center (s, PK) and a party registered by it: (R, S, PK_X) via eqs. (2)–(4). */
function register(C: EqCtx, id: string, s: bigint) {
  const { r, R } = E.eq2_R_PAT(C);
  const S = E.eq4_S_PAT(C, r, E.eq3_h_PAT(C, id, R), s);
  return { R, S, PK: C.suite.mulG(S) };
}

describe.each(SUITE_NAMES)('correctness on %s', (name) => {
  const cs = getSuite(name);

  it('registration checks (5), (9), (13) hold for every issued key and fail for a wrong S_X', () => {
    fc.assert(
      fc.property(scalarArb(cs), idArb, fc.integer(), (s, id, seed) => {
        const PK = cs.mulG(s);
        const C = ctx(cs, PK, seed);
        const x = register(C, id, s);
        expect(E.eq5_checkPatient(C, id, x.R, x.S).ok).toBe(true);
        expect(E.eq9_checkHospitalA(C, id, x.R, x.S).ok).toBe(true);
        expect(E.eq13_checkHospitalB(C, id, x.R, x.S).ok).toBe(true);
        expect(E.eq5_checkPatient(C, id, x.R, cs.addMod(x.S, 1n)).ok).toBe(false);
        expect(E.eq5_checkPatient(C, `${id}x`, x.R, x.S).ok).toBe(false);
        // The public derivation (16) gives the same key the party holds.
        expect(cs.equals(E.eq16_PK_PAT(C, id, x.R), x.PK)).toBe(true);
      }),
      params(),
    );
  });

  it('§4.2: K_PA1 = K_AP1, K_PA2 = K_AP2, K_PB* = K_BP*, K_BA* = K_AB*; both sides derive the same SEK and CHKs verify', () => {
    fc.assert(
      fc.property(scalarArb(cs), idArb, idArb, fc.integer(), (s, idP, idH, seed) => {
        fc.pre(idP !== idH);
        const PK = cs.mulG(s);
        const C = ctx(cs, PK, seed);
        const P = register(C, idP, s);
        const H = register(C, idH, s);
        const { x: a, T: T_PAT } = E.eq14_T_PAT(C);
        const { x: b, T: T_HPA } = E.eq15_T_HPA(C);
        // hospital side (17)-(20)
        const PK_PAT = E.eq16_PK_PAT(C, idP, P.R);
        const K_AP1 = E.eq17_K_AP1(C, H.S, T_PAT, b, PK_PAT);
        const K_AP2 = E.eq18_K_AP2(C, b, T_PAT);
        const SEK_H = E.eq19_SEK_AP(C, K_AP1, K_AP2);
        const CHK_PA = E.eq20_CHK_PA(C, SEK_H, T_PAT);
        // patient side (21)-(25), (27)-(28)
        const PK_HPA = E.eq21_PK_HPA(C, idH, H.R);
        const K_PA1 = E.eq22_K_PA1(C, P.S, T_HPA, a, PK_HPA);
        const K_PA2 = E.eq23_K_PA2(C, a, T_HPA);
        const SEK_P = E.eq24_SEK_AP(C, K_PA1, K_PA2);
        expect(cs.equals(K_PA1, K_AP1)).toBe(true);
        expect(cs.equals(K_PA2, K_AP2)).toBe(true);
        expect(bytesEq(SEK_P, SEK_H)).toBe(true);
        expect(E.eq25_checkCHK_PA(C, CHK_PA, SEK_P, T_PAT)).toBe(true);
        expect(E.eq28_checkCHK_AP(C, E.eq27_CHK_AP(C, SEK_P, T_HPA), SEK_H, T_HPA)).toBe(true);
        // the same shapes for B–P (37)/(42) and A–B (53)/(58)
        const K_BP1 = E.eq37_K_BP1(C, H.S, T_PAT, b, PK_PAT);
        const K_PB1 = E.eq42_K_PB1(C, P.S, T_HPA, a, PK_HPA);
        expect(cs.equals(K_BP1, K_PB1)).toBe(true);
        expect(cs.equals(E.eq38_K_BP2(C, b, T_PAT), E.eq43_K_PB2(C, a, T_HPA))).toBe(true);
        const K_AB1 = E.eq53_K_AB1(C, P.S, T_HPA, a, E.eq52_PK_HPB(C, idH, H.R));
        const K_BA1 = E.eq58_K_BA1(C, H.S, T_PAT, b, E.eq57_PK_HPA(C, idP, P.R));
        expect(cs.equals(K_AB1, K_BA1)).toBe(true);
        expect(bytesEq(E.eq55_SEK_AB(C, K_AB1, E.eq54_K_AB2(C, a, T_HPA)), E.eq60_SEK_AB(C, K_BA1, E.eq59_K_BA2(C, b, T_PAT)))).toBe(true);
        // a wrong CHK never verifies
        const bad = CHK_PA.slice();
        bad[0]! ^= 1;
        expect(E.eq25_checkCHK_PA(C, bad, SEK_P, T_PAT)).toBe(false);
      }),
      params(),
    );
  });

  it('AEAD round-trips and rejects a flipped bit or another key; signatures verify only under the signer key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), scalarArb(cs), scalarArb(cs), fc.nat(), (msg, key, sk, other, bit) => {
        fc.pre(sk !== other);
        const rng = seededRng(`aead/${bit}`);
        const aad = E.aadFor('initial.3');
        const ct = cs.encrypt(key, msg, rng, aad);
        expect(bytesEq(cs.decrypt(key, ct, aad)!, msg)).toBe(true);
        const flipped = ct.slice();
        flipped[bit % flipped.length]! ^= 1 << (bit % 8);
        expect(cs.decrypt(key, flipped, aad)).toBeNull();
        expect(cs.decrypt(key, ct, E.aadFor('initial.4'))).toBeNull();
        const k2 = key.slice();
        k2[0]! ^= 1;
        expect(cs.decrypt(k2, ct, aad)).toBeNull();
        const sig = cs.sign(sk, msg, rng);
        expect(cs.verify(cs.mulG(sk), msg, sig)).toBe(true);
        expect(cs.verify(cs.mulG(other), msg, sig)).toBe(false);
      }),
      params(8),
    );
  });

  it('encode/decode round-trips every message type of MESSAGE_SCHEMAS', () => {
    const fieldArb = (t: string): fc.Arbitrary<unknown> => {
      switch (t) {
        case 'id':
          return idArb;
        case 'point':
          return scalarArb(cs).map((k) => cs.mulG(k));
        case 'scalar':
          return scalarArb(cs);
        case 'check':
          return fc.uint8Array({ minLength: cs.sizes.h3, maxLength: cs.sizes.h3 });
        case 'signature':
          return fc.uint8Array({ minLength: cs.sizes.signature, maxLength: cs.sizes.signature });
        case 'ciphertext':
          return fc.uint8Array({ minLength: cs.sizes.aeadOverhead, maxLength: cs.sizes.aeadOverhead + 200 });
        default:
          return fc.uint8Array({ maxLength: 200 });
      }
    };
    const messageArb = fc.constantFrom(...STEP_IDS).chain((step: StepId) =>
      fc.record(Object.fromEntries(MESSAGE_SCHEMAS[step].fields.map((f) => [f.name, fieldArb(f.type)]))).map((fields) => ({ step, fields }) as unknown as AnyMessage),
    );
    fc.assert(
      fc.property(messageArb, (m) => {
        const { bytes } = encodeMessage(cs, m);
        const d = decodeMessage(cs, bytes, { expect: m.step });
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        const again = encodeMessage(cs, d.message).bytes;
        expect(bytesEq(again, bytes)).toBe(true);
        for (const f of MESSAGE_SCHEMAS[m.step].fields) {
          const x = (m.fields as Record<string, unknown>)[f.name];
          const y = (d.message.fields as Record<string, unknown>)[f.name];
          if (f.type === 'point') expect(cs.equals(x as Point, y as Point)).toBe(true);
          else if (x instanceof Uint8Array) expect(bytesEq(x, y as Uint8Array)).toBe(true);
          else expect(y).toBe(x);
        }
      }),
      params(3 * STEP_IDS.length),
    );
  });
});

describe('whole protocol over the network', () => {
  it('random ids and seeds: every phase completes and both sides hold equal SEK_AP, SEK_BP, SEK_AB', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUITE_NAMES), fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), fc.integer(), (suite, [p, a, b], seed) => {
        fc.pre(![p, a, b].includes('CENTER'));
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        addParty(sys, b!, 'hospital', { slot: 'B' });
        // each phase must complete: a delivery that does not is named by its step, receiver and outcome
        const complete = (phase: string) => {
          const bad = runUntilQuiet(sys).filter((r) => r.kind !== 'ok');
          expect(bad.map((r) => `${r.envelope.step} to ${r.envelope.to}: ${r.kind === 'aborted' ? `aborted by '${r.abort.check}'` : r.kind === 'rejected' ? JSON.stringify(r.rejection) : 'ok'}`), `the ${phase} phase did not complete`).toEqual([]);
        };
        for (const id of [p!, a!, b!]) startRegistration(sys, id);
        complete('registration');
        const i = startInitial(sys, p!, a!);
        complete('initial');
        expect(bytesEq(sessionKeyOf(sys, p!, i.session)!, sessionKeyOf(sys, a!, i.session)!), 'SEK_AP differs between the patient and hospital A (eqs. (19), (24))').toBe(true);
        const j = startInter(sys, p!, b!);
        complete('inter');
        expect(bytesEq(sessionKeyOf(sys, p!, j.session)!, sessionKeyOf(sys, b!, j.session)!), 'SEK_BP differs between the patient and hospital B (eqs. (39), (44))').toBe(true);
        const hb = sys.parties.get(b!)!.sessions.get(j.session);
        const sub = hb?.kind === 'hb-patient' ? hb.sub! : '';
        expect(bytesEq(sessionKeyOf(sys, b!, sub)!, sessionKeyOf(sys, a!, sub)!), 'SEK_AB differs between hospitals B and A (eqs. (55), (60))').toBe(true);
        expect(sys.parties.get(p!)!.store.reports.length).toBe(2);
      }),
      params(4),
    );
  });
});
