/**
 * The center's master key s compromised (§3.2, eq. (1)): the attacker issues itself credentials for a
 * REGISTERED hospital id with a fresh R (eqs. (6)–(8) with its own r), so S'·P = R' + H1(ID_HPA, R')·PK
 * holds and the patient's check (25) passes on the attacker's initial.2. The only thing that tells the
 * patient apart is the ledger: hachk must find that R' is not the R registered for that id, and the
 * patient's session must abort without a key.
 *
 * The attacker computes through the protocol's own equation wrappers (src/model/equations.ts), as a
 * hospital would. Bounded testing (RUNS cases from the printed seed), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import type { Point } from '../src/crypto/suite.js';
import * as E from '../src/model/equations.js';
import { addParty, createSystem, deliver, runUntilQuiet, sessionKeyOf, startInitial, startRegistration } from '../src/model/index.js';
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
});
