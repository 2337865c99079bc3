/**
 * Honest runs of one phase on the real interpreter, observed by a passive attacker (the evidence runs; ./honest-run.ts draws the honest run beside an attack): sessions
 * started under given role → principal bindings, every message delivered as sent
 * (`runUntilQuiet`), one run after the other. The evidence behind non-repudiation
 * (./non-repudiation.ts) and the linking game (./unlinkability.ts).
 *
 * Multi-phase: the earlier phases the phase depends on run first, through the same machinery as
 * the search (./prior-phases.ts): honestly once with the declared principals, then, for every
 * principal a binding puts in a role other than its declared one (a second patient of the linking
 * game), that role's chain of earlier phases with it in the role (e.g. its registration). A prior
 * session that does not complete is reported in `prior.failures`: the runs then decide nothing.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import { addPrincipal, createWorld, runUntilQuiet, startSession, type Session, type World } from '../interpret/world.js';
import { priorPlan, runPriorPhasesFor, type PriorExtra, type PriorRun } from './prior-phases.js';

export interface HonestRuns {
  world: World;
  /** runs[k][role]: the session of that role in run k. */
  runs: Record<string, Session>[];
  /** What ran before the phase (./prior-phases.ts); absent when the phase depends on none. */
  prior?: PriorRun;
}

/**
 * Runs each binding as one full run of `phase` (a session per role), in order; `principals` are
 * registered first, in this order. The prior phases run before (see the module comment), with
 * `extras` (and every principal the bindings put in a role other than its declared one) run
 * through their role's chain.
 */
export function honestRuns(protocol: TypedProtocol, suite: CryptoSuite, seed: string, phase: string, principals: readonly string[], bindings: readonly Record<string, string>[], extras: readonly PriorExtra[] = []): HonestRuns {
  const w = createWorld(protocol, { suite, seed, environments: ENVIRONMENTS });
  const roles = protocol.roles.map((r) => r.id);
  for (const id of principals) addPrincipal(w, id, roles);
  const ph = protocol.phases.find((x) => x.id === phase)!;
  const plan = priorPlan(protocol, phase);
  const declared = Object.fromEntries(protocol.roles.map((r) => [r.id, r.principal]));
  const all: PriorExtra[] = [...extras];
  for (const b of bindings) for (const [role, who] of Object.entries(b)) if (ph.roles.includes(role) && declared[role] !== who) all.push({ principal: who, role });
  const prior = plan.phases.length ? runPriorPhasesFor(w, plan, all) : undefined;
  const runs: Record<string, Session>[] = [];
  bindings.forEach((b, k) => {
    const run: Record<string, Session> = {};
    for (const role of ph.roles) run[role] = startSession(w, phase, role, b, `r${k + 1}`);
    runUntilQuiet(w);
    runs.push(run);
  });
  return { world: w, runs, ...(prior ? { prior } : {}) };
}

/** The declared principal of each role of the phase. */
export function declaredBinding(protocol: TypedProtocol, phase: string): Record<string, string> {
  const ph = protocol.phases.find((x) => x.id === phase)!;
  return Object.fromEntries(ph.roles.map((r) => [r, protocol.roles.find((x) => x.id === r)!.principal]));
}
