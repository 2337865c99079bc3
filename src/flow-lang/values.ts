/**
 * Concrete values of the flow language and their ONE canonical byte encoding by sort
 * (docs/flow.md "Encoding"). The same encoding serves plaintexts (enc, penc), the inputs of hash,
 * mac and sign, and message fields on the wire (src/interpret/wire.ts), so it is injective:
 *
 *   scalar     suite.sizes.scalar bytes (big-endian, in [1, q-1])
 *   point      suite.sizes.point bytes (canonical compressed; identity/off-curve rejected by the suite)
 *   hash, key, nonce, mac   32 bytes          signature   suite.sizes.signature bytes
 *   bool       1 byte (0 or 1)
 *   id         u8 length (1..64) || UTF-8 over [A-Za-z0-9._:-]
 *   bytes, ciphertext, pke  u16be length || bytes
 *   tuple      the items' encodings in order; a tuple nested in a tuple is u16be length || that
 *
 * A value that is not inside a tuple (a whole plaintext, hash or signature input) of a
 * variable-length sort — bytes, ciphertext, pke, id — is its raw content: its length is the
 * buffer's, so no prefix is needed (and application data encoded by an environment function is
 * encrypted or signed exactly as those bytes). Inside a tuple and on the wire, items are prefixed.
 *
 * Decoding never throws: it returns a typed failure naming what was wrong.
 */
import { DecodeError, type CryptoSuite, type Point } from '../crypto/suite.js';
import { ID_MAX_BYTES, validId } from '../net/codec.js';
import { showSort, type BaseSort, type Sort } from './sorts.js';

/** A value and its sort; `v` is a Value[] exactly when the sort is a tuple. */
export interface Value {
  sort: Sort;
  v: bigint | Point | Uint8Array | string | boolean | Value[];
}

// An identity on the wire is the EMR codec's: 1..64 bytes of [A-Za-z0-9._:-] (src/net/codec.ts).
export { ID_MAX_BYTES, validId };

/** Fixed encoded size of a base sort, or undefined for a length-prefixed one. */
export function fixedSize(suite: CryptoSuite, s: BaseSort): number | undefined {
  switch (s) {
    case 'scalar':
      return suite.sizes.scalar;
    case 'point':
      return suite.sizes.point;
    case 'hash':
      return suite.sizes.h3;
    case 'key':
      return suite.sizes.sessionKey;
    case 'nonce':
    case 'mac':
      return 32;
    case 'signature':
      return suite.sizes.signature;
    case 'bool':
      return 1;
    default:
      return undefined;
  }
}

/** Thrown only for a value that does not fit its sort (an interpreter bug or an oversize payload). */
export class EncodeError extends Error {
  constructor(readonly what: string, reason: string) {
    super(`cannot encode ${what}: ${reason}`);
    this.name = 'EncodeError';
  }
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The encoding of one field / tuple item (nested tuples length-prefixed). */
export function encodeItem(suite: CryptoSuite, x: Value, what = 'value'): Uint8Array {
  if (x.sort.kind === 'tuple') {
    const inner = encodeValue(suite, x, what);
    if (inner.length > 0xffff) throw new EncodeError(what, 'tuple longer than 65535 bytes');
    return concat([u16(inner.length), inner]);
  }
  const s = x.sort.name;
  const v = x.v;
  switch (s) {
    case 'scalar':
      if (typeof v !== 'bigint') throw new EncodeError(what, 'not a scalar');
      return suite.encodeScalar(v);
    case 'point':
      if (!v || typeof v !== 'object' || !('suite' in v) || v.suite !== suite.name) throw new EncodeError(what, 'not a point of this suite');
      return suite.encodePoint(v);
    case 'bool':
      return Uint8Array.of(v === true ? 1 : 0);
    case 'id': {
      if (typeof v !== 'string' || !validId(v)) throw new EncodeError(what, `not a valid id: ${String(v)}`);
      const b = new TextEncoder().encode(v);
      return concat([Uint8Array.of(b.length), b]);
    }
    default: {
      if (!(v instanceof Uint8Array)) throw new EncodeError(what, `not a ${s}`);
      const size = fixedSize(suite, s);
      if (size !== undefined) {
        if (v.length !== size) throw new EncodeError(what, `${s} needs ${size} bytes, has ${v.length}`);
        return v;
      }
      if (v.length > 0xffff) throw new EncodeError(what, 'longer than 65535 bytes');
      return concat([u16(v.length), v]);
    }
  }
}

/** The canonical encoding of a value (a top-level tuple is its items back to back). */
export function encodeValue(suite: CryptoSuite, x: Value, what = 'value'): Uint8Array {
  if (x.sort.kind === 'tuple') return concat((x.v as Value[]).map((it, i) => encodeItem(suite, it, `${what}[${i}]`)));
  if (isVariable(x.sort.name)) {
    if (x.sort.name === 'id') {
      if (typeof x.v !== 'string' || !validId(x.v)) throw new EncodeError(what, `not a valid id: ${String(x.v)}`);
      return new TextEncoder().encode(x.v);
    }
    if (!(x.v instanceof Uint8Array)) throw new EncodeError(what, `not ${x.sort.name}`);
    return x.v;
  }
  return encodeItem(suite, x, what);
}

/** Sorts whose encoding on its own is its raw content (see the module comment). */
function isVariable(s: BaseSort): boolean {
  return s === 'bytes' || s === 'ciphertext' || s === 'pke' || s === 'id';
}

export type ItemFailure = 'truncated' | 'bad-id' | 'bad-bool' | 'invalid-encoding' | 'trailing-bytes' | DecodeError['reason'];

/** A cursor over bytes being decoded. */
export interface Reader {
  bytes: Uint8Array;
  at: number;
}

export type ReadResult = { ok: true; value: Value } | { ok: false; reason: ItemFailure; detail: string };

const fail = (reason: ItemFailure, detail: string): ReadResult => ({ ok: false, reason, detail });

/** Reads one item of sort s at r.at (advancing it). Never throws. */
export function readItem(suite: CryptoSuite, s: Sort, r: Reader, what: string): ReadResult {
  const rest = r.bytes.length - r.at;
  if (s.kind === 'tuple') {
    if (rest < 2) return fail('truncated', 'missing tuple length');
    const len = (r.bytes[r.at]! << 8) | r.bytes[r.at + 1]!;
    if (rest < 2 + len) return fail('truncated', `tuple needs ${len} bytes, ${rest - 2} left`);
    const inner = r.bytes.subarray(r.at + 2, r.at + 2 + len);
    const got = decodeValue(suite, s, inner, what);
    if (got.ok) r.at += 2 + len;
    return got;
  }
  const name = s.name;
  try {
    if (name === 'id') {
      if (rest < 1) return fail('truncated', 'missing id length');
      const len = r.bytes[r.at]!;
      if (len === 0 || len > ID_MAX_BYTES) return fail('bad-id', `id length ${len} not in 1..${ID_MAX_BYTES}`);
      if (rest < 1 + len) return fail('truncated', `id needs ${len} bytes, ${rest - 1} left`);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes.subarray(r.at + 1, r.at + 1 + len));
      } catch {
        return fail('bad-id', 'id is not UTF-8');
      }
      if (!validId(text)) return fail('bad-id', `id ${JSON.stringify(text)} has characters outside [A-Za-z0-9._:-]`);
      r.at += 1 + len;
      return { ok: true, value: { sort: s, v: text } };
    }
    const size = fixedSize(suite, name);
    if (size !== undefined) {
      if (rest < size) return fail('truncated', `${name} needs ${size} bytes, ${rest} left`);
      const b = r.bytes.slice(r.at, r.at + size);
      let v: Value['v'];
      if (name === 'point') v = suite.decodePoint(b, what);
      else if (name === 'scalar') v = suite.decodeScalar(b, what);
      else if (name === 'bool') {
        if (b[0]! > 1) return fail('bad-bool', `bool byte ${b[0]}`);
        v = b[0] === 1;
      } else v = b;
      r.at += size;
      return { ok: true, value: { sort: s, v } as Value };
    }
    if (rest < 2) return fail('truncated', 'missing length prefix');
    const len = (r.bytes[r.at]! << 8) | r.bytes[r.at + 1]!;
    if (rest < 2 + len) return fail('truncated', `needs ${len} bytes, ${rest - 2} left`);
    const v = r.bytes.slice(r.at + 2, r.at + 2 + len);
    r.at += 2 + len;
    return { ok: true, value: { sort: s, v } };
  } catch (e) {
    if (e instanceof DecodeError) return fail(e.reason, e.message);
    return fail('invalid-encoding', e instanceof Error ? e.message : String(e));
  }
}

/** Decodes the canonical encoding of a value of sort s (the inverse of encodeValue). Never throws. */
export function decodeValue(suite: CryptoSuite, s: Sort, bytes: Uint8Array, what = 'value'): ReadResult {
  const r: Reader = { bytes, at: 0 };
  if (s.kind === 'tuple') {
    const items: Value[] = [];
    for (let i = 0; i < s.items.length; i++) {
      const got = readItem(suite, s.items[i]!, r, `${what}[${i}]`);
      if (!got.ok) return got;
      items.push(got.value);
    }
    if (r.at !== bytes.length) return fail('trailing-bytes', `${bytes.length - r.at} bytes after the last item of ${showSort(s)}`);
    return { ok: true, value: { sort: s, v: items } };
  }
  if (isVariable(s.name)) {
    if (s.name !== 'id') return { ok: true, value: { sort: s, v: bytes.slice() } };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('bad-id', 'id is not UTF-8');
    }
    return validId(text) ? { ok: true, value: { sort: s, v: text } } : fail('bad-id', `${JSON.stringify(text)} is not a valid id`);
  }
  const got = readItem(suite, s, r, what);
  if (got.ok && r.at !== bytes.length) return fail('trailing-bytes', `${bytes.length - r.at} bytes after the ${showSort(s)}`);
  return got;
}

/** Equality by sort: points by group equality, byte strings in constant time, tuples item by item. */
export function valuesEqual(suite: CryptoSuite, a: Value, b: Value): boolean {
  if (a.sort.kind === 'tuple' || b.sort.kind === 'tuple') {
    if (a.sort.kind !== 'tuple' || b.sort.kind !== 'tuple' || (a.v as Value[]).length !== (b.v as Value[]).length) return false;
    return (a.v as Value[]).every((x, i) => valuesEqual(suite, x, (b.v as Value[])[i]!));
  }
  const x = a.v;
  const y = b.v;
  if (a.sort.name === 'point') return suite.equals(x as Point, y as Point);
  if (x instanceof Uint8Array && y instanceof Uint8Array) return suite.ctEqual(x, y);
  return x === y;
}

/** Short printable form for traces (hex prefix of the encoding). */
export function showValue(suite: CryptoSuite, x: Value): string {
  if (x.sort.kind === 'base' && x.sort.name === 'id') return String(x.v);
  if (x.sort.kind === 'base' && x.sort.name === 'bool') return String(x.v);
  try {
    const b = encodeValue(suite, x);
    return Buffer.from(b.subarray(0, 8)).toString('hex') + (b.length > 8 ? '…' : '');
  } catch {
    return '?';
  }
}
