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
import type { CryptoSuite } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME } from '../flow-lang/primitives.js';
import { showSort, type Sort } from '../flow-lang/sorts.js';
import type { TStep, TypedProtocol } from '../flow-lang/typed.js';
import { EncodeError, showValue, type Value } from '../flow-lang/values.js';
import { decodeMessage, encodeMessage } from '../interpret/wire.js';
import { AAD_PREFIX, addPrincipal, createWorld, deliver, revealPrincipal, startSession, type Session, type World } from '../interpret/world.js';
import { rereads } from './confusion.js';
import { evalCtxOf, openAll, type Learn } from './deduce.js';
import { createKnowledge, type Item, type Knowledge } from './knowledge.js';
import { consumerOf, FORGEABLE, forgeTemplatesOf, leaves, openingsOf, shapeOf, type FieldConsumer, type ForgeTemplate, type Opening, type Shape } from './templates.js';

/** One session the attacker starts: `role` of `phase`, played by binding[role]. */
export interface SessionSpec {
  phase: string;
  role: string;
  binding: Record<string, string>;
}

/** A plaintext built from known items, in the shape the receiver reads it; a leaf may be re-made (Forge). */
export type Plain = number | Plain[] | Forge;

/** A signature, MAC or hash re-made by one of the spec's own constructions over known items. */
export interface Forge {
  forge: string;
  args: ({ lit: string; sort: Sort } | { plain: Plain; sort: Sort })[];
  sort: Sort;
  ad?: string;
}

export type Recipe =
  | { kind: 'known'; item: number }
  | { kind: 'build'; prim: string; key: number; plain: Plain; plainSort: Sort; sort: Sort; ad?: string }
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
  /** Compromise events of the queries searched (./compromise.ts): hands revealed values to the attacker as they come to exist. */
  compromise?: (w: World, learn: Learn) => void;
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
}

export function attackContext(protocol: TypedProtocol, suite: CryptoSuite, seed: string): AttackContext {
  const honest = [...new Set(protocol.roles.map((r) => r.principal))];
  // a name no trace can mistake for a role or an honest party (a spec's own principal of that name gets a number)
  let attacker = 'Attacker';
  for (let i = 2; honest.includes(attacker); i++) attacker = `Attacker${i}`;
  return { protocol, suite, seed, honest, attacker, openings: openingsOf(protocol), forges: forgeTemplatesOf(protocol), consumers: new Map() };
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
    typeof p === 'number' ? describeItem(ctx, k, p) : Array.isArray(p) ? `(${p.map(plain).join(', ')})` : `${p.forge}(${p.args.map((a) => ('lit' in a ? JSON.stringify(a.lit) : plain(a.plain))).join(', ')})`;
  if (r.kind === 'forge') return plain(r.forge);
  return `${r.prim}(${describeItem(ctx, k, r.key)}, ${plain(r.plain)})`;
}

/** Item ids a plaintext uses. */
function idsOf(pl: Plain): number[] {
  if (typeof pl === 'number') return [pl];
  if (Array.isArray(pl)) return pl.flatMap(idsOf);
  return pl.args.flatMap((a) => ('plain' in a ? idsOf(a.plain) : []));
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

/** Replays a scenario from its seed on ctx.suite; `narrate` fills `story`. */
export function execute(ctx: AttackContext, sc: Scenario, narrate = false): RunState {
  const { protocol: p, suite } = ctx;
  const w = createWorld(p, { suite, seed: ctx.seed });
  const roles = p.roles.map((r) => r.id);
  for (const id of [...ctx.honest, ctx.attacker]) addPrincipal(w, id, roles);
  // diagrams title a lane "P (role)": the attacker's lane says what it is, not the roles it registered for
  w.tracer.setRole(ctx.attacker, "the attacker's identity");
  const K = createKnowledge(suite);
  const story: string[][] = [];
  let block: string[] = [];
  const learn = (v: Value, how: Parameters<Knowledge['add']>[1], name?: string) => {
    const it = K.add(v, how, name);
    if (it && narrate && how.kind !== 'initial') block.push(`    attacker learns ${describeItem(ctx, K, it.id)} = ${showValue(suite, v)} — ${describeDerivation(ctx, K, it)}`);
    return it;
  };
  for (const id of [...ctx.honest, ctx.attacker]) {
    learn({ sort: { kind: 'base', name: 'id' }, v: id }, { kind: 'initial', what: `the identity of ${id}` }, id);
    for (const [n, v] of w.principals.get(id)!.published) learn(v, { kind: 'initial', what: `${id}'s published ${n}` }, `${n}@${id}`);
  }
  for (const [n, v] of revealPrincipal(w, ctx.attacker)) learn(v, { kind: 'initial', what: `${ctx.attacker}'s own ${n} (the attacker's registered identity)` }, `${n}@${ctx.attacker}`);
  const arng = forkRng(seededRng(ctx.seed), 'attacker');
  const fresh = arng;
  learn({ sort: { kind: 'base', name: 'nonce' }, v: fresh.bytes(32) }, { kind: 'initial', what: "the attacker's own fresh nonce" }, 'N_M');
  learn({ sort: { kind: 'base', name: 'key' }, v: fresh.bytes(suite.sizes.sessionKey) }, { kind: 'initial', what: "the attacker's own fresh key" }, 'K_M');
  const openRng = forkRng(arng, 'open');
  const sessions: Session[] = [];
  const tried = new Set<string>();
  let seen = 0;
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
  };
  observe();
  sc.config.forEach((spec, i) => {
    block = [];
    const s = startSession(w, spec.phase, spec.role, spec.binding, `s${i + 1}`);
    sessions.push(s);
    if (narrate) block.unshift(`start session s${i + 1}: ${spec.binding[spec.role]} as ${spec.role} in ${spec.phase} with ${Object.entries(spec.binding).filter(([r]) => r !== spec.role).map(([r, x]) => `${r} = ${x}`).join(', ')}`);
    observe();
    if (narrate) story.push(block);
  });
  const outcomes: MoveOutcome[] = [];
  sc.moves.forEach((m, mi) => {
    block = [];
    const s = sessions[m.session];
    const step = s?.waitingFor;
    if (!s || s.status !== 'waiting' || step?.id !== m.step) {
      outcomes.push({ kind: 'invalid', detail: `session s${m.session + 1} does not wait for ${m.step}` });
      if (narrate) story.push([`move on s${m.session + 1}: invalid (not waiting for ${m.step})`]);
      return;
    }
    // a recipe naming an item this run never learnt is an invalid move (a record from another run, or a shrink step)
    const missing = m.fields.flatMap((f) => (f.recipe.kind === 'known' ? [f.recipe.item] : f.recipe.kind === 'forge' ? idsOf(f.recipe.forge) : [f.recipe.key, ...idsOf(f.recipe.plain)])).find((id) => !K.items[id]);
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
      if (Array.isArray(pl)) return { sort, v: pl.map((x, i) => plainValue(x, (sort as Extract<Sort, { kind: 'tuple' }>).items[i]!)) };
      const args = pl.args.map((a) => ('lit' in a ? { sort: a.sort, v: a.sort.kind === 'base' && a.sort.name === 'id' ? a.lit : utf8(a.lit) } : plainValue(a.plain, a.sort)));
      const got = PRIMITIVE_BY_NAME.get(pl.forge)!.eval(evalCtxOf(suite, forkRng(arng, `move:${mi}:forge:${forged++}`), pl.ad), args, pl.sort);
      if (!got.ok) {
        failed = `${pl.forge}: ${got.reason}`;
        return { sort: pl.sort, v: new Uint8Array(0) };
      }
      return got.value;
    };
    for (const f of m.fields) {
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
      const got = prim.eval(evalCtxOf(suite, forkRng(arng, `move:${mi}:${f.name}`), r.ad), [K.items[r.key]!.value, plainValue(r.plain, r.plainSort)], r.sort);
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
  return { world: w, knowledge: K, sessions, outcomes, story };
}

/** Every delivery the attacker can make to session i now, within the construction bound. */
export function candidates(ctx: AttackContext, st: RunState, i: number, cap: number): { moves: Move[]; capped: boolean } {
  const s = st.sessions[i]!;
  const step = s.waitingFor;
  if (s.status !== 'waiting' || !step) return { moves: [], capped: false };
  const K = st.knowledge;
  const perField: Recipe[][] = [];
  for (const f of step.fields) {
    const out: Recipe[] = [];
    // a value the receiver already holds is compared: only that value can pass
    const held = f.compare ? s.values.get(f.name) : undefined;
    if (held) {
      const it = K.find(held);
      if (it) out.push({ kind: 'known', item: it.id });
      perField.push(out);
      continue;
    }
    const known = [...K.bySort(showSort(f.sort))].sort((a, b) => Number(b.name === f.name) - Number(a.name === f.name));
    for (const it of known) out.push({ kind: 'known', item: it.id });
    const ck = `${step.id}|${f.name}`;
    if (!ctx.consumers.has(ck)) ctx.consumers.set(ck, consumerOf(ctx.protocol, step, f.name));
    const cons = ctx.consumers.get(ck);
    if (cons) out.push(...builds(ctx, st, s, cons, f.sort));
    else for (const fg of forges(ctx, st, f.sort)) out.push({ kind: 'forge', forge: fg });
    perField.push(out);
  }
  let combos: Recipe[][] = [[]];
  let capped = false;
  for (const opts of perField) {
    const next: Recipe[][] = [];
    for (const c of combos) for (const r of opts) next.push([...c, r]);
    combos = next;
    if (combos.length > cap) {
      combos = combos.slice(0, cap);
      capped = true;
    }
  }
  return { moves: combos.map((rs) => ({ session: i, step: step.id, fields: step.fields.map((f, k) => ({ name: f.name, recipe: rs[k]! })) })), capped };
}

/** Messages the receiver's destructor would open: the matching constructor, a key it can open with, plaintexts from knowledge. */
function builds(ctx: AttackContext, st: RunState, s: Session, cons: FieldConsumer, sort: Sort): Recipe[] {
  const K = st.knowledge;
  let keys: Item[];
  const recvKey = s.values.get(cons.keyName);
  if (cons.keyKind === 'same') {
    // the receiver opens with its own key: only that key can succeed (AEAD authentication)
    const it = recvKey ? K.find(recvKey) : undefined;
    keys = it ? [it] : [];
  } else {
    const pub = cons.publicName ? st.world.principals.get(s.principal)?.published.get(cons.publicName) : undefined;
    const it = pub ? K.find(pub) : undefined;
    keys = it ? [it] : [...K.bySort('point')];
  }
  if (!keys.length) return [];
  // each plaintext leaf: the receiver's own value where it compares (only that passes), else any known value of the sort
  const leafOpts: Plain[][] = leaves(cons.opening.shape).map((leaf) => {
    const mine = leaf.compare && leaf.name ? s.values.get(leaf.name) : undefined;
    if (mine) {
      const it = K.find(mine);
      return it ? [it.id] : [];
    }
    return [...[...K.bySort(showSort(leaf.sort))].sort((a, b) => Number(b.name === leaf.name) - Number(a.name === leaf.name)).map((x) => x.id), ...forges(ctx, st, leaf.sort)];
  });
  if (leafOpts.some((o) => o.length === 0)) return [];
  let flat: Plain[][] = [[]];
  for (const o of leafOpts) flat = flat.flatMap((c) => o.map((x) => [...c, x]));
  const rebuild = (shape: Shape, ids: Plain[], at: { i: number }): Plain => (shape.kind === 'leaf' ? ids[at.i++]! : shape.items.map((x) => rebuild(x, ids, at)));
  const out: Recipe[] = [];
  for (const key of keys) {
    for (const ids of flat) {
      out.push({ kind: 'build', prim: cons.constructor, key: key.id, plain: rebuild(cons.opening.shape, ids, { i: 0 }), plainSort: cons.opening.result, sort, ...(cons.opening.ad !== undefined ? { ad: cons.opening.ad } : {}) });
    }
  }
  return out;
}

/**
 * Re-made signatures, MACs and hashes of `sort`: each of the spec's constructions of that sort,
 * its literal arguments kept, every other argument filled with known items of the right sorts
 * (names matching the spec's first), at most FORGE_CAP per slot.
 */
function forges(ctx: AttackContext, st: RunState, sort: Sort): Forge[] {
  if (sort.kind !== 'base' || !FORGEABLE.has(sort.name)) return [];
  const K = st.knowledge;
  const out: Forge[] = [];
  for (const t of ctx.forges.get(sort.name) ?? []) {
    const slots = t.args.map((a) => {
      if (a.kind === 'lit') return [{ lit: a.value, sort: a.sort }];
      const shape = shapeOf(undefined, a.sort);
      const want = a.kind === 'name' ? a.name : undefined;
      const leafIds = leaves(shape).map((l) => [...K.bySort(showSort(l.sort))].sort((x, y) => Number(y.name === want) - Number(x.name === want)).map((x) => x.id));
      let combos: number[][] = [[]];
      for (const o of leafIds) combos = combos.flatMap((c) => o.map((x) => [...c, x])).slice(0, FORGE_CAP);
      const rebuild = (sh: Shape, ids: number[], at: { i: number }): Plain => (sh.kind === 'leaf' ? ids[at.i++]! : sh.items.map((x) => rebuild(x, ids, at)));
      return combos.map((ids) => ({ plain: rebuild(shape, ids, { i: 0 }), sort: a.sort }));
    });
    let combos: Forge['args'][] = [[]];
    for (const o of slots) combos = combos.flatMap((c) => o.map((x) => [...c, x])).slice(0, FORGE_CAP);
    for (const args of combos) out.push({ forge: t.prim, args, sort: t.sort, ...(t.ad !== undefined ? { ad: t.ad } : {}) });
  }
  return out;
}
