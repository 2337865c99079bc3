/**
 * The differential comparison of two runs of the EMR protocol (issue 12 item 5): the hand-written
 * model (src/model) and any other implementation — the flow interpreter running spec/emr-flow.ban.
 * Each side is reduced to a `RunRecord` (every envelope's bytes split into its fields, every session
 * key, every ledger transaction); `compareRuns` lists every difference, one line each.
 *
 * Signatures: on ristretto255 the suite draws the Schnorr nonce from the system CSPRNG (documented
 * in src/crypto/ristretto255.ts), so signature bytes — and the ledger hashes that cover them — do not
 * replay from the seed. With `signatures: 'verified'` such fields are compared by size only and each
 * ledger must verify on its own (`verifyLedger`); the bytes they sign are still compared (the
 * ciphertexts that carry them and each tx's arguments). On secp256k1 and p256 everything is compared
 * byte for byte (`signatures: 'bytes'`).
 */
import { equalBytes } from '@noble/curves/utils.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { ARG_SCHEMA, verifyLedger, type Ledger } from '../ledger/index.js';
import { argBytes } from '../ledger/tx.js';
import { MESSAGE_SCHEMAS, isStepId, type FieldType } from '../net/messages.js';
import type { Trace } from '../net/trace.js';
import { hex } from '../model/records.js';
import type { ScenarioResult } from '../model/scenario.js';
import { showSort } from '../flow-lang/sorts.js';
import type { FlowRunResult } from '../interpret/run.js';
import { emrStateOf } from '../interpret/environments/emr-ledger.js';

export interface RecordedField {
  readonly name: string;
  readonly type: FieldType | string;
  readonly bytes: Uint8Array;
}

export interface RecordedEnvelope {
  readonly step: string;
  readonly from: string;
  readonly to: string;
  readonly bytes: Uint8Array;
  /** The envelope split by its send event's field sizes (after the one-byte tag when tagged). */
  readonly fields: readonly RecordedField[];
}

export interface RecordedKey {
  /** `party:session label`; the label is routing only, so the comparison keys by party and order. */
  readonly party: string;
  readonly session: string;
  readonly key: Uint8Array;
}

export interface RunRecord {
  readonly suite: string;
  readonly seed: string;
  readonly envelopes: readonly RecordedEnvelope[];
  readonly keys: readonly RecordedKey[];
  readonly ledger: Ledger;
}

export interface CompareOptions {
  /** 'bytes': signatures compared byte for byte; 'verified': by size, and each ledger must verify. */
  readonly signatures: 'bytes' | 'verified';
  /** The suite (ledger verification); required for 'verified'. */
  readonly suite?: CryptoSuite;
}

/** Whether a suite's signatures replay from the seed (see the module comment). */
export function signaturesReplay(suite: string): boolean {
  return suite !== 'ristretto255';
}

/**
 * Splits each `send` of a trace into fields, reading the bytes from `bytesOf(seq)`. Field types come
 * from `typeOf(step, field)` (the model's message schemas by default).
 */
export function envelopesOfTrace(
  trace: Trace,
  bytesOf: (seq: number) => Uint8Array | undefined,
  typeOf: (step: string, field: string) => string = schemaType,
  tagged = true,
): RecordedEnvelope[] {
  const out: RecordedEnvelope[] = [];
  for (const e of trace.events) {
    if (e.kind !== 'send') continue;
    const bytes = bytesOf(e.seq);
    if (!bytes) throw new Error(`no bytes for envelope #${e.seq}`);
    let o = tagged ? 1 : 0;
    const fields: RecordedField[] = [];
    for (const f of e.fields) {
      fields.push({ name: f.name, type: typeOf(e.step, f.name), bytes: bytes.slice(o, o + f.size) });
      o += f.size;
    }
    out.push({ step: e.step, from: e.from, to: e.to, bytes, fields });
  }
  return out;
}

function schemaType(step: string, field: string): string {
  if (!isStepId(step)) return 'bytes';
  const f = (MESSAGE_SCHEMAS[step].fields as readonly { name: string; type: FieldType }[]).find((x) => x.name === field);
  return f?.type ?? 'bytes';
}

/** The model's run as a RunRecord: every envelope sent, every session key held, the final ledger. */
export function recordOfScenario(r: ScenarioResult): RunRecord {
  const sys = r.system;
  const envelopes = envelopesOfTrace(r.trace, (seq) => sys.net.get(seq)?.bytes);
  const keys: RecordedKey[] = [];
  for (const p of sys.parties.values())
    for (const s of p.sessions.values()) if ('SEK' in s && s.SEK) keys.push({ party: p.id, session: s.label, key: s.SEK });
  return { suite: r.suite, seed: r.seed, envelopes, keys, ledger: sys.ledger };
}

/**
 * The interpreter's run of spec/emr-flow.ban as a RunRecord: every envelope (split by the step's
 * declared field sorts), every key-sort value a session computed, the emr-ledger environment's ledger.
 */
export function recordOfFlowRun(r: FlowRunResult): RunRecord {
  const w = r.world;
  const steps = new Map(w.protocol.phases.flatMap((p) => p.steps.map((s) => [s.id, s] as const)));
  const typeOf = (step: string, field: string) => {
    const f = steps.get(step)?.fields.find((x) => x.name === field);
    return f ? showSort(f.sort) : 'bytes';
  };
  const envelopes = envelopesOfTrace(r.trace, (seq) => w.network.get(seq)?.bytes, typeOf, w.protocol.options.wire === 'tagged');
  const keys: RecordedKey[] = [];
  for (const s of w.sessions) {
    const initial = w.principals.get(s.principal);
    for (const [name, v] of s.values) {
      if (v.sort.kind !== 'base' || v.sort.name !== 'key') continue;
      if (initial?.setup.get(s.role)?.has(name) || initial?.store.has(name)) continue;
      keys.push({ party: s.principal, session: `${s.id}:${name}`, key: v.v as Uint8Array });
    }
  }
  const st = emrStateOf(w.env?.state);
  if (!st) throw new Error('recordOfFlowRun: the run has no emr-ledger ledger');
  return { suite: r.suite, seed: r.seed, envelopes, keys, ledger: st.ledger };
}

function isSignature(type: string): boolean {
  return type === 'signature';
}

/** Every difference between two runs, one line each; empty when they agree. */
export function compareRuns(a: RunRecord, b: RunRecord, opts: CompareOptions): string[] {
  const d: string[] = [];
  const exact = opts.signatures === 'bytes';
  if (a.suite !== b.suite) d.push(`suite: ${a.suite} vs ${b.suite}`);
  // messages, in send order
  const n = Math.max(a.envelopes.length, b.envelopes.length);
  for (let i = 0; i < n; i++) {
    const x = a.envelopes[i];
    const y = b.envelopes[i];
    if (!x || !y) {
      d.push(`envelope ${i + 1}: ${x ? `${x.step} ${x.from}→${x.to}` : 'missing'} vs ${y ? `${y.step} ${y.from}→${y.to}` : 'missing'}`);
      continue;
    }
    const where = `envelope ${i + 1} (${x.step} ${x.from}→${x.to})`;
    if (x.step !== y.step || x.from !== y.from || x.to !== y.to) {
      d.push(`${where}: vs ${y.step} ${y.from}→${y.to}`);
      continue;
    }
    if (exact) {
      if (!same(x.bytes, y.bytes)) d.push(`${where}: bytes differ (${x.bytes.length} vs ${y.bytes.length} B)${firstFieldDiff(x, y)}`);
      continue;
    }
    if (x.bytes[0] !== y.bytes[0]) d.push(`${where}: tag ${x.bytes[0]} vs ${y.bytes[0]}`);
    if (x.fields.length !== y.fields.length) d.push(`${where}: ${x.fields.length} vs ${y.fields.length} fields`);
    for (let j = 0; j < Math.min(x.fields.length, y.fields.length); j++) {
      const f = x.fields[j]!;
      const g = y.fields[j]!;
      const sig = isSignature(f.type) || isSignature(g.type);
      if (sig ? f.bytes.length !== g.bytes.length : !same(f.bytes, g.bytes)) d.push(`${where}: field ${j + 1} (${f.name} / ${g.name}) differs`);
    }
  }
  // session keys: per party, in the order the party opened its sessions
  const byParty = (r: RunRecord) => {
    const m = new Map<string, RecordedKey[]>();
    for (const k of r.keys) m.set(k.party, [...(m.get(k.party) ?? []), k]);
    return m;
  };
  const ka = byParty(a);
  const kb = byParty(b);
  for (const p of new Set([...ka.keys(), ...kb.keys()])) {
    const xs = ka.get(p) ?? [];
    const ys = kb.get(p) ?? [];
    if (xs.length !== ys.length) d.push(`keys of ${p}: ${xs.length} vs ${ys.length} sessions with a key`);
    const setA = new Set(xs.map((k) => hex(k.key)));
    const setB = new Set(ys.map((k) => hex(k.key)));
    for (const k of xs) if (!setB.has(hex(k.key))) d.push(`key of ${p} session ${k.session} (first run) is not a key of ${p} in the second run`);
    for (const k of ys) if (!setA.has(hex(k.key))) d.push(`key of ${p} session ${k.session} (second run) is not a key of ${p} in the first run`);
  }
  // ledger
  if (a.ledger.centerId !== b.ledger.centerId) d.push(`ledger center id: ${a.ledger.centerId} vs ${b.ledger.centerId}`);
  if (!same(a.ledger.centerKey, b.ledger.centerKey)) d.push('ledger center key differs');
  if (a.ledger.txs.length !== b.ledger.txs.length) d.push(`ledger: ${a.ledger.txs.length} vs ${b.ledger.txs.length} txs`);
  for (let i = 0; i < Math.min(a.ledger.txs.length, b.ledger.txs.length); i++) {
    const x = a.ledger.txs[i]!;
    const y = b.ledger.txs[i]!;
    const where = `tx ${i} (${x.contract} by ${x.signer})`;
    if (x.contract !== y.contract || x.signer !== y.signer || x.index !== y.index) {
      d.push(`${where}: vs ${y.contract} by ${y.signer} at ${y.index}`);
      continue;
    }
    const args = ARG_SCHEMA[x.contract];
    for (const f of args) {
      const u = argBytes(f.type, (x.args as unknown as Record<string, unknown>)[f.name]);
      const v = argBytes(f.type, (y.args as unknown as Record<string, unknown>)[f.name]);
      if (!same(u, v)) d.push(`${where}: argument ${f.name} differs`);
    }
    if (exact) {
      if (!same(x.prev, y.prev)) d.push(`${where}: prev hash differs`);
      if (!same(x.signature, y.signature)) d.push(`${where}: signature differs`);
      if (!same(x.hash, y.hash)) d.push(`${where}: hash differs`);
    }
  }
  if (!exact) {
    if (!opts.suite) throw new TypeError("compareRuns: signatures 'verified' needs the suite");
    for (const [name, r] of [['first', a], ['second', b]] as const) {
      const v = verifyLedger(r.ledger, opts.suite);
      if (!v.ok) d.push(`${name} run's ledger does not verify: tx ${v.index}: ${v.reason}`);
    }
  }
  return d;
}

function firstFieldDiff(x: RecordedEnvelope, y: RecordedEnvelope): string {
  for (let j = 0; j < Math.min(x.fields.length, y.fields.length); j++) {
    if (!same(x.fields[j]!.bytes, y.fields[j]!.bytes)) return `; first at field ${x.fields[j]!.name}`;
  }
  return '';
}

const same = equalBytes;
