/**
 * What the attacker reads off the typed protocol, symbolically, before it runs anything:
 *  - opening templates: every application of a `destructor` primitive of the table (dec, pdec)
 *    in the spec, with the sort the party reads the plaintext as and the names it binds — the
 *    attacker opens what it knows the same way, with keys it holds;
 *  - how a received field is consumed: the receiver's destructor on it (so the attacker can
 *    build an acceptable one with the table's matching constructor, `symbolic.of`), and the
 *    public value a `secret-of-public` key corresponds to (`pk = sk·G` in the setup).
 * Nothing here is protocol-specific: it is a walk over the TExprs and the primitive table.
 */
import { PRIMITIVE_BY_NAME } from '../flow-lang/primitives.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import { showSort, type Sort } from '../flow-lang/sorts.js';
import type { TAction, TExpr, TPattern, TStep, TypedProtocol } from '../flow-lang/typed.js';

/** A plaintext shape: the sort and, where the spec's pattern names them, the names of its leaves. */
export type Shape = { kind: 'leaf'; sort: Sort; name?: string; compare?: boolean } | { kind: 'tuple'; items: Shape[] };

export interface Opening {
  /** The destructor primitive (`dec`, `pdec`). */
  prim: string;
  keySort: Sort;
  ctSort: Sort;
  result: Sort;
  shape: Shape;
  ad?: string;
  /** Where the spec applies it (for narration). */
  text: string;
}

export interface FieldConsumer {
  /** The destructor the receiver applies to the field. */
  opening: Opening;
  /** The constructor that builds what the destructor opens (`symbolic.of`). */
  constructor: string;
  /** The receiver's key name (`skB`, `Kab`). */
  keyName: string;
  keyKind: 'same' | 'secret-of-public';
  /** For secret-of-public: the published name of the matching public value (`pkB` from `pkB = skB·G`). */
  publicName?: string;
}

export function shapeOf(p: TPattern | undefined, sort: Sort): Shape {
  if (p?.kind === 'bind') return { kind: 'leaf', sort, name: p.name, compare: p.compare };
  if (sort.kind === 'tuple') return { kind: 'tuple', items: sort.items.map((s, i) => shapeOf(p?.kind === 'tuple' ? p.items[i] : undefined, s)) };
  return { kind: 'leaf', sort };
}

function walk(e: TExpr, f: (e: TExpr) => void): void {
  f(e);
  if (e.kind === 'prim' || e.kind === 'env') for (const a of e.args) walk(a, f);
  else if (e.kind === 'tuple') for (const a of e.items) walk(a, f);
}

function allActions(p: TypedProtocol): { action: TAction; step?: TStep }[] {
  const out: { action: TAction; step?: TStep }[] = p.setup.map((action) => ({ action }));
  for (const ph of p.phases) {
    for (const action of ph.local) out.push({ action });
    for (const step of ph.steps) for (const action of [...step.before, ...step.after]) out.push({ action, step });
  }
  return out;
}

function exprsOf(a: TAction): { expr: TExpr; target?: TPattern }[] {
  if (a.kind === 'compute') return [{ expr: a.expr, target: a.target }];
  if (a.kind === 'check') return [{ expr: a.left }, ...(a.right ? [{ expr: a.right }] : [])];
  if (a.kind === 'call') return a.args.map((expr) => ({ expr }));
  return [];
}

const isDestructor = (e: TExpr): e is Extract<TExpr, { kind: 'prim' }> => e.kind === 'prim' && PRIMITIVE_BY_NAME.get(e.prim)?.symbolic.role === 'destructor';

/** Every distinct way the spec opens a ciphertext (by primitive, plaintext sort and AD). */
export function openingsOf(p: TypedProtocol): Opening[] {
  const seen = new Map<string, Opening>();
  for (const { action } of allActions(p)) {
    for (const { expr, target } of exprsOf(action)) {
      walk(expr, (e) => {
        if (!isDestructor(e)) return;
        const key = `${e.prim}|${showSort(e.sort)}|${e.ad ?? ''}`;
        if (seen.has(key)) return;
        seen.set(key, { prim: e.prim, keySort: e.args[0]!.sort, ctSort: e.args[1]!.sort, result: e.sort, shape: shapeOf(e === expr ? target : undefined, e.sort), ...(e.ad !== undefined ? { ad: e.ad } : {}), text: action.text });
      });
    }
  }
  return [...seen.values()];
}

/**
 * What the receiver of `step` does with it before it waits again, in program order: its actions
 * after the step, then those before each message it sends next (a step without a message of its
 * own — the paper's "Step 4" — is written before the next send).
 */
export function receiverActions(p: TypedProtocol, step: TStep): TAction[] {
  const ph = p.phases.find((x) => x.steps.includes(step));
  const out = step.after.filter((a) => a.party === step.to);
  if (!ph) return out;
  for (const s of ph.steps.slice(ph.steps.indexOf(step) + 1)) {
    if (s.to === step.to) break;
    if (s.from === step.to) out.push(...s.before.filter((a) => a.party === step.to));
  }
  return out;
}

/** How the receiver of `step` consumes `field`: the destructor its after-actions apply to it, if any. */
export function consumerOf(p: TypedProtocol, step: TStep, field: string): FieldConsumer | undefined {
  for (const action of receiverActions(p, step)) {
    if (action.party !== step.to) continue;
    for (const { expr, target } of exprsOf(action)) {
      let found: FieldConsumer | undefined;
      walk(expr, (e) => {
        if (found || !isDestructor(e)) return;
        const ct = e.args[1]!;
        const key = e.args[0]!;
        if (ct.kind !== 'name' || ct.name !== field || key.kind !== 'name') return;
        const sym = PRIMITIVE_BY_NAME.get(e.prim)!.symbolic as { of: string; key: 'same' | 'secret-of-public' };
        const opening: Opening = { prim: e.prim, keySort: key.sort, ctSort: ct.sort, result: e.sort, shape: shapeOf(e === expr ? target : undefined, e.sort), ...(e.ad !== undefined ? { ad: e.ad } : {}), text: action.text };
        found = { opening, constructor: sym.of, keyName: key.name, keyKind: sym.key, ...(sym.key === 'secret-of-public' ? publicOf(p, step.to, key.name) : {}) };
      });
      if (found) return found;
    }
  }
  return undefined;
}

/** `pk = sk·G` (or mulG(sk)) in the role's setup, published: the public name of a secret scalar. */
function publicOf(p: TypedProtocol, role: string, secret: string): { publicName?: string } {
  for (const a of p.setup) {
    if (a.party !== role || a.kind !== 'compute' || a.target.kind !== 'bind') continue;
    const e = a.expr;
    if (e.kind !== 'prim') continue;
    const names = e.args.map((x) => (x.kind === 'name' ? x.name : ''));
    const isPub = (e.prim === 'mulG' && names[0] === secret) || (e.prim === 'mul' && names.includes(secret) && names.includes(p.generator));
    if (isPub && p.published.has(a.target.name)) return { publicName: a.target.name };
  }
  return {};
}

/** Leaves of a shape in order. */
export function leaves(s: Shape): Extract<Shape, { kind: 'leaf' }>[] {
  return s.kind === 'leaf' ? [s] : s.items.flatMap(leaves);
}

/** Whether the spec's environment declares `fn` public (computable by anyone from its arguments). */
export function envPublic(p: TypedProtocol, fn: string): boolean {
  return !!p.environment && ENVIRONMENTS.get(p.environment)?.functions?.[fn]?.public === true;
}

/**
 * How the receiver of `step` checks `field` against its own recomputation (`X checks F =? expr`,
 * `expr` made of the table's constructors, public environment functions, names and literals):
 * the expression and the check, so the attacker can recompute it the same way where it knows every
 * input (./predict.ts, which also inlines what the receiver computes before the check).
 */
export function checkOf(p: TypedProtocol, step: TStep, field: string): { expr: TExpr; at: TAction } | undefined {
  const makeable = (e: TExpr): boolean =>
    e.kind === 'name' || e.kind === 'lit' || (e.kind === 'tuple' && e.items.every(makeable)) ||
    (e.kind === 'prim' && ['constructor', 'algebra'].includes(PRIMITIVE_BY_NAME.get(e.prim)?.symbolic.role ?? '') && e.args.every(makeable)) ||
    (e.kind === 'env' && envPublic(p, e.fn) && e.args.every(makeable));
  for (const a of receiverActions(p, step)) {
    if (a.party !== step.to || a.kind !== 'check' || !a.right) continue;
    const [mine, other] = a.left.kind === 'name' && a.left.name === field ? [a.left, a.right] : a.right.kind === 'name' && a.right.name === field ? [a.right, a.left] : [undefined, undefined];
    if (mine && other && other.kind !== 'name' && makeable(other)) return { expr: other, at: a };
  }
  return undefined;
}

/** Sorts the attacker re-makes from the spec's own constructions with what it knows (re-sign, re-MAC, re-hash). */
export const FORGEABLE = new Set(['signature', 'mac', 'hash']);

/** One constructor application of the spec whose result is forgeable: its primitive, arguments (literals kept) and AD. */
export interface ForgeTemplate {
  /** A primitive of the table, or (env) a public function of the spec's environment. */
  prim: string;
  env?: boolean;
  args: TExpr[];
  sort: Sort;
  ad?: string;
  text: string;
}

/** Every distinct forgeable construction in the spec, by result sort name. */
export function forgeTemplatesOf(p: TypedProtocol): Map<string, ForgeTemplate[]> {
  const out = new Map<string, ForgeTemplate[]>();
  const seen = new Set<string>();
  const sig = (e: TExpr): string => (e.kind === 'lit' ? `"${e.value}"` : showSort(e.sort));
  for (const { action } of allActions(p)) {
    for (const { expr } of exprsOf(action)) {
      walk(expr, (e) => {
        if (e.sort.kind !== 'base') return;
        // a public function of the environment (message formatting anyone can do) is made like a constructor
        if (e.kind === 'env' && envPublic(p, e.fn)) {
          const key = `env:${e.fn}(${e.args.map(sig).join(',')})`;
          if (seen.has(key)) return;
          seen.add(key);
          const list = out.get(e.sort.name) ?? out.set(e.sort.name, []).get(e.sort.name)!;
          list.push({ prim: e.fn, env: true, args: e.args, sort: e.sort, text: action.text });
          return;
        }
        if (e.kind !== 'prim' || !FORGEABLE.has(e.sort.name)) return;
        if (PRIMITIVE_BY_NAME.get(e.prim)?.symbolic.role !== 'constructor') return;
        const key = `${e.prim}(${e.args.map(sig).join(',')})|${e.ad ?? ''}`;
        if (seen.has(key)) return;
        seen.add(key);
        const list = out.get(e.sort.name) ?? out.set(e.sort.name, []).get(e.sort.name)!;
        list.push({ prim: e.prim, args: e.args, sort: e.sort, ...(e.ad !== undefined ? { ad: e.ad } : {}), text: action.text });
      });
    }
  }
  return out;
}
