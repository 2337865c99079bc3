/**
 * Identity binding in the hand-written EMR model: every message that carries its sender's identity is
 * refused, by the receiver's identity check and before any key is computed from it, when the identity
 * is another REGISTERED party's (so the codec's known-id check lets it through). Over random suites, ids
 * and seeds, for each such field of an honest run (initial.2–.4, inter.2, .3, .6, .7, .8, .10), the field
 * is set to another registered party of the same role and the receiver must abort naming the check
 * below, and accept nothing.
 *
 * The expected checks are this file's table (the paper's Steps: each party compares the identity it
 * receives with the one it addressed or serves), not read off the model. Bounded testing (RUNS cases
 * from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { deliver, tamperField } from '../src/model/index.js';
import type { StepId } from '../src/net/index.js';
import { describeResult, honestRunUntil } from './emr-run.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('id-binding');
const RUNS = 3;

/** Each step's identity field, the role it names, and the check that must refuse another party's id. */
const ID_CHECKS: readonly { step: StepId; field: string; names: 'patient' | 'hospital'; check: string }[] = [
  { step: 'initial.2', field: 'ID_HPA', names: 'hospital', check: 'ID_HPA is the hospital addressed' },
  { step: 'initial.3', field: 'ID_PAT', names: 'patient', check: 'ID_PAT is the session patient' },
  { step: 'initial.4', field: 'ID_HPA', names: 'hospital', check: 'ID_HPA is the session hospital' },
  { step: 'inter.2', field: 'ID_HPB', names: 'hospital', check: 'ID_HPB is the hospital addressed' },
  { step: 'inter.3', field: 'ID_PAT', names: 'patient', check: 'ID_PAT is the session patient' },
  { step: 'inter.6', field: 'ID_HPA', names: 'hospital', check: 'ID_HPA is the hospital addressed' },
  { step: 'inter.7', field: 'ID_HPB', names: 'hospital', check: 'ID_HPB is the session hospital' },
  { step: 'inter.8', field: 'ID_HPA', names: 'hospital', check: 'ID_HPA is the session hospital' },
  { step: 'inter.10', field: 'ID_HPB', names: 'hospital', check: 'ID_HPB is the session hospital' },
];

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');



describe(`identity binding in the EMR model (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('a message naming another registered party as its sender is refused by the receiver\'s identity check (initial.2–.4, inter.2, .3, .6, .7, .8, .10)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUITE_NAMES), fc.uniqueArray(idArb, { minLength: 4, maxLength: 4 }), fc.integer(), (suite, ids, seed) => {
        const [p, q, a, b] = ids as [string, string, string, string];
        const problems: string[] = [];
        for (const { step, field, names, check } of ID_CHECKS) {
          const sys = honestRunUntil(suite, seed, { p, a, b, others: [q] }, step);
          const e = sys.net.next()!;
          const sender = e.from;
          // another registered party of the role the field names
          const other = names === 'patient' ? (sender === p ? q : p) : sender === a ? b : a;
          const bytes = tamperField(sys, step, e.bytes, field, { id: other });
          if (!bytes) throw new Error(`${step} does not decode`);
          const r = deliver(sys, { ...e, bytes, origin: 'modified' });
          const label = `${step} to ${e.to} with ${field} = ${other} (sender ${sender})`;
          if (r.kind !== 'aborted' || r.abort.check !== check) problems.push(`${label}: expected an abort by '${check}', got ${describeResult(r)}`);
          const accepted = sys.tracer.trace.events.filter((x) => x.kind === 'accept' && x.party === e.to && x.phase !== 'registration' && x.session === e.session).length;
          if (r.kind === 'aborted' && accepted) problems.push(`${label} ('${check}'): ${e.to} aborted yet accepted`);
        }
        expect(problems, `identities of other registered parties were not refused by the identity checks:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });
});
