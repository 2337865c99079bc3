/**
 * FUNCTIONAL properties (not security properties) of the records the hospitals write, §3.6 Step 4 and
 * §3.7 Step 10, over random suites, ids, seeds and symptoms, in honest runs:
 *
 * - initial treatment: hospital A's clinic is asked about the session patient with the symptoms that
 *   patient sent (inside c_PAT), and the EMR the patient receives carries that patient, those symptoms
 *   and the clinic's diagnosis and treatment;
 * - inter-hospital visit: hospital B's clinic sees the previous EMR (the one fetched from hospital A),
 *   and the patient's new EMR refers to the earlier record by its index (diagnosis id, hospital, digest).
 *
 * The clinic is a pure function of its input (so runs replay); each case keeps its own list of the
 * inputs the clinic saw. Bounded testing (RUNS cases from the printed seed), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { addParty, bytesEq, createSystem, runUntilQuiet, startInitial, startInter, startRegistration, type Clinic, type Emr } from '../src/model/index.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('clinic-records');
const RUNS = 6;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');

type ClinicInput = Parameters<Clinic>[0];

/** A deterministic clinic whose answer is a function of everything it was told; it logs each input. */
function recordingClinic(seen: ClinicInput[]): Clinic {
  return (input) => {
    seen.push(input);
    return {
      diagnosis: `dx[${input.hospitalId}|${input.patientId}|${input.symptoms}|${input.previous?.diagnosisId ?? 'none'}]`,
      treatment: `tx[${input.previous ? input.previous.treatment : 'first'}]`,
    };
  };
}

const caseArb = fc.record({
  suite: fc.constantFrom(...SUITE_NAMES),
  ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }),
  seed: fc.integer(),
  first: fc.string({ minLength: 1, maxLength: 40 }),
  second: fc.string({ minLength: 1, maxLength: 40 }),
});

function run(suite: string, p: string, a: string, b: string, seed: number, first: string, second: string) {
  const seenA: ClinicInput[] = [];
  const seenB: ClinicInput[] = [];
  const sys = createSystem({ suite, seed });
  addParty(sys, p, 'patient');
  addParty(sys, a, 'hospital', { slot: 'A', clinic: recordingClinic(seenA) });
  addParty(sys, b, 'hospital', { slot: 'B', clinic: recordingClinic(seenB) });
  for (const id of [p, a, b]) startRegistration(sys, id);
  runUntilQuiet(sys);
  startInitial(sys, p, a, { symptoms: first });
  runUntilQuiet(sys);
  const afterInitial = [...sys.parties.get(p)!.store.reports];
  startInter(sys, p, b, { symptoms: second });
  runUntilQuiet(sys);
  return { seenA, seenB, afterInitial, reports: sys.parties.get(p)!.store.reports };
}

describe(`clinic records, functional (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('functional: hospital A diagnoses the session patient from the symptoms the patient sent (initial.3), and the patient receives that EMR (initial.4)', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: [p, a, b], seed, first, second }) => {
        const { seenA, afterInitial } = run(suite, p!, a!, b!, seed, first, second);
        expect(seenA, `clinic of ${a} asked ${JSON.stringify(seenA)}`).toEqual([{ hospitalId: a, patientId: p, symptoms: first, previous: null }]);
        expect(afterInitial.length).toBe(1);
        const emr: Emr = afterInitial[0]!.emr;
        expect({ patientId: emr.patientId, hospitalId: emr.hospitalId, symptoms: emr.symptoms, diagnosis: emr.diagnosis, treatment: emr.treatment, previous: emr.previous }).toEqual({
          patientId: p, hospitalId: a, symptoms: first, diagnosis: `dx[${a}|${p}|${first}|none]`, treatment: 'tx[first]', previous: null,
        });
      }),
      propParams(SEED, RUNS),
    );
  });

  it('functional: hospital B\'s record (inter.10) is made with the previous EMR fetched from hospital A (inter.8) and refers to it by its index', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: [p, a, b], seed, first, second }) => {
        const { seenB, afterInitial, reports } = run(suite, p!, a!, b!, seed, first, second);
        const prior = afterInitial[0]!;
        expect(seenB.length, `clinic of ${b} asked ${seenB.length} times`).toBe(1);
        const input = seenB[0]!;
        expect({ hospitalId: input.hospitalId, patientId: input.patientId, symptoms: input.symptoms }).toEqual({ hospitalId: b, patientId: p, symptoms: second });
        expect(input.previous, 'hospital B was not given the previous EMR').not.toBeNull();
        expect(input.previous).toEqual(prior.emr);
        expect(reports.length).toBe(2);
        const next = reports[1]!.emr;
        expect(next.diagnosis).toBe(`dx[${b}|${p}|${second}|${prior.emr.diagnosisId}]`);
        expect(next.treatment).toBe(`tx[${prior.emr.treatment}]`);
        expect(next.previous?.diagnosisId).toBe(prior.index.diagnosisId);
        expect(next.previous?.hospitalId).toBe(a);
        expect(bytesEq(next.previous!.recordDigest, prior.index.recordDigest)).toBe(true);
      }),
      propParams(SEED, RUNS),
    );
  });
});
