/**
 * Dolev–Yao attacker knowledge over the real wire format, and the bounded set of computations the
 * attacker may apply to it.
 *
 * Knowledge: every public-channel message it observed (decoded field by field with the schema
 * table), public parameters (P, PK of §3.2), the ledger (public: R_X of every registered party),
 * scalars it learned (reveal events, insider credentials, its own random choices) and byte strings
 * (revealed session keys, decrypted plaintexts).
 *
 * Computation (the bound): the attacker
 *  - hashes: H1 of any (ID, R) it knows, H2/H3 of values it can compute, D_K of ciphertexts under
 *    keys it knows (the AEAD is ideal: no other way in);
 *  - scalar closure of depth 1: its scalars, public H1 values and 1, plus all pairwise sums and
 *    products of those;
 *  - points: x·Y for x in the scalar closure and Y a point it has seen, and sums of two such points.
 * The oracle (./oracle.ts) decides membership exactly with discrete logs; every successful
 * derivation is then recomputed with real group operations and checked (see `deriveProduct`).
 * The bound is documented in docs/properties.md: an attack needing deeper algebra is out of scope.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point } from '../crypto/suite.js';
import { decodeMessage } from '../net/codec.js';
import { MESSAGE_SCHEMAS, type StepId } from '../net/messages.js';
import { hex } from '../model/records.js';
import { modInverse, type LogOracle } from './oracle.js';

export interface Knowledge {
  readonly suite: CryptoSuite;
  /** The center's public key PK (§3.2). */
  readonly PK: Point;
  readonly oracle: LogOracle;
  /** Points seen, by hex encoding, with how they were learned. */
  readonly points: Map<string, { point: Point; how: string }>;
  /** Scalars known (mod q), with how. */
  readonly scalars: Map<bigint, string>;
  /** Byte strings known (hex), with how. */
  readonly bytes: Map<string, string>;
  readonly ids: Set<string>;
  /** (ID, R) pairs seen together: the attacker can hash them with H1. */
  readonly idPoints: Map<string, { id: string; R: Point }>;
}

export function createKnowledge(suite: CryptoSuite, oracle: LogOracle, PK: Point): Knowledge {
  const k: Knowledge = { suite, PK, oracle, points: new Map(), scalars: new Map(), bytes: new Map(), ids: new Set(), idPoints: new Map() };
  learnPoint(k, suite.G, 'generator P (public, §3.2)');
  learnPoint(k, PK, 'center public key PK (public, §3.2)');
  learnScalar(k, 1n, 'constant 1');
  return k;
}

export function learnPoint(k: Knowledge, P: Point, how: string): void {
  const h = hex(P.bytes);
  if (!k.points.has(h)) k.points.set(h, { point: P, how });
}

export function learnScalar(k: Knowledge, x: bigint, how: string): void {
  const v = ((x % k.suite.order) + k.suite.order) % k.suite.order;
  if (v !== 0n && !k.scalars.has(v)) k.scalars.set(v, how);
}

export function learnBytes(k: Knowledge, b: Uint8Array, how: string): void {
  const h = hex(b);
  if (!k.bytes.has(h)) k.bytes.set(h, how);
}

/**
 * An (ID, R) pair seen together. The attacker can hash it (H1) and derive the public key
 * PK_ID = R + H1(ID, R)·PK exactly as eqs. (16)/(21) do; the derived key becomes a known point.
 */
export function learnIdPoint(k: Knowledge, id: string, R: Point): void {
  k.ids.add(id);
  const key = `${id}|${hex(R.bytes)}`;
  if (k.idPoints.has(key)) return;
  k.idPoints.set(key, { id, R });
  const h = k.suite.H1(utf8(id), R);
  const PK = k.suite.add(R, k.suite.mul(k.PK, h));
  const lr = k.oracle.logOf(R);
  const s = k.oracle.logOf(k.PK);
  if (lr !== undefined && s !== undefined) k.oracle.record(PK, lr + h * s);
  learnPoint(k, PK, `PK_${id} = R + H1(${id}, R)·PK (public derivation)`);
}

/** Everything in a public message: every field, by type (the decoder is the receivers' decoder). */
export function learnMessage(k: Knowledge, step: StepId, bytes: Uint8Array, how: string): void {
  learnBytes(k, bytes, how);
  const d = decodeMessage(k.suite, bytes, { expect: step });
  if (!d.ok) return;
  const f = d.message.fields as Record<string, unknown>;
  let id: string | undefined;
  for (const fs of MESSAGE_SCHEMAS[step].fields) {
    const v = f[fs.name];
    if (fs.type === 'id' && typeof v === 'string') {
      k.ids.add(v);
      id ??= v;
    } else if (fs.type === 'point') {
      learnPoint(k, v as Point, `${fs.name} of ${how}`);
      if (id !== undefined && fs.name.startsWith('R_')) learnIdPoint(k, id, v as Point);
    } else if (fs.type === 'scalar') learnScalar(k, v as bigint, `${fs.name} of ${how}`);
    else learnBytes(k, v as Uint8Array, `${fs.name} of ${how}`);
  }
}

/** The depth-1 scalar closure: known scalars, public H1 values, their pairwise sums and products. */
export function scalarClosure(k: Knowledge): Map<bigint, string> {
  const q = k.suite.order;
  const base = new Map(k.scalars);
  for (const { id, R } of k.idPoints.values()) {
    const h = k.suite.H1(utf8(id), R);
    if (!base.has(h)) base.set(h, `H1(${id}, R)`);
  }
  const out = new Map(base);
  const entries = [...base];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i; j < entries.length; j++) {
      const [x, hx] = entries[i]!;
      const [y, hy] = entries[j]!;
      const p = (x * y) % q;
      if (p !== 0n && !out.has(p)) out.set(p, `(${hx})·(${hy})`);
      const s = (x + y) % q;
      if (s !== 0n && !out.has(s)) out.set(s, `(${hx})+(${hy})`);
    }
  }
  return out;
}

/** A derivation the attacker can perform: x·Y, recomputed with the real group operation. */
export interface Derived {
  readonly point: Point;
  readonly how: string;
}

/**
 * Can the attacker compute the point whose discrete log is `target` as x·Y (x in the closure, Y a
 * point it knows with a log the oracle knows)? Returns the real point x·Y (checked against the
 * target's log) or null.
 */
export function deriveProduct(k: Knowledge, closure: Map<bigint, string>, target: bigint): Derived | null {
  const q = k.suite.order;
  const t = ((target % q) + q) % q;
  if (t === 0n) return null;
  for (const { point, how } of k.points.values()) {
    const l = k.oracle.logOf(point);
    if (l === undefined || l === 0n) continue;
    const x = (t * modInverse(l, q)) % q;
    const xhow = closure.get(x);
    if (xhow === undefined) continue;
    const P = k.suite.mul(point, x);
    const check = k.oracle.logOf(point)! * x % q;
    if (check !== t) throw new Error('oracle inconsistency');
    return { point: P, how: `${xhow} · [${how}]` };
  }
  return null;
}
