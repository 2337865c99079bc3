/**
 * Sessions are independent state machines: many sessions of several patients and hospitals,
 * delivered in an arbitrary (adversarially scheduled, but unmodified) order, all complete with
 * agreeing keys, and each party keeps exactly its own records. Bounded property test (fast-check,
 * fixed seed, few runs: each run is a full multi-session execution on real crypto).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { addParty, createSystem, deliver, keyAgreement, startInitial, startInter, startRegistration, type System } from '../src/model/index.js';

/** Delivers every pending envelope, always picking the pending one at index pick[i] mod |pending|. */
function drainInOrder(sys: System, picks: number[]): void {
  let i = 0;
  for (let guard = 0; guard < 500; guard++) {
    const q = sys.net.pending();
    if (q.length === 0) return;
    const e = q[(picks[i++ % picks.length] ?? 0) % q.length]!;
    const r = deliver(sys, sys.net.take(e.id));
    expect(r.kind, `${e.step} to ${e.to}: ${JSON.stringify(r.kind === 'ok' ? '' : r.kind === 'aborted' ? r.abort : r.rejection)}`).toBe('ok');
  }
  throw new Error('did not quiesce');
}

test('property: any delivery order of concurrent sessions completes them all with agreeing keys', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 40 }), fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 40 }), (picks1, picks2) => {
      const sys = createSystem({ suite: 'ristretto255', seed: 'interleave' });
      for (const id of ['PAT-1', 'PAT-2']) addParty(sys, id, 'patient');
      addParty(sys, 'HPA', 'hospital', { slot: 'A' });
      addParty(sys, 'HPB', 'hospital', { slot: 'B' });
      for (const id of ['PAT-1', 'PAT-2', 'HPA', 'HPB']) startRegistration(sys, id);
      drainInOrder(sys, picks1);
      // both patients at both hospitals' front doors at once
      const i1 = startInitial(sys, 'PAT-1', 'HPA');
      const i2 = startInitial(sys, 'PAT-2', 'HPB');
      const i3 = startInitial(sys, 'PAT-2', 'HPA', { symptoms: 'second visit' });
      drainInOrder(sys, picks2);
      // then each visits the other hospital, concurrently
      const v1 = startInter(sys, 'PAT-1', 'HPB');
      const atA = sys.parties.get('PAT-2')!.store.reports.find((r) => r.index.hospitalId === 'HPA')!;
      const v2 = startInter(sys, 'PAT-2', 'HPB', { diagnosisId: atA.index.diagnosisId });
      drainInOrder(sys, [...picks1].reverse());
      const agreements = [
        keyAgreement(sys, 'initial', 'SEK_AP', ['PAT-1', i1.session], ['HPA', i1.session]),
        keyAgreement(sys, 'initial', 'SEK_AP', ['PAT-2', i2.session], ['HPB', i2.session]),
        keyAgreement(sys, 'initial', 'SEK_AP', ['PAT-2', i3.session], ['HPA', i3.session]),
        keyAgreement(sys, 'inter', 'SEK_BP', ['PAT-1', v1.session], ['HPB', v1.session]),
        keyAgreement(sys, 'inter', 'SEK_BP', ['PAT-2', v2.session], ['HPB', v2.session]),
      ];
      expect(agreements.every((a) => a.agreed)).toBe(true);
      const p1 = sys.parties.get('PAT-1')!.store.reports;
      const p2 = sys.parties.get('PAT-2')!.store.reports;
      expect(p1).toHaveLength(2);
      expect(p2).toHaveLength(3);
      expect([...p1, ...p2].every((r) => r.emr.patientId === r.cert.patientId)).toBe(true);
      expect(p1.every((r) => r.emr.patientId === 'PAT-1') && p2.every((r) => r.emr.patientId === 'PAT-2')).toBe(true);
      // HPA wrote 2 records, HPB 3 (one initial + two follow-ups), each indexed once on the ledger
      const mr = sys.ledger.txs.filter((t) => t.contract === 'mrins');
      expect(mr).toHaveLength(5);
      expect(new Set(mr.map((t) => (t.contract === 'mrins' ? t.args.diagnosisId : ''))).size).toBe(5);
    }),
    { numRuns: 4, seed: 73, endOnFailure: true },
  );
});
