/**
 * The center's master key s compromised (§3.2, eq. (1)): the attacker issues itself credentials for a
 * REGISTERED hospital id with a fresh R (eqs. (6)–(8) with its own r), so S'·P = R' + H1(ID_HPA, R')·PK
 * holds and the patient's check (25) passes on the attacker's initial.2. The only thing that tells the
 * patient apart is the ledger: hachk must find that R' is not the R registered for that id, and the
 * patient's session must abort without a key.
 *
 * The same for hospital B in the inter-hospital phase: credentials issued with s for the registered B id
 * and a fresh R (eqs. (10)–(12)) pass check (45) at the patient on the attacker's inter.2, and hbchk
 * must abort the visit.
 *
 * The attacker computes through the protocol's own equation wrappers (src/model/equations.ts), as a
 * hospital would. Bounded testing (RUNS cases from the printed seed), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import type { Point } from '../src/crypto/suite.js';
import * as E from '../src/model/equations.js';
import { addParty, createSystem, deliver, runUntilQuiet, sessionKeyOf, startInitial, startInter, startRegistration } from '../src/model/index.js';
import { decodeMessage, encodeMessage } from '../src/net/index.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('master-key-compromise');
const RUNS = 6;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');

describe(`master key s compromised (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('credentials issued with s for a registered hospital id and a fresh R pass check (25) at the patient, and hachk rejects them: R_HPA is not the ledger\'s R', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUITE_NAMES), fc.uniqueArray(idArb, { minLength: 2, maxLength: 2 }), fc.integer(), (suite, [p, a], seed) => {
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        for (const id of [p!, a!]) startRegistration(sys, id);
        expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
        const cs = sys.suite;
        const s = sys.center.s; // compromise event: the attacker learns the master key
        const C: E.EqCtx = { suite: cs, PK: sys.center.PK, rng: seededRng(`master-key-compromise/${seed}`), party: 'Attacker', phase: 'initial', session: 'adv', events: [] };

        // the attacker issues itself credentials for the registered id `a`, with its own r (eqs. (6)–(8))
        const { r, R: R2 } = E.eq6_R_HPA(C);
        const S2 = E.eq8_S_HPA(C, r, E.eq7_h_HPA(C, a!, R2), s);
        expect(E.eq9_checkHospitalA(C, a!, R2, S2).ok).toBe(true);
        const ledgerR = sys.parties.get(a!)!.store.credentials!.R;
        expect(cs.equals(R2, ledgerR)).toBe(false);

        // the patient opens a session with `a`; the attacker takes initial.1 off the network and answers as `a`
        const { session } = startInitial(sys, p!, a!);
        const open = sys.net.next()!;
        expect(open.step).toBe('initial.1');
        const d = decodeMessage(cs, open.bytes, { expect: 'initial.1' });
        if (!d.ok) throw new Error(`initial.1 did not decode: ${JSON.stringify(d.rejection)}`);
        const f = d.message.fields as { ID_PAT: string; R_PAT: Point; T_PAT: Point };
        const { x: b, T: T_HPA } = E.eq15_T_HPA(C);
        const K1 = E.eq17_K_AP1(C, S2, f.T_PAT, b, E.eq16_PK_PAT(C, f.ID_PAT, f.R_PAT));
        const SEK = E.eq19_SEK_AP(C, K1, E.eq18_K_AP2(C, b, f.T_PAT));
        const CHK_PA = E.eq20_CHK_PA(C, SEK, f.T_PAT);
        const { bytes } = encodeMessage(cs, { step: 'initial.2', fields: { ID_HPA: a!, R_HPA: R2, T_HPA, CHK_PA } });
        sys.net.adversary.inject({ step: 'initial.2', session, from: a!, to: p!, bytes });

        const before = sys.tracer.trace.events.length;
        const res = deliver(sys, sys.net.next()!);
        const events = sys.tracer.trace.events.slice(before);
        // the forged credentials are valid under PK: check (25) holds for them ...
        expect(events.some((e) => e.kind === 'check' && e.eq === 25 && e.ok), 'check (25) did not pass for credentials issued with s').toBe(true);
        // ... and the ledger check is what rejects them
        const why = res.kind === 'aborted' ? `${res.abort.code} ${res.abort.check}: ${res.abort.detail}` : res.kind;
        expect(res.kind, `the patient accepted initial.2 from ${a} with an R that is not on the ledger (hachk): ${why}`).toBe('aborted');
        if (res.kind !== 'aborted') return;
        expect(res.abort.check, `initial.2 aborted, but not by hachk: ${why}`).toBe('hachk');
        expect(res.abort.code).toBe('contract-failed');
        expect(events.some((e) => e.kind === 'contract' && e.contract === 'hachk' && !e.ok)).toBe(true);
        expect(sessionKeyOf(sys, p!, session)).toBeUndefined();
        expect(sys.parties.get(p!)!.sessions.get(session)!.status).not.toBe('accepted');
      }),
      propParams(SEED, RUNS),
    );
  });
  it("credentials issued with s for a registered hospital-B id and a fresh R pass check (45) at the patient, and hbchk rejects them: R_HPB is not the ledger's R", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUITE_NAMES), fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), fc.integer(), (suite, [p, a, b], seed) => {
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        addParty(sys, b!, 'hospital', { slot: 'B' });
        for (const id of [p!, a!, b!]) startRegistration(sys, id);
        expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
        startInitial(sys, p!, a!);
        expect(runUntilQuiet(sys).every((r) => r.kind === 'ok'), 'the initial treatment failed').toBe(true);
        const cs = sys.suite;
        const s = sys.center.s; // compromise event: the attacker learns the master key
        const C: E.EqCtx = { suite: cs, PK: sys.center.PK, rng: seededRng(`master-key-compromise/hb/${seed}`), party: 'Attacker', phase: 'inter', session: 'adv', events: [] };

        // the attacker issues itself credentials for the registered hospital-B id `b`, with its own r (eqs. (10)–(12))
        const { r, R: R2 } = E.eq10_R_HPB(C);
        const S2 = E.eq12_S_HPB(C, r, E.eq11_h_HPB(C, b!, R2), s);
        expect(E.eq13_checkHospitalB(C, b!, R2, S2).ok).toBe(true);
        expect(cs.equals(R2, sys.parties.get(b!)!.store.credentials!.R)).toBe(false);

        // the patient opens a visit to `b`; the attacker takes inter.1 off the network and answers as `b` (eqs. (35)–(40))
        const { session } = startInter(sys, p!, b!);
        const open = sys.net.next()!;
        expect(open.step).toBe('inter.1');
        const d = decodeMessage(cs, open.bytes, { expect: 'inter.1' });
        if (!d.ok) throw new Error(`inter.1 did not decode: ${JSON.stringify(d.rejection)}`);
        const f = d.message.fields as { ID_PAT: string; R_PAT: Point; T_PAT2: Point };
        const { x: dd, T: T_HPB } = E.eq35_T_HPB(C);
        const K1 = E.eq37_K_BP1(C, S2, f.T_PAT2, dd, E.eq36_PK_PAT(C, f.ID_PAT, f.R_PAT));
        const SEK = E.eq39_SEK_BP(C, K1, E.eq38_K_BP2(C, dd, f.T_PAT2));
        const CHK_PB = E.eq40_CHK_PB(C, SEK, f.T_PAT2);
        const { bytes } = encodeMessage(cs, { step: 'inter.2', fields: { ID_HPB: b!, R_HPB: R2, T_HPB, CHK_PB } });
        sys.net.adversary.inject({ step: 'inter.2', session, from: b!, to: p!, bytes });

        const before = sys.tracer.trace.events.length;
        const res = deliver(sys, sys.net.next()!);
        const events = sys.tracer.trace.events.slice(before);
        expect(events.some((e) => e.kind === 'check' && e.eq === 45 && e.ok), 'check (45) did not pass for credentials issued with s').toBe(true);
        const why = res.kind === 'aborted' ? `${res.abort.code} ${res.abort.check}: ${res.abort.detail}` : res.kind;
        expect(res.kind, `the patient accepted inter.2 from ${b} with an R that is not on the ledger (hbchk): ${why}`).toBe('aborted');
        if (res.kind !== 'aborted') return;
        expect(res.abort.check, `inter.2 aborted, but not by hbchk: ${why}`).toBe('hbchk');
        expect(events.some((e) => e.kind === 'contract' && e.contract === 'hbchk' && !e.ok)).toBe(true);
        expect(sys.parties.get(p!)!.sessions.get(session)!.status).not.toBe('accepted');
        expect(sys.net.pending().filter((e) => e.step === 'inter.3'), 'the patient sent its visit (inter.3) to an impostor').toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });
});
