/**
 * A counterexample of a property campaign (`bantam props`) as a JSON file a person can read and
 * `bantam replay FILE` can run again (issue 14, item 3). The file holds both forms of the attack:
 *
 * - the readable one: each attacker/honest action as data and as a sentence (`describe`), the
 *   numbered trace the run printed, the property and why it failed;
 * - the short one: experiment, crypto suite, backend, seed, runs and fast-check's `path` /
 *   `replayPath` — the `bantam props --path … --replay-path …` command line, also stored.
 *
 * Replaying a command suite re-executes the stored actions on a fresh world from `worldSeed`
 * (`runActions`, real crypto), so the file alone determines the run; a custom experiment
 * (table-1) has no action list and is replayed by its fast-check path. A mutant's hunt
 * (`mutant:NAME`, ./claims.ts) replays against the same mutant.
 */
import { UserError } from '../spec/diagnostics.js';
import { describe, type Action } from './actions.js';
import { commandSuiteOf, retiredNote, runExperiment } from './claims.js';
import { PropertyViolation, runActions, type SuiteResult } from './runner.js';

export const ATTACK_FORMAT = 'bantam-attack';
export const ATTACK_VERSION = 1;

export interface AttackFile {
  format: typeof ATTACK_FORMAT;
  version: typeof ATTACK_VERSION;
  /** The experiment (`bantam props --only NAME`) and the property it refuted. */
  experiment: string;
  property: string;
  detail: string;
  /** Crypto suite and backend the run used. */
  suite: string;
  backend: string;
  /** fast-check seed, run count and counterexample path of the failing chunk (the short form). */
  seed: number;
  runs: number;
  path: string;
  replayPath: string | null;
  /** The short form as a command line. */
  command: string;
  /** Seed of the world (keys, nonces) the actions ran in. */
  worldSeed: number;
  /** The actions in order, each with the sentence the trace prints (empty for custom experiments). */
  steps: { action: Action; text: string }[];
  /** The numbered trace the failing run printed. */
  trace: string[];
}

/** The run count of a failure's replay command (a campaign chunk runs fewer than the campaign). */
function runsOf(command: string, fallback: number): number {
  const m = / --runs (\d+)/.exec(command);
  return m ? Number(m[1]) : fallback;
}

/** The attack file of a refuted experiment. */
export function attackFileOf(r: SuiteResult): AttackFile {
  const f = r.failure;
  if (r.ok || !f) throw new RangeError(`${r.name} held: there is no counterexample to save`);
  return {
    format: ATTACK_FORMAT,
    version: ATTACK_VERSION,
    experiment: r.name,
    property: f.property,
    detail: f.detail,
    suite: r.cryptoSuite,
    backend: r.cryptoBackend,
    seed: r.seed,
    runs: runsOf(f.replay, r.runs),
    path: f.path,
    replayPath: f.replayPath ?? null,
    command: f.replay,
    worldSeed: f.worldSeed,
    steps: f.actions.map((a) => ({ action: a, text: describe(a) })),
    trace: [...f.trace],
  };
}

/** Reads an attack file; anything malformed is a UserError naming the file and the field. */
export function parseAttackFile(text: string, file: string): AttackFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON (${(e as Error).message})`);
  }
  const bad = (what: string) => new UserError(`${file}: not a bantam attack file: ${what}`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('expected a JSON object');
  const o = v as Record<string, unknown>;
  if (o.format !== ATTACK_FORMAT) throw bad(`"format" must be "${ATTACK_FORMAT}"`);
  if (o.version !== ATTACK_VERSION) throw bad(`"version" ${JSON.stringify(o.version)} is not supported (this bantam reads version ${ATTACK_VERSION})`);
  for (const k of ['experiment', 'property', 'detail', 'suite', 'backend', 'path', 'command'] as const) if (typeof o[k] !== 'string') throw bad(`"${k}" must be a string`);
  for (const k of ['seed', 'runs', 'worldSeed'] as const) if (!Number.isSafeInteger(o[k])) throw bad(`"${k}" must be an integer`);
  if ((o.runs as number) < 1) throw bad('"runs" must be at least 1');
  if (o.replayPath !== null && typeof o.replayPath !== 'string') throw bad('"replayPath" must be a string or null');
  if (!/^(\d+(:\d+)*)?$/.test(o.path as string)) throw bad(`"path" must be fast-check's path (digits separated by ':'), got '${String(o.path)}'`);
  if (!Array.isArray(o.trace) || !o.trace.every((l) => typeof l === 'string')) throw bad('"trace" must be a list of strings');
  if (!Array.isArray(o.steps)) throw bad('"steps" must be a list');
  o.steps.forEach((s, i) => {
    const a = (s as { action?: { k?: unknown } } | null)?.action;
    if (typeof a !== 'object' || a === null || typeof a.k !== 'string') throw bad(`steps[${i}].action must be an action object with a kind "k"`);
    const fields = Object.values(a as Record<string, unknown>);
    if (!fields.every((x) => typeof x === 'string' || typeof x === 'boolean' || Number.isSafeInteger(x)) || typeof describe(a as Action) !== 'string') {
      throw bad(`steps[${i}].action is not a valid action (kind '${a.k}')`);
    }
  });
  return o as unknown as AttackFile;
}

export interface ReplayOutcome {
  /** True when the replay violated the property again (the attack still works). */
  reproduced: boolean;
  /** How it was replayed: the stored actions, or the fast-check path. */
  mode: 'actions' | 'path';
  property: string;
  detail: string;
  trace: string[];
}

/**
 * Runs the attack again. A command suite with stored actions replays them exactly (no search);
 * otherwise the experiment is rerun at the stored seed and path. `reproduced` is computed from
 * the run, never copied from the file.
 */
export function replayAttack(a: AttackFile): ReplayOutcome {
  const cmd = commandSuiteOf(a.experiment);
  if (cmd && a.steps.length > 0) {
    try {
      const w = runActions(cmd.def, a.steps.map((s) => s.action), a.worldSeed, { suite: a.suite, backend: a.backend, ...(cmd.wrapSuite ? { wrapSuite: cmd.wrapSuite } : {}) });
      return { reproduced: false, mode: 'actions', property: a.property, detail: 'no property was violated: the attack no longer works', trace: [...w.log] };
    } catch (e) {
      if (!(e instanceof PropertyViolation)) throw e;
      const v = e.violations[0]!;
      return { reproduced: true, mode: 'actions', property: v.property, detail: v.detail, trace: [...e.trace] };
    }
  }
  let r: SuiteResult;
  try {
    r = runExperiment(a.experiment, { runs: a.runs, seed: a.seed, suite: a.suite, backend: a.backend, ...(a.path ? { path: a.path } : {}), ...(a.replayPath ? { replayPath: a.replayPath } : {}) });
  } catch (e) {
    if (e instanceof RangeError && /unknown experiment/.test(e.message)) throw new UserError(`unknown experiment '${a.experiment}' in the attack file${retiredNote(a.experiment)}`);
    throw e;
  }
  if (r.ok || !r.failure) return { reproduced: false, mode: 'path', property: a.property, detail: 'no property was violated: the attack no longer works', trace: [] };
  return { reproduced: true, mode: 'path', property: r.failure.property, detail: r.failure.detail, trace: [...r.failure.trace] };
}
