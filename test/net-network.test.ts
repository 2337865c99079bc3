/**
 * The adversary-controlled network (src/net/network.ts): the honest scheduler delivers in send
 * order; every adversary action changes the queue as documented and is recorded in the trace;
 * the secure registration channel cannot be read, altered, replayed or injected into.
 */
import { describe, expect, test } from 'vitest';
import { NetworkError, createNetwork, createTracer, type Network } from '../src/net/index.js';

function net(): Network {
  return createNetwork(createTracer('secp256k1', 'test'));
}
const send = (n: Network, step: 'initial.1' | 'initial.2' | 'registration.1', bytes: number[]) =>
  n.send({ step, session: 's', from: 'A', to: 'B', bytes: Uint8Array.from(bytes), fieldSizes: [{ name: 'x', size: bytes.length - 1 }] });

describe('network', () => {
  test('honest scheduler delivers in send order and records send/deliver with sizes', () => {
    const n = net();
    const a = send(n, 'initial.1', [3, 1, 2]);
    const b = send(n, 'initial.2', [4, 1]);
    expect(n.next()!.id).toBe(a.id);
    expect(n.next()!.id).toBe(b.id);
    expect(n.next()).toBeUndefined();
    const ev = n.tracer.trace.events;
    expect(ev.map((e) => e.kind)).toEqual(['send', 'send', 'deliver', 'deliver']);
    expect(ev[0]).toMatchObject({ kind: 'send', seq: 1, step: 'initial.1', phase: 'initial', size: 3, msgType: 'patient hello to HA', fields: [{ name: 'x', size: 2 }] });
    expect(ev[2]).toMatchObject({ kind: 'deliver', ref: a.id, to: 'B' });
  });

  test('drop, delay, reorder change the queue and are recorded', () => {
    const n = net();
    const [a, b, c] = [send(n, 'initial.1', [3]), send(n, 'initial.1', [3]), send(n, 'initial.1', [3])];
    n.adversary.delay(a.id);
    expect(n.pending().map((e) => e.id)).toEqual([b.id, c.id, a.id]);
    n.adversary.reorder([c.id, a.id]);
    expect(n.pending().map((e) => e.id)).toEqual([c.id, a.id, b.id]);
    n.adversary.drop(a.id);
    expect(n.pending().map((e) => e.id)).toEqual([c.id, b.id]);
    expect(n.take(b.id).id).toBe(b.id);
    const actions = n.tracer.trace.events.filter((e) => e.kind === 'adversary').map((e) => (e.kind === 'adversary' ? e.action : ''));
    expect(actions).toEqual(['delay', 'reorder', 'drop']);
    expect(() => n.adversary.drop(a.id)).toThrow(NetworkError);
  });

  test('modify keeps the id and marks the envelope; replay and inject create new envelopes', () => {
    const n = net();
    const a = send(n, 'initial.1', [3, 9]);
    const seen = n.adversary.observe(a.id);
    seen.bytes[1] = 0; // the adversary's copy: the envelope in flight is unaffected
    expect(n.pending()[0]!.bytes[1]).toBe(9);
    const m = n.adversary.modify(a.id, Uint8Array.of(3, 7));
    expect(m).toMatchObject({ id: a.id, origin: 'modified' });
    expect(n.next()!.bytes).toEqual(Uint8Array.of(3, 7));
    const r = n.adversary.replay(a.id, { session: 'other' });
    expect(r).toMatchObject({ origin: 'replayed', session: 'other', step: 'initial.1' });
    expect(r.id).not.toBe(a.id);
    const i = n.adversary.inject({ step: 'initial.2', session: 'z', from: 'HPA', to: 'PAT-1', bytes: Uint8Array.of(4) });
    expect(i).toMatchObject({ origin: 'injected', channel: 'public', phase: 'initial' });
    expect(n.pending().map((e) => e.id)).toEqual([r.id, i.id]);
    expect(n.adversary.observed().map((e) => e.id)).toEqual([a.id, r.id, i.id]);
    const adv = n.tracer.trace.events.filter((e) => e.kind === 'adversary');
    expect(adv.map((e) => (e.kind === 'adversary' ? e.action : ''))).toEqual(['observe', 'modify', 'replay', 'inject']);
  });

  test('the secure registration channel cannot be observed, modified or replayed (only dropped or delayed)', () => {
    const n = net();
    const a = send(n, 'registration.1', [1, 1, 65]);
    expect(a.channel).toBe('secure');
    for (const f of [() => n.adversary.observe(a.id), () => n.adversary.modify(a.id, Uint8Array.of(1)), () => n.adversary.replay(a.id)]) {
      expect(f).toThrow(expect.objectContaining({ code: 'secure-channel' }));
    }
    expect(n.adversary.observed()).toEqual([]);
    n.adversary.delay(a.id);
    n.adversary.drop(a.id);
    expect(n.pending()).toEqual([]);
    // injected envelopes always travel on the public channel
    expect(n.adversary.inject({ step: 'registration.1', session: 'x', from: 'M', to: 'CENTER', bytes: Uint8Array.of(1) }).channel).toBe('public');
  });

  test('two networks share nothing', () => {
    const n1 = net();
    const n2 = net();
    send(n1, 'initial.1', [3]);
    expect(n2.pending()).toEqual([]);
    expect(n2.tracer.trace.events).toEqual([]);
  });
});
