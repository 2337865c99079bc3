/**
 * The network of an executable flow: every message of a run travels through it and the adversary
 * controls it (Dolev–Yao) — observe, drop, delay, modify, replay, inject — exactly as the EMR
 * model's network (src/net/network.ts), but over any protocol's steps: an envelope carries its
 * step id, phase and channel instead of the EMR message table's. Secure-channel envelopes
 * (`secure` steps) cannot be observed, modified or replayed. Events go to the run's Tracer in
 * today's trace format (src/net/trace.ts). `next()` is the honest scheduler (send order).
 */
import type { Tracer } from '../net/trace.js';
import type { FieldSize } from './wire.js';

export interface FlowEnvelope {
  readonly id: number;
  readonly step: string;
  readonly phase: string;
  /** Routing label (the session); untrusted metadata the adversary may change. */
  readonly session: string;
  readonly from: string;
  readonly to: string;
  readonly channel: 'public' | 'secure';
  readonly bytes: Uint8Array;
  readonly origin: 'honest' | 'modified' | 'replayed' | 'injected';
}

export class FlowNetworkError extends Error {
  constructor(
    readonly code: 'no-such-envelope' | 'secure-channel',
    message: string,
  ) {
    super(message);
    this.name = 'FlowNetworkError';
  }
}

export interface FlowAdversary {
  observed(): readonly FlowEnvelope[];
  drop(id: number): void;
  delay(id: number): void;
  modify(id: number, bytes: Uint8Array, detail?: string): FlowEnvelope;
  replay(id: number, override?: Partial<Pick<FlowEnvelope, 'to' | 'session'>>): FlowEnvelope;
  inject(e: { step: string; phase: string; session: string; from: string; to: string; bytes: Uint8Array }): FlowEnvelope;
}

export interface FlowNetwork {
  readonly tracer: Tracer;
  send(o: { step: string; phase: string; session: string; from: string; to: string; channel: 'public' | 'secure'; msgType: string; bytes: Uint8Array; fieldSizes: readonly FieldSize[] }): FlowEnvelope;
  pending(): readonly FlowEnvelope[];
  /** Every envelope ever put on the wire (honest, replayed, injected; secure ones included), by id. */
  get(id: number): FlowEnvelope | undefined;
  next(): FlowEnvelope | undefined;
  take(id: number): FlowEnvelope;
  readonly adversary: FlowAdversary;
}

export function createFlowNetwork(tracer: Tracer): FlowNetwork {
  let queue: FlowEnvelope[] = [];
  const all = new Map<number, FlowEnvelope>();
  const publicLog: FlowEnvelope[] = [];
  const idx = (id: number): number => {
    const i = queue.findIndex((e) => e.id === id);
    if (i < 0) throw new FlowNetworkError('no-such-envelope', `no pending envelope #${id}`);
    return i;
  };
  const requirePublic = (e: FlowEnvelope, action: string) => {
    if (e.channel === 'secure') throw new FlowNetworkError('secure-channel', `cannot ${action} envelope #${e.id}: it travels on a secure channel`);
  };
  const enqueue = (e: FlowEnvelope): FlowEnvelope => {
    queue.push(e);
    all.set(e.id, e);
    if (e.channel === 'public') publicLog.push(e);
    return e;
  };
  const adversary: FlowAdversary = {
    observed: () => publicLog.map((e) => ({ ...e, bytes: e.bytes.slice() })),
    drop(id) {
      const e = queue[idx(id)]!;
      queue = queue.filter((x) => x.id !== id);
      tracer.emit({ kind: 'adversary', action: 'drop', ref: id, step: e.step, from: e.from, to: e.to, detail: 'dropped' });
    },
    delay(id) {
      const e = queue[idx(id)]!;
      queue = [...queue.filter((x) => x.id !== id), e];
      tracer.emit({ kind: 'adversary', action: 'delay', ref: id, step: e.step, from: e.from, to: e.to, detail: 'moved to the back of the queue' });
    },
    modify(id, bytes, detail) {
      const i = idx(id);
      const old = queue[i]!;
      requirePublic(old, 'modify');
      const e: FlowEnvelope = { ...old, bytes: bytes.slice(), origin: 'modified' };
      queue[i] = e;
      all.set(id, e);
      tracer.emit({ kind: 'adversary', action: 'modify', ref: id, step: old.step, from: old.from, to: old.to, detail: detail ?? `${old.bytes.length} → ${bytes.length} bytes` });
      return e;
    },
    replay(id, override = {}) {
      const old = all.get(id);
      if (!old) throw new FlowNetworkError('no-such-envelope', `no envelope #${id}`);
      requirePublic(old, 'replay');
      const to = override.to ?? old.to;
      const session = override.session ?? old.session;
      const seq = tracer.emit({ kind: 'adversary', action: 'replay', ref: id, step: old.step, from: old.from, to, detail: `copy of #${id} as session ${session}` });
      return enqueue({ ...old, id: seq, to, session, bytes: old.bytes.slice(), origin: 'replayed' });
    },
    inject(req) {
      const seq = tracer.emit({ kind: 'adversary', action: 'inject', step: req.step, from: req.from, to: req.to, detail: `${req.bytes.length} bytes, session ${req.session}` });
      return enqueue({ ...req, id: seq, channel: 'public', bytes: req.bytes.slice(), origin: 'injected' });
    },
  };
  return {
    tracer,
    send(o) {
      const seq = tracer.emit({ kind: 'send', phase: o.phase, step: o.step, session: o.session, from: o.from, to: o.to, msgType: o.msgType, size: o.bytes.length, fields: o.fieldSizes.map((f) => ({ name: f.name, size: f.size })) });
      return enqueue({ id: seq, step: o.step, phase: o.phase, session: o.session, from: o.from, to: o.to, channel: o.channel, bytes: o.bytes.slice(), origin: 'honest' });
    },
    pending: () => queue.slice(),
    get: (id) => all.get(id),
    next() {
      const e = queue.shift();
      if (e) tracer.emit({ kind: 'deliver', ref: e.id, to: e.to });
      return e;
    },
    take(id) {
      const e = queue[idx(id)]!;
      queue = queue.filter((x) => x.id !== id);
      tracer.emit({ kind: 'deliver', ref: e.id, to: e.to });
      return e;
    },
    adversary,
  };
}
