/**
 * Field-level tampering for tests and adversaries: re-encode a message with one field replaced by
 * a different value that still decodes (so the receiver's protocol checks, not the codec, must
 * catch it). Uses only what a network adversary has: the wire bytes and public parameters.
 */
import type { Point, Rng } from '../crypto/suite.js';
import { decodeMessage, encodeMessage, type AnyMessage } from '../net/codec.js';
import { MESSAGE_SCHEMAS, type StepId } from '../net/messages.js';
import type { System } from './system.js';

export interface TamperOptions {
  /** Replacement for an id field (default 'MALLORY'). */
  id?: string;
  /** Replacement for a point field (default: a fresh random point r·P). */
  point?: Point;
  /** Randomness for a fresh point. */
  rng?: Rng;
}

/**
 * The bytes of `step` message `bytes` with `field` changed: id → opts.id; point → another point;
 * scalar → +1 mod q; check / signature → first bit flipped; ciphertext / bytes → a bit flipped in
 * the last byte (the AEAD tag). Returns null when `bytes` is not a valid `step` message.
 */
export function tamperField(sys: System, step: StepId, bytes: Uint8Array, field: string, opts: TamperOptions = {}): Uint8Array | null {
  const cs = sys.suite;
  const d = decodeMessage(cs, bytes, { expect: step });
  if (!d.ok) return null;
  const spec = MESSAGE_SCHEMAS[step].fields.find((f) => f.name === field);
  if (!spec) throw new RangeError(`${step} has no field ${field}`);
  const fields: Record<string, unknown> = { ...(d.message.fields as Record<string, unknown>) };
  const v = fields[field];
  switch (spec.type) {
    case 'id':
      fields[field] = opts.id ?? 'MALLORY';
      break;
    case 'point':
      fields[field] = opts.point ?? cs.mulG(cs.randomScalar(opts.rng ?? sys.root));
      break;
    case 'scalar': {
      const k = ((v as bigint) % (cs.order - 1n)) + 1n;
      fields[field] = k;
      break;
    }
    case 'check':
    case 'signature': {
      const b = (v as Uint8Array).slice();
      b[0] = b[0]! ^ 1;
      fields[field] = b;
      break;
    }
    default: {
      const b = (v as Uint8Array).slice();
      b[b.length - 1] = b[b.length - 1]! ^ 1;
      fields[field] = b;
    }
  }
  return encodeMessage(cs, { step, fields } as AnyMessage).bytes;
}
