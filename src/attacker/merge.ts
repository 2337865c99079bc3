/**
 * Merging the results of shards of one generic-attacker search (`bantam claims SPEC --shard K/N
 * --json`, ./shard.ts) into one report, honestly (docs/properties.md "Shards and workers"):
 *
 * - a query is REFUTED when any shard refuted it: its confirmed attack is kept (with the shard,
 *   seed and suite it replays under);
 * - it HOLDS only when every shard 1..N is present, all with the same spec hash, seed, suite,
 *   bound, attacker and honest principals and the same queries, each shard covered its part of
 *   the bound for that query ("holds", or "not tested" only because no session met the premise
 *   there), and at least one shard met the premise;
 * - otherwise it is NOT TESTED, with the reason: a missing shard, mismatched parameters, a
 *   shard's budget cut, crash or early stop (its own reason, prefixed with the shard).
 *
 * The input is the JSON `claims SPEC --json` prints (or the same object from a worker,
 * ./parallel.ts); the output is a SearchReport, printed by ./report.ts like any other.
 */
import { UserError } from '../spec/diagnostics.js';
import type { Query } from './queries.js';
import type { Scenario } from './execute.js';
import type { Bound, SearchReport, Verdict } from './search.js';
import { shardText, type Shard } from './shard.js';

/** One query's verdict as `reportJson` prints it. */
export interface ShardQueryJson {
  query: string;
  kind: string;
  at: string;
  verdict: Verdict['status'];
  reason?: string;
  covered?: boolean;
  premise?: boolean;
  attack?: { detail: string; foundAfterStates: number; foundAfterMs: number; trace: string[][]; scenario: Scenario; shard?: Shard; seed?: string; suite?: string };
}

/** What a shard result must carry to be merged (a subset of `claims SPEC --json`). */
export interface ShardJson {
  spec: string;
  specHash: string;
  attacker: string;
  honest: string[];
  suite: string;
  seed: number | string;
  bound: Bound;
  shard: Shard;
  states: number;
  configurations: { explored: number; total: number; all: number };
  exhausted: boolean;
  cappedDeliveries: number;
  ms: number;
  unconfirmed: string[];
  queries: ShardQueryJson[];
}

export interface MergeInfo {
  /** The shards merged, in index order (a duplicate index is used once). */
  shards: { shard: Shard; source: string }[];
  count: number;
  missing: number[];
  duplicates: string[];
  /** Parameters that differ between the shards (empty when they all agree). */
  mismatched: string[];
  complete: boolean;
}

const REQUIRED = ['specHash', 'shard', 'seed', 'suite', 'bound', 'attacker', 'honest', 'queries', 'configurations', 'states'] as const;

/** Checks the shape of one parsed file; a file that is not a shard result is bad input (exit 2). */
export function asShardJson(v: unknown, source: string): ShardJson {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new UserError(`${source}: not a JSON object (expected the output of bantam claims SPEC --json)`);
  if (o['command'] !== undefined && o['command'] !== 'claims') throw new UserError(`${source}: the output of bantam ${String(o['command'])}, not of bantam claims SPEC --json`);
  const missing = REQUIRED.filter((k) => o[k] === undefined);
  if (missing.length) throw new UserError(`${source}: not a generic-attacker result of bantam claims SPEC --json (missing ${missing.join(', ')})`);
  const s = o['shard'] as Shard;
  if (!Number.isInteger(s?.index) || !Number.isInteger(s?.count) || s.index < 1 || s.index > s.count) throw new UserError(`${source}: bad shard ${JSON.stringify(s)} (expected {index: K, count: N}, 1 ≤ K ≤ N)`);
  if (!Array.isArray(o['queries'])) throw new UserError(`${source}: 'queries' is not a list`);
  return o as unknown as ShardJson;
}

/** Key order does not matter (bounds printed by different versions of the same object). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function queryOf(q: ShardQueryJson): Query {
  const m = /^(.*):(\d+):(\d+)$/.exec(q.at);
  const pos = m ? { file: m[1]!, line: Number(m[2]), col: Number(m[3]) } : { file: q.at, line: 0, col: 0 };
  // the merged report prints a query's text, position and kind (not its parsed details)
  return { kind: q.kind, keyword: q.kind, reason: '', text: q.query, pos } as unknown as Query;
}

const queryKey = (q: ShardQueryJson) => `${q.at}\u0000${q.query}`;

/**
 * Merges shard results; `source` names each (a file name) for the messages. By default the shards
 * 1..N of the first input's N are expected; `part` merges the sub-shards of one shard instead
 * (./shard.ts `splitShard`): exactly those are expected, and the result is that shard's.
 */
export function mergeShards(inputs: readonly { json: ShardJson; source: string }[], part?: { of: Shard; expect: readonly Shard[] }): { report: SearchReport; info: MergeInfo } {
  if (!inputs.length) throw new UserError('nothing to merge: give the JSON results of the shards (bantam claims SPEC --shard K/N --json)');
  const first = inputs[0]!.json;
  const count = first.shard.count;
  // one result per shard K/N (the first given); later ones with the same K/N are named, not used
  const byShard = new Map<string, { json: ShardJson; source: string }>();
  const duplicates: string[] = [];
  for (const x of inputs) {
    const k = shardText(x.json.shard);
    if (byShard.has(k)) duplicates.push(`${x.source} (shard ${k} again)`);
    else byShard.set(k, x);
  }
  const used = [...byShard.values()].sort((a, b) => a.json.shard.count - b.json.shard.count || a.json.shard.index - b.json.shard.index);
  const mismatched: string[] = [];
  const differ = (what: string, f: (j: ShardJson) => unknown) => {
    const vals = new Map<string, string[]>();
    for (const x of used) {
      const k = canonical(f(x.json));
      vals.set(k, [...(vals.get(k) ?? []), shardText(x.json.shard)]);
    }
    if (vals.size > 1) mismatched.push(`${what} differs (${[...vals.entries()].map(([v, s]) => `${s.join(', ')}: ${v.length > 60 ? `${v.slice(0, 57)}…` : v}`).join('; ')})`);
  };
  differ('the spec hash', (j) => j.specHash);
  differ('the shard count N', (j) => j.shard.count);
  differ('the seed', (j) => String(j.seed));
  differ('the suite', (j) => j.suite);
  differ('the bound', (j) => j.bound);
  differ('the attacker', (j) => j.attacker);
  differ('the honest principals', (j) => j.honest);
  differ('the queries', (j) => j.queries.map(queryKey));
  const present = new Set(used.filter((x) => x.json.shard.count === count).map((x) => x.json.shard.index));
  const expected = part ? part.expect.filter((s) => s.count === count).map((s) => s.index) : Array.from({ length: count }, (_, i) => i + 1);
  if (part && part.expect.some((s) => s.count !== count)) mismatched.push(`the shard count N differs from the expected sub-shards`);
  for (const x of used) if (!expected.includes(x.json.shard.index)) mismatched.push(`shard ${shardText(x.json.shard)} is not one of the expected ${expected.map((i) => `${i}/${count}`).join(', ')}`);
  const missing = expected.filter((i) => !present.has(i));
  const complete = missing.length === 0 && mismatched.length === 0;
  const sameSpec = !mismatched.some((m) => m.startsWith('the spec hash'));

  const keys: string[] = [];
  const byKey = new Map<string, ShardQueryJson>();
  for (const x of used) for (const q of x.json.queries) if (!byKey.has(queryKey(q))) (keys.push(queryKey(q)), byKey.set(queryKey(q), q));

  const verdicts: Verdict[] = keys.map((k) => {
    const q0 = byKey.get(k)!;
    const query = queryOf(q0);
    const per = used.map((x) => ({ x, q: x.json.queries.find((y) => queryKey(y) === k) }));
    const refuted = sameSpec ? per.find((p) => p.q?.verdict === 'refuted' && p.q.attack) : undefined;
    if (refuted) {
      const a = refuted.q!.attack!;
      return { query, status: 'refuted', attack: { scenario: a.scenario, story: a.trace, detail: a.detail, foundAfterStates: a.foundAfterStates, foundAfterMs: a.foundAfterMs, shard: refuted.x.json.shard, seed: String(refuted.x.json.seed), suite: refuted.x.json.suite } } as Verdict;
    }
    const notTested = (reason: string): Verdict => ({ query, status: 'not-tested', reason });
    if (mismatched.length) return notTested(`the shard results cannot be combined: ${mismatched.join('; ')}`);
    if (missing.length) return notTested(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: the merged results do not cover ${part ? `shard ${shardText(part.of)}` : 'the bound'}`);
    const absent = per.filter((p) => !p.q);
    if (absent.length) return notTested(`not in the result of shard ${absent.map((p) => shardText(p.x.json.shard)).join(', ')}`);
    const uncovered = per.filter((p) => !(p.q!.verdict === 'holds' || (p.q!.verdict === 'not-tested' && p.q!.covered === true)));
    if (uncovered.length) return notTested(uncovered.map((p) => `shard ${shardText(p.x.json.shard)}: ${p.q!.reason ?? `its verdict is '${p.q!.verdict}' without a record of covering its part of the bound`}`).join('; '));
    if (!per.some((p) => p.q!.premise === true)) return { ...notTested(per[0]!.q!.reason ?? 'no session met the premise of the query in any shard (vacuous)'), covered: true, premise: false };
    return { query, status: 'holds', covered: true, premise: true };
  });
  const sum = (f: (j: ShardJson) => number) => used.reduce((n, x) => n + f(x.json), 0);
  const report: SearchReport = {
    protocol: first.spec,
    suite: first.suite,
    seed: String(first.seed),
    attacker: first.attacker,
    honest: first.honest,
    bound: first.bound,
    shard: part ? part.of : { index: 1, count: 1 },
    states: sum((j) => j.states),
    configurations: { explored: sum((j) => j.configurations.explored), total: part ? sum((j) => j.configurations.total) : first.configurations.all, all: first.configurations.all },
    cappedDeliveries: sum((j) => j.cappedDeliveries ?? 0),
    exhausted: complete && used.every((x) => x.json.exhausted),
    ms: Math.max(...used.map((x) => x.json.ms ?? 0)),
    // the prior phases (multi-phase searches) are the same in every shard: they do not depend on the shard
    prior: ((first as { prior?: SearchReport['prior'] }).prior ?? []),
    verdicts,
    unconfirmed: used.flatMap((x) => (x.json.unconfirmed ?? []).map((u) => `shard ${shardText(x.json.shard)}: ${u}`)),
  };
  return { report, info: { shards: used.map((x) => ({ shard: x.json.shard, source: x.source })), count, missing, duplicates, mismatched, complete } };
}

/** One line naming what was merged, for the text report. */
export function mergeLine(info: MergeInfo): string {
  return [
    `merged ${info.shards.length} shard result${info.shards.length === 1 ? '' : 's'} of ${info.count}: ${info.shards.map((s) => `${shardText(s.shard)} (${s.source})`).join(', ')}`,
    info.missing.length ? ` — MISSING ${info.missing.map((i) => `${i}/${info.count}`).join(', ')}` : '',
    info.mismatched.length ? ` — MISMATCHED: ${info.mismatched.join('; ')}` : '',
    info.duplicates.length ? ` — ignored duplicates: ${info.duplicates.join(', ')}` : '',
  ].join('');
}
