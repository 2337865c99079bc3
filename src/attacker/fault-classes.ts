/**
 * The alteration classes of the single-fault sweep (./fault-sweep.ts): how one public message of
 * an honest run is altered, from the typed step alone (its declared field sorts), with what a
 * network attacker holds — the wire bytes, the other messages it saw, its own identity and values.
 * It holds no key of the run, so it cannot re-encrypt or re-sign: the classes that need that are
 * the dishonest sender's (./fault-sweep.ts, `sender-*`), played by the sender's own program.
 *
 *  - bit-flip      one bit of the field's content flipped (after its length prefix, if any);
 *  - other-run     the same field of the same step in another honest run (same sort, another session);
 *  - other-field   another field's value of the same sort (this message first, then the run's other
 *                  messages; at most OTHER_FIELD_CAP per field);
 *  - attacker-own  the attacker's own value of the sort: its identity, its point, its scalar/nonce/key;
 *  - degenerate    the degenerate encoding of the sort: all-zero bytes of a fixed-size item (for a
 *                  point, not a valid encoding or the identity; for a scalar, zero), an empty
 *                  variable-size item — the codec or a check must reject it, never a crash;
 *  - trailing      (message level) one byte appended;
 *  - truncated     (message level) the last byte cut.
 * A class that gives the same bytes as the honest message, or has no value of the sort, gives no fault.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import { showSort } from '../flow-lang/sorts.js';
import type { TStep } from '../flow-lang/typed.js';
import { EncodeError, fixedSize, valuesEqual, type Value } from '../flow-lang/values.js';
import { decodeMessage, encodeMessage } from '../interpret/wire.js';

export const NETWORK_CLASSES = ['bit-flip', 'other-run', 'other-field', 'attacker-own', 'degenerate', 'trailing', 'truncated'] as const;
export const SENDER_CLASSES = ['sender-other', 'sender-fresh', 'sender-field'] as const;
export type NetworkClass = (typeof NETWORK_CLASSES)[number];
export type SenderClass = (typeof SENDER_CLASSES)[number];
export type FaultClass = NetworkClass | SenderClass;
export const FAULT_CLASSES: readonly FaultClass[] = [...NETWORK_CLASSES, ...SENDER_CLASSES];

/** One line per class, for the report's bound and the docs. */
export const CLASS_TEXT: Readonly<Record<FaultClass, string>> = {
  'bit-flip': 'network: one bit of the field flipped',
  'other-run': "network: the field's value from another honest run",
  'other-field': "network: another field's value of the same sort",
  'attacker-own': "network: the attacker's own value (identity, point, scalar, nonce, key)",
  degenerate: 'network: a degenerate value (all-zero fixed-size item: zero scalar, invalid/identity point; empty variable item)',
  trailing: 'network: one byte appended to the message',
  truncated: "network: the message's last byte cut",
  'sender-other': "sender dishonest/compromised: one value the sender computes with replaced by another session's or party's value of the same sort, then sealed by the sender's own program",
  'sender-fresh': "sender dishonest/compromised: one value the sender computes with replaced by a fresh value (an outsider's identity, a fresh point, scalar, nonce, key, bytes), then sealed by the sender's own program",
  'sender-field': "sender dishonest/compromised: one field alone of a structured value the sender computes (a certificate, a record; the spec's environment module names the fields) altered, then sealed by the sender's own program",
};

/** Most `other-field` substitutions per field (a stated part of the bound). */
export const OTHER_FIELD_CAP = 3;

export interface FieldSpan {
  name: string;
  value: Value;
  /** Byte range of the field's item in the message (with its length prefix). */
  start: number;
  end: number;
}

/** The fields of a message with their byte ranges, or undefined if the bytes are not a message of `step`. */
export function fieldSpans(suite: CryptoSuite, step: TStep, tagged: boolean, bytes: Uint8Array): FieldSpan[] | undefined {
  const got = decodeMessage(suite, step, tagged, bytes);
  if (!got.ok) return undefined;
  let at = tagged ? 1 : 0;
  return got.fieldSizes.map((f) => {
    const span = { name: f.name, value: got.fields.get(f.name)!, start: at, end: at + f.size };
    at += f.size;
    return span;
  });
}

/** A value seen elsewhere (another field, another message of the run). */
export interface Seen {
  where: string;
  value: Value;
}

export interface NetworkPool {
  /** Field name → its value in the same step's message of another honest run. */
  otherRun?: ReadonlyMap<string, Value>;
  /** Values of the run's other public fields (`step.field`), in send order. */
  seen: readonly Seen[];
  /** The attacker's own values, by sort (`showSort`). */
  attacker: ReadonlyMap<string, Value>;
}

export interface NetworkAlteration {
  /** The field altered, or `(message)` for a message-level class. */
  field: string;
  cls: NetworkClass;
  /** What the alteration is (`value of initial.1.T_PAT`); empty when the class says it all. */
  note: string;
  bytes: Uint8Array;
}

export const MESSAGE_LEVEL = '(message)';

const sameSort = (a: Value, b: Value) => showSort(a.sort) === showSort(b.sort);

/** Length of an item's length prefix (an id: 1 byte; a variable item or nested tuple: 2). */
function prefixOf(suite: CryptoSuite, v: Value): number {
  if (v.sort.kind === 'tuple') return 2;
  if (v.sort.name === 'id') return 1;
  return fixedSize(suite, v.sort.name) === undefined ? 2 : 0;
}

/** The degenerate item of a sort: all-zero fixed-size bytes, or an empty variable item; none for bool and tuples. */
function degenerateItem(suite: CryptoSuite, v: Value): Uint8Array | undefined {
  if (v.sort.kind === 'tuple' || v.sort.name === 'bool') return undefined;
  if (v.sort.name === 'id') return Uint8Array.of(0);
  const size = fixedSize(suite, v.sort.name);
  return size === undefined ? Uint8Array.of(0, 0) : new Uint8Array(size);
}

const splice = (bytes: Uint8Array, start: number, end: number, item: Uint8Array) => {
  const out = new Uint8Array(bytes.length - (end - start) + item.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(item, start);
  out.set(bytes.subarray(end), start + item.length);
  return out;
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Every network alteration of one message: each field × each class, then the message-level
 * classes. `bytes` must be a well-formed message of `step` (else there is nothing to alter: []).
 */
export function networkAlterations(suite: CryptoSuite, step: TStep, tagged: boolean, bytes: Uint8Array, pool: NetworkPool, classes: ReadonlySet<FaultClass>): NetworkAlteration[] {
  const spans = fieldSpans(suite, step, tagged, bytes);
  if (!spans) return [];
  const out: NetworkAlteration[] = [];
  const values = new Map(spans.map((s) => [s.name, s.value] as const));
  const push = (field: string, cls: NetworkClass, note: string, b: Uint8Array | undefined) => {
    if (b && !sameBytes(b, bytes)) out.push({ field, cls, note, bytes: b });
  };
  const substitute = (field: string, v: Value): Uint8Array | undefined => {
    try {
      return encodeMessage(suite, step, tagged, new Map([...values, [field, v]])).bytes;
    } catch (e) {
      if (e instanceof EncodeError) return undefined; // the value does not fit the field's encoding
      throw e;
    }
  };
  for (const f of spans) {
    if (classes.has('bit-flip')) {
      const pre = prefixOf(suite, f.value);
      const len = f.end - f.start - pre;
      if (len > 0) {
        const b = bytes.slice();
        b[f.start + pre + (len >> 1)]! ^= 1;
        push(f.name, 'bit-flip', `bit 0 of byte ${len >> 1} of ${len}`, b);
      }
    }
    if (classes.has('other-run')) {
      const v = f.value && pool.otherRun?.get(f.name);
      if (v && !valuesEqual(suite, v, f.value)) push(f.name, 'other-run', '', substitute(f.name, v));
    }
    if (classes.has('other-field')) {
      const cands: Seen[] = [...spans.filter((g) => g.name !== f.name).map((g) => ({ where: `${step.id}.${g.name}`, value: g.value })), ...pool.seen];
      const used: Value[] = [];
      for (const c of cands) {
        if (used.length >= OTHER_FIELD_CAP) break;
        const twin = pool.otherRun?.get(f.name); // already the other-run class
        if (!sameSort(c.value, f.value) || valuesEqual(suite, c.value, f.value) || (twin && valuesEqual(suite, twin, c.value)) || used.some((u) => valuesEqual(suite, u, c.value))) continue;
        used.push(c.value);
        push(f.name, 'other-field', `value of ${c.where}`, substitute(f.name, c.value));
      }
    }
    if (classes.has('attacker-own')) {
      const v = pool.attacker.get(showSort(f.value.sort));
      if (v && !valuesEqual(suite, v, f.value)) push(f.name, 'attacker-own', '', substitute(f.name, v));
    }
    if (classes.has('degenerate')) {
      const item = degenerateItem(suite, f.value);
      if (item) push(f.name, 'degenerate', '', splice(bytes, f.start, f.end, item));
    }
  }
  if (classes.has('trailing')) push(MESSAGE_LEVEL, 'trailing', 'one 0x00 byte appended', splice(bytes, bytes.length, bytes.length, Uint8Array.of(0)));
  if (classes.has('truncated') && bytes.length > 1) push(MESSAGE_LEVEL, 'truncated', 'last byte cut', bytes.slice(0, -1));
  return out;
}
