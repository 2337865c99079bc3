/**
 * The whole scenario of the paper in one call (§3.2–3.7): setup; registration of a patient and two
 * hospitals; initial treatment of the patient at hospital A; a visit to hospital B, which fetches
 * the record from hospital A. Honest scheduler (in-order delivery). Used by `bantam run`.
 */
import type { OpCounts } from '../crypto/counters.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { verifyLedger } from '../ledger/index.js';
import type { Trace } from '../net/trace.js';
import { runUntilQuiet, startInitial, startInter, startRegistration, sessionKeyOf } from './protocol.js';
import { bytesEq, hex } from './records.js';
import { addParty, createSystem, type System } from './system.js';
import type { DeliverResult } from './types.js';

export interface KeyAgreement {
  readonly phase: 'initial' | 'inter';
  readonly key: 'SEK_AP' | 'SEK_BP' | 'SEK_AB';
  readonly parties: readonly [string, string];
  readonly sessions: readonly [string, string];
  /** Both sides hold a session key and the two byte strings are equal (compared, not assumed). */
  readonly agreed: boolean;
  /** First 8 bytes of SHA-256 over each side's key, for the transcript (the keys are not printed). */
  readonly fingerprints: readonly [string | null, string | null];
}

export interface PartyCosts {
  readonly party: string;
  readonly phase: string;
  readonly ops: OpCounts;
  readonly bitsSent: number;
}

export interface ScenarioResult {
  readonly suite: string;
  /** The crypto backend that computed the run (noble, native). */
  readonly backend: string;
  readonly seed: string;
  readonly ok: boolean;
  readonly trace: Trace;
  readonly results: readonly DeliverResult[];
  readonly agreements: readonly KeyAgreement[];
  readonly costs: readonly PartyCosts[];
  readonly ledger: { txs: number; verified: boolean; reason?: string };
  readonly system: System;
  /** Set when a step did not complete honestly (should not happen in an honest run). */
  readonly failures: readonly string[];
}

export interface ScenarioOptions {
  suite?: string | CryptoSuite;
  seed?: string | number | bigint;
  patientId?: string;
  hospitalA?: string;
  hospitalB?: string;
}

/** Compares two sides' session keys (H2 outputs). */
export function keyAgreement(sys: System, phase: 'initial' | 'inter', key: KeyAgreement['key'], a: [string, string], b: [string, string]): KeyAgreement {
  const ka = sessionKeyOf(sys, a[0], a[1]);
  const kb = sessionKeyOf(sys, b[0], b[1]);
  const fp = (k: Uint8Array | undefined) => (k ? hex(sys.suite.digest(k)).slice(0, 16) : null);
  return { phase, key, parties: [a[0], b[0]], sessions: [a[1], b[1]], agreed: !!ka && !!kb && bytesEq(ka, kb), fingerprints: [fp(ka), fp(kb)] };
}

/** Per party and phase: Table 2 units and bits sent. */
export function costsOf(sys: System): PartyCosts[] {
  const out: PartyCosts[] = [];
  for (const [key, c] of sys.counters) {
    const [party, phase] = key.split('|') as [string, string];
    out.push({ party, phase, ops: c.counts(), bitsSent: 8 * (sys.bytesSent.get(key) ?? 0) });
  }
  for (const [key, bytes] of sys.bytesSent) {
    if (sys.counters.has(key)) continue;
    const [party, phase] = key.split('|') as [string, string];
    out.push({ party, phase, ops: { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0, digest: 0 }, bitsSent: 8 * bytes });
  }
  return out;
}

export function runScenario(opts: ScenarioOptions = {}): ScenarioResult {
  const sys = createSystem({ suite: opts.suite ?? 'secp256k1', seed: opts.seed ?? 0 });
  const P = opts.patientId ?? 'PAT-1';
  const A = opts.hospitalA ?? 'HPA';
  const B = opts.hospitalB ?? 'HPB';
  addParty(sys, P, 'patient');
  addParty(sys, A, 'hospital', { slot: 'A' });
  addParty(sys, B, 'hospital', { slot: 'B' });
  const results: DeliverResult[] = [];
  const failures: string[] = [];
  const run = () => {
    for (const r of runUntilQuiet(sys)) {
      results.push(r);
      if (r.kind !== 'ok') failures.push(r.kind === 'aborted' ? `${r.abort.party} aborted at ${r.abort.step}: ${r.abort.check}` : `${r.envelope.step} rejected: ${r.rejection.reason}`);
    }
  };
  for (const id of [P, A, B]) {
    startRegistration(sys, id);
    run();
  }
  const agreements: KeyAgreement[] = [];
  if (failures.length === 0) {
    const init = startInitial(sys, P, A);
    run();
    agreements.push(keyAgreement(sys, 'initial', 'SEK_AP', [P, init.session], [A, init.session]));
  }
  if (failures.length === 0) {
    const inter = startInter(sys, P, B);
    run();
    agreements.push(keyAgreement(sys, 'inter', 'SEK_BP', [P, inter.session], [B, inter.session]));
    const hb = sys.parties.get(B)!.sessions.get(inter.session);
    const sub = hb && hb.kind === 'hb-patient' ? hb.sub : undefined;
    if (sub) agreements.push(keyAgreement(sys, 'inter', 'SEK_AB', [B, sub], [A, sub]));
    else failures.push('hospital B opened no session with hospital A');
  }
  const v = verifyLedger(sys.ledger, sys.suite, { centerKey: sys.suite.encodePoint(sys.center.PK) });
  // every session of every party must have completed (none left running or aborted)
  const open = [...sys.parties.values()].flatMap((p) => [...p.sessions.values()].filter((x) => x.status !== 'accepted').map((x) => `${p.id}:${x.label} ${x.status}`));
  for (const o of open) failures.push(`session ${o}`);
  const ok = failures.length === 0 && agreements.length === 3 && agreements.every((a) => a.agreed) && v.ok;
  return {
    suite: sys.suite.name,
    backend: sys.suite.backend,
    seed: sys.seed,
    ok,
    trace: sys.tracer.trace,
    results,
    agreements,
    costs: costsOf(sys),
    ledger: v.ok ? { txs: sys.ledger.txs.length, verified: true } : { txs: sys.ledger.txs.length, verified: false, reason: `tx ${v.index}: ${v.reason}` },
    system: sys,
    failures,
  };
}
