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
import { Node, SyntaxKind } from 'ts-morph';
import { UserError } from '../spec/diagnostics.js';
import { loadSpec } from '../spec/load.js';
import {
  dominates,
  enforcementOf,
  eventsOf,
  loadCode,
  namedGuards,
  sendOf,
  declOf,
  type CodeModel,
  type Ev,
  type Unit,
} from './code.js';
import { expectationsOf, type Expectations, type Segment, type SpecAction } from './expect.js';
import { readSchemasFile, type CodeSchema } from './schemas.js';

export type CheckName = 'tags' | 'messages' | 'flow' | 'guards' | 'tests';
export const CHECKS: readonly CheckName[] = ['tags', 'messages', 'flow', 'guards', 'tests'];

export interface Finding {
  readonly check: CheckName;
  /** Stable code, e.g. `tag.missing`, `schema.field-order`, `flow.order`, `guard.late`. */
  readonly code: string;
  readonly message: string;
  /** Where in the code (or the spec, for something the code lacks). */
  readonly file?: string;
  readonly line?: number;
  readonly eq?: number;
  readonly step?: string;
}

export interface EquationRow {
  readonly eq: number;
  readonly phase: string;
  readonly step: string;
  readonly party: string;
  readonly kind: string;
  readonly text: string;
  readonly spec: string;
  /** `file:line name` of each `@eq` tag (exactly one when conformant). */
  readonly tags: readonly string[];
  /** Where the equation is evaluated: `file:line (unit)`. */
  readonly sites: readonly string[];
  readonly tests: readonly string[];
  /** Of `tests`, those that also name the equation (`eq: N`, `eq === N`, `eq. (N)`, `eqN_…`, `@eq N`): likely asserting on it specifically. */
  readonly namedIn: readonly string[];
}

export interface ConformReport {
  readonly spec: string;
  readonly src: string;
  readonly messages: string;
  readonly tests: string | null;
  readonly assurance: string;
  readonly checks: readonly { name: CheckName; ok: boolean; findings: number; skipped?: boolean }[];
  readonly counts: { equations: number; tags: number; steps: number; segments: number; awaits: number; checks: number; testFiles: number; namedEquations: number };
  readonly equations: readonly EquationRow[];
  readonly findings: readonly Finding[];
  readonly ok: boolean;
}

export interface ConformOptions {
  readonly spec: string;
  readonly src: string;
  readonly messages: string;
  /** Test folders (files named *.test.ts); null skips the tests check. */
  readonly tests: string | readonly string[] | null;
}

export const ASSURANCE =
  'static analysis of the TypeScript source (ts-morph syntax and symbol resolution; nothing is executed): ' +
  'ordering and guard results hold for the structured code the rules model (docs/conformance.md); ' +
  'test exercise is reachability in the reference graph from what each test file imports, not coverage';

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

const at = (n: Node, cm: CodeModel) => `${cm.display(n.getSourceFile())}:${n.getStartLineNumber()}`;
const eqName = (a: SpecAction) => (a.eq !== undefined ? `(${a.eq})` : a.contract !== undefined ? a.contract : `'${a.text}'`);
const describe = (a: SpecAction) =>
  a.kind === 'contract' ? `${a.party} calls ${a.text}` : `${a.party} ${a.kind === 'check' ? 'checks' : 'computes'} ${a.text}${a.eq !== undefined ? ` (${a.eq})` : ''}`;
const segName = (s: Segment) => (s.receives ? `the handler of ${s.receives} at ${s.party} (${s.phase})` : `the start of ${s.phase} at ${s.party}`);

/** Schema field name with the registering role's placeholder `X` (`ID_X`) read as the given suffix. */
function instantiate(name: string, suffix: string | undefined): string {
  return suffix === undefined ? name : name.replace(/(^|_)X(?![A-Za-z0-9])/g, `$1${suffix}`);
}

function checkMessages(ex: Expectations, schemas: ReadonlyMap<string, CodeSchema>, cm: CodeModel, steps: ReadonlySet<string>, findings: Finding[]): void {
  const push = (f: Omit<Finding, 'check'>) => findings.push({ check: 'messages', ...f });
  const specIds = new Set(ex.steps.map((s) => s.id));
  const eqsById = new Map<string, Set<number>>();
  for (const s of ex.steps) eqsById.set(s.id, new Set([...(eqsById.get(s.id) ?? []), ...s.eqs]));
  for (const s of ex.steps) {
    const sc = schemas.get(s.id);
    if (!sc) {
      push({ code: 'schema.missing', step: s.id, message: `step ${s.id} (${s.phase}, ${s.from} -> ${s.to}) has no MESSAGE_SCHEMAS entry`, file: s.pos.file, line: s.pos.line });
      continue;
    }
    // The registering role's suffix: from the first field whose schema name has the X placeholder.
    let suffix: string | undefined;
    sc.fields.forEach((f, i) => {
      const sf = s.fields[i];
      if (suffix === undefined && sf && /(^|_)X(_|$)/.test(f.name)) {
        const m = new RegExp(`^${f.name.replace(/(^|_)X(?=_|$)/, '$1(.+?)')}$`).exec(sf.name);
        if (m) suffix = m[1] ?? m[2];
      }
    });
    const codeNames = sc.fields.map((f) => instantiate(f.name, suffix));
    const specNames = s.fields.map((f) => f.name);
    const where = `${s.id} (${s.phase})`;
    const sameSet = codeNames.length === specNames.length && [...codeNames].sort().join() === [...specNames].sort().join();
    if (sameSet && codeNames.join() !== specNames.join()) {
      push({ code: 'schema.field-order', step: s.id, file: sc.file, line: sc.line, message: `${where}: fields in another order: spec (${specNames.join(', ')}), MESSAGE_SCHEMAS (${codeNames.join(', ')})` });
    } else if (!sameSet) {
      const missing = specNames.filter((n) => !codeNames.includes(n));
      const extra = codeNames.filter((n) => !specNames.includes(n));
      push({
        code: 'schema.fields', step: s.id, file: sc.file, line: sc.line,
        message: `${where}: fields differ: spec (${specNames.join(', ')}), MESSAGE_SCHEMAS (${codeNames.join(', ')})${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; not in the spec ${extra.join(', ')}` : ''}`,
      });
    }
    s.fields.forEach((f, i) => {
      const c = sc.fields.find((x) => instantiate(x.name, suffix) === f.name);
      if (c && c.type !== f.type) push({ code: 'schema.field-type', step: s.id, file: sc.file, line: c.line, message: `${where}: field ${f.name} is '${c.type}' in MESSAGE_SCHEMAS, '${f.type}' in the spec` });
      void i;
    });
    if (sc.channel !== undefined && sc.channel !== s.channel) {
      push({ code: 'schema.channel', step: s.id, file: sc.file, line: sc.line, message: `${where}: travels on the ${sc.channel} channel in MESSAGE_SCHEMAS, the ${s.channel} channel in the spec` });
    }
    const role = (p: string) => (p === ex.ledger ? 'CENTER' : p);
    for (const [dir, specParty, codeParty] of [['sender', s.from, sc.from], ['receiver', s.to, sc.to]] as const) {
      if (codeParty === undefined) continue;
      const ok = codeParty === role(specParty) || (codeParty === 'X' && specParty !== ex.ledger && suffix !== undefined);
      if (!ok) push({ code: 'schema.route', step: s.id, file: sc.file, line: sc.line, message: `${where}: ${dir} is ${codeParty} in MESSAGE_SCHEMAS, ${specParty} in the spec` });
    }
  }
  for (const [id, want] of eqsById) {
    const sc = schemas.get(id);
    if (!sc?.eqs) continue;
    const got = [...sc.eqs].sort((a, b) => a - b).join(', ');
    const exp = [...want].sort((a, b) => a - b).join(', ');
    if (got !== exp) push({ code: 'schema.eqs', step: id, file: sc.file, line: sc.line, message: `${id}: MESSAGE_SCHEMAS lists equations (${got}), the spec's step has (${exp})` });
  }
  for (const [id, sc] of schemas) {
    if (!specIds.has(id)) push({ code: 'schema.extra', step: id, file: sc.file, line: sc.line, message: `MESSAGE_SCHEMAS has ${id}, a step the spec's flow does not have` });
  }
  // Every message the checked code builds sets exactly its schema's fields.
  for (const sf of cm.files) {
    sf.forEachDescendant((n) => {
      const s = sendOf(n, steps);
      if (!s) return;
      const sc = schemas.get(s.step);
      if (!sc) return;
      const want = sc.fields.map((f) => f.name);
      const missing = want.filter((x) => !s.fields.includes(x));
      const extra = s.fields.filter((x) => !want.includes(x));
      if (missing.length || extra.length) {
        push({
          code: 'send.fields', step: s.step, file: cm.display(sf), line: n.getStartLineNumber(),
          message: `message ${s.step} built with fields (${s.fields.join(', ')}); its schema has (${want.join(', ')})${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`,
        });
      }
    });
  }
}

interface SegmentCode {
  readonly seg: Segment;
  readonly unit: Unit;
  readonly events: readonly Ev[];
}

function firstEvent(evs: readonly Ev[], a: SpecAction): Ev | undefined {
  return evs.find((e) => (a.eq !== undefined && e.kind === 'eq' && e.eq === a.eq) || (a.kind === 'contract' && e.kind === 'contract' && e.contract === a.contract));
}
function allEvents(evs: readonly Ev[], a: SpecAction): Ev[] {
  return evs.filter((e) => (a.eq !== undefined && e.kind === 'eq' && e.eq === a.eq) || (a.kind === 'contract' && e.kind === 'contract' && e.contract === a.contract));
}
const ordered = (a: SpecAction) => (a.eq !== undefined && (a.kind === 'compute' || a.kind === 'check')) || a.kind === 'contract';

function locateSegments(ex: Expectations, srcUnits: readonly Unit[], steps: ReadonlySet<string>, findings: Finding[], evs: (u: Unit) => Ev[]): SegmentCode[] {
  const out: SegmentCode[] = [];
  const fns = srcUnits.filter((u) => u.isFunction);
  const directSends = new Map<Unit, string[]>();
  for (const u of fns) {
    const s: string[] = [];
    u.body.forEachDescendant((n) => {
      const m = sendOf(n, steps);
      if (m) s.push(m.step);
    });
    directSends.set(u, s);
  }
  for (const seg of ex.segments) {
    const cands = seg.receives
      ? fns.filter((u) => u.receives.includes(seg.receives!))
      : fns.filter((u) => u.receives.length === 0 && directSends.get(u)!.includes(seg.sends!));
    if (cands.length === 0) {
      findings.push({
        check: 'flow', code: seg.receives ? 'flow.no-handler' : 'flow.no-start', step: seg.receives ?? seg.sends ?? undefined,
        message: seg.receives
          ? `no function receives ${seg.receives} (${seg.party}, ${seg.phase}): expected one typed Handler<'${seg.receives}', …> or with a Message<'${seg.receives}'> parameter`
          : `no function opens ${seg.phase} by sending ${seg.sends} (${seg.party})`,
      });
      continue;
    }
    if (cands.length > 1) {
      findings.push({ check: 'flow', code: 'flow.ambiguous', step: seg.receives ?? seg.sends ?? undefined, file: cands[1]!.file, line: cands[1]!.line, message: `${segName(seg)}: ${cands.length} functions qualify (${cands.map((c) => `${c.name} ${c.file}:${c.line}`).join(', ')}); checking the first` });
    }
    const unit = cands[0]!;
    out.push({ seg, unit, events: evs(unit) });
  }
  return out;
}

function checkFlow(ex: Expectations, located: readonly SegmentCode[], findings: Finding[]): void {
  const push = (f: Omit<Finding, 'check'>) => findings.push({ check: 'flow', ...f });
  const where = (sc: SegmentCode) => `${sc.unit.name} (${segName(sc.seg)})`;
  for (const sc of located) {
    const { seg, unit, events } = sc;
    const sent = events.filter((e) => e.kind === 'send');
    if (seg.sends && !sent.some((e) => e.step === seg.sends)) {
      push({ code: 'flow.send-missing', step: seg.sends, file: unit.file, line: unit.line, message: `${where(sc)} does not send ${seg.sends}, the spec's next message` });
    }
    for (const e of sent) {
      if (e.step !== seg.sends) {
        push({
          code: 'flow.send-unexpected', step: e.step, file: sc.unit.file, line: e.node.getStartLineNumber(),
          message: `${where(sc)} sends ${e.step}${e.via ? ` (in ${e.via})` : ''}; the spec ${seg.sends ? `sends ${seg.sends} next` : `sends nothing after ${seg.receives}`}`,
        });
      }
    }
    const items = seg.actions.filter(ordered);
    const found: { a: SpecAction; e: Ev }[] = [];
    for (const a of items) {
      const e = firstEvent(events, a);
      if (!e) {
        const isCheck = a.kind === 'check' || (a.kind === 'contract' && a.contract !== undefined && ex.lookups.has(a.contract));
        findings.push({
          check: isCheck ? 'guards' : 'flow', code: isCheck ? 'guard.missing' : 'flow.action-missing', ...(a.eq !== undefined ? { eq: a.eq } : {}), step: a.step,
          file: unit.file, line: unit.line,
          message: `${describe(a)} [spec ${a.pos.file}:${a.pos.line}] is not ${a.kind === 'contract' ? 'called' : a.kind === 'check' ? 'checked' : 'computed'} in ${where(sc)}`,
        });
      } else found.push({ a, e });
    }
    for (let i = 1; i < found.length; i++) {
      const p = found[i - 1]!;
      const c = found[i]!;
      if (c.e.key < p.e.key) {
        push({
          code: 'flow.order', ...(c.a.eq !== undefined ? { eq: c.a.eq } : {}), step: c.a.step, file: unit.file, line: c.e.node.getStartLineNumber(),
          message: `${where(sc)}: ${eqName(c.a)} (line ${c.e.node.getStartLineNumber()}) runs before ${eqName(p.a)} (line ${p.e.node.getStartLineNumber()}); the spec has ${eqName(p.a)} first`,
        });
      }
    }
    for (const e of sent.filter((x) => x.step === seg.sends)) {
      const late = found.filter((f) => f.e.key > e.key);
      for (const f of late) {
        push({
          code: 'flow.send-early', step: e.step, ...(f.a.eq !== undefined ? { eq: f.a.eq } : {}), file: unit.file, line: e.node.getStartLineNumber(),
          message: `${where(sc)}: message ${e.step} is built (line ${e.node.getStartLineNumber()}) before ${eqName(f.a)} (line ${f.e.node.getStartLineNumber()}), which the spec does before sending`,
        });
      }
    }
  }
  // An equation evaluated directly in the handler of another segment is misplaced.
  const home = new Map<number, Set<Unit>>();
  for (const sc of located) for (const a of sc.seg.actions) if (a.eq !== undefined) home.set(a.eq, new Set([...(home.get(a.eq) ?? []), sc.unit]));
  const seen = new Set<string>();
  for (const sc of located) {
    for (const e of sc.events) {
      if (e.kind !== 'eq' || e.via || e.eq === undefined) continue;
      const h = home.get(e.eq);
      if (!h || h.has(sc.unit)) continue;
      const key = `${e.eq}@${sc.unit.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const spec = ex.equations.get(e.eq)?.[0];
      push({
        code: 'flow.misplaced', eq: e.eq, file: sc.unit.file, line: e.node.getStartLineNumber(),
        message: `(${e.eq}) is evaluated in ${where(sc)}; the spec has it ${spec ? `at ${spec.party}, ${spec.where} ${spec.step}` : 'elsewhere'} (${[...h].map((u) => u.name).join(', ')})`,
      });
    }
  }
}

/**
 * Dispatch tables: an entry keyed by a step id (`'initial.3': { handler: onInitial3 … }`) must
 * reference only handlers of that step, or the message is processed by the wrong code.
 */
function checkRoutes(cm: CodeModel, srcUnits: readonly Unit[], steps: ReadonlySet<string>, findings: Finding[]): void {
  for (const u of srcUnits) {
    u.body.forEachDescendant((n) => {
      if (!Node.isPropertyAssignment(n)) return;
      const nn = n.getNameNode();
      const key = Node.isStringLiteral(nn) ? nn.getLiteralValue() : nn.getText();
      if (!steps.has(key)) return;
      const init = n.getInitializer();
      if (!init) return;
      for (const id of [init, ...init.getDescendants()].filter((x) => Node.isIdentifier(x))) {
        const d = declOf(id);
        const h = d ? cm.unitOfDecl.get(d) : undefined;
        if (!h || !h.isFunction || h.receives.length === 0 || h.receives.includes(key)) continue;
        findings.push({
          check: 'flow', code: 'flow.route', step: key, file: u.file, line: id.getStartLineNumber(),
          message: `${u.name} routes ${key} to ${h.name}, which handles ${h.receives.join(', ')}`,
        });
      }
    });
  }
}

/**
 * What a party waits for next: the session state's `awaiting: 'S'` (src/model/types.ts) written by
 * a handler must be the next step of the phase that this party receives after the message the
 * handler sends (or after the one it received, when it sends nothing).
 */
function checkAwaiting(ex: Expectations, located: readonly SegmentCode[], steps: ReadonlySet<string>, findings: Finding[]): number {
  let n = 0;
  for (const sc of located) {
    const { seg, unit } = sc;
    const phaseSteps = ex.steps.filter((s) => s.phase === seg.phase);
    const from = phaseSteps.findIndex((s) => s.id === (seg.sends ?? seg.receives));
    const next = phaseSteps.slice(from + 1).find((s) => s.to === seg.party)?.id;
    unit.body.forEachDescendant((x) => {
      if (!Node.isPropertyAssignment(x) || x.getName() !== 'awaiting') return;
      const v = x.getInitializer();
      if (!v || !Node.isStringLiteral(v) || !steps.has(v.getLiteralValue())) return;
      n++;
      if (v.getLiteralValue() !== next) {
        findings.push({
          check: 'flow', code: 'flow.awaits', step: v.getLiteralValue(), file: unit.file, line: x.getStartLineNumber(),
          message: `${unit.name} (${segName(seg)}) leaves ${seg.party} awaiting ${v.getLiteralValue()}; in the spec the next message ${seg.party} receives is ${next ?? 'none'}`,
        });
      }
    });
  }
  return n;
}

/** A handler nothing refers to (no dispatch table entry, no call) never runs: the flow's step would be processed elsewhere or not at all. */
function checkReferenced(cm: CodeModel, srcUnits: readonly Unit[], located: readonly SegmentCode[], findings: Finding[]): void {
  const handlers = [...new Set(located.map((l) => l.unit))];
  for (const h of handlers) {
    // an exported function is API: its callers may live outside the checked folder
    const st = Node.isVariableDeclaration(h.decl) ? h.decl.getVariableStatement() : h.decl;
    if (st && Node.isExportable(st) && st.isExported()) continue;
    const used = srcUnits.some((u) => u !== h && u.body.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === h.name && declOf(id) === h.decl));
    if (!used) {
      const segs = located.filter((l) => l.unit === h).map((l) => segName(l.seg));
      findings.push({ check: 'flow', code: 'flow.unreferenced', file: h.file, line: h.line, message: `${h.name} (${[...new Set(segs)].join('; ')}) is referenced by no other code in the checked folder: nothing dispatches to it` });
    }
  }
}

/** The spec's unnumbered check text matched to a guard name (role placeholder X read as the spec's suffix). */
function matchesUnnumbered(specText: string, guardName: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const suffix = /_([A-Za-z0-9]+)\b/.exec(specText)?.[1];
  return norm(instantiate(guardName, suffix)).startsWith(norm(specText));
}

function checkGuards(ex: Expectations, cm: CodeModel, located: readonly SegmentCode[], findings: Finding[]): number {
  const push = (f: Omit<Finding, 'check'>) => findings.push({ check: 'guards', ...f });
  let checks = 0;
  for (const sc of located) {
    const { seg, unit, events } = sc;
    seg.actions.forEach((a, i) => {
      const lookup = a.kind === 'contract' && a.contract !== undefined && ex.lookups.has(a.contract);
      if (a.kind !== 'check' && !lookup) return;
      checks++;
      let enf: Node | undefined;
      const what = a.eq !== undefined ? `check (${a.eq}) ${a.text}` : lookup ? `contract look-up ${a.contract}` : `check '${a.text}'`;
      if (a.eq !== undefined || lookup) {
        const evs = allEvents(events, a).filter((e) => !e.via && !e.named && e.call !== undefined);
        if (evs.length === 0) return; // reported by the flow pass (guard.missing) when absent altogether
        enf = enforcementOf(cm, unit, evs.map((e) => e.call!));
        if (!enf) {
          push({
            code: 'guard.unenforced', ...(a.eq !== undefined ? { eq: a.eq } : {}), step: a.step, file: unit.file, line: evs[0]!.node.getStartLineNumber(),
            message: `${what} is evaluated in ${unit.name} (line ${evs[0]!.node.getStartLineNumber()}) but its result reaches no abort guard: ${segName(seg)} goes on when it fails`,
          });
          return;
        }
      } else {
        const g = namedGuards(cm, unit).find((x) => matchesUnnumbered(a.text, x.name));
        if (!g) {
          push({ code: 'guard.missing', step: a.step, file: unit.file, line: unit.line, message: `${what} [spec ${a.pos.file}:${a.pos.line}]: no abort guard in ${unit.name} is named for it` });
          return;
        }
        enf = g.stmt;
      }
      const uses: { what: string; e: Ev }[] = [];
      for (const b of seg.actions.slice(i + 1)) if (ordered(b)) for (const e of allEvents(events, b)) uses.push({ what: eqName(b), e });
      for (const e of events) if (e.kind === 'send') uses.push({ what: `message ${e.step}`, e });
      for (const e of events) if (e.kind === 'return') uses.push({ what: 'the step result (state commit)', e });
      for (const e of events) if (e.kind === 'write') uses.push({ what: `state write \`${e.node.getText().slice(0, 40)}\``, e });
      const done = new Set<Node>();
      for (const u of uses) {
        if (done.has(u.e.node) || dominates(enf, u.e.node)) continue;
        done.add(u.e.node);
        push({
          code: 'guard.late', ...(a.eq !== undefined ? { eq: a.eq } : {}), step: a.step, file: unit.file, line: u.e.node.getStartLineNumber(),
          message: `${u.what} (line ${u.e.node.getStartLineNumber()}${u.e.via ? `, in ${u.e.via}` : ''}) is not guarded by ${what}, enforced at line ${enf.getStartLineNumber()} of ${unit.name}: it runs first or on a path that skips the check`,
        });
      }
    });
  }
  return checks;
}

/** Test file → equations whose sites are reachable from its imports in the reference graph. */
function testReach(cm: CodeModel, testFiles: readonly string[]): Map<string, Set<number>> {
  const edges = new Map<Unit, Unit[]>();
  const out = (u: Unit): Unit[] => {
    let e = edges.get(u);
    if (e) return e;
    const s = new Set<Unit>();
    u.body.forEachDescendant((n) => {
      if (!Node.isIdentifier(n)) return;
      const d = declOf(n);
      const t = d ? cm.unitOfDecl.get(d) : undefined;
      if (t && t !== u) s.add(t);
    });
    e = [...s];
    edges.set(u, e);
    return e;
  };
  const stmtTagsByUnit = new Map<Unit, number[]>();
  for (const t of cm.tags) if (t.unit && t.stmt && t.eq !== null) stmtTagsByUnit.set(t.unit, [...(stmtTagsByUnit.get(t.unit) ?? []), t.eq]);
  const res = new Map<string, Set<number>>();
  for (const f of testFiles) {
    const sf = cm.project.getSourceFileOrThrow(f);
    const starts: Unit[] = [];
    for (const imp of sf.getImportDeclarations()) {
      for (const ni of imp.getNamedImports()) {
        const d = declOf(ni.getAliasNode() ?? ni.getNameNode());
        const u = d ? cm.unitOfDecl.get(d) : undefined;
        if (u) starts.push(u);
      }
      const ns = imp.getNamespaceImport() ?? imp.getDefaultImport();
      if (ns) {
        // every unit of the module the test reaches through `M.name`
        sf.forEachDescendant((n) => {
          if (Node.isPropertyAccessExpression(n) && n.getExpression().getText() === ns.getText()) {
            const d = declOf(n.getNameNode());
            const u = d ? cm.unitOfDecl.get(d) : undefined;
            if (u) starts.push(u);
          }
        });
      }
    }
    const seen = new Set<Unit>(starts);
    const queue = [...starts];
    const eqs = new Set<number>();
    while (queue.length) {
      const u = queue.pop()!;
      const tag = cm.fnTags.get(u.decl);
      if (tag?.eq != null) eqs.add(tag.eq);
      for (const x of stmtTagsByUnit.get(u) ?? []) eqs.add(x);
      for (const v of out(u)) if (!seen.has(v)) (seen.add(v), queue.push(v));
    }
    res.set(display(f), eqs);
  }
  return res;
}

/** Does a test's text name equation `eq` in one of the forms tests use to assert on an equation? */
export function namesEq(text: string, eq: number): boolean {
  return new RegExp(`\\beq(?:\\s*(?::|===?)\\s*|\\.?\\s*\\(\\s*|\\s+)${eq}(?!\\d)|\\beq${eq}_|@eq ${eq}(?!\\d)`).test(text);
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
  for (const s of cm.strayTags) findings.push({ check: 'tags', code: 'tag.not-jsdoc', file: s.file, line: s.line, message: `'${s.text}': an @eq tag outside a /** JSDoc */ comment is not counted` });

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
  checkReferenced(cm, srcUnits, located, findings);
  const nAwaits = checkAwaiting(ex, located, steps, findings);
  const nChecks = checkGuards(ex, cm, located, findings);

  // tests
  const reach = testsAbs ? testReach(cm, testFiles) : new Map<string, Set<number>>();
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
