/**
 * Differential test of the crypto backends (docs/crypto.md "Backends"): for every suite that has a
 * `native` backend, the native and the noble (reference) backends must give the same bytes for every
 * operation of the CryptoSuite interface — on random inputs from fast-check and on edge cases
 * (scalars 1, 2, q−1, q−2, 0 where allowed; the identity; X + X; X + (−X); every malformed
 * encoding) — and the same whole protocol runs (runScenario: trace, session keys, costs, ledger).
 */
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DecodeError, getSuite, hasNativeBackend, seededRng, SUITE_NAMES, type CryptoSuite, type Point } from '../src/crypto/index.js';
import { runScenario } from '../src/model/scenario.js';
import { UserError } from '../src/spec/diagnostics.js';

const RUNS = { numRuns: 25 };
const NATIVE_SUITES = SUITE_NAMES.filter(hasNativeBackend);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The outcome of a call as comparable data: its bytes, its value, or the error it threw (class and reason). */
function outcome(f: () => unknown): string {
  try {
    const v = f();
    if (v instanceof Uint8Array) return `bytes:${hex(v)}`;
    if (typeof v === 'bigint') return `bigint:${v}`;
    if (v === null) return 'null';
    if (typeof v === 'object' && v !== null && 'bytes' in v) return `point:${hex((v as Point).bytes)}`;
    return `${typeof v}:${String(v)}`;
  } catch (e) {
    if (e instanceof DecodeError) return `DecodeError:${e.reason}`;
    return `${(e as Error).name}`;
  }
}

test('at least one suite has a native backend, and asking for a missing one is a UserError', () => {
  expect(NATIVE_SUITES).toContain('secp256k1');
  expect(getSuite('secp256k1', 'native').backend).toBe('native');
  expect(getSuite('secp256k1').backend).toBe('noble');
  for (const n of SUITE_NAMES.filter((m) => !hasNativeBackend(m))) expect(() => getSuite(n, 'native')).toThrow(UserError);
  expect(() => getSuite('secp256k1', 'openssl')).toThrow(/unknown crypto backend 'openssl'; known backends: noble, native/);
});

describe.each(NATIVE_SUITES)('%s: native = noble, operation by operation', (name) => {
  const ref: CryptoSuite = getSuite(name, 'noble');
  const fast: CryptoSuite = getSuite(name, 'native');
  const q = ref.order;
  /** Scalars: uniform ones and the edges. */
  const arbScalar = fc.oneof(fc.bigInt({ min: 1n, max: q - 1n }), fc.constantFrom(1n, 2n, 3n, q - 1n, q - 2n, (q - 1n) / 2n, (q + 1n) / 2n));
  /** A point both backends hold: k·G made by each backend (from its own code path). */
  const arbPointScalar = arbScalar;

  test('the suites are the same suite: name, order, sizes, generator, description prefix', () => {
    expect(fast.name).toBe(ref.name);
    expect(fast.order).toBe(ref.order);
    expect(fast.sizes).toEqual(ref.sizes);
    expect(hex(fast.G.bytes)).toBe(hex(ref.G.bytes));
    expect(fast.description.startsWith(ref.description)).toBe(true);
  });

  test('mulG, mul, mulEphemeral, precompute then mul: same bytes', () => {
    fc.assert(
      fc.property(arbScalar, arbPointScalar, fc.integer({ min: 2, max: 4 }), (k, x, w) => {
        const Xr = ref.mulG(x);
        const Xf = fast.mulG(x);
        expect(hex(Xf.bytes)).toBe(hex(Xr.bytes));
        expect(hex(fast.mul(Xf, k).bytes)).toBe(hex(ref.mul(Xr, k).bytes));
        expect(hex(fast.mulEphemeral(Xf, k).bytes)).toBe(hex(ref.mulEphemeral(Xr, k).bytes));
        expect(hex(fast.mul(fast.precompute(Xf, w), k).bytes)).toBe(hex(ref.mul(ref.precompute(Xr, w), k).bytes));
      }),
      RUNS,
    );
  });

  test('add, mulAddPublic (public scalars, 0 included), equals: same bytes and verdicts, identity included', () => {
    const arbPublic = fc.oneof(arbScalar, fc.constant(0n));
    fc.assert(
      fc.property(arbScalar, arbScalar, arbPublic, arbPublic, (x, y, a, b) => {
        const [Xr, Yr, Xf, Yf] = [ref.mulG(x), ref.mulG(y), fast.mulG(x), fast.mulG(y)];
        expect(hex(fast.add(Xf, Yf).bytes)).toBe(hex(ref.add(Xr, Yr).bytes));
        expect(hex(fast.add(Xf, Xf).bytes)).toBe(hex(ref.add(Xr, Xr).bytes)); // doubling
        expect(hex(fast.mulAddPublic(Xf, a, Yf, b).bytes)).toBe(hex(ref.mulAddPublic(Xr, a, Yr, b).bytes));
        const negXr = ref.mulG(q - x);
        const negXf = fast.mulG(q - x);
        const Or = ref.add(Xr, negXr);
        const Of = fast.add(Xf, negXf); // X + (−X) = O
        expect(hex(Of.bytes)).toBe(hex(Or.bytes));
        expect(hex(fast.add(Of, Yf).bytes)).toBe(hex(ref.add(Or, Yr).bytes));
        expect(hex(fast.mul(Of, x).bytes)).toBe(hex(ref.mul(Or, x).bytes));
        expect(fast.equals(Xf, Yf)).toBe(ref.equals(Xr, Yr));
        expect(fast.equals(Xf, Xf)).toBe(true);
        expect(fast.equals(Of, Yf)).toBe(ref.equals(Or, Yr));
        expect(outcome(() => fast.precompute(Of))).toBe(outcome(() => ref.precompute(Or)));
      }),
      RUNS,
    );
  });

  test('points cross backends: each decodes the other\'s points, and mixing them gives the reference bytes', () => {
    fc.assert(
      fc.property(arbScalar, arbScalar, (x, k) => {
        const Xr = ref.mulG(x);
        const Xf = fast.mulG(x);
        expect(hex(fast.mul(Xr, k).bytes)).toBe(hex(ref.mul(Xr, k).bytes)); // a noble point into the native backend
        expect(hex(ref.mul(Xf, k).bytes)).toBe(hex(ref.mul(Xr, k).bytes)); // and back
        expect(hex(fast.add(Xr, Xf).bytes)).toBe(hex(ref.add(Xr, Xr).bytes));
      }),
      RUNS,
    );
  });

  test('range errors on scalars and windows are the same (class), for every scalar entry point', () => {
    const X = ref.mulG(7n);
    for (const k of [0n, q, q + 1n, -1n]) {
      expect(outcome(() => fast.mulG(k))).toBe(outcome(() => ref.mulG(k)));
      expect(outcome(() => fast.mul(X, k))).toBe(outcome(() => ref.mul(X, k)));
      expect(outcome(() => fast.mulEphemeral(X, k))).toBe(outcome(() => ref.mulEphemeral(X, k)));
      expect(outcome(() => fast.mulAddPublic(X, k, X, 1n))).toBe(outcome(() => ref.mulAddPublic(X, k, X, 1n)));
      expect(outcome(() => fast.sign(k, Uint8Array.of(1), seededRng(1)))).toBe(outcome(() => ref.sign(k, Uint8Array.of(1), seededRng(1))));
    }
    for (const w of [1, 17, 2.5]) expect(outcome(() => fast.precompute(X, w))).toBe(outcome(() => ref.precompute(X, w)));
    expect(outcome(() => fast.mul(getSuite('p256').G, 1n))).toBe(outcome(() => ref.mul(getSuite('p256').G, 1n)));
  });

  test('decodePoint: the same point or the same DecodeError reason, on valid, mutated and random bytes', () => {
    const valid = ref.mulG(12345n).bytes;
    const fieldP = 2n ** 256n - 2n ** 32n - 977n; // secp256k1 field prime (SEC 2 §2.4.1)
    const edge: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.of(0),
      new Uint8Array(33),
      new Uint8Array(65),
      valid.subarray(0, 32),
      Uint8Array.of(...valid, 0),
      Uint8Array.of(0x04, ...valid.subarray(1)),
      Uint8Array.of(0x02, ...numberToBytesBE(fieldP, 32)),
      Uint8Array.of(0x03, ...numberToBytesBE(fieldP + 1n, 32)),
      Uint8Array.of(0x02, ...numberToBytesBE(fieldP - 1n, 32)),
      Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)),
      ref.G.bytes,
    ];
    for (const b of edge) expect(outcome(() => fast.decodePoint(b, 'P'))).toBe(outcome(() => ref.decodePoint(b, 'P')));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 33, maxLength: 33 }), fc.uint8Array({ maxLength: 70 }), fc.tuple(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([h, x]) => Uint8Array.of(h, ...x))), (b) => {
        expect(outcome(() => fast.decodePoint(b, 'P'))).toBe(outcome(() => ref.decodePoint(b, 'P')));
        // A decoded point computes the same as the reference's.
        const r = outcome(() => ref.mul(ref.decodePoint(b, 'P'), 5n));
        expect(outcome(() => fast.mul(fast.decodePoint(b, 'P'), 5n))).toBe(r);
      }),
      { numRuns: 200 },
    );
  });

  test('scalars, H1, H2, H3, digest, encrypt/decrypt: same bytes (shared code, fed the same point bytes)', () => {
    fc.assert(
      fc.property(arbScalar, fc.uint8Array({ maxLength: 40 }), fc.integer(), (x, data, seed) => {
        const Xr = ref.mulG(x);
        const Xf = fast.mulG(x);
        expect(fast.H1(data, Xf)).toBe(ref.H1(data, Xr));
        expect(hex(fast.H2(Xf, fast.G))).toBe(hex(ref.H2(Xr, ref.G)));
        expect(hex(fast.H3(data, Xf))).toBe(hex(ref.H3(data, Xr)));
        expect(hex(fast.digest(data))).toBe(hex(ref.digest(data)));
        expect(fast.randomScalar(seededRng(seed))).toBe(ref.randomScalar(seededRng(seed)));
        expect(hex(fast.encodeScalar(x))).toBe(hex(ref.encodeScalar(x)));
        expect(outcome(() => fast.decodeScalar(data, 's'))).toBe(outcome(() => ref.decodeScalar(data, 's')));
        const key = ref.H2(Xr, ref.G);
        const ct = fast.encrypt(key, data, seededRng(seed));
        expect(hex(ct)).toBe(hex(ref.encrypt(key, data, seededRng(seed))));
        expect(outcome(() => fast.decrypt(key, ct))).toBe(outcome(() => ref.decrypt(key, ct)));
        expect(fast.ctEqual(data, data.slice())).toBe(true);
      }),
      RUNS,
    );
  });

  test('sign: the same signature bytes from the same seed (RFC 6979 with the same extra entropy); verify: the same verdicts', () => {
    fc.assert(
      fc.property(arbScalar, fc.uint8Array({ maxLength: 64 }), fc.integer(), fc.nat({ max: 63 }), (sk, m, seed, bit) => {
        const sr = ref.sign(sk, m, seededRng(seed));
        const sf = fast.sign(sk, m, seededRng(seed));
        expect(hex(sf)).toBe(hex(sr));
        const PKr = ref.mulG(sk);
        const PKf = fast.mulG(sk);
        expect(fast.verify(PKf, m, sr)).toBe(true);
        expect(ref.verify(PKr, m, sf)).toBe(true);
        const bad = sr.slice();
        bad[bit]! ^= 1;
        expect(fast.verify(PKf, m, bad)).toBe(ref.verify(PKr, m, bad));
        const other = fast.mulG(sk === q - 1n ? 1n : sk + 1n);
        expect(fast.verify(other, m, sr)).toBe(false);
      }),
      RUNS,
    );
  });

  test('verify edge cases: high-S twin, r or s = 0, r or s ≥ q, wrong length, identity key: same verdicts', () => {
    const sk = 99n;
    const m = Uint8Array.of(1, 2, 3);
    const sig = ref.sign(sk, m, seededRng('edge'));
    const r = sig.subarray(0, 32);
    const s = bytesToNumberBE(sig.subarray(32));
    const PK = ref.mulG(sk);
    const O = ref.add(PK, ref.mulG(q - sk));
    const cases = [
      Uint8Array.of(...r, ...numberToBytesBE(q - s, 32)), // high-S twin
      Uint8Array.of(...new Uint8Array(32), ...sig.subarray(32)),
      Uint8Array.of(...r, ...new Uint8Array(32)),
      Uint8Array.of(...numberToBytesBE(q, 32), ...sig.subarray(32)),
      Uint8Array.of(...r, ...numberToBytesBE(q + 1n, 32)),
      new Uint8Array(64).fill(0xff),
      sig.subarray(0, 63),
      Uint8Array.of(...sig, 0),
    ];
    for (const c of cases) expect(fast.verify(PK, m, c)).toBe(ref.verify(PK, m, c));
    for (const c of cases) expect(fast.verify(PK, m, c)).toBe(false);
    expect(fast.verify(O, m, sig)).toBe(ref.verify(O, m, sig));
    expect(fast.verify(PK, m, sig)).toBe(true);
  });
});

/** Everything a run produces that bytes decide, as one comparable value. */
function runFingerprint(suite: CryptoSuite, seed: number): string {
  const r = runScenario({ suite, seed });
  const sys = r.system;
  return JSON.stringify(
    {
      ok: r.ok,
      failures: r.failures,
      trace: r.trace,
      agreements: r.agreements,
      costs: r.costs,
      ledger: r.ledger,
      txs: sys.ledger.txs,
      PK: sys.center.PK.bytes,
      parties: [...sys.parties.values()].map((p) => [p.id, p.store.credentials?.R.bytes, p.store.credentials?.PK.bytes, p.store.credentials?.S]),
    },
    (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? hex(v) : v),
  );
}

describe.each(NATIVE_SUITES)('%s: whole protocol runs are identical on both backends', (name) => {
  test.each([0, 1, 7, 2026])('runScenario seed %i: same trace, keys, costs and ledger', (seed) => {
    const a = runFingerprint(getSuite(name, 'noble'), seed);
    const b = runFingerprint(getSuite(name, 'native'), seed);
    expect(JSON.parse(a).ok).toBe(true);
    expect(b).toBe(a);
  });
});
