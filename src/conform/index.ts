/**
 * Spec-to-code conformance (issue 8): the executable model (src/model) against the spec's `flow`
 * section (spec/emr-flow.ban, Chen et al. 2020 §3.2–3.7). Static analysis with ts-morph; the
 * rules and their limits are in docs/conformance.md. Five checks:
 *
 *   tags      every equation (1)–(73) of the flow has exactly one `@eq N` site; no tag names an
 *             equation the flow lacks;
 *   messages  MESSAGE_SCHEMAS fields (order, names, types), sender/receiver and equation lists
 *             match the flow's steps; every message the code builds sets exactly its schema's fields;
 *   flow      each handler sends the step the flow sends next, and evaluates its equations and
 *             contract calls in the flow's order, before its send;
 *   guards    every check of the flow (numbered `=?` equations, signature verifications,
 *             registration equations, the unnumbered checks, `*chk` contract look-ups) is enforced
 *             (its verdict reaches an abort guard) before every guarded use;
 *   tests     every equation's site is reachable from what some test file imports (static
 *             reference graph; an over-approximation of execution).
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../spec/diagnostics.js';
import { loadSpec } from '../spec/load.js';
import { checkAwaiting, checkFlow, checkReferenced, checkRoutes, locateSegments } from './check-flow.js';
import { checkGuards } from './check-guards.js';
import { checkMessages } from './check-messages.js';
import { namesEq, testReach } from './check-tests.js';
import { eventsOf, loadCode, type Ev, type Unit } from './code.js';
import { expectationsOf } from './expect.js';
import { readSchemasFile } from './schemas.js';
import { at } from './shared.js';
import { CHECKS, ASSURANCE, type ConformOptions, type ConformReport, type EquationRow, type Finding } from './types.js';

export * from './types.js';
export { namesEq } from './check-tests.js';

function display(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs).split('\\').join('/');
}

function listTs(dir: string, pred: (f: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      } else if (pred(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const isSource = (n: string) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts');

function requireDir(path: string, what: string): string {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UserError(`${what} '${path}': no such directory`);
  }
  if (!st.isDirectory()) throw new UserError(`${what} '${path}' is not a directory`);
  return abs;
}

function requireFile(path: string, what: string): string {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UserError(`${what} '${path}': no such file`);
  }
  if (!st.isFile()) throw new UserError(`${what} '${path}' is not a file`);
  return abs;
}

export function conform(o: ConformOptions): ConformReport {
  const spec = loadSpec(o.spec);
  if (!spec.flow || spec.flow.phases.length === 0) throw new UserError(`spec '${o.spec}' has no flow section (docs/flow.md): nothing to check the code against`);
  const ex = expectationsOf(spec.flow);
  const srcAbs = requireDir(o.src, '--src');
  const msgAbs = requireFile(o.messages, '--messages');
  const testDirs = o.tests === null ? null : typeof o.tests === 'string' ? [o.tests] : o.tests;
  const testsAbs = testDirs === null ? null : testDirs.map((d) => requireDir(d, '--tests'));
  const srcFiles = listTs(srcAbs, isSource);
  if (srcFiles.length === 0) throw new UserError(`--src '${o.src}' holds no .ts files`);
  const testFiles = testsAbs ? testsAbs.flatMap((d) => listTs(d, (n) => n.endsWith('.test.ts'))) : [];
  // The reference graph spans the source tree the checked folder sits in (e.g. all of src/).
  const graph = testsAbs ? listTs(dirname(srcAbs), isSource) : [];
  const steps = new Set<string>([...ex.steps.map((s) => s.id)]);
  const schemas = readSchemasFile(msgAbs, display(msgAbs));
  for (const k of schemas.keys()) steps.add(k);
  const cm = loadCode({ srcFiles, messagesFile: msgAbs, extraFiles: [...graph, ...testFiles], steps, display });
  const srcSet = new Set(srcFiles.map(display));
  const srcUnits = cm.units.filter((u) => srcSet.has(u.file));
  const findings: Finding[] = [];

  // tags
  const specEqs = [...ex.equations.keys()].sort((a, b) => a - b);
  const byEq = new Map<number, typeof cm.tags[number][]>();
  for (const t of cm.tags) {
    if (t.eq === null) {
      findings.push({ check: 'tags', code: 'tag.malformed', file: t.file, line: t.line, message: `'${t.raw}' on ${t.name}: a tag is '@eq N' with N a paper equation number` });
      continue;
    }
    byEq.set(t.eq, [...(byEq.get(t.eq) ?? []), t]);
  }
  for (const eq of specEqs) {
    const ts = byEq.get(eq) ?? [];
    const a = ex.equations.get(eq)![0]!;
    if (ts.length === 0) findings.push({ check: 'tags', code: 'tag.missing', eq, step: a.step, file: a.pos.file, line: a.pos.line, message: `(${eq}) ${a.text} [${a.party}, ${a.step}] has no @eq ${eq} site in ${display(srcAbs)}` });
    if (ts.length > 1) {
      findings.push({ check: 'tags', code: 'tag.duplicate', eq, file: ts[1]!.file, line: ts[1]!.line, message: `(${eq}) is tagged ${ts.length} times: ${ts.map((t) => `${t.file}:${t.line} ${t.name}`).join(', ')}; exactly one site per equation` });
    }
  }
  for (const [eq, ts] of byEq) {
    if (!ex.equations.has(eq)) for (const t of ts) findings.push({ check: 'tags', code: 'tag.unknown', eq, file: t.file, line: t.line, message: `@eq ${eq} on ${t.name}: the spec's flow has no equation (${eq})` });
  }
  // A tag's text, when it has one, starts with the equation as the flow writes it ('?=' and '=?' are the same).
  const normEq = (t: string) => t.replace(/\?=/g, '=?').replace(/\s+/g, ' ').trim();
  for (const t of cm.tags) {
    const a = t.eq !== null ? ex.equations.get(t.eq)?.[0] : undefined;
    const text = t.raw.replace(/^@eq\s+\d+\s*/, '');
    if (a && text !== '' && !normEq(text).startsWith(normEq(a.text))) {
      findings.push({ check: 'tags', code: 'tag.text', eq: t.eq!, file: t.file, line: t.line, message: `@eq ${t.eq} on ${t.name} says '${text}'; the spec's (${t.eq}) is '${a.text}' — is the number wrong?` });
    }
  }
  for (const s of cm.strayTags) {
    findings.push(
      s.kind === 'not-jsdoc'
        ? { check: 'tags', code: 'tag.not-jsdoc', file: s.file, line: s.line, message: `'${s.text}': an @eq tag outside a /** JSDoc */ comment is not counted` }
        : { check: 'tags', code: 'tag.detached', file: s.file, line: s.line, message: `'${s.text}': a JSDoc @eq attached to no declaration or statement is not counted` },
    );
  }

  checkMessages(ex, schemas, cm, steps, findings);
  const evCache = new Map<Unit, Ev[]>();
  const evs = (u: Unit): Ev[] => {
    let e = evCache.get(u);
    if (!e) evCache.set(u, (e = eventsOf(cm, u, ex.contracts, steps, srcSet)));
    return e;
  };
  const located = locateSegments(ex, srcUnits, steps, findings, evs);
  checkFlow(ex, located, findings);
  checkRoutes(cm, srcUnits, steps, findings);
  checkReferenced(srcUnits, located, findings);
  const nAwaits = checkAwaiting(ex, located, steps, findings);
  const nChecks = checkGuards(ex, cm, located, findings);

  // tests
  const reach = testsAbs ? testReach(cm, testFiles, display) : new Map<string, Set<number>>();
  const testsOf = (eq: number) => [...reach].filter(([, s]) => s.has(eq)).map(([f]) => f).sort();
  if (testsAbs) {
    for (const eq of specEqs) {
      if (testsOf(eq).length === 0 && (byEq.get(eq) ?? []).length > 0) {
        const t = byEq.get(eq)![0]!;
        findings.push({ check: 'tests', code: 'test.unexercised', eq, file: t.file, line: t.line, message: `(${eq}) ${t.name}: no test file under ${testsAbs.map(display).join(', ')} reaches it from what it imports` });
      }
    }
  }

  // rows
  const sitesOf = new Map<number, Set<string>>();
  for (const sc of located) {
    for (const e of sc.events) {
      if (e.kind !== 'eq' || e.eq === undefined || e.via || !e.call) continue;
      sitesOf.set(e.eq, new Set([...(sitesOf.get(e.eq) ?? []), `${at(e.node, cm)} (${sc.unit.name})`]));
    }
  }
  // sites outside any handler (e.g. the center's set-up, eq. (1)): direct calls anywhere in the checked folder
  for (const u of srcUnits.filter((x) => x.isFunction)) {
    for (const e of evs(u)) {
      if (e.kind !== 'eq' || e.eq === undefined || !e.call || e.via) continue;
      if (sitesOf.has(e.eq) && [...sitesOf.get(e.eq)!].some((s) => s.startsWith(at(e.node, cm)))) continue;
      if (!sitesOf.has(e.eq) || ex.equations.get(e.eq)?.[0]?.where === 'local') sitesOf.set(e.eq, new Set([...(sitesOf.get(e.eq) ?? []), `${at(e.node, cm)} (${u.name})`]));
    }
  }
  const testTexts = testFiles.map((f) => [display(f), cm.project.getSourceFileOrThrow(f).getFullText()] as const);
  const equations: EquationRow[] = specEqs.map((eq) => {
    const a = ex.equations.get(eq)![0]!;
    return {
      eq, phase: a.phase, step: a.step, party: a.party, kind: a.kind, text: a.text, spec: `${a.pos.file}:${a.pos.line}`,
      tags: (byEq.get(eq) ?? []).map((t) => `${t.file}:${t.line} ${t.name}`),
      sites: [...(sitesOf.get(eq) ?? [])].sort(),
      tests: testsOf(eq),
      namedIn: testTexts.filter(([f, t]) => namesEq(t, eq) && testsOf(eq).includes(f)).map(([f]) => f).sort(),
    };
  });
  const uniq = new Map<string, Finding>();
  for (const f of findings) uniq.set(`${f.code}|${f.file ?? ''}|${f.line ?? ''}|${f.message}`, f);
  const all = [...uniq.values()];
  const checks = CHECKS.map((name) => ({
    name, ok: !all.some((f) => f.check === name), findings: all.filter((f) => f.check === name).length,
    ...(name === 'tests' && !testsAbs ? { skipped: true } : {}),
  }));
  return {
    spec: spec.file, src: display(srcAbs), messages: display(msgAbs), tests: testsAbs ? testsAbs.map(display).join(', ') : null,
    assurance: ASSURANCE, checks,
    counts: { equations: specEqs.length, tags: cm.tags.length, steps: ex.steps.length, segments: located.length, awaits: nAwaits, checks: nChecks, testFiles: testFiles.length, namedEquations: equations.filter((e) => e.namedIn.length > 0).length },
    equations, findings: all, ok: all.length === 0,
  };
}
