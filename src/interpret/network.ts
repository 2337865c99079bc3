/**
 * The network of an executable flow: every message of a run travels through it and the adversary
 * controls it (Dolev–Yao) — observe, drop, delay, modify, replay, inject — exactly as the EMR
 * model's network (src/net/network.ts), but over any protocol's steps: an envelope carries its
 * step id, phase and channel instead of the EMR message table's. Secure-channel envelopes
 * (`secure` steps) cannot be observed, modified or replayed. Events go to the run's Tracer in
 * today's trace format (src/net/trace.ts). `next()` is the honest scheduler (send order).
 */
import { createNetworkOf, NetworkError, type AdversaryControlOf, type EnvelopeOf, type NetworkOf, type NetworkSnapshot, type OutgoingOf } from '../net/network.js';
import type { Tracer } from '../net/trace.js';

export type FlowEnvelope = EnvelopeOf<string>;
/** What the adversary builds to inject: an envelope without id, channel (always public) or origin. */
export type FlowInject = Omit<FlowEnvelope, 'id' | 'channel' | 'origin'>;
export type FlowAdversary = AdversaryControlOf<string, FlowInject>;
export type FlowNetwork = NetworkOf<string, OutgoingOf<string>, FlowInject>;
/** Misuse of the adversary interface (no such envelope, the secure channel): the network's own error. */
export const FlowNetworkError = NetworkError;

/** The network of one run of a flow (one value per run; no global state); `from`: continue from a snapshot of another. */
export function createFlowNetwork(tracer: Tracer, from?: NetworkSnapshot<string>): FlowNetwork {
  return createNetworkOf<string>(tracer, from);
}
