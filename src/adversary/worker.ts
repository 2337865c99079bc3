/**
 * Child process of a property campaign (./pool.ts): receives one job, runs it, reports each run
 * (for the progress bar) and the result, then waits for the next job.
 */
import { runExperiment } from './claims.js';
import type { Job } from './pool.js';

process.on('message', (job: Job) => {
  try {
    const r = runExperiment(job.experiment, { ...job.opts, onRun: () => process.send?.({ type: 'tick' }) });
    process.send?.({ type: 'done', id: job.id, result: r });
  } catch (e) {
    process.send?.({ type: 'error', id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
process.send?.({ type: 'ready' });
