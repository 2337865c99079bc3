/**
 * The attacker is potent where it should be and the checkers see what they must: these fix the
 * ground truth the property suites rely on (a suite that "holds" because the attacker could never
 * act would be vacuous). Deterministic: fixed world seeds, explicit action lists.
 */
import { describe, expect, it } from 'vitest';
import { apply, type Action } from '../src/adversary/actions.js';
import { checkAgreement, checkSecrecy } from '../src/adversary/invariants.js';
import { attackerKnowsKey, attackerStep, createWorld, keyedSessions, partnersOf, type World } from '../src/adversary/world.js';

function play(seed: number, actions: Action[]): World {
  const w = createWorld({ seed });
  for (const a of actions) {
    w.clock++;
    apply(w, a);
    while (attackerStep(w) !== null);
  }
  return w;
}

const patientInitial = (w: World) => keyedSessions(w).filter(([p, l]) => p === 'PAT-1' && w.sys.parties.get(p)!.sessions.get(l)!.kind === 'patient-initial');

describe('attacker potency and checker ground truth', () => {
  it('with HPA\'s long-term key the attacker completes a session as HPA with PAT-1 (patient accepts a peer that never ran it); the exemption, not weakness, keeps agreement quiet', () => {
    const w = play(1, [
      { k: 'reveal-lt', who: 2 }, // HPA
      { k: 'start-initial', p: 0 },
      { k: 'impersonate-hospital', i: 0 },
      { k: 'deliver-all' },
      { k: 'deliver-all' },
    ]);
    const fake = w.acceptances.filter((a) => a.party === 'PAT-1' && a.clock > 0);
    expect(fake.length).toBe(1);
    expect(partnersOf(w, 'PAT-1', fake[0]!.session)).toHaveLength(0);
    expect(checkAgreement(w)).toEqual([]);
  });

  it('without HPA\'s key the same impersonation fails at check (25)', () => {
    const w = play(1, [{ k: 'start-initial', p: 0 }, { k: 'impersonate-hospital', i: 0 }, { k: 'deliver-all' }, { k: 'deliver-all' }]);
    expect(w.acceptances.filter((a) => a.party === 'PAT-1' && a.clock > 0)).toHaveLength(0);
  });

  it('KCI: with the patient\'s own key, the attacker answering as HPA fails at (25); with HPA\'s own key, posing as PAT-1 to HPA fails at (28)', () => {
    const w1 = play(6, [{ k: 'reveal-lt', who: 0 }, { k: 'start-initial', p: 0 }, { k: 'impersonate-hospital', i: 0 }, { k: 'deliver-all' }, { k: 'deliver-all' }]);
    expect(w1.acceptances.filter((a) => a.clock > 0)).toHaveLength(0);
    expect(w1.sys.tracer.trace.events.some((e) => e.kind === 'abort' && e.party === 'PAT-1' && e.eq === 25)).toBe(true);
    const w2 = play(6, [{ k: 'reveal-lt', who: 2 }, { k: 'impersonate-patient', p: 0, open: 'initial.1', key: 'none' }, { k: 'deliver-all' }, { k: 'deliver-all' }]);
    expect(w2.acceptances.filter((a) => a.clock > 0)).toHaveLength(0);
    expect(w2.sys.tracer.trace.events.some((e) => e.kind === 'abort' && e.party === 'HPA' && e.eq === 28)).toBe(true);
    expect(checkAgreement(w1)).toEqual([]);
    expect(checkAgreement(w2)).toEqual([]);
  });

  it('with s the attacker forges (R, S) for PAT-1 and HPA accepts it (hospitals do not compare R_PAT with the ledger); without s the forgery fails', () => {
    const w = play(7, [{ k: 'reveal-center' }, { k: 'impersonate-patient', p: 0, open: 'initial.1', key: 'forged' }, { k: 'deliver-all' }, { k: 'deliver-all' }]);
    const got = w.acceptances.filter((a) => a.party === 'HPA' && a.clock > 0);
    expect(got).toHaveLength(1);
    expect(partnersOf(w, 'HPA', got[0]!.session)).toHaveLength(0);
    expect(checkAgreement(w)).toEqual([]); // exempt: s is revealed
    const v = play(7, [{ k: 'impersonate-patient', p: 0, open: 'initial.1', key: 'forged' }, { k: 'deliver-all' }, { k: 'deliver-all' }]);
    expect(v.acceptances.filter((a) => a.party === 'HPA' && a.clock > 0)).toHaveLength(0);
  });

  it('forward secrecy: both long-term keys and s revealed after the session do not give the key; one ephemeral more does', () => {
    const w = play(2, [{ k: 'reveal-lt', who: 0 }, { k: 'reveal-lt', who: 2 }, { k: 'reveal-center' }]);
    const [s] = patientInitial(w);
    expect(s).toBeDefined();
    expect(attackerKnowsKey(w, s![0], s![1])).toBeNull();
    expect(checkSecrecy(w)).toEqual([]);
    apply(w, { k: 'reveal-eph', i: keyedSessions(w).findIndex(([p, l]) => p === s![0] && l === s![1]) });
    expect(attackerKnowsKey(w, s![0], s![1])).toMatch(/K1 = .* K2 = /);
  });

  it('a revealed session key is known, exempts its own session, and no other session key follows from it', () => {
    const w = play(3, [{ k: 'start-initial', p: 0 }, { k: 'deliver-all' }]);
    const sessions = patientInitial(w);
    expect(sessions.length).toBe(2);
    apply(w, { k: 'reveal-sek', i: keyedSessions(w).findIndex(([p, l]) => p === sessions[0]![0] && l === sessions[0]![1]) });
    expect(attackerKnowsKey(w, sessions[0]![0], sessions[0]![1])).toMatch(/knows the key bytes/);
    expect(attackerKnowsKey(w, sessions[1]![0], sessions[1]![1])).toBeNull();
    expect(checkSecrecy(w)).toEqual([]);
  });

  it('a flipped CHK is rejected by the real protocol (integrity stays quiet, no acceptance)', () => {
    const w = play(5, [{ k: 'start-initial', p: 1 }, { k: 'tamper', step: 'initial.2', field: 3, bit: 9 }]);
    expect(w.violations).toEqual([]);
    expect(w.acceptances.filter((a) => a.clock > 0)).toHaveLength(0);
  });
});
