/**
 * A CryptoSuite that remembers its scalar multiplications and point decodings, for the search
 * (./search.ts): the attacker explores a tree of move lists by re-running each prefix from the
 * same seed, so the same multiplications recur with the same inputs. Results are exactly the
 * wrapped suite's (a cache of a pure function): points are keyed by object identity (a replayed
 * run reuses the cached objects) and decodings by their bytes. Confirmation replays
 * (./search.ts, `exact`) never use this wrapper: they run on the plain suite.
 *
 * Point decodings that fail are remembered too (bytes and what), and throw the same error again;
 * so are authenticated decryptions (by key, ciphertext and associated data; the closure tries every
 * known key on every known ciphertext in every state).
 * Also remembered (multi-phase searches re-run the prior phases and their ledger for every
 * state): point additions and mulAddPublic (by operand identity), H1 (by id bytes and point),
 * signature checks (by key, message and signature), and signatures: a signature is reused only
 * when the signer's random stream yields exactly the bytes it yielded the first time (they are
 * drawn again and compared), so the stream advances as the wrapped suite's would and the result
 * is the one the wrapped suite computes from those inputs.
 */
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function memoSuite(suite: CryptoSuite): CryptoSuite {
  const byPoint = new WeakMap<object, Map<bigint, Point>>();
  const byPointEph = new WeakMap<object, Map<bigint, Point>>();
  const gen = new Map<bigint, Point>();
  const decoded = new Map<string, Point>();
  const refused = new Map<string, unknown>(); // bytes|what → the error the wrapped suite threw
  const opened = new Map<string, Uint8Array | null>(); // key|ciphertext|aad → plaintext, or null (authentication failed)
  const encoded = new WeakMap<object, Uint8Array>();
  const memo = (table: WeakMap<object, Map<bigint, Point>>, f: (X: Point, k: bigint) => Point) => (X: Point, k: bigint): Point => {
    let m = table.get(X as object);
    if (!m) table.set(X as object, (m = new Map()));
    let r = m.get(k);
    if (!r) m.set(k, (r = f(X, k)));
    return r;
  };
  const added = new WeakMap<object, WeakMap<object, Point>>();
  const mulAdd = new WeakMap<object, WeakMap<object, Map<string, Point>>>();
  const h1 = new WeakMap<object, Map<string, bigint>>();
  const verified = new WeakMap<object, Map<string, boolean>>();
  const signed = new Map<string, { draws: Uint8Array[]; sig: Uint8Array }[]>();
  const inner = <V>(t: WeakMap<object, Map<string, V>>, X: Point) => {
    let m = t.get(X as object);
    if (!m) t.set(X as object, (m = new Map()));
    return m;
  };
  return {
    ...suite,
    add(X: Point, Y: Point): Point {
      let m = added.get(X as object);
      if (!m) added.set(X as object, (m = new WeakMap()));
      let r = m.get(Y as object);
      if (!r) m.set(Y as object, (r = suite.add(X, Y)));
      return r;
    },
    mulAddPublic(X: Point, a: bigint, Y: Point, b: bigint): Point {
      let byY = mulAdd.get(X as object);
      if (!byY) mulAdd.set(X as object, (byY = new WeakMap()));
      let m = byY.get(Y as object);
      if (!m) byY.set(Y as object, (m = new Map()));
      const k = `${a}|${b}`;
      let r = m.get(k);
      if (!r) m.set(k, (r = suite.mulAddPublic(X, a, Y, b)));
      return r;
    },
    H1(id: Uint8Array, R: Point): bigint {
      const m = inner(h1, R);
      const k = hex(id);
      let r = m.get(k);
      if (r === undefined) m.set(k, (r = suite.H1(id, R)));
      return r;
    },
    verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean {
      const m = inner(verified, publicKey);
      const k = `${hex(message)}|${hex(signature)}`;
      let r = m.get(k);
      if (r === undefined) m.set(k, (r = suite.verify(publicKey, message, signature)));
      return r;
    },
    sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array {
      const k = `${secret}|${hex(message)}`;
      const seen = signed.get(k) ?? [];
      // the same algorithm draws the same sizes: draw them, and reuse a record with exactly these bytes
      const drawn = (seen[0]?.draws ?? []).map((d) => rng.bytes(d.length));
      const key = drawn.map(hex).join('|');
      const hit = seen.find((e) => e.draws.map(hex).join('|') === key);
      if (hit && seen[0]!.draws.length) return hit.sig.slice();
      const pending = drawn.slice();
      const tape: Uint8Array[] = [];
      const taped: Rng = { bytes: (n: number) => { const b = pending.length && pending[0]!.length === n ? pending.shift()! : rng.bytes(n); tape.push(b); return b; } };
      const sig = suite.sign(secret, message, taped);
      if (pending.length) throw new Error('memoSuite.sign: the signature drew fewer bytes than before');
      seen.push({ draws: tape, sig: sig.slice() });
      signed.set(k, seen);
      return sig;
    },
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
    decrypt(key: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array | null {
      const k = `${hex(key)}|${hex(ciphertext)}|${aad ? hex(aad) : '-'}`;
      let r = opened.get(k);
      if (r === undefined) opened.set(k, (r = suite.decrypt(key, ciphertext, aad)));
      return r ? r.slice() : null; // callers may not mutate the remembered plaintext
    },
    decodePoint(bytes: Uint8Array, what: string): Point {
      const key = hex(bytes);
      let r = decoded.get(key);
      if (r) return r;
      // a refusal throws again, the same error (bytes that are no point are re-read on every state: ./confusion.ts)
      const no = `${key}|${what}`;
      if (refused.has(no)) throw refused.get(no);
      try {
        r = suite.decodePoint(bytes, what);
      } catch (e) {
        refused.set(no, e);
        throw e;
      }
      decoded.set(key, r);
      return r;
    },
  };
}
