/**
 * The interpreter's API for the attacker (issue 13 builds on it): sessions under any binding,
 * the adversary's control of the network, compromise of a principal's long-term values, and
 * each session's final knowledge. Shown on Lowe's man-in-the-middle (1995): against
 * Needham–Schroeder public key (spec/protocols/nspk.ban) B accepts a session with A that A never
 * ran and the attacker learns Nb; against Lowe's fix (spec/protocols/nsl.ban) A aborts at
 * message 2, at the implicit check on the responder's name.
 */
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { PRIMITIVE_BY_NAME, tuple, type Sort, type TypedProtocol, type Value } from '../src/flow-lang/index.js';
import { executableOf, loadExecutable } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { encodeMessage } from '../src/interpret/wire.js';
import { addPrincipal, createWorld, deliver, revealPrincipal, sessionValues, startSession, type World } from '../src/interpret/world.js';

const NONCE: Sort = { kind: 'base', name: 'nonce' };
const ID: Sort = { kind: 'base', name: 'id' };

/** The attacker computes with the same primitive table (its own randomness). */
function prim(w: World, name: string, args: Value[], sort: Sort): Value {
  const r = PRIMITIVE_BY_NAME.get(name)!.eval({ suite: w.suite, rng: w.root, count: () => {} }, args, sort);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

function lowe(p: TypedProtocol, s: string) {
  const [s1, s2, s3] = p.phases[0]!.steps;
  const w = createWorld(p, { suite: getSuite('secp256k1'), seed: 'lowe' });
  addPrincipal(w, 'A', ['A']);
  addPrincipal(w, 'B', ['B']);
  addPrincipal(w, 'I', ['B']); // the intruder, registered as an ordinary responder
  const skI = revealPrincipal(w, 'I').get('skB')!; // compromise: the attacker is I
  const pkB = w.principals.get('B')!.published.get('pkB')!;
  const a = startSession(w, s, 'A', { A: 'A', B: 'I' }, 'a1'); // A talks to I
  const b = startSession(w, s, 'B', { A: 'A', B: 'B' }, 'b1'); // B believes it talks to A
  const tagged = p.options.wire === 'tagged';

  // 1. I decrypts A's message 1 and re-encrypts it for B, as if from A
  const m1 = w.network.pending()[0]!;
  expect(m1).toMatchObject({ step: s1!.id, to: 'I' });
  w.network.adversary.drop(m1.id);
  const c1 = { sort: { kind: 'base', name: 'pke' }, v: m1.bytes.slice(tagged ? 3 : 2) } as Value; // tag + u16 length
  const inner = prim(w, 'pdec', [skI, c1], tuple([NONCE, ID]));
  const fwd1 = prim(w, 'penc', [pkB, inner], { kind: 'base', name: 'pke' });
  w.network.adversary.inject({ step: s1!.id, phase: s, session: 'b1', from: 'A', to: 'B', bytes: encodeMessage(w.suite, s1!, tagged, new Map([[s1!.fields[0]!.name, fwd1]])).bytes });
  deliver(w, w.network.next()!);

  // 2. B's answer (addressed to A, session b1) is passed to A's session a1 unchanged
  const m2 = w.network.pending()[0]!;
  expect(m2).toMatchObject({ step: s2!.id, from: 'B', to: 'A' });
  w.network.adversary.drop(m2.id);
  w.network.adversary.replay(m2.id, { session: 'a1' });
  deliver(w, w.network.next()!);
  if (a.status === 'aborted') return { w, a, b };

  // 3. A's message 3 goes to I, who decrypts Nb and re-encrypts it for B
  const m3 = w.network.pending()[0]!;
  w.network.adversary.drop(m3.id);
  const Nb = prim(w, 'pdec', [skI, { sort: { kind: 'base', name: 'pke' }, v: m3.bytes.slice(tagged ? 3 : 2) } as Value], NONCE);
  const fwd3 = prim(w, 'penc', [pkB, Nb], { kind: 'base', name: 'pke' });
  w.network.adversary.inject({ step: s3!.id, phase: s, session: 'b1', from: 'A', to: 'B', bytes: encodeMessage(w.suite, s3!, tagged, new Map([[s3!.fields[0]!.name, fwd3]])).bytes });
  deliver(w, w.network.next()!);
  return { w, a, b, Nb };
}

describe("Lowe's attack through the interpreter's adversary API", () => {
  test('NSPK: B accepts "A" while A ran a session with I; the attacker knows B\'s secret nonce', () => {
    const { a, b, Nb, w } = lowe(loadExecutable('spec/protocols/nspk.ban').protocol, 'ns');
    expect(a.status).toBe('accepted');
    expect(b.status).toBe('accepted');
    expect(a.binding.B).toBe('I');
    expect(b.binding.A).toBe('A');
    const bNb = sessionValues(b).get('Nb')!;
    expect(Buffer.from(Nb!.v as Uint8Array).equals(Buffer.from(bNb.v as Uint8Array))).toBe(true);
    expect(w.tracer.trace.events.filter((e) => e.kind === 'adversary').map((e) => e.kind === 'adversary' && e.action)).toEqual(['drop', 'inject', 'drop', 'replay', 'drop', 'inject']);
  });

  test('NSL: A aborts at message 2 — the responder named in it is B, not the I it talks to', () => {
    const { a, b } = lowe(loadExecutable('spec/protocols/nsl.ban').protocol, 'ns');
    expect(a.status).toBe('aborted');
    expect(a.abort).toMatchObject({ kind: 'mismatch', step: 'ns.2', role: 'A', check: '(Na, Nb, B) = pdec(skA, c2)', detail: 'B differs from the value already known' });
    expect(b.status).toBe('waiting');
  });
});

describe('the declared wire option decides whether a message can pose as another step', () => {
  test.each([
    ['tagged', 'rejected'],
    ['untagged', 'aborted'],
  ] as const)('NSPK %s: message 3 replayed as message 1 to a fresh B session is %s', (wire, outcome) => {
    const text = loadExecutable('spec/protocols/nspk.ban').spec.sources!['spec/protocols/nspk.ban']!;
    const p = executableOf(parseSpec('nspk.ban', text.replace('options wire tagged', `options wire ${wire}`))).protocol;
    expect(p.options.wire).toBe(wire);
    const w = createWorld(p, { suite: getSuite('p256'), seed: 'confusion' });
    const binding = { A: 'A', B: 'B' };
    addPrincipal(w, 'A', ['A']);
    addPrincipal(w, 'B', ['B']);
    startSession(w, 'ns', 'A', binding, 's1');
    const b = startSession(w, 'ns', 'B', binding, 's1');
    for (let e = w.network.next(); e; e = w.network.next()) deliver(w, e);
    expect(b.status).toBe('accepted');
    const m3 = w.tracer.trace.events.find((e) => e.kind === 'send' && e.step === 'ns.3')!;
    const b2 = startSession(w, 'ns', 'B', binding, 's2');
    const copy = w.network.adversary.replay(m3.seq, { session: 's2' });
    const out = deliver(w, w.network.take(copy.id));
    // the copy still names step ns.3: route it to the session waiting for ns.1 as the attacker would
    const posed = out.kind === 'rejected' ? deliver(w, { ...copy, step: 'ns.1' }) : out;
    if (outcome === 'rejected') {
      expect(posed).toMatchObject({ kind: 'rejected', rejection: { reason: 'wrong-step', detail: 'tag names ns.3' } });
      expect(b2.status).toBe('waiting');
    } else {
      // untagged: the bytes decode as ns.1's field; only the decryption's plaintext shape catches it
      expect(posed.kind).toBe('aborted');
      expect(b2.abort).toMatchObject({ kind: 'primitive-failed', step: 'ns.1', check: '(Na, A) = pdec(skB, c1)' });
      expect(b2.abort!.detail).toMatch(/plaintext is not a \(nonce, id\)/);
    }
  });
});
