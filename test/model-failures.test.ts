/**
 * Failure paths other than field tampering: registration checks (5)/(9)/(13) and the center's ID
 * validity; unregistered parties; smart-contract lookups hachk / ptchk / hbchk / mrchk; replayed
 * and re-routed old messages; wire rejections. Each aborted or rejected step leaves every stored
 * state and the ledger unchanged.
 */
import { describe, expect, test } from 'vitest';
import type { Ledger } from '../src/ledger/index.js';
import {
  ModelUsageError,
  aadFor,
  addParty,
  encodeEmrCert,
  encodeRequest,
  sigInputEmrCert,
  createSystem,
  deliver,
  runUntilQuiet,
  startInitial,
  startInter,
  startRegistration,
  tamperField,
  type DeliverResult,
  type System,
} from '../src/model/index.js';
import { decodeMessage, encodeMessage, type Envelope } from '../src/net/index.js';

function registered(seed = 'fail', suite = 'secp256k1'): System {
  const sys = createSystem({ suite, seed });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  for (const id of ['PAT-1', 'HPA', 'HPB']) startRegistration(sys, id);
  expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
  return sys;
}
function withInitial(sys: System): System {
  startInitial(sys, 'PAT-1', 'HPA');
  expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
  return sys;
}
const frozen = (sys: System) => ({ stores: new Map([...sys.parties].map(([id, p]) => [id, p.store])), ledger: sys.ledger, issued: sys.center.issued.size });
function unchanged(sys: System, f: ReturnType<typeof frozen>): void {
  for (const [id, p] of sys.parties) expect(p.store, id).toBe(f.stores.get(id));
  expect(sys.ledger).toBe(f.ledger);
  expect(sys.center.issued.size).toBe(f.issued);
}
/** Delivers everything; returns the first non-ok result, checking that it changed nothing. */
function firstFailure(sys: System): DeliverResult | undefined {
  for (let e = sys.net.next(); e; e = sys.net.next()) {
    const f = frozen(sys);
    const r = deliver(sys, e);
    if (r.kind !== 'ok') {
      unchanged(sys, f);
      return r;
    }
  }
  return undefined;
}
const abortOf = (r: DeliverResult | undefined) => {
  if (!r || r.kind !== 'aborted') throw new Error(`expected an abort, got ${r ? JSON.stringify(r.kind === 'rejected' ? r.rejection : r.kind) : 'nothing'}`);
  return r.abort;
};
const rejectionOf = (r: DeliverResult | undefined) => {
  if (!r || r.kind !== 'rejected') throw new Error(`expected a rejection, got ${r?.kind}`);
  return r.rejection;
};

/** A copy of the ledger without the txs `drop` selects (their hash chain no longer verifies; contracts still answer). */
function without(l: Ledger, drop: (t: Ledger['txs'][number]) => boolean): Ledger {
  return Object.freeze({ ...l, txs: Object.freeze(l.txs.filter((t) => !drop(t))) });
}

describe('registration', () => {
  /** A registration.2 envelope as if the center (or the channel) had produced these bytes. */
  function forgedReply(sys: System, to: string, field: 'R_X' | 'S_X' | 'PK_X' | 'SK_X'): Envelope {
    startRegistration(sys, to);
    const req = sys.net.next()!;
    expect(deliver(sys, req).kind).toBe('ok');
    const honest = sys.net.next()!;
    const bytes = tamperField(sys, 'registration.2', honest.bytes, field)!;
    return { ...honest, bytes, origin: 'modified' };
  }

  test.each([
    ['PAT-1', 'patient', undefined, 5],
    ['HPA', 'hospital', 'A', 9],
    ['HPB', 'hospital', 'B', 13],
  ] as const)('a bad S_X or R_X fails eq. (%s → %s %s) and stores nothing', (id, role, slot, eq) => {
    for (const field of ['S_X', 'R_X'] as const) {
      const sys = createSystem({ seed: `reg-${id}-${field}` });
      addParty(sys, id, role, slot ? { slot } : {});
      const env = forgedReply(sys, id, field);
      const f = frozen(sys);
      const r = abortOf(deliver(sys, env));
      expect(r).toMatchObject({ party: id, step: 'registration.2', eq, code: 'check-failed' });
      unchanged(sys, f);
      expect(sys.parties.get(id)!.store.credentials).toBeNull();
      expect(() => startInitial(sys, id, 'X')).toThrow(ModelUsageError);
    }
  });

  test('PK_X and SK_X must match S_X (named checks, no credentials stored)', () => {
    for (const field of ['PK_X', 'SK_X'] as const) {
      const sys = createSystem({ seed: `reg-${field}` });
      addParty(sys, 'PAT-1', 'patient');
      const r = abortOf(deliver(sys, forgedReply(sys, 'PAT-1', field)));
      expect(r).toMatchObject({ code: 'check-failed', check: field === 'PK_X' ? 'PK_X = S_X·P' : 'SK_X = S_X' });
      expect(r.eq).toBeUndefined();
      expect(sys.parties.get('PAT-1')!.store.credentials).toBeNull();
    }
  });

  test('the center refuses an ID it has not enrolled, and a second registration of the same ID', () => {
    const sys = createSystem({ seed: 'enrol' });
    addParty(sys, 'PAT-9', 'patient', { enrol: false });
    startRegistration(sys, 'PAT-9');
    const f = frozen(sys);
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'CENTER', code: 'registration-refused', step: 'registration.1' });
    unchanged(sys, f);
    expect(sys.ledger.txs).toHaveLength(0);

    addParty(sys, 'PAT-1', 'patient');
    startRegistration(sys, 'PAT-1');
    expect(firstFailure(sys)).toBeUndefined();
    startRegistration(sys, 'PAT-1');
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'CENTER', code: 'registration-refused' });
    expect(sys.ledger.txs).toHaveLength(1);
  });

  test('registration messages off the secure channel are refused; the center checks ID_X against the channel', () => {
    const sys = createSystem({ seed: 'chan' });
    addParty(sys, 'PAT-1', 'patient');
    const bytes = encodeMessage(sys.suite, { step: 'registration.1', fields: { ID_X: 'PAT-1' } }).bytes;
    sys.net.adversary.inject({ step: 'registration.1', session: 'm', from: 'PAT-1', to: 'CENTER', bytes });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ reason: 'wrong-channel' });
    // a secure-channel envelope whose ID_X is not its sender (e.g. a faulty device)
    startRegistration(sys, 'PAT-1');
    const e = sys.net.next()!;
    const other = encodeMessage(sys.suite, { step: 'registration.1', fields: { ID_X: 'HPA' } }).bytes;
    expect(abortOf(deliver(sys, { ...e, bytes: other }))).toMatchObject({ party: 'CENTER', code: 'id-mismatch' });
    expect(sys.ledger.txs).toHaveLength(0);
  });
});

describe('unregistered parties', () => {
  test('an unregistered patient cannot start a session; an unregistered hospital drops openings', () => {
    const sys = registered();
    addParty(sys, 'PAT-X', 'patient');
    expect(() => startInitial(sys, 'PAT-X', 'HPA')).toThrow(expect.objectContaining({ code: 'not-registered' }));
    addParty(sys, 'HPX', 'hospital');
    startInitial(sys, 'PAT-1', 'HPX');
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ reason: 'not-registered', party: 'HPX' });
  });

  test('a patient with self-made keys (never issued by the center) fails eq. (25): S·P ≠ R + H1(ID, R)·PK', () => {
    const sys = registered();
    const fake = addParty(sys, 'PAT-F', 'patient');
    const cs = sys.suite;
    const S = cs.randomScalar(sys.root);
    const R = cs.mulG(cs.randomScalar(sys.root));
    fake.store = { ...fake.store, credentials: { R, S, PK: cs.mulG(S), SK: S } };
    startInitial(sys, 'PAT-F', 'HPA');
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'PAT-F', step: 'initial.2', eq: 25 });
  });

  test('a Dolev–Yao attacker replaying a patient hello cannot finish: the hospital aborts at (28)', () => {
    const sys = registered();
    startInitial(sys, 'PAT-1', 'HPA');
    const hello = sys.net.pending()[0]!;
    runUntilQuiet(sys);
    // replay as a new session; answer initial.2 with a forged initial.3 built from the old one
    const replayed = sys.net.adversary.replay(hello.id, { session: 'evil#1' });
    expect(deliver(sys, sys.net.take(replayed.id)).kind).toBe('ok');
    const old3 = sys.tracer.trace.events.find((e) => e.kind === 'send' && e.step === 'initial.3')!;
    sys.net.pending().forEach((e) => sys.net.adversary.drop(e.id));
    const f = frozen(sys);
    const r3 = sys.net.adversary.replay(old3.seq, { session: 'evil#1' });
    const r = abortOf(deliver(sys, sys.net.take(r3.id)));
    expect(r).toMatchObject({ party: 'HPA', step: 'initial.3', eq: 28, session: 'evil#1' });
    unchanged(sys, f);
  });
});

describe('unknown identities', () => {
  test('a hello from an unknown ID is answered (as in the paper) but the session cannot complete: (28) fails', () => {
    const sys = registered('unknown');
    const cs = sys.suite;
    const rnd = () => cs.mulG(cs.randomScalar(sys.root));
    const hello = encodeMessage(cs, { step: 'initial.1', fields: { ID_PAT: 'MALLORY', R_PAT: rnd(), T_PAT: rnd() } }).bytes;
    sys.net.adversary.inject({ step: 'initial.1', session: 'mal#1', from: 'MALLORY', to: 'HPA', bytes: hello });
    const r1 = deliver(sys, sys.net.next()!);
    expect(r1.kind).toBe('ok'); // hospital A computes (15)-(20) for any ID and R
    sys.net.adversary.drop(sys.net.pending()[0]!.id);
    const f = frozen(sys);
    const guess = encodeMessage(cs, { step: 'initial.3', fields: { ID_PAT: 'MALLORY', c_PAT: new Uint8Array(60), CHK_AP: new Uint8Array(cs.sizes.h3) } }).bytes;
    sys.net.adversary.inject({ step: 'initial.3', session: 'mal#1', from: 'MALLORY', to: 'HPA', bytes: guess });
    expect(abortOf(deliver(sys, sys.net.next()!))).toMatchObject({ party: 'HPA', eq: 28, code: 'check-failed' });
    unchanged(sys, f);
  });

  test('hellos that repeat a forged R for a registered ID cost one derivation each and never a peer-key table', () => {
    const sys = registered('forged-r');
    const cs = sys.suite;
    const forgedR = cs.mulG(cs.randomScalar(sys.root));
    for (let i = 0; i < 5; i++) {
      const hello = encodeMessage(cs, { step: 'initial.1', fields: { ID_PAT: 'PAT-1', R_PAT: forgedR, T_PAT: cs.mulG(cs.randomScalar(sys.root)) } }).bytes;
      sys.net.adversary.inject({ step: 'initial.1', session: `forged#${i}`, from: 'PAT-1', to: 'HPA', bytes: hello });
      expect(deliver(sys, sys.net.next()!).kind).toBe('ok'); // hospital A answers any hello (§3.6 Step 2)
      sys.net.adversary.drop(sys.net.pending()[0]!.id);
    }
    const cache = sys.parties.get('HPA')!.peerKeys!;
    expect(cache.stats).toMatchObject({ misses: 1, hits: 4, tables: 0 });
    expect([...cache.entries.values()].map((e) => [e.uses, e.window])).toEqual([[0, 0]]); // no session authenticated
  });

  test('strictIds: a hardened hospital rejects a hello from an unregistered ID before computing anything', () => {
    const sys = createSystem({ seed: 'strict', strictIds: true });
    addParty(sys, 'PAT-1', 'patient');
    addParty(sys, 'HPA', 'hospital');
    for (const id of ['PAT-1', 'HPA']) startRegistration(sys, id);
    expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
    const cs = sys.suite;
    const hello = encodeMessage(cs, { step: 'initial.1', fields: { ID_PAT: 'MALLORY', R_PAT: cs.G, T_PAT: cs.G } }).bytes;
    sys.net.adversary.inject({ step: 'initial.1', session: 'mal#1', from: 'MALLORY', to: 'HPA', bytes: hello });
    const mulsBefore = sys.counters.get('HPA|initial')?.counts().mul ?? 0;
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ kind: 'wire-rejection', step: 'initial.1', field: 'ID_PAT', reason: 'unknown-id' });
    expect(sys.counters.get('HPA|initial')?.counts().mul ?? 0).toBe(mulsBefore);
    // registered parties still run the protocol
    startInitial(sys, 'PAT-1', 'HPA');
    expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
  });

  test('a receiver that knows the registered principals rejects an unknown ID at decoding', () => {
    const sys = registered('unknown2');
    const cs = sys.suite;
    const bytes = encodeMessage(cs, { step: 'initial.1', fields: { ID_PAT: 'MALLORY', R_PAT: cs.G, T_PAT: cs.G } }).bytes;
    const known = (id: string) => sys.ledger.txs.some((t) => ('patientId' in t.args ? t.args.patientId : 'hospitalId' in t.args ? t.args.hospitalId : '') === id);
    expect(decodeMessage(cs, bytes, { knownId: known })).toMatchObject({ ok: false, rejection: { step: 'initial.1', field: 'ID_PAT', reason: 'unknown-id' } });
  });
});

describe('smart-contract lookups', () => {
  test('hachk: the patient refuses a hospital that is not on the ledger', () => {
    const sys = registered('hachk');
    sys.ledger = without(sys.ledger, (t) => t.contract === 'hains');
    startInitial(sys, 'PAT-1', 'HPA');
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'PAT-1', step: 'initial.2', code: 'contract-failed', check: 'hachk' });
  });

  test('ptchk: hospital A refuses a patient that is not on the ledger (after (28) holds)', () => {
    const sys = registered('ptchk');
    sys.ledger = without(sys.ledger, (t) => t.contract === 'ptins');
    startInitial(sys, 'PAT-1', 'HPA');
    const a = abortOf(firstFailure(sys));
    expect(a).toMatchObject({ party: 'HPA', step: 'initial.3', code: 'contract-failed', check: 'ptchk' });
    const ev = sys.tracer.trace.events;
    expect(ev.some((e) => e.kind === 'check' && e.eq === 28 && e.ok)).toBe(true);
  });

  test('hbchk: the patient refuses hospital B when the ledger lacks it', () => {
    const sys = withInitial(registered('hbchk'));
    sys.ledger = without(sys.ledger, (t) => t.contract === 'hbins');
    startInter(sys, 'PAT-1', 'HPB');
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'PAT-1', step: 'inter.2', code: 'contract-failed', check: 'hbchk' });
  });

  test('ptchk at hospital B: the presented index must be mapped to the patient on the ledger', () => {
    const sys = withInitial(registered('map'));
    sys.ledger = without(sys.ledger, (t) => t.contract === 'ptlink');
    startInter(sys, 'PAT-1', 'HPB');
    const a = abortOf(firstFailure(sys));
    expect(a).toMatchObject({ party: 'HPB', step: 'inter.3', code: 'contract-failed', check: 'ptchk' });
    expect(a.detail).toMatch(/HPA-D1 is NOT in the mapping/);
  });

  test('mrchk: hospital B refuses a record whose digest differs from the ledger index, aborting both its sessions', () => {
    const sys = withInitial(registered('mrchk'));
    // hospital A's server now holds an altered record (it signs what it holds: (69) passes)
    const ha = sys.parties.get('HPA')!;
    const held = ha.store.records.get('HPA-D1')!;
    const records = new Map(ha.store.records);
    records.set('HPA-D1', { ...held, emr: { ...held.emr, diagnosis: 'altered after indexing' } });
    ha.store = { ...ha.store, records };
    startInter(sys, 'PAT-1', 'HPB');
    const a = abortOf(firstFailure(sys));
    expect(a).toMatchObject({ party: 'HPB', step: 'inter.8', code: 'contract-failed', check: 'mrchk' });
    expect(sys.tracer.trace.events.some((e) => e.kind === 'check' && e.eq === 69 && e.ok)).toBe(true);
    const aborts = sys.tracer.trace.events.filter((e) => e.kind === 'abort' && e.party === 'HPB');
    expect(aborts).toHaveLength(2); // the HB–HA session and the patient's session at HB
    expect(sys.parties.get('PAT-1')!.sessions.get('PAT-1#3')!.status).toBe('running'); // never answered
  });

  test('hospital A answers only for records it holds (record-not-found)', () => {
    const sys = withInitial(registered('nf'));
    const ha = sys.parties.get('HPA')!;
    ha.store = { ...ha.store, records: new Map() };
    startInter(sys, 'PAT-1', 'HPB');
    expect(abortOf(firstFailure(sys))).toMatchObject({ party: 'HPA', step: 'inter.7', code: 'record-not-found' });
  });

  test('the contracts see the hospital registered with either hains or hbins (roles are per session)', () => {
    const sys = registered('roles');
    // initial treatment at hospital B (registered with hbins), then a visit to hospital A
    startInitial(sys, 'PAT-1', 'HPB');
    expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
    startInter(sys, 'PAT-1', 'HPA');
    expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
    expect(sys.parties.get('PAT-1')!.store.reports.map((r) => r.emr.diagnosisId)).toEqual(['HPB-D1', 'HPA-D1']);
  });
});

describe('insiders: a registered party that deviates', () => {
  test('a hospital whose Cert does not match the EMR it signs: the patient aborts (cert-invalid) after (32) and (33) hold', () => {
    const sys = registered('cert');
    const { session } = startInitial(sys, 'PAT-1', 'HPA');
    deliver(sys, sys.net.next()!); // initial.1 at HPA
    deliver(sys, sys.net.next()!); // initial.2 at PAT-1
    sys.net.adversary.drop(sys.net.pending()[0]!.id); // the malicious HPA answers itself
    const ha = sys.parties.get('HPA')!;
    const st = ha.sessions.get(session)!;
    if (st.kind !== 'hospital-initial') throw new Error('unexpected session');
    const cs = sys.suite;
    const emr = { diagnosisId: 'HPA-D9', patientId: 'PAT-1', hospitalId: 'HPA', symptoms: 's', diagnosis: 'd', treatment: 't', previous: null };
    const cert = { hospitalId: 'HPA', R: cs.encodePoint(ha.store.credentials!.R), patientId: 'PAT-1', diagnosisId: 'HPA-D9', recordDigest: new Uint8Array(32) };
    const c_HPA = cs.encrypt(st.SEK, encodeEmrCert(emr, cert), sys.root, aadFor('initial.4'));
    const Sig_HPA = cs.sign(ha.store.credentials!.SK, sigInputEmrCert(emr, cert), sys.root);
    const bytes = encodeMessage(cs, { step: 'initial.4', fields: { ID_HPA: 'HPA', c_HPA, Sig_HPA } }).bytes;
    sys.net.adversary.inject({ step: 'initial.4', session, from: 'HPA', to: 'PAT-1', bytes });
    const f = frozen(sys);
    const a = abortOf(deliver(sys, sys.net.next()!));
    expect(a).toMatchObject({ party: 'PAT-1', step: 'initial.4', code: 'cert-invalid' });
    expect(a.detail).toMatch(/record digest in Cert does not match the EMR/);
    const ev = sys.tracer.trace.events;
    expect(ev.some((e) => e.kind === 'check' && e.eq === 33 && e.ok)).toBe(true);
    unchanged(sys, f);
    expect(sys.parties.get('PAT-1')!.store.reports).toHaveLength(0);
  });

  test('a patient sending something other than symptoms under SEK_AP: hospital A aborts (payload-invalid) after (28) and (29)', () => {
    const sys = registered('payload');
    const { session } = startInitial(sys, 'PAT-1', 'HPA');
    deliver(sys, sys.net.next()!);
    deliver(sys, sys.net.next()!);
    const honest = sys.net.pending()[0]!;
    const st = sys.parties.get('PAT-1')!.sessions.get(session)!;
    if (st.kind !== 'patient-initial') throw new Error('unexpected session');
    const cs = sys.suite;
    const d = decodeMessage(cs, honest.bytes, { expect: 'initial.3' });
    if (!d.ok || d.message.step !== 'initial.3') throw new Error('no initial.3');
    const c_PAT = cs.encrypt(st.SEK!, encodeRequest({ kind: 'record-request', requesterId: 'PAT-1', patientId: 'PAT-2', diagnosisId: 'HPA-D1' }), sys.root, aadFor('initial.3'));
    sys.net.adversary.modify(honest.id, encodeMessage(cs, { step: 'initial.3', fields: { ...d.message.fields, c_PAT } }).bytes);
    const f = frozen(sys);
    expect(abortOf(deliver(sys, sys.net.next()!))).toMatchObject({ party: 'HPA', step: 'initial.3', code: 'payload-invalid' });
    unchanged(sys, f);
  });

  test('a writing contract that refuses (duplicate diagnosis id) aborts the step: no record stored, no index written', () => {
    const sys = withInitial(registered('dup'));
    const ha = sys.parties.get('HPA')!;
    ha.store = { ...ha.store, diagnoses: 0 }; // the hospital's counter was reset: it will reuse HPA-D1
    const storeBefore = ha.store;
    startInitial(sys, 'PAT-1', 'HPA');
    const a = abortOf(firstFailure(sys));
    expect(a).toMatchObject({ party: 'HPA', step: 'initial.3', code: 'ledger-refused', check: 'mrins' });
    expect(a.detail).toMatch(/duplicate-diagnosis/);
    expect(ha.store).toBe(storeBefore);
    expect(sys.ledger.txs.filter((t) => t.contract === 'mrins')).toHaveLength(1);
  });
});

describe('replay and routing', () => {
  test('a replayed message for a session that moved on is rejected (unexpected-step)', () => {
    const sys = registered('replay');
    startInitial(sys, 'PAT-1', 'HPA');
    runUntilQuiet(sys);
    const sends = sys.tracer.trace.events.filter((e) => e.kind === 'send' && e.phase === 'initial');
    for (const s of sends) {
      const f = frozen(sys);
      const copy = sys.net.adversary.replay(s.seq);
      const r = deliver(sys, sys.net.take(copy.id));
      unchanged(sys, f);
      if (s.kind === 'send' && s.step === 'initial.1') {
        expect(rejectionOf(r)).toMatchObject({ reason: 'session-exists' });
      } else {
        expect(rejectionOf(r)).toMatchObject({ reason: 'unexpected-step' });
      }
    }
  });

  test('an old inter.7 replayed into a fresh HB–HA session fails (64) at hospital A', () => {
    const sys = withInitial(registered('replay7'));
    startInter(sys, 'PAT-1', 'HPB');
    runUntilQuiet(sys);
    const ev = sys.tracer.trace.events;
    const s5 = ev.find((e) => e.kind === 'send' && e.step === 'inter.5')!;
    const s7 = ev.find((e) => e.kind === 'send' && e.step === 'inter.7')!;
    const hello = sys.net.adversary.replay(s5.seq, { session: 'evil#7' });
    expect(deliver(sys, sys.net.take(hello.id)).kind).toBe('ok');
    sys.net.pending().forEach((e) => sys.net.adversary.drop(e.id));
    const old = sys.net.adversary.replay(s7.seq, { session: 'evil#7' });
    expect(abortOf(deliver(sys, sys.net.take(old.id)))).toMatchObject({ party: 'HPA', eq: 64, code: 'check-failed' });
  });

  test('unknown addressee, wrong receiver role, malformed bytes: typed rejections', () => {
    const sys = registered('route');
    const cs = sys.suite;
    const hello = encodeMessage(cs, { step: 'initial.1', fields: { ID_PAT: 'PAT-1', R_PAT: cs.G, T_PAT: cs.G } }).bytes;
    sys.net.adversary.inject({ step: 'initial.1', session: 'm1', from: 'PAT-1', to: 'NOBODY', bytes: hello });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ kind: 'routing-rejection', reason: 'unknown-party' });
    sys.net.adversary.inject({ step: 'initial.1', session: 'm2', from: 'HPA', to: 'PAT-1', bytes: hello });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ reason: 'unexpected-step' });
    sys.net.adversary.inject({ step: 'initial.1', session: 'm3', from: 'PAT-1', to: 'HPA', bytes: hello.subarray(0, 40) });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ kind: 'wire-rejection', step: 'initial.1', field: 'T_PAT', reason: 'truncated' });
    const idPoint = new Uint8Array(hello);
    idPoint.fill(0, 7, 7 + cs.sizes.point);
    sys.net.adversary.inject({ step: 'initial.1', session: 'm4', from: 'PAT-1', to: 'HPA', bytes: idPoint });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ field: 'R_PAT', reason: 'identity-point' });
    sys.net.adversary.inject({ step: 'initial.2', session: 'm5', from: 'HPA', to: 'PAT-1', bytes: hello });
    expect(rejectionOf(firstFailure(sys))).toMatchObject({ step: 'initial.2', reason: 'wrong-step' });
    const rejects = sys.tracer.trace.events.filter((e) => e.kind === 'reject');
    expect(rejects).toHaveLength(5);
    // the rejected messages created no sessions
    expect([...sys.parties.get('HPA')!.sessions.keys()].filter((k) => k.startsWith('m'))).toEqual([]);
  });

  test('a wire rejection does not end the session: the honest message still completes it', () => {
    const sys = registered('garbage');
    startInitial(sys, 'PAT-1', 'HPA');
    deliver(sys, sys.net.next()!); // HPA answers initial.2
    const honest = sys.net.pending()[0]!;
    sys.net.adversary.inject({ step: 'initial.2', session: honest.session, from: 'HPA', to: 'PAT-1', bytes: Uint8Array.of(4, 1) });
    sys.net.adversary.reorder([sys.net.pending()[1]!.id]);
    const results = runUntilQuiet(sys);
    expect(results.map((r) => r.kind)).toEqual(['rejected', 'ok', 'ok', 'ok']);
    expect(sys.parties.get('PAT-1')!.store.reports).toHaveLength(1);
  });
});
