/**
 * Honest runs of one phase on the real interpreter, observed by a passive attacker (the evidence runs; ./honest-run.ts draws the honest run beside an attack): sessions
 * started under given role → principal bindings, every message delivered as sent
 * (`runUntilQuiet`), one run after the other. The evidence behind non-repudiation
 * (./non-repudiation.ts) and the linking game (./unlinkability.ts).
 */
import type { CryptoSuite } from '../crypto/suite.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import { addPrincipal, createWorld, runUntilQuiet, startSession, type Session, type World } from '../interpret/world.js';

export interface HonestRuns {
  world: World;
  /** runs[k][role]: the session of that role in run k. */
  runs: Record<string, Session>[];
}

/** Runs each binding as one full run of `phase` (a session per role), in order; `principals` are registered first, in this order. */
export function honestRuns(protocol: TypedProtocol, suite: CryptoSuite, seed: string, phase: string, principals: readonly string[], bindings: readonly Record<string, string>[]): HonestRuns {
  const w = createWorld(protocol, { suite, seed, environments: ENVIRONMENTS });
  const roles = protocol.roles.map((r) => r.id);
  for (const id of principals) addPrincipal(w, id, roles);
  const ph = protocol.phases.find((x) => x.id === phase)!;
  const runs: Record<string, Session>[] = [];
  bindings.forEach((b, k) => {
    const run: Record<string, Session> = {};
    for (const role of ph.roles) run[role] = startSession(w, phase, role, b, `r${k + 1}`);
    runUntilQuiet(w);
    runs.push(run);
  });
  return { world: w, runs };
}

/** The declared principal of each role of the phase. */
export function declaredBinding(protocol: TypedProtocol, phase: string): Record<string, string> {
  const ph = protocol.phases.find((x) => x.id === phase)!;
  return Object.fromEntries(ph.roles.map((r) => [r, protocol.roles.find((x) => x.id === r)!.principal]));
}
