/**
 * Spec text → Spec (src/spec/ast.ts), exactly as docs/notation.md specifies.
 *
 * Stages: split into sections (src/spec/sections.ts), resolve `include`s, read declarations
 * (`principals`, `atoms`), then every item of `messages`, `assumptions`, `goals` and `proof`
 * (terms through src/spec/parse-term.ts), then the `flow` section (src/spec/flow.ts). A syntax
 * error stops only its own item: parsing resumes at the next item, so one run reports several
 * errors. Any error ends in one UserError listing them all, with the sources for carets.
 */
import { enc, comb, variablesOf, atom, type Term } from '../ban/terms.js';
import type {
  AtomSort,
  Assumption,
  Declaration,
  Goal,
  IdealMessage,
  ItemNotes,
  ProofStep,
  Spec,
  SpecOptions,
} from './ast.js';
import { diag, UserError, type Diagnostic, type SourcePos } from './diagnostics.js';
import type { Flow } from './flow-ast.js';
import { parseFlowSection } from './flow.js';
import { LexError, lexLine, RESERVED, type Token } from './lexer.js';
import { failAt, ParseFail, parseTermTokens, type TermCtx } from './parse-term.js';
import { isKnownRuleName, normaliseRuleName, PAPER_RULE_NAMES, ENGINE_RULE_IDS } from './rule-names.js';
import { SECTION_NAMES, splitSections, type Section } from './sections.js';
import { closest, didYouMean } from './suggest.js';
import { resolveLimits, type SpecLimits } from './limits.js';

export interface ParseOptions {
  /**
   * Resolves `include PATH` written in `fromFile`: the included file's name (as it should
   * appear in positions) and text, or a message saying why it cannot be read. Without it,
   * `include` is an error (use loadSpec, which reads files).
   */
  include?: (fromFile: string, path: string) => { file: string; text: string } | { error: string };
  /** Accepts a rule name cited after `by` (default: src/spec/rule-names.ts). */
  isRuleName?: (raw: string) => boolean;
  /** Bounds on size, line length, names, nesting and errors (src/spec/limits.ts); defaults apply. */
  limits?: Partial<SpecLimits>;
}

export const ATOM_SORTS: readonly AtomSort[] = [
  'principal',
  'nonce',
  'timestamp',
  'key',
  'pubkey',
  'privkey',
  'secret',
  'id',
  'data',
  'function',
  'predicate',
];

const ITEM_SECTIONS = new Set(['messages', 'assumptions', 'goals', 'proof']);
const LABEL_RE = /^(\s*)([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*:/;

interface FileSection {
  file: string;
  section: Section;
}

/** Text of an item flattened to one string, with the source position of every character. */
interface Flat {
  text: string;
  pos: { line: number; col: number }[];
  end: { line: number; col: number };
}

interface Item {
  file: string;
  label: string;
  labelPos: SourcePos;
  labelLen: number;
  body: Flat;
  notes: ItemNotes;
}

function posOf(file: string, p: { line: number; col: number }): SourcePos {
  return { file, line: p.line, col: p.col };
}

/** Lex a flat text; token columns are mapped back to their source positions. */
function lexFlat(file: string, flat: Flat, maxName: number): Token[] {
  let toks: Token[];
  try {
    toks = lexLine(file, 0, flat.text, 1, maxName);
  } catch (e) {
    if (e instanceof LexError) {
      const p = flat.pos[e.diagnostic.pos.col - 1] ?? flat.end;
      throw new ParseFail({ ...e.diagnostic, pos: posOf(file, p) });
    }
    throw e;
  }
  return toks.map((t) => {
    const p = flat.pos[t.col - 1] ?? flat.end;
    return { ...t, line: p.line, col: p.col };
  });
}

function sliceFlat(flat: Flat, from: number, to: number = flat.text.length): Flat {
  return {
    text: flat.text.slice(from, to),
    pos: flat.pos.slice(from, to),
    end: flat.pos[to] ?? flat.end,
  };
}

function addNote(notes: ItemNotes, comment: string): void {
  const m = /^(typo|why|source)\s*:\s*(.*)$/i.exec(comment);
  if (!m) {
    if (comment !== '') (notes.other ??= []).push(comment);
    return;
  }
  const key = m[1]!.toLowerCase() as 'typo' | 'why' | 'source';
  notes[key] = notes[key] === undefined ? m[2]! : `${notes[key]} ${m[2]!}`;
}

/**
 * A column-1 line that is not an item and whose first word is close to a section keyword is
 * almost surely a misspelt header (`gaols`): report it as such rather than as a stray line.
 */
function misspeltSection(fs: FileSection, line: number, text: string, errors: Diagnostic[]): boolean {
  const m = /^([A-Za-z]+)(\s|$)/.exec(text);
  if (!m || RESERVED.has(m[1]!)) return false;
  const near = closest(m[1]!, SECTION_NAMES, m[1]!.length <= 5 ? 1 : 2);
  if (near === undefined) return false;
  errors.push(
    diag('error', 'parse.section', `unknown section '${m[1]}' (did you mean '${near}'?)`, { file: fs.file, line, col: 1 }, { length: m[1]!.length, expected: `a section keyword: ${SECTION_NAMES.join(', ')}` }),
  );
  return true;
}

/** Groups a section's lines into labelled items; lines without a label continue the last item. */
function collectItems(fs: FileSection, errors: Diagnostic[]): Item[] {
  const items: Item[] = [];
  const { file, section } = fs;
  if (section.args.trim() !== '') {
    errors.push(
      diag('error', 'parse.item', `'${section.name}' takes no text on its header line`, { file, line: section.headerLine, col: section.argsCol }, {
        expected: 'items on the following lines, each starting with a label such as M1:',
      }),
    );
  }
  let cur: Item | undefined;
  let orphanReported = false;
  for (const ln of section.lines) {
    const m = LABEL_RE.exec(ln.text);
    let start = 0;
    if (m) {
      const labelCol = m[1]!.length + 1;
      cur = {
        file,
        label: m[2]!,
        labelPos: { file, line: ln.line, col: labelCol },
        labelLen: m[2]!.length,
        body: { text: '', pos: [], end: { line: ln.line, col: ln.text.length + 1 } },
        notes: {},
      };
      items.push(cur);
      start = m[0].length;
    } else if (misspeltSection(fs, ln.line, ln.text, errors)) {
      continue;
    } else if (ln.text.trim() !== '' && !cur) {
      if (!orphanReported) {
        const col = ln.text.length - ln.text.trimStart().length + 1;
        errors.push(
          diag('error', 'parse.item', 'expected an item label', { file, line: ln.line, col }, { expected: 'a label and a colon, such as A1:' }),
        );
        orphanReported = true;
      }
      continue;
    }
    if (!cur) continue;
    // A comment on an item's own line belongs to it; a comment-only line belongs to the item above
    // only when indented past that item's label (a continuation), else it is a free-standing comment.
    const commentOnly = ln.text.trim() === '';
    if (ln.comment !== undefined && (!commentOnly || (ln.commentCol ?? 0) > cur.labelPos.col)) addNote(cur.notes, ln.comment);
    const part = ln.text.slice(start);
    if (part.trim() === '') continue;
    const b = cur.body;
    if (b.text !== '') {
      b.pos.push(b.end);
      b.text += ' ';
    }
    for (let k = 0; k < part.length; k++) b.pos.push({ line: ln.line, col: start + k + 1 });
    b.text += part;
    b.end = { line: ln.line, col: ln.text.length + 1 };
  }
  return items;
}

function fillBuilders(t: Term, builder: Term): Term {
  switch (t.kind) {
    case 'enc': {
      const from = t.from ?? builder;
      return enc(fillBuilders(t.body, from), fillBuilders(t.key, from), t.from ?? builder);
    }
    case 'comb': {
      const from = t.from ?? builder;
      return comb(fillBuilders(t.body, from), fillBuilders(t.secret, from), t.from ?? builder);
    }
    case 'atom':
    case 'var':
      return t;
    case 'tuple':
      return { kind: 'tuple', items: t.items.map((x) => fillBuilders(x, builder)) };
    case 'inv':
      return { kind: 'inv', key: fillBuilders(t.key, builder) };
    case 'app':
      return { kind: 'app', fn: t.fn, args: t.args.map((x) => fillBuilders(x, builder)) };
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      return { kind: t.kind, who: t.who, what: fillBuilders(t.what, builder) };
    case 'fresh':
      return { kind: 'fresh', what: fillBuilders(t.what, builder) };
    case 'sharedKey':
      return { kind: 'sharedKey', a: t.a, key: fillBuilders(t.key, builder), b: t.b };
    case 'pubKey':
      return { kind: 'pubKey', key: fillBuilders(t.key, builder), owner: t.owner };
    case 'secret':
      return { kind: 'secret', a: t.a, secret: fillBuilders(t.secret, builder), b: t.b };
    case 'kaKey':
      return { kind: 'kaKey', owner: t.owner, key: fillBuilders(t.key, builder) };
    case 'pred':
      return { kind: 'pred', name: t.name, args: t.args.map((x) => fillBuilders(x, builder)) };
  }
}

/** Fills the builder of every unwritten `{X}_K` / `<X>_Y` in a message body (docs/notation.md). */
export function fillMessageBuilders(body: Term, sender: string): Term {
  return fillBuilders(body, atom(sender));
}

/**
 * The first violation of the size and line-length limits in one file, if any: checked before
 * anything else reads the text, so an oversized file costs one linear scan.
 */
function sizeViolation(file: string, text: string, limits: SpecLimits): Diagnostic | undefined {
  if (text.length > limits.maxSpecBytes || Buffer.byteLength(text, 'utf8') > limits.maxSpecBytes) {
    return diag('error', 'limit.size', `spec file larger than ${limits.maxSpecBytes} bytes (raise with --limits bytes=N)`, { file, line: 1, col: 1 });
  }
  let line = 1;
  for (let from = 0; from <= text.length; line++) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (to - from > limits.maxLineLength) {
      return diag('error', 'limit.line', `line longer than ${limits.maxLineLength} characters (raise with --limits line=N)`, { file, line, col: limits.maxLineLength + 1 }, { expected: `lines of at most ${limits.maxLineLength} characters` });
    }
    from = to + 1;
  }
  return undefined;
}

export function parseSpec(file: string, text: string, opts: ParseOptions = {}): Spec {
  const limits = resolveLimits(opts.limits);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const sources = new Map<string, string>([[file, text]]);
  // Suggestions cost an edit-distance scan each; hostile input with thousands of bad names gets a few.
  let suggestBudget = 50;
  const suggest = (word: string, candidates: Iterable<string>): string => (suggestBudget-- > 0 ? didYouMean(word, candidates) : '');
  const all: FileSection[] = [];

  // ---- sections and includes ----
  const gather = (f: string, src: string, stack: string[]): void => {
    const tooBig = sizeViolation(f, src, limits);
    if (tooBig) {
      errors.push(tooBig);
      return;
    }
    const split = splitSections(f, src);
    for (const d of split.diagnostics) errors.push(d);
    const seen = new Map<string, number>();
    for (const section of split.sections) {
      if (section.name === 'include') {
        const at: SourcePos = { file: f, line: section.headerLine, col: section.argsCol };
        const path = section.args.replace(/^["']|["']$/g, '').trim();
        if (path === '') {
          errors.push(diag('error', 'include.path', 'include needs a file path', at, { expected: 'include FILE' }));
          continue;
        }
        if (!opts.include) {
          errors.push(diag('error', 'include.unsupported', 'include needs a file loader: load this spec with loadSpec (the CLI does)', at, { length: section.args.length }));
          continue;
        }
        if (sources.size > limits.maxIncludes) {
          errors.push(diag('error', 'limit.includes', `more than ${limits.maxIncludes} included files (raise with --limits includes=N)`, at, { length: section.args.length }));
          continue;
        }
        const r = opts.include(f, path);
        if ('error' in r) {
          errors.push(diag('error', 'include.missing', `cannot include '${path}': ${r.error}`, at, { length: section.args.length, expected: 'a readable spec file, path relative to this file' }));
          continue;
        }
        if (stack.includes(r.file)) {
          errors.push(
            diag('error', 'include.cycle', `include cycle: ${[...stack.slice(stack.indexOf(r.file)), r.file].join(' -> ')}`, at, { length: section.args.length }),
          );
          continue;
        }
        // Include-once: a file reached twice by different paths (a diamond) is merged once.
        if (sources.has(r.file)) continue;
        sources.set(r.file, r.text);
        gather(r.file, r.text, [...stack, r.file]);
        continue;
      }
      if (section.name !== 'principals' && section.name !== 'atoms') {
        const prev = seen.get(section.name);
        if (prev !== undefined) {
          errors.push(
            diag('error', 'parse.duplicate-section', `section '${section.name}' appears twice (first at line ${prev})`, { file: f, line: section.headerLine, col: 1 }, { length: section.name.length }),
          );
          continue;
        }
        seen.set(section.name, section.headerLine);
      }
      all.push({ file: f, section });
    }
  };
  gather(file, text, [file]);

  // ---- protocol and options ----
  const topProtocol = all.find((s) => s.section.name === 'protocol' && s.file === file) ?? all.find((s) => s.section.name === 'protocol');
  const name = topProtocol?.section.args.trim() || file.replace(/^.*[\\/]/, '').replace(/\.ban$/, '');
  const options: SpecOptions = { keyAgreement: false };
  for (const fs of all.filter((s) => s.section.name === 'options')) {
    const lines = [
      { line: fs.section.headerLine, text: fs.section.args, col: fs.section.argsCol },
      ...fs.section.lines.map((l) => ({ line: l.line, text: l.text, col: 1 })),
    ];
    for (const l of lines) {
      for (const m of l.text.matchAll(/\S+/g)) {
        if (m[0] === 'key-agreement') options.keyAgreement = true;
        else
          errors.push(
            diag('error', 'option.unknown', `unknown option '${m[0]}'`, { file: fs.file, line: l.line, col: l.col + (m.index ?? 0) }, { expected: 'key-agreement', length: m[0].length }),
          );
      }
    }
  }

  // ---- declarations ----
  const declarations: Declaration[] = [];
  const sorts = new Map<string, AtomSort>();
  const declByName = new Map<string, Declaration>();
  const declare = (t: Token, sort: AtomSort, f: string): void => {
    const pos = { file: f, line: t.line, col: t.col };
    if (RESERVED.has(t.value) || t.value === 'PK_delta') {
      errors.push(diag('error', 'name.reserved', `'${t.value}' is reserved and cannot be declared`, pos, { length: t.len }));
      return;
    }
    const prev = declByName.get(t.value);
    if (prev) {
      errors.push(
        diag('error', 'name.duplicate', `'${t.value}' is declared twice (first as ${prev.sort} at ${prev.pos.file}:${prev.pos.line}:${prev.pos.col})`, pos, { length: t.len }),
      );
      return;
    }
    const d: Declaration = { name: t.value, sort, pos };
    declarations.push(d);
    declByName.set(t.value, d);
    sorts.set(t.value, sort);
  };
  /** Reads `NAME, NAME, ...` tokens; returns whether the list ended with a comma (continues). */
  const nameList = (toks: Token[], sort: AtomSort, f: string, from = 0): void => {
    let expectName = true;
    for (let k = from; k < toks.length; k++) {
      const t = toks[k]!;
      if (expectName) {
        if (t.kind !== 'name') {
          errors.push(diag('error', 'parse.expected', `expected a name, found '${t.value}'`, { file: f, line: t.line, col: t.col }, { expected: 'a name', length: t.len }));
          return;
        }
        declare(t, sort, f);
        expectName = false;
      } else {
        if (t.kind !== 'comma') {
          errors.push(diag('error', 'parse.expected', `expected ',' between names, found '${t.value}'`, { file: f, line: t.line, col: t.col }, { expected: "','", length: t.len }));
          return;
        }
        expectName = true;
      }
    }
  };
  const lexSafe = (f: string, line: number, txt: string, col: number): Token[] | undefined => {
    try {
      return lexLine(f, line, txt, col, limits.maxNameLength);
    } catch (e) {
      if (e instanceof LexError) {
        errors.push(e.diagnostic);
        return undefined;
      }
      throw e;
    }
  };
  for (const fs of all) {
    const { section, file: f } = fs;
    if (section.name === 'principals') {
      const toks: Token[] = [];
      const head = lexSafe(f, section.headerLine, section.args, section.argsCol);
      if (head) for (const t of head) toks.push(t);
      for (const l of section.lines) {
        const t = lexSafe(f, l.line, l.text, 1);
        if (t) for (const x of t) toks.push(x);
      }
      nameList(toks, 'principal', f);
    } else if (section.name === 'atoms') {
      const lines = [{ line: section.headerLine, text: section.args, col: section.argsCol }, ...section.lines.map((l) => ({ line: l.line, text: l.text, col: 1 }))];
      let sort: AtomSort | undefined;
      let pending = false; // previous group line ended with ','
      for (const l of lines) {
        const toks = lexSafe(f, l.line, l.text, l.col);
        if (!toks || toks.length === 0) continue;
        const first = toks[0]!;
        if (first.kind === 'name' && (ATOM_SORTS as readonly string[]).includes(first.value) && !pending) {
          sort = first.value as AtomSort;
          if (toks.length === 1) {
            errors.push(diag('error', 'parse.expected', `expected names after '${first.value}'`, { file: f, line: first.line, col: first.col + first.len }, { expected: 'a comma-separated list of names' }));
            continue;
          }
          nameList(toks, sort, f, 1);
        } else if (sort && (pending || first.kind === 'comma')) {
          nameList(toks, sort, f, first.kind === 'comma' ? 1 : 0);
        } else {
          if (l.col === 1 && first.col === 1 && misspeltSection(fs, l.line, l.text, errors)) continue;
          errors.push(
            diag('error', 'parse.expected', `expected a sort, found '${first.value}'${first.kind === 'name' ? suggest(first.value, ATOM_SORTS) : ''}`, { file: f, line: first.line, col: first.col }, { expected: ATOM_SORTS.join(', '), length: first.len }),
          );
          continue;
        }
        pending = toks[toks.length - 1]!.kind === 'comma';
      }
    } else if (section.name === 'protocol' && section.lines.some((l) => l.text.trim() !== '')) {
      const l = section.lines.find((x) => x.text.trim() !== '')!;
      errors.push(diag('error', 'parse.expected', "unexpected text under 'protocol'", { file: f, line: l.line, col: l.text.length - l.text.trimStart().length + 1 }, { expected: 'a section keyword in column 1' }));
    }
  }

  // ---- items ----
  const labels = new Map<string, { pos: SourcePos; kind: string; index: number }>();
  const messages: IdealMessage[] = [];
  const assumptions: Assumption[] = [];
  const goals: Goal[] = [];
  const proof: ProofStep[] = [];
  const itemsBySection: { kind: string; items: Item[] }[] = [];
  for (const fs of all) {
    if (!ITEM_SECTIONS.has(fs.section.name)) continue;
    const items = collectItems(fs, errors);
    itemsBySection.push({ kind: fs.section.name, items });
    items.forEach((it, idx) => {
      const prev = labels.get(it.label);
      if (prev) {
        errors.push(
          diag('error', 'label.duplicate', `label '${it.label}' is already used (at ${prev.pos.file}:${prev.pos.line}:${prev.pos.col})`, it.labelPos, { length: it.labelLen }),
        );
      } else labels.set(it.label, { pos: it.labelPos, kind: fs.section.name, index: idx });
    });
  }

  const ctxFor = (f: string, allowVars: boolean, where: string): TermCtx => ({
    file: f,
    sorts,
    allowVars,
    varsContext: where,
    errors,
    warnings,
    suggest,
    maxDepth: limits.maxDepth,
  });

  const parseTerm = (it: Item, flat: Flat, allowVars: boolean, where: string): Term => {
    const toks = lexFlat(it.file, flat, limits.maxNameLength);
    return parseTermTokens(toks, ctxFor(it.file, allowVars, where), flat.end);
  };

  /** Proof statement ordering: statement label -> its order among all statements. */
  const stmtOrder = new Map<string, number>();
  let stmtCount = 0;
  for (const group of itemsBySection) {
    if (group.kind === 'proof') for (const it of group.items) if (!stmtOrder.has(it.label)) stmtOrder.set(it.label, stmtCount++);
  }

  let stmtIndex = 0;
  for (const group of itemsBySection) {
    for (const it of group.items) {
      const myStmt = group.kind === 'proof' ? stmtIndex++ : -1;
      try {
        if (it.body.text.trim() === '') {
          errors.push(diag('error', 'parse.item', `item '${it.label}' is empty`, it.labelPos, { length: it.labelLen, expected: group.kind === 'messages' ? 'SENDER -> RECEIVER : TERM' : 'a formula' }));
          continue;
        }
        switch (group.kind) {
          case 'messages':
            messages.push(parseMessage(it));
            break;
          case 'assumptions': {
            const formula = parseTerm(it, it.body, true, 'assumptions');
            assumptions.push({ label: it.label, formula, vars: [...variablesOf(formula)], notes: it.notes, pos: it.labelPos });
            break;
          }
          case 'goals':
            goals.push({ label: it.label, formula: parseTerm(it, it.body, false, 'goals'), notes: it.notes, pos: it.labelPos });
            break;
          case 'proof':
            proof.push(parseStatement(it, myStmt));
            break;
        }
      } catch (e) {
        if (e instanceof ParseFail) errors.push(e.diagnostic);
        else throw e;
      }
    }
  }

  function* principalNames(): Generator<string> {
    for (const d of declarations) if (d.sort === 'principal') yield d.name;
  }

  function parseMessage(it: Item): IdealMessage {
    let body = it.body;
    const concrete: string[] = [];
    // `[^\][]` (not `[^\]]`): a failed match stops at the next '[', so many '[concrete:' stay linear.
    const cm = /\[\s*concrete\s*:([^\][]*)\]/.exec(body.text);
    if (cm) {
      for (const step of cm[1]!.split(',')) {
        const s = step.trim();
        if (s === '') continue;
        if (!/^[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_.-]+$/.test(s)) {
          const k = cm.index + cm[0].indexOf(s);
          errors.push(diag('error', 'parse.concrete', `'${s}' is not a step id`, posOf(it.file, body.pos[k] ?? body.end), { expected: 'a step id such as initial.1', length: s.length }));
          continue;
        }
        concrete.push(s);
      }
      // Blank the annotation out (positions of the rest stay exact).
      const text = body.text.slice(0, cm.index) + ' '.repeat(cm[0].length) + body.text.slice(cm.index + cm[0].length);
      const last = text.trimEnd().length;
      body = { ...body, text, end: last < text.length ? (body.pos[last] ?? body.end) : body.end };
    }
    const toks = lexFlat(it.file, body, limits.maxNameLength);
    const ctx = ctxFor(it.file, false, 'messages');
    const endTok: Token = { kind: 'eof', value: '', line: body.end.line, col: body.end.col, len: 1 };
    const tok = (k: number): Token => toks[k] ?? endTok;
    const principal = (t: Token, role: string): string => {
      if (t.kind !== 'name') failAt(ctx, t, `expected the ${role} principal, found '${t.value || 'end of item'}'`, `SENDER -> RECEIVER : TERM`);
      const so = sorts.get(t.value);
      if (so !== 'principal')
        errors.push(
          diag('error', 'name.principal', so === undefined ? `undeclared principal '${t.value}'${suggest(t.value, principalNames())}` : `'${t.value}' is declared as ${so}, not as a principal`, { file: it.file, line: t.line, col: t.col }, { length: t.len, expected: "a name declared under 'principals'" }),
        );
      return t.value;
    };
    const from = principal(tok(0), 'sending');
    if (tok(1).kind !== 'arrow') failAt(ctx, tok(1), `expected '->' after the sender, found '${tok(1).value || 'end of item'}'`, "'->'");
    const to = principal(tok(2), 'receiving');
    if (tok(3).kind !== 'colon') failAt(ctx, tok(3), `expected ':' before the message, found '${tok(3).value || 'end of item'}'`, "':'");
    const term = parseTermTokens(toks.slice(4), ctx, body.end);
    return { label: it.label, from, to, body: fillMessageBuilders(term, from), concrete, notes: it.notes, pos: it.labelPos };
  }

  function parseStatement(it: Item, myIndex: number): ProofStep {
    const flat = it.body;
    const bm = /(?<![A-Za-z0-9_'?])by(?![A-Za-z0-9_'])/.exec(flat.text);
    if (!bm) {
      throw new ParseFail(
        diag('error', 'proof.by', `statement '${it.label}' names no rule`, posOf(it.file, flat.end), { expected: "'by RULE' after the formula, as in: by seeing from M1" }),
      );
    }
    const formula = parseTerm(it, sliceFlat(flat, 0, bm.index), false, 'proof');
    const after = flat.text.slice(bm.index + 2);
    const base = bm.index + 2;
    const fm = /(?<![A-Za-z0-9_'])from(?![A-Za-z0-9_'])/.exec(after);
    const ruleText = (fm ? after.slice(0, fm.index) : after).trim();
    const ruleStart = base + (fm ? after.slice(0, fm.index) : after).search(/\S|$/);
    const rulePos = posOf(it.file, flat.pos[ruleStart] ?? flat.end);
    if (ruleText === '') {
      throw new ParseFail(diag('error', 'proof.rule', "expected a rule name after 'by'", rulePos, { expected: 'a rule name such as seeing, message meaning, MM-SK' }));
    }
    if (!(opts.isRuleName ?? isKnownRuleName)(ruleText)) {
      errors.push(
        diag('error', 'proof.rule', `unknown rule '${ruleText}'${suggest(normaliseRuleName(ruleText), PAPER_RULE_NAMES)}`, rulePos, { length: ruleText.length, expected: `one of: ${[...PAPER_RULE_NAMES, ...ENGINE_RULE_IDS].join(', ')}` }),
      );
    }
    const premises: string[] = [];
    if (fm) {
      const list = after.slice(fm.index + 4);
      const listBase = base + fm.index + 4;
      const re = /[^\s,]+/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(list))) {
        const lab = m[0];
        if (lab === 'and') continue;
        const at = posOf(it.file, flat.pos[listBase + m.index] ?? flat.end);
        const info = labels.get(lab);
        if (!/^[A-Za-z0-9][A-Za-z0-9_.\-]*$/.test(lab)) {
          errors.push(diag('error', 'parse.expected', `'${lab}' is not a label`, at, { length: lab.length, expected: 'labels separated by commas' }));
        } else if (!info) {
          errors.push(diag('error', 'proof.premise-unknown', `premise '${lab}' is not a label of this spec${suggest(lab, labels.keys())}`, at, { length: lab.length, expected: 'a message, assumption or earlier statement label' }));
        } else if (info.kind === 'goals') {
          errors.push(diag('error', 'proof.premise-goal', `premise '${lab}' is a goal; a proof may cite messages, assumptions and earlier statements`, at, { length: lab.length }));
        } else if (info.kind === 'proof' && (stmtOrder.get(lab) ?? 0) >= myIndex) {
          errors.push(
            diag('error', 'proof.premise-later', `premise '${lab}' is ${lab === it.label ? 'this statement itself' : 'a later statement'}`, at, { length: lab.length, expected: 'an earlier statement' }),
          );
        }
        premises.push(lab);
      }
      if (premises.length === 0) {
        errors.push(diag('error', 'proof.premise', "expected premise labels after 'from'", posOf(it.file, flat.pos[listBase - 4] ?? flat.end), { expected: 'labels such as M1, A2, S3' }));
      }
    }
    return { label: it.label, formula, rule: ruleText.replace(/\s+/g, ' '), premises, notes: it.notes, pos: it.labelPos };
  }

  // ---- flow ----
  let flow: Flow | undefined;
  for (const fs of all) {
    if (fs.section.name !== 'flow') continue;
    const r = parseFlowSection(fs.section, fs.file);
    for (const d of r.diagnostics) (d.severity === 'error' ? errors : warnings).push(d);
    flow = flow ? { phases: [...flow.phases, ...r.flow.phases] } : r.flow;
  }

  if (errors.length > 0) {
    const order = [...sources.keys()];
    const sorted = [...errors].sort(
      (a, b) => order.indexOf(a.pos.file) - order.indexOf(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col,
    );
    const first = sorted[0]!;
    // Hostile input can cause an error per token: report a bounded number, count the rest.
    const shown = sorted.slice(0, limits.maxErrors);
    if (sorted.length > shown.length) {
      const last = shown[shown.length - 1]!;
      shown.push(diag('error', 'limit.errors', `${sorted.length - shown.length} more errors not shown (raise with --limits errors=N)`, last.pos));
    }
    throw new UserError(
      `${first.pos.file}:${first.pos.line}:${first.pos.col}: ${first.message}${sorted.length > 1 ? ` (and ${sorted.length - 1} more error${sorted.length > 2 ? 's' : ''})` : ''}`,
      shown,
      2,
      sources,
    );
  }

  const spec: Spec = {
    file,
    name,
    options,
    declarations,
    messages,
    assumptions,
    goals,
    proof,
    diagnostics: warnings,
    sources: Object.fromEntries(sources),
  };
  if (flow) spec.flow = flow;
  const queries = all.filter((fs) => fs.section.name === 'queries');
  if (queries.length) spec.queries = queries.map((fs) => ({ file: fs.file, headerLine: fs.section.headerLine, lines: fs.section.lines.map((l) => ({ line: l.line, text: l.text })) }));
  return spec;
}
