/**
 * Idealisation audit. Idealisation (turning concrete messages into BAN formulas) is outside the
 * logic (reference point 6; [BAN89] §2.4 calls it the step "we cannot formalise"). This audit
 * ties what an idealised message claims to what the linked concrete steps of the `flow` section
 * actually carry or compute:
 *
 *  - every atom of the idealised message should be a field of a linked step, or appear in an
 *    action (computation/check) of a linked step;
 *  - every formula inside the message (`P <-K-> Q`, `#(X)`, `Q |= X`, ...) is reported with what
 *    supports it: the fields/actions mentioning its key, secret or content — or that nothing does;
 *  - idealised messages without a `[concrete: …]` link, and links to steps the flow lacks.
 */
import type { Spec } from '../spec/ast.js';
import type { FlowStep } from '../spec/flow-ast.js';
import { show } from './pretty.js';
import { children, isFormula, type Term } from './terms.js';

export type AuditKind = 'no-concrete-link' | 'no-flow' | 'unknown-step' | 'unsupported-atom' | 'formula-supported' | 'formula-unsupported';

export interface AuditFinding {
  message: string;
  kind: AuditKind;
  /** The idealised part the finding is about (printed). */
  subject?: string;
  detail: string;
  /** Fields / actions that support the subject: "initial.3 field CHK_AP (check)", "initial.2 eq 20: ...". */
  supportedBy?: string[];
  severity: 'info' | 'warning';
}

const norm = (n: string): string => n.replace(/_\{([^}]*)\}/g, '_$1').replace(/[{}]/g, '');

function identifiers(text: string): string[] {
  return (norm(text).match(/[A-Za-z][A-Za-z0-9_']*/g) ?? []).map(norm);
}

function atomsOf(t: Term, out: string[] = []): string[] {
  if (t.kind === 'atom') {
    if (!out.includes(t.name)) out.push(t.name);
    return out;
  }
  // Function names (t.fn of an application) are not data and are not looked for.
  for (const c of children(t)) atomsOf(c, out);
  return out;
}

/** Maximal formulas inside a message body (a formula inside a formula is reported with its parent). */
function formulasIn(t: Term, out: Term[] = []): Term[] {
  if (isFormula(t)) {
    out.push(t);
    return out;
  }
  for (const c of children(t)) formulasIn(c, out);
  return out;
}

interface Support {
  where: string;
  names: Set<string>;
}

function supportsOf(step: FlowStep): Support[] {
  const out: Support[] = step.fields.map((f) => ({ where: `${step.id} field ${f.name} (${f.type})`, names: new Set([norm(f.name)]) }));
  for (const a of [...step.before, ...step.after]) {
    out.push({ where: `${step.id} ${a.kind} by ${a.party}${a.eq !== undefined ? ` eq (${a.eq})` : ''}: ${a.text}`, names: new Set(identifiers(a.text)) });
  }
  return out;
}

export function auditIdealisation(spec: Spec): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const principals = new Set(spec.declarations.filter((d) => d.sort === 'principal').map((d) => d.name));
  for (const m of spec.messages) {
    principals.add(m.from);
    principals.add(m.to);
  }
  const steps = new Map<string, FlowStep>();
  for (const ph of spec.flow?.phases ?? []) for (const s of ph.steps) steps.set(s.id, s);

  for (const m of spec.messages) {
    if (!m.concrete.length) {
      findings.push({ message: m.label, kind: 'no-concrete-link', detail: `${m.label} has no [concrete: …] link: nothing ties its idealisation to the protocol`, severity: 'warning' });
      continue;
    }
    if (!spec.flow) {
      findings.push({ message: m.label, kind: 'no-flow', detail: `${m.label} links to ${m.concrete.join(', ')} but the spec has no flow section to check against`, severity: 'warning' });
      continue;
    }
    const linked: FlowStep[] = [];
    for (const id of m.concrete) {
      const s = steps.get(id);
      if (s) linked.push(s);
      else findings.push({ message: m.label, kind: 'unknown-step', subject: id, detail: `${m.label} links to step ${id}, which the flow section does not have`, severity: 'warning' });
    }
    if (!linked.length) continue;
    const sup = linked.flatMap(supportsOf);
    const fieldSup = sup.filter((s) => s.where.includes(' field '));
    const supportFor = (name: string, pool: Support[]): string[] => pool.filter((s) => s.names.has(norm(name))).map((s) => s.where);

    // Atoms: carried as a field, or at least computed/checked in a linked step.
    for (const a of atomsOf(m.body)) {
      if (principals.has(a)) continue;
      const asField = supportFor(a, fieldSup);
      if (asField.length) continue;
      const inAction = supportFor(a, sup);
      if (inAction.length) continue; // used in a computation of the linked steps: supported indirectly
      const elsewhere = [...steps.values()].filter((s) => !m.concrete.includes(s.id) && supportsOf(s).some((x) => x.names.has(norm(a)))).map((s) => s.id);
      findings.push({
        message: m.label,
        kind: 'unsupported-atom',
        subject: a,
        detail:
          `${a} appears in idealised ${m.label} but no field or action of ${m.concrete.join(', ')} mentions it` +
          (elsewhere.length ? ` (other steps do: ${elsewhere.join(', ')})` : ' (nor does any other step of the flow)'),
        severity: 'warning',
      });
    }
    // Formulas: always reported — idealisation adds them; say what supports them.
    for (const f of formulasIn(m.body)) {
      const names = atomsOf(f).filter((a) => !principals.has(a));
      const by = [...new Set(names.flatMap((n) => supportFor(n, sup)))];
      const fields = [...new Set(names.flatMap((n) => supportFor(n, fieldSup)))];
      if (by.length) {
        findings.push({
          message: m.label,
          kind: 'formula-supported',
          subject: show(f),
          detail:
            `${show(f)} is not sent as such; ${fields.length ? `fields ${fields.join('; ')} carry` : 'no field carries'} its parts` +
            `${by.length > fields.length ? `, and linked computations mention them` : ''} — the formula is the analyst's reading of those values`,
          supportedBy: by,
          severity: 'info',
        });
      } else {
        findings.push({
          message: m.label,
          kind: 'formula-unsupported',
          subject: show(f),
          detail: `${show(f)} in idealised ${m.label}: nothing in ${m.concrete.join(', ')} carries or computes ${names.join(', ') || 'its parts'}`,
          severity: 'warning',
        });
      }
    }
  }
  return findings;
}

/**
 * The audit as text for `bantam derive`: the findings when any message links to concrete steps
 * (or the spec has a flow section), otherwise one line saying that nothing ties the idealisation
 * to a concrete protocol.
 */
export function auditSection(spec: Spec): string {
  if (!spec.flow && !spec.messages.some((m) => m.concrete.length)) {
    return 'idealisation audit: not run (no message has a [concrete: …] link and the spec has no flow section)';
  }
  const fs = auditIdealisation(spec);
  if (!fs.length) return 'idealisation audit: no findings';
  const warn = fs.filter((f) => f.severity === 'warning').length;
  return [
    `idealisation audit (idealisation is outside the logic): ${warn} warning(s), ${fs.length - warn} note(s)`,
    ...fs.map((f) => `  [${f.severity}] ${f.message} ${f.kind}: ${f.detail}`),
  ].join('\n');
}
