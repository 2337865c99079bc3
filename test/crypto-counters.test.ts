/** countingSuite counts Table 2 units exactly and never changes a result. */
import { expect, test } from 'vitest';
import { countingSuite, getSuite, seededRng, SUITE_NAMES } from '../src/crypto/index.js';

const te = new TextEncoder();

test.each(SUITE_NAMES)('%s: every counted operation is counted once, with the base result', (name) => {
  const base = getSuite(name);
  const { suite: s, counts, reset } = countingSuite(base);
  expect(counts()).toEqual({ mul: 0, h: 0, cmp: 0, enc: 0, sig: 0, digest: 0 });
  const rng = seededRng(`count-${name}`);
  const a = s.randomScalar(rng);
  const b = s.randomScalar(rng);
  const A = s.mulG(a); // mul 1
  const B = s.mul(s.G, b); // mul 2
  const C = s.mulAddPublic(A, 2n, B, 3n); // mul 4
  expect(C.bytes).toEqual(base.mulAddPublic(A, 2n, B, 3n).bytes);
  expect(A.bytes).toEqual(base.mulG(a).bytes);
  s.add(A, B); // not counted
  s.precompute(A); // not counted
  s.decodePoint(s.encodePoint(A), 'A'); // not counted
  const h1 = s.H1(te.encode('ID'), A); // h 1
  expect(h1).toBe(base.H1(te.encode('ID'), A));
  const k = s.H2(A, B); // h 2
  const chk = s.H3(k, B); // h 3
  expect(s.ctEqual(chk, base.H3(k, B))).toBe(true); // cmp 1
  expect(s.equals(A, B)).toBe(false); // cmp 2
  const ct = s.encrypt(k, te.encode('m'), rng); // enc 1
  expect(s.decrypt(k, ct)).toEqual(te.encode('m')); // enc 2
  expect(s.decrypt(k, ct.subarray(1))).toBeNull(); // enc 3
  const sig = s.sign(a, te.encode('m'), rng); // sig 1
  expect(s.verify(A, te.encode('m'), sig)).toBe(true); // sig 2
  s.digest(te.encode('x'));
  expect(counts()).toEqual({ mul: 4, h: 3, cmp: 2, enc: 3, sig: 2, digest: 1 });
  // counts() is a snapshot, reset() starts over.
  const snap = counts();
  s.mulG(a);
  expect(snap.mul).toBe(4);
  reset();
  expect(counts()).toEqual({ mul: 0, h: 0, cmp: 0, enc: 0, sig: 0, digest: 0 });
  // Two wrappers over one base count separately.
  const other = countingSuite(base);
  other.suite.mulG(a);
  expect(counts().mul).toBe(0);
  expect(other.counts().mul).toBe(1);
});
