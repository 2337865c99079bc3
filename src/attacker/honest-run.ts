/**
 * The honest run an attack deviates from: the sessions of the attack's configuration run
 * honestly with each other, in a world built from the same seed (the same principals, keys and
 * per-principal RNGs as the attack's replay, ./execute.ts), with no attacker on the network.
 *
 * Each configured session names a phase and a binding (role → principal). Sessions that share a
 * phase and a binding belong to one run of the protocol; for each such run every role of the
 * phase gets a session under that binding (the configured ones, and the partners the attacker
 * stood in for — a partner bound to the attacker's identity M is run honestly by the interpreter
 * with M's own keys, as an honest M would). Runs start phase by phase in the spec's order, one
 * run after another, each delivered in send order until no message is pending, as `bantam run`
 * does (src/interpret/run.ts). So the picture shows, for every session the attacker touched, the
 * messages it would have exchanged had nobody interfered.
 *
 * Multi-phase: the phases the configuration's phase depends on run first, exactly as in the
 * attack's replay (./prior-phases.ts: honestly with the declared principals, then the attacker's
 * identity through the chains of the roles the configuration gives it, when the context is an
 * insider's), so the honest sessions hold their registrations and earlier records. Those prior
 * sessions are in the trace and listed as runs labelled `prior:…`.
 */
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import { addPrincipal, createWorld, runUntilQuiet, startSession, type World } from '../interpret/world.js';
import type { Trace } from '../net/trace.js';
import { insiderRoles, type AttackContext, type Scenario, type SessionSpec } from './execute.js';
import { runPriorPhases } from './prior-phases.js';

export interface HonestRun {
  /** The run's trace (the same format as a `bantam run` trace). */
  trace: Trace;
  /** One entry per honest protocol run: its phase and binding, and the session labels it used. */
  runs: { phase: string; binding: Record<string, string>; sessions: { label: string; role: string; principal: string; status: string }[] }[];
  /** The world it ran in (principals, keys, sessions). */
  world: World;
}

const bindingKey = (s: SessionSpec) => `${s.phase}|${Object.entries(s.binding).sort(([a], [b]) => a.localeCompare(b)).map(([r, p]) => `${r}=${p}`).join(',')}`;

/** The honest counterpart of `sc`'s configuration (its moves are not used: nobody interferes). */
export function honestRunOf(ctx: AttackContext, sc: Scenario): HonestRun {
  const p = ctx.protocol;
  const w = createWorld(p, { suite: ctx.suite, seed: ctx.seed, environments: ENVIRONMENTS });
  const roles = p.roles.map((r) => r.id);
  for (const id of [...ctx.honest, ctx.attacker]) addPrincipal(w, id, roles);
  const runs: HonestRun['runs'] = [];
  // multi-phase: the prior phases first, as in the attack's replay (./execute.ts)
  const phase = sc.config[0]?.phase;
  const plan = phase !== undefined ? ctx.prior(phase) : undefined;
  if (plan && plan.phases.length) {
    const prior = runPriorPhases(w, plan, ctx.attacker, ctx.insider ? insiderRoles(plan, sc.config, ctx.attacker) : []);
    const byLabel = new Map<string, typeof prior.sessions>();
    for (const s of prior.sessions) byLabel.set(s.id, [...(byLabel.get(s.id) ?? []), s]);
    for (const [label, ss] of byLabel) runs.push({ phase: ss[0]!.phase.id, binding: { ...ss[0]!.binding }, sessions: ss.map((s) => ({ label, role: s.role, principal: s.principal, status: s.status })) });
  }
  // one protocol run per distinct (phase, binding), in order of first appearance
  const groups = new Map<string, SessionSpec>();
  for (const s of sc.config) if (!groups.has(bindingKey(s))) groups.set(bindingKey(s), s);
  let n = 0;
  for (const ph of p.phases) {
    for (const g of groups.values()) {
      if (g.phase !== ph.id) continue;
      const label = `h${++n}`;
      const sessions = ph.roles.filter((r) => g.binding[r] !== undefined).map((r) => startSession(w, ph.id, r, g.binding, label));
      // each run to its end before the next starts, so the picture shows one run after another
      runUntilQuiet(w);
      runs.push({ phase: ph.id, binding: { ...g.binding }, sessions: sessions.map((s) => ({ label: s.id, role: s.role, principal: s.principal, status: s.status })) });
    }
  }
  return { trace: w.tracer.trace, runs, world: w };
}

/** One line per honest protocol run: its label, phase, binding and each session's outcome (the diagram's closing note). */
export function honestRunSummary(h: HonestRun): string[] {
  return [
    "the attack's sessions run with each other: same seed, same keys, no attacker",
    ...h.runs.map((r) => {
      const who = Object.entries(r.binding).map(([role, p]) => `${role} = ${p}`).join(', ');
      const outcomes = r.sessions.map((s) => `${s.principal} as ${s.role} ${s.status}`).join(', ');
      return `run ${r.sessions[0]?.label ?? '?'} (${r.phase}: ${who}): ${outcomes}`;
    }),
  ];
}
