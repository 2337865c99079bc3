/**
 * The checker of the executable flow language: parses every action body (./expr.ts), gives every
 * name its one sort, checks each expression against the primitive table (./primitives.ts), and
 * follows each party through the flow to find values used before they are computed or received.
 * Errors are data (src/spec/diagnostics.ts): stable codes, file:line:col, all reported at once.
 *
 *   flow.not-executable   an action that is prose (does not parse as the language)
 *   flow.expr-syntax      a computation `X = …` or check `… =? …` whose expression does not parse
 *   flow.sort             an argument or operand of the wrong sort (with the primitive's signature)
 *   flow.sort-conflict    one name given two sorts
 *   flow.unknown-name     a name nobody declares, computes or receives (did you mean …?)
 *   flow.unbound          a party uses a value before it computes or receives it
 *   flow.unknown-primitive  a call of no primitive, environment function or keyed notation
 *   flow.unknown-call     `calls` without an environment, or a call the environment lacks
 *
 * A flow is executable iff `checkFlow` returns no error; the result then carries the typed protocol.
 */
import { diag, type Diagnostic, type SourcePos } from '../spec/diagnostics.js';
import type { Flow, FlowAction, FlowStep } from '../spec/flow-ast.js';
import { closest } from '../spec/suggest.js';
import type { EnvironmentSignature } from './environment.js';
import { parseActionBody, type Expr, type Pattern } from './expr.js';
import { KEYED_NOTATION, operatorPrimitive, PRIMITIVE_BY_NAME, signature, type ArgSort, type Primitive } from './primitives.js';
import { base, showSort, sortEq, sortFromName, tuple, type Sort } from './sorts.js';
import type { KnowSource, TAction, TExpr, TField, TPattern, TPhase, TRole, TStep, TypedProtocol } from './typed.js';

export interface CheckOptions {
  /** Environment modules by name (src/interpret/environments); a spec names one with `environment NAME`. */
  environments?: ReadonlyMap<string, EnvironmentSignature>;
}

export type CheckResult = { ok: true; protocol: TypedProtocol; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const SORT_LIST = 'scalar, point, bytes, id, key, nonce, hash (check), mac, signature, ciphertext, pke, bool';

/** Source position of an offset in an action's text (on whichever line of a continued action it falls). */
function posIn(a: FlowAction, at: number): SourcePos {
  let p = a.textPos ?? a.pos;
  let from = 0;
  for (const b of a.textBreaks ?? []) {
    if (b.at > at) break;
    p = b.pos;
    from = b.at;
  }
  return { file: p.file, line: p.line, col: p.col + at - from };
}

export function checkFlow(flow: Flow, opts: CheckOptions = {}): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const err = (code: string, message: string, pos: SourcePos, extra: { expected?: string; length?: number } = {}) =>
    diagnostics.push(diag('error', code, message, pos, extra));

  const file = flow.phases[0]?.pos.file ?? flow.participants?.[0]?.pos.file ?? '?';
  const generator = flow.generator?.name ?? 'G';
  const env = flow.environment ? opts.environments?.get(flow.environment.name) : undefined;
  if (flow.environment && !env) {
    err('flow.unknown-call', `unknown environment '${flow.environment.name}'`, flow.environment.pos, {
      expected: [...(opts.environments?.keys() ?? [])].join(', ') || 'no environment modules are registered',
      length: flow.environment.name.length,
    });
  }

  // ---- roles ----
  const roleIds = new Set<string>([...(flow.participants ?? []).map((p) => p.id), ...flow.phases.flatMap((p) => p.participants)]);
  const roles: TRole[] = [...roleIds].map((id) => {
    const decl = flow.participants?.find((p) => p.id === id);
    return {
      id,
      title: decl?.title ?? id,
      identity: decl?.identity?.name ?? id,
      principal: decl?.identity?.principal ?? id,
      ledger: flow.ledger === id,
    };
  });
  const identityOf = new Map(roles.map((r) => [r.identity, r.id]));

  // ---- pass 1: parse every action; collect declared sorts ----
  const sorts = new Map<string, Sort>();
  const sortPos = new Map<string, SourcePos>();
  const declare = (name: string, s: Sort, pos: SourcePos, len: number): void => {
    const prior = sorts.get(name);
    if (prior && !sortEq(prior, s)) {
      const where = sortPos.get(name);
      err('flow.sort-conflict', `'${name}' is ${showSort(s)} here but ${showSort(prior)}${where ? ` at ${where.file}:${where.line}:${where.col}` : ''}`, pos, {
        expected: `one sort per name: ${showSort(prior)}`,
        length: len,
      });
      return;
    }
    if (!prior) {
      sorts.set(name, s);
      sortPos.set(name, pos);
    }
  };
  declare(generator, base('point'), flow.generator?.pos ?? { file, line: 1, col: 1 }, generator.length);
  for (const r of roles) {
    const decl = flow.participants?.find((p) => p.id === r.id);
    declare(r.identity, base('id'), decl?.identity?.pos ?? decl?.pos ?? { file, line: 1, col: 1 }, r.identity.length);
  }
  const sortOfName = (name: string, pos: SourcePos, len: number): Sort | undefined => {
    const s = sortFromName(name);
    if (!s) err('flow.sort', `unknown sort '${name}'`, pos, { expected: SORT_LIST, length: len });
    return s;
  };
  for (const ph of flow.phases) {
    for (const st of ph.steps) {
      for (const f of st.fields) {
        const s = sortFromName(f.type);
        if (s) declare(f.name, s, st.pos, st.id.length);
      }
    }
  }

  const parsed = new Map<FlowAction, ReturnType<typeof parseActionBody> & { ok: true }>();
  let prose = 0;
  const allActions: FlowAction[] = [...(flow.setup ?? []), ...flow.phases.flatMap((p) => [...(p.local ?? []), ...p.steps.flatMap((s) => [...s.before, ...s.after])])];
  for (const a of allActions) {
    const r = parseActionBody(a.kind, a.text);
    if (!r.ok) {
      prose++;
      const intended = (a.kind === 'compute' && /=/.test(a.text)) || (a.kind === 'check' && /=\?/.test(a.text));
      err(intended ? 'flow.expr-syntax' : 'flow.not-executable', `${intended ? '' : `not executable: '${a.party} ${verbOf(a)} ${a.text}' is prose — `}${r.error.message}`, posIn(a, r.error.at), {
        expected: r.error.expected,
        length: r.error.len,
      });
      continue;
    }
    parsed.set(a, r);
    const v = r.value;
    if (v.kind === 'generate') for (const d of v.decls) {
      const s = sortOfName(d.sortName, posIn(a, d.at + d.len - d.sortName.length), d.sortName.length);
      if (s) declare(d.name, s, posIn(a, d.at), d.name.length);
    }
    if (v.kind === 'share') {
      const s = sortOfName(v.decl.sortName, posIn(a, v.decl.at + v.decl.len - v.decl.sortName.length), v.decl.sortName.length);
      if (s) declare(v.decl.name, s, posIn(a, v.decl.at), v.decl.name.length);
    }
    if (v.kind === 'compute') {
      const walk = (p: Pattern): void => {
        if (p.kind === 'tuple') return p.items.forEach(walk);
        if (p.sortName) {
          const s = sortOfName(p.sortName, posIn(a, p.at + p.len - p.sortName.length), p.sortName.length);
          if (s) declare(p.name, s, posIn(a, p.at), p.name.length);
        }
      };
      walk(v.target);
    }
  }

  /** Scalars generated fresh in a phase (single-use per session): their `·` uses mulEphemeral. */
  const sessionFresh = new Set<string>();
  for (const ph of flow.phases) {
    for (const a of [...(ph.local ?? []), ...ph.steps.flatMap((s) => [...s.before, ...s.after])]) {
      const r = parsed.get(a);
      if (r?.value.kind === 'generate') for (const d of r.value.decls) sessionFresh.add(d.name);
    }
  }
  for (const a of flow.setup ?? []) {
    const r = parsed.get(a);
    if (r?.value.kind === 'generate') for (const d of r.value.decls) sessionFresh.delete(d.name);
  }

  // Names anyone could know: for did-you-mean and unknown-name.
  const definedSomewhere = (): Set<string> => {
    const out = new Set<string>(sorts.keys());
    for (const r of parsed.values()) {
      const v = r.value;
      if (v.kind === 'compute') {
        const walk = (p: Pattern): void => (p.kind === 'tuple' ? p.items.forEach(walk) : void out.add(p.name));
        walk(v.target);
      }
    }
    return out;
  };
  const defined = definedSomewhere();

  // ---- pass 2: follow each party through the flow ----
  const published = new Map<string, string>();
  for (const a of allActions) {
    const r = parsed.get(a);
    if (r?.value.kind === 'names' && a.kind === 'publish') for (const n of r.value.names) if (!published.has(n.name)) published.set(n.name, a.party);
  }
  const setupKnown = new Map<string, Set<string>>(roles.map((r) => [r.id, new Set<string>()]));
  /** Values shared by a set of roles (`A, B share K: key`), known from a session's start. */
  const sharedKnown = new Map<string, Set<string>>();
  const stored = new Map<string, Set<string>>(roles.map((r) => [r.id, new Set<string>()]));

  /** Type-checks one expression for `party` knowing `known`; `expected` decides 'any' results. */
  const infer = (a: FlowAction, e: Expr, known: Set<string>, expected?: Sort): TExpr | undefined => {
    switch (e.kind) {
      case 'name': {
        const s = sorts.get(e.name);
        if (defined.has(e.name) && !s) return undefined; // its binding already failed (reported there)
        if (!defined.has(e.name)) {
          const hint = closest(e.name, defined);
          err('flow.unknown-name', `unknown name '${e.name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, posIn(a, e.at), {
            expected: 'a name declared by a field, generates, share, a participant id, or computed by some party',
            length: e.len,
          });
          return undefined;
        }
        if (!known.has(e.name)) {
          err('flow.unbound', `${a.party} uses ${e.name} before it computes or receives it`, posIn(a, e.at), {
            expected: `${a.party} to compute, receive, generate or know ${e.name} first`,
            length: e.len,
          });
          return undefined;
        }
        return s && { kind: 'name', name: e.name, sort: s };
      }
      case 'string':
        return { kind: 'lit', value: e.value, sort: expected && expected.kind === 'base' && expected.name === 'id' ? base('id') : base('bytes') };
      case 'int':
        err('flow.sort', 'an integer is not a value of the language', posIn(a, e.at), { expected: 'a name, a call or a string', length: e.len });
        return undefined;
      case 'tuple': {
        const items = e.items.map((x, i) => infer(a, x, known, expected?.kind === 'tuple' ? expected.items[i] : undefined));
        if (items.some((x) => !x)) return undefined;
        const ts = items as TExpr[];
        return { kind: 'tuple', items: ts, sort: tuple(ts.map((x) => x.sort)) };
      }
      case 'binop': {
        const l = infer(a, e.left, known);
        const r = infer(a, e.right, known);
        if (!l || !r) return undefined;
        const op = e.op === '*' ? '·' : e.op;
        if (l.sort.kind !== 'base' || r.sort.kind !== 'base') {
          err('flow.sort', `'${op}' takes no tuple`, posIn(a, e.at), { expected: operatorSigs(op), length: e.len });
          return undefined;
        }
        if (op === '·') {
          const gen = (x: TExpr) => x.kind === 'name' && x.name === generator;
          if (gen(r) && l.sort.name === 'scalar') return { kind: 'prim', prim: 'mulG', args: [l], sort: base('point') };
          if (gen(l) && r.sort.name === 'scalar') return { kind: 'prim', prim: 'mulG', args: [r], sort: base('point') };
        }
        const p = operatorPrimitive(op, l.sort.name, r.sort.name);
        if (!p) {
          err('flow.sort', `no '${op}' for ${l.sort.name} and ${r.sort.name}`, posIn(a, e.at), { expected: operatorSigs(op), length: e.len });
          return undefined;
        }
        const [a0] = p.args as Sort[];
        const args = a0!.kind === 'base' && a0!.name === l.sort.name ? [l, r] : [r, l];
        const single = p.name === 'mul' && args[0]!.kind === 'name' && sessionFresh.has(args[0]!.name);
        return { kind: 'prim', prim: p.name, args, sort: p.result as Sort, ...(single ? { ephemeral: true } : {}) };
      }
      case 'call':
        return inferCall(a, e, known, expected);
    }
  };

  const checkArgs = (a: FlowAction, e: Expr & { kind: 'call' }, argSorts: ArgSort[], variadic: boolean, known: Set<string>, sig: string): TExpr[] | undefined => {
    if (e.args.length < argSorts.length || (!variadic && e.args.length > argSorts.length)) {
      err('flow.sort', `${e.fn} takes ${variadic ? `at least ${argSorts.length}` : argSorts.length} argument${argSorts.length === 1 ? '' : 's'}, got ${e.args.length}`, posIn(a, e.at), { expected: sig, length: e.len });
      return undefined;
    }
    const out: TExpr[] = [];
    let bad = false;
    e.args.forEach((x, i) => {
      const want = argSorts[Math.min(i, argSorts.length - 1)]!;
      const w: ArgSort = i >= argSorts.length ? 'any' : want;
      if (w === 'tag') {
        if (x.kind !== 'string') {
          err('flow.sort', `the first argument of ${e.fn} is a domain tag: a string literal`, posIn(a, x.at), { expected: sig, length: x.len });
          bad = true;
          return;
        }
        out.push({ kind: 'lit', value: x.value, sort: base('bytes') });
        return;
      }
      const t = infer(a, x, known, w === 'any' ? undefined : w);
      if (!t) {
        bad = true;
        return;
      }
      if (w !== 'any' && !sortEq(t.sort, w)) {
        err('flow.sort', `argument ${i + 1} of ${e.fn} is ${showSort(t.sort)}, expected ${showSort(w)}`, posIn(a, x.at), { expected: sig, length: x.len });
        bad = true;
        return;
      }
      out.push(t);
    });
    return bad ? undefined : out;
  };

  const resultOf = (a: FlowAction, e: Expr, p: { result: Sort | 'any' }, expected: Sort | undefined, sig: string): Sort | undefined => {
    if (p.result !== 'any') return p.result;
    if (expected) return expected;
    err('flow.sort', `the sort of ${exprName(e)} comes from what it is bound to`, posIn(a, e.at), { expected: `bind it with sorts: (x: nonce, y: id) = …  — ${sig}`, length: e.len });
    return undefined;
  };

  const inferCall = (a: FlowAction, e: Expr & { kind: 'call' }, known: Set<string>, expected?: Sort): TExpr | undefined => {
    const prim = PRIMITIVE_BY_NAME.get(e.fn);
    if (prim && prim.syntax.kind === 'call') {
      const sig = signature(prim);
      const args = checkArgs(a, e, prim.args, prim.variadic ?? false, known, sig);
      if (!args) return undefined;
      const s = resultOf(a, e, prim, expected, sig);
      return s && { kind: 'prim', prim: prim.name, args, sort: s };
    }
    const fn = env?.functions?.[e.fn];
    if (fn) {
      const sig = `${e.fn}(${fn.args.map((x) => (typeof x === 'string' ? x : showSort(x))).join(', ')}) → ${showSort(fn.result)}`;
      const args = checkArgs(a, e, fn.args, false, known, sig);
      return args && { kind: 'env', fn: e.fn, args, sort: fn.result };
    }
    const keyed = /^([EDSV])_(.+)$/.exec(e.fn);
    if (keyed && defined.has(keyed[2]!)) {
      const primName = KEYED_NOTATION[keyed[1]!]!;
      const key = keyed[2]!;
      const keyExpr: Expr = { kind: 'name', name: key, at: e.at + 2, len: key.length };
      if (primName === 'verify') {
        err('flow.sort', `${e.fn}(…) is the paper's verification: write it as 'M =? ${e.fn}(signature)' in a check`, posIn(a, e.at), { expected: 'checks M =? V_K(s)', length: e.len });
        return undefined;
      }
      // E_K(a, b) encrypts the tuple (a, b); S_K likewise signs it.
      const body: Expr[] = primName === 'dec' ? e.args : e.args.length === 1 ? e.args : [{ kind: 'tuple', items: e.args, at: e.at, len: e.len }];
      return inferCall(a, { kind: 'call', fn: primName, args: [keyExpr, ...body], at: e.at, len: e.len }, known, expected);
    }
    const candidates = [...PRIMITIVE_BY_NAME.values()].filter((p) => p.syntax.kind === 'call').map((p) => p.name).concat(Object.keys(env?.functions ?? {}));
    const hint = closest(e.fn, candidates);
    err('flow.unknown-primitive', `unknown function '${e.fn}'${hint ? ` (did you mean '${hint}'?)` : ''}`, posIn(a, e.at), {
      expected: `a primitive (${[...PRIMITIVE_BY_NAME.values()].filter((p) => p.syntax.kind === 'call').map((p) => p.name).join(', ')}), an environment function, or E_K/D_K/S_K/V_K with K a known name`,
      length: e.fn.length,
    });
    return undefined;
  };

  /** Binds a pattern: sorts from declarations, else from the expression's sort. */
  const bindPattern = (a: FlowAction, p: Pattern, s: Sort | undefined, known: Set<string>): TPattern | undefined => {
    if (p.kind === 'bind') {
      const declared = sorts.get(p.name);
      const got = s ?? declared;
      if (!got) {
        err('flow.sort', `cannot tell the sort of '${p.name}'`, posIn(a, p.at), { expected: `${p.name}: SORT`, length: p.len });
        return undefined;
      }
      if (declared && !sortEq(declared, got)) {
        err('flow.sort', `'${p.name}' is ${showSort(declared)} but the expression gives ${showSort(got)}`, posIn(a, p.at), { expected: showSort(declared), length: p.len });
        return undefined;
      }
      declare(p.name, got, posIn(a, p.at), p.len);
      const compare = known.has(p.name);
      known.add(p.name);
      return { kind: 'bind', name: p.name, sort: got, compare };
    }
    if (s && (s.kind !== 'tuple' || s.items.length !== p.items.length)) {
      err('flow.sort', `a pattern of ${p.items.length} names cannot bind a ${showSort(s)}`, posIn(a, p.at), { expected: showSort(s), length: p.len });
      return undefined;
    }
    const items = p.items.map((x, i) => bindPattern(a, x, s?.kind === 'tuple' ? s.items[i] : undefined, known));
    if (items.some((x) => !x)) return undefined;
    const ts = items as TPattern[];
    return { kind: 'tuple', items: ts, sort: tuple(ts.map((x) => x.sort)) };
  };

  const patternSort = (p: Pattern): Sort | undefined => {
    if (p.kind === 'bind') return sorts.get(p.name);
    const items = p.items.map(patternSort);
    return items.every((x) => x) ? tuple(items as Sort[]) : undefined;
  };

  /**
   * AEAD associated data (option aead-ad field-step): the step carrying the ciphertext — the FIRST
   * step of the phase whose fields include it, so a ciphertext forwarded unopened (Otway–Rees'
   * {Na, M, A, B}Kas, Needham–Schroeder's ticket) keeps the AD it was made with.
   */
  const adFields = (expr: TExpr, step: string | undefined): void => {
    if (expr.kind === 'prim' && ['enc', 'dec', 'penc', 'pdec'].includes(expr.prim) && step) expr.ad = step;
  };

  const aeadAd = flow.options?.aeadAd ?? 'none';

  /** Checks one action of `party` (who knows `known`); adds what it binds. */
  const checkAction = (a: FlowAction, known: Set<string>, ctx: { receivedIn: Map<string, string>; sendsLater: (name: string) => string | undefined; firstCarrier?: (name: string) => string | undefined; setup: boolean }): TAction | TAction[] | undefined => {
    const r = parsed.get(a);
    if (!r) {
      // An unparsed computation still binds the names left of '=' (no cascade of flow.unbound errors).
      const lhs = a.kind === 'compute' ? a.text.split('=')[0] : undefined;
      if (lhs !== undefined && a.text.includes('=')) for (const m of lhs.matchAll(/[A-Za-z][A-Za-z0-9_']*/g)) known.add(m[0]);
      return undefined;
    }
    const v = r.value;
    const common = { party: a.party, text: a.text, pos: a.pos, source: a, ...(a.eq !== undefined ? { eq: a.eq } : {}) };
    switch (v.kind) {
      case 'generate': {
        const out: TAction[] = [];
        for (const x of v.decls) {
          known.add(x.name);
          const sx = sorts.get(x.name);
          if (!sx) continue;
          if (sx.kind !== 'base' || !['scalar', 'nonce', 'key', 'bytes'].includes(sx.name)) {
            err('flow.sort', `cannot generate a fresh ${showSort(sx)}`, posIn(a, x.at), { expected: 'scalar, nonce, key or bytes', length: x.len });
            continue;
          }
          out.push({ ...common, kind: 'generate', name: x.name, sort: sx });
        }
        return out;
      }
      case 'share': {
        const s = sorts.get(v.decl.name);
        if (!s) return undefined;
        if (!ctx.setup) return undefined;
        return { ...common, kind: 'share', name: v.decl.name, sort: s, parties: a.parties ?? [a.party] };
      }
      case 'compute': {
        const want = patternSort(v.target);
        const expr = infer(a, v.expr, known, want);
        if (!expr) {
          // still bind the names so later uses are not reported as unbound too
          const walk = (p: Pattern): void => (p.kind === 'tuple' ? p.items.forEach(walk) : void known.add(p.name));
          walk(v.target);
          return undefined;
        }
        const target = bindPattern(a, v.target, expr.sort, known);
        if (!target) return undefined;
        if (aeadAd === 'field-step') {
          if (expr.kind === 'prim' && (expr.prim === 'enc' || expr.prim === 'penc') && target.kind === 'bind') adFields(expr, ctx.firstCarrier?.(target.name) ?? ctx.sendsLater(target.name));
          if (expr.kind === 'prim' && (expr.prim === 'dec' || expr.prim === 'pdec') && expr.args[1]?.kind === 'name') adFields(expr, ctx.firstCarrier?.(expr.args[1].name) ?? ctx.receivedIn.get(expr.args[1].name));
        }
        return { ...common, kind: 'compute', target, expr };
      }
      case 'check': {
        if (!v.right) {
          const e = infer(a, v.left, known);
          if (!e) return undefined;
          if (!sortEq(e.sort, base('bool'))) {
            err('flow.sort', `a check without '=?' needs a bool, got ${showSort(e.sort)}`, posIn(a, v.left.at), { expected: 'A =? B, or verify(pk, m, s)', length: v.left.len });
            return undefined;
          }
          return { ...common, kind: 'check', left: e };
        }
        // The paper's verification: M =? V_K(s)
        const rv = v.right;
        const keyed = rv.kind === 'call' ? /^V_(.+)$/.exec(rv.fn) : null;
        if (rv.kind === 'call' && keyed && defined.has(keyed[1]!) && !PRIMITIVE_BY_NAME.has(rv.fn) && !env?.functions?.[rv.fn]) {
          if (rv.args.length !== 1) {
            err('flow.sort', `${rv.fn} takes the signature`, posIn(a, rv.at), { expected: 'M =? V_K(signature)', length: rv.len });
            return undefined;
          }
          const call: Expr = { kind: 'call', fn: 'verify', args: [{ kind: 'name', name: keyed[1]!, at: rv.at + 2, len: keyed[1]!.length }, v.left, rv.args[0]!], at: rv.at, len: rv.len };
          const e = infer(a, call, known);
          return e && { ...common, kind: 'check', left: e };
        }
        // A side whose sort comes from its context (dec, pdec, D_K) is checked second.
        const contextual = (e: Expr) => e.kind === 'call' && (e.fn === 'dec' || e.fn === 'pdec' || /^D_/.test(e.fn));
        let l: TExpr | undefined;
        let rr: TExpr | undefined;
        if (contextual(v.left) && !contextual(v.right)) {
          rr = infer(a, v.right, known);
          l = rr && infer(a, v.left, known, rr.sort);
        } else {
          l = infer(a, v.left, known);
          rr = l && infer(a, v.right, known, l.sort);
        }
        if (!l || !rr) return undefined;
        if (!sortEq(l.sort, rr.sort)) {
          err('flow.sort', `'=?' compares ${showSort(l.sort)} with ${showSort(rr.sort)}`, posIn(a, v.left.at), { expected: 'both sides of one sort', length: v.right.at + v.right.len - v.left.at });
          return undefined;
        }
        if (aeadAd === 'field-step') {
          for (const side of [l, rr]) if (side.kind === 'prim' && (side.prim === 'dec' || side.prim === 'pdec') && side.args[1]?.kind === 'name') adFields(side, ctx.firstCarrier?.(side.args[1].name) ?? ctx.receivedIn.get(side.args[1].name));
        }
        return { ...common, kind: 'check', left: l, right: rr };
      }
      case 'call': {
        const c = v.call;
        if (a.kind !== 'contract') return undefined;
        if (!flow.environment) {
          err('flow.unknown-call', `'${c.fn}' is an environment call but the flow declares no environment`, posIn(a, c.at), { expected: "'environment NAME' in the flow header", length: c.fn.length });
          return undefined;
        }
        if (!env) return undefined;
        const spec = env.calls[c.fn];
        if (!spec) {
          const hint = closest(c.fn, Object.keys(env.calls));
          err('flow.unknown-call', `environment '${env.name}' has no call '${c.fn}'${hint ? ` (did you mean '${hint}'?)` : ''}`, posIn(a, c.at), {
            expected: Object.keys(env.calls).join(', '),
            length: c.fn.length,
          });
          return undefined;
        }
        const args = checkArgs(a, c, spec.args, false, known, `${c.fn}(${spec.args.map((x) => (typeof x === 'string' ? x : showSort(x))).join(', ')})`);
        return args && { ...common, kind: 'call', fn: c.fn, args };
      }
      case 'names': {
        const names = v.names;
        if (a.kind === 'know') {
          const out: { name: string; sort: Sort; from: KnowSource }[] = [];
          let bad = false;
          for (const n of names) {
            const s = sorts.get(n.name);
            let from: KnowSource | undefined;
            if (known.has(n.name)) from = { kind: 'own' };
            else if (identityOf.has(n.name)) from = { kind: 'identity', role: identityOf.get(n.name)! };
            else if (published.has(n.name)) from = { kind: 'published', role: published.get(n.name)! };
            if (!s || !from) {
              if (!defined.has(n.name)) {
                const hint = closest(n.name, defined);
                err('flow.unknown-name', `unknown name '${n.name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, posIn(a, n.at), { expected: 'a published value, a participant identity or one of its own values', length: n.len });
              } else {
                err('flow.unbound', `${a.party} knows ${n.name} at the start, but no role publishes it and it is not ${a.party}'s own`, posIn(a, n.at), {
                  expected: `'X publishes ${n.name}' in setup, or compute/receive it`,
                  length: n.len,
                });
              }
              bad = true;
              continue;
            }
            known.add(n.name);
            out.push({ name: n.name, sort: s, from });
          }
          return bad ? undefined : { ...common, kind: 'know', names: out };
        }
        let bad = false;
        for (const n of names) {
          if (!known.has(n.name)) {
            const verb = a.kind === 'publish' ? 'publishes' : 'stores';
            err(defined.has(n.name) ? 'flow.unbound' : 'flow.unknown-name', `${a.party} ${verb} ${n.name} before it computes or receives it`, posIn(a, n.at), { expected: `${a.party} to have ${n.name}`, length: n.len });
            bad = true;
          }
        }
        if (bad) return undefined;
        return { ...common, kind: a.kind === 'publish' ? 'publish' : 'store', names: names.map((n) => n.name) };
      }
    }
  };

  const expand = (t: TAction | TAction[] | undefined): TAction[] => (t === undefined ? [] : Array.isArray(t) ? t : [t]);

  // setup
  const setup: TAction[] = [];
  {
    const knownBy = (role: string) => setupKnown.get(role) ?? setupKnown.set(role, new Set()).get(role)!;
    for (const a of flow.setup ?? []) {
      for (const p of a.parties ?? [a.party]) {
        if (!roleIds.has(p)) err('flow.not-executable', `${p} acts in setup but plays no role in any phase`, a.pos, { expected: `a phase with ${p} among its participants`, length: p.length });
      }
      if (a.kind === 'share') {
        // a shared value belongs to a set of principals: it exists once a session binds them
        const t = checkAction(a, new Set(), { receivedIn: new Map(), sendsLater: () => undefined, setup: true });
        for (const p of a.parties ?? [a.party]) {
          const r = parsed.get(a);
          if (r?.value.kind === 'share') (sharedKnown.get(p) ?? sharedKnown.set(p, new Set()).get(p)!).add(r.value.decl.name);
        }
        setup.push(...expand(t));
        continue;
      }
      if (a.kind === 'know') {
        err('flow.unbound', `'${a.party} knows' in setup: setup runs once per principal, before any session binds the other roles`, a.pos, {
          expected: `'${a.party} knows ...' at the start of a phase`,
          length: a.party.length,
        });
        continue;
      }
      const known = knownBy(a.party);
      known.add(generator);
      const self = roles.find((r) => r.id === a.party);
      if (self) known.add(self.identity);
      setup.push(...expand(checkAction(a, known, { receivedIn: new Map(), sendsLater: () => undefined, setup: true })));
    }
  }

  // phases
  const distinctSteps: string[] = [];
  const phases: TPhase[] = [];
  for (const ph of flow.phases) {
    const known = new Map<string, Set<string>>();
    const receivedIn = new Map<string, Map<string, string>>();
    for (const role of ph.participants) {
      const k = new Set<string>([generator, ...(setupKnown.get(role) ?? []), ...(sharedKnown.get(role) ?? []), ...(stored.get(role) ?? [])]);
      for (const r of roles) if (ph.participants.includes(r.id)) k.add(r.identity);
      known.set(role, k);
      receivedIn.set(role, new Map());
    }
    const knownOf = (p: string) => known.get(p) ?? known.set(p, new Set([generator])).get(p)!;
    const recvOf = (p: string) => receivedIn.get(p) ?? receivedIn.set(p, new Map()).get(p)!;
    const sendsLaterFrom = (idx: number, party: string) => (name: string): string | undefined =>
      ph.steps.slice(idx).find((s) => s.from === party && s.fields.some((f) => f.name === name))?.id;
    const firstCarrier = (name: string): string | undefined => ph.steps.find((s) => s.fields.some((f) => f.name === name))?.id;
    const local: TAction[] = [];
    for (const a of ph.local ?? []) local.push(...expand(checkAction(a, knownOf(a.party), { receivedIn: recvOf(a.party), sendsLater: sendsLaterFrom(0, a.party), firstCarrier, setup: false })));
    const steps: TStep[] = [];
    ph.steps.forEach((s: FlowStep, idx) => {
      if (!distinctSteps.includes(s.id)) distinctSteps.push(s.id);
      const before: TAction[] = [];
      for (const a of s.before) before.push(...expand(checkAction(a, knownOf(a.party), { receivedIn: recvOf(a.party), sendsLater: sendsLaterFrom(idx, a.party), firstCarrier, setup: false })));
      const sk = knownOf(s.from);
      for (const f of s.fields) {
        if (!sk.has(f.name)) {
          err('flow.unbound', `${s.from} sends ${f.name} in ${s.id} before it computes or receives it`, s.pos, { expected: `${s.from} to compute, generate or know ${f.name} before ${s.id}`, length: s.id.length });
        }
      }
      const rk = knownOf(s.to);
      const fields: TField[] = s.fields.map((f) => {
        const compare = rk.has(f.name);
        rk.add(f.name);
        recvOf(s.to).set(f.name, s.id);
        return { name: f.name, sort: sorts.get(f.name) ?? base('bytes'), compare };
      });
      const after: TAction[] = [];
      for (const a of s.after) after.push(...expand(checkAction(a, knownOf(a.party), { receivedIn: recvOf(a.party), sendsLater: sendsLaterFrom(idx + 1, a.party), firstCarrier, setup: false })));
      steps.push({ id: s.id, tag: distinctSteps.indexOf(s.id) + 1, from: s.from, to: s.to, fields, channel: s.channel ?? 'public', before, after, pos: s.pos });
    });
    // what each role stored persists into later phases
    for (const t of [...local, ...steps.flatMap((s) => [...s.before, ...s.after])]) {
      if (t.kind === 'store') for (const n of t.names) (stored.get(t.party) ?? stored.set(t.party, new Set()).get(t.party)!).add(n);
    }
    phases.push({ id: ph.id, title: ph.title, ...(ph.section ? { section: ph.section } : {}), roles: [...ph.participants], local, steps });
  }

  if (distinctSteps.length > 255 && flow.options?.wire !== 'untagged') {
    err('flow.syntax', `${distinctSteps.length} distinct steps do not fit a one-byte wire tag`, flow.phases[0]!.pos, { expected: 'at most 255 step ids' });
  }
  if (flow.phases.length === 0) err('flow.not-executable', 'the flow has no phase to run', { file, line: 1, col: 1 }, { expected: 'phase ID "Title" with steps' });

  const errors = diagnostics.filter((d) => d.severity === 'error');
  errors.sort((x, y) => x.pos.line - y.pos.line || x.pos.col - y.pos.col);
  if (errors.length > 0 || prose > 0) return { ok: false, diagnostics: errors };
  const protocol: TypedProtocol = {
    file,
    options: {
      wire: flow.options?.wire ?? 'tagged',
      aeadAd,
      ...(flow.options?.wire === undefined || flow.options?.aeadAd === undefined
        ? { defaulted: [...(flow.options?.wire === undefined ? ['wire' as const] : []), ...(flow.options?.aeadAd === undefined ? ['aead-ad' as const] : [])] }
        : {}),
    },
    generator,
    ...(flow.environment ? { environment: flow.environment.name } : {}),
    roles,
    setup,
    phases,
    sorts,
    published,
  };
  return { ok: true, protocol, diagnostics };
}

function verbOf(a: FlowAction): string {
  return { compute: 'computes', check: 'checks', contract: 'calls', store: 'stores', generate: 'generates', know: 'knows', publish: 'publishes', share: 'share' }[a.kind];
}

function exprName(e: Expr): string {
  return e.kind === 'call' ? `${e.fn}(…)` : 'this expression';
}

function operatorSigs(op: string): string {
  const sigs = [...PRIMITIVE_BY_NAME.values()].filter((p: Primitive) => p.syntax.kind === 'operator' && p.syntax.op === op).map(signature);
  if (op === '·') sigs.unshift('scalar · G → point (G the generator)');
  return sigs.join(' | ');
}
