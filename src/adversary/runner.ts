/**
 * Runs a property suite: fast-check `commands` (model-based testing) over a fresh World per run,
 * invariants checked after every command, and — on failure — the shrunk counterexample replayed
 * into a numbered attack trace.
 */
import fc from 'fast-check';
import type { CryptoSuite } from '../crypto/suite.js';
import { apply, describe, ACTION_ARBS, type Action, type ActionName } from './actions.js';
import { checkAgreement, checkNonRepudiation, checkSecrecy, type PropertyName } from './invariants.js';
import { attackerStep, createWorld, say, type Violation, type World } from './world.js';

export interface SuiteDef {
  readonly name: string;
  readonly summary: string;
  /** Weighted actions the attacker (and the honest parties) may take. */
  readonly actions: readonly { readonly name: ActionName; readonly weight: number }[];
  readonly properties: readonly PropertyName[];
  readonly maxCommands: number;
}

export class PropertyViolation extends Error {
  constructor(
    readonly violations: readonly Violation[],
    readonly trace: readonly string[],
  ) {
    super(`${violations[0]!.property} violated: ${violations[0]!.detail}\n${trace.join('\n')}`);
    this.name = 'PropertyViolation';
  }
}

export interface RunOptions {
  runs: number;
  seed: number;
  /** fast-check replay path of a failure (with the same seed). */
  path?: string;
  replayPath?: string;
  suite?: string;
  /** Crypto backend (noble or native, src/crypto/index.ts); default noble. */
  backend?: string;
  wrapSuite?: (cs: CryptoSuite) => CryptoSuite;
  /** Skip shrinking (faster failure, longer trace). */
  noShrink?: boolean;
  onRun?: () => void;
}

export interface SuiteResult {
  readonly name: string;
  readonly ok: boolean;
  readonly runs: number;
  readonly seed: number;
  /** Seeds of every chunk a campaign split this experiment into (absent: just `seed`). */
  readonly seeds?: readonly number[];
  readonly cryptoSuite: string;
  /** The crypto backend the runs used (noble, native). */
  readonly cryptoBackend: string;
  readonly properties: readonly PropertyName[];
  /** Coverage: totals over all runs (shows the tests were not vacuous); acceptances exclude setup's. */
  readonly coverage: { commands: number; acceptances: number; attackerSessions: number; reveals: number };
  readonly failure?: {
    /** The exact command that replays this failure (its own seed, run count and path). */
    readonly replay: string;
    readonly path: string;
    /** fast-check's command replay path (`fc.commands` replayPath), with seed and path. */
    readonly replayPath?: string;
    readonly property: string;
    readonly detail: string;
    readonly trace: readonly string[];
    readonly actions: readonly Action[];
    readonly worldSeed: number;
  };
  readonly ms: number;
}

interface Model {
  n: number;
}

function check(w: World, def: SuiteDef, final: boolean): Violation[] {
  const want = new Set(def.properties);
  const out: Violation[] = w.violations.filter((v) => want.has(v.property as PropertyName));
  if (want.has('agreement') || want.has('unregistered')) out.push(...checkAgreement(w).filter((v) => want.has(v.property as PropertyName)));
  if (want.has('secrecy')) out.push(...checkSecrecy(w));
  if (final && want.has('non-repudiation')) out.push(...checkNonRepudiation(w));
  return out;
}

type ActionCommand = fc.Command<Model, World> & { readonly action: Action };

function command(a: Action, def: SuiteDef): ActionCommand {
  const text = describe(a);
  return {
    action: a,
    check: () => true,
    run(m, w) {
      m.n++;
      w.clock++;
      const what = apply(w, a);
      say(w, `${w.clock}. ${text} → ${what}`);
      // The attacker answers messages sent to its own sessions at once (bounded).
      for (let n = 0; n < 6; n++) {
        const r = attackerStep(w);
        if (r === null) break;
        say(w, `   ↳ ${r}`);
      }
      const v = check(w, def, false);
      if (v.length) throw new PropertyViolation(v, w.log);
    },
    toString: () => text,
  };
}

export function actionArbitrary(def: SuiteDef): fc.Arbitrary<Action> {
  return fc.oneof(...def.actions.map((x) => ({ arbitrary: ACTION_ARBS[x.name] as fc.Arbitrary<Action>, weight: x.weight })));
}

/** Executes one run (also used to replay a counterexample). */
export function runActions(def: SuiteDef, actions: readonly Action[], worldSeed: number, opts: Pick<RunOptions, 'suite' | 'backend' | 'wrapSuite'>): World {
  const w = createWorld({ suite: opts.suite ?? 'ristretto255', backend: opts.backend ?? 'noble', seed: worldSeed, ...(opts.wrapSuite ? { wrapSuite: opts.wrapSuite } : {}) });
  say(w, `0. setup: ${w.sys.suite.name}, seed ${worldSeed}; PAT-1, PAT-2, HPA, HPB registered; insider HPM registered (attacker holds its key); PAT-X unregistered; PAT-1 completed initial treatment at HPA`);
  const m: Model = { n: 0 };
  for (const a of actions) command(a, def).run(m, w);
  const v = check(w, def, true);
  if (v.length) throw new PropertyViolation(v, w.log);
  return w;
}

export function runSuite(def: SuiteDef, opts: RunOptions): SuiteResult {
  const t0 = performance.now();
  const cov = { commands: 0, acceptances: 0, attackerSessions: 0, reveals: 0 };
  const cmds = fc.commands([actionArbitrary(def).map((a) => command(a, def))], {
    maxCommands: def.maxCommands,
    size: 'max',
    ...(opts.replayPath ? { replayPath: opts.replayPath } : {}),
  });
  const arb = fc.tuple(cmds, fc.nat({ max: 1_000_000 }));
  const prop = fc.property(arb, ([commands, worldSeed]) => {
    opts.onRun?.();
    const w = createWorld({ suite: opts.suite ?? 'ristretto255', backend: opts.backend ?? 'noble', seed: worldSeed, ...(opts.wrapSuite ? { wrapSuite: opts.wrapSuite } : {}) });
    const m: Model = { n: 0 };
    try {
      fc.modelRun(() => ({ model: m, real: w }), commands);
      const v = check(w, def, true);
      if (v.length) throw new PropertyViolation(v, w.log);
    } finally {
      cov.commands += m.n;
      cov.acceptances += w.acceptances.filter((a) => a.clock > 0).length; // after setup
      cov.attackerSessions += w.attacker.size;
      cov.reveals += w.compromise.longTerm.size - 1 + w.compromise.sessionKeys.size + w.compromise.ephemerals.size + (w.compromise.center !== null ? 1 : 0);
    }
  });
  const details = fc.check(prop, {
    numRuns: opts.runs,
    seed: opts.seed,
    ...(opts.path ? { path: opts.path } : {}),
    ...(opts.noShrink ? { endOnFailure: true } : {}),
  });
  const base = {
    name: def.name,
    runs: details.numRuns,
    seed: opts.seed,
    cryptoSuite: opts.suite ?? 'ristretto255',
    cryptoBackend: opts.backend ?? 'noble',
    properties: def.properties,
    coverage: cov,
  };
  if (!details.failed || !details.counterexample) return { ...base, ok: true, ms: performance.now() - t0 };
  const [commands, worldSeed] = details.counterexample[0];
  // fast-check hands back its command wrappers: keep the actions of the commands that ran.
  const actions: Action[] = [];
  for (const c of commands as Iterable<unknown>) {
    const wr = c as { hasRan?: boolean; cmd?: ActionCommand; action?: Action };
    const a = wr.cmd?.action ?? wr.action;
    if (a && wr.hasRan !== false) actions.push(a);
  }
  const meta = /replayPath="([^"]*)"/.exec(String(commands));
  let trace: readonly string[] = [];
  let property = 'error';
  let detail = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  try {
    runActions(def, actions, worldSeed, opts);
    detail = `the shrunk counterexample did not reproduce: ${detail}`;
  } catch (e) {
    if (e instanceof PropertyViolation) {
      trace = e.trace;
      property = e.violations[0]!.property;
      detail = e.violations[0]!.detail;
    } else detail = e instanceof Error ? e.message : String(e);
  }
  return {
    ...base,
    ok: false,
    ms: performance.now() - t0,
    failure: {
      replay: replayCommand(def.name, base.cryptoSuite, opts.seed, opts.runs, details.counterexamplePath ?? '', meta?.[1], base.cryptoBackend),
      path: details.counterexamplePath ?? '',
      ...(meta ? { replayPath: meta[1]! } : {}),
      property,
      detail,
      trace,
      actions,
      worldSeed,
    },
  };
}

/** `bantam props` command line that replays one failure. */
export function replayCommand(name: string, suite: string, seed: number, runs: number, path: string, replayPath?: string, backend = 'noble'): string {
  return `bantam props --only ${name} --suite ${suite} --seed ${seed} --runs ${runs}${path ? ` --path ${path}` : ''}${replayPath ? ` --replay-path '${replayPath}'` : ''} --backend ${backend}`;
}
