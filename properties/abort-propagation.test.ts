/**
 * Abort propagation in the hand-written EMR model (§3.7): hospital B fetches the patient's record from
 * hospital A in a sub-session (inter.5–inter.8) on behalf of the patient's visit (inter.1–inter.3). When
 * a check of that record sub-session fails at B, the visit it serves must fail with it: B must not keep
 * a patient session running that waits for a record it will never get, nor accept it. Over random
 * suites, ids and seeds, each field of inter.6 and of inter.8 (the two messages B receives from A) is
 * altered in flight, and:
 *
 * - when B aborts (naming its check), BOTH its record session and the patient session it serves are
 *   aborted, nothing is accepted and nothing is sent;
 * - the trace records the aborting check as failed (by its equation number or name), a failed equation
 *   check attributed to the step the step table gives its equation;
 * - the genuine message, arriving after such an abort, is refused by routing ('unexpected-step'): an
 *   aborted session takes no further message;
 * - when the altered message is refused on the wire instead, nothing changes (both stay running);
 * - a dishonest hospital A that sends, correctly encrypted under SEK_AB and signed with its own key, an
 *   EMR other than the one the ledger indexes (its treatment altered): B aborts by mrchk, and the
 *   patient session aborts with it;
 * - a fault on inter.7 (B's request, received by A) aborts A's session only: B's sessions are not A's
 *   to abort.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import * as E from '../src/model/equations.js';
import { deliver, tamperField, type System } from '../src/model/index.js';
import { decodeEmr, encodeEmr, sigInputEmr } from '../src/model/records.js';
import { decodeMessage, encodeMessage, MESSAGE_SCHEMAS } from '../src/net/index.js';
import { describeResult, honestRunUntil } from './emr-run.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('abort-propagation');
const RUNS = 3;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER' && s !== 'MALLORY');



/** The fields of an encoded inter.8, as decoded. */
function fieldsOf8(sys: System, bytes: Uint8Array): unknown {
  const d = decodeMessage(sys.suite, bytes, { expect: 'inter.8' });
  if (!d.ok) throw new Error('inter.8 does not decode');
  return d.message.fields;
}

/** Each session of `party`: label → status. */
const statuses = (sys: System, party: string) => new Map([...sys.parties.get(party)!.sessions].map(([l, s]) => [l, `${s.kind}:${s.status}`]));
const show = (m: Map<string, string>) => [...m].map(([l, s]) => `${l}=${s}`).join(' ');

const caseArb = fc.record({ suite: fc.constantFrom(...SUITE_NAMES), ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), seed: fc.integer() });

describe(`abort propagation in the EMR model (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it("a failed check of hospital B's record sub-session (inter.6, inter.8) aborts the patient session it serves too; a wire rejection changes nothing", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids, seed }) => {
        const b = ids[2]!;
        const problems: string[] = [];
        let aborts = 0;
        for (const step of ['inter.6', 'inter.8'] as const) {
          for (const { name: field } of MESSAGE_SCHEMAS[step].fields) {
            const sys = honestRunUntil(suite, seed, { p: ids[0]!, a: ids[1]!, b: ids[2]! }, step);
            const e = sys.net.next()!;
            const bytes = tamperField(sys, step, e.bytes, field);
            if (!bytes) throw new Error(`${step} does not decode`);
            const before = statuses(sys, b);
            const pending = sys.net.pending().length;
            const r = deliver(sys, { ...e, bytes, origin: 'modified' });
            const after = statuses(sys, b);
            const label = `${step} to ${b} with ${field} altered`;
            if (r.kind === 'ok') {
              problems.push(`${label}: accepted (${describeResult(r)})`);
              continue;
            }
            if (r.kind === 'rejected') {
              if (show(after) !== show(before)) problems.push(`${label}: rejected on the wire, yet sessions changed: ${show(before)} -> ${show(after)}`);
              continue;
            }
            aborts++;
            // the trace is honest about why: the aborting check is recorded as failed (eq, or name)
            const failed = sys.tracer.trace.events.some((x) => x.kind === 'check' && x.party === b && !x.ok && (r.abort.eq !== undefined ? x.eq === r.abort.eq : x.name === r.abort.check));
            if (!failed) problems.push(`${label}: ${b} aborted by '${r.abort.check}'${r.abort.eq !== undefined ? ` (${r.abort.eq})` : ''}, but the trace records no failed check for it`);
            // ... and attributes a failed equation check to the step the step table gives its equation, as it does a passed one
            const eqStep = r.abort.eq !== undefined ? E.EQ_STEP.get(r.abort.eq) : undefined;
            const wrong = sys.tracer.trace.events.filter((x) => x.kind === 'check' && x.party === b && !x.ok && x.eq === r.abort.eq && eqStep !== undefined && x.step !== eqStep);
            if (wrong.length) problems.push(`${label}: the failed check (${r.abort.eq}) is attributed to step ${wrong.map((x) => (x as { step?: string }).step).join(', ')}, not ${eqStep} (the step table's)`);
            const running = [...after].filter(([, s]) => s.endsWith(':running'));
            if (running.length) problems.push(`${label}: ${b} aborted by '${r.abort.check}' but left ${running.map(([l, s]) => `${l} (${s})`).join(', ')} running (the linked patient session must abort with its record session)`);
            if (sys.net.pending().length !== pending) problems.push(`${label}: aborted by '${r.abort.check}' yet sent a message`);
            if (sys.tracer.trace.events.some((x) => x.kind === 'accept' && x.party === b && x.phase === 'inter')) problems.push(`${label}: aborted by '${r.abort.check}' yet ${b} accepted`);
            // the genuine message, arriving after the abort, finds the session aborted: routing refuses it
            const late = deliver(sys, e);
            if (late.kind !== 'rejected' || late.rejection.kind !== 'routing-rejection' || late.rejection.reason !== 'unexpected-step') problems.push(`${label}: the genuine ${step} delivered after the abort must be refused by routing as 'unexpected-step' (the session is aborted), got ${describeResult(late)}`);
          }
        }
        expect(problems, `record faults at hospital B did not abort the visit they serve:\n${problems.join('\n')}`).toEqual([]);
        expect(aborts, 'not vacuous: some altered fields were refused by a check, not on the wire').toBeGreaterThan(2);
      }),
      propParams(SEED, RUNS),
    );
  });

  it("a dishonest hospital A's EMR, encrypted and signed correctly but not the one the ledger indexes, makes B abort by mrchk, and the patient session with it", () => {
    fc.assert(
      fc.property(caseArb, fc.string({ minLength: 1, maxLength: 20 }), ({ suite, ids, seed }, treatment) => {
        const [, a, b] = ids as [string, string, string];
        const sys = honestRunUntil(suite, seed, { p: ids[0]!, a: ids[1]!, b: ids[2]! }, 'inter.8');
        const e = sys.net.next()!;
        // hospital A is dishonest: it re-seals its own record with another treatment, through the protocol's equations (66), (67)
        const ha = [...sys.parties.get(a)!.sessions.values()].find((x) => x.kind === 'ha-record')! as unknown as { SEK: Uint8Array; label: string };
        const C: E.EqCtx = { suite: sys.suite, PK: sys.center.PK, rng: seededRng(`abort-propagation/${seed}`), party: a, phase: 'inter', session: ha.label, events: [] };
        const d = E.eq68_EMR(C, ha.SEK, (fieldsOf8(sys, e.bytes) as { c_HPA2: Uint8Array }).c_HPA2);
        const emr = d && decodeEmr(d);
        if (!emr) throw new Error('hospital A cannot open its own inter.8');
        const other = { ...emr, treatment: `${emr.treatment} ${treatment}` };
        const SK = sys.parties.get(a)!.store.credentials!.SK;
        const { bytes } = encodeMessage(sys.suite, { step: 'inter.8', fields: { ID_HPA: a, c_HPA2: E.eq66_c_HPA2(C, ha.SEK, encodeEmr(other)), Sig_HPA2: E.eq67_Sig_HPA2(C, SK, sigInputEmr(other)) } });
        const r = deliver(sys, { ...e, bytes, origin: 'injected' });
        const label = `inter.8 to ${b} carrying another EMR than the indexed one, sealed by ${a}`;
        expect(r.kind === 'aborted' ? r.abort.check : describeResult(r), `${label}: B must abort by mrchk`).toBe('mrchk');
        const running = [...statuses(sys, b)].filter(([, x]) => x.endsWith(':running'));
        expect(running.map(([l, x]) => `${l} (${x})`), `${label}: ${b} aborted by 'mrchk' but left sessions running (the linked patient session must abort with its record session)`).toEqual([]);
        expect(sys.net.pending().filter((x) => x.step === 'inter.10'), `${label}: aborted by 'mrchk' yet sent inter.10`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });

  it("a failed check at hospital A on inter.7 aborts A's record session only, never one of B's", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids, seed }) => {
        const [, a, b] = ids as [string, string, string];
        const problems: string[] = [];
        let aborts = 0;
        for (const { name: field } of MESSAGE_SCHEMAS['inter.7'].fields) {
          const sys = honestRunUntil(suite, seed, { p: ids[0]!, a: ids[1]!, b: ids[2]! }, 'inter.7');
          const e = sys.net.next()!;
          const bytes = tamperField(sys, 'inter.7', e.bytes, field);
          if (!bytes) throw new Error('inter.7 does not decode');
          const beforeB = show(statuses(sys, b));
          const r = deliver(sys, { ...e, bytes, origin: 'modified' });
          const label = `inter.7 to ${a} with ${field} altered`;
          if (r.kind === 'ok') problems.push(`${label}: accepted (${describeResult(r)})`);
          if (r.kind !== 'aborted') continue;
          aborts++;
          const ha = [...statuses(sys, a)].filter(([, s]) => s.startsWith('ha-record:'));
          if (!ha.every(([, s]) => s.endsWith(':aborted'))) problems.push(`${label}: aborted by '${r.abort.check}' but A's record session is ${ha.map(([l, s]) => `${l}=${s}`).join(' ')}`);
          const afterB = show(statuses(sys, b));
          if (afterB !== beforeB) problems.push(`${label}: A's abort by '${r.abort.check}' changed B's sessions: ${beforeB} -> ${afterB}`);
        }
        expect(problems, problems.join('\n')).toEqual([]);
        expect(aborts, 'not vacuous: some altered fields were refused by a check').toBeGreaterThan(0);
      }),
      propParams(SEED, RUNS),
    );
  });
});
