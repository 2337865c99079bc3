/**
 * Copies of an interpreter world (src/interpret/world.ts), so that the attacker's search can fork a
 * run's state instead of re-running its whole prefix from the seed (./search.ts, ./execute.ts
 * `execute(ctx, sc, narrate, from)`): every child of a search state starts from a copy of its
 * parent's world and knowledge and applies one more move.
 *
 * A copy behaves exactly as the original would from that moment on: every random stream continues
 * from the same position (src/crypto/rng.ts `cloneRng`), every mutable container (principals'
 * stores and published values, sessions' values, shared keys, the network's queue and log, the
 * trace, the environment's state) is copied, and what is never mutated once made (values, points,
 * envelopes, trace events, a role's setup values, a session that accepted or aborted, the typed
 * protocol, the suite) is shared. Operating on the copy never
 * changes the original, and the reverse.
 *
 * Not copied: the cost book (src/interpret/costs.ts). The copy gets a fresh one, counting from the
 * copy on; the attacker never reads costs (bantam costs runs its own worlds).
 *
 * A world cannot be copied (undefined) when one of its streams is not seeded or its environment
 * module has no `fork`: the caller then re-runs from the seed, as before.
 */
import { cloneRng } from '../crypto/rng.js';
import type { Rng } from '../crypto/suite.js';
import { createTracer } from '../net/trace.js';
import { createCostBook } from '../interpret/costs.js';
import { createFlowNetwork } from '../interpret/network.js';
import type { Principal, Session, World } from '../interpret/world.js';
import type { Knowledge } from './knowledge.js';
import type { MoveOutcome, Move, RunState, Scenario, SessionSpec } from './execute.js';
import type { PriorRun } from './prior-phases.js';

/** What a run continuing a state needs besides the state itself (./execute.ts RunState.resume). */
export interface Resume {
  /** The sessions started and the moves made so far (the prefix this state is the run of). */
  config: readonly SessionSpec[];
  moves: readonly Move[];
  /** Envelopes of the network's public log already observed. */
  seen: number;
  /** Ciphertext × key pairs already tried by the closure (./deduce.ts openAll). */
  tried: Set<string>;
  /** Group-algebra questions already put for waiting receivers (./predict.ts learnPredictable). */
  asked: Set<string>;
  /** The attacker's streams. */
  arng: Rng;
  openRng: Rng;
}

/**
 * A copy of a run's state for a run of `sc` to continue from (./execute.ts `execute(..., from)`),
 * or undefined when it cannot be copied. Throws when `sc` does not extend the run's scenario (its
 * first sessions and moves must be the very objects the state ran): that is a bug of the caller.
 */
export function forkRun(
  st: RunState,
  sc: Scenario,
): { world: World; knowledge: Knowledge; sessions: Session[]; outcomes: MoveOutcome[]; story: string[][]; prior: PriorRun | undefined; earlier: Session[] | undefined; resume: Resume } | undefined {
  const r = st.resume;
  if (!r) return undefined;
  if (r.config.length > sc.config.length || r.moves.length > sc.moves.length || r.config.some((c, i) => sc.config[i] !== c) || r.moves.some((m, i) => sc.moves[i] !== m)) {
    throw new Error('forkRun: the scenario does not extend the state it continues from');
  }
  const c = copyWorld(st.world);
  const arng = cloneRng(r.arng);
  const openRng = cloneRng(r.openRng);
  if (!c || !arng || !openRng) return undefined;
  return {
    world: c.world,
    knowledge: st.knowledge.fork(),
    sessions: st.sessions.map(c.session),
    outcomes: st.outcomes.slice(),
    story: st.story.map((b) => b.slice()),
    prior: st.prior,
    earlier: st.earlier?.map(c.session),
    resume: { config: r.config, moves: r.moves, seen: r.seen, tried: new Set(r.tried), asked: new Set(r.asked), arng, openRng },
  };
}

/** A copy of `w` and the map from its sessions to the copy's, or undefined when `w` cannot be copied. */
export function copyWorld(w: World): { world: World; session: (s: Session) => Session } | undefined {
  const rngs = new Map<Rng, Rng>();
  const copyRng = (r: Rng): Rng | undefined => {
    let c = rngs.get(r);
    if (!c) {
      c = cloneRng(r);
      if (c) rngs.set(r, c);
    }
    return c;
  };
  const root = copyRng(w.root);
  if (!root) return undefined;
  const principals = new Map<string, Principal>();
  for (const [id, p] of w.principals) {
    const rng = copyRng(p.rng);
    if (!rng) return undefined;
    // a role's setup values are complete once addPrincipal returns (never changed after): shared
    principals.set(id, { id: p.id, rng, setup: new Map(p.setup), store: new Map(p.store), published: new Map(p.published) });
  }
  let env: World['env'];
  if (w.env) {
    const state = w.env.module.fork?.(w.env.state, { principals: () => [...principals.keys()], published: (p, n) => principals.get(p)?.published.get(n) });
    if (state === undefined) return undefined;
    env = { module: w.env.module, state };
  }
  const tracer = createTracer(w.tracer.trace.suite, w.tracer.trace.seed);
  // trace events are never mutated once emitted: the copy shares them
  tracer.trace.events = w.tracer.trace.events.slice();
  Object.assign(tracer.trace.roles!, w.tracer.trace.roles);
  const sessions = new Map<Session, Session>();
  // a session that accepted or aborted never changes again (nothing is delivered to it): shared
  for (const s of w.sessions) sessions.set(s, s.status === 'accepted' || s.status === 'aborted' ? s : { ...s, values: new Map(s.values) });
  const world: World = {
    protocol: w.protocol,
    suite: w.suite,
    seed: w.seed,
    tracer,
    network: createFlowNetwork(tracer, w.network.snapshot()),
    costs: createCostBook(w.suite),
    principals,
    sessions: [...sessions.values()],
    ...(env ? { env } : {}),
    shared: new Map(w.shared),
    root,
    rngLabel: w.rngLabel,
    tagNames: w.tagNames,
    // a dishonest party's substitutions (the fault sweep) are a pure function of the request: shared
    ...(w.dishonest ? { dishonest: w.dishonest } : {}),
  };
  return {
    world,
    session: (s) => {
      const c = sessions.get(s);
      if (!c) throw new Error('copyWorld: a session of another world');
      return c;
    },
  };
}
