/**
 * The security properties checked after every step of an adversarial run (properties/*.test.ts,
 * `bantam props`, `bantam claims`). Each returns violations; an empty list means the property held
 * in this state. Per-delivery properties (integrity, replay) are checked in `deliverChecked`
 * (./world.ts) and collected in `w.violations`.
 *
 * "Clean" (the exemptions, stated once): a property about a session is only required when the
 * attacker was not given what trivially breaks it — see `attackerMayAct` and `secrecyRequired`.
 */
import { sigInputEmrCert } from '../model/records.js';
import { scalarClosure } from './knowledge.js';
import {
  HONEST,
  INSIDER,
  UNREGISTERED,
  UNREGISTERED_HOSPITAL,
  attackerKnowsKey,
  partnersOf,
  sessionOf,
  type Violation,
  type World,
} from './world.js';

export type PropertyName =
  | 'agreement'
  | 'secrecy'
  | 'integrity'
  | 'replay'
  | 'unregistered'
  | 'non-repudiation'
  | 'invalid-point';

/** Agreement and unregistered-device checks over all acceptances so far. */
export function checkAgreement(w: World): Violation[] {
  const out: Violation[] = [];
  for (const a of w.acceptances) {
    if (a.peer === 'CENTER') continue;
    const s = sessionOf(w, a.party, a.session);
    if (!s || !('SEK' in s)) continue;
    if (a.peer === UNREGISTERED || a.peer === UNREGISTERED_HOSPITAL) {
      out.push({ property: 'unregistered', detail: `${a.party} accepted session ${a.session} with the unregistered device ${a.peer}`, at: a.clock });
      continue;
    }
    if (compromisedBefore(w, a.party, a.session, a.peer, a.clock)) continue;
    const ps = partnersOf(w, a.party, a.session);
    if (ps.length !== 1) {
      out.push({
        property: 'agreement',
        detail: `${a.party} accepted ${a.phase} session ${a.session} with ${a.peer}, but ${a.peer} has ${ps.length} matching sessions${ps.length ? ` (${ps.map((p) => p.label).join(', ')})` : ''}`,
        at: a.clock,
      });
    }
  }
  return out;
}

/** Was the attacker allowed to act as `peer` towards this session before `clock`? */
function compromisedBefore(w: World, party: string, session: string, peer: string, clock: number): boolean {
  const c = w.compromise;
  const before = (t: number | undefined | null) => t !== undefined && t !== null && t <= clock;
  if (peer === INSIDER || peer === UNREGISTERED || peer === UNREGISTERED_HOSPITAL) return true;
  if (before(c.longTerm.get(peer)) || before(c.center)) return true;
  if (before(c.sessionKeys.get(`${party}|${session}`))) return true;
  if (before(c.ephemerals.get(`${party}|${session}`)) && before(c.longTerm.get(party))) return true;
  return false;
}

/**
 * Secrecy is required of an accepted session with exactly one partner, unless the key of either
 * was revealed, or an ephemeral was revealed together with what completes it: the same side's
 * long-term key, or the other side's ephemeral (K2 = t_X·t_Y·P, eqs. (18)/(23)).
 */
export function secrecyRequired(w: World, party: string, label: string): { partner: { party: string; label: string } } | null {
  const ps = partnersOf(w, party, label);
  if (ps.length !== 1) return null;
  const p = ps[0]!;
  const c = w.compromise;
  const me = `${party}|${label}`;
  const them = `${p.party}|${p.label}`;
  if (c.sessionKeys.has(me) || c.sessionKeys.has(them)) return null;
  if (c.ephemerals.has(me) && (c.longTerm.has(party) || c.ephemerals.has(them))) return null;
  if (c.ephemerals.has(them) && c.longTerm.has(p.party)) return null;
  if (party === INSIDER || p.party === INSIDER) return null;
  return { partner: p };
}

export function checkSecrecy(w: World): Violation[] {
  const out: Violation[] = [];
  const closure = scalarClosure(w.K);
  const seen = new Set<string>();
  for (const a of w.acceptances) {
    const key = `${a.party}|${a.session}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!secrecyRequired(w, a.party, a.session)) continue;
    const how = attackerKnowsKey(w, a.party, a.session, closure);
    if (how) out.push({ property: 'secrecy', detail: `the attacker computes the key of ${a.party} ${a.session} (${a.phase} with ${a.peer}): ${how}`, at: w.clock });
  }
  return out;
}

/** Every report a patient keeps: its signature verifies under the issuer's PK and under no other hospital's. */
export function checkNonRepudiation(w: World): Violation[] {
  const out: Violation[] = [];
  const hospitals = [...w.sys.parties.values()].filter((p) => p.role === 'hospital' && p.store.credentials);
  for (const pid of HONEST) {
    const p = w.sys.parties.get(pid)!;
    if (p.role !== 'patient') continue;
    for (const r of p.store.reports) {
      const msg = sigInputEmrCert(r.emr, r.cert);
      for (const h of hospitals) {
        const ok = w.base.verify(h.store.credentials!.PK, msg, r.signature);
        const issuer = h.id === r.cert.hospitalId;
        if (ok !== issuer) {
          out.push({ property: 'non-repudiation', detail: `${pid}'s report ${r.emr.diagnosisId}: signature ${ok ? 'verifies' : 'does not verify'} under ${h.id}'s key (issuer ${r.cert.hospitalId})`, at: w.clock });
        }
      }
    }
  }
  return out;
}

