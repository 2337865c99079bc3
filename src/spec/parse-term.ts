/**
 * Recursive-descent parser for BAN terms and formulas (docs/notation.md, "Terms and formulas").
 *
 * Precedence, loosest first:
 *   tuple      := belief (',' belief)*
 *   belief     := rel (BELOP belief)?            -- right associative: P |= Q |= X
 *   rel        := unary (('<-' unary '->' | '<=' unary '=>' | '↔' unary | '⇌' unary) unary)?
 *   unary      := ('->' | '→') postfix postfix  |  postfix
 *   postfix    := primary ('^-1')*
 *   primary    := NAME | NAME '(' tuple ')' | 'inv' '(' tuple ')' | '?' NAME | '(' tuple ')'
 *               | ('#' | '♯') '(' tuple ')'
 *               | '{' tuple '}' '_' sub ('from' postfix)?
 *               | ('<' | '⟨') tuple ('>' | '⟩') '_' sub ('from' postfix)?
 *   sub        := '{' tuple '}' | postfix
 *
 * Sort checks (warnings, never errors) are made as nodes are built, where the position is known.
 */
import {
  believes,
  comb,
  controls,
  enc,
  fresh,
  inv,
  isFormula,
  kaKey,
  pubKey,
  said,
  secret,
  sees,
  sharedKey,
  atom,
  v,
  type Term,
} from '../ban/terms.js';
import type { AtomSort, Declaration } from './ast.js';
import { diag, UserError, type Diagnostic } from './diagnostics.js';
import { describe, LexError, lexLine, RESERVED, type TokKind, type Token } from './lexer.js';
import { DEFAULT_LIMITS, termDepth } from './limits.js';
import { didYouMean } from './suggest.js';

/** A syntax error inside one item: parsing of that item stops here. */
export class ParseFail extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export interface TermCtx {
  file: string;
  /** Declared names and their sorts; when absent, names are not checked. */
  sorts?: ReadonlyMap<string, AtomSort>;
  /** Whether `?X` variables are allowed here (assumptions only). */
  allowVars: boolean;
  /** Where the item's "variable not allowed" error names the section. */
  varsContext?: string;
  /** Non-fatal errors (undeclared names, misplaced variables) and warnings are appended here. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** "did you mean" text for a misspelt name (budgeted by the caller on large inputs). */
  suggest?: (word: string, candidates: Iterable<string>) => string;
  /** Deepest term accepted (src/spec/limits.ts; default DEFAULT_LIMITS.maxDepth). */
  maxDepth?: number;
}

interface State {
  toks: Token[];
  i: number;
  ctx: TermCtx;
  /** Position used for an `eof` token (just after the last token). */
  end: { line: number; col: number };
  /** Current recursion depth of the parser (bounded, so hostile input cannot overflow the stack). */
  depth: number;
  /** The term depth limit (ctx.maxDepth or the default). */
  maxDepth: number;
}

/** Deepest nesting accepted by default; real specs stay below 20 (src/spec/limits.ts). */
export const MAX_DEPTH = DEFAULT_LIMITS.maxDepth;

/**
 * The parser's own recursion bound for a term limit. Recursion is counted at every belief and
 * every primary; the printer (src/ban/print.ts) writes a term of depth d with at most two of them
 * per term level (a bracket or operator, and the belief inside it), so every accepted term also
 * re-parses from its printed form (docs/notation.md, "Limits").
 */
const recursionBound = (maxDepth: number): number => 2 * maxDepth + 8;

function depthFail(s: State, t: Token): never {
  return failAt(s.ctx, t, `term nested more than ${s.maxDepth} deep (raise with --limits depth=N)`, `a term at most ${s.maxDepth} deep`, 'parse.depth');
}

function enter(s: State): void {
  if (++s.depth > recursionBound(s.maxDepth)) depthFail(s, peek(s));
}

const BELIEF_OPS: ReadonlySet<TokKind> = new Set(['believes', 'sees', 'said', 'controls']);

const TOKEN_TEXT: Partial<Record<TokKind, string>> = {
  rp: "')'",
  lp: "'('",
  rbrace: "'}'",
  rangle: "'>'",
  under: "'_'",
  arrow: "'->'",
  rsec: "'=>'",
  colon: "':'",
};

function peek(s: State): Token {
  return s.toks[s.i] ?? { kind: 'eof', value: '', line: s.end.line, col: s.end.col, len: 1 };
}

function next(s: State): Token {
  const t = peek(s);
  if (s.i < s.toks.length) s.i++;
  return t;
}

export function failAt(ctx: { file: string }, t: Token, message: string, expected?: string, code = 'parse.expected'): never {
  throw new ParseFail(
    diag('error', code, message, { file: ctx.file, line: t.line, col: t.col }, { length: t.len, ...(expected ? { expected } : {}) }),
  );
}

function expect(s: State, kind: TokKind, what?: string): Token {
  const t = peek(s);
  if (t.kind !== kind) {
    const exp = what ?? TOKEN_TEXT[kind] ?? kind;
    failAt(s.ctx, t, `expected ${exp}, found ${describe(t)}`, exp);
  }
  return next(s);
}

function warn(s: State, t: Token, code: string, message: string): void {
  s.ctx.warnings.push(diag('warning', code, message, { file: s.ctx.file, line: t.line, col: t.col }, { length: t.len }));
}

function softError(s: State, t: Token, code: string, message: string, expected?: string): void {
  s.ctx.errors.push(
    diag('error', code, message, { file: s.ctx.file, line: t.line, col: t.col }, { length: t.len, ...(expected ? { expected } : {}) }),
  );
}

const sortOf = (s: State, t: Term): AtomSort | undefined => (t.kind === 'atom' ? s.ctx.sorts?.get(t.name) : undefined);

/** True when t is not a statement: a belief or jurisdiction about it has no truth value in BAN. */
export function isBareTerm(t: Term): boolean {
  if (t.kind === 'var') return false;
  if (t.kind === 'tuple') return t.items.some(isBareTerm);
  return !isFormula(t);
}

// ---- sort checks (type.* warnings) ----

function kindName(t: Term): string {
  switch (t.kind) {
    case 'tuple':
      return 'a tuple';
    case 'enc':
      return 'a ciphertext';
    case 'comb':
      return 'a combined message';
    case 'inv':
      return 'a private key inv(K)';
    case 'app':
      return `a value of ${t.fn}`;
    case 'atom':
    case 'var':
      return `'${t.name}'`;
    default:
      return 'a formula';
  }
}

function checkPrincipal(s: State, t: Term, at: Token, role: string): void {
  if (!s.ctx.sorts || t.kind === 'var') return;
  const so = sortOf(s, t);
  if (t.kind === 'atom' && (so === 'principal' || so === undefined)) return;
  const what = t.kind === 'atom' ? `'${t.name}' is declared as ${so}` : `it is ${kindName(t)}`;
  warn(s, at, 'type.key-sort', `${role} should be a principal, but ${what}`);
}

const KEY_SORTS: Record<string, readonly AtomSort[]> = {
  enc: ['key', 'pubkey', 'privkey'],
  shared: ['key'],
  pub: ['pubkey'],
  inv: ['pubkey'],
  ka: ['pubkey', 'key'],
};

function checkKey(s: State, t: Term, at: Token, use: keyof typeof KEY_SORTS, role: string): void {
  if (!s.ctx.sorts) return;
  if (t.kind !== 'atom') {
    // Derived keys (H(..), F0(..)), inv(K) and variables are fine; anything else is not a key.
    if (t.kind === 'app' || t.kind === 'var' || (t.kind === 'inv' && use === 'enc')) return;
    warn(s, at, 'type.key-sort', `${role} should be a key, but it is ${kindName(t)}`);
    return;
  }
  const so = sortOf(s, t);
  if (so === undefined || KEY_SORTS[use]!.includes(so)) return;
  warn(s, at, 'type.key-sort', `${role} should be a ${KEY_SORTS[use]!.join(' or ')}, but '${t.name}' is declared as ${so}`);
}

function checkSecret(s: State, t: Term, at: Token, role: string): void {
  if (!s.ctx.sorts) return;
  const so = sortOf(s, t);
  if (so === 'pubkey') {
    warn(s, at, 'type.pubkey-as-secret', `${role} '${(t as { name: string }).name}' is a public key: anyone can know it, so it authenticates nothing`);
  } else if (so === 'principal') {
    warn(s, at, 'type.key-sort', `${role} should be a secret, but '${(t as { name: string }).name}' is a principal`);
  }
}

/** Declared names of one sort, lazily: a suggestion scans a bounded prefix, never a copy of all. */
function* namesOfSort(sorts: ReadonlyMap<string, AtomSort>, sort: AtomSort): Generator<string> {
  for (const [n, so] of sorts) if (so === sort) yield n;
}

// ---- grammar ----

function parseTuple(s: State): Term {
  const first = parseBelief(s);
  if (peek(s).kind !== 'comma') return first;
  const items = [first];
  while (peek(s).kind === 'comma') {
    next(s);
    items.push(parseBelief(s));
  }
  // Built directly: spreading a very long list into tuple(...) would overflow the call stack.
  return { kind: 'tuple', items };
}

function parseBelief(s: State): Term {
  enter(s);
  try {
    return parseBeliefInner(s);
  } finally {
    s.depth--;
  }
}

function parseBeliefInner(s: State): Term {
  const start = peek(s);
  const lhs = parseRel(s);
  const op = peek(s);
  if (!BELIEF_OPS.has(op.kind)) return lhs;
  next(s);
  const rhs = parseBelief(s);
  checkPrincipal(s, lhs, start, `the subject of '${op.value.trim()}'`);
  switch (op.kind) {
    case 'believes':
      if (s.ctx.sorts && isBareTerm(rhs))
        warn(s, op, 'type.bare-term-belief', 'a belief about a bare term has no truth value in BAN; believe a statement about it instead');
      return believes(lhs, rhs);
    case 'controls':
      if (s.ctx.sorts && isBareTerm(rhs))
        warn(s, op, 'type.bare-term-jurisdiction', 'jurisdiction over a bare term has no meaning in BAN; give jurisdiction over a statement instead');
      return controls(lhs, rhs);
    case 'sees':
      return sees(lhs, rhs);
    default:
      return said(lhs, rhs);
  }
}

function parseRel(s: State): Term {
  const aTok = peek(s);
  const a = parseUnary(s);
  const op = peek(s);
  if (op.kind !== 'lkey' && op.kind !== 'lsec' && op.kind !== 'harr' && op.kind !== 'hsec') return a;
  next(s);
  const midTok = peek(s);
  const mid = parseUnary(s);
  if (op.kind === 'lkey') expect(s, 'arrow', "'->' to close '<-'");
  if (op.kind === 'lsec') expect(s, 'rsec', "'=>' to close '<='");
  const bTok = peek(s);
  const b = parseUnary(s);
  checkPrincipal(s, a, aTok, 'each side of a shared key or secret');
  checkPrincipal(s, b, bTok, 'each side of a shared key or secret');
  if (op.kind === 'lkey' || op.kind === 'harr') {
    checkKey(s, mid, midTok, 'shared', 'the key of <-K->');
    return sharedKey(a, mid, b);
  }
  checkSecret(s, mid, midTok, 'the secret of <=X=>');
  return secret(a, mid, b);
}

function parseUnary(s: State): Term {
  const t = peek(s);
  if (t.kind === 'arrow') {
    next(s);
    const kTok = peek(s);
    const key = parsePostfix(s);
    const oTok = peek(s);
    const owner = parsePostfix(s);
    checkKey(s, key, kTok, 'pub', 'the key of ->K P');
    checkPrincipal(s, owner, oTok, 'the owner of a public key');
    return pubKey(key, owner);
  }
  return parsePostfix(s);
}

function parsePostfix(s: State): Term {
  const start = peek(s);
  let p = parsePrimary(s);
  let links = 0;
  while (peek(s).kind === 'invpost') {
    // A `^-1` chain is built by this loop, not by recursion, but every link is one term level.
    if (++links > s.maxDepth) depthFail(s, peek(s));
    next(s);
    checkKey(s, p, start, 'inv', 'the key of K^-1');
    p = inv(p);
  }
  // `Na + 1`, `Nb - 1`: BAN's idealisation drops arithmetic on a value (the reply only shows it
  // answers Na), so the term is Na, with a warning that says so (docs/notation.md).
  while (peek(s).kind === 'arith') {
    const op = next(s);
    const n = peek(s);
    if (n.kind !== 'name' || !/^[0-9]+$/.test(n.value))
      failAt(s.ctx, n, `arithmetic '${op.value}' on two terms has no BAN reading; idealise it (BAN write Na + 1 as Na; a combination of values as a tuple or a function)`, 'a number, as in Na + 1');
    next(s);
    warn(s, op, 'notation.arithmetic', `'${op.value} ${n.value}' is dropped: BAN idealisation writes a reply such as Na ${op.value} ${n.value} as Na (it only shows the reply answers Na)`);
  }
  return p;
}

function parseArgs(s: State): Term[] {
  expect(s, 'lp');
  if (peek(s).kind === 'rp') failAt(s.ctx, peek(s), 'expected an argument, found \')\'', 'a term');
  const args = [parseBelief(s)];
  while (peek(s).kind === 'comma') {
    next(s);
    args.push(parseBelief(s));
  }
  expect(s, 'rp', "')' to close '('");
  return args;
}

function parseSub(s: State): Term {
  expect(s, 'under', "'_' and a key, as in {X}_K");
  if (peek(s).kind === 'lbrace') {
    next(s);
    const k = parseTuple(s);
    expect(s, 'rbrace', "'}' to close '{'");
    return k;
  }
  return parsePostfix(s);
}

/** The token where the subscript after `_` starts (inside its braces, if any). */
function subjectTok(s: State): Token {
  const a = s.toks[s.i + 1];
  const b = a?.kind === 'lbrace' ? s.toks[s.i + 2] : a;
  return b ?? peek(s);
}

function parseFrom(s: State): Term | undefined {
  const t = peek(s);
  if (t.kind !== 'name' || t.value !== 'from') return undefined;
  next(s);
  const rTok = peek(s);
  const r = parsePostfix(s);
  checkPrincipal(s, r, rTok, "the builder after 'from'");
  return r;
}

function parsePrimary(s: State): Term {
  enter(s);
  try {
    return parsePrimaryInner(s);
  } finally {
    s.depth--;
  }
}

function parsePrimaryInner(s: State): Term {
  const t = peek(s);
  switch (t.kind) {
    case 'name': {
      next(s);
      if (t.value === 'inv' && peek(s).kind === 'lp') {
        const args = parseArgs(s);
        if (args.length !== 1) failAt(s.ctx, t, 'inv takes one key', 'inv(K)');
        checkKey(s, args[0]!, t, 'inv', 'the key of inv(K)');
        return inv(args[0]!);
      }
      if (RESERVED.has(t.value)) failAt(s.ctx, t, `'${t.value}' is a reserved word`, 'a name or a term');
      // Application needs its '(' right after the name, as in H(X): `->K (X)` is not K applied to X.
      const lp = peek(s);
      if (lp.kind === 'lp' && lp.line === t.line && lp.col === t.col + t.len) {
        const args = parseArgs(s);
        if (t.value === 'PK_delta') {
          if (args.length !== 2) failAt(s.ctx, t, 'PK_delta takes a principal and a key', 'PK_delta(P, K)');
          checkPrincipal(s, args[0]!, t, 'the owner of PK_delta');
          checkKey(s, args[1]!, t, 'ka', 'the key of PK_delta');
          return kaKey(args[0]!, args[1]!);
        }
        if (s.ctx.sorts?.get(t.value) === 'predicate') return { kind: 'pred', name: t.value, args };
        if (s.ctx.sorts) {
          const so = s.ctx.sorts.get(t.value);
          if (so === undefined)
            softError(s, t, 'name.undeclared', `undeclared function '${t.value}'${(s.ctx.suggest ?? didYouMean)(t.value, namesOfSort(s.ctx.sorts, 'function'))}`, "a name declared under 'atoms' as function");
          else if (so !== 'function')
            softError(s, t, 'name.sort', `'${t.value}' is declared as ${so}, not as a function`, 'a function name');
        }
        return { kind: 'app', fn: t.value, args };
      }
      if (s.ctx.sorts) {
        const so = s.ctx.sorts.get(t.value);
        if (so === undefined) {
          // A short capitalised name in an assumption is usually a schematic variable without its '?'.
          const schematic = /^[A-Z][A-Za-z]?'?$/.test(t.value);
          const hint = schematic
            ? s.ctx.allowVars
              ? `; a schematic variable (any value) is written '?${t.value}'`
              : `; schematic variables ('?${t.value}') are allowed in assumptions only`
            : (s.ctx.suggest ?? didYouMean)(t.value, s.ctx.sorts.keys());
          softError(s, t, 'name.undeclared', `undeclared name '${t.value}'${hint}`, schematic && s.ctx.allowVars ? `?${t.value}, or a name declared under 'principals' or 'atoms'` : "a name declared under 'principals' or 'atoms'");
        } else if (so === 'function' || so === 'predicate')
          softError(s, t, 'name.sort', `'${t.value}' is a ${so}; apply it, as in ${t.value}(X)`, `${t.value}(...)`);
      }
      return atom(t.value);
    }
    case 'var':
      next(s);
      if (!s.ctx.allowVars)
        softError(s, t, 'name.variable', `variable '?${t.value}' outside an assumption${s.ctx.varsContext ? ` (in ${s.ctx.varsContext})` : ''}`, 'a declared name (variables are allowed in assumptions only)');
      return v(t.value);
    case 'lp': {
      next(s);
      if (peek(s).kind === 'rp') failAt(s.ctx, peek(s), "empty parentheses", 'a term');
      const inner = parseTuple(s);
      expect(s, 'rp', "')' to close '('");
      return inner;
    }
    case 'fresh': {
      next(s);
      expect(s, 'lp', "'(' after '#'");
      if (peek(s).kind === 'rp') failAt(s.ctx, peek(s), 'empty freshness', 'a term');
      const inner = parseTuple(s);
      expect(s, 'rp', "')' to close '#('");
      return fresh(inner);
    }
    case 'lbrace': {
      next(s);
      const body = parseTuple(s);
      expect(s, 'rbrace', "'}' to close '{'");
      const kTok = subjectTok(s);
      const key = parseSub(s);
      checkKey(s, key, kTok, 'enc', 'the key of {X}_K');
      const from = parseFrom(s);
      return enc(body, key, from);
    }
    case 'langle': {
      next(s);
      const body = parseTuple(s);
      expect(s, 'rangle', "'>' to close '<'");
      const kTok = subjectTok(s);
      const sec = parseSub(s);
      checkSecret(s, sec, kTok, 'the secret of <X>_Y');
      const from = parseFrom(s);
      return comb(body, sec, from);
    }
    default:
      return failAt(s.ctx, t, `expected a term, found ${describe(t)}`, 'a name, (, {, <, #(, ->K or ?X');
  }
}

/**
 * Parses tokens as one term that must use them all. Syntax errors throw ParseFail; name and
 * sort problems go to ctx.errors / ctx.warnings.
 */
export function parseTermTokens(toks: Token[], ctx: TermCtx, end: { line: number; col: number }): Term {
  const s: State = { toks, i: 0, ctx, end, depth: 0, maxDepth: ctx.maxDepth ?? DEFAULT_LIMITS.maxDepth };
  if (toks.length === 0) failAt(ctx, peek(s), 'expected a term, found nothing', 'a term');
  let t: Term;
  try {
    t = parseTuple(s);
  } catch (e) {
    // Backstop only: the bounds above keep recursion far from the stack's end.
    if (e instanceof RangeError && /call stack/i.test(e.message)) depthFail(s, toks[0]!);
    throw e;
  }
  // The term tree itself is bounded too, so no later stage (fillBuilders, the BAN engine, the
  // printer) can be driven into deep recursion by input.
  if (termDepth(t) > s.maxDepth) depthFail(s, toks[0]!);
  const rest = peek(s);
  if (rest.kind !== 'eof') {
    const hint = BELIEF_OPS.has(rest.kind) ? ' (the left side of a belief operator must be a principal term; add parentheses)' : '';
    failAt(ctx, rest, `unexpected ${describe(rest)} after a complete term${hint}`, 'end of item, or an operator');
  }
  return t;
}

/** Sorts map from declarations. */
export function sortsOf(decls: readonly Declaration[]): Map<string, AtomSort> {
  return new Map(decls.map((d) => [d.name, d.sort]));
}

/** Lexes a (possibly multi-line) text, first line at (line, col). */
export function lexText(file: string, text: string, line = 1, col = 1): Token[] {
  const out: Token[] = [];
  text.split(/\r?\n/).forEach((l, k) => {
    for (const t of lexLine(file, line + k, l, k === 0 ? col : 1)) out.push(t);
  });
  return out;
}

/**
 * A formula from the command line (`bantam why spec.ban 'HA |= P |~ X'`). With a context (a
 * Spec's declarations) every name is checked. Throws UserError with a caret diagnostic.
 */
export function parseFormula(
  text: string,
  ctx?: { declarations?: readonly Declaration[]; allowVars?: boolean; file?: string },
): Term {
  return parseFormulaWithWarnings(text, ctx).term;
}

/** parseFormula, also returning the type.* warnings (only made when declarations are given). */
export function parseFormulaWithWarnings(
  text: string,
  ctx?: { declarations?: readonly Declaration[]; allowVars?: boolean; file?: string },
): { term: Term; warnings: Diagnostic[] } {
  const file = ctx?.file ?? '<formula>';
  const tctx: TermCtx = {
    file,
    allowVars: ctx?.allowVars ?? true,
    errors: [],
    warnings: [],
    ...(ctx?.declarations ? { sorts: sortsOf(ctx.declarations) } : {}),
  };
  const sources = new Map([[file, text]]);
  let term: Term;
  try {
    const lines = text.split(/\r?\n/);
    const toks = lexText(file, text);
    term = parseTermTokens(toks, tctx, { line: lines.length, col: (lines[lines.length - 1] ?? '').length + 1 });
  } catch (e) {
    if (e instanceof ParseFail || e instanceof LexError) {
      throw new UserError(`bad formula: ${e.diagnostic.message}`, [e.diagnostic], 2, sources);
    }
    throw e;
  }
  if (tctx.errors.length > 0) throw new UserError(`bad formula: ${tctx.errors[0]!.message}`, tctx.errors, 2, sources);
  return { term, warnings: tctx.warnings };
}
