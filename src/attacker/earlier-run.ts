/**
 * A compromise between sessions (`given reveal NAME of ROLE in an earlier session`, ./queries.ts):
 * before the configuration's sessions start, one earlier run of the query's phase is played to its
 * end — honestly, every role with a program played by its declared principal, messages delivered
 * in send order over the network the attacker observes, as `bantam run` does — and then NAME of
 * that run's ROLE session is handed to the attacker (./compromise.ts). The searched sessions come
 * after: the attacker may replay the old run's messages to them and use the old value (Denning and
 * Sacco's replay of a compromised session key to Needham–Schroeder shared key's B).
 *
 * The earlier run is part of the bound (one run, honest, the declared principals); its sessions are
 * labelled EARLIER_LABEL, are never claims of a query, and count as partners for agreement (an old
 * session that did agree on a value is not forgotten: only fresh evidence refutes agreement).
 */
import { runUntilQuiet, startSession, type Session, type World } from '../interpret/world.js';
import { hasProgram } from './prior-phases.js';
import type { AttackContext } from './execute.js';

/** The session label of the earlier run's sessions. */
export const EARLIER_LABEL = 'earlier';

/** Plays the earlier honest run of `phase` in `w` and returns its sessions (each should accept). */
export function runEarlier(ctx: AttackContext, w: World, phase: string): Session[] {
  const ph = ctx.protocol.phases.find((x) => x.id === phase);
  if (!ph) return [];
  const binding = Object.fromEntries(ctx.protocol.roles.filter((r) => ph.roles.includes(r.id)).map((r) => [r.id, r.principal]));
  const sessions = ph.roles.filter((r) => hasProgram(ph, r)).map((r) => startSession(w, phase, r, binding, EARLIER_LABEL));
  runUntilQuiet(w);
  return sessions;
}

/** One line for narration and the bound: the earlier run and how each of its sessions ended. */
export function earlierText(sessions: readonly Session[]): string {
  const ph = sessions[0]?.phase.id ?? '?';
  return `an earlier run of phase ${ph}, played honestly before the searched sessions (part of the bound): ${sessions.map((s) => `${s.principal} as ${s.role} ${s.status}`).join(', ')}`;
}
