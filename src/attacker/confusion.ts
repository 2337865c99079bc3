/**
 * Type confusion across steps (issue 13, moves: "one step's fields sent as another step where the
 * encoding allows it"): what the attacker learns by reading the bytes it observed the way a
 * receiver would decode them as something else. Derived from the step sorts alone:
 *  - a whole message: the observed envelope's field bytes decoded as every other step whose
 *    layout accepts them (src/interpret/wire.ts `decodeMessage`, no trailing bytes);
 *  - a field: each observed field's item encoding re-read as every other base sort a receiver
 *    decodes — a field sort of some step, or a leaf sort of a plaintext the spec opens — when
 *    `readItem` accepts exactly those bytes (a 32-byte nonce read as a key or a MAC, a `pke` as
 *    a `ciphertext`, …).
 * Each re-read value is learnt with its derivation (`reread`), so the ordinary moves (./execute.ts
 * `candidates`) send it wherever its new sort fits, and the oracles see it.
 *
 * The wire tag is not an obstacle here, on purpose: the attacker drops the tag byte of what it
 * observed and writes the receiver's own tag before what it sends (it controls the network, and the
 * tag is not authenticated). A step tag therefore stops no attack of a Dolev–Yao attacker; binding
 * the step inside the cryptography (`options aead-ad field-step`) does, for AEAD ciphertexts.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import { showSort, type Sort } from '../flow-lang/sorts.js';
import type { TStep, TypedProtocol } from '../flow-lang/typed.js';
import { encodeItem, readItem, type Value } from '../flow-lang/values.js';
import { decodeMessage } from '../interpret/wire.js';
import type { Derivation } from './knowledge.js';
import { leaves, openingsOf } from './templates.js';

export interface Reread {
  value: Value;
  how: Extract<Derivation, { kind: 'reread' }>;
  name?: string;
}

interface Targets {
  /** Steps in protocol order, with their layout key (sorts in order). */
  steps: { step: TStep; layout: string }[];
  /** Base sorts a receiver decodes: field sorts and opened plaintext leaves. */
  sorts: Sort[];
}

const cache = new WeakMap<TypedProtocol, Targets>();

function targetsOf(p: TypedProtocol): Targets {
  let t = cache.get(p);
  if (t) return t;
  const steps = p.phases.flatMap((ph) => ph.steps.map((step) => ({ step, layout: step.fields.map((f) => showSort(f.sort)).join(',') })));
  const sorts = new Map<string, Sort>();
  for (const { step } of steps) for (const f of step.fields) if (f.sort.kind === 'base') sorts.set(showSort(f.sort), f.sort);
  for (const o of openingsOf(p)) for (const l of leaves(o.shape)) if (l.sort.kind === 'base') sorts.set(showSort(l.sort), l.sort);
  t = { steps, sorts: [...sorts.values()] };
  cache.set(p, t);
  return t;
}

/**
 * The values an observed honest envelope of `step` yields when read as something else. `fields`
 * is its ordinary decoding; `bytes` the envelope as sent (with its tag when `tagged`).
 */
export function rereads(suite: CryptoSuite, p: TypedProtocol, env: { id: number; step: string }, step: TStep, fields: ReadonlyMap<string, Value>, bytes: Uint8Array, tagged: boolean): Reread[] {
  const t = targetsOf(p);
  const out: Reread[] = [];
  const payload = tagged ? bytes.subarray(1) : bytes;
  const own = t.steps.find((s) => s.step === step)?.layout;
  for (const { step: other, layout } of t.steps) {
    if (other === step || layout === own) continue; // same layout: the ordinary moves already send each field as it is
    const got = decodeMessage(suite, other, false, payload);
    if (!got.ok) continue;
    for (const f of other.fields) out.push({ value: got.fields.get(f.name)!, how: { kind: 'reread', envelope: env.id, step: step.id, as: `message ${other.id} (field ${f.name})` }, name: f.name });
  }
  for (const f of step.fields) {
    const v = fields.get(f.name);
    if (!v || f.sort.kind !== 'base') continue;
    let enc: Uint8Array;
    try {
      enc = encodeItem(suite, v, `${step.id}.${f.name}`);
    } catch {
      continue;
    }
    for (const s of t.sorts) {
      if (showSort(s) === showSort(f.sort)) continue;
      const r = { bytes: enc, at: 0 };
      const got = readItem(suite, s, r, `${step.id}.${f.name} as ${showSort(s)}`);
      if (!got.ok || r.at !== enc.length) continue;
      out.push({ value: got.value, how: { kind: 'reread', envelope: env.id, step: step.id, field: f.name, as: `a ${showSort(s)}` }, name: f.name });
    }
  }
  return out;
}
