/**
 * Sessions of the hand-written EMR model: labels are fresh, and a session is started only by a party
 * that can run it. Over random suites, ids, seeds and numbers of visits:
 *
 * - every session a party ever runs (registration, each initial treatment, the visit to B, B's and A's
 *   record sub-sessions) has a label of its own: none is overwritten by a later one, so the number of
 *   sessions each party holds at the end is exactly the number the run started;
 * - starting a session the party cannot run is refused with a typed usage error and changes nothing
 *   (no session, nothing sent): a hospital opening a treatment or a visit (`not-a-patient`), a patient
 *   with no record visiting B (`no-record`), an unregistered patient opening a treatment (`not-registered`);
 * - the honest scheduler `runUntilQuiet(sys, max)` delivers at most `max` envelopes, in order, and leaves
 *   the rest pending; `sessionKeyOf` answers undefined (never throws) for an unknown party or label.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { addParty, createSystem, deliver, ModelUsageError, runUntilQuiet, sessionKeyOf, startInitial, startInter, startRegistration, type System } from '../src/model/index.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('sessions');
const RUNS = 4;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');
const caseArb = fc.record({
  suite: fc.constantFrom(...SUITE_NAMES),
  ids: fc.uniqueArray(idArb, { minLength: 4, maxLength: 4 }),
  seed: fc.integer(),
  visits: fc.integer({ min: 1, max: 3 }),
});

function drain(sys: System): string[] {
  const bad: string[] = [];
  for (let e = sys.net.next(); e; e = sys.net.next()) {
    const r = deliver(sys, e);
    if (r.kind !== 'ok') bad.push(`${e.step} to ${e.to} did not complete (${r.kind})`);
  }
  return bad;
}

/** Calls `start`; the usage error code it threw, or a description of what it did instead. */
function refusal(sys: System, start: () => unknown): { code?: string; problem?: string } {
  const pending = sys.net.pending().length;
  const sessions = [...sys.parties.values()].reduce((n, p) => n + p.sessions.size, 0);
  try {
    start();
  } catch (e) {
    const after = [...sys.parties.values()].reduce((n, p) => n + p.sessions.size, 0);
    if (sys.net.pending().length !== pending || after !== sessions) return { problem: 'refused, but a session was added or a message sent' };
    if (e instanceof ModelUsageError) return { code: e.code };
    return { problem: `threw ${e instanceof Error ? e.message : String(e)}, not a usage error` };
  }
  return { problem: 'started a session' };
}

describe(`sessions of the EMR model (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('every session a party runs has a fresh label: at the end each party holds exactly the sessions the run started', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 2 }), ({ suite, ids: [p, a, b], seed, visits }, toB) => {
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        addParty(sys, b!, 'hospital', { slot: 'B' });
        const bad: string[] = [];
        for (const id of [p!, a!, b!]) startRegistration(sys, id);
        bad.push(...drain(sys));
        for (let i = 0; i < visits; i++) {
          startInitial(sys, p!, a!, { symptoms: `visit ${i}` });
          bad.push(...drain(sys));
        }
        for (let i = 0; i < toB; i++) {
          startInter(sys, p!, b!, { symptoms: `again ${i}`, diagnosisId: sys.parties.get(p!)!.store.reports[0]!.index.diagnosisId });
          bad.push(...drain(sys));
        }
        expect(bad, `the honest run failed:\n${bad.join('\n')}`).toEqual([]);
        // registration + each treatment + each visit (P); registration + each treatment + each record request (A);
        // registration + each patient visit and its record sub-session (B: onInter3's label for the sub-session)
        const expected = new Map([[p!, 1 + visits + toB], [a!, 1 + visits + toB], [b!, 1 + 2 * toB]]);
        for (const [id, n] of expected) {
          const held = [...sys.parties.get(id)!.sessions.keys()];
          expect(held.length, `${id} holds sessions ${held.join(', ')}: a label was reused (newLabel / the record sub-session label B opens with inter.5)`).toBe(n);
        }
      }),
      propParams(SEED, RUNS),
    );
  });

  it('a session the party cannot run is refused with a usage error and changes nothing (startInitial, startInter: not-a-patient, no-record, not-registered)', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: [p, a, b, q], seed }) => {
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        addParty(sys, b!, 'hospital', { slot: 'B' });
        addParty(sys, q!, 'patient'); // enrolled, never registered
        for (const id of [p!, a!, b!]) startRegistration(sys, id);
        expect(drain(sys)).toEqual([]);
        const cases = [
          { what: `startInitial (initial.1) by hospital ${a}`, start: () => startInitial(sys, a!, b!), code: 'not-a-patient' },
          { what: `startInter (inter.1) by hospital ${a}`, start: () => startInter(sys, a!, b!), code: 'not-a-patient' },
          { what: `startInter (inter.1) by ${p}, who holds no record yet`, start: () => startInter(sys, p!, b!), code: 'no-record' },
          { what: `startInitial (initial.1) by the unregistered patient ${q}`, start: () => startInitial(sys, q!, a!), code: 'not-registered' },
          { what: `startInter (inter.1) by the unregistered patient ${q}`, start: () => startInter(sys, q!, b!), code: 'not-registered' },
        ];
        const problems = cases.flatMap(({ what, start, code }) => {
          const r = refusal(sys, start);
          return r.code === code ? [] : [`${what}: expected the usage error '${code}', got ${r.code ? `'${r.code}'` : r.problem}`];
        });
        expect(problems, problems.join('\n')).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });
  it('runUntilQuiet(sys, max) delivers at most max envelopes, in order, leaving the rest pending; sessionKeyOf is undefined for an unknown party or label', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 8 }), ({ suite, ids: [p, a], seed }, max) => {
        const sys = createSystem({ suite, seed });
        addParty(sys, p!, 'patient');
        addParty(sys, a!, 'hospital', { slot: 'A' });
        for (const id of [p!, a!]) startRegistration(sys, id);
        expect(runUntilQuiet(sys).every((r) => r.kind === 'ok'), 'registration failed').toBe(true);
        startInitial(sys, p!, a!);
        // an initial treatment is 4 deliveries (initial.1–initial.4), taken `max` at a time (none with max 0)
        expect(runUntilQuiet(sys, 0), 'runUntilQuiet(sys, 0) delivered').toEqual([]);
        const n = Math.max(1, Math.min(max, 4));
        const steps: string[] = [];
        while (steps.length < 4) {
          const first = sys.net.pending()[0]?.step;
          const got = runUntilQuiet(sys, n);
          expect(got.length, `runUntilQuiet(sys, ${n}) delivered ${got.length} envelopes, ${sys.net.pending().length} left pending`).toBe(Math.min(n, 4 - steps.length));
          expect(got[0]?.envelope.step, 'runUntilQuiet delivers the first pending envelope first').toBe(first);
          steps.push(...got.map((r) => r.envelope.step));
        }
        expect(steps).toEqual(['initial.1', 'initial.2', 'initial.3', 'initial.4']);
        expect(sys.net.pending()).toEqual([]);
        const label = [...sys.parties.get(p!)!.sessions.keys()].at(-1)!;
        expect(sessionKeyOf(sys, p!, label), 'the session key of the finished treatment').toBeInstanceOf(Uint8Array);
        expect(sessionKeyOf(sys, `${p}-nobody`, label), 'sessionKeyOf for an unknown party').toBeUndefined();
        expect(sessionKeyOf(sys, p!, `${label}-none`), 'sessionKeyOf for an unknown label').toBeUndefined();
      }),
      propParams(SEED, RUNS),
    );
  });
});
