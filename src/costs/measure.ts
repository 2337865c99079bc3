/**
 * An instrumented run of the paper's scenario on the executable model (src/model), cut into the
 * rows of Tables 2 and 3: the three registrations (§3.4–3.5), initial treatment (§3.6) and the
 * inter-hospital phase (§3.7). For each row and party it records the operation counts (the model's
 * counting suites, snapshotted before and after the row), the trace events, the messages sent with
 * their real encoded sizes, and the CPU time each party spent (per delivered message: the time of
 * the receiver's step, including decoding, ledger calls and tracing).
 */
import { getSuite, seededRng, type OpCounts } from '../crypto/index.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, CENTER, type System } from '../model/index.js';
import type { TraceEvent } from '../net/trace.js';
import { COST_PHASES, UNITS, type CostPhase, type Counts5, type Role } from './paper.js';

export const PARTY_IDS = { patient: 'PAT-1', HA: 'HPA', HB: 'HPB', center: CENTER } as const satisfies Record<Role, string>;

export type SendEvent = Extract<TraceEvent, { kind: 'send' }>;

export interface RowMeasure {
  readonly phase: CostPhase;
  /** Table 2 units per party (protocol work: the counters of the model's phase). */
  readonly counts: Readonly<Record<string, Counts5>>;
  /** Work the model does for the ledger in this row (signing/verifying transactions): outside Table 2. */
  readonly ledger: Readonly<Record<string, OpCounts>>;
  readonly events: readonly TraceEvent[];
  readonly sends: readonly SendEvent[];
  /** CPU time per party in this row, ns (median over runs). */
  readonly cpuNs: Readonly<Record<string, number>>;
}

export interface RunMeasure {
  readonly suite: string;
  readonly seed: string;
  readonly runs: number;
  /** Median CPU time of one constant-time variable-base `mul` in this process, ns (the unit T). */
  readonly unitTNs: number;
  readonly rows: Readonly<Record<CostPhase, RowMeasure>>;
  readonly ok: boolean;
  readonly failures: readonly string[];
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
};

type Snapshot = Map<string, OpCounts>;
function snapshot(sys: System): Snapshot {
  const m: Snapshot = new Map();
  for (const [k, c] of sys.counters) m.set(k, c.counts());
  return m;
}

function sub(a: OpCounts | undefined, b: OpCounts | undefined): OpCounts {
  const z = { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0, digest: 0 };
  const x = a ?? z;
  const y = b ?? z;
  return { mul: x.mul - y.mul, h: x.h - y.h, cmp: x.cmp - y.cmp, enc: x.enc - y.enc, sig: x.sig - y.sig, digest: x.digest - y.digest };
}

const to5 = (c: OpCounts): Counts5 => ({ mul: c.mul, h: c.h, cmp: c.cmp, enc: c.enc, sig: c.sig });

/** Median time of one `mul` (constant-time, variable base, no table) over `n` calls, ns. */
export function measureUnitT(suite: CryptoSuite, n = 12, label = 'costs-T'): number {
  const rng = seededRng(label);
  const pts = Array.from({ length: 4 }, () => suite.decodePoint(suite.encodePoint(suite.mulG(suite.randomScalar(rng))), 'X'));
  const ks = Array.from({ length: n }, () => suite.randomScalar(rng));
  suite.mul(pts[0]!, ks[0]!); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = suite.decodePoint(pts[i & 3]!.bytes, 'X'); // fresh handle: no table
    const t0 = cpuNow();
    suite.mul(p, ks[i]!);
    xs.push(cpuNow() - t0);
  }
  return medianOf(xs);
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface OneRun {
  rows: Record<CostPhase, Omit<RowMeasure, 'cpuNs'> & { cpuNs: Record<string, number> }>;
  failures: string[];
}

function oneRun(suiteName: string, seed: string): OneRun {
  const sys = createSystem({ suite: suiteName, seed });
  addParty(sys, PARTY_IDS.patient, 'patient');
  addParty(sys, PARTY_IDS.HA, 'hospital', { slot: 'A' });
  addParty(sys, PARTY_IDS.HB, 'hospital', { slot: 'B' });
  const failures: string[] = [];
  const rows = {} as OneRun['rows'];
  const stage = (phase: CostPhase, modelPhase: 'registration' | 'initial' | 'inter', initiator: string, start: () => void): void => {
    const before = snapshot(sys);
    const ev0 = sys.tracer.trace.events.length;
    const cpu: Record<string, number> = {};
    const add = (p: string, ns: number) => (cpu[p] = (cpu[p] ?? 0) + ns);
    let t0 = cpuNow();
    start();
    add(initiator, cpuNow() - t0);
    for (let i = 0; i < 1000; i++) {
      const e = sys.net.next();
      if (!e) break;
      t0 = cpuNow();
      const r = deliver(sys, e);
      add(e.to, cpuNow() - t0);
      if (r.kind !== 'ok') failures.push(r.kind === 'aborted' ? `${phase}: ${r.abort.party} aborted at ${r.abort.step}: ${r.abort.check}` : `${phase}: ${e.step} rejected`);
    }
    const after = snapshot(sys);
    const counts: Record<string, Counts5> = {};
    const ledger: Record<string, OpCounts> = {};
    for (const key of after.keys()) {
      const [party, ph] = key.split('|') as [string, string];
      const d = sub(after.get(key), before.get(key));
      if (ph === modelPhase) counts[party] = to5(d);
      else if (ph === 'ledger' && (UNITS.some((u) => d[u] !== 0) || d.digest !== 0)) ledger[party] = d;
    }
    const events = sys.tracer.trace.events.slice(ev0);
    rows[phase] = { phase, counts, ledger, events, sends: events.filter((x): x is SendEvent => x.kind === 'send'), cpuNs: cpu };
  };
  stage('reg-patient', 'registration', PARTY_IDS.patient, () => startRegistration(sys, PARTY_IDS.patient));
  stage('reg-HA', 'registration', PARTY_IDS.HA, () => startRegistration(sys, PARTY_IDS.HA));
  stage('reg-HB', 'registration', PARTY_IDS.HB, () => startRegistration(sys, PARTY_IDS.HB));
  stage('initial', 'initial', PARTY_IDS.patient, () => startInitial(sys, PARTY_IDS.patient, PARTY_IDS.HA));
  stage('inter', 'inter', PARTY_IDS.patient, () => startInter(sys, PARTY_IDS.patient, PARTY_IDS.HB));
  return { rows, failures };
}

/**
 * Runs the scenario `runs` times with the same seed (the same work each time), after one untimed
 * warm-up run when `runs` > 1, and keeps the counts, events and sizes of the first timed run and
 * the median CPU time per party and row.
 */
export function measureRun(opts: { suite?: string; seed?: string | number; runs?: number } = {}): RunMeasure {
  const suiteName = getSuite(opts.suite ?? 'secp256k1').name; // validates the name (UserError)
  const seed = String(opts.seed ?? 0);
  const runs = Math.max(1, opts.runs ?? 3);
  const all: OneRun[] = [];
  const units: number[] = [];
  const suite = getSuite(suiteName);
  if (runs > 1) oneRun(suiteName, seed); // warm-up (JIT, lazily built tables): not timed
  for (let i = 0; i < runs; i++) {
    units.push(measureUnitT(suite, 8, `costs-T-${i}`));
    all.push(oneRun(suiteName, seed));
  }
  const first = all[0]!;
  const rows = {} as Record<CostPhase, RowMeasure>;
  for (const ph of COST_PHASES) {
    const parties = new Set(all.flatMap((r) => Object.keys(r.rows[ph].cpuNs)));
    const cpuNs: Record<string, number> = {};
    for (const p of parties) cpuNs[p] = medianOf(all.map((r) => r.rows[ph].cpuNs[p] ?? 0));
    rows[ph] = { ...first.rows[ph], cpuNs };
  }
  return { suite: suiteName, seed, runs, unitTNs: medianOf(units), rows, ok: first.failures.length === 0, failures: first.failures };
}

/** Events of one party in a row (computations and checks it made; messages it sent). */
export function eventsOf(row: RowMeasure, party: string): TraceEvent[] {
  return row.events.filter((e) => ('party' in e && e.party === party) || (e.kind === 'send' && e.from === party));
}
