/**
 * The generic attacker's search forking states (src/attacker/world-snapshot.ts) against re-running
 * every state from the seed (`fromSeed`, the strategy before), on EMR (spec/emr-flow.ban, secp256k1,
 * seed 1), PAIR BY PAIR (bench/pairs.ts: the order flips every pair):
 *   - `claims`: every query of the spec decided as `bantam claims spec/emr-flow.ban --as-written`
 *     decides them (analyseQueries at the spec's declared bound: 2 sessions, 4 per delivery), wall
 *     time of the whole run;
 *   - `inter, 3 sessions`: the inter-hospital queries at 3 sessions, 3 per delivery, with the
 *     insider, for a fixed budget of states: milliseconds per state.
 * Both sides must give the same states and verdicts (checked on every trial; a difference throws:
 * then the bench measures nothing). Reported: median wall per side, the median per-pair ratio
 * (from the seed / forked: how many times faster), and the load average at the start and end.
 */
import { loadavg } from 'node:os';
import { analyseQueries, declaredBoundOf, queriesOf } from '../src/attacker/index.js';
import type { SearchReport } from '../src/attacker/search.js';
import { loadExecutable } from '../src/interpret/load.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';
import { cpuNowNs, median, paired, type Trial } from './pairs.js';

const SUITE = 'secp256k1';
const FILE = 'spec/emr-flow.ban';

export default async function searchForkBench(h: Harness): Promise<BenchReport> {
  const quick = h.options.minTimeMs < 200;
  const pairs = 3;
  const load0 = loadavg();
  const { spec, protocol } = loadExecutable(FILE);
  const queries = queriesOf(spec, protocol);
  const declared = declaredBoundOf(spec, protocol)!;
  const inter = queries.filter((q) => 'phase' in q && q.phase === 'inter' && q.kind !== 'unlinkability');
  const interStates = quick ? 600 : 1500;
  const cases = [
    {
      name: `claims ${FILE} --as-written (declared bound: ${declared.sessions} sessions, ${declared.perDelivery} per delivery)`,
      run: (fromSeed: boolean) => analyseQueries(protocol, queries, { suite: SUITE, seed: '1', bound: { sessions: declared.sessions!, perDelivery: declared.perDelivery!, maxStates: declared.maxStates!, attackerSessions: false }, fromSeed }),
    },
    {
      name: `inter queries, 3 sessions, 3 per delivery, insider, ${interStates} states`,
      run: (fromSeed: boolean) => analyseQueries(protocol, inter, { suite: SUITE, seed: '1', bound: { sessions: 3, perDelivery: 3, maxStates: interStates, attackerSessions: false, insider: true }, fromSeed }),
    },
  ];
  const rows: BenchRow[] = [];
  const md: string[] = ['| EMR search (secp256k1, seed 1) | from the seed: wall | forked: wall | states | ms per state (seed → forked) | speed-up (median per pair, min–max) |', '|---|---:|---:|---:|---:|---:|'];
  for (const c of cases) {
    let reference: string | undefined;
    let states = 0;
    const same = (r: SearchReport) => {
      const key = JSON.stringify({ states: r.states, verdicts: r.verdicts.map((v) => [v.status, v.reason ?? '', v.attack?.foundAfterStates ?? 0]) });
      if (reference === undefined) reference = key;
      else if (key !== reference) throw new Error(`${c.name}: forked and from-the-seed searches differ — the bench measures nothing`);
      states = r.states;
    };
    const trial = (fromSeed: boolean) => async (): Promise<Trial> => {
      const c0 = cpuNowNs();
      const w0 = process.hrtime.bigint();
      const r = c.run(fromSeed);
      const wallNs = Number(process.hrtime.bigint() - w0);
      same(r);
      return { wallNs, cpuNs: cpuNowNs() - c0, work: r.states };
    };
    const r = await paired('from the seed', trial(true), 'forked', trial(false), { pairs, metric: 'wall-rate' });
    const wall = (xs: Trial[]) => median(xs.map((x) => x.wallNs)) / 1e9;
    const perState = (xs: Trial[]) => median(xs.map((x) => x.wallNs / (x.work ?? 1))) / 1e6;
    const ratio = `${r.ratio.median.toFixed(2)}× (${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)})`;
    rows.push({ group: c.name, op: 'from the seed: wall s', ratio: wall(r.a.trials), medianNs: wall(r.a.trials) * 1e9, note: `${perState(r.a.trials).toFixed(2)} ms per state, ${states} states` });
    rows.push({ group: c.name, op: 'forked: wall s', ratio: wall(r.b.trials), medianNs: wall(r.b.trials) * 1e9, note: `${perState(r.b.trials).toFixed(2)} ms per state; speed-up per pair ${ratio}` });
    md.push(`| ${c.name} | ${wall(r.a.trials).toFixed(1)} s | ${wall(r.b.trials).toFixed(1)} s | ${states} | ${perState(r.a.trials).toFixed(2)} → ${perState(r.b.trials).toFixed(2)} | ${ratio} |`);
  }
  const load1 = loadavg();
  const load = `load average (1, 5, 15 min) ${load0.map((x) => x.toFixed(2)).join(', ')} at the start, ${load1.map((x) => x.toFixed(2)).join(', ')} at the end; ${pairs} pairs`;
  md.push('', load);
  return {
    name: `generic attacker: forked states vs re-running from the seed (${load})`,
    unit: 'ratio column = median wall seconds',
    units: {},
    rows,
    markdown: { 'search-fork': md.join('\n') },
  };
}
