/**
 * Multi-phase search (issue 13): which earlier phases a phase depends on, and running them
 * honestly before the attacker's configuration starts — a stated part of the bound.
 *
 * Dependencies are read off the typed flow, never a protocol-specific list: a role of phase X
 * needs every name it reads in X that it does not produce there (nor in the flow's `setup`, nor
 * as an identity). Such a name comes from the latest earlier phase in which the role `stores` it
 * (a registration's key pair, a treatment's medical index) or, for `knows NAME` of a published
 * value, from the phase in which its publisher `publishes` it. The closure of those phases (in
 * spec order) is what runs first.
 *
 * How they run (./execute.ts calls `runPriorPhases` at the start of every scenario, so a replay
 * re-runs them from the seed):
 *  - honestly, once, each phase with one session per role under the default binding (each role's
 *    declared principal), messages delivered in send order — as `bantam run` does. Their public
 *    messages go over the network the attacker observes, so they enter its knowledge;
 *  - then, when the bound's `insider` is on, once more for the attacker's identity in every role the
 *    configuration gives it that has prerequisites: the chain of earlier phases that provide that
 *    role's prerequisites, with the attacker's identity in the role and every other role's default
 *    principal opposite (e.g. registering it with the center). It runs them honestly too: it then
 *    holds a genuinely issued key pair and its entries in the environment (a ledger), and every value
 *    of those sessions is its own. A registration the environment refuses (one identity registered
 *    twice) is reported, not hidden.
 */
import type { TAction, TPhase, TypedProtocol } from '../flow-lang/typed.js';
import { runUntilQuiet, startSession, type Session, type World } from '../interpret/world.js';
import { namesBound, namesRead } from '../flow-lang/typed-names.js';

/** The role's actions in the phase, in program order. */
function actionsOf(ph: TPhase, role: string): TAction[] {
  const out = ph.local.filter((a) => a.party === role);
  for (const s of ph.steps) for (const a of [...s.before, ...s.after]) if (a.party === role) out.push(a);
  return out;
}

/**
 * Whether `role`'s program in `ph` depends on who plays `other`: it names `other`'s identity (in an
 * action or a field it sends or receives) or `knows` a value of `other`. If not, binding `other`
 * to one principal or another changes nothing the role does.
 */
export function refersTo(p: TypedProtocol, ph: TPhase, role: string, other: string): boolean {
  const ident = p.roles.find((r) => r.id === other)?.identity;
  const names = new Set<string>();
  for (const a of actionsOf(ph, role)) {
    if (a.kind === 'know' && a.names.some((n) => n.from.kind !== 'own' && n.from.role === other)) return true;
    if (a.kind === 'compute') {
      for (const n of namesRead(a.expr)) names.add(n);
      for (const n of namesBound(a.target)) names.add(n);
    } else if (a.kind === 'check') {
      for (const n of namesRead(a.left)) names.add(n);
      if (a.right) for (const n of namesRead(a.right)) names.add(n);
    } else if (a.kind === 'call') for (const x of a.args) for (const n of namesRead(x)) names.add(n);
    else if (a.kind === 'store' || a.kind === 'publish') for (const n of a.names) names.add(n);
  }
  for (const st of ph.steps) if (st.from === role || st.to === role) for (const f of st.fields) names.add(f.name);
  return ident !== undefined && names.has(ident);
}

/** Whether `role` does anything in `ph` (a participant with no action and no step runs no session). */
export function hasProgram(ph: TPhase, role: string): boolean {
  return actionsOf(ph, role).length > 0 || ph.steps.some((s) => s.from === role || s.to === role);
}

/**
 * Names `role` reads in `ph` before producing them there (in program order), other than setup
 * values and identities: what an earlier phase must have given it.
 */
function needs(p: TypedProtocol, ph: TPhase, role: string): { stored: Set<string>; published: Set<string> } {
  const defined = new Set<string>([p.generator, ...p.roles.map((r) => r.identity)]);
  const stored = new Set<string>();
  const published = new Set<string>();
  for (const a of p.setup) {
    if (a.party !== role && !(a.kind === 'share' && a.parties.includes(role))) continue;
    if (a.kind === 'generate' || a.kind === 'share') defined.add(a.name);
    if (a.kind === 'compute') for (const n of namesBound(a.target)) defined.add(n);
  }
  const read = (names: Iterable<string>) => {
    for (const n of names) if (!defined.has(n)) stored.add(n);
  };
  const act = (a: TAction) => {
    const r = new Set<string>();
    if (a.kind === 'generate') defined.add(a.name);
    else if (a.kind === 'compute') {
      for (const n of namesRead(a.expr)) r.add(n);
      read(r);
      for (const n of namesBound(a.target)) defined.add(n);
    } else if (a.kind === 'check') {
      for (const n of namesRead(a.left)) r.add(n);
      if (a.right) for (const n of namesRead(a.right)) r.add(n);
      read(r);
    } else if (a.kind === 'call') {
      for (const x of a.args) for (const n of namesRead(x)) r.add(n);
      read(r);
    } else if (a.kind === 'know') {
      for (const n of a.names) {
        if (n.from.kind === 'published' && !defined.has(n.name)) published.add(n.name);
        defined.add(n.name);
      }
    } else if (a.kind === 'store' || a.kind === 'publish') read(a.names);
  };
  for (const a of ph.local) if (a.party === role) act(a);
  for (const s of ph.steps) {
    if (s.from === role) {
      for (const a of s.before) if (a.party === role) act(a);
      read(s.fields.map((f) => f.name));
    }
    if (s.to === role) {
      for (const f of s.fields) defined.add(f.name);
      for (const a of s.after) if (a.party === role) act(a);
    }
  }
  return { stored, published };
}

/** The phases before `phaseIdx` that provide what `role` needs in it: (phase index, role that runs it there). */
function providers(p: TypedProtocol, phaseIdx: number, role: string): { idx: number; role: string }[] {
  const ph = p.phases[phaseIdx]!;
  const { stored, published } = needs(p, ph, role);
  const out: { idx: number; role: string }[] = [];
  for (const n of stored) {
    for (let i = phaseIdx - 1; i >= 0; i--) {
      if (actionsOf(p.phases[i]!, role).some((a) => a.kind === 'store' && a.names.includes(n))) {
        out.push({ idx: i, role });
        break;
      }
    }
  }
  for (const n of published) {
    const publisher = p.published.get(n);
    if (!publisher) continue;
    for (let i = phaseIdx - 1; i >= 0; i--) {
      if (actionsOf(p.phases[i]!, publisher).some((a) => a.kind === 'publish' && a.names.includes(n))) {
        out.push({ idx: i, role: publisher });
        break;
      }
    }
  }
  return out;
}

export interface PriorPlan {
  /** The phase searched. */
  phase: string;
  /** Every earlier phase it depends on, in spec order: run honestly first, with the default principals. */
  phases: string[];
  /** Per role of the phase with prerequisites: the earlier phases (in order) that give a principal that role's prerequisites. */
  chains: ReadonlyMap<string, string[]>;
}

/** The earlier phases `phase` depends on, derived from the flow (see the module comment). */
export function priorPlan(p: TypedProtocol, phase: string): PriorPlan {
  const x = p.phases.findIndex((ph) => ph.id === phase);
  const all = new Set<number>();
  const chainOf = (idx: number, role: string, into: Set<number>, seen: Set<string>) => {
    for (const pr of providers(p, idx, role)) {
      const k = `${pr.idx}|${pr.role}`;
      if (seen.has(k)) continue;
      seen.add(k);
      if (pr.role === role) into.add(pr.idx);
      chainOf(pr.idx, pr.role, into, seen);
    }
  };
  const closure = (idx: number, seen: Set<number>) => {
    for (const role of p.phases[idx]!.roles) {
      for (const pr of providers(p, idx, role)) {
        if (seen.has(pr.idx)) continue;
        seen.add(pr.idx);
        closure(pr.idx, seen);
      }
    }
  };
  if (x >= 0) closure(x, all);
  const chains = new Map<string, string[]>();
  if (x >= 0) {
    for (const role of p.phases[x]!.roles) {
      const own = new Set<number>();
      chainOf(x, role, own, new Set());
      if (own.size) chains.set(role, [...own].sort((a, b) => a - b).map((i) => p.phases[i]!.id));
    }
  }
  return { phase, phases: [...all].sort((a, b) => a - b).map((i) => p.phases[i]!.id), chains };
}

export interface PriorRun {
  /** Sessions of the prior phases (honest ones and the attacker identity's own). */
  sessions: Session[];
  /** The attacker identity's own prior sessions (all their values are its own). */
  own: Session[];
  /** One line per phase run, for the narration and the report. */
  lines: string[];
  /** Honest prior sessions that did not complete: the search of the phase then decides nothing. */
  failures: string[];
  /** The attacker identity's prior sessions that did not complete (a registration the environment refused). */
  refused: string[];
}

function defaultBinding(p: TypedProtocol): Record<string, string> {
  return Object.fromEntries(p.roles.map((r) => [r.id, r.principal]));
}

function runPhase(w: World, ph: TPhase, binding: Record<string, string>, label: string, out: PriorRun, mine?: string): void {
  const ss = ph.roles.map((role) => startSession(w, ph.id, role, binding, label));
  runUntilQuiet(w);
  out.sessions.push(...ss);
  if (mine) out.own.push(...ss.filter((s) => s.principal === mine));
  const bad = ss.filter((s) => s.status !== 'accepted');
  const who = Object.entries(binding).filter(([r]) => ph.roles.includes(r)).map(([r, x]) => `${r} = ${x}`).join(', ');
  out.lines.push(`${ph.id} (${who})${bad.length ? ` — did not complete: ${bad.map((s) => `${s.principal} as ${s.role}: ${s.abort ? `${s.abort.check} — ${s.abort.detail}` : s.status}`).join('; ')}` : ''}`);
  for (const s of bad) (mine ? out.refused : out.failures).push(`${ph.id}: ${s.principal} as ${s.role} ${s.abort ? `aborted at ${s.abort.check} — ${s.abort.detail}` : `did not finish (${s.status})`}`);
}

/**
 * Runs the plan's phases honestly on `w` (default principals), then each chain of a role in
 * `insiderRoles` with `attacker` in that role. Messages are delivered in send order; the network
 * records them for the attacker to observe.
 */
export function runPriorPhases(w: World, plan: PriorPlan, attacker: string, insiderRoles: readonly string[]): PriorRun {
  return runPriorPhasesFor(w, plan, insiderRoles.map((role) => ({ principal: attacker, role, own: true })));
}

/** A principal that plays a role of the searched phase other than the role's declared one: its prerequisites come through that role's chain. */
export interface PriorExtra {
  principal: string;
  role: string;
  /** The attacker's identity (its sessions' values are the attacker's own); otherwise an honest principal. */
  own?: boolean;
}

/**
 * Runs the plan's phases honestly on `w` (default principals), then, for each extra principal, the
 * chain of earlier phases of its role with it in that role (every other role by its declared
 * principal) — e.g. a second patient registered with the center before the searched phase runs.
 * Used by the search (the attacker's identity as an insider) and by the honest evidence runs
 * (./passive-runs.ts, ./honest-run.ts), so every multi-phase run is prepared the same way.
 */
export function runPriorPhasesFor(w: World, plan: PriorPlan, extras: readonly PriorExtra[]): PriorRun {
  const p = w.protocol;
  const out: PriorRun = { sessions: [], own: [], lines: [], failures: [], refused: [] };
  const base = defaultBinding(p);
  for (const id of plan.phases) runPhase(w, p.phases.find((x) => x.id === id)!, base, `prior:${id}`, out);
  const seen = new Set<string>();
  for (const x of extras) {
    const key = `${x.principal}|${x.role}`;
    if (seen.has(key) || (!x.own && base[x.role] === x.principal)) continue;
    seen.add(key);
    for (const id of plan.chains.get(x.role) ?? []) runPhase(w, p.phases.find((y) => y.id === id)!, { ...base, [x.role]: x.principal }, `prior:${id}:${x.principal}`, out, x.own ? x.principal : undefined);
  }
  return out;
}
