/**
 * The single-fault sweep (src/attacker/fault-sweep.ts) played against the hand-written EMR model
 * (src/model) in lockstep with the interpreter running spec/emr-flow.ban: both produce the same wire
 * bytes at the same seed (./differential.ts), so each fault's altered message is made once — by the
 * interpreter's replay — and delivered to both. The model runs the same schedule as the sweep's
 * replay: the registrations the phase depends on (for initial: the patient's and hospital A's; for
 * inter: all three, then one honest initial treatment), then an honest run of the
 * phase (`sweep:other`) and the run altered (`sweep:run`).
 *
 * Both must agree: both reject at the same step, by the same party, at the same check (the same
 * `@eq`, or the same check under CHECK_MAP when neither names an equation), or both accept.
 * For a dishonest-sender fault the altered message is the interpreter's dishonest sender's; the
 * model's sender stays honest and only its message is replaced (the keys are the same on both sides).
 */
import { equalBytes } from '@noble/curves/utils.js';
import type { Fault, Rejection } from '../attacker/fault-sweep.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration } from '../model/index.js';
import type { DeliverResult } from '../model/types.js';

export type ModelOutcome =
  | { kind: 'accepted' }
  | { kind: 'rejected'; at: Rejection }
  | { kind: 'incomplete'; detail: string }
  | { kind: 'no-message'; detail: string }
  /** The model threw while a receiver handled a delivery of the altered run (a check it skipped let a bad value through). */
  | { kind: 'crashed'; step: string; party: string; detail: string };

/**
 * Where the two implementations name the same rejection differently, as data: interpreter check (as
 * written in spec/emr-flow.ban) ↔ the model's abort code (and check). Used only when neither side
 * names an equation, or when they reject the same message by different means (`why` says which).
 */
export const CHECK_MAP: readonly { spec: RegExp; model: { code: string; check?: RegExp }; why: string }[] = [
  { spec: /^[\w.-]+\.ID_\w+ =\? ID_\w+$/, model: { code: 'id-mismatch' }, why: 'a received ID compared with the session peer' },
  { spec: /= certified\(/, model: { code: 'cert-invalid' }, why: 'Cert_X binds (ID_X, R_X, patient, diagnosis, digest of the EMR)' },
  { spec: /= (symptoms_of|visit_of|request_of)\(/, model: { code: 'payload-invalid' }, why: 'the decrypted plaintext is the expected record of the session peer' },
  { spec: /^(hachk|hbchk|ptchk|mrchk)\(/, model: { code: 'contract-failed', check: /^(hachk|hbchk|ptchk|mrchk)$/ }, why: 'a ledger check' },
  { spec: /= (request_of|held)\(/, model: { code: 'record-not-found' }, why: 'hospital A holds the requested record for that patient' },
  // the model parses an (EMR, Cert) plaintext into a record before it verifies the signature; the spec verifies first
  { spec: /= certified\(|=\? V_PK_\w+\(|^mrchk\(/, model: { code: 'payload-invalid', check: /^plaintext is/ }, why: 'the model parses the plaintext before the signature check (33)/(69)/(73) and mrchk' },
];

/**
 * Declared differences of the two implementations that are not bugs of either, as data. The
 * interpreter starts a responder's session with its peer bound (its binding), so an opening
 * message's ID is compared on receipt; the model's responder learns its peer from that message, and
 * the run fails at the initiator's next check instead.
 */
export const DECLARED_DIFFERENCES: readonly { spec: RegExp; step: RegExp; why: string }[] = [
  { spec: /^(initial\.1|inter\.1)\.ID_PAT =\? ID_PAT$|^inter\.5\.ID_HPB =\? ID_HPB$/, step: /^(initial\.1|inter\.1|inter\.5)$/, why: "the responder's peer is bound when the interpreter starts its session; the model learns it from the opening message" },
];

function rejectionOf(r: DeliverResult): Rejection | undefined {
  if (r.kind === 'ok') return undefined;
  if (r.kind === 'rejected') {
    const x = r.rejection;
    return x.kind === 'wire-rejection'
      ? { step: r.envelope.step, party: r.envelope.to, by: 'codec', check: 'field' in x && x.field ? `${r.envelope.step}.${String(x.field)}` : r.envelope.step, code: x.reason, detail: x.detail }
      : { step: r.envelope.step, party: x.party, by: 'routing', check: r.envelope.step, code: x.reason, detail: x.detail };
  }
  const a = r.abort;
  return { step: a.step, party: a.party, by: 'check', check: a.check, code: a.code, ...(a.eq !== undefined ? { eq: a.eq } : {}), detail: a.detail };
}

/**
 * The model's run of the sweep's schedule with the first `step` message of the altered run replaced
 * by `altered`; `honest` (when given) must equal the model's own bytes of that message (the lockstep
 * premise for a network fault).
 */
export function modelUnderFault(suite: string, seed: string, phase: 'initial' | 'inter', step: string, altered: Uint8Array, honest?: Uint8Array): ModelOutcome {
  const sys = createSystem({ suite, seed });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  const drain = () => {
    for (let e = sys.net.next(); e; e = sys.net.next()) {
      const r = deliver(sys, e);
      if (r.kind !== 'ok') throw new Error(`the model's honest prefix failed: ${rejectionOf(r)?.check}`);
    }
  };
  // the phases the sweep's replay runs first (src/attacker/prior-phases.ts): initial needs no hospital B
  for (const id of phase === 'initial' ? ['PAT-1', 'HPA'] : ['PAT-1', 'HPA', 'HPB']) {
    startRegistration(sys, id);
    drain();
  }
  // the interpreter's patient presents the index it stored in the initial phase (index_HPA) in every inter run
  const fromA = () => sys.parties.get('PAT-1')!.store.reports.find((r) => r.index.hospitalId === 'HPA')?.index.diagnosisId;
  const start = () => (phase === 'initial' ? startInitial(sys, 'PAT-1', 'HPA') : startInter(sys, 'PAT-1', 'HPB', { diagnosisId: fromA()! }));
  if (phase === 'inter') {
    startInitial(sys, 'PAT-1', 'HPA');
    drain();
  }
  start();
  drain();
  const opened = new Set([...sys.parties.values()].flatMap((p) => [...p.sessions.keys()].map((k) => `${p.id}|${k}`)));
  start();
  let first: Rejection | undefined;
  let done = false;
  for (let e = sys.net.pending()[0]; e; e = sys.net.pending()[0]) {
    if (!done && e.step === step) {
      if (honest && !equalBytes(honest, e.bytes)) return { kind: 'no-message', detail: `the model's ${step} differs from the interpreter's before the fault (the lockstep premise fails)` };
      sys.net.adversary.modify(e.id, altered);
      done = true;
    }
    const next = sys.net.next()!;
    let r: DeliverResult;
    try {
      r = deliver(sys, next);
    } catch (err) {
      return { kind: 'crashed', step: next.step, party: next.to, detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    first ??= rejectionOf(r);
  }
  if (!done) return { kind: 'no-message', detail: `the model sent no ${step} in the altered run${first ? ` (it failed first: ${first.check})` : ''}` };
  if (first) return { kind: 'rejected', at: first };
  const open = [...sys.parties.values()].flatMap((p) => [...p.sessions.values()].filter((s) => !opened.has(`${p.id}|${s.label}`) && s.status !== 'accepted').map((s) => `${p.id}:${s.label} ${s.status}`));
  return open.length ? { kind: 'incomplete', detail: open.join(', ') } : { kind: 'accepted' };
}

/** Whether the model's rejection is the spec's (same step and party; the same check by equation, CHECK_MAP, or a codec rejection of a field the other side's check reads). */
export function sameRejection(spec: Rejection, model: Rejection): boolean {
  if (spec.step !== model.step || spec.party !== model.party) return DECLARED_DIFFERENCES.some((d) => d.spec.test(spec.check) && d.step.test(spec.step));
  if (spec.by === 'codec' && model.by === 'codec') return true;
  // one side's codec refuses a field the other side's check reads (an empty ciphertext: a length rule vs a failed decryption)
  const field = (r: Rejection) => r.check.split('.').pop()!;
  if (spec.by === 'codec' && model.by === 'check') return model.check.includes(field(spec));
  if (model.by === 'codec' && spec.by === 'check') return spec.check.includes(field(model));
  if (spec.by !== 'check' || model.by !== 'check') return spec.by === model.by;
  if (spec.eq !== undefined && spec.eq === model.eq) return true;
  return CHECK_MAP.some((m) => m.spec.test(spec.check) && m.model.code === model.code && (!m.model.check || m.model.check.test(model.check)));
}

export const showRejection = (r: Rejection) => `${r.party} rejects at ${r.step}: ${r.by === 'check' ? `${r.check}${r.eq !== undefined ? ` (${r.eq})` : ''} [${r.code}]` : `${r.by} ${r.code} (${r.check})`}`;

/** One line naming a fault for a failure message: id, class, what was substituted. */
export const showFault = (f: Fault) => `${f.id} (${f.step}, ${f.field}; ${f.cls.startsWith('sender-') ? 'sender dishonest/compromised' : 'network'}: ${f.cls}${f.note ? `, ${f.note}` : ''})`;
