/**
 * Every suite against the CryptoSuite contract (src/crypto/suite.ts): group laws the protocol
 * relies on, strict decoding with the right DecodeError reason, AEAD, signatures with S_X / PK_X,
 * and H1/H2/H3 domain separation. Random inputs come from fast-check with small run counts.
 */
import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { bytesToNumberBE, hexToBytes, numberToBytesBE, numberToBytesLE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DecodeError,
  DEFAULT_SUITE,
  getSuite,
  hasNativeBackend,
  seededRng,
  SUITE_NAMES,
  type CryptoSuite,
  type DecodeFailure,
  type Point,
} from '../src/crypto/index.js';
import { UserError } from '../src/spec/diagnostics.js';

const RUNS = { numRuns: 20 };
const te = new TextEncoder();

/** A seed for seededRng; every generated value below derives from it. */
const arbSeed = fc.integer({ min: 0, max: 2 ** 31 });

function decodeFailure(f: () => unknown): DecodeFailure | 'no-error' | 'other-error' {
  try {
    f();
    return 'no-error';
  } catch (e) {
    return e instanceof DecodeError ? e.reason : 'other-error';
  }
}

function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  out[i]! ^= 1;
  return out;
}

test('getSuite knows exactly the three suites; unknown names are a UserError listing them', () => {
  expect([...SUITE_NAMES].sort()).toEqual(['p256', 'ristretto255', 'secp256k1']);
  expect(SUITE_NAMES).toContain(DEFAULT_SUITE);
  expect(() => getSuite('ed448')).toThrow(UserError);
  expect(() => getSuite('ed448')).toThrow(/ristretto255, secp256k1, p256/);
});

/** Every suite on every backend it has: the contract holds for each (noble is the reference). */
const SUITE_BACKENDS = SUITE_NAMES.flatMap((n) => [[n, 'noble'] as const, ...(hasNativeBackend(n) ? [[n, 'native'] as const] : [])]);

describe.each(SUITE_BACKENDS)('suite %s (%s backend)', (name, backend) => {
  const s: CryptoSuite = getSuite(name, backend);
  const isSec1 = name !== 'ristretto255';

  test('name, sizes and generator encoding agree', () => {
    expect(s.name).toBe(name);
    expect(s.description.length).toBeGreaterThan(10);
    expect(s.G.bytes.length).toBe(s.sizes.point);
    expect(s.encodePoint(s.G)).toEqual(s.G.bytes);
    expect(s.encodeScalar(1n).length).toBe(s.sizes.scalar);
    expect(s.sizes.aeadOverhead).toBe(28);
  });

  test('randomScalar lies in [1, q-1] and replays from the seed', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const a = s.randomScalar(seededRng(seed));
        expect(a >= 1n && a < s.order).toBe(true);
        expect(s.randomScalar(seededRng(seed))).toBe(a);
      }),
      RUNS,
    );
  });

  test('a·(b·P) = b·(a·P) (the DH step behind K1, K2) and (a+b)·P = a·P + b·P', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const rng = seededRng(seed);
        const a = s.randomScalar(rng);
        const b = s.randomScalar(rng);
        const A = s.mulG(a);
        const B = s.mulG(b);
        expect(s.equals(s.mul(B, a), s.mul(A, b))).toBe(true);
        expect(s.equals(s.mulG(s.addMod(a, b)), s.add(A, B))).toBe(true);
        expect(s.equals(s.mul(A, b), s.mulG(s.mulMod(a, b)))).toBe(true);
        expect(s.equals(A, B)).toBe(a === b);
      }),
      RUNS,
    );
  });

  test('mulAddPublic(X, a, Y, b) = a·X + b·Y (eq. (5) shape: R + h·PK)', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const rng = seededRng(seed);
        const [x, y, a, b] = [s.randomScalar(rng), s.randomScalar(rng), s.randomScalar(rng), s.randomScalar(rng)];
        const X = s.mulG(x);
        const Y = s.mulG(y);
        const expected = s.add(s.mul(X, a), s.mul(Y, b));
        expect(s.equals(s.mulAddPublic(X, a, Y, b), expected)).toBe(true);
      }),
      RUNS,
    );
  });

  test('mulEphemeral(X, k) is the point mul(X, k) gives (unblinded kernel, same value), including k = 1 and q − 1', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const rng = seededRng(seed);
        const X = s.decodePoint(s.mulG(s.randomScalar(rng)).bytes, 'X'); // no table, like a T_peer off the wire
        for (const k of [s.randomScalar(rng), 1n, s.order - 1n]) expect(s.mulEphemeral(X, k).bytes).toEqual(s.mul(X, k).bytes);
      }),
      RUNS,
    );
  });

  test('mul on a precomputed base (window-8 table) gives the same points', () => {
    const rng = seededRng(`precompute-${name}`);
    const X = s.mulG(s.randomScalar(rng));
    const Xp = s.precompute(X); // building the table costs ~tens of T: done once
    expect(Xp.bytes).toEqual(X.bytes);
    expect(s.equals(Xp, X)).toBe(true);
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const a = s.randomScalar(seededRng(seed));
        expect(s.mul(Xp, a).bytes).toEqual(s.mul(X, a).bytes);
      }),
      RUNS,
    );
  });

  test('secret-scalar paths refuse 0 and q; mulAddPublic accepts 0', () => {
    expect(() => s.mulG(0n)).toThrow(RangeError);
    expect(() => s.mulG(s.order)).toThrow(RangeError);
    expect(() => s.mul(s.G, 0n)).toThrow(RangeError);
    expect(() => s.mulEphemeral(s.G, 0n)).toThrow(RangeError);
    expect(() => s.mulEphemeral(s.G, s.order)).toThrow(RangeError);
    expect(s.equals(s.mulAddPublic(s.G, 0n, s.G, 5n), s.mulG(5n))).toBe(true);
  });

  test('points from another suite are refused', () => {
    const other = getSuite(name === 'p256' ? 'secp256k1' : 'p256');
    expect(() => s.add(s.G, other.G)).toThrow(TypeError);
  });

  test('encode/decode round trip for points and scalars', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const rng = seededRng(seed);
        const k = s.randomScalar(rng);
        const X = s.mulG(k);
        const bytes = s.encodePoint(X);
        expect(bytes.length).toBe(s.sizes.point);
        const Y = s.decodePoint(bytes, 'X');
        expect(s.equals(X, Y)).toBe(true);
        expect(s.encodePoint(Y)).toEqual(bytes);
        // A Point rebuilt from bytes alone (not made by the suite) is decoded strictly and works.
        const bare: Point = { suite: name, bytes };
        expect(s.equals(s.mul(bare, k), s.mul(X, k))).toBe(true);
        expect(s.decodeScalar(s.encodeScalar(k), 'k')).toBe(k);
      }),
      RUNS,
    );
  });

  test('decodePoint: wrong length', () => {
    const g = s.G.bytes;
    expect(decodeFailure(() => s.decodePoint(g.subarray(1), 'R'))).toBe('wrong-length');
    expect(decodeFailure(() => s.decodePoint(Uint8Array.of(...g, 0), 'R'))).toBe('wrong-length');
    expect(decodeFailure(() => s.decodePoint(new Uint8Array(0), 'R'))).toBe('wrong-length');
  });

  test('decodePoint: identity point', () => {
    expect(decodeFailure(() => s.decodePoint(new Uint8Array(s.sizes.point), 'R'))).toBe('identity-point');
    if (isSec1) expect(decodeFailure(() => s.decodePoint(Uint8Array.of(0), 'R'))).toBe('identity-point');
    // The identity a computation may produce is never accepted back from the wire.
    const Z = s.add(s.G, s.mulAddPublic(s.G, s.order - 1n, s.G, 0n));
    expect(decodeFailure(() => s.decodePoint(s.encodePoint(Z), 'R'))).toBe('identity-point');
  });

  test('decodePoint: off-curve bytes', () => {
    // Search small candidates for bytes that are canonical but encode no group element.
    let found: Uint8Array | undefined;
    for (let i = 1n; i < 200n && !found; i++) {
      const cand = isSec1 ? Uint8Array.of(2, ...numberToBytesBE(i, 32)) : numberToBytesLE(2n * i, 32);
      if (decodeFailure(() => s.decodePoint(cand, 'R')) === 'not-on-curve') found = cand;
    }
    expect(found).toBeDefined();
  });

  test('decodePoint: non-canonical encodings', () => {
    const g = s.G.bytes;
    if (isSec1) {
      const p = name === 'p256' ? 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n : 2n ** 256n - 2n ** 32n - 977n;
      const withPrefix = (b: number) => Uint8Array.of(b, ...g.subarray(1));
      expect(decodeFailure(() => s.decodePoint(withPrefix(0x04), 'R'))).toBe('non-canonical');
      expect(decodeFailure(() => s.decodePoint(withPrefix(0x05), 'R'))).toBe('non-canonical');
      // x + p encodes the same x coordinate when it fits in 32 bytes: must be refused.
      // (x + p fits only for small x: take the first small x that is on the curve.)
      let x = 1n;
      while (decodeFailure(() => s.decodePoint(Uint8Array.of(2, ...numberToBytesBE(x, 32)), 'R')) !== 'no-error') x++;
      expect(x + p < 2n ** 256n).toBe(true);
      expect(decodeFailure(() => s.decodePoint(Uint8Array.of(2, ...numberToBytesBE(x + p, 32)), 'R'))).toBe(
        'non-canonical',
      );
      // The uncompressed (65-byte) form of a valid point is not the wire form.
      expect(decodeFailure(() => s.decodePoint(Uint8Array.of(4, ...new Uint8Array(64)), 'R'))).toBe('wrong-length');
    } else {
      const p = 2n ** 255n - 19n;
      expect(decodeFailure(() => s.decodePoint(flip(g, 0), 'R'))).toBe('non-canonical'); // negative s
      expect(decodeFailure(() => s.decodePoint(numberToBytesLE(p + 1n, 32), 'R'))).toBe('non-canonical'); // s ≥ p
      const sVal = BigInt('0x' + Buffer.from(g).reverse().toString('hex'));
      expect(decodeFailure(() => s.decodePoint(numberToBytesLE(p - sVal, 32), 'R'))).toBe('non-canonical'); // -s
      const high = g.slice();
      high[31]! |= 0x80;
      expect(decodeFailure(() => s.decodePoint(high, 'R'))).toBe('non-canonical');
    }
  });

  test('decodePoint: small-order points', () => {
    if (isSec1) {
      // Prime-order curves (cofactor 1): the identity is the only small-order point (tested above).
      expect(s.equals(s.mulAddPublic(s.G, s.order - 1n, s.G, 1n), s.mulAddPublic(s.G, 0n, s.G, 0n))).toBe(true);
      return;
    }
    // Ed25519's 8-torsion encodings must not decode as ristretto255 elements.
    for (const hex of ED25519_TORSION_SUBGROUP) {
      const r = decodeFailure(() => s.decodePoint(hexToBytes(hex), 'R'));
      expect(r === 'no-error' || r === 'other-error').toBe(false);
    }
  });

  test('decodeScalar: wrong length, 0, q and above are refused', () => {
    const enc = (k: bigint) => (isSec1 ? numberToBytesBE(k, 32) : numberToBytesLE(k, 32));
    expect(decodeFailure(() => s.decodeScalar(new Uint8Array(31), 'S_X'))).toBe('wrong-length');
    expect(decodeFailure(() => s.decodeScalar(new Uint8Array(33), 'S_X'))).toBe('wrong-length');
    expect(decodeFailure(() => s.decodeScalar(enc(0n), 'S_X'))).toBe('scalar-out-of-range');
    expect(decodeFailure(() => s.decodeScalar(enc(s.order), 'S_X'))).toBe('scalar-out-of-range');
    expect(decodeFailure(() => s.decodeScalar(enc(2n ** 256n - 1n), 'S_X'))).toBe('scalar-out-of-range');
    expect(s.decodeScalar(enc(s.order - 1n), 'S_X')).toBe(s.order - 1n);
    const e = (() => {
      try {
        s.decodeScalar(enc(s.order), 'S_X');
      } catch (err) {
        return err as DecodeError;
      }
    })();
    expect(e?.what).toBe('S_X');
  });

  test('AEAD: round trip; any tamper, wrong key, wrong aad or garbage gives null', () => {
    fc.assert(
      fc.property(arbSeed, fc.uint8Array({ maxLength: 64 }), fc.nat(), (seed, pt, pos) => {
        const rng = seededRng(seed);
        const key = rng.bytes(32);
        const aad = te.encode('initial.3');
        const ct = s.encrypt(key, pt, rng, aad);
        expect(ct.length).toBe(pt.length + s.sizes.aeadOverhead);
        expect(s.decrypt(key, ct, aad)).toEqual(pt);
        expect(s.decrypt(key, flip(ct, pos % ct.length), aad)).toBeNull();
        expect(s.decrypt(flip(key, 0), ct, aad)).toBeNull();
        expect(s.decrypt(key, ct, te.encode('initial.4'))).toBeNull();
        expect(s.decrypt(key, ct.subarray(0, ct.length - 1), aad)).toBeNull();
        expect(s.decrypt(key, rng.bytes(pos % 40), aad)).toBeNull();
      }),
      RUNS,
    );
  });

  test('signatures: S_X signs, PK_X = S_X·P verifies; wrong key, message or bytes fail', () => {
    fc.assert(
      fc.property(arbSeed, fc.uint8Array({ maxLength: 80 }), (seed, msg) => {
        const rng = seededRng(seed);
        const sk = s.randomScalar(rng);
        const other = s.randomScalar(rng);
        const PK = s.mulG(sk);
        const sig = s.sign(sk, msg, rng);
        expect(sig.length).toBe(s.sizes.signature);
        expect(s.verify(PK, msg, sig)).toBe(true);
        expect(s.verify(s.mulG(other), msg, sig)).toBe(false);
        expect(s.verify(PK, Uint8Array.of(...msg, 0), sig)).toBe(false);
        expect(s.verify(PK, msg, flip(sig, 5))).toBe(false);
        expect(s.verify(PK, msg, flip(sig, 40))).toBe(false);
        expect(s.verify(PK, msg, sig.subarray(1))).toBe(false);
        expect(s.verify(PK, msg, new Uint8Array(64))).toBe(false);
      }),
      { numRuns: 10 }, // each run costs ~10 T
    );
  });

  test('H1, H2, H3: deterministic, input-sensitive, domain-separated', () => {
    const rng = seededRng(`h-${name}`);
    const A = s.mulG(s.randomScalar(rng));
    const B = s.mulG(s.randomScalar(rng));
    const h1 = s.H1(A.bytes, B);
    expect(h1 >= 0n && h1 < s.order).toBe(true);
    expect(s.H1(A.bytes, B)).toBe(h1);
    expect(s.H1(te.encode('HPA'), B)).not.toBe(s.H1(te.encode('HPB'), B));
    const h2 = s.H2(A, B);
    const h3 = s.H3(A.bytes, B);
    expect(h2.length).toBe(s.sizes.sessionKey);
    expect(h3.length).toBe(s.sizes.h3);
    // Same bytes into different H give different outputs.
    expect(h2).not.toEqual(h3);
    expect(s.encodeScalar(h1)).not.toEqual(h2);
    expect(s.encodeScalar(h1)).not.toEqual(h3);
    expect(s.digest(Uint8Array.of(...A.bytes, ...B.bytes))).not.toEqual(h2);
    // Order and framing matter: H2(A,B) ≠ H2(B,A); moving a byte across the boundary changes H1.
    expect(s.H2(B, A)).not.toEqual(h2);
    expect(s.H3(Uint8Array.of(...A.bytes, 0), B)).not.toEqual(h3);
    // Other suites use other tags.
    for (const n of SUITE_NAMES.filter((m) => m !== name)) {
      const o = getSuite(n);
      expect(o.digest(A.bytes)).toEqual(s.digest(A.bytes)); // digest is plain SHA-256 everywhere
      expect(o.H3(A.bytes, o.G)).not.toEqual(s.H3(A.bytes, s.G));
    }
  });

  test('digest is SHA-256', () => {
    expect(Buffer.from(s.digest(te.encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

const SEC1_BACKENDS = [['secp256k1', 'noble'], ['secp256k1', 'native'], ['p256', 'noble']] as const;

describe('signature replay and key conventions', () => {
  test.each(SEC1_BACKENDS)('%s (%s) signatures replay from the seed', (name, backend) => {
    const s = getSuite(name, backend);
    const sk = s.randomScalar(seededRng(7));
    const m = te.encode('Sig_HPA');
    expect(s.sign(sk, m, seededRng('sig'))).toEqual(s.sign(sk, m, seededRng('sig')));
    expect(s.sign(sk, m, seededRng('sig'))).not.toEqual(s.sign(sk, m, seededRng('other')));
  });

  test.each(SEC1_BACKENDS)('%s (%s) (ECDSA, full-point keys): keys whose PK_X has odd or even y both verify', (name, backend) => {
    const s = getSuite(name, backend);
    const rng = seededRng('parity');
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const sk = s.randomScalar(rng);
      const PK = s.mulG(sk);
      seen.add(PK.bytes[0]!);
      expect(s.verify(PK, te.encode('m'), s.sign(sk, te.encode('m'), rng))).toBe(true);
      expect(s.verify(s.mulG(s.addMod(sk, 1n)), te.encode('m'), s.sign(sk, te.encode('m'), rng))).toBe(false);
    }
    expect([...seen].sort()).toEqual([0x02, 0x03]);
  });

  test.each(SEC1_BACKENDS)('%s (%s) verification rejects the high-S twin of a valid signature (low-S policy)', (name, backend) => {
    const s = getSuite(name, backend);
    const sk = s.randomScalar(seededRng(3));
    const m = te.encode('m');
    const sig = s.sign(sk, m, seededRng(4));
    const r = sig.subarray(0, 32);
    const sv = bytesToNumberBE(sig.subarray(32));
    const twin = Uint8Array.of(...r, ...numberToBytesBE(s.order - sv, 32));
    expect(s.verify(s.mulG(sk), m, sig)).toBe(true);
    expect(s.verify(s.mulG(sk), m, twin)).toBe(false);
  });
});
