/**
 * Runs one attack scenario on the real interpreter: a configuration (the sessions the
 * attacker starts, each a role of a phase under a role → principal binding that may name the
 * attacker's identity) and a list of moves (a message built from the attacker's knowledge,
 * delivered to a waiting session). Everything is deterministic from the seed, so a scenario
 * replays exactly from its record — that is how the search explores (./search.ts) and how every
 * attack is confirmed before it is reported (./search.ts).
 *
 * The attacker's moves go through the interpreter's network (inject, then deliver) and every
 * value it builds goes through the primitive table's `eval`, as the parties' own do.
 */
import { utf8 } from '../crypto/encoding.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite, Rng } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME } from '../flow-lang/primitives.js';
import { showSort, type Sort } from '../flow-lang/sorts.js';
import type { TExpr, TStep, TypedProtocol } from '../flow-lang/typed.js';
import { EncodeError, showValue, type Value } from '../flow-lang/values.js';
import { decodeMessage, encodeMessage } from '../interpret/wire.js';
import { AAD_PREFIX, addPrincipal, createWorld, deliver, revealPrincipal, startSession, type Session, type World } from '../interpret/world.js';
import { rereads } from './confusion.js';
import { evalCtxOf, openAll, type Learn } from './deduce.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import { createKnowledge, keyOf, type Item, type Knowledge } from './knowledge.js';
import { priorPlan, runPriorPhases, type PriorPlan, type PriorRun } from './prior-phases.js';
import { learnPredictable, predict, predictKey } from './predict.js';
import { earlierText, runEarlier } from './earlier-run.js';
import { forkRun, type Resume } from './world-snapshot.js';
import { checkOf, consumerOf, forgeTemplatesOf, leaves, openingsOf, shapeOf, type FieldConsumer, type ForgeTemplate, type Opening, type Shape } from './templates.js';

/** One session the attacker starts: `role` of `phase`, played by binding[role]. */
export interface SessionSpec {
  phase: string;
  role: string;
  binding: Record<string, string>;
}

/**
 * A plaintext built from known items, in the shape the receiver reads it; a leaf may be re-made
 * (Forge), or be another field of the same message (`field`: a receiver's prediction, ./predict.ts).
 * `dlogTimes`: not the field itself but k·B, where k is a discrete log the attacker knows of the point
 * sent in that field (1 for the generator, or a scalar it holds) and B the known point `dlogTimes` —
 * the receiver's a·F predicted as k·(a·G) (./predict.ts; the attacker's own scalar choice).
 */
export type Plain = number | Plain[] | Forge | { field: string; dlogTimes?: Plain };

/** A signature, MAC or hash re-made by one of the spec's own constructions over known items. */
export interface Forge {
  /** A primitive of the table, or (env) a public function of the spec's environment. */
  forge: string;
  env?: boolean;
  args: ({ lit: string; sort: Sort } | { plain: Plain; sort: Sort })[];
  sort: Sort;
  ad?: string;
}

export type Recipe =
  | { kind: 'known'; item: number }
  /** `key`: a known item, or (./predict.ts) the receiver's own key rebuilt from the knowledge and the message. */
  | { kind: 'build'; prim: string; key: Plain; plain: Plain; plainSort: Sort; sort: Sort; ad?: string }
  | { kind: 'forge'; forge: Forge };

export interface Move {
  /** Index of the receiving session in the configuration. */
  session: number;
  step: string;
  fields: { name: string; recipe: Recipe }[];
}

export interface Scenario {
  config: SessionSpec[];
  moves: Move[];
}

export interface AttackContext {
  protocol: TypedProtocol;
  suite: CryptoSuite;
  seed: string;
  honest: readonly string[];
  attacker: string;
  openings: readonly Opening[];
  forges: ReadonlyMap<string, ForgeTemplate[]>;
  consumers: Map<string, FieldConsumer | undefined>;
  /** Answers of the group algebra to ./predict.ts learnPredictable's questions (a cache owned by the run: same bytes and knowledge, same answer). */
  algebraAnswers: Map<string, string | null>;
  /** Compromise events of the queries searched (./compromise.ts): hands revealed values to the attacker as they come to exist. */
  compromise?: (w: World, learn: Learn) => void;
  /** The earlier phases a phase depends on (./prior-phases.ts), memoised. */
  prior(phase: string): PriorPlan;
  /**
   * Multi-phase: the attacker's identity is registered, through the honest prior phases, in every
   * role the configuration gives it (an insider with a genuinely issued key pair).
   */
  insider: boolean;
  /** A query reveals a value of an earlier session (./earlier-run.ts): one earlier honest run of the phase is played first. */
  earlier?: boolean;
}

/** Roles of the phase with prerequisites that the configuration gives the attacker's identity (as runner or peer). */
export function insiderRoles(plan: PriorPlan, config: readonly SessionSpec[], attacker: string): string[] {
  const roles = new Set<string>();
  for (const s of config) for (const [r, x] of Object.entries(s.binding)) if (x === attacker && plan.chains.has(r)) roles.add(r);
  return [...plan.chains.keys()].filter((r) => roles.has(r));
}

/** Most re-made values per slot (a stated part of the bound). */
export const FORGE_CAP = 8;

export type MoveOutcome = { kind: 'ok' | 'accepted' } | { kind: 'aborted'; detail: string } | { kind: 'rejected'; detail: string } | { kind: 'invalid'; detail: string };

export interface RunState {
  world: World;
  knowledge: Knowledge;
  sessions: Session[];
  outcomes: MoveOutcome[];
  /** Narration, when asked for: one block per start and per move. */
  story: string[][];
  /** Multi-phase: what the prior phases ran (./prior-phases.ts). */
  prior?: PriorRun;
  /** The earlier honest run's sessions (./earlier-run.ts), when a query reveals a value of one. */
  earlier?: Session[];
  /** What a run continuing this one needs besides the above (`execute`'s `from`; ./world-snapshot.ts). */
  resume?: Resume;
}

export function attackContext(protocol: TypedProtocol, suite: CryptoSuite, seed: string, opts: { insider?: boolean } = {}): AttackContext {
  const honest = [...new Set(protocol.roles.map((r) => r.principal))];
  // a name no trace can mistake for a role or an honest party (a spec's own principal of that name gets a number)
  let attacker = 'Attacker';
  for (let i = 2; honest.includes(attacker); i++) attacker = `Attacker${i}`;
  const plans = new Map<string, PriorPlan>();
  const prior = (phase: string) => plans.get(phase) ?? plans.set(phase, priorPlan(protocol, phase)).get(phase)!;
  return { protocol, suite, seed, honest, attacker, openings: openingsOf(protocol), forges: forgeTemplatesOf(protocol), consumers: new Map(), algebraAnswers: new Map(), prior, insider: opts.insider ?? true };
}

function stepOf(p: TypedProtocol, id: string): TStep | undefined {
  for (const ph of p.phases) for (const s of ph.steps) if (s.id === id) return s;
  return undefined;
}

export function describeItem(ctx: AttackContext, k: Knowledge, id: number): string {
  const it = k.items[id]!;
  return `${it.name ?? showSort(it.value.sort)}#${id}`;
}

export function describeRecipe(ctx: AttackContext, k: Knowledge, r: Recipe): string {
  if (r.kind === 'known') return describeItem(ctx, k, r.item);
  const plain = (p: Plain): string =>
    typeof p === 'number' ? describeItem(ctx, k, p) : Array.isArray(p) ? `(${p.map(plain).join(', ')})` : 'field' in p ? (p.dlogTimes === undefined ? `the ${p.field} sent` : `dlog(the ${p.field} sent)·${plain(p.dlogTimes)}`) : `${p.forge}(${p.args.map((a) => ('lit' in a ? JSON.stringify(a.lit) : plain(a.plain))).join(', ')})`;
  if (r.kind === 'forge') return plain(r.forge);
  return `${r.prim}(${plain(r.key)}, ${plain(r.plain)})`;
}

/**
 * A discrete log the attacker knows of point `v`: 1 for the generator, else a scalar of its knowledge
 * whose multiple of the generator is `v` (its own keys, a revealed key). The attacker's own scalar
 * choice: sending such a point, it can compute what the receiver makes of it.
 */
export function dlogKnown(suite: CryptoSuite, K: Knowledge, v: Value): Value | undefined {
  const key = keyOf(suite, v);
  if (key === keyOf(suite, { sort: { kind: 'base', name: 'point' }, v: suite.G })) return { sort: { kind: 'base', name: 'scalar' }, v: 1n };
  for (const it of K.bySort('scalar')) if (keyOf(suite, { sort: { kind: 'base', name: 'point' }, v: suite.mulG(it.value.v as bigint) }) === key) return it.value;
  return undefined;
}

/** Item ids a plaintext uses. */
function idsOf(pl: Plain): number[] {
  if (typeof pl === 'number') return [pl];
  if (Array.isArray(pl)) return pl.flatMap(idsOf);
  if ('field' in pl) return pl.dlogTimes === undefined ? [] : idsOf(pl.dlogTimes);
  return pl.args.flatMap((a) => ('plain' in a ? idsOf(a.plain) : []));
}

/** Whether a plaintext rests on the attacker's discrete log of a point it sends (`dlogTimes`). */
function usesDlog(pl: Plain): boolean {
  return typeof pl === 'number' ? false : Array.isArray(pl) ? pl.some(usesDlog) : 'field' in pl ? pl.dlogTimes !== undefined : pl.args.some((a) => 'plain' in a && usesDlog(a.plain));
}

/** Whether a recipe uses another field of its message (./predict.ts): it is evaluated after the others. */
function usesFields(r: Recipe): boolean {
  const uses = (pl: Plain): boolean => (typeof pl === 'number' ? false : Array.isArray(pl) ? pl.some(uses) : 'field' in pl ? true : pl.args.some((a) => 'plain' in a && uses(a.plain)));
  return r.kind === 'forge' ? uses(r.forge) : r.kind === 'build' ? uses(r.key) || uses(r.plain) : false;
}

export function describeDerivation(ctx: AttackContext, k: Knowledge, it: Item): string {
  const h = it.how;
  switch (h.kind) {
    case 'initial':
      return h.what;
    case 'revealed':
      return h.what;
    case 'observed':
      return `observed in envelope #${h.envelope} (${h.step}.${h.field}, ${h.from} → ${h.to})`;
    case 'decrypted':
      return `${h.prim}(${describeItem(ctx, k, h.key)}, ${describeItem(ctx, k, h.from)}) as in '${h.via}'`;
    case 'reread':
      return `envelope #${h.envelope} (${h.step}${h.field ? `.${h.field}` : ''}) re-read as ${h.as} (type confusion: the encoding accepts it)`;
    case 'group':
      return `computed by the group algebra as ${h.recipe}`;
    case 'computed':
      return `computed as in '${h.via}' from ${h.from.map((id) => describeItem(ctx, k, id)).join(', ') || 'public values'}`;
    case 'guessed':
      return h.what;
  }
}

/** A public function of the environment, applied by the attacker (its own call, on the world's state). */
function envEval(w: World, attacker: string, fn: string, args: Value[], rng: Rng): { ok: true; value: Value } | { ok: false; reason: string } {
  const f = w.env?.module.functions?.[fn];
  if (!f?.public) return { ok: false, reason: `${fn} is not a public function of the environment` };
  const r = f.eval(w.env!.state, args, { caller: attacker, role: '', phase: '', session: 'attacker', rng, values: new Map(), suite: () => w.suite });
  return r.ok ? r : { ok: false, reason: r.reason };
}

/**
 * Replays a scenario from its seed on ctx.suite; `narrate` fills `story`. With `from`, the state of
 * a run of a prefix of `sc` (its first sessions started, its first moves made; the same objects),
 * the run continues from a copy of that state instead (./world-snapshot.ts forkRun): the result is
 * the same as replaying `sc` from the seed, and `from` is left unchanged. (A state that cannot be
 * copied is replayed from the seed.) `started`: start only the configuration's first sessions (0:
 * the state after the prior phases, before any session — the same for every configuration of the
 * phase that gives the attacker's identity the same insider roles).
 */
export function execute(ctx: AttackContext, sc: Scenario, narrate = false, from?: RunState, started = sc.config.length): RunState {
  const { protocol: p, suite } = ctx;
  const base = from ? forkRun(from, sc) : undefined;
  const w = base?.world ?? createWorld(p, { suite, seed: ctx.seed, environments: ENVIRONMENTS });
  const roles = p.roles.map((r) => r.id);
  if (!base) for (const id of [...ctx.honest, ctx.attacker]) addPrincipal(w, id, roles);
  // diagrams title a lane "P (role)": the attacker's lane says what it is, not the roles it registered for
  if (!base) w.tracer.setRole(ctx.attacker, "the attacker's identity");
  const K = base?.knowledge ?? createKnowledge(suite);
  const story: string[][] = base?.story ?? [];
  let block: string[] = [];
  const learn = (v: Value, how: Parameters<Knowledge['add']>[1], name?: string) => {
    const it = K.add(v, how, name);
    if (it && narrate && how.kind !== 'initial') block.push(`    attacker learns ${describeItem(ctx, K, it.id)} = ${showValue(suite, v)} — ${describeDerivation(ctx, K, it)}`);
    return it;
  };
  // multi-phase: the phases the configuration's phase depends on run first, honestly (./prior-phases.ts)
  const phase = sc.config[0]?.phase;
  const plan = phase !== undefined ? ctx.prior(phase) : undefined;
  const prior = base ? base.prior : plan && plan.phases.length ? runPriorPhases(w, plan, ctx.attacker, ctx.insider ? insiderRoles(plan, sc.config, ctx.attacker) : []) : undefined;
  if (prior && narrate && !base) story.push([`prior phases, run honestly before the search (part of the bound): ${prior.lines.join('; ')}`]);
  if (!base) for (const id of [...ctx.honest, ctx.attacker]) {
    learn({ sort: { kind: 'base', name: 'id' }, v: id }, { kind: 'initial', what: `the identity of ${id}` }, id);
    for (const [n, v] of w.principals.get(id)!.published) learn(v, { kind: 'initial', what: `${id}'s published ${n}` }, `${n}@${id}`);
  }
  if (!base) for (const [n, v] of revealPrincipal(w, ctx.attacker)) learn(v, { kind: 'initial', what: `${ctx.attacker}'s own ${n} (the attacker's registered identity)` }, `${n}@${ctx.attacker}`);
  if (!base) for (const s of prior?.own ?? []) for (const [n, v] of s.values) learn(v, { kind: 'revealed', what: `${n} of ${ctx.attacker}'s own ${s.phase.id} session (an insider's)` }, n);
  const arng = base?.resume.arng ?? forkRng(seededRng(ctx.seed), 'attacker');
  const fresh = arng;
  if (!base) learn({ sort: { kind: 'base', name: 'nonce' }, v: fresh.bytes(32) }, { kind: 'initial', what: "the attacker's own fresh nonce" }, 'N_M');
  if (!base) learn({ sort: { kind: 'base', name: 'key' }, v: fresh.bytes(suite.sizes.sessionKey) }, { kind: 'initial', what: "the attacker's own fresh key" }, 'K_M');
  const openRng = base?.resume.openRng ?? forkRng(arng, 'open');
  const sessions: Session[] = base?.sessions ?? [];
  const tried = base?.resume.tried ?? new Set<string>();
  const asked = base?.resume.asked ?? new Set<string>();
  let seen = base?.resume.seen ?? 0;
  const observe = () => {
    ctx.compromise?.(w, learn); // compromise events revealed before the sessions (./compromise.ts)
    // keys shared with the attacker's identity (`X, Y share K`) are its own: drawn when a session binds it
    for (const [k, v] of w.shared) {
      const [name, who] = k.split('|');
      if (who?.split(',').includes(ctx.attacker)) learn(v, { kind: 'initial', what: `${name} shared by ${who} (the attacker's own)` }, `${name}@${who}`);
    }
    // sessions the attacker's identity runs (bound.attackerSessions): every value they hold is its own
    for (const s of sessions) {
      if (s.principal !== ctx.attacker) continue;
      for (const [n, v] of s.values) learn(v, { kind: 'revealed', what: `${n} of ${ctx.attacker}'s own session ${s.id}` }, n);
    }
    // what the environment makes public (a public ledger's entries), as it stands now
    const pub = w.env?.module.observable?.(w.env.state) ?? [];
    for (const o of pub) learn(o.value, { kind: 'initial', what: o.what }, o.name);
    const log = w.network.adversary.observed();
    for (; seen < log.length; seen++) {
      const e = log[seen]!;
      if (narrate) block.push(`    ${e.origin === 'honest' ? '' : `(${e.origin}) `}envelope #${e.id} ${e.step}: ${e.from} → ${e.to} (session ${e.session}, ${e.bytes.length} bytes)`);
      if (e.origin !== 'honest') continue;
      const step = stepOf(p, e.step);
      if (!step) continue;
      const got = decodeMessage(suite, step, p.options.wire === 'tagged', e.bytes);
      if (!got.ok) continue;
      for (const f of step.fields) learn(got.fields.get(f.name)!, { kind: 'observed', envelope: e.id, step: e.step, field: f.name, from: e.from, to: e.to }, f.name);
      for (const x of rereads(suite, p, e, step, got.fields, e.bytes, p.options.wire === 'tagged')) learn(x.value, x.how, x.name);
    }
    // closure: open every known ciphertext with every known key, the ways the spec opens them
    openAll(suite, ctx.openings, K, openRng, tried, learn);
    // what the waiting receivers will compute with the group operations, where the algebra derives it (./predict.ts)
    learnPredictable(ctx, w, K, sessions, asked, learn);
  };
  // a compromise between sessions: an earlier honest run of the phase first, its values revealed by the hook (./earlier-run.ts)
  const earlier = base ? base.earlier : ctx.earlier && phase !== undefined ? runEarlier(ctx, w, phase) : undefined;
  if (earlier && narrate && !base) block = [earlierText(earlier)];
  if (!base) observe();
  if (earlier && narrate && !base) story.push(block);
  sc.config.forEach((spec, i) => {
    if (i < sessions.length || i >= started) return; // started in the run continued from (or not asked for)
    block = [];
    const s = startSession(w, spec.phase, spec.role, spec.binding, `s${i + 1}`);
    sessions.push(s);
    if (narrate) block.unshift(`start session s${i + 1}: ${spec.binding[spec.role]} as ${spec.role} in ${spec.phase} with ${Object.entries(spec.binding).filter(([r]) => r !== spec.role).map(([r, x]) => `${r} = ${x}`).join(', ')}`);
    observe();
    if (narrate) story.push(block);
  });
  const outcomes: MoveOutcome[] = base?.outcomes ?? [];
  sc.moves.forEach((m, mi) => {
    if (mi < outcomes.length) return; // made in the run continued from
    block = [];
    const s = sessions[m.session];
    const step = s?.waitingFor;
    if (!s || s.status !== 'waiting' || step?.id !== m.step) {
      outcomes.push({ kind: 'invalid', detail: `session s${m.session + 1} does not wait for ${m.step}` });
      if (narrate) story.push([`move on s${m.session + 1}: invalid (not waiting for ${m.step})`]);
      return;
    }
    // a recipe naming an item this run never learnt is an invalid move (a record from another run, or a shrink step)
    const missing = m.fields.flatMap((f) => (f.recipe.kind === 'known' ? [f.recipe.item] : f.recipe.kind === 'forge' ? idsOf(f.recipe.forge) : [...idsOf(f.recipe.key), ...idsOf(f.recipe.plain)])).find((id) => !K.items[id]);
    if (missing !== undefined) {
      outcomes.push({ kind: 'invalid', detail: `no knowledge item #${missing} in this run` });
      if (narrate) story.push([`move on s${m.session + 1}: invalid (no knowledge item #${missing})`]);
      return;
    }
    const values = new Map<string, Value>();
    let failed: string | undefined;
    let forged = 0;
    const plainValue = (pl: Plain, sort: Sort): Value => {
      if (typeof pl === 'number') return K.items[pl]!.value;
      if ('field' in pl) {
        const v = values.get(pl.field);
        if (!v) failed = `${pl.field}: a field this one depends on was not made`;
        if (!v || pl.dlogTimes === undefined) return v ?? { sort, v: new Uint8Array(0) };
        // k·B for the point sent as the field, k its discrete log the attacker knows (./predict.ts)
        const k = dlogKnown(suite, K, v);
        const B = plainValue(pl.dlogTimes, { kind: 'base', name: 'point' });
        if (k === undefined) {
          failed = `${pl.field}: the attacker knows no discrete log of the point sent`;
          return { sort, v: new Uint8Array(0) };
        }
        const got = PRIMITIVE_BY_NAME.get('mul')!.eval(evalCtxOf(suite, forkRng(arng, `move:${mi}:dlog:${forged++}`), undefined), [k, B], { kind: 'base', name: 'point' });
        if (!got.ok) failed = `mul: ${got.reason}`;
        return got.ok ? got.value : { sort, v: new Uint8Array(0) };
      }
      if (Array.isArray(pl)) return { sort, v: pl.map((x, i) => plainValue(x, (sort as Extract<Sort, { kind: 'tuple' }>).items[i]!)) };
      const args = pl.args.map((a) => ('lit' in a ? { sort: a.sort, v: a.sort.kind === 'base' && a.sort.name === 'id' ? a.lit : utf8(a.lit) } : plainValue(a.plain, a.sort)));
      if (failed) return { sort: pl.sort, v: new Uint8Array(0) }; // an ingredient was not made: nothing to compute with
      const frng = forkRng(arng, `move:${mi}:forge:${forged++}`);
      const got = pl.env ? envEval(w, ctx.attacker, pl.forge, args, frng) : PRIMITIVE_BY_NAME.get(pl.forge)!.eval(evalCtxOf(suite, frng, pl.ad), args, pl.sort);
      if (!got.ok) {
        failed = `${pl.forge}: ${got.reason}`;
        return { sort: pl.sort, v: new Uint8Array(0) };
      }
      return got.value;
    };
    // fields built from other fields of the message (a receiver's prediction, ./predict.ts) come last
    for (const f of [...m.fields.filter((x) => !usesFields(x.recipe)), ...m.fields.filter((x) => usesFields(x.recipe))]) {
      const r = f.recipe;
      if (r.kind === 'known') {
        values.set(f.name, K.items[r.item]!.value);
        continue;
      }
      if (r.kind === 'forge') {
        values.set(f.name, plainValue(r.forge, r.forge.sort));
        continue;
      }
      const prim = PRIMITIVE_BY_NAME.get(r.prim)!;
      const ins = [plainValue(r.key, { kind: 'base', name: 'key' }), plainValue(r.plain, r.plainSort)];
      if (failed) continue;
      const got = prim.eval(evalCtxOf(suite, forkRng(arng, `move:${mi}:${f.name}`), r.ad), ins, r.sort);
      if (!got.ok) failed = `${r.prim}: ${got.reason}`;
      else values.set(f.name, got.value);
    }
    const from = s.binding[step.from] ?? ctx.attacker;
    if (narrate) block.push(`${step.id}: attacker${from === ctx.attacker ? '' : ` (as ${from})`} → ${s.principal} [s${m.session + 1}]: ${m.fields.map((f) => `${f.name} = ${describeRecipe(ctx, K, f.recipe)}`).join(', ')}`);
    let bytes: Uint8Array | undefined;
    if (!failed) {
      try {
        bytes = encodeMessage(suite, step, p.options.wire === 'tagged', values).bytes;
      } catch (e) {
        if (!(e instanceof EncodeError)) throw e;
        failed = e.message;
      }
    }
    if (failed || !bytes) {
      outcomes.push({ kind: 'invalid', detail: failed ?? 'no bytes' });
      if (narrate) story.push([...block, `    not sent: ${failed}`]);
      return;
    }
    const env = w.network.adversary.inject({ step: step.id, phase: s.phase.id, session: s.id, from, to: s.principal, bytes });
    w.network.take(env.id);
    seen = w.network.adversary.observed().length; // the injected copy is the attacker's own
    const out = deliver(w, env);
    const o: MoveOutcome =
      out.kind === 'rejected' ? { kind: 'rejected', detail: out.rejection.detail } : out.kind === 'aborted' ? { kind: 'aborted', detail: `${out.abort.check}: ${out.abort.detail}` } : (s.status as Session['status']) === 'accepted' ? { kind: 'accepted' } : { kind: 'ok' };
    outcomes.push(o);
    if (narrate) block.push(`    ${s.principal} [s${m.session + 1}] ${o.kind === 'ok' ? 'continues' : o.kind === 'accepted' ? `ACCEPTS (${Object.entries(s.binding).map(([r, x]) => `${r} = ${x}`).join(', ')})` : `${o.kind}: ${(o as { detail: string }).detail}`}`);
    observe();
    if (narrate) story.push(block);
  });
  return { world: w, knowledge: K, sessions, outcomes, story, ...(prior ? { prior } : {}), ...(earlier ? { earlier } : {}), resume: { config: sc.config.slice(0, sessions.length), moves: sc.moves.slice(), seen, tried, asked, arng, openRng } };
}

/** Every delivery the attacker can make to session i now, within the construction bound. */
export function candidates(ctx: AttackContext, st: RunState, i: number, cap: number): { moves: Move[]; capped: boolean } {
  const s = st.sessions[i]!;
  const step = s.waitingFor;
  if (s.status !== 'waiting' || !step) return { moves: [], capped: false };
  const K = st.knowledge;
  const perField: Recipe[][] = [];
  // each field's number of options; perField holds at most its first `cap` (no combination the cap keeps ranks an option further down: see byRankSum)
  const counts: number[] = [];
  for (const f of step.fields) {
    let more = 0; // options of this field beyond those listed (builds not made: ./execute.ts builds' limit)
    const out: Recipe[] = [];
    // a value the receiver already holds is compared: only that value can pass
    const held = f.compare ? s.values.get(f.name) : undefined;
    if (held) {
      const it = K.find(held);
      if (it) out.push({ kind: 'known', item: it.id });
      perField.push(out);
      counts.push(out.length);
      continue;
    }
    const known = [...K.bySort(showSort(f.sort))].sort((a, b) => nameRank(b, f.name) - nameRank(a, f.name));
    // a field the receiver checks against its own recomputation (`F =? expr`) over values it holds
    // already: when the attacker knows every input it recomputes it the same way, and nothing else
    // can pass that check (any other value differs from it), so that is the field's one candidate
    const chk = checkOf(ctx.protocol, step, f.name);
    // (rebuilt with the receiver's own computations, the message's other fields and what the algebra derives: ./predict.ts)
    const re = chk ? predict(ctx, K, s, step, chk.expr, chk.at) : undefined;
    if (typeof re === 'number') {
      perField.push([{ kind: 'known', item: re }]); // the attacker holds the very value (e.g. observed)
      continue;
    }
    if (re && typeof re === 'object' && !Array.isArray(re) && 'forge' in re) {
      // one that rests on the attacker choosing another field's point (dlogTimes) passes only with such a
      // point there: the field's other options stay, after it
      if (usesDlog(re)) out.push({ kind: 'forge', forge: re });
      else {
        perField.push([{ kind: 'forge', forge: re }]);
        counts.push(1);
        continue;
      }
    }
    const ck = `${step.id}|${f.name}`;
    if (!ctx.consumers.has(ck)) ctx.consumers.set(ck, consumerOf(ctx.protocol, step, f.name));
    const cons = ctx.consumers.get(ck);
    // a known ciphertext the receiver opens with a key the attacker also holds: tried only if it opens
    const opens = cons ? opensUnder(ctx, st, s, cons) : undefined;
    // a value known only by re-reading another field's bytes as this sort (type confusion) is
    // offered after the spec-directed builds and forges (see confusedLast)
    const confused: Recipe[] = [];
    for (const it of known) if (!opens || opens(it.value)) (it.how.kind === 'reread' ? confused : out).push({ kind: 'known', item: it.id });
    // (a loop, not a spread: a build over every known point can give more recipes than a call takes arguments)
    if (cons) {
      const b = builds(ctx, st, s, cons, f.sort, Math.max(0, cap - out.length));
      for (const x of b.recipes) out.push(x);
      more = b.total - b.recipes.length;
    } else for (const fg of forges(ctx, st, f.sort, s)) out.push({ kind: 'forge', forge: fg });
    counts.push(out.length + more + confused.length);
    if (!more) for (const c of confused) out.push(c);
    perField.push(out.slice(0, cap));
  }
  let combos: Recipe[][] = [[]];
  let capped = false;
  const product = counts.reduce((n, c) => n * c, 1);
  if (product > cap) {
    // more combinations than the cap: keep the most preferred ones (least sum of per-field ranks)
    combos = byRankSum(perField, cap);
    capped = true;
  } else {
    for (const opts of perField) {
      const next: Recipe[][] = [];
      for (const c of combos) for (const r of opts) next.push([...c, r]);
      combos = next;
    }
  }
  return { moves: combos.map((rs) => ({ session: i, step: step.id, fields: step.fields.map((f, k) => ({ name: f.name, recipe: rs[k]! })) })), capped };
}

/** For a field opened with the receiver's own key (AEAD): when the attacker holds that key, a test of whether a value opens. */
function opensUnder(ctx: AttackContext, st: RunState, s: Session, cons: FieldConsumer): ((v: Value) => boolean) | undefined {
  if (cons.keyKind !== 'same') return undefined;
  const key = s.values.get(cons.keyName);
  if (!key || !st.knowledge.find(key)) return undefined;
  const prim = PRIMITIVE_BY_NAME.get(cons.opening.prim)!;
  const c = evalCtxOf(ctx.suite, forkRng(seededRng(ctx.seed), 'probe'), cons.opening.ad);
  return (v) => prim.eval(c, [key, v], cons.opening.result).ok;
}

/**
 * Values known only by re-reading other bytes as this sort (type confusion, ./confusion.ts) come
 * after every other value of the sort (a stable sort key): under the caps (per delivery, FORGE_CAP
 * per slot) the many re-read values must not crowd out the spec-directed ones — they did, and EMR's
 * access-control attack was lost at the spec's declared bound once re-reads were added.
 */
function confusedLast(a: Item, b: Item): number {
  return Number(a.how.kind === 'reread') - Number(b.how.kind === 'reread');
}

/** Preference of a knowledge item for a slot named `want`: the same name, then the same name of another owner (`R_X@M`). */
function nameRank(it: Item, want: string | undefined): number {
  if (!want || !it.name) return 0;
  return it.name === want ? 2 : it.name.split('@')[0] === want ? 1 : 0;
}

/** The first `cap` combinations (one option per field) in order of increasing sum of option ranks, ties lexicographic. */
function byRankSum<T>(perField: T[][], cap: number): T[][] {
  const out: T[][] = [];
  const maxSum = perField.reduce((n, o) => n + o.length - 1, 0);
  const rec = (i: number, left: number, acc: T[]): void => {
    if (out.length >= cap) return;
    if (i === perField.length) {
      if (left === 0) out.push(acc.slice());
      return;
    }
    const opts = perField[i]!;
    const rest = perField.slice(i + 1).reduce((n, o) => n + o.length - 1, 0);
    for (let r = Math.max(0, left - rest); r <= Math.min(left, opts.length - 1); r++) {
      acc.push(opts[r]!);
      rec(i + 1, left - r, acc);
      acc.pop();
    }
  };
  for (let t = 0; t <= maxSum && out.length < cap; t++) rec(0, t, []);
  return out;
}

/**
 * Messages the receiver's destructor would open: the matching constructor, a key it can open with
 * (or the receiver's own key predicted from the spec, ./predict.ts, first), plaintexts from
 * knowledge — the first `limit` of them in their order (key, then each leaf in turn, the last leaf
 * varying fastest), and how many there are in all (never enumerated: a tuple of many leaves over a
 * large knowledge has more than memory holds).
 */
function builds(ctx: AttackContext, st: RunState, s: Session, cons: FieldConsumer, sort: Sort, limit: number): { recipes: Recipe[]; total: number } {
  const K = st.knowledge;
  let keys: Item[];
  let predicted: Plain | undefined;
  const recvKey = s.values.get(cons.keyName);
  if (cons.keyKind === 'same') {
    // the receiver opens with its own key: only that key can succeed (AEAD authentication); a key
    // it computes from this very message is predicted from the spec when the attacker can (./predict.ts)
    const it = recvKey ? K.find(recvKey) : undefined;
    keys = it ? [it] : [];
    if (!recvKey) {
      const pk = predictKey(ctx, K, s, s.waitingFor!, cons.keyName, cons.opening.text);
      if (pk !== undefined) predicted = pk;
    }
  } else {
    const pub = cons.publicName ? st.world.principals.get(s.principal)?.published.get(cons.publicName) : undefined;
    const it = pub ? K.find(pub) : undefined;
    keys = it ? [it] : [...K.bySort('point')].sort(confusedLast);
  }
  if (!keys.length && predicted === undefined) return { recipes: [], total: 0 };
  // each plaintext leaf: the receiver's own value where it compares (only that passes), else any known value of the sort
  const leafOpts: Plain[][] = leaves(cons.opening.shape).map((leaf) => {
    const mine = leaf.compare && leaf.name ? s.values.get(leaf.name) : undefined;
    if (mine) {
      const it = K.find(mine);
      return it ? [it.id] : [];
    }
    // values known only through type confusion after the re-made ones (see confusedLast)
    const known = [...K.bySort(showSort(leaf.sort))].sort((a, b) => nameRank(b, leaf.name) - nameRank(a, leaf.name));
    return [...known.filter((x) => x.how.kind !== 'reread').map((x) => x.id), ...forges(ctx, st, leaf.sort, s), ...known.filter((x) => x.how.kind === 'reread').map((x) => x.id)];
  });
  if (leafOpts.some((o) => o.length === 0)) return { recipes: [], total: 0 };
  const perKey = leafOpts.reduce((n, o) => n * o.length, 1);
  const total = (keys.length + (predicted !== undefined ? 1 : 0)) * perKey;
  const rebuild = (shape: Shape, ids: Plain[], at: { i: number }): Plain => (shape.kind === 'leaf' ? ids[at.i++]! : shape.items.map((x) => rebuild(x, ids, at)));
  const out: Recipe[] = [];
  const keyList: Plain[] = [...(predicted !== undefined ? [predicted] : []), ...keys.map((x) => x.id)];
  for (let n = 0; n < Math.min(total, limit); n++) {
    const key = keyList[Math.floor(n / perKey)]!;
    // the n-th plaintext in mixed radix, the last leaf least significant
    const ids: Plain[] = new Array(leafOpts.length);
    for (let j = leafOpts.length - 1, r = n % perKey; j >= 0; j--) {
      ids[j] = leafOpts[j]![r % leafOpts[j]!.length]!;
      r = Math.floor(r / leafOpts[j]!.length);
    }
    out.push({ kind: 'build', prim: cons.constructor, key, plain: rebuild(cons.opening.shape, ids, { i: 0 }), plainSort: cons.opening.result, sort, ...(cons.opening.ad !== undefined ? { ad: cons.opening.ad } : {}) });
  }
  return { recipes: out, total };
}

/**
 * Re-made signatures, MACs and hashes of `sort`: each of the spec's constructions of that sort,
 * its literal arguments kept, every other argument filled with known items of the right sorts
 * (names matching the spec's first), at most FORGE_CAP per slot.
 */
function forges(ctx: AttackContext, st: RunState, sort: Sort, receiver?: Session): Forge[] {
  // the spec's forgeable constructions (FORGEABLE sorts) and its public environment functions, by result sort
  if (sort.kind !== 'base') return [];
  const K = st.knowledge;
  const perTemplate: Forge[][] = [];
  for (const t of ctx.forges.get(sort.name) ?? []) {
    const out: Forge[] = [];
    perTemplate.push(out);
    const slots = t.args.map((a) => {
      if (a.kind === 'lit') return [{ lit: a.value, sort: a.sort }];
      const shape = shapeOf(undefined, a.sort);
      const want = a.kind === 'name' ? a.name : undefined;
      // the receiver's own value of that name first (a session already holding it), then items of that name
      const held = want !== undefined ? receiver?.values.get(want) : undefined;
      const heldId = held ? K.find(held)?.id : undefined;
      const rank = (x: Item) => (x.id === heldId ? 2 : Number(x.name === want));
      const leafIds = leaves(shape).map((l) => [...K.bySort(showSort(l.sort))].sort((x, y) => confusedLast(x, y) || rank(y) - rank(x)).map((x) => x.id));
      let combos: number[][] = [[]];
      for (const o of leafIds) combos = combos.flatMap((c) => o.map((x) => [...c, x])).slice(0, FORGE_CAP);
      const rebuild = (sh: Shape, ids: number[], at: { i: number }): Plain => (sh.kind === 'leaf' ? ids[at.i++]! : sh.items.map((x) => rebuild(x, ids, at)));
      return combos.map((ids) => ({ plain: rebuild(shape, ids, { i: 0 }), sort: a.sort }));
    });
    let combos: Forge['args'][] = [[]];
    for (const o of slots) combos = combos.flatMap((c) => o.map((x) => [...c, x])).slice(0, FORGE_CAP);
    for (const args of combos) out.push({ forge: t.prim, ...(t.env ? { env: true } : {}), args, sort: t.sort, ...(t.ad !== undefined ? { ad: t.ad } : {}) });
  }
  // interleaved across the spec's constructions (the first of each, then the second of each, ...)
  const out: Forge[] = [];
  for (let k = 0; perTemplate.some((l) => k < l.length); k++) for (const l of perTemplate) if (k < l.length) out.push(l[k]!);
  return out;
}
