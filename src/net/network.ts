/**
 * The network: every message of a run travels through one of these, and the adversary controls
 * it (Dolev–Yao): it may observe, drop, delay, reorder, modify, replay and inject messages on the
 * public channel. The registration channel of §3.1 item 1 ("through a secure channel") is modelled
 * as channel `secure`: the adversary cannot read, modify, replay or inject on it (it can still drop
 * or delay — a secure channel promises secrecy and integrity, not delivery).
 *
 * The network is a value created per run; it records its events in the run's Tracer.
 * `next()` is the honest scheduler: it delivers pending envelopes in the order they were sent.
 */
import { MESSAGE_SCHEMAS, type Channel, type StepId } from './messages.js';
import type { FieldSize } from './codec.js';
import type { Tracer } from './trace.js';

/** One message in flight. `id` is the trace seq of the event that put it on the wire. */
export interface EnvelopeOf<S extends string> {
  readonly id: number;
  readonly step: S;
  readonly phase: string;
  /** Routing label chosen by the initiator; untrusted metadata (the adversary may change it). */
  readonly session: string;
  readonly from: string;
  readonly to: string;
  readonly channel: Channel;
  readonly bytes: Uint8Array;
  /** How this envelope came to be: sent by its honest sender, or altered/created by the adversary. */
  readonly origin: 'honest' | 'modified' | 'replayed' | 'injected';
}
/** An envelope of the EMR model (its steps are the message table's). */
export type Envelope = EnvelopeOf<StepId>;

/** What a party hands to the network. */
export interface Outgoing {
  readonly step: StepId;
  readonly session: string;
  readonly from: string;
  readonly to: string;
  readonly bytes: Uint8Array;
  readonly fieldSizes: readonly FieldSize[];
}

/** What a party hands to a network of any protocol: the step's phase, channel and name come with it. */
export interface OutgoingOf<S extends string> {
  readonly step: S;
  readonly phase: string;
  readonly session: string;
  readonly from: string;
  readonly to: string;
  readonly channel: Channel;
  /** The message's name in the trace (`msgType`). */
  readonly msgType: string;
  readonly bytes: Uint8Array;
  readonly fieldSizes: readonly FieldSize[];
}

export type NetworkErrorCode = 'no-such-envelope' | 'secure-channel' | 'bad-order';

/** Misuse of the adversary interface (e.g. reading the secure channel). */
export class NetworkError extends Error {
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface InjectRequest {
  step: StepId;
  session: string;
  from: string;
  to: string;
  bytes: Uint8Array;
}

/** The adversary's interface to a network of any protocol. Every action is recorded in the trace. */
export interface AdversaryControlOf<S extends string, Inject> {
  /** A copy of a pending or past public envelope (secure-channel envelopes cannot be observed). */
  observe(id: number): EnvelopeOf<S>;
  /** Everything the adversary has seen go past on the public channel, in send order. */
  observed(): readonly EnvelopeOf<S>[];
  drop(id: number): void;
  /** Moves a pending envelope to the back of the queue. */
  delay(id: number): void;
  /** Puts the given pending envelopes first, in the given order. */
  reorder(ids: readonly number[]): void;
  /** Replaces a pending public envelope's bytes; returns the altered envelope (same id). */
  modify(id: number, bytes: Uint8Array, detail?: string): EnvelopeOf<S>;
  /** Re-sends a copy of a past public envelope (optionally re-addressed); returns the copy. */
  replay(id: number, override?: Partial<Pick<EnvelopeOf<S>, 'to' | 'session'>>): EnvelopeOf<S>;
  /** Puts a new envelope of the adversary's making on the public channel. */
  inject(req: Inject): EnvelopeOf<S>;
}
/** The EMR model's adversary interface: an injected message's phase comes from the message table. */
export type AdversaryControl = AdversaryControlOf<StepId, InjectRequest>;

/** A network of any protocol; `Send` is what a party hands over, `Inject` what the adversary does. */
export interface NetworkOf<S extends string, Send, Inject> {
  readonly tracer: Tracer;
  /** An honest party sends: the envelope is queued and a `send` event recorded. */
  send(o: Send): EnvelopeOf<S>;
  /** Pending envelopes in delivery order. */
  pending(): readonly EnvelopeOf<S>[];
  /** Every envelope ever put on the wire (honest, replayed, injected), by id. */
  get(id: number): EnvelopeOf<S> | undefined;
  /** Honest scheduler: removes and returns the first pending envelope, recording `deliver`. */
  next(): EnvelopeOf<S> | undefined;
  /** Removes and returns a specific pending envelope, recording `deliver` (out-of-order delivery). */
  take(id: number): EnvelopeOf<S>;
  readonly adversary: AdversaryControlOf<S, Inject>;
  /** A copy of the network's state (queue, every envelope, the public log), for a network that continues from it (`createNetworkOf(tracer, from)`). */
  snapshot(): NetworkSnapshot<S>;
}

/** The state of a network at one moment (copies: the network it came from goes on independently). */
export interface NetworkSnapshot<S extends string> {
  readonly queue: readonly EnvelopeOf<S>[];
  readonly all: ReadonlyMap<number, EnvelopeOf<S>>;
  readonly publicLog: readonly EnvelopeOf<S>[];
}
/** The EMR model's network. */
export type Network = NetworkOf<StepId, Outgoing, InjectRequest>;

/**
 * A network of any protocol: the queue, the adversary's moves and their trace events. The EMR
 * model's network (`createNetwork`) and the interpreter's (src/interpret/network.ts) are this one.
 */
export function createNetworkOf<S extends string>(tracer: Tracer, from?: NetworkSnapshot<S>): NetworkOf<S, OutgoingOf<S>, Omit<EnvelopeOf<S>, 'id' | 'channel' | 'origin'>> {
  // envelopes are never mutated (modify replaces one), so a snapshot shares them
  let queue: EnvelopeOf<S>[] = from ? from.queue.slice() : [];
  const all = new Map<number, EnvelopeOf<S>>(from?.all);
  const publicLog: EnvelopeOf<S>[] = from ? from.publicLog.slice() : [];

  const pendingIndex = (id: number): number => {
    const i = queue.findIndex((e) => e.id === id);
    if (i < 0) throw new NetworkError('no-such-envelope', `no pending envelope #${id}`);
    return i;
  };
  const requirePublic = (e: EnvelopeOf<S>, action: string): void => {
    if (e.channel === 'secure') throw new NetworkError('secure-channel', `cannot ${action} envelope #${e.id}: it travels on a secure channel`);
  };
  const enqueue = (e: EnvelopeOf<S>): EnvelopeOf<S> => {
    queue.push(e);
    all.set(e.id, e);
    if (e.channel === 'public') publicLog.push(e);
    return e;
  };

  const adversary: AdversaryControlOf<S, Omit<EnvelopeOf<S>, 'id' | 'channel' | 'origin'>> = {
    observe(id) {
      const e = all.get(id);
      if (!e) throw new NetworkError('no-such-envelope', `no envelope #${id}`);
      requirePublic(e, 'observe');
      tracer.emit({ kind: 'adversary', action: 'observe', ref: id, step: e.step, from: e.from, to: e.to, detail: `${e.bytes.length} bytes` });
      return { ...e, bytes: e.bytes.slice() };
    },
    observed() {
      return publicLog.map((e) => ({ ...e, bytes: e.bytes.slice() }));
    },
    drop(id) {
      const i = pendingIndex(id);
      const e = queue[i]!;
      queue.splice(i, 1);
      tracer.emit({ kind: 'adversary', action: 'drop', ref: id, step: e.step, from: e.from, to: e.to, detail: 'dropped' });
    },
    delay(id) {
      const i = pendingIndex(id);
      const e = queue[i]!;
      queue.splice(i, 1);
      queue.push(e);
      tracer.emit({ kind: 'adversary', action: 'delay', ref: id, step: e.step, from: e.from, to: e.to, detail: 'moved to the back of the queue' });
    },
    reorder(ids) {
      if (new Set(ids).size !== ids.length) throw new NetworkError('bad-order', 'reorder: duplicate ids');
      const picked = ids.map((id) => queue[pendingIndex(id)]!);
      queue = [...picked, ...queue.filter((e) => !ids.includes(e.id))];
      tracer.emit({ kind: 'adversary', action: 'reorder', detail: `new head order: ${ids.map((i) => `#${i}`).join(', ')}` });
    },
    modify(id, bytes, detail) {
      const i = pendingIndex(id);
      const old = queue[i]!;
      requirePublic(old, 'modify');
      const e: EnvelopeOf<S> = { ...old, bytes: bytes.slice(), origin: 'modified' };
      queue[i] = e;
      all.set(id, e);
      tracer.emit({
        kind: 'adversary', action: 'modify', ref: id, step: old.step, from: old.from, to: old.to,
        detail: detail ?? `${old.bytes.length} → ${bytes.length} bytes`,
      });
      return e;
    },
    replay(id, override = {}) {
      const old = all.get(id);
      if (!old) throw new NetworkError('no-such-envelope', `no envelope #${id}`);
      requirePublic(old, 'replay');
      const to = override.to ?? old.to;
      const session = override.session ?? old.session;
      const seq = tracer.emit({ kind: 'adversary', action: 'replay', ref: id, step: old.step, from: old.from, to, detail: `copy of #${id} as session ${session}` });
      return enqueue({ ...old, id: seq, to, session, bytes: old.bytes.slice(), origin: 'replayed' });
    },
    inject(req) {
      const seq = tracer.emit({ kind: 'adversary', action: 'inject', step: req.step, from: req.from, to: req.to, detail: `${req.bytes.length} bytes, session ${req.session}` });
      return enqueue({ id: seq, step: req.step, phase: req.phase, session: req.session, from: req.from, to: req.to, channel: 'public', bytes: req.bytes.slice(), origin: 'injected' });
    },
  };

  return {
    tracer,
    send(o) {
      const seq = tracer.emit({
        kind: 'send', phase: o.phase, step: o.step, session: o.session, from: o.from, to: o.to,
        msgType: o.msgType, size: o.bytes.length, fields: o.fieldSizes.map((f) => ({ name: f.name, size: f.size })),
      });
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
      const i = pendingIndex(id);
      const e = queue[i]!;
      queue.splice(i, 1);
      tracer.emit({ kind: 'deliver', ref: e.id, to: e.to });
      return e;
    },
    adversary,
    snapshot: () => ({ queue: queue.slice(), all: new Map(all), publicLog: publicLog.slice() }),
  };
}

/** The EMR model's network: steps, phases, channels and message names come from MESSAGE_SCHEMAS. */
export function createNetwork(tracer: Tracer): Network {
  const net = createNetworkOf<StepId>(tracer);
  return {
    ...net,
    send: (o) => {
      const schema = MESSAGE_SCHEMAS[o.step];
      return net.send({ ...o, phase: schema.phase, channel: schema.channel, msgType: schema.name });
    },
    adversary: { ...net.adversary, inject: (req) => net.adversary.inject({ ...req, phase: MESSAGE_SCHEMAS[req.step].phase }) },
  };
}
