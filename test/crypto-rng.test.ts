/** Seeded DRBG (ChaCha20 keyed by a tagged SHA-256 of the seed): determinism, fork independence. */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { frame, utf8 } from '../src/crypto/encoding.js';
import { forkRng, seededRng, systemRng } from '../src/crypto/rng.js';
import { UserError } from '../src/spec/diagnostics.js';

const RUNS = { numRuns: 30 };
/** Chunk sizes a caller might request in sequence. */
const arbChunks = fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 8 });

test('the stream is the ChaCha20 keystream under SHA-256(frame("bantam/v1/rng/seed", seed))', () => {
  const key = sha256(frame('bantam/v1/rng/seed', [utf8('demo')]));
  const expected = chacha20(key, new Uint8Array(12), new Uint8Array(100));
  expect(seededRng('demo').bytes(100)).toEqual(expected);
});

test('same seed → same bytes; 42, 42n and "42" name one stream; other seeds differ', () => {
  expect(seededRng(42).bytes(64)).toEqual(seededRng('42').bytes(64));
  expect(seededRng(42n).bytes(64)).toEqual(seededRng(42).bytes(64));
  expect(seededRng(42).bytes(64)).not.toEqual(seededRng(43).bytes(64));
  expect(() => seededRng(1.5)).toThrow(UserError);
});

test('output does not depend on how reads are chunked', () => {
  fc.assert(
    fc.property(fc.string(), arbChunks, (seed, chunks) => {
      const total = chunks.reduce((a, b) => a + b, 0);
      const whole = seededRng(seed).bytes(total);
      const r = seededRng(seed);
      const parts = chunks.map((n) => r.bytes(n));
      expect(Uint8Array.from(parts.flatMap((p) => [...p]))).toEqual(whole);
    }),
    RUNS,
  );
});

test('forks: deterministic, independent per label, and do not advance or depend on the parent position', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.string(), (seed, l1, l2) => {
      fc.pre(l1 !== l2);
      const a = forkRng(seededRng(seed), l1).bytes(32);
      // Forking another label first, or reading from the parent first, does not shift l1's stream.
      const parent = seededRng(seed);
      forkRng(parent, l2).bytes(50);
      parent.bytes(10);
      expect(forkRng(parent, l1).bytes(32)).toEqual(a);
      expect(forkRng(seededRng(seed), l2).bytes(32)).not.toEqual(a);
      expect(a).not.toEqual(seededRng(seed).bytes(32));
      // Forking does not advance the parent.
      const p1 = seededRng(seed);
      forkRng(p1, l1);
      expect(p1.bytes(16)).toEqual(seededRng(seed).bytes(16));
      // Nested forks are labelled paths.
      expect(forkRng(forkRng(seededRng(seed), l1), l2).bytes(16)).not.toEqual(forkRng(seededRng(seed), l2).bytes(16));
    }),
    RUNS,
  );
});

test('systemRng gives fresh bytes of the requested length; it can be forked', () => {
  const r = systemRng();
  expect(r.bytes(70000).length).toBe(70000);
  expect(r.bytes(32)).not.toEqual(r.bytes(32));
  expect(forkRng(r, 'x').bytes(32)).not.toEqual(forkRng(r, 'x').bytes(32));
});
