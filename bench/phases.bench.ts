/**
 * Cost of each protocol phase per party, in units of T (one constant-time variable-base scalar
 * multiplication on the same suite, measured in the same run; see bench/harness.ts).
 *
 * Method: each iteration builds a fresh system and runs registration, initial treatment and the
 * inter-hospital phase with the honest scheduler, timing every step (a party's `start*` call or its
 * `deliver` of one envelope) and charging it to the party that performs it. Between iterations a
 * batch of T is timed with the same clock. A party's phase cost is the sum of its steps in that
 * phase; it includes everything the party does in those steps: the paper's operations, encodings,
 * record handling and its ledger contract calls (signing ledger transactions), which Table 2 leaves
 * out. `ratio` = fastest iteration / fastest T sample; `medianRatio` = median / median.
 */
import { SUITE_NAMES, type SuiteName } from '../src/crypto/index.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, type System } from '../src/model/index.js';
import { median, type BenchReport, type BenchRow, type Harness } from './harness.js';

const TABLE2: Record<string, string> = {
  'registration|CENTER': '2 Mul + 1 H (per registration)',
  'registration|PAT-1': '2 Mul + 1 H + 1 Cmp',
  'registration|HPA': '2 Mul + 1 H + 1 Cmp',
  'registration|HPB': '2 Mul + 1 H + 1 Cmp',
  'initial|HPA': '5 Mul + 4 H + 1 Cmp + 2 Enc + 1 Sig',
  'initial|PAT-1': '5 Mul + 4 H + 2 Cmp + 2 Enc + 1 Sig',
  'inter|HPA': '5 Mul + 4 H + 1 Cmp + 2 Enc + 1 Sig',
  'inter|HPB': '10 Mul + 8 H + 3 Cmp + 4 Enc + 2 Sig',
  'inter|PAT-1': '5 Mul + 4 H + 2 Cmp + 2 Enc + 1 Sig',
};

function clock(kind: 'cpu' | 'wall'): () => number {
  if (kind === 'wall') return () => Number(process.hrtime.bigint());
  return () => {
    const c = process.cpuUsage();
    return (c.user + c.system) * 1000;
  };
}

/** Runs the three phases once, returning ns per `${phase}|${party}` (the center per registration). */
function onePass(suite: SuiteName, seed: string, now: () => number): Map<string, number> {
  const cost = new Map<string, number>();
  const charge = (key: string, ns: number) => cost.set(key, (cost.get(key) ?? 0) + ns);
  const ledgerNs = new Map<string, number>();
  const sys: System = createSystem({ suite, seed, probe: { now, ledger: (k, ns) => ledgerNs.set(k, (ledgerNs.get(k) ?? 0) + ns) } });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  const drain = (phase: string) => {
    for (let e = sys.net.next(); e; e = sys.net.next()) {
      const t0 = now();
      const r = deliver(sys, e);
      charge(`${phase}|${e.to}`, now() - t0);
      if (r.kind !== 'ok') throw new Error(`bench run failed at ${e.step}: ${r.kind}`);
    }
  };
  let regs = 0;
  for (const id of ['PAT-1', 'HPA', 'HPB']) {
    const t0 = now();
    startRegistration(sys, id);
    charge(`registration|${id}`, now() - t0);
    drain('registration');
    regs++;
  }
  cost.set('registration|CENTER', (cost.get('registration|CENTER') ?? 0) / regs);
  let t0 = now();
  startInitial(sys, 'PAT-1', 'HPA');
  charge('initial|PAT-1', now() - t0);
  drain('initial');
  t0 = now();
  startInter(sys, 'PAT-1', 'HPB');
  charge('inter|PAT-1', now() - t0);
  drain('inter');
  // the same costs without the party's ledger contract calls (tx signing, PK_X derivation)
  for (const [k, ns] of ledgerNs) {
    const [party, phase] = k.split('|') as [string, string];
    const key = `${phase}|${party}`;
    const total = cost.get(key) ?? 0;
    cost.set(`${key}|excl`, party === 'CENTER' ? total - ns / regs : total - ns);
  }
  return cost;
}

export default async function phasesBench(h: Harness): Promise<BenchReport> {
  const now = clock(h.options.clock);
  const quick = h.options.minSamples < 10;
  const iterations = quick ? 4 : 10;
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  for (const suite of SUITE_NAMES) {
    const T = h.unitT(suite);
    for (let i = 0; i < 20; i++) T.fn(i); // warm-up
    onePass(suite, 'bench-warmup', now);
    const samples = new Map<string, number[]>();
    const tSamples: number[] = [];
    let j = 0;
    for (let it = 0; it < iterations; it++) {
      const batch = 16;
      const t0 = now();
      for (let k = 0; k < batch; k++) T.fn(j++);
      tSamples.push((now() - t0) / batch);
      for (const [k, ns] of onePass(suite, `bench-${it}`, now)) {
        const xs = samples.get(k) ?? [];
        xs.push(ns);
        samples.set(k, xs);
      }
    }
    const tMin = Math.min(...tSamples);
    const tMed = median(tSamples);
    units[suite] = tMed;
    const order = ['registration', 'initial', 'inter'];
    const keys = [...samples.keys()].sort((a, b) => order.indexOf(a.split('|')[0]!) - order.indexOf(b.split('|')[0]!) || a.localeCompare(b));
    for (const k of keys) {
      const xs = samples.get(k)!;
      const [phase, party, excl] = k.split('|') as [string, string, string | undefined];
      rows.push({
        group: suite,
        op: `${phase.padEnd(12)} ${party === 'CENTER' ? 'CENTER (per registration)' : party}${excl ? ' without ledger calls' : ''}`,
        ratio: Math.min(...xs) / tMin,
        medianRatio: median(xs) / tMed,
        medianNs: median(xs),
        note: TABLE2[`${phase}|${party}`] && !excl ? `Table 2: ${TABLE2[`${phase}|${party}`]}` : '',
      });
    }
  }
  return {
    name: 'phases',
    unit: 'T = one constant-time variable-base scalar multiplication (suite.mul) on the same suite, same run; a party\'s phase cost includes its ledger calls',
    units,
    rows,
  };
}
