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
 * - when the altered message is refused on the wire instead, nothing changes (both stay running);
 * - a fault on inter.7 (B's request, received by A) aborts A's session only: B's sessions are not A's
 *   to abort.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, tamperField, type DeliverResult, type System } from '../src/model/index.js';
import { MESSAGE_SCHEMAS, type StepId } from '../src/net/index.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('abort-propagation');
const RUNS = 3;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER' && s !== 'MALLORY');

function describeResult(r: DeliverResult): string {
  if (r.kind === 'ok') return `completed (sent ${r.out.map((o) => o.step).join(', ') || 'nothing'}, ${r.accepted.length} acceptance(s))`;
  if (r.kind === 'aborted') return `aborted ${r.abort.code} by '${r.abort.check}'`;
  return `rejected on the wire (${JSON.stringify(r.rejection)})`;
}

/** Registration, one initial treatment at A, then the visit to B, delivered in order until `step` is next. */
function runUntil(suite: string, seed: number, [p, a, b]: readonly string[], step: StepId): System {
  const sys = createSystem({ suite, seed });
  addParty(sys, p!, 'patient');
  addParty(sys, a!, 'hospital', { slot: 'A' });
  addParty(sys, b!, 'hospital', { slot: 'B' });
  const drain = (stop?: StepId) => {
    for (let e = sys.net.pending()[0]; e && e.step !== stop; e = sys.net.pending()[0]) {
      const r = deliver(sys, sys.net.next()!);
      if (r.kind !== 'ok') throw new Error(`the honest run failed at ${e.step} to ${e.to}: ${describeResult(r)}`);
    }
  };
  for (const id of [p!, a!, b!]) startRegistration(sys, id);
  drain();
  startInitial(sys, p!, a!, { symptoms: 'fever' });
  drain();
  startInter(sys, p!, b!, { symptoms: 'cough' });
  drain(step);
  if (sys.net.pending()[0]?.step !== step) throw new Error(`the honest run never sent ${step}`);
  return sys;
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
            const sys = runUntil(suite, seed, ids, step);
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
            const running = [...after].filter(([, s]) => s.endsWith(':running'));
            if (running.length) problems.push(`${label}: ${b} aborted by '${r.abort.check}' but left ${running.map(([l, s]) => `${l} (${s})`).join(', ')} running (the linked patient session must abort with its record session)`);
            if (sys.net.pending().length !== pending) problems.push(`${label}: aborted by '${r.abort.check}' yet sent a message`);
            if (sys.tracer.trace.events.some((x) => x.kind === 'accept' && x.party === b && x.phase === 'inter')) problems.push(`${label}: aborted by '${r.abort.check}' yet ${b} accepted`);
          }
        }
        expect(problems, `record faults at hospital B did not abort the visit they serve:\n${problems.join('\n')}`).toEqual([]);
        expect(aborts, 'not vacuous: some altered fields were refused by a check, not on the wire').toBeGreaterThan(2);
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
          const sys = runUntil(suite, seed, ids, 'inter.7');
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
