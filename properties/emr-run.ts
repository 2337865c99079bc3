/**
 * Shared set-up of the model properties: an honest EMR run (registration, one treatment at hospital A,
 * then the visit to hospital B) delivered in order until a given step is next on the network, and a
 * one-line description of a delivery's outcome for failure messages.
 */
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, type DeliverResult, type System } from '../src/model/index.js';
import type { StepId } from '../src/net/index.js';

export function describeResult(r: DeliverResult): string {
  if (r.kind === 'ok') return `completed (sent ${r.out.map((o) => o.step).join(', ') || 'nothing'}, ${r.accepted.length} acceptance(s))`;
  if (r.kind === 'aborted') return `an abort by '${r.abort.check}'`;
  return `a rejection ${JSON.stringify(r.rejection)}`;
}

/**
 * Patient `p` (and any `others`, registered only), hospital `a` (slot A) and `b` (slot B), and any
 * `otherHospitals` (slot A, registered only), all registered;
 * p treated once at a, then p's visit to b; delivered in order until `step` is the next envelope (which is
 * left on the network). Throws when the honest run fails or never sends `step`.
 */
export function honestRunUntil(suite: string, seed: number, ids: { p: string; a: string; b: string; others?: readonly string[]; otherHospitals?: readonly string[] }, step: StepId): System {
  const sys = createSystem({ suite, seed });
  addParty(sys, ids.p, 'patient');
  for (const q of ids.others ?? []) addParty(sys, q, 'patient');
  addParty(sys, ids.a, 'hospital', { slot: 'A' });
  addParty(sys, ids.b, 'hospital', { slot: 'B' });
  for (const h of ids.otherHospitals ?? []) addParty(sys, h, 'hospital', { slot: 'A' });
  const drain = (stop?: StepId) => {
    for (let e = sys.net.pending()[0]; e && e.step !== stop; e = sys.net.pending()[0]) {
      const r = deliver(sys, sys.net.next()!);
      if (r.kind !== 'ok') throw new Error(`the honest run failed at ${e.step} to ${e.to}: ${describeResult(r)}`);
    }
  };
  for (const id of [ids.p, ...(ids.others ?? []), ids.a, ids.b, ...(ids.otherHospitals ?? [])]) startRegistration(sys, id);
  drain();
  startInitial(sys, ids.p, ids.a, { symptoms: 'fever' });
  drain(step);
  if (sys.net.pending()[0]?.step === step) return sys;
  startInter(sys, ids.p, ids.b, { symptoms: 'cough' });
  drain(step);
  if (sys.net.pending()[0]?.step !== step) throw new Error(`the honest run never sent ${step}`);
  return sys;
}
