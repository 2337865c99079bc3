/**
 * Property campaigns on every core: jobs (an experiment with a run count and a seed) are handed to
 * child processes, one job at a time per child. A campaign splits each experiment's runs into
 * chunks with consecutive seeds (seed, seed+1, ...), so every chunk replays on its own from the
 * seed it reports, whatever the number of workers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SuiteResult } from './runner.js';

export interface Job {
  readonly id: number;
  readonly experiment: string;
  readonly opts: { runs: number; seed: number; suite: string; backend: string; path?: string; replayPath?: string };
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Splits `runs` of each experiment into up to `chunks` jobs with consecutive seeds. */
export function planJobs(experiments: readonly string[], o: { runs: number; seed: number; suite: string; backend?: string; chunks: number; path?: string; replayPath?: string }): Job[] {
  const backend = o.backend ?? 'noble';
  const jobs: Job[] = [];
  for (const experiment of experiments) {
    if (o.path !== undefined) {
      jobs.push({ id: jobs.length, experiment, opts: { runs: o.runs, seed: o.seed, suite: o.suite, backend, path: o.path, ...(o.replayPath ? { replayPath: o.replayPath } : {}) } });
      continue;
    }
    const k = Math.max(1, Math.min(o.chunks, Math.floor(o.runs / 4) || 1));
    const base = Math.floor(o.runs / k);
    for (let i = 0; i < k; i++) {
      const runs = base + (i < o.runs % k ? 1 : 0);
      jobs.push({ id: jobs.length, experiment, opts: { runs, seed: o.seed + i, suite: o.suite, backend } });
    }
  }
  return jobs;
}

/**
 * From source (tsx, tests) the worker is worker.ts and needs tsx's loader; from dist it is plain
 * worker.js. The path goes through `../adversary/` so it also holds when this module is bundled
 * into the CLI executable (dist/bin/*.js, one level below dist/ like dist/adversary/).
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(FROM_SOURCE ? '../adversary/worker.ts' : '../adversary/worker.js', import.meta.url));

/** Runs jobs on `workers` child processes; `onTick` is called once per completed fast-check run. */
export async function runJobs(jobs: readonly Job[], workers: number, onTick: () => void): Promise<Map<number, SuiteResult>> {
  return runOnChildren<Job, SuiteResult>(WORKER, jobs, workers, { onTick });
}

/** The worker processes of a campaign could not run (the CLI's exit 3). */
export class WorkerError extends Error {}

/**
 * A campaign: each named experiment's runs split into chunks by seed (planJobs), run on `workers` child
 * processes, and merged back into one result per experiment, in `names` order. `onRun(done, total)` after
 * each fast-check run; runs beyond `total` are fast-check shrinking a counterexample.
 */
export async function runCampaign(
  names: readonly string[],
  o: { runs: number; seed: number; suite: string; backend?: string; workers: number; path?: string; replayPath?: string; onRun?: (done: number, total: number) => void },
): Promise<SuiteResult[]> {
  const jobs = planJobs(names, { runs: o.runs, seed: o.seed, suite: o.suite, chunks: o.workers, ...(o.backend ? { backend: o.backend } : {}), ...(o.path !== undefined ? { path: o.path } : {}), ...(o.replayPath ? { replayPath: o.replayPath } : {}) });
  const total = jobs.reduce((n, j) => n + j.opts.runs, 0);
  let done = 0;
  let byJob: Map<number, SuiteResult>;
  try {
    byJob = await runJobs(jobs, o.workers, () => o.onRun?.(++done, total));
  } catch (e) {
    throw new WorkerError(e instanceof Error ? e.message : String(e));
  }
  return names.map((name) => mergeChunks(jobs.filter((j) => j.experiment === name).map((j) => byJob.get(j.id)!)));
}

/**
 * The pool itself, for any worker module that speaks the same messages (ready / tick / done / error;
 * src/attacker/shard-worker.ts is the other one): jobs go to `workers` forked children, one job at
 * a time each. `stopWhen(result)` returning true ends the pool early: the jobs not yet handed out
 * are dropped and the children this pool forked are killed (the generic attacker's first-attack mode).
 */
export async function runOnChildren<J extends { readonly id: number }, R>(
  workerFile: string,
  jobs: readonly J[],
  workers: number,
  o: { onTick?: () => void; stopWhen?: (result: R) => boolean } = {},
): Promise<Map<number, R>> {
  const results = new Map<number, R>();
  const queue = [...jobs];
  const execArgv = FROM_SOURCE ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  const n = Math.max(1, Math.min(workers, jobs.length));
  const children: ChildProcess[] = [];
  let stopped = false;
  let wake: () => void = () => {};
  const stop = new Promise<void>((resolve) => (wake = resolve));
  try {
    await Promise.race([
      stop,
      Promise.all(
        Array.from({ length: n }, () =>
          new Promise<void>((resolve, reject) => {
            const child = fork(workerFile, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
            children.push(child);
            const next = () => {
              const job = stopped ? undefined : queue.shift();
              if (!job) {
                // Done when the child has exited (and been reaped), so a caller timing the campaign
                // sees every child's CPU time (bench/campaign.bench.ts reads it from /proc).
                child.once('exit', () => resolve());
                child.disconnect();
                return;
              }
              child.send(job);
            };
            child.on('message', (m: { type: string; id?: number; result?: R; error?: string }) => {
              if (m.type === 'ready') next();
              else if (m.type === 'tick') o.onTick?.();
              else if (m.type === 'done') {
                results.set(m.id!, m.result!);
                if (o.stopWhen?.(m.result!)) {
                  stopped = true;
                  wake();
                  return;
                }
                next();
              } else if (m.type === 'error') reject(new Error(`worker failed on job ${m.id}: ${m.error}`));
            });
            child.on('error', reject);
            child.on('exit', (code) => {
              if (stopped) return resolve();
              if (code !== 0 && code !== null && queue.length) reject(new Error(`worker exited with code ${code}`));
            });
          }),
        ),
      ),
    ]);
  } finally {
    const exits: Promise<unknown>[] = [];
    for (const c of children) {
      if (stopped && c.exitCode === null && c.signalCode === null) {
        // killed and reaped before returning, so a caller timing the pool sees their CPU time too
        exits.push(new Promise((resolve) => c.once('exit', resolve)));
        c.kill();
      } else if (c.connected) c.disconnect();
    }
    await Promise.all(exits);
  }
  return results;
}

/** Merges the chunks of one experiment: holds if every chunk held; the first failing chunk is reported. */
export function mergeChunks(chunks: readonly SuiteResult[]): SuiteResult {
  const first = chunks[0]!;
  const failed = chunks.find((c) => !c.ok);
  const sum = (f: (c: SuiteResult) => number) => chunks.reduce((n, c) => n + f(c), 0);
  const merged: SuiteResult = {
    ...(failed ?? first),
    runs: sum((c) => c.runs),
    seeds: chunks.map((c) => c.seed),
    ok: !failed,
    ms: Math.max(...chunks.map((c) => c.ms)),
    coverage: {
      commands: sum((c) => c.coverage.commands),
      acceptances: sum((c) => c.coverage.acceptances),
      attackerSessions: sum((c) => c.coverage.attackerSessions),
      reveals: sum((c) => c.coverage.reveals),
    },
  };
  return merged;
}
