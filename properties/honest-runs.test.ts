/**
 * Honest runs of the whole EMR protocol (registration, initial treatment at hospital A, a visit to
 * hospital B that fetches the record from A), over random suites, ids, seeds, symptoms and numbers of
 * visits, with the honest in-order scheduler:
 *
 * - the trace records no failed check: every `check` event (numbered equation checks, AEAD decryptions,
 *   signature verifications, ID and certificate checks) and every `contract` event is ok;
 * - after every delivery the receiver's stored state is well formed (sessions under their own labels, of a
 *   known kind; records and reports complete), or the step that made it is named;
 * - every acceptance is matched: for each acceptance (X, phase, session, peer Y) of a step, Y accepted
 *   (Y, phase, session, peer X), so every party names its peer, the phase and the session, and its
 *   partner agrees on all three.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { ledgerState } from '../src/ledger/state.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, type DeliverResult, type System } from '../src/model/index.js';
import type { TraceEvent } from '../src/net/trace.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('honest-runs');
const RUNS = 6;

/** Identities as the codec accepts them (1..64 of [A-Za-z0-9._:-]), never the center's. */
const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');

interface Accepted {
  readonly party?: string;
  readonly phase?: string;
  readonly session?: string;
  readonly peer?: string;
  /** The delivery whose step produced the acceptance: step id, receiver. */
  readonly on: string;
}

/**
 * The step a receiver's work on a delivery belongs to (docs/contracts.md step table): the step of the
 * message it sends next, or the received step when it sends nothing. Costs and diagrams count work by it.
 */
const WORK_STEP: Readonly<Record<string, string>> = {
  'registration.1': 'registration.2', 'registration.2': 'registration.2',
  'initial.1': 'initial.2', 'initial.2': 'initial.3', 'initial.3': 'initial.4', 'initial.4': 'initial.4',
  'inter.1': 'inter.2', 'inter.2': 'inter.3', 'inter.3': 'inter.5', 'inter.5': 'inter.6', 'inter.6': 'inter.7', 'inter.7': 'inter.8', 'inter.8': 'inter.10', 'inter.10': 'inter.10',
};

const SESSION_KINDS = new Set(['reg', 'patient-initial', 'hospital-initial', 'patient-inter', 'hb-patient', 'hb-record', 'ha-record']);

/**
 * What is malformed in party `id`'s stored state (the model's types, checked at run time): every session
 * stored under its own label, of a known kind, with a status and a peer; the store's records (emr, digest)
 * and the patient's reports (emr, cert, signature, index).
 */
function malformedState(sys: System, id: string): string[] {
  const p = sys.parties.get(id);
  if (!p) return [];
  const bad: string[] = [];
  for (const [key, st] of p.sessions) {
    const x = st as unknown as Record<string, unknown> | undefined;
    if (!x || x.label !== key) bad.push(`the session stored under '${key}' has label '${String(x?.label)}'`);
    else if (!SESSION_KINDS.has(String(x.kind)) || !['running', 'accepted', 'aborted'].includes(String(x.status)) || typeof x.peer !== 'string')
      bad.push(`session '${key}' has kind '${String(x.kind)}', status '${String(x.status)}', peer '${String(x.peer)}'`);
  }
  const store = p.store as unknown as Record<string, unknown> | undefined;
  const cr = store?.credentials as Record<string, unknown> | null | undefined;
  const isPoint = (x: unknown) => !!x && typeof x === 'object' && 'suite' in x;
  if (cr && (!isPoint(cr.R) || !isPoint(cr.PK) || typeof cr.S !== 'bigint' || typeof cr.SK !== 'bigint')) bad.push('the stored credentials (R_X, S_X, PK_X, SK_X) are not two points and two scalars');
  if (!store || !(store.records instanceof Map) || !Array.isArray(store.reports) || typeof store.diagnoses !== 'number') bad.push('the party store lacks its records, reports or diagnosis count');
  else {
    for (const [d, r] of store.records as Map<string, Record<string, unknown>>) {
      if (!r?.emr || !(r.digest instanceof Uint8Array)) bad.push(`record '${d}' has no EMR or digest`);
      // a record received from another hospital keeps who sent it and its signature (Table 1 row 2)
      const got = r?.received as Record<string, unknown> | undefined;
      if (got !== undefined && (typeof got?.from !== 'string' || !(got.signature instanceof Uint8Array))) bad.push(`received record '${d}' lacks its sender or signature`);
    }
    (store.reports as Record<string, unknown>[]).forEach((r, i) => {
      const ix = r?.index as Record<string, unknown> | undefined;
      if (!r?.emr || !r.cert || !(r.signature instanceof Uint8Array) || !ix) bad.push(`report ${i + 1} lacks its EMR, Cert, signature or index`);
      else if (typeof ix.diagnosisId !== 'string' || typeof ix.hospitalId !== 'string' || !(ix.recordDigest instanceof Uint8Array)) bad.push(`report ${i + 1}'s medical index lacks its diagnosis id, hospital or digest`);
    });
  }
  return bad;
}

/**
 * Delivers in order until quiet; keeps each acceptance with the step that produced it, and describes
 * every computation, check or contract call of a delivery that the trace attributes to another step.
 */
function drain(sys: System, acc: Accepted[], misattributed: string[] = [], last: Map<string, string> = new Map()): DeliverResult[] {
  const out: DeliverResult[] = [];
  for (let e = sys.net.next(); e; e = sys.net.next()) {
    last.set(`${e.to}|${e.session}`, e.step);
    const seen = sys.tracer.trace.events.length;
    const reports = sys.parties.get(e.to)?.store.reports.length ?? 0;
    let r: DeliverResult;
    try {
      r = deliver(sys, e);
    } catch (x) {
      // name the delivery that threw: a crash inside a step is a failure of that step
      throw new Error(`the delivery of ${e.step} to ${e.to} (session ${e.session}; the work of step ${WORK_STEP[e.step]}) threw: ${x instanceof Error ? x.message : String(x)}`);
    }
    if (!r || typeof r !== 'object' || !('kind' in r)) throw new Error(`the delivery of ${e.step} to ${e.to} (session ${e.session}; the work of step ${WORK_STEP[e.step]}) returned no result (${String(r)})`);
    out.push(r);
    // the receiver's stored state after the step is well formed: a malformed state is named by the step that made it
    const malformed = malformedState(sys, e.to);
    // the receiving session moved on: it no longer awaits the step it just received (a step that opens a session stores it)
    const rs = sys.parties.get(e.to)?.sessions.get(e.session) as unknown as { awaiting?: unknown } | undefined;
    if (r.kind === 'ok' && e.to !== 'CENTER' && (!rs || rs.awaiting === e.step)) malformed.push(rs ? `session ${e.session} still awaits ${e.step}` : `no session ${e.session} is stored`);
    const l = sys.ledger as unknown as { txs?: unknown } | undefined;
    if (!l || !Array.isArray(l.txs)) malformed.push('the ledger is no longer a ledger (a contract call returned something else)');
    // a patient keeps one report per treatment or visit it accepts (§3.6 Step 5, §3.7 Step 11), none otherwise
    const party = sys.parties.get(e.to);
    if (party?.role === 'patient' && Array.isArray(party.store?.reports)) {
      const kept = party.store.reports.length - reports;
      const want = r.kind === 'ok' ? r.accepted.filter((a) => a.party === e.to && (a.phase === 'initial' || a.phase === 'inter')).length : 0;
      if (kept !== want) malformed.push(`the patient kept ${kept} new report(s) for ${want} accepted treatment or visit(s)`);
    }
    if (malformed.length) throw new Error(`after the delivery of ${e.step} to ${e.to} (session ${e.session}; the work of step ${WORK_STEP[e.step]}) the receiver's state is malformed: ${malformed.join('; ')}`);
    if (r.kind === 'ok') for (const a of r.accepted) acc.push({ ...a, on: `${e.step} to ${e.to}` });
    for (const ev of sys.tracer.trace.events.slice(seen)) {
      if (ev.kind !== 'compute' && ev.kind !== 'check' && ev.kind !== 'contract') continue;
      const what = ev.kind === 'compute' ? `computation (${ev.eq})` : ev.kind === 'check' ? `check '${ev.name}'` : `contract ${ev.contract}`;
      if (ev.step !== WORK_STEP[e.step]) misattributed.push(`${what} by ${ev.party} during the delivery of ${e.step} is attributed to ${ev.step ?? 'no step'}, not ${WORK_STEP[e.step]}`);
    }
  }
  return out;
}

function describeFailure(e: TraceEvent): string | null {
  if (e.kind === 'check' && !e.ok) return `${e.party} ${e.step} check ${e.eq !== undefined ? `(${e.eq}) ` : ''}'${e.name}' failed: ${e.reason ?? ''}`;
  if (e.kind === 'contract' && !e.ok) return `${e.party} ${e.step} contract ${e.contract} failed: ${e.detail ?? ''}`;
  return null;
}

const show = (a: Accepted) => `${a.party} accepted ${a.phase} session ${a.session} with ${a.peer} (on ${a.on})`;

/** Acceptances without a partner acceptance naming each other, the same phase and the same session. */
function unmatched(acc: readonly Accepted[]): string[] {
  const bad: string[] = [];
  for (const a of acc) {
    const named = a.party !== undefined && a.peer !== undefined && a.phase !== undefined && a.session !== undefined && a.party !== a.peer;
    const partner = named && acc.some((b) => b !== a && b.party === a.peer && b.peer === a.party && b.phase === a.phase && b.session === a.session);
    if (!partner) bad.push(`${show(a)}: no partner acceptance naming the peer, phase and session`);
  }
  return bad;
}

const runArb = fc.record({
  suite: fc.constantFrom(...SUITE_NAMES),
  ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }),
  seed: fc.integer(),
  visits: fc.integer({ min: 1, max: 2 }),
  symptoms: fc.string({ minLength: 1, maxLength: 40 }),
});

describe(`honest runs (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('an honest run records no failed check, equation check (eq), decryption or contract event, and every step completes', () => {
    fc.assert(
      fc.property(runArb, ({ suite, ids: [p, a, b], seed, visits, symptoms }) => {
        const misattributed: string[] = [];
        const { sys, results } = honestRun(suite, p!, a!, b!, seed, visits, symptoms, [], misattributed);
        const bad = failures(sys, results);
        expect(bad, `an honest run failed:\n${bad.join('\n')}`).toEqual([]);
        // the trace attributes each delivery's work to the step of the paper's table (costs and diagrams count by it)
        expect(misattributed.slice(0, 5), `work attributed to the wrong step:\n${misattributed.slice(0, 5).join('\n')}`).toEqual([]);
        // not vacuous: checks were made (every phase has checks)
        expect(sys.tracer.trace.events.filter((e) => e.kind === 'check').length).toBeGreaterThan(10);
      }),
      propParams(SEED, RUNS),
    );
  });

  it('every acceptance (party, peer, phase, session) of an honest run is matched by its partner\'s acceptance', () => {
    fc.assert(
      fc.property(runArb, ({ suite, ids: [p, a, b], seed, visits, symptoms }) => {
        const acc: Accepted[] = [];
        const { sys, results } = honestRun(suite, p!, a!, b!, seed, visits, symptoms, acc);
        // a run that failed has unmatched acceptances for that reason: say which check failed
        const broken = failures(sys, results);
        expect(broken, `an honest run failed:\n${broken.join('\n')}`).toEqual([]);
        // not vacuous: registration 3 × 2, each initial visit 2, the inter visit 4 (P, B twice, A); a
        // mismatch names the steps whose acceptances are missing or extra
        const wrong = acceptanceMismatches(acc, visits);
        expect(wrong, `acceptances per received step differ from the protocol's: ${wrong.join('; ')}`).toEqual([]);
        const bad = unmatched(acc);
        expect(bad, `unmatched acceptances:\n${bad.join('\n')}`).toEqual([]);
        expect(acc.length).toBe(6 + 2 * visits + 4);
        for (const ph of ['registration', 'initial', 'inter']) expect(acc.some((x) => x.phase === ph), ph).toBe(true);
      }),
      propParams(SEED, RUNS),
    );
  });
});

/**
 * How many acceptances each received step yields in an honest run with `visits` treatments (§3.4–3.7:
 * the center and the party at registration; hospital A at initial.3 and the patient at initial.4 of each
 * treatment; hospital A at inter.7, hospital B at inter.8 for both its sessions, the patient at inter.10).
 */
function expectedAcceptances(visits: number): Record<string, number> {
  return { 'registration.1': 3, 'registration.2': 3, 'initial.3': visits, 'initial.4': visits, 'inter.7': 1, 'inter.8': 2, 'inter.10': 1 };
}

/** Steps whose acceptances differ from `expectedAcceptances`, described. */
function acceptanceMismatches(acc: readonly Accepted[], visits: number): string[] {
  const got = new Map<string, number>();
  for (const a of acc) {
    const step = a.on.split(' ')[0]!;
    got.set(step, (got.get(step) ?? 0) + 1);
  }
  const want = expectedAcceptances(visits);
  const steps = new Set([...Object.keys(want), ...got.keys()]);
  return [...steps].filter((st) => (got.get(st) ?? 0) !== (want[st] ?? 0)).map((st) => `${st}: ${got.get(st) ?? 0} acceptance(s), expected ${want[st] ?? 0}`);
}

function honestRun(suite: string, p: string, a: string, b: string, seed: number, visits: number, symptoms: string, acc: Accepted[], misattributed: string[] = []) {
  // the system's setup (§3.2: (1) PK = s·P) is named when it throws or attributes its work to another step
  let sys: System;
  try {
    sys = createSystem({ suite, seed });
  } catch (x) {
    throw new Error(`createSystem (setup: (1) PK = s·P) threw: ${x instanceof Error ? x.message : String(x)}`);
  }
  for (const ev of sys.tracer.trace.events)
    if (ev.kind === 'compute' && ev.step !== 'setup') misattributed.push(`computation (${ev.eq}) of the system's setup is attributed to ${ev.step ?? 'no step'}, not setup`);
  addParty(sys, p, 'patient');
  addParty(sys, a, 'hospital', { slot: 'A' });
  addParty(sys, b, 'hospital', { slot: 'B' });
  // a session start that throws, or does not start what it names, is named with the step it opens
  const start = (what: string, who: string, peer: string, opens: string, awaits: string, f: () => unknown, expect: (s: Record<string, unknown>) => string[] = () => []) => {
    const label = `${what} (opens ${opens}, awaits ${awaits})`;
    const pending = sys.net.pending().length;
    const accepted = sys.tracer.trace.events.filter((e) => e.kind === 'accept').length;
    let r: unknown;
    try {
      r = f();
    } catch (x) {
      throw new Error(`${label} threw: ${x instanceof Error ? x.message : String(x)}`);
    }
    const session = (r as { session?: unknown } | undefined)?.session;
    const st = typeof session === 'string' ? (sys.parties.get(who)!.sessions.get(session) as unknown as Record<string, unknown> | undefined) : undefined;
    const sent = sys.net.pending().slice(pending);
    const bad = [
      ...(typeof session !== 'string' ? [`returned no session label (${JSON.stringify(r)})`] : []),
      ...(typeof session === 'string' && (!st || st.status !== 'running' || st.awaiting !== awaits || st.peer !== peer) ? [`the session ${session} is ${st ? `${String(st.status)}, awaiting ${String(st.awaiting)}, with peer ${String(st.peer)}` : 'not stored'}`] : []),
      ...(sent.length !== 1 || sent[0]!.step !== opens || sent[0]!.to !== peer || sent[0]!.session !== session ? [`sent ${sent.map((e) => `${e.step} to ${e.to} (session ${e.session})`).join(', ') || 'nothing'}`] : []),
      ...(sys.tracer.trace.events.filter((e) => e.kind === 'accept').length !== accepted ? ['recorded an acceptance'] : []),
      ...(st ? expect(st) : []),
    ];
    if (bad.length) throw new Error(`${label} did not start its session: ${bad.join('; ')}`);
  };
  // the run went quiet: every session it started is over; one still running is named with the last step it received
  const last = new Map<string, string>();
  const quiet = () => {
    const running: string[] = [];
    for (const id of [p, a, b])
      for (const [label, st] of sys.parties.get(id)!.sessions)
        if (st?.status === 'running') running.push(`${id}'s session ${label} (${st.kind}) still awaiting ${st.awaiting}; the last step it received: ${last.get(`${id}|${label}`) ?? 'none (it opened the session)'}`);
    if (running.length) throw new Error(`the run went quiet with sessions still running: ${running.join('; ')}`);
  };
  for (const id of [p, a, b]) start(`startRegistration(${id})`, id, 'CENTER', 'registration.1', 'registration.2', () => startRegistration(sys, id));
  const results = drain(sys, acc, misattributed, last);
  // an earlier phase that failed leaves nothing to start the next with (no credentials, no medical index):
  // stop there, so that the property reports the failed check or refusal, not the usage error it would cause
  if (failures(sys, results).length) return { sys, results };
  quiet();
  for (const id of [p, a, b]) if (!sys.parties.get(id)!.store.credentials) throw new Error(`startRegistration(${id}): ${id} holds no credentials after its registration ran (registration.1 → registration.2; ${results.length} deliveries)`);
  // the center registered each party by its role's contract (§3.4–3.5: ptins, hains, hbins)
  const parties = ledgerState(sys.ledger).parties;
  for (const [id, want] of [[p, 'ptins'], [a, 'hains'], [b, 'hbins']] as const) {
    const got = parties.get(id)?.contract;
    if (got !== want) throw new Error(`the center's registration of ${id} (registration.1 → registration.2) recorded it by ${got ?? 'no contract'}, not ${want}`);
  }
  const symptomsAre = (want: string) => (st: Record<string, unknown>) => (st.symptoms === want ? [] : [`stored symptoms ${JSON.stringify(st.symptoms)}, not the ${JSON.stringify(want)} given`]);
  for (let i = 0; i < visits; i++) {
    start(`startInitial(${p}, ${a})`, p, a, 'initial.1', 'initial.2', () => startInitial(sys, p, a, { symptoms }), symptomsAre(symptoms));
    results.push(...drain(sys, acc, misattributed, last));
    if (failures(sys, results).length) return { sys, results };
    quiet();
  }
  // the visit presents the latest record: by default after one treatment, named by its diagnosis id after two
  // (the id picks it out: not the first)
  const reports = sys.parties.get(p)!.store.reports;
  const presented = reports[reports.length - 1]?.index;
  const named = visits > 1 && presented ? { diagnosisId: presented.diagnosisId } : {};
  start(`startInter(${p}, ${b}${named.diagnosisId ? `, diagnosis ${named.diagnosisId}` : ', the latest record by default'})`, p, b, 'inter.1', 'inter.2', () => startInter(sys, p, b, { symptoms: `${symptoms} (again)`, ...named }), (st) => [
    ...symptomsAre(`${symptoms} (again)`)(st),
    ...((st.index as { diagnosisId?: string } | undefined)?.diagnosisId === presented?.diagnosisId ? [] : [`presents the index of ${String((st.index as { diagnosisId?: string } | undefined)?.diagnosisId)}, not of ${presented?.diagnosisId}`]),
  ]);
  results.push(...drain(sys, acc, misattributed, last));
  if (!failures(sys, results).length) quiet();
  return { sys, results };
}

/** Every failed check or contract event of the run's trace, and every delivery that did not complete, described. */
function failures(sys: System, results: readonly DeliverResult[]): string[] {
  const failed = sys.tracer.trace.events.map(describeFailure).filter((x): x is string => x !== null);
  const notOk = results.filter((r) => r.kind !== 'ok').map((r) => `${r.envelope.step} to ${r.envelope.to}: ${r.kind === 'aborted' ? `${r.abort.code} ${r.abort.check}: ${r.abort.detail}` : r.kind === 'rejected' ? JSON.stringify(r.rejection) : ''}`);
  return [...failed.map((f) => `failed check event: ${f}`), ...notOk.map((n) => `step did not complete: ${n}`)];
}
