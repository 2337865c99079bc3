/**
 * The generic wire format of an executable flow, derived from each step's declared field sorts
 * (docs/flow.md "Wire encoding"; the same layout as src/net/codec.ts for the EMR model):
 *
 *   message = [tag] || field_1 || ... || field_n        (no trailing bytes)
 *   tag     = 1 byte = TStep.tag, present only with `options wire tagged`
 *   field   = the canonical item encoding of its sort (src/flow-lang/values.ts)
 *
 * Untagged messages carry no type information: a receiver decodes whatever arrives as the step it
 * waits for, which is what lets type-confusion attacks exist (a declared choice, never silent).
 * `decodeMessage` never throws: a typed rejection names the step and the field.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import type { TStep } from '../flow-lang/typed.js';
import { concat, encodeItem, readItem, type ItemFailure, type Reader, type Value } from '../flow-lang/values.js';

export type WireRejectReason = 'empty' | 'unknown-tag' | 'wrong-step' | ItemFailure;

export interface WireRejection {
  readonly kind: 'wire-rejection';
  readonly step: string;
  readonly field?: string;
  readonly reason: WireRejectReason;
  readonly detail: string;
}

export interface FieldSize {
  name: string;
  size: number;
}

export type WireDecodeResult = { ok: true; fields: Map<string, Value>; fieldSizes: FieldSize[] } | { ok: false; rejection: WireRejection };

/** Encodes the step's fields (values by name) in declared order; throws EncodeError on a value that does not fit. */
export function encodeMessage(suite: CryptoSuite, step: TStep, tagged: boolean, values: ReadonlyMap<string, Value>): { bytes: Uint8Array; fieldSizes: FieldSize[] } {
  const parts: Uint8Array[] = tagged ? [Uint8Array.of(step.tag)] : [];
  const fieldSizes: FieldSize[] = [];
  for (const f of step.fields) {
    const v = values.get(f.name);
    const b = encodeItem(suite, v ?? { sort: f.sort, v: new Uint8Array(0) }, `${step.id}.${f.name}`);
    parts.push(b);
    fieldSizes.push({ name: f.name, size: b.length });
  }
  return { bytes: concat(parts), fieldSizes };
}

/** Decodes bytes as a message of `step`. Never throws. */
export function decodeMessage(suite: CryptoSuite, step: TStep, tagged: boolean, bytes: Uint8Array, tagName?: (tag: number) => string | undefined): WireDecodeResult {
  const reject = (reason: WireRejectReason, detail: string, field?: string): WireDecodeResult => ({
    ok: false,
    rejection: field === undefined ? { kind: 'wire-rejection', step: step.id, reason, detail } : { kind: 'wire-rejection', step: step.id, field, reason, detail },
  });
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return reject('empty', 'no bytes');
  const r: Reader = { bytes, at: 0 };
  if (tagged) {
    const tag = bytes[0]!;
    if (tag !== step.tag) {
      const other = tagName?.(tag);
      return other === undefined ? reject('unknown-tag', `tag byte ${tag} names no step`) : reject('wrong-step', `tag names ${other}`);
    }
    r.at = 1;
  }
  const fields = new Map<string, Value>();
  const fieldSizes: FieldSize[] = [];
  for (const f of step.fields) {
    const start = r.at;
    const got = readItem(suite, f.sort, r, `${step.id}.${f.name}`);
    if (!got.ok) return reject(got.reason, got.detail, f.name);
    fields.set(f.name, got.value);
    fieldSizes.push({ name: f.name, size: r.at - start });
  }
  if (r.at !== bytes.length) return reject('trailing-bytes', `${bytes.length - r.at} bytes after the last field`);
  return { ok: true, fields, fieldSizes };
}
