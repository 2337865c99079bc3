/**
 * Classifies the mutants of a Stryker run (reports/mutation/mutation.json, `npm run mutation`) against
 * issue 13's target: "at least 85% of non-equivalent mutants killed by a property that names the real
 * weakness". Usage:
 *
 *   npx tsx scripts/mutation-classify.ts [report.json ...] [--markdown] [--list]
 *
 * Several reports (e.g. one run per range) are merged; a mutant present in several counts once, as the LAST
 * report given measured it (give re-runs after the runs they redo). The rule, applied mechanically (docs/mutation.md
 * "How a kill is classified"):
 *
 * 1. Killed by a property: a test in properties/ is among the mutant's `killedBy`. Otherwise, if killed,
 *    "only by a unit test". A timeout counts as detected, by no named test.
 * 2. The mutant's weakness tags are read off the mutated source, from the syntax tree:
 *    - check tags: the literal arguments of the check-like calls (requireCheck / requireEq / requireContract /
 *      callContract / routingReject / StepAbort / checked / problems.push) in the innermost statement that
 *      holds the mutant, and, for the enclosing top-level function, its name, the check names, contract
 *      names and equation numbers "(N)" of every check it makes; in equations.ts the equation number "(N)"
 *      and the computed symbol (K_PA1, SEK_AP, ...) of every @eq wrapper that reaches the function;
 *    - step tags: the protocol step ids of the enclosing function: a handler's received step and the step
 *      it produces (ROUTES / PRODUCES), step-id literals in its body, else those of the functions that call
 *      it; for equations.ts the step of each reaching @eq (EQ_STEP).
 * 3. A kill NAMES THE WEAKNESS when the name of a killing property test, or the failure message Stryker
 *    recorded (the first failing test's), contains one of the tags: "names the check" for a check tag,
 *    "names the step" for a step tag. The target counts either. The failure message is the first killer's
 *    only, so this is a lower bound.
 * 4. Equivalent mutants are listed by hand in EQUIVALENT below, each with its reason; they leave the
 *    denominator. Nothing else is marked by hand.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { EQ_STEP } from '../src/model/equations.js';

// ---------------------------------------------------------------------------------------------
// report schema (mutation-testing-report-schema, the parts read here)

interface Pos {
  line: number;
  column: number;
}
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Pos; end: Pos };
  status: string;
  statusReason?: string;
  killedBy?: string[];
  coveredBy?: string[];
  static?: boolean;
}
export interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

/** A mutant judged equivalent by reading it: no check, verdict, key, message or stored value changes. */
export interface Equivalent {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly mutator: string;
  /** The replacement text Stryker reports, to pin the exact mutant. */
  readonly replacement: string;
  /** Where the mutated expression ends, when several mutants of the same kind start at the same column (a && b || c). */
  readonly endColumn?: number;
  readonly reason: string;
}

export const EQUIVALENT: readonly Equivalent[] = [
  ...['true', 'false', 'h.R || bytesEq(h.R, env.cs.encodePoint(f.R_HPA))'].map((replacement) => ({
    file: 'src/model/protocol.ts', line: 244, column: 151, mutator: replacement.length > 5 ? 'LogicalOperator' : 'ConditionalExpression', replacement,
    reason: "only the words 'matches'/'differs from' in hachk's event detail change; the contract's verdict is the separate first argument",
  })),
  ...[
    { line: 244, check: 'hachk' },
    { line: 368, check: 'hbchk' },
  ].map(({ line, check }) => ({
    file: 'src/model/protocol.ts', line, column: 15 + (line === 244 ? 18 : 0), mutator: 'LogicalOperator', replacement: 'h.exists || !!h.R',
    reason: `${check}'s ledger answer carries R exactly when the hospital exists (src/ledger/contracts.ts hospitalCheck), so (h.exists || !!h.R) && bytesEq(h.R, …) decides as (h.exists && !!h.R) && bytesEq(h.R, …)`,
  })),
  {
    file: 'src/model/protocol.ts', line: 303, column: 136, mutator: 'ArrayDeclaration', replacement: '["Stryker was here"]',
    reason: 'checkCert\'s default alsoAbort: session labels are ID#n and ids cannot contain spaces, so no session "Stryker was here" exists to abort',
  },
  {
    file: 'src/model/protocol.ts', line: 559, column: 30, mutator: 'BooleanLiteral', replacement: 'false',
    reason: "ROUTES['registration.1'].opens is never read: deliver sends a message to the center down its own branch (centerRegistration) before it looks at `opens`, and no other code reads it",
  },
  {
    file: 'src/model/protocol.ts', line: 636, column: 9, endColumn: 30, mutator: 'ConditionalExpression', replacement: 'false',
    reason: "deliver's `s.kind !== route.kind` is implied by `s.awaiting !== step`: every step is awaited by sessions of exactly one kind (reg: registration.2; patient-initial: initial.2, .4; hospital-initial: initial.3; patient-inter: inter.2, .10; hb-patient: inter.3; hb-record: inter.6, .8; ha-record: inter.7)",
  },
  {
    file: 'src/model/protocol.ts', line: 181, column: 15, mutator: 'ArrayDeclaration', replacement: '["Stryker was here"]',
    reason: "centerRegistration's `sessions`: the center's step is committed with party null, and src/model/system.ts commit stores sessions only for a party",
  },
  ...[
    { column: 77, endColumn: undefined, mutator: 'BlockStatement', replacement: '{}' },
    { column: 7, endColumn: 21, mutator: 'ConditionalExpression', replacement: 'false' },
    { column: 7, endColumn: 17, mutator: 'ConditionalExpression', replacement: 'true' },
  ].map(({ column, mutator, replacement }) => ({
    file: 'src/model/protocol.ts', line: column === 77 ? 227 : 228, column, mutator, replacement,
    reason: 'peerAuthenticated only counts a use of the fast key-agreement cache (src/keyagreement/fast.ts confirmPeerFast, a performance table); without it every value is computed the same, more slowly',
  })),
  {
    file: 'src/model/protocol.ts', line: 636, column: 57, endColumn: 79, mutator: 'ConditionalExpression', replacement: 'false',
    reason: "deliver's `s.status !== 'running'` is implied by `s.awaiting !== step`: a session that is accepted or aborted awaits nothing (every acceptance and src/model/system.ts abortStep set awaiting to null), so no step matches it",
  },
  {
    file: 'src/model/protocol.ts', line: 609, column: 73, endColumn: 92, mutator: 'ConditionalExpression', replacement: 'true',
    reason: "deliver's `party !== undefined` in roleOk: an unknown addressee has already been refused (unknown-party), and for the center `party` is null, so `party !== null` decides alone",
  },
  {
    file: 'src/model/protocol.ts', line: 512, column: 9, mutator: 'ConditionalExpression', replacement: 'true',
    reason: "onInter8's `e instanceof StepAbort` around B's mrins/ptlink: callContract (src/model/system.ts) turns every refusal of a contract (ContractError) into a StepAbort and rethrows anything else; on the arguments B builds, mrins and ptlink throw nothing else, so every error reaching this catch is a StepAbort and the other branch is unreachable",
  },
  {
    file: 'src/model/protocol.ts', line: 76, column: 21, mutator: 'UpdateOperator', replacement: 'p.nextSession--',
    reason: "newLabel's counter counting down: labels stay distinct and well formed (X#1, X#0, X#-1, …; properties/sessions checks that no label is reused), so only a label's text changes — an opaque routing id that no computation, check or message field reads (a unit test pins the text 'PAT-1#3')",
  },
  ...[
    { endColumn: 92, mutator: 'ConditionalExpression', replacement: 'true' },
    { endColumn: 75, mutator: 'OptionalChaining', replacement: 'parent.kind' },
  ].map(({ endColumn, mutator, replacement }) => ({
    file: 'src/model/protocol.ts', line: 499, column: 63, endColumn, mutator, replacement,
    reason: "onInter8's `parent?.kind === 'hb-patient'`: a record sub-session's parent is the label of the hb-patient session that opened it (onInter3, `parent: s.label`), and the model never removes a session (no sessions.delete in src/model; labels are fresh: properties/sessions), so the parent exists and is of that kind in every reachable state; the status and sub checks beside it decide",
  })),
  {
    file: 'src/model/protocol.ts', line: 650, column: 57, endColumn: 70, mutator: 'OptionalChaining', replacement: 'session.peer',
    reason: 'session is null only for an opening step (initial.1, inter.1, inter.5), and their handlers (onInitial1, onInter1, onInter5) make no check and call no contract, so no opening step reaches the abort branch',
  },
];

// ---------------------------------------------------------------------------------------------
// weakness tags from the source

export interface Tags {
  /** The check the mutant lies in: literal names of the check-like calls of its statement; an @eq wrapper's (N) and symbol. */
  readonly check: Set<string>;
  /** Its function: the function's name, every check / contract name and (N) it checks, the @eq wrappers that reach it. */
  readonly handler: Set<string>;
  /** The protocol step ids of its function. */
  readonly step: Set<string>;
}

const CHECK_CALLS = new Set(['requireCheck', 'requireEq', 'requireContract', 'callContract', 'routingReject', 'StepAbort', 'checked', 'verifyCheck', 'push']);
const STEP_RE = /^(registration|initial|inter)\.\d+$/;

function calleeName(n: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = n.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Literal arguments of check-like calls under `root` (not entering nested functions unless root is one). */
function checkLiterals(root: ts.Node, into: Set<string>, opts: { namesOnly?: boolean } = {}): void {
  const visit = (n: ts.Node): void => {
    if (n !== root && (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && !opts.namesOnly) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && CHECK_CALLS.has(calleeName(n) ?? '')) {
      const name = calleeName(n)!;
      const args = n.arguments ?? ts.factory.createNodeArray();
      args.forEach((a, i) => {
        if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) {
          // names only (function level): the check's name, the contract, or a routing check's reason; not the abort code or reason prose
          if (opts.namesOnly && !((name === 'requireCheck' && i === 1) || ((name === 'requireContract' || name === 'callContract') && i === 1) || (name === 'requireEq' && i === 3) || (name === 'routingReject' && i === 3))) return;
          if (name === 'push' && a.text.length < 8) return;
          if ((name === 'requireContract' || name === 'callContract') && i > 1) return; // the contract's verdict text, not its name
          into.add(a.text);
        }
        if (ts.isNumericLiteral(a) && (name === 'requireEq' || name === 'checked' || name === 'verifyCheck')) into.add(`(${a.text})`);
      });
    }
    if (!opts.namesOnly && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && STEP_RE.test(n.text)) into.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(root);
}

interface TopFn {
  readonly name: string;
  readonly node: ts.Node;
  /** An @eq wrapper's own (N) and symbol. */
  readonly own: Set<string>;
  readonly check: Set<string>;
  readonly step: Set<string>;
  readonly refs: Set<string>;
  ownSteps: boolean;
}

/** The top-level functions (declarations and `const x = (...) => ...`) of a file, with their own tags. */
function topFunctions(sf: ts.SourceFile, file: string): TopFn[] {
  const out: TopFn[] = [];
  for (const st of sf.statements) {
    const add = (name: string, node: ts.Node) => out.push({ name, node, own: new Set(), check: new Set([name]), step: new Set(), refs: new Set(), ownSteps: false });
    if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, st);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) add(d.name.text, d);
  }
  const names = new Set(out.map((f) => f.name));
  for (const f of out) {
    checkLiterals(f.node, f.check, { namesOnly: true });
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && names.has(n.text) && n.text !== f.name) f.refs.add(n.text);
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && STEP_RE.test(n.text)) f.step.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(f.node);
    f.ownSteps = f.step.size > 0;
    // equations.ts: an @eq wrapper `eqN_...` names (N), its computed symbol and its step
    const m = /^eq(\d+)_/.exec(f.name);
    if (m && file.endsWith('equations.ts')) {
      const eq = Number(m[1]);
      f.own.add(`(${eq})`);
      // the computed symbol (K_PA1, SEK_AP, CHK_PA, ...): only names with an underscore, never prose like 'message'
      const what = f.node.getText().match(/'([A-Za-z_0-9]+) \??= /);
      if (what?.[1] && what[1].includes('_')) f.own.add(what[1]);
      for (const t of f.own) f.check.add(t);
      const step = EQ_STEP.get(eq);
      if (step && STEP_RE.test(step)) f.step.add(step);
    }
  }
  // protocol.ts handlers: the ROUTES key (received step) and its PRODUCES value
  const routes = out.find((f) => f.name === 'ROUTES');
  const produces = out.find((f) => f.name === 'PRODUCES');
  if (routes) {
    const text = routes.node.getText();
    for (const m of text.matchAll(/'([a-z]+\.\d+)': \{[^}]*handler: (\w+)/g)) {
      const h = out.find((f) => f.name === m[2]);
      if (!h) continue;
      h.step.add(m[1]!);
      const prod = produces?.node.getText().match(new RegExp(`'${m[1]!.replace('.', '\\.')}': '([a-z]+\\.\\d+)'`));
      if (prod?.[1]) h.step.add(prod[1]);
    }
  }
  // functions that name no step (and helpers reached from @eq wrappers) inherit their callers' tags
  let changed = true;
  while (changed) {
    changed = false;
    for (const f of out) {
      const callers = out.filter((g) => g.refs.has(f.name) && g.name !== 'ROUTES' && g.name !== 'PRODUCES');
      if (!callers.length) continue;
      const inheritCheck = file.endsWith('equations.ts') && !/^eq\d+_/.test(f.name);
      for (const g of callers) {
        if (!f.ownSteps || inheritCheck) for (const s of g.step) if (!f.step.has(s)) ((f.step.add(s), (changed = true)));
        if (inheritCheck) for (const c of g.check) if (!f.check.has(c) && c !== g.name) ((f.check.add(c), (changed = true)));
      }
    }
  }
  return out;
}

/** Tags of every mutant of one file. */
export function tagMutants(file: string, source: string, mutants: readonly ReportMutant[]): Map<string, Tags> {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const fns = topFunctions(sf, file);
  const starts = sf.getLineStarts();
  // report positions are 1-based (line, column)
  const offset = (p: Pos) => Math.min((starts[p.line - 1] ?? source.length) + p.column - 1, starts[p.line] ?? source.length);
  const out = new Map<string, Tags>();
  for (const m of mutants) {
    const start = offset(m.location.start);
    const end = offset(m.location.end);
    const chain: ts.Node[] = [];
    const down = (n: ts.Node): void => {
      if (n.getStart(sf) <= start && n.getEnd() >= end) {
        chain.push(n);
        ts.forEachChild(n, down);
      }
    };
    down(sf);
    const check = new Set<string>();
    const handler = new Set<string>();
    const step = new Set<string>();
    const statement = [...chain].reverse().find((n) => ts.isStatement(n) && !ts.isBlock(n));
    if (statement && !ts.isFunctionDeclaration(statement) && statement.parent !== sf) checkLiterals(statement, check);
    const top = fns.find((f) => chain.includes(f.node));
    if (top) {
      for (const c of top.own) check.add(c);
      for (const c of top.check) if (!check.has(c)) handler.add(c);
      for (const s of top.step) step.add(s);
    }
    for (const c of check) if (STEP_RE.test(c)) ((check.delete(c), step.add(c)));
    out.set(m.id, { check, handler, step });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// classification

export type Verdict = 'equivalent' | 'survived' | 'no-coverage' | 'timeout' | 'unit-only' | 'property-unnamed' | 'property-names-handler' | 'property-names-check' | 'error';

export interface Classified {
  readonly file: string;
  readonly mutant: ReportMutant;
  readonly verdict: Verdict;
  readonly killers: readonly string[];
  readonly propertyKillers: readonly string[];
  readonly tags: Tags;
  readonly matched: readonly string[];
  readonly equivalent?: Equivalent;
}

const PROPERTY_FILE = /(^|\/)properties\/[^/]+\.test\.ts$/;

function tagIn(tag: string, text: string): boolean {
  if (/^\(\d+\)$/.test(tag)) {
    const n = tag.slice(1, -1);
    return new RegExp(`\\(${n}\\)|\\beq\\.? ?\\(?${n}\\b|@eq ${n}\\b`).test(text);
  }
  if (STEP_RE.test(tag) || /^\w+$/.test(tag)) return new RegExp(`(^|[^\\w.])${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w]|\\.\\d)`).test(text);
  return text.includes(tag);
}

/**
 * The part of a failure message that can name a weakness: without stack frames (a crash's stack names the
 * function it passed through, which is not the property saying what failed) and without fast-check's
 * counterexample line (random generated values).
 */
export function failureText(reason: string | undefined): string {
  return (reason ?? '')
    .split('\n')
    .filter((l) => !/^\s*at /.test(l) && !/^Counterexample: /.test(l))
    .join('\n');
}

export function classify(reports: readonly Report[], equivalents: readonly Equivalent[] = EQUIVALENT): Classified[] {
  const out: Classified[] = [];
  const reportOf: number[] = [];
  for (const [ri, r] of reports.entries()) {
    // test ids are per report (Stryker numbers them per run)
    const tests = new Map<string, { file: string; name: string }>();
    for (const [file, tf] of Object.entries(r.testFiles ?? {})) for (const t of tf.tests) tests.set(t.id, { file: file.replaceAll('\\', '/'), name: t.name });
    for (const [file, f] of Object.entries(r.files)) {
      const tags = tagMutants(file, f.source, f.mutants);
      for (const m of f.mutants) {
        if (m.status === 'Ignored') continue;
        const t = tags.get(m.id)!;
        const killers = (m.killedBy ?? []).map((id) => tests.get(id) ?? { file: id.split('#')[0] ?? id, name: id });
        const props = killers.filter((k) => PROPERTY_FILE.test(k.file));
        const eqv = equivalents.find((e) => file.endsWith(e.file) && e.line === m.location.start.line && e.column === m.location.start.column && (e.endColumn === undefined || e.endColumn === m.location.end.column) && e.mutator === m.mutatorName && e.replacement === m.replacement);
        let verdict: Verdict;
        const matched: string[] = [];
        if (eqv) verdict = 'equivalent';
        else if (m.status === 'Survived') verdict = 'survived';
        else if (m.status === 'NoCoverage') verdict = 'no-coverage';
        else if (m.status === 'Timeout') verdict = 'timeout';
        else if (m.status === 'Killed') {
          if (!props.length) verdict = 'unit-only';
          else {
            const first = killers[0];
            const texts = props.map((k) => `${k.name}\n${k === first ? failureText(m.statusReason) : ''}`);
            for (const tag of t.check) if (texts.some((x) => tagIn(tag, x))) matched.push(tag);
            const checkNamed = matched.length > 0;
            for (const tag of [...t.handler, ...t.step]) if (texts.some((x) => tagIn(tag, x))) matched.push(tag);
            verdict = checkNamed ? 'property-names-check' : matched.length ? 'property-names-handler' : 'property-unnamed';
          }
        } else verdict = 'error';
        reportOf.push(ri);
        out.push({ file, mutant: m, verdict, killers: killers.map((k) => `${k.file} > ${k.name}`), propertyKillers: props.map((k) => `${k.file} > ${k.name}`), tags: t, matched, ...(eqv ? { equivalent: eqv } : {}) });
      }
    }
  }
  // a mutant measured in several reports (a range re-run after the tests changed) counts once: the last report's
  const lastReport = new Map<string, number>();
  out.forEach((c, i) => lastReport.set(mutantKey(c), reportOf[i]!));
  return out.filter((c, i) => lastReport.get(mutantKey(c)) === reportOf[i]);
}

/** Where and how a mutant changes the code: the same in every report of the same source. */
function mutantKey(c: Classified): string {
  const l = c.mutant.location;
  return `${c.file}:${l.start.line}:${l.start.column}-${l.end.line}:${l.end.column}:${c.mutant.mutatorName}:${c.mutant.replacement}`;
}

export interface Summary {
  readonly file: string;
  readonly tested: number;
  readonly equivalent: number;
  readonly nonEquivalent: number;
  readonly killed: number;
  readonly survived: number;
  readonly timeout: number;
  readonly byProperty: number;
  readonly unitOnly: number;
  readonly namesCheck: number;
  readonly namesHandler: number;
  /** (namesCheck + namesHandler) / nonEquivalent */
  readonly score: number;
}

export function summarise(cs: readonly Classified[]): Summary[] {
  const files = [...new Set(cs.map((c) => c.file))];
  const row = (file: string, xs: readonly Classified[]): Summary => {
    const n = (v: Verdict) => xs.filter((x) => x.verdict === v).length;
    const equivalent = n('equivalent');
    const nonEquivalent = xs.length - equivalent;
    const byProperty = n('property-unnamed') + n('property-names-handler') + n('property-names-check');
    return {
      file, tested: xs.length, equivalent, nonEquivalent,
      killed: byProperty + n('unit-only'), survived: n('survived') + n('no-coverage'), timeout: n('timeout'),
      byProperty, unitOnly: n('unit-only'), namesCheck: n('property-names-check'), namesHandler: n('property-names-handler'),
      score: nonEquivalent ? (n('property-names-check') + n('property-names-handler')) / nonEquivalent : 0,
    };
  };
  return [...files.map((f) => row(f, cs.filter((c) => c.file === f))), row('total', cs)];
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function markdown(cs: readonly Classified[], target = 0.85): string {
  const rows = summarise(cs);
  const lines = [
    '| file | mutants (excl. ignored) | equivalent | non-equivalent | killed | survived / no coverage | timeout | killed by a property | only by a unit test | property names the check | property names only its handler or step | **named / non-equivalent** |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.file} | ${r.tested} | ${r.equivalent} | ${r.nonEquivalent} | ${r.killed} | ${r.survived} | ${r.timeout} | ${r.byProperty} | ${r.unitOnly} | ${r.namesCheck} | ${r.namesHandler} | **${pct(r.score)}** |`),
  ];
  const total = rows[rows.length - 1]!;
  const need = Math.ceil(target * total.nonEquivalent);
  const got = total.namesCheck + total.namesHandler;
  lines.push('', `Target ${pct(target)} of non-equivalent mutants killed by a property that names the weakness: ${got} / ${total.nonEquivalent} = ${pct(total.score)} — ${got >= need ? 'reached' : `not reached, ${need - got} mutants short`}.`);
  return lines.join('\n');
}

function loc(c: Classified): string {
  return `${c.file}:${c.mutant.location.start.line}:${c.mutant.location.start.column}`;
}

export function listing(cs: readonly Classified[], verdicts: readonly Verdict[]): string {
  return cs
    .filter((c) => verdicts.includes(c.verdict))
    .map((c) => `- ${c.verdict} ${loc(c)} ${c.mutant.mutatorName} → \`${(c.mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\`${c.propertyKillers.length ? ` (killed by ${c.propertyKillers.length} properties, first: ${c.propertyKillers[0]})` : c.killers.length ? ` (first killer: ${c.killers[0]})` : ''}; tags: ${[...c.tags.check, ...c.tags.handler, ...c.tags.step].slice(0, 6).join(' | ')}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, 'scripts/'))) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  const reports = (files.length ? files : ['reports/mutation/mutation.json']).map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report);
  const cs = classify(reports);
  console.log(markdown(cs));
  if (args.includes('--list')) {
    console.log('\nEquivalent (listed by hand, with the reason):');
    for (const c of cs.filter((x) => x.verdict === 'equivalent')) console.log(`- ${loc(c)} ${c.mutant.mutatorName} → \`${c.mutant.replacement}\`: ${c.equivalent!.reason}`);
    const missing = EQUIVALENT.filter((e) => !cs.some((c) => c.equivalent === e));
    if (missing.length) console.log(`(${missing.length} listed equivalents were not among the mutants of these reports: ${missing.map((e) => `${e.file}:${e.line}:${e.column} ${e.replacement}`).join(', ')})`);
    console.log('\nNot killed by a property that names the weakness:');
    console.log(listing(cs, ['survived', 'no-coverage', 'timeout', 'unit-only', 'property-unnamed', 'error']));
  }
}
