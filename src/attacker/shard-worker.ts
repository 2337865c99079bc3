/**
 * Child process of a parallel generic-attacker search (./parallel.ts, through the property
 * campaigns' pool src/adversary/pool.ts): receives one shard job, loads the spec itself, searches
 * that shard and sends back its JSON result (the shape `claims SPEC --shard K/N --json` prints),
 * which ./merge.ts combines.
 */
import type { ShardJob } from './parallel.js';
import { runShardJob } from './parallel.js';

process.on('message', (job: ShardJob) => {
  try {
    process.send?.({ type: 'done', id: job.id, result: runShardJob(job) });
  } catch (e) {
    process.send?.({ type: 'error', id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
process.send?.({ type: 'ready' });
