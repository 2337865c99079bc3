/**
 * Matching schematic assumptions (`A |= S |=> A <-?K-> B`) against what a rule needs.
 *
 * A rule asks for a premise as a *query*: a ground formula, or a formula with holes where the
 * rule does not yet know a part (e.g. MM-SK asks for `P |= _ <-K-> P`). A schema's variables
 * bind to ground parts of the query; a hole matches whatever the schema has there, provided it
 * is ground. The instance is accepted only if it is ground. Shared-key and shared-secret
 * statements match in both orientations (symmetry, [BAN89] §2.3).
 *
 * Holes are `var` terms in the query; schema variables are `var` terms in the schema. The two
 * never mix because the query is built by the engine, never by the user.
 */
import { children, conjuncts, termKey, type Term } from './terms.js';
import { isGround, subst } from './util.js';

export type Binding = ReadonlyMap<string, Term>;

export const HOLE: Term = { kind: 'var', name: '_' };

export function unify(schema: Term, query: Term, theta: Binding = new Map()): Binding[] {
  if (schema.kind === 'var') {
    const bound = theta.get(schema.name);
    if (bound) return unify(bound, query, theta);
    if (query.kind === 'var') return [theta]; // hole against a free schema variable: stays free
    if (!isGround(query)) return []; // a variable must bind to a ground term
    const next = new Map(theta);
    next.set(schema.name, query);
    return [next];
  }
  if (query.kind === 'var') return [theta]; // hole: anything
  if (schema.kind !== query.kind) return [];
  switch (schema.kind) {
    case 'atom':
      return schema.name === (query as typeof schema).name ? [theta] : [];
    case 'app': {
      const q = query as typeof schema;
      if (q.fn !== schema.fn || q.args.length !== schema.args.length) return [];
      return unifyAll(schema.args, q.args, theta);
    }
    case 'pred': {
      const q = query as typeof schema;
      if (q.name !== schema.name || q.args.length !== schema.args.length) return [];
      return unifyAll(schema.args, q.args, theta);
    }
    case 'tuple': {
      // Conjunction is a set: match the conjuncts (nested tuples flattened) in any order.
      const ss = conjuncts(schema);
      const qs = conjuncts(query);
      if (ss.length !== qs.length) return [];
      return unifyPermuted(ss, qs, theta);
    }
    case 'enc':
    case 'comb': {
      const q = query as typeof schema;
      if (!!q.from !== !!schema.from) return [];
      return unifyAll(children(schema), children(q), theta);
    }
    case 'sharedKey':
    case 'secret': {
      const q = query as typeof schema;
      const [sa, sk, sb] = children(schema) as [Term, Term, Term];
      const [qa, qk, qb] = children(q) as [Term, Term, Term];
      const direct = unifyAll([sa, sk, sb], [qa, qk, qb], theta);
      const swapped = unifyAll([sa, sk, sb], [qb, qk, qa], theta);
      // Deduplicate bindings that coincide (e.g. when both sides are equal).
      const seen = new Set<string>();
      const out: Binding[] = [];
      for (const b of [...direct, ...swapped]) {
        const k = bindingKey(b);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(b);
        }
      }
      return out;
    }
    default:
      return unifyAll(children(schema), children(query), theta);
  }
}

/** Conjuncts matched in every pairing (bounded: past 7 conjuncts only in the written order). */
function unifyPermuted(ss: readonly Term[], qs: readonly Term[], theta: Binding): Binding[] {
  if (ss.length > 7) return unifyAll(ss, qs, theta);
  const out: Binding[] = [];
  const seen = new Set<string>();
  const used = new Array<boolean>(qs.length).fill(false);
  const go = (i: number, th: Binding): void => {
    if (i === ss.length) {
      const k = bindingKey(th);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(th);
      }
      return;
    }
    for (let j = 0; j < qs.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      for (const b of unify(ss[i]!, qs[j]!, th)) go(i + 1, b);
      used[j] = false;
    }
  };
  go(0, theta);
  return out;
}

function unifyAll(ss: readonly Term[], qs: readonly Term[], theta: Binding): Binding[] {
  let acc: Binding[] = [theta];
  for (let i = 0; i < ss.length; i++) {
    const next: Binding[] = [];
    for (const th of acc) next.push(...unify(ss[i]!, qs[i]!, th));
    if (!next.length) return [];
    acc = next;
  }
  return acc;
}

export function bindingKey(b: Binding): string {
  return [...b.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, t]) => `${k}=${termKey(t)}`)
    .join(';');
}

/** Ground instances of `schema` that fit `query`, each with its binding. */
export function instances(schema: Term, query: Term): { term: Term; binding: Binding }[] {
  const out: { term: Term; binding: Binding }[] = [];
  const seen = new Set<string>();
  for (const b of unify(schema, query)) {
    const t = subst(schema, b);
    if (!isGround(t)) continue;
    const k = termKey(t);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ term: t, binding: b });
  }
  return out;
}
