/**
 * Check `guards`: every check and contract look-up of the flow is enforced (its verdict reaches an
 * abort guard) before every guarded use (docs/conformance.md, "Guarded values").
 */
import type { Node } from 'ts-morph';
import { dominates, enforcementOf, namedGuards, type CodeModel, type Ev } from './code.js';
import { allEvents, ordered, type SegmentCode } from './check-flow.js';
import type { Expectations } from './expect.js';
import { eqName, instantiate, segName } from './shared.js';
import type { Finding } from './types.js';

function matchesUnnumbered(specText: string, guardName: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const suffix = /_([A-Za-z0-9]+)\b/.exec(specText)?.[1];
  return norm(instantiate(guardName, suffix)).startsWith(norm(specText));
}

export function checkGuards(ex: Expectations, cm: CodeModel, located: readonly SegmentCode[], findings: Finding[]): number {
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
      const swallowed = (t: Node) =>
        push({
          code: 'guard.swallowed', ...(a.eq !== undefined ? { eq: a.eq } : {}), step: a.step, file: unit.file, line: t.getStartLineNumber(),
          message: `${what} is enforced in ${unit.name} inside a try (line ${t.getStartLineNumber()}) whose catch does not rethrow: the abort is swallowed and ${segName(seg)} goes on when it fails`,
        });
      if (a.eq !== undefined || lookup) {
        const evs = allEvents(events, a).filter((e) => !e.via && !e.named && e.call !== undefined);
        if (evs.length === 0) return; // reported by the flow pass (guard.missing) when absent altogether
        const swallowedBy: Node[] = [];
        enf = enforcementOf(cm, unit, evs.map((e) => e.call!), swallowedBy);
        if (!enf && swallowedBy.length > 0) {
          swallowed(swallowedBy[0]!);
          return;
        }
        if (!enf) {
          push({
            code: 'guard.unenforced', ...(a.eq !== undefined ? { eq: a.eq } : {}), step: a.step, file: unit.file, line: evs[0]!.node.getStartLineNumber(),
            message: `${what} is evaluated in ${unit.name} (line ${evs[0]!.node.getStartLineNumber()}) but its result reaches no abort guard: ${segName(seg)} goes on when it fails`,
          });
          return;
        }
      } else {
        const named = namedGuards(cm, unit).filter((x) => matchesUnnumbered(a.text, x.name));
        const g = named.find((x) => !x.swallowedBy);
        if (!g && named.length > 0) {
          swallowed(named[0]!.swallowedBy!);
          return;
        }
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
      for (const e of events) if (e.kind === 'write') uses.push({ what: `state write \`${(e.text ?? e.node.getText()).replace(/\s+/g, ' ').slice(0, 40)}\``, e });
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
