/**
 * Check `flow`: which function implements each segment of the flow, what it sends and awaits, the
 * order of its equations and contract calls, dispatch tables and unreferenced handlers.
 */
import { Node, SyntaxKind } from 'ts-morph';
import { declOf, sendOf, type CodeModel, type Ev, type Unit } from './code.js';
import type { Expectations, Segment, SpecAction } from './expect.js';
import { describe, eqName, segName } from './shared.js';
import type { Finding } from './types.js';

export interface SegmentCode {
  readonly seg: Segment;
  readonly unit: Unit;
  readonly events: readonly Ev[];
}

export function firstEvent(evs: readonly Ev[], a: SpecAction): Ev | undefined {
  return evs.find((e) => (a.eq !== undefined && e.kind === 'eq' && e.eq === a.eq) || (a.kind === 'contract' && e.kind === 'contract' && e.contract === a.contract));
}
export function allEvents(evs: readonly Ev[], a: SpecAction): Ev[] {
  return evs.filter((e) => (a.eq !== undefined && e.kind === 'eq' && e.eq === a.eq) || (a.kind === 'contract' && e.kind === 'contract' && e.contract === a.contract));
}
export const ordered = (a: SpecAction) => (a.eq !== undefined && (a.kind === 'compute' || a.kind === 'check')) || a.kind === 'contract';

export function locateSegments(ex: Expectations, srcUnits: readonly Unit[], steps: ReadonlySet<string>, findings: Finding[], evs: (u: Unit) => Ev[]): SegmentCode[] {
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

export function checkFlow(ex: Expectations, located: readonly SegmentCode[], findings: Finding[]): void {
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
export function checkRoutes(cm: CodeModel, srcUnits: readonly Unit[], steps: ReadonlySet<string>, findings: Finding[]): void {
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
export function checkAwaiting(ex: Expectations, located: readonly SegmentCode[], steps: ReadonlySet<string>, findings: Finding[]): number {
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
export function checkReferenced(srcUnits: readonly Unit[], located: readonly SegmentCode[], findings: Finding[]): void {
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
