/**
 * The generic attacker on several cores (`bantam claims SPEC --workers N`): the search (or one
 * shard of it, `--shard K/N`) is split into N sub-shards (./shard.ts `splitShard`), each searched
 * in a child process of the property campaigns' pool (src/adversary/pool.ts `runOnChildren`,
 * worker ./shard-worker.ts), and the results are merged (./merge.ts) exactly as shard files are.
 * With `stopAtFirst` the pool stops at the first shard that confirms an attack: the shards not
 * finished are missing from the merge, so every other query is "not tested" with that reason.
 */
import { fileURLToPath } from 'node:url';
import { runOnChildren } from '../adversary/pool.js';
import { loadExecutable } from '../interpret/load.js';
import { mergeShards, type MergeInfo, type ShardJson } from './merge.js';
import { queriesOf } from './queries.js';
import { reportJson } from './report.js';
import type { Bound, SearchReport } from './search.js';
import { analyseQueries } from './analyse.js';
import { splitShard, WHOLE, type Shard } from './shard.js';
import { specHash } from './spec-hash.js';

export interface ShardJob {
  readonly id: number;
  file: string;
  suite: string;
  seed: string;
  bound?: Partial<Bound>;
  shard: Shard;
  stopAtFirst?: boolean;
}

/** One shard, in this process: the JSON a worker sends back (and `claims SPEC --shard K/N --json` prints). */
export function runShardJob(job: Omit<ShardJob, 'id'>): ShardJson {
  const { spec, protocol } = loadExecutable(job.file);
  const report = analyseQueries(protocol, queriesOf(spec, protocol), { suite: job.suite, seed: job.seed, ...(job.bound ? { bound: job.bound } : {}), shard: job.shard, ...(job.stopAtFirst ? { stopAtFirst: true } : {}) });
  return { ...(reportJson(report, spec.file, specHash(spec)) as ShardJson), seed: job.seed };
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(FROM_SOURCE ? './shard-worker.ts' : './shard-worker.js', import.meta.url));

export interface ParallelOptions {
  suite: string;
  seed: string;
  bound?: Partial<Bound>;
  /** The part to search (default: all); it is split over the workers. */
  shard?: Shard;
  workers: number;
  stopAtFirst?: boolean;
}

/** Searches `file`'s queries on `workers` child processes and merges the shards' results. */
export async function searchAttacksParallel(file: string, o: ParallelOptions): Promise<{ report: SearchReport; info: MergeInfo; shards: ShardJson[] }> {
  const parts = splitShard(o.shard ?? WHOLE, o.workers);
  const jobs: ShardJob[] = parts.map((shard, id) => ({ id, file, suite: o.suite, seed: o.seed, ...(o.bound ? { bound: o.bound } : {}), shard, ...(o.stopAtFirst ? { stopAtFirst: true } : {}) }));
  const results = await runOnChildren<ShardJob, ShardJson>(WORKER, jobs, o.workers, o.stopAtFirst ? { stopWhen: (r) => r.queries.some((q) => q.verdict === 'refuted') } : {});
  const shards = [...results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  const of = o.shard ?? WHOLE;
  const { report, info } = mergeShards(
    shards.map((json) => ({ json, source: `worker ${parts.findIndex((p) => p.index === json.shard.index) + 1}/${o.workers}` })),
    of.count === 1 && parts.length === 1 ? undefined : { of, expect: parts },
  );
  return { report, info, shards };
}
