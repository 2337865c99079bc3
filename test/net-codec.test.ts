/**
 * The wire format (src/net/codec.ts): every message of an honest run round-trips byte for byte;
 * malformed bytes give a typed rejection naming the step and the field, never a throw — on every
 * suite, for the identity point, off-curve points, out-of-range scalars, bad and unknown ids,
 * truncated and over-long messages; and random mutations of valid messages never make the decoder throw.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DecodeError, SUITE_NAMES, getSuite, type CryptoSuite } from '../src/crypto/index.js';
import { runScenario } from '../src/model/index.js';
import {
  MESSAGE_SCHEMAS,
  STEP_IDS,
  decodeMessage,
  encodeMessage,
  messageSize,
  tagOf,
  type DecodeResult,
  type StepId,
} from '../src/net/index.js';

/** Valid wire bytes of each step, from one honest run per suite. */
const honest = new Map<string, Map<StepId, Uint8Array>>();
function wire(suite: string): Map<StepId, Uint8Array> {
  let m = honest.get(suite);
  if (m) return m;
  m = new Map();
  const r = runScenario({ suite, seed: 'codec' });
  for (const e of r.trace.events) if (e.kind === 'send' && !m.has(e.step as StepId)) m.set(e.step as StepId, r.system.net.get(e.seq)!.bytes);
  honest.set(suite, m);
  return m;
}

/** An encoding of the right length that is not a curve point (searched, then confirmed by the suite). */
function offCurve(cs: CryptoSuite): Uint8Array {
  for (let i = 1; i < 1000; i++) {
    const b = new Uint8Array(cs.sizes.point);
    if (cs.name === 'ristretto255') b[0] = 2 * i; // canonical (even, < p) field elements
    else {
      b[0] = 0x02;
      b[b.length - 1] = i;
    }
    try {
      cs.decodePoint(b, 'probe');
    } catch (e) {
      if (e instanceof DecodeError && e.reason === 'not-on-curve') return b;
    }
  }
  throw new Error('no off-curve encoding found');
}

const rejected = (d: DecodeResult) => {
  if (d.ok) throw new Error(`expected a rejection, decoded ${d.message.step}`);
  return d.rejection;
};

/** Offset of a field in a message of `step` (fixed-size fields before it; ids as in `bytes`). */
function offsetOf(cs: CryptoSuite, bytes: Uint8Array, step: StepId, field: string): number {
  let o = 1;
  for (const f of MESSAGE_SCHEMAS[step].fields) {
    if (f.name === field) return o;
    if (f.type === 'id') o += 1 + bytes[o]!;
    else if (f.type === 'point') o += cs.sizes.point;
    else if (f.type === 'scalar') o += cs.sizes.scalar;
    else if (f.type === 'check') o += cs.sizes.h3;
    else if (f.type === 'signature') o += cs.sizes.signature;
    else o += 2 + ((bytes[o]! << 8) | bytes[o + 1]!);
  }
  throw new Error(`no field ${field}`);
}

describe.each(SUITE_NAMES)('codec on %s', (suite) => {
  const cs = getSuite(suite);

  test('every step of an honest run decodes and re-encodes to the same bytes', () => {
    const m = wire(suite);
    expect([...m.keys()].sort()).toEqual([...STEP_IDS].sort());
    for (const [step, bytes] of m) {
      const d = decodeMessage(cs, bytes, { expect: step });
      expect(d.ok, step).toBe(true);
      if (!d.ok) continue;
      expect(d.message.step).toBe(step);
      expect(Buffer.from(encodeMessage(cs, d.message).bytes).equals(Buffer.from(bytes)), step).toBe(true);
      expect(d.fieldSizes.reduce((n, f) => n + f.size, 1)).toBe(bytes.length);
    }
  });

  test('fixed-size messages have the size the schema predicts', () => {
    const m = wire(suite);
    for (const step of ['initial.1', 'initial.2', 'inter.5', 'inter.6'] as const) {
      const idLen = m.get(step)![1]!;
      const idField = MESSAGE_SCHEMAS[step].fields[0]!.name;
      expect(messageSize(cs, step, { [idField]: idLen })).toBe(m.get(step)!.length);
    }
  });

  test('the identity point is rejected, naming step and field', () => {
    const b = wire(suite).get('initial.1')!.slice();
    const o = offsetOf(cs, b, 'initial.1', 'R_PAT');
    b.set(new Uint8Array(cs.sizes.point), o);
    expect(rejected(decodeMessage(cs, b))).toMatchObject({ kind: 'wire-rejection', step: 'initial.1', field: 'R_PAT', reason: 'identity-point' });
  });

  test('an off-curve point is rejected', () => {
    const b = wire(suite).get('inter.6')!.slice();
    b.set(offCurve(cs), offsetOf(cs, b, 'inter.6', 'T_HPA2'));
    expect(rejected(decodeMessage(cs, b))).toMatchObject({ step: 'inter.6', field: 'T_HPA2', reason: 'not-on-curve' });
  });

  test('a non-canonical point encoding is rejected', () => {
    const b = wire(suite).get('initial.2')!.slice();
    b.fill(0xff, offsetOf(cs, b, 'initial.2', 'T_HPA'), offsetOf(cs, b, 'initial.2', 'T_HPA') + cs.sizes.point);
    expect(rejected(decodeMessage(cs, b))).toMatchObject({ step: 'initial.2', field: 'T_HPA', reason: 'non-canonical' });
  });

  test('scalars out of range (0 and ≥ q) are rejected', () => {
    for (const fill of [0x00, 0xff]) {
      const b = wire(suite).get('registration.2')!.slice();
      const o = offsetOf(cs, b, 'registration.2', 'S_X');
      b.fill(fill, o, o + cs.sizes.scalar);
      expect(rejected(decodeMessage(cs, b))).toMatchObject({ step: 'registration.2', field: 'S_X', reason: 'scalar-out-of-range' });
    }
  });

  test('truncated messages: every proper prefix is rejected as truncated (or empty)', () => {
    for (const [step, bytes] of wire(suite)) {
      for (let n = 0; n < bytes.length; n++) {
        const r = rejected(decodeMessage(cs, bytes.subarray(0, n)));
        expect(r.reason, `${step} prefix ${n}`).toBe(n === 0 ? 'empty' : 'truncated');
        if (n > 0) expect(r.field, `${step} prefix ${n}`).toBeDefined();
      }
    }
  });

  test('over-long messages are rejected as trailing bytes', () => {
    for (const [step, bytes] of wire(suite)) {
      const b = new Uint8Array(bytes.length + 1);
      b.set(bytes);
      expect(rejected(decodeMessage(cs, b))).toMatchObject({ step, reason: 'trailing-bytes' });
    }
  });

  test('ciphertexts shorter than the AEAD overhead are rejected', () => {
    const enc = encodeMessage(cs, { step: 'initial.3', fields: { ID_PAT: 'PAT-1', c_PAT: new Uint8Array(cs.sizes.aeadOverhead), CHK_AP: new Uint8Array(cs.sizes.h3) } }).bytes;
    expect(decodeMessage(cs, enc).ok).toBe(true);
    const b = enc.slice();
    const o = offsetOf(cs, b, 'initial.3', 'c_PAT');
    b[o + 1] = cs.sizes.aeadOverhead - 1; // claim one byte fewer, drop one byte
    const short = new Uint8Array([...b.subarray(0, o + 2 + cs.sizes.aeadOverhead - 1), ...b.subarray(o + 2 + cs.sizes.aeadOverhead)]);
    expect(rejected(decodeMessage(cs, short))).toMatchObject({ step: 'initial.3', field: 'c_PAT', reason: 'wrong-length' });
  });
});

describe('framing and ids (suite-independent)', () => {
  const cs = getSuite('secp256k1');
  const good = () => encodeMessage(cs, { step: 'registration.1', fields: { ID_X: 'PAT-1' } }).bytes;

  test('empty input, unknown tag, wrong step', () => {
    expect(rejected(decodeMessage(cs, new Uint8Array(0)))).toMatchObject({ reason: 'empty' });
    expect(rejected(decodeMessage(cs, Uint8Array.of(0, 1, 65)))).toMatchObject({ reason: 'unknown-tag' });
    expect(rejected(decodeMessage(cs, Uint8Array.of(STEP_IDS.length + 1)))).toMatchObject({ reason: 'unknown-tag' });
    expect(rejected(decodeMessage(cs, good(), { expect: 'initial.1' }))).toMatchObject({ step: 'initial.1', reason: 'wrong-step' });
    expect(tagOf('registration.1')).toBe(1);
  });

  test('bad ids: zero length, too long, bad characters, invalid UTF-8', () => {
    const withId = (id: Uint8Array) => Uint8Array.of(tagOf('registration.1'), id.length, ...id);
    expect(rejected(decodeMessage(cs, Uint8Array.of(1, 0)))).toMatchObject({ field: 'ID_X', reason: 'bad-id' });
    expect(rejected(decodeMessage(cs, withId(new Uint8Array(65).fill(65))))).toMatchObject({ field: 'ID_X', reason: 'bad-id' });
    expect(rejected(decodeMessage(cs, withId(new TextEncoder().encode('PAT 1'))))).toMatchObject({ field: 'ID_X', reason: 'bad-id' });
    expect(rejected(decodeMessage(cs, withId(Uint8Array.of(0xc3, 0x28))))).toMatchObject({ field: 'ID_X', reason: 'bad-id' });
    expect(() => encodeMessage(cs, { step: 'registration.1', fields: { ID_X: 'has space' } })).toThrow(/cannot encode registration.1.ID_X/);
  });

  test('unknown ids are rejected when the receiver supplies its directory', () => {
    const known = (id: string) => id === 'PAT-1';
    expect(decodeMessage(cs, good(), { knownId: known }).ok).toBe(true);
    const other = encodeMessage(cs, { step: 'registration.1', fields: { ID_X: 'MALLORY' } }).bytes;
    expect(rejected(decodeMessage(cs, other, { knownId: known }))).toMatchObject({ step: 'registration.1', field: 'ID_X', reason: 'unknown-id' });
  });

  test('property: any byte string decodes to a canonical message or a typed rejection, never a throw', () => {
    const valid = [...wire('secp256k1').values()];
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat({ max: 3 }))
      .map(([b, edits, cut]) => {
        const out = b.slice(0, Math.max(0, b.length - (cut === 3 ? 1 : 0)));
        for (const [i, v] of edits) if (out.length) out[i % out.length] = v;
        return out;
      });
    const arbitraryBytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated);
    fc.assert(
      fc.property(arbitraryBytes, (b) => {
        const d = decodeMessage(cs, b);
        if (d.ok) return Buffer.from(encodeMessage(cs, d.message).bytes).equals(Buffer.from(b));
        return typeof d.rejection.step === 'string' && typeof d.rejection.reason === 'string' && d.rejection.kind === 'wire-rejection';
      }),
      { numRuns: 400, seed: 20201 },
    );
  });
});
