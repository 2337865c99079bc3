/**
 * Shrinking a violating scenario (Verifpal prints the shortest trace it has; fast-check shrinks its
 * counterexamples): drop moves, then sessions, one at a time, keeping a removal only when the shortened
 * scenario still runs (no invalid move) and still violates the query.
 *
 * A move names what the attacker sends by knowledge item numbers, and items are numbered in learning
 * order. Removing a move or a session removes what the attacker learnt from it, so the later items are
 * renumbered and the later moves would name the wrong ones. Each removal is therefore tried twice: as
 * it stands (the numbers unchanged), then REBASED: the shortened scenario is re-run move by move, and
 * every item a remaining move names is looked up in what the attacker knows at that point of the
 * shortened run, by HOW it was learnt (`itemKeys`: the step, field, sender and receiver of the message
 * it was observed in, and which such message; what it was opened or computed from, recursively), else
 * by its value. By how, because a principal draws its fresh values in order: without one of its
 * sessions, its later session draws other values, learnt the same way. A move whose item is not known
 * there (it came from what was removed) makes the removal fail, as before. Whatever is kept has been
 * re-run and judged: a rebase can only fail to shorten, never produce an unconfirmed attack.
 */
import type { Derivation } from './knowledge.js';
import { execute, type AttackContext, type Forge, type Move, type Plain, type Recipe, type RunState, type Scenario } from './execute.js';
import { judgeQuery } from './oracles.js';
import type { Query } from './queries.js';

/** `pl` with every item number mapped by `to`; undefined when one has no image. */
function remapPlain(pl: Plain, to: (id: number) => number | undefined): Plain | undefined {
  if (typeof pl === 'number') return to(pl);
  if (Array.isArray(pl)) {
    const out: Plain[] = [];
    for (const x of pl) {
      const y = remapPlain(x, to);
      if (y === undefined) return undefined;
      out.push(y);
    }
    return out;
  }
  if ('field' in pl) {
    if (pl.dlogTimes === undefined) return pl;
    const times = remapPlain(pl.dlogTimes, to);
    return times === undefined ? undefined : { field: pl.field, dlogTimes: times };
  }
  return remapForge(pl, to);
}

function remapForge(f: Forge, to: (id: number) => number | undefined): Forge | undefined {
  const args: Forge['args'] = [];
  for (const a of f.args) {
    if ('lit' in a) {
      args.push(a);
      continue;
    }
    const plain = remapPlain(a.plain, to);
    if (plain === undefined) return undefined;
    args.push({ plain, sort: a.sort });
  }
  return { ...f, args };
}

function remapRecipe(r: Recipe, to: (id: number) => number | undefined): Recipe | undefined {
  if (r.kind === 'known') {
    const item = to(r.item);
    return item === undefined ? undefined : { kind: 'known', item };
  }
  if (r.kind === 'forge') {
    const forge = remapForge(r.forge, to);
    return forge && { kind: 'forge', forge };
  }
  const key = remapPlain(r.key, to);
  const plain = remapPlain(r.plain, to);
  return key === undefined || plain === undefined ? undefined : { ...r, key, plain };
}

/**
 * `shorter` (a scenario with moves or sessions of `longer` removed) with each move's item numbers
 * rebased onto the shortened run: the item of `longer`'s run with the same value, as known just before
 * that move. Undefined when a move needs an item the shortened run never learns.
 */
export function rebase(ctx: AttackContext, longer: RunState, shorter: Scenario): Scenario | undefined {
  let st = execute(ctx, { config: shorter.config, moves: [] });
  const longKeys = itemKeys(longer);
  const moves: Move[] = [];
  for (const m of shorter.moves) {
    const byKey = new Map<string, number>();
    itemKeys(st).forEach((k, id) => byKey.has(k) || byKey.set(k, id));
    const to = (id: number) => {
      const k = longKeys[id];
      const viaKey = k !== undefined ? byKey.get(k) : undefined;
      if (viaKey !== undefined) return viaKey;
      const v = longer.knowledge.items[id]?.value;
      return v ? st.knowledge.find(v)?.id : undefined;
    };
    const fields: Move['fields'] = [];
    for (const f of m.fields) {
      const recipe = remapRecipe(f.recipe, to);
      if (!recipe) return undefined;
      fields.push({ name: f.name, recipe });
    }
    moves.push({ ...m, fields });
    st = execute(ctx, { config: shorter.config, moves: moves.slice() }, false, st);
    if (st.outcomes.some((o) => o.kind === 'invalid')) return undefined;
  }
  return { config: shorter.config, moves };
}

/**
 * For each knowledge item of a run (by id), how it was learnt, without item ids or envelope numbers: two
 * runs that learn a value the same way give it the same key. An observed field is keyed by its step,
 * field, sender and receiver and by which envelope of that step between them it was (0, 1, …).
 */
export function itemKeys(st: RunState): string[] {
  const log = st.world.network.adversary.observed();
  const nth = new Map<number, number>();
  const count = new Map<string, number>();
  for (const e of log) {
    const k = `${e.step}:${e.from}->${e.to}`;
    const n = count.get(k) ?? 0;
    count.set(k, n + 1);
    nth.set(e.id, n);
  }
  const items = st.knowledge.items;
  const memo: string[] = [];
  const key = (id: number): string => {
    const known = memo[id];
    if (known !== undefined) return known;
    const it = items[id];
    if (!it) return `?${id}`;
    const h: Derivation = it.how;
    const name = it.name ?? '';
    let k: string;
    if (h.kind === 'observed') k = `obs ${h.step}.${h.field} ${h.from}->${h.to} #${nth.get(h.envelope) ?? '?'}`;
    else if (h.kind === 'reread') {
      const e = log.find((x) => x.id === h.envelope);
      k = `reread ${h.step}.${h.field ?? ''} as ${h.as} ${e ? `${e.from}->${e.to}` : ''} #${nth.get(h.envelope) ?? '?'}`;
    } else if (h.kind === 'decrypted') k = `dec ${h.prim} ${h.via} (${key(h.from)}) under (${key(h.key)})`;
    else if (h.kind === 'computed') k = `comp ${h.via} (${h.from.map(key).join(', ')})`;
    else if (h.kind === 'group') k = `group ${h.recipe}`;
    else k = `${h.kind} ${h.what}`;
    memo[id] = `${name}: ${k}`;
    return memo[id]!;
  };
  return items.map((_, id) => key(id));
}

/** Shrinks a scenario that violates `q` (see the module comment). */
export function shrink(ctx: AttackContext, q: Query, sc: Scenario): Scenario {
  const run = (c: Scenario) => execute(ctx, c);
  const violates = (st: RunState) => st.outcomes.every((o) => o.kind !== 'invalid') && judgeQuery(ctx, q, st).violated;
  let cur = sc;
  let curRun = run(cur);
  /** Keeps `c` (as it stands, else rebased) when it still violates the query. */
  const tryKeep = (c: Scenario): boolean => {
    const direct = run(c);
    if (violates(direct)) {
      cur = c;
      curRun = direct;
      return true;
    }
    const r = rebase(ctx, curRun, c);
    if (!r) return false;
    const st = run(r);
    if (!violates(st)) return false;
    cur = r;
    curRun = st;
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = cur.moves.length - 1; i >= 0; i--) {
      if (tryKeep({ config: cur.config, moves: cur.moves.filter((_, k) => k !== i) })) changed = true;
    }
    // a session, with the moves made to it (none left when the moves loop could drop them one by one)
    for (let j = cur.config.length - 1; j >= 0; j--) {
      const c = { config: cur.config.filter((_, k) => k !== j), moves: cur.moves.filter((m) => m.session !== j).map((m) => (m.session > j ? { ...m, session: m.session - 1 } : m)) };
      if (tryKeep(c)) changed = true;
    }
  }
  return cur;
}
