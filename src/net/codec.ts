/**
 * Binary wire format, driven entirely by MESSAGE_SCHEMAS (./messages.ts).
 *
 *   message    = tag || field_1 || ... || field_n          (no trailing bytes)
 *   tag        = 1 byte: 1 + index of the step in STEP_IDS
 *   id         = u8 len (1..64) || UTF-8 text over [A-Za-z0-9._:-]
 *   point      = suite.sizes.point bytes, canonical compressed encoding; identity and
 *                off-curve / small-order / non-canonical encodings are rejected by the suite
 *   scalar     = suite.sizes.scalar bytes, big-endian, in range (the suite decides: [1, q-1])
 *   check      = suite.sizes.h3 bytes (an H3 output)
 *   signature  = suite.sizes.signature bytes
 *   ciphertext = u16be len || bytes, len >= suite.sizes.aeadOverhead
 *   bytes      = u16be len || bytes
 *
 * `decodeMessage` NEVER throws: any byte string yields either a typed message or a typed
 * `WireRejection` naming the step and the field.
 */
import { DecodeError, type CryptoSuite, type DecodeFailure, type Point } from '../crypto/suite.js';
import { MESSAGE_SCHEMAS, STEP_IDS, isStepId, type FieldType, type StepId } from './messages.js';

export type FieldValue<T extends FieldType> = T extends 'id'
  ? string
  : T extends 'point'
    ? Point
    : T extends 'scalar'
      ? bigint
      : Uint8Array;

type Schemas = typeof MESSAGE_SCHEMAS;
export type FieldsOf<S extends StepId> = {
  [F in Schemas[S]['fields'][number] as F['name']]: FieldValue<F['type']>;
};

/** A decoded (or to-be-encoded) message of step S, its fields named as in the paper. */
export interface Message<S extends StepId = StepId> {
  readonly step: S;
  readonly fields: FieldsOf<S>;
}
export type AnyMessage = { [S in StepId]: Message<S> }[StepId];

export type RejectReason =
  | 'empty'
  | 'unknown-tag'
  | 'wrong-step'
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-id'
  | 'unknown-id'
  | 'wrong-length'
  | 'invalid-encoding'
  | DecodeFailure;

/** Why a byte string is not a valid message of its step. */
export interface WireRejection {
  readonly kind: 'wire-rejection';
  /** The step the bytes were decoded as (the expected step, or the tag's step). */
  readonly step: string;
  /** The field that failed; absent for framing problems (tag, trailing bytes). */
  readonly field?: string;
  readonly reason: RejectReason;
  readonly detail: string;
}

export type DecodeResult = { ok: true; message: AnyMessage; fieldSizes: FieldSize[] } | { ok: false; rejection: WireRejection };

export interface FieldSize {
  name: string;
  size: number;
}

export const ID_MAX_BYTES = 64;
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** Thrown by `encodeMessage` when a value cannot be put on the wire (a caller bug). */
export class EncodeError extends Error {
  constructor(
    readonly step: string,
    readonly field: string,
    reason: string,
  ) {
    super(`cannot encode ${step}.${field}: ${reason}`);
    this.name = 'EncodeError';
  }
}

/** An identity is a short printable token; see the module comment. */
export function validId(id: string): boolean {
  return ID_PATTERN.test(id) && new TextEncoder().encode(id).length <= ID_MAX_BYTES;
}

export function tagOf(step: StepId): number {
  return STEP_IDS.indexOf(step) + 1;
}

function fixedSize(suite: CryptoSuite, t: FieldType): number | undefined {
  switch (t) {
    case 'point':
      return suite.sizes.point;
    case 'scalar':
      return suite.sizes.scalar;
    case 'check':
      return suite.sizes.h3;
    case 'signature':
      return suite.sizes.signature;
    default:
      return undefined;
  }
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

/** Encodes one field; returns its wire bytes. */
function encodeField(suite: CryptoSuite, step: string, name: string, t: FieldType, v: unknown): Uint8Array {
  switch (t) {
    case 'id': {
      if (typeof v !== 'string' || !validId(v)) throw new EncodeError(step, name, `not a valid id: ${String(v)}`);
      const b = new TextEncoder().encode(v);
      return Uint8Array.of(b.length, ...b);
    }
    case 'point': {
      const p = v as Point;
      if (!p || p.suite !== suite.name) throw new EncodeError(step, name, 'not a point of this suite');
      return suite.encodePoint(p);
    }
    case 'scalar': {
      if (typeof v !== 'bigint') throw new EncodeError(step, name, 'not a scalar');
      return suite.encodeScalar(v);
    }
    case 'check':
    case 'signature': {
      const size = fixedSize(suite, t)!;
      if (!(v instanceof Uint8Array) || v.length !== size) throw new EncodeError(step, name, `needs ${size} bytes`);
      return v;
    }
    case 'ciphertext':
    case 'bytes': {
      if (!(v instanceof Uint8Array) || v.length > 0xffff) throw new EncodeError(step, name, 'needs at most 65535 bytes');
      if (t === 'ciphertext' && v.length < suite.sizes.aeadOverhead) throw new EncodeError(step, name, 'shorter than the AEAD overhead');
      const out = new Uint8Array(2 + v.length);
      out.set(u16(v.length), 0);
      out.set(v, 2);
      return out;
    }
  }
}

/** Encodes a message: tag then its fields in schema order. Also returns each field's wire size. */
export function encodeMessage(suite: CryptoSuite, message: AnyMessage): { bytes: Uint8Array; fieldSizes: FieldSize[] } {
  const schema = MESSAGE_SCHEMAS[message.step];
  const parts: Uint8Array[] = [Uint8Array.of(tagOf(message.step))];
  const fieldSizes: FieldSize[] = [];
  const values = message.fields as Record<string, unknown>;
  for (const fs of schema.fields) {
    const b = encodeField(suite, message.step, fs.name, fs.type, values[fs.name]);
    parts.push(b);
    fieldSizes.push({ name: fs.name, size: b.length });
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, fieldSizes };
}

export interface DecodeOptions {
  /** The step the receiver expects; a different tag is rejected as 'wrong-step'. */
  expect?: StepId;
  /** When given, every id field must name a known principal ('unknown-id' otherwise). */
  knownId?: (id: string) => boolean;
}

const reject = (step: string, reason: RejectReason, detail: string, field?: string): DecodeResult => ({
  ok: false,
  rejection: field === undefined ? { kind: 'wire-rejection', step, reason, detail } : { kind: 'wire-rejection', step, field, reason, detail },
});

/** Decodes bytes as a message. Never throws. */
export function decodeMessage(suite: CryptoSuite, bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const expected = opts.expect ?? '?';
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return reject(expected, 'empty', 'no bytes');
  const tag = bytes[0]!;
  const tagged = STEP_IDS[tag - 1];
  if (tagged === undefined || !isStepId(tagged)) return reject(expected, 'unknown-tag', `tag byte ${tag} names no step`);
  if (opts.expect && tagged !== opts.expect) return reject(opts.expect, 'wrong-step', `tag names ${tagged}`);
  const step = tagged;
  const schema = MESSAGE_SCHEMAS[step];
  const fields: Record<string, unknown> = {};
  const fieldSizes: FieldSize[] = [];
  let o = 1;
  for (const fs of schema.fields as readonly { name: string; type: FieldType }[]) {
    const rest = bytes.length - o;
    const start = o;
    try {
      switch (fs.type) {
        case 'id': {
          if (rest < 1) return reject(step, 'truncated', 'missing id length', fs.name);
          const len = bytes[o]!;
          if (len === 0 || len > ID_MAX_BYTES) return reject(step, 'bad-id', `id length ${len} not in 1..${ID_MAX_BYTES}`, fs.name);
          if (rest < 1 + len) return reject(step, 'truncated', `id needs ${len} bytes, ${rest - 1} left`, fs.name);
          let text: string;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(o + 1, o + 1 + len));
          } catch {
            return reject(step, 'bad-id', 'id is not UTF-8', fs.name);
          }
          if (!ID_PATTERN.test(text)) return reject(step, 'bad-id', `id ${JSON.stringify(text)} has characters outside [A-Za-z0-9._:-]`, fs.name);
          if (opts.knownId && !opts.knownId(text)) return reject(step, 'unknown-id', `id ${text} is not a registered principal`, fs.name);
          fields[fs.name] = text;
          o += 1 + len;
          break;
        }
        case 'point':
        case 'scalar':
        case 'check':
        case 'signature': {
          const size = fixedSize(suite, fs.type)!;
          if (rest < size) return reject(step, 'truncated', `${fs.type} needs ${size} bytes, ${rest} left`, fs.name);
          const b = bytes.slice(o, o + size);
          if (fs.type === 'point') fields[fs.name] = suite.decodePoint(b, `${step}.${fs.name}`);
          else if (fs.type === 'scalar') fields[fs.name] = suite.decodeScalar(b, `${step}.${fs.name}`);
          else fields[fs.name] = b;
          o += size;
          break;
        }
        case 'ciphertext':
        case 'bytes': {
          if (rest < 2) return reject(step, 'truncated', 'missing length prefix', fs.name);
          const len = (bytes[o]! << 8) | bytes[o + 1]!;
          if (rest < 2 + len) return reject(step, 'truncated', `needs ${len} bytes, ${rest - 2} left`, fs.name);
          if (fs.type === 'ciphertext' && len < suite.sizes.aeadOverhead)
            return reject(step, 'wrong-length', `ciphertext of ${len} bytes is shorter than the AEAD overhead ${suite.sizes.aeadOverhead}`, fs.name);
          fields[fs.name] = bytes.slice(o + 2, o + 2 + len);
          o += 2 + len;
          break;
        }
      }
    } catch (e) {
      if (e instanceof DecodeError) return reject(step, e.reason, e.message, fs.name);
      return reject(step, 'invalid-encoding', e instanceof Error ? e.message : String(e), fs.name);
    }
    fieldSizes.push({ name: fs.name, size: o - start });
  }
  if (o !== bytes.length) return reject(step, 'trailing-bytes', `${bytes.length - o} bytes after the last field`);
  return { ok: true, message: { step, fields } as unknown as AnyMessage, fieldSizes };
}

/** Wire size of a message with the given variable-length payloads (for the size table). */
export function messageSize(suite: CryptoSuite, step: StepId, varLengths: Record<string, number> = {}): number {
  let n = 1;
  for (const fs of MESSAGE_SCHEMAS[step].fields) {
    const fixed = fixedSize(suite, fs.type);
    if (fixed !== undefined) n += fixed;
    else if (fs.type === 'id') n += 1 + (varLengths[fs.name] ?? 0);
    else n += 2 + (varLengths[fs.name] ?? 0);
  }
  return n;
}
