/**
 * Syntax of the flow language's expressions and action bodies (docs/flow.md "Expressions"):
 *
 *   expr     = sum
 *   sum      = product (('+' | '-') product)*
 *   product  = atom (('·' | '*') atom)*
 *   atom     = NAME | NAME '(' [expr (',' expr)*] ')' | '(' expr (',' expr)* ')' | STRING | INT
 *   pattern  = NAME [':' SORT] | '(' pattern (',' pattern)* ')'
 *
 *   computes  pattern '=' expr          checks   expr '=?' expr | expr
 *   generates NAME ':' SORT, ...        knows / publishes / stores   NAME, ...  (or '(' NAME, ... ')')
 *   calls     NAME '(' expr, ... ')'    share    NAME ':' SORT
 *
 * Positions are offsets into the action's text; the checker turns them into file:line:col.
 * Parsing never throws: it returns the syntax tree or one positioned syntax error.
 *
 * Nesting is bounded (issue 18: no recursion depth reachable by input): at most MAX_NESTING open
 * parentheses (this parser's recursion), and an expression tree at most MAX_NESTING deep (a chain
 * `a - b - c …` nests one level per operator), so the checker and the interpreter, which walk the
 * tree recursively, cannot overflow the stack either.
 */

/** Bound on parentheses open at once and on the depth of an expression's tree (the spec's default depth limit). */
export const MAX_NESTING = 200;

export type Expr =
  | { kind: 'name'; name: string; at: number; len: number }
  | { kind: 'call'; fn: string; args: Expr[]; at: number; len: number }
  | { kind: 'binop'; op: '+' | '-' | '*'; left: Expr; right: Expr; at: number; len: number }
  | { kind: 'tuple'; items: Expr[]; at: number; len: number }
  | { kind: 'string'; value: string; at: number; len: number }
  | { kind: 'int'; value: number; at: number; len: number };

export type Pattern =
  | { kind: 'bind'; name: string; sortName?: string; at: number; len: number }
  | { kind: 'tuple'; items: Pattern[]; at: number; len: number };

export interface Decl {
  name: string;
  sortName: string;
  at: number;
  len: number;
}

export type ActionSyntax =
  | { kind: 'compute'; target: Pattern; expr: Expr }
  | { kind: 'check'; left: Expr; right?: Expr }
  | { kind: 'generate'; decls: Decl[] }
  | { kind: 'share'; decl: Decl }
  | { kind: 'names'; names: { name: string; at: number; len: number }[] }
  | { kind: 'call'; call: Expr & { kind: 'call' } };

export interface SyntaxError {
  at: number;
  len: number;
  message: string;
  expected: string;
}

type Tok = { t: 'name' | 'str' | 'int' | 'op' | 'end'; s: string; at: number };

function lex(text: string): Tok[] | SyntaxError {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const m = /^[A-Za-z][A-Za-z0-9_']*/.exec(text.slice(i));
    if (m) {
      toks.push({ t: 'name', s: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const d = /^\d+/.exec(text.slice(i));
    if (d) {
      toks.push({ t: 'int', s: d[0], at: i });
      i += d[0].length;
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return { at: i, len: text.length - i, message: 'unterminated string', expected: 'a closing "' };
      toks.push({ t: 'str', s: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if (text.startsWith('=?', i)) {
      toks.push({ t: 'op', s: '=?', at: i });
      i += 2;
      continue;
    }
    if ('()+-*·,=:'.includes(c)) {
      toks.push({ t: 'op', s: c === '·' ? '*' : c, at: i });
      i++;
      continue;
    }
    return { at: i, len: 1, message: `unexpected '${c}' in an expression`, expected: "a name, a call f(...), a tuple (...), '·', '+', '-', a string or '=?'" };
  }
  toks.push({ t: 'end', s: '', at: text.length });
  return toks;
}

class ParseFail {
  constructor(readonly err: SyntaxError) {}
}

class P {
  i = 0;
  /** Parentheses open at this point of the parse. */
  open = 0;
  constructor(
    readonly toks: Tok[],
    readonly text: string,
  ) {}
  peek(): Tok {
    return this.toks[this.i]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  isOp(s: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.s === s;
  }
  fail(message: string, expected: string, tok = this.peek()): never {
    throw new ParseFail({ at: tok.at, len: Math.max(1, tok.t === 'end' ? 1 : tok.t === 'str' ? tok.s.length + 2 : tok.s.length), message, expected });
  }
  expectOp(s: string, expected: string): Tok {
    if (!this.isOp(s)) this.fail(this.peek().t === 'end' ? `expected '${s}'` : `unexpected '${this.peek().s}'`, expected);
    return this.next();
  }
  /** Enters one parenthesis level (at the '(' token just consumed). */
  enter(tok: Tok): void {
    if (++this.open > MAX_NESTING) this.fail(`parentheses nested deeper than ${MAX_NESTING}`, `at most ${MAX_NESTING} levels of parentheses`, tok);
  }
  /** Depth of each expression tree built so far (a leaf is 1). */
  readonly depth = new WeakMap<Expr, number>();
  depthOf(e: Expr): number {
    return this.depth.get(e) ?? 1;
  }
  /** Records a node one level above `children`; fails when the tree gets deeper than MAX_NESTING. */
  node<E extends Expr>(e: E, children: readonly Expr[], tok: Tok): E {
    const d = 1 + Math.max(0, ...children.map((c) => this.depthOf(c)));
    if (d > MAX_NESTING) this.fail(`an expression nested deeper than ${MAX_NESTING}`, `at most ${MAX_NESTING} levels (bracket a long sum or product into parts)`, tok);
    this.depth.set(e, d);
    return e;
  }
  endOf(from: number): number {
    const prev = this.toks[this.i - 1]!;
    const end = prev.at + (prev.t === 'str' ? prev.s.length + 2 : prev.s.length);
    return end - from;
  }

  expr(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const opTok = this.next();
      const op = opTok.s as '+' | '-';
      const right = this.product();
      left = this.node({ kind: 'binop', op, left, right, at: left.at, len: this.endOf(left.at) }, [left, right], opTok);
    }
    return left;
  }
  product(): Expr {
    let left = this.atom();
    while (this.isOp('*')) {
      const opTok = this.next();
      const right = this.atom();
      left = this.node({ kind: 'binop', op: '*', left, right, at: left.at, len: this.endOf(left.at) }, [left, right], opTok);
    }
    return left;
  }
  atom(): Expr {
    const t = this.peek();
    if (t.t === 'name') {
      this.next();
      if (this.isOp('(')) {
        this.enter(this.next());
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.expr());
          while (this.isOp(',')) {
            this.next();
            args.push(this.expr());
          }
        }
        this.expectOp(')', `')' to close ${t.s}(`);
        this.open--;
        return this.node({ kind: 'call', fn: t.s, args, at: t.at, len: this.endOf(t.at) }, args, t);
      }
      return { kind: 'name', name: t.s, at: t.at, len: t.s.length };
    }
    if (t.t === 'str') {
      this.next();
      return { kind: 'string', value: t.s, at: t.at, len: t.s.length + 2 };
    }
    if (t.t === 'int') {
      this.next();
      return { kind: 'int', value: Number(t.s), at: t.at, len: t.s.length };
    }
    if (this.isOp('(')) {
      this.enter(this.next());
      const items = [this.expr()];
      while (this.isOp(',')) {
        this.next();
        items.push(this.expr());
      }
      this.expectOp(')', "')' to close '('");
      this.open--;
      if (items.length === 1) return items[0]!;
      return this.node({ kind: 'tuple', items, at: t.at, len: this.endOf(t.at) }, items, t);
    }
    return this.fail(t.t === 'end' ? 'the expression ends too early' : `unexpected '${t.s}'`, 'a name, a call f(...), a tuple (...) or a string');
  }
  pattern(): Pattern {
    const t = this.peek();
    if (t.t === 'name') {
      this.next();
      if (this.isOp(':')) {
        this.next();
        const s = this.peek();
        if (s.t !== 'name') this.fail('expected a sort after ":"', 'a sort: scalar, point, bytes, id, key, nonce, hash, mac, signature, ciphertext, pke');
        this.next();
        return { kind: 'bind', name: t.s, sortName: s.s, at: t.at, len: this.endOf(t.at) };
      }
      return { kind: 'bind', name: t.s, at: t.at, len: t.s.length };
    }
    if (this.isOp('(')) {
      this.enter(this.next());
      const items = [this.pattern()];
      while (this.isOp(',')) {
        this.next();
        items.push(this.pattern());
      }
      this.expectOp(')', "')' to close the pattern");
      this.open--;
      if (items.length === 1) return items[0]!;
      return { kind: 'tuple', items, at: t.at, len: this.endOf(t.at) };
    }
    return this.fail('expected a name or a tuple of names to bind', 'NAME = ... or (NAME, NAME) = ...');
  }
  decl(): Decl {
    const t = this.peek();
    if (t.t !== 'name') this.fail('expected a name', 'NAME: SORT');
    this.next();
    this.expectOp(':', 'NAME: SORT (e.g. Na: nonce)');
    const s = this.peek();
    if (s.t !== 'name') this.fail('expected a sort', 'a sort: scalar, nonce, key, bytes, ...');
    this.next();
    return { name: t.s, sortName: s.s, at: t.at, len: this.endOf(t.at) };
  }
  end(what: string): void {
    if (this.peek().t !== 'end') this.fail(`unexpected '${this.peek().s}' after ${what}`, 'end of the action (an equation number goes last, as (N))');
  }
}

function run<T>(text: string, f: (p: P) => T): { ok: true; value: T } | { ok: false; error: SyntaxError } {
  const toks = lex(text);
  if (!Array.isArray(toks)) return { ok: false, error: toks };
  const p = new P(toks, text);
  try {
    return { ok: true, value: f(p) };
  } catch (e) {
    if (e instanceof ParseFail) return { ok: false, error: e.err };
    throw e;
  }
}

export function parseExpr(text: string): { ok: true; value: Expr } | { ok: false; error: SyntaxError } {
  return run(text, (p) => {
    const e = p.expr();
    p.end('the expression');
    return e;
  });
}

/** Parses the body of an action of the given verb kind (FlowAction['kind']). */
export function parseActionBody(kind: string, text: string): { ok: true; value: ActionSyntax } | { ok: false; error: SyntaxError } {
  return run(text, (p): ActionSyntax => {
    switch (kind) {
      case 'compute': {
        const target = p.pattern();
        p.expectOp('=', "'=' between the name(s) computed and the expression");
        const expr = p.expr();
        p.end('the expression');
        return { kind: 'compute', target, expr };
      }
      case 'check': {
        const left = p.expr();
        if (p.isOp('=?')) {
          p.next();
          const right = p.expr();
          p.end('the check');
          return { kind: 'check', left, right };
        }
        p.end('the check');
        return { kind: 'check', left };
      }
      case 'generate': {
        const decls = [p.decl()];
        while (p.isOp(',')) {
          p.next();
          decls.push(p.decl());
        }
        p.end('the declarations');
        return { kind: 'generate', decls };
      }
      case 'share': {
        const decl = p.decl();
        p.end('the declaration');
        return { kind: 'share', decl };
      }
      case 'contract': {
        const e = p.atom();
        if (e.kind !== 'call') return p.fail('expected a call', 'NAME(ARG, ...)', p.toks[0]);
        p.end('the call');
        return { kind: 'call', call: e };
      }
      default: {
        // know, publish, store: a list of names, optionally in parentheses
        const paren = p.isOp('(');
        if (paren) p.next();
        const names: { name: string; at: number; len: number }[] = [];
        do {
          if (names.length) p.next();
          const t = p.peek();
          if (t.t !== 'name') p.fail('expected a name', 'NAME, NAME, ...');
          p.next();
          names.push({ name: t.s, at: t.at, len: t.s.length });
        } while (p.isOp(','));
        if (paren) p.expectOp(')', "')'");
        p.end('the names');
        return { kind: 'names', names };
      }
    }
  });
}

/** Every name an expression reads, in order (calls' function names excluded). */
export function namesIn(e: Expr, out: (Expr & { kind: 'name' })[] = []): (Expr & { kind: 'name' })[] {
  switch (e.kind) {
    case 'name':
      out.push(e);
      break;
    case 'call':
      for (const a of e.args) namesIn(a, out);
      break;
    case 'binop':
      namesIn(e.left, out);
      namesIn(e.right, out);
      break;
    case 'tuple':
      for (const a of e.items) namesIn(a, out);
      break;
  }
  return out;
}

/** The expression as text, normalised (for traces and diagrams). */
export function showExpr(e: Expr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'call':
      return `${e.fn}(${e.args.map(showExpr).join(', ')})`;
    case 'binop':
      return `${showExpr(e.left)}${e.op === '*' ? '·' : ` ${e.op} `}${showExpr(e.right)}`;
    case 'tuple':
      return `(${e.items.map(showExpr).join(', ')})`;
    case 'string':
      return JSON.stringify(e.value);
    case 'int':
      return String(e.value);
  }
}
