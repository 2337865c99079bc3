/**
 * What the model's TypeScript does, read with ts-morph (syntax plus symbol resolution; no type
 * checking, no execution). docs/conformance.md states every rule below and its limits.
 *
 * - units: module-level functions (`function f`, `const f = (...) => ...`) and other module-level
 *   constants (tables such as a routing map), the nodes of the reference graph;
 * - `@eq N` tags: JSDoc on a function (the site is every call of it) or on a statement inside a
 *   function (the site is that statement);
 * - receives: a unit handles step S when its declared type or a parameter type is a generic
 *   type applied to the literal `'S'` (`Handler<'initial.2', …>`, `Message<'registration.1'>`);
 * - sends: an object literal `{ step: 'S', fields: { … } }` with S a known step id;
 * - events of a unit in evaluation order (a call counts at its end: arguments are evaluated before
 *   the call itself): equation sites, smart-contract calls (a call of a function named after the
 *   contract, or a call given the contract's name as a string literal), sends and returns.
 *   Calls of other units of the checked folder are followed (3 levels) and their events placed at
 *   the call;
 * - abort guards: a function whose body has `if (!param) throw …` guards on that parameter; an
 *   inline `if (cond) throw …` guards on `cond`.
 */
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';

export interface Unit {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** FunctionDeclaration or VariableDeclaration: what identifiers resolve to. */
  readonly decl: Node;
  /** Function body, or the initializer of a data constant. */
  readonly body: Node;
  readonly isFunction: boolean;
  readonly receives: readonly string[];
}

export interface TagSite {
  /** null when the tag's text does not start with a positive integer. */
  readonly eq: number | null;
  readonly raw: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Offset of the tag in its file. */
  readonly pos: number;
  /** Declared name of the tagged function, or `(statement in f)`. */
  readonly name: string;
  /** Function site: the declaration callers resolve to. */
  readonly decl?: Node;
  /** Statement site: the tagged statement and the unit holding it. */
  readonly stmt?: Node;
  readonly unit?: Unit;
}

export interface Ev {
  readonly kind: 'eq' | 'contract' | 'send' | 'return' | 'write';
  /** Evaluation order key within the unit. */
  readonly key: number;
  /** Node in the unit's own body (for code inlined from a helper: the call of the helper). */
  readonly node: Node;
  readonly eq?: number;
  readonly contract?: string;
  readonly step?: string;
  readonly fields?: readonly string[];
  /** For an equation: the invocation whose result is the equation's value (absent for a bare reference). */
  readonly call?: Node;
  /** Contract event found by a string literal naming the contract (not a call of the contract itself). */
  readonly named?: boolean;
  readonly via?: string;
  /** Source text of what happened (for code inlined from a helper: the helper's own statement). */
  readonly text?: string;
}

export interface CodeModel {
  readonly project: Project;
  readonly files: readonly SourceFile[];
  readonly units: readonly Unit[];
  readonly unitOfDecl: ReadonlyMap<Node, Unit>;
  readonly tags: readonly TagSite[];
  /** Comments that look like tags but are not JSDoc (not counted). */
  readonly strayTags: readonly { file: string; line: number; text: string; kind: 'not-jsdoc' | 'detached' }[];
  readonly fnTags: ReadonlyMap<Node, TagSite>;
  readonly stmtTags: ReadonlyMap<Node, TagSite>;
  readonly guardParam: ReadonlyMap<Unit, number>;
  readonly display: (sf: SourceFile) => string;
}

/** Paper contract → model functions implementing it (contracts.md: ptlink is the paper's second ptins form). */
export const CONTRACT_ALIASES: Readonly<Record<string, string>> = { ptlink: 'ptins' };

export function unwrapExpr(n: Node): Node {
  let x = n;
  for (;;) {
    if (Node.isAsExpression(x) || Node.isSatisfiesExpression(x) || Node.isParenthesizedExpression(x) || Node.isNonNullExpression(x)) x = x.getExpression();
    else return x;
  }
}

/** The declaration an identifier refers to, through imports and re-exports. */
export function declOf(id: Node): Node | undefined {
  let s = id.getSymbol();
  if (!s) return undefined;
  if (s.isAlias()) s = s.getAliasedSymbol() ?? s;
  return s.getDeclarations()[0];
}

/** The statement that directly sits in a block (or source file) and contains n. */
export function enclosingStatement(n: Node): Node {
  let x = n;
  for (;;) {
    const p = x.getParent();
    if (!p || Node.isBlock(p) || Node.isSourceFile(p) || Node.isCaseClause(p) || Node.isDefaultClause(p)) return x;
    // a function body that is an expression (`(l) => f(l)`) is its own statement
    if (Node.isArrowFunction(p) && p.getBody() === x) return x;
    x = p;
  }
}

function stepLiteralsIn(typeNode: Node | undefined, steps: ReadonlySet<string>): string[] {
  if (!typeNode) return [];
  const out: string[] = [];
  const refs = [typeNode, ...typeNode.getDescendants()].filter((d) => Node.isTypeReference(d));
  for (const r of refs) {
    if (!Node.isTypeReference(r)) continue;
    const a = r.getTypeArguments()[0];
    if (a && Node.isLiteralTypeNode(a)) {
      const lit = a.getLiteral();
      if (Node.isStringLiteral(lit) && steps.has(lit.getLiteralValue())) out.push(lit.getLiteralValue());
    }
  }
  return out;
}

function fnOf(init: Node | undefined): Node | undefined {
  const u = init ? unwrapExpr(init) : undefined;
  return u && (Node.isArrowFunction(u) || Node.isFunctionExpression(u)) ? u : undefined;
}

function collectUnits(sf: SourceFile, file: string, steps: ReadonlySet<string>): Unit[] {
  const out: Unit[] = [];
  for (const st of sf.getStatements()) {
    if (Node.isFunctionDeclaration(st)) {
      const body = st.getBody();
      if (!body) continue;
      const receives = st.getParameters().flatMap((p) => stepLiteralsIn(p.getTypeNode(), steps));
      out.push({ name: st.getName() ?? '(anonymous)', file, line: st.getStartLineNumber(), decl: st, body, isFunction: true, receives });
    } else if (Node.isVariableStatement(st)) {
      for (const d of st.getDeclarations()) {
        const init = d.getInitializer();
        if (!init) continue;
        const fn = fnOf(init);
        if (fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
          const receives = [...stepLiteralsIn(d.getTypeNode(), steps), ...fn.getParameters().flatMap((p) => stepLiteralsIn(p.getTypeNode(), steps))];
          out.push({ name: d.getName(), file, line: d.getStartLineNumber(), decl: d, body: fn.getBody(), isFunction: true, receives: [...new Set(receives)] });
        } else {
          out.push({ name: d.getName(), file, line: d.getStartLineNumber(), decl: d, body: init, isFunction: false, receives: [] });
        }
      }
    }
  }
  return out;
}

function innermostUnit(n: Node, unitOfDecl: ReadonlyMap<Node, Unit>): Unit | undefined {
  for (const a of n.getAncestors()) {
    const u = unitOfDecl.get(a);
    if (u) return u;
  }
  return undefined;
}

function collectTags(sf: SourceFile, file: string, unitOfDecl: ReadonlyMap<Node, Unit>): TagSite[] {
  const out: TagSite[] = [];
  const seen = new Set<Node>();
  sf.forEachDescendant((n) => {
    if (!Node.isJSDocable(n)) return;
    for (const doc of n.getJsDocs()) {
      if (seen.has(doc)) continue;
      seen.add(doc);
      for (const tag of doc.getTags()) {
        if (tag.getTagName() !== 'eq') continue;
        const raw = (tag.getCommentText() ?? '').trim();
        const m = /^(\d+)(?![\d\w])/.exec(raw);
        const eq = m && Number(m[1]) > 0 ? Number(m[1]) : null;
        const { line, column } = sf.getLineAndColumnAtPos(tag.getStart());
        let decl: Node | undefined;
        let stmt: Node | undefined;
        let name: string;
        const top = n.getParent() && Node.isSourceFile(n.getParent()!);
        if (Node.isFunctionDeclaration(n)) {
          decl = n;
          name = n.getName() ?? '(anonymous function)';
        } else if (Node.isVariableStatement(n) && top && n.getDeclarations().length === 1 && fnOf(n.getDeclarations()[0]!.getInitializer())) {
          decl = n.getDeclarations()[0]!;
          name = n.getDeclarations()[0]!.getName();
        } else if ((Node.isMethodDeclaration(n) || Node.isPropertyAssignment(n)) && (Node.isMethodDeclaration(n) || fnOf(n.getInitializer()))) {
          decl = n;
          name = n.getName();
        } else {
          stmt = n;
          const u = innermostUnit(n, unitOfDecl);
          name = u ? `(statement in ${u.name})` : '(module statement)';
        }
        const unit = stmt ? innermostUnit(stmt, unitOfDecl) : undefined;
        out.push({ eq, raw: `@eq ${raw}`, file, line, col: column, pos: tag.getStart(), name, ...(decl ? { decl } : {}), ...(stmt ? { stmt } : {}), ...(unit ? { unit } : {}) });
      }
    }
  });
  return out;
}

/**
 * `@eq` the JSDoc reader does not see: in a `//` or `/* *\/` comment (`not-jsdoc`), or in a
 * `/** *\/` block attached to no declaration or statement (`detached`). Strings are skipped.
 */
function strayTagsOf(sf: SourceFile, file: string, seenAt: readonly number[]): { file: string; line: number; text: string; kind: 'not-jsdoc' | 'detached' }[] {
  const text = sf.getFullText();
  const out: { file: string; line: number; text: string; kind: 'not-jsdoc' | 'detached' }[] = [];
  const re = /\/\*\*[\s\S]*?\*\/|\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const c = m[0];
    if (!c.startsWith('/') || !/@eq\b/.test(c)) continue;
    const line = sf.getLineAndColumnAtPos(m.index).line;
    const snippet = c.replace(/\s+/g, ' ').trim().slice(0, 80);
    if (!c.startsWith('/**')) out.push({ file, line, text: snippet, kind: 'not-jsdoc' });
    else if (!seenAt.some((p) => p >= m!.index && p < m!.index + c.length)) out.push({ file, line, text: snippet, kind: 'detached' });
  }
  return out;
}

function guardParamOf(u: Unit): number | undefined {
  if (!u.isFunction || !Node.isBlock(u.body)) return undefined;
  const fn = u.body.getParent();
  if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return undefined;
  const params = fn.getParameters().map((p) => p.getName());
  for (const st of u.body.getStatements()) {
    if (!Node.isIfStatement(st)) continue;
    const c = unwrapExpr(st.getExpression());
    if (!Node.isPrefixUnaryExpression(c) || c.getOperatorToken() !== SyntaxKind.ExclamationToken) continue;
    const operand = unwrapExpr(c.getOperand());
    if (!Node.isIdentifier(operand)) continue;
    if (!throwsFirst(st.getThenStatement())) continue;
    const i = params.indexOf(operand.getText());
    if (i >= 0) return i;
  }
  return undefined;
}

export function throwsFirst(s: Node): boolean {
  if (Node.isThrowStatement(s)) return true;
  if (Node.isBlock(s)) {
    const first = s.getStatements()[0];
    return first !== undefined && Node.isThrowStatement(first);
  }
  return false;
}

export interface LoadOptions {
  /** Files of the checked folder (tags, handlers, sends are looked for here). */
  readonly srcFiles: readonly string[];
  /** The file holding MESSAGE_SCHEMAS. */
  readonly messagesFile: string;
  /** More files for symbol resolution and the test reference graph (other source folders, tests). */
  readonly extraFiles: readonly string[];
  readonly steps: ReadonlySet<string>;
  readonly display: (abs: string) => string;
}

export function loadCode(o: LoadOptions): CodeModel {
  const project = new Project({
    compilerOptions: { noResolve: true, noLib: true, types: [], allowJs: false, module: 199 /* NodeNext */, moduleResolution: 99 /* NodeNext */, target: 9 /* ES2022 */ },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
  });
  const all = [...new Set([...o.srcFiles, o.messagesFile, ...o.extraFiles])];
  for (const f of all) project.addSourceFileAtPath(f);
  const files = o.srcFiles.map((f) => project.getSourceFileOrThrow(f));
  const display = (sf: SourceFile) => o.display(sf.getFilePath());
  const units: Unit[] = [];
  const unitOfDecl = new Map<Node, Unit>();
  // Units of every loaded file (the reference graph spans them); tags only in the checked folder.
  for (const sf of project.getSourceFiles()) {
    for (const u of collectUnits(sf, display(sf), o.steps)) {
      units.push(u);
      unitOfDecl.set(u.decl, u);
    }
  }
  const tagsByFile = files.map((sf) => collectTags(sf, display(sf), unitOfDecl));
  const tags = tagsByFile.flat();
  const strayTags = files.flatMap((sf, i) => strayTagsOf(sf, display(sf), tagsByFile[i]!.map((t) => t.pos)));
  const fnTags = new Map<Node, TagSite>();
  const stmtTags = new Map<Node, TagSite>();
  for (const t of tags) {
    if (t.eq === null) continue;
    if (t.decl && !fnTags.has(t.decl)) fnTags.set(t.decl, t);
    if (t.stmt && !stmtTags.has(t.stmt)) stmtTags.set(t.stmt, t);
  }
  const guardParam = new Map<Unit, number>();
  for (const u of units) {
    const g = guardParamOf(u);
    if (g !== undefined) guardParam.set(u, g);
  }
  return { project, files, units, unitOfDecl, tags, strayTags, fnTags, stmtTags, guardParam, display };
}

/** Last identifier of a callee expression: `f`, `E.f`, `a.b.f`. */
export function calleeName(call: Node): Node | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const e = unwrapExpr(call.getExpression());
  if (Node.isIdentifier(e)) return e;
  if (Node.isPropertyAccessExpression(e)) return e.getNameNode();
  return undefined;
}

/** Is `n` inside a nested function of the unit (not the unit's own function)? */
function ownFunction(n: Node): Node | undefined {
  return n.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a));
}

export function sendOf(n: Node, steps: ReadonlySet<string>): { step: string; fields: string[] } | undefined {
  if (!Node.isObjectLiteralExpression(n)) return undefined;
  const sp = n.getProperty('step');
  const fp = n.getProperty('fields');
  if (!sp || !fp || !Node.isPropertyAssignment(sp) || !Node.isPropertyAssignment(fp)) return undefined;
  const s = unwrapExpr(sp.getInitializerOrThrow());
  const f = unwrapExpr(fp.getInitializerOrThrow());
  if (!Node.isStringLiteral(s) || !steps.has(s.getLiteralValue()) || !Node.isObjectLiteralExpression(f)) return undefined;
  const fields = f.getProperties().map((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? p.getName() : p.getText()));
  return { step: s.getLiteralValue(), fields };
}

const isTarget = (e: Node) => {
  const u = unwrapExpr(e);
  return Node.isPropertyAccessExpression(u) || Node.isElementAccessExpression(u);
};

/**
 * A write to state that outlives the step: an assignment to, or `++`/`--` of, a property
 * (`env.ledger = …`, `p.nextSession++`), or `.set/.add/.delete/.push/.clear` on a property
 * (`p.sessions.set(…)`); writes to the step's own local variables are not state.
 */
export function isStateWrite(n: Node): boolean {
  if (Node.isBinaryExpression(n)) {
    const k = n.getOperatorToken().getKind();
    const assign = k === SyntaxKind.EqualsToken || k === SyntaxKind.PlusEqualsToken || k === SyntaxKind.MinusEqualsToken;
    return assign && isTarget(n.getLeft());
  }
  if (Node.isPostfixUnaryExpression(n) || Node.isPrefixUnaryExpression(n)) {
    const op = n.getOperatorToken();
    return (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) && isTarget(n.getOperand());
  }
  if (Node.isCallExpression(n)) {
    const e = unwrapExpr(n.getExpression());
    return Node.isPropertyAccessExpression(e) && ['set', 'add', 'delete', 'push', 'clear'].includes(e.getName()) && isTarget(e.getExpression());
  }
  return false;
}

/**
 * The unit's events in evaluation order. `contracts`: contract names to recognise (paper names);
 * helpers in `inlineFiles` are followed.
 */
export function eventsOf(cm: CodeModel, u: Unit, contracts: ReadonlySet<string>, steps: ReadonlySet<string>, inlineFiles: ReadonlySet<string>, depth = 0, stack: ReadonlySet<Unit> = new Set()): Ev[] {
  const evs: Ev[] = [];
  const aliases = new Map<string, number[]>(); // local variable name → equations it may hold (function values)
  const contractOf = (name: string): string | undefined => {
    const c = CONTRACT_ALIASES[name] ?? name;
    return contracts.has(c) ? c : undefined;
  };
  const ownFn = u.isFunction ? u.body.getParent() : undefined;
  u.body.forEachDescendant((n) => {
    const st = cm.stmtTags.get(n);
    if (st && st.eq !== null) evs.push({ kind: 'eq', eq: st.eq, key: n.getEnd(), node: n, call: n });
    if (Node.isIdentifier(n)) {
      const parent = n.getParent();
      if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() !== n) return;
      if (parent && (Node.isVariableDeclaration(parent) || Node.isParameterDeclaration(parent) || Node.isPropertyAssignment(parent)) && parent.getNameNode() === n) return;
      const expr = Node.isPropertyAccessExpression(parent) && parent.getNameNode() === n ? parent : n;
      const call = expr.getParent();
      const isCallee = call !== undefined && Node.isCallExpression(call) && unwrapExpr(call.getExpression()) === expr;
      const d = declOf(n);
      const tag = d ? cm.fnTags.get(d) : undefined;
      if (tag && tag.eq !== null) {
        if (isCallee) evs.push({ kind: 'eq', eq: tag.eq, key: call.getEnd(), node: call, call });
        else {
          evs.push({ kind: 'eq', eq: tag.eq, key: expr.getEnd(), node: expr });
          // a function value kept in a local: `const check = c ? E.eq5 : E.eq9`
          const holder = expr.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
          if (holder && Node.isIdentifier(holder.getNameNode())) aliases.set(holder.getName(), [...(aliases.get(holder.getName()) ?? []), tag.eq]);
        }
        return;
      }
      const al = isCallee && Node.isIdentifier(expr) ? aliases.get(n.getText()) : undefined;
      if (al && isCallee) for (const eq of al) evs.push({ kind: 'eq', eq, key: call.getEnd(), node: call, call });
      return;
    }
    if (Node.isCallExpression(n)) {
      if (isStateWrite(n)) evs.push({ kind: 'write', key: n.getEnd(), node: n, text: n.getText() });
      const cn = calleeName(n);
      const byName = cn ? contractOf(cn.getText()) : undefined;
      if (byName) evs.push({ kind: 'contract', contract: byName, key: n.getEnd(), node: n, call: n });
      for (const a of n.getArguments()) {
        const ua = unwrapExpr(a);
        if (Node.isStringLiteral(ua) && contracts.has(ua.getLiteralValue())) evs.push({ kind: 'contract', contract: ua.getLiteralValue(), key: n.getEnd(), node: n, named: true });
      }
      if (!byName && cn && depth < 3) {
        const d = declOf(cn);
        const h = d ? cm.unitOfDecl.get(d) : undefined;
        if (h && h.isFunction && !cm.fnTags.has(h.decl) && !cm.guardParam.has(h) && !stack.has(h) && inlineFiles.has(h.file)) {
          const inner = eventsOf(cm, h, contracts, steps, inlineFiles, depth + 1, new Set([...stack, u]));
          inner.filter((e) => e.kind !== 'return').forEach((e, i) => {
            const { call: _c, ...rest } = e;
            evs.push({ ...rest, key: n.getEnd() + (i + 1) / (inner.length + 1), node: n, via: e.via ?? h.name });
          });
        }
      }
      return;
    }
    const send = sendOf(n, steps);
    if (send) {
      evs.push({ kind: 'send', step: send.step, fields: send.fields, key: n.getEnd(), node: n });
      return;
    }
    if (Node.isReturnStatement(n) && ownFn && ownFunction(n) === ownFn) evs.push({ kind: 'return', key: n.getEnd(), node: n });
    if (isStateWrite(n)) evs.push({ kind: 'write', key: n.getEnd(), node: n, text: n.getText() });
  });
  return evs.sort((a, b) => a.key - b.key);
}

/**
 * The statement at which the verdict computed by `sources` is enforced in unit `u` (the earliest
 * abort guard whose guarded expression depends on it), following data flow through local
 * variables: `const x = <dep>`, destructuring, `x = <dep>`, and `x.m(…)` called with a dependent
 * argument or under a dependent `if`.
 */
export function enforcementOf(cm: CodeModel, u: Unit, sources: readonly Node[], swallowedGuards: Node[] = []): Node | undefined {
  if (sources.length === 0) return undefined;
  const body = u.body;
  // Tainted local variables, by declaration (symbols, not names: a shadowing `ok` is another variable).
  const tainted = new Set<Node>();
  const resolved = new Map<Node, Node | undefined>();
  const local = (id: Node): Node | undefined => {
    if (!resolved.has(id)) resolved.set(id, declOf(id));
    return resolved.get(id);
  };
  const within = (s: Node, e: Node) => s.getSourceFile() === e.getSourceFile() && s.getStart() >= e.getStart() && s.getEnd() <= e.getEnd();
  const isRef = (id: Node): boolean => {
    const p = id.getParent();
    if (!p) return true;
    if (Node.isPropertyAccessExpression(p) && p.getNameNode() === id) return false;
    if (Node.isPropertyAssignment(p) && p.getNameNode() === id) return false;
    return true;
  };
  const taintedId = (id: Node) => tainted.size > 0 && isRef(id) && tainted.has(local(id) as Node);
  const dep = (e: Node): boolean =>
    sources.some((s) => within(s, e)) || (Node.isIdentifier(e) && taintedId(e)) || e.getDescendantsOfKind(SyntaxKind.Identifier).some(taintedId);
  const underDepIf = (n: Node): boolean => {
    for (const a of n.getAncestors()) {
      if (a === body) return false;
      if (Node.isIfStatement(a) && dep(a.getExpression())) return true;
    }
    return false;
  };
  const decls = body.getDescendantsOfKind(SyntaxKind.VariableDeclaration);
  const assigns = body.getDescendantsOfKind(SyntaxKind.BinaryExpression).filter((b) => b.getOperatorToken().getKind() === SyntaxKind.EqualsToken);
  const calls = body.getDescendantsOfKind(SyntaxKind.CallExpression);
  const add = (d: Node | undefined): boolean => {
    if (!d || tainted.has(d)) return false;
    tainted.add(d);
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of decls) {
      const init = d.getInitializer();
      if (!init || tainted.has(d) || !dep(init)) continue;
      const nn = d.getNameNode();
      if (Node.isIdentifier(nn)) changed = add(d) || changed;
      else for (const b of nn.getDescendantsOfKind(SyntaxKind.BindingElement)) changed = add(b) || changed;
    }
    for (const b of assigns) {
      const l = unwrapExpr(b.getLeft());
      if (Node.isIdentifier(l) && dep(b.getRight())) changed = add(local(l)) || changed;
    }
    for (const c of calls) {
      const e = unwrapExpr(c.getExpression());
      if (!Node.isPropertyAccessExpression(e)) continue;
      const recv = unwrapExpr(e.getExpression());
      if (!Node.isIdentifier(recv)) continue;
      const rd = local(recv);
      if (!rd || tainted.has(rd)) continue;
      if (c.getArguments().some(dep) || underDepIf(c)) changed = add(rd) || changed;
    }
  }
  const found: Node[] = [];
  for (const c of calls) {
    const cn = calleeName(c);
    const d = cn ? declOf(cn) : undefined;
    const g = d ? cm.unitOfDecl.get(d) : undefined;
    const idx = g ? cm.guardParam.get(g) : undefined;
    const arg = idx !== undefined ? c.getArguments()[idx] : undefined;
    if (arg && dep(arg)) found.push(enclosingStatement(c));
  }
  for (const i of body.getDescendantsOfKind(SyntaxKind.IfStatement)) {
    if (throwsFirst(i.getThenStatement()) && dep(i.getExpression())) found.push(i);
  }
  const kept = found.filter((g) => {
    const t = swallowingTry(g, body);
    if (t) swallowedGuards.push(t);
    return !t;
  });
  return kept.sort((a, b) => a.getStart() - b.getStart())[0];
}

/**
 * Is the abort thrown by guard `g` caught on its way out of `body` by a `catch` that does not
 * rethrow? A catch counts as rethrowing when its block ends in a `throw` (the model's
 * `catch (e) { if (e instanceof StepAbort) throw …; throw e; }`); anything else — an empty catch,
 * a log, a conditional rethrow that lets some exceptions through — swallows the abort, and the
 * guard does not enforce anything. A `finally` that returns swallows it too.
 */
export function swallowingTry(g: Node, body: Node): Node | undefined {
  for (let child: Node = g, a = g.getParent(); a && child !== body; child = a, a = a.getParent()) {
    if (!Node.isTryStatement(a) || child !== a.getTryBlock()) continue;
    const c = a.getCatchClause();
    if (c) {
      const last = c.getBlock().getStatements().at(-1);
      if (!last || !Node.isThrowStatement(last)) return a;
    }
    const f = a.getFinallyBlock();
    if (f && f.getDescendantsOfKind(SyntaxKind.ReturnStatement).length > 0) return a;
  }
  return undefined;
}

/**
 * Guard calls in `u` that name a check by a string literal (for the spec's unnumbered checks), with
 * the `try` that swallows the guard's abort when there is one (see `swallowingTry`).
 */
export function namedGuards(cm: CodeModel, u: Unit): { stmt: Node; name: string; swallowedBy?: Node }[] {
  const out: { stmt: Node; name: string; swallowedBy?: Node }[] = [];
  for (const c of u.body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const cn = calleeName(c);
    const d = cn ? declOf(cn) : undefined;
    const g = d ? cm.unitOfDecl.get(d) : undefined;
    if (!g || !cm.guardParam.has(g)) continue;
    for (const a of c.getArguments()) {
      const ua = unwrapExpr(a);
      if (!Node.isStringLiteral(ua) && !Node.isNoSubstitutionTemplateLiteral(ua)) continue;
      const t = swallowingTry(c, u.body);
      out.push({ stmt: enclosingStatement(c), name: ua.getLiteralValue(), ...(t ? { swallowedBy: t } : {}) });
    }
  }
  return out;
}

/**
 * Does guard statement `g` run before `use` on every path that reaches `use` (structured code)?
 * A guard in the try block of a `try` whose catch rethrows (see `swallowingTry`) also guards what
 * follows the whole `try`: that code runs only when the try block completed.
 */
export function dominates(g: Node, use: Node): boolean {
  for (let p = g.getParent(), t = p?.getParent(); p && t && Node.isTryStatement(t) && p === t.getTryBlock() && !swallowingTry(g, t.getParent()!); p = g.getParent(), t = p?.getParent()) {
    if (use.getStart() >= p.getStart() && use.getEnd() <= p.getEnd()) break; // the use is inside the try block itself
    g = t;
  }
  const block = g.getParent();
  if (!block) return false;
  return use.getStart() >= g.getEnd() && use.getStart() >= block.getStart() && use.getEnd() <= block.getEnd();
}
