/**
 * A CryptoSuite that remembers its scalar multiplications and point decodings, for the search
 * (./search.ts): the attacker explores a tree of move lists by re-running each prefix from the
 * same seed, so the same multiplications recur with the same inputs. Results are exactly the
 * wrapped suite's (a cache of a pure function): points are keyed by object identity (a replayed
 * run reuses the cached objects) and decodings by their bytes. Confirmation replays
 * (./search.ts, `exact`) never use this wrapper: they run on the plain suite.
 */
import type { CryptoSuite, Point } from '../crypto/suite.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function memoSuite(suite: CryptoSuite): CryptoSuite {
  const byPoint = new WeakMap<object, Map<bigint, Point>>();
  const byPointEph = new WeakMap<object, Map<bigint, Point>>();
  const gen = new Map<bigint, Point>();
  const decoded = new Map<string, Point>();
  const encoded = new WeakMap<object, Uint8Array>();
  const memo = (table: WeakMap<object, Map<bigint, Point>>, f: (X: Point, k: bigint) => Point) => (X: Point, k: bigint): Point => {
    let m = table.get(X as object);
    if (!m) table.set(X as object, (m = new Map()));
    let r = m.get(k);
    if (!r) m.set(k, (r = f(X, k)));
    return r;
  };
  return {
    ...suite,
    mul: memo(byPoint, (X, k) => suite.mul(X, k)),
    mulEphemeral: memo(byPointEph, (X, k) => suite.mulEphemeral(X, k)),
    mulG(k: bigint): Point {
      let r = gen.get(k);
      if (!r) gen.set(k, (r = suite.mulG(k)));
      return r;
    },
    encodePoint(X: Point): Uint8Array {
      let r = encoded.get(X as object);
      if (!r) encoded.set(X as object, (r = suite.encodePoint(X)));
      return r.slice(); // callers may not mutate the cached encoding
    },
    decodePoint(bytes: Uint8Array, what: string): Point {
      const key = hex(bytes);
      let r = decoded.get(key);
      if (!r) decoded.set(key, (r = suite.decodePoint(bytes, what))); // a throw is not cached: it throws again
      return r;
    },
  };
}
