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

export type AuditKind =
  | 'no-concrete-link'
  | 'no-flow'
  | 'unknown-step'
  | 'unsupported-atom'
  | 'formula-supported'
  | 'formula-unsupported'
  | 'principal-unnamed';

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

/**
 * Keys used through the paper's operator names: `E_K(…)`, `D_K(…)`, `S_SK(…)`, `V_PK(…)` use the
 * key K (docs/flow.md), so `V_PK_HPA(Sig)` supports PK_HPA.
 */
function keysUsed(text: string): string[] {
  return [...norm(text).matchAll(/(?<![A-Za-z0-9_'])[EDSV]_([A-Za-z0-9_']+)\s*\(/g)].map((m) => m[1]!);
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
  /** Names the field or action supports: its identifiers, and the keys of E_/D_/S_/V_ calls. */
  names: Set<string>;
  /** Names it mentions as data (not as the key of an E_/D_/S_/V_ call): what names a principal. */
  mentions: Set<string>;
}

function supportsOf(step: FlowStep): Support[] {
  const out: Support[] = step.fields.map((f) => ({ where: `${step.id} field ${f.name} (${f.type})`, names: new Set([norm(f.name)]), mentions: new Set([norm(f.name)]) }));
  for (const a of [...step.before, ...step.after]) {
    const ids = identifiers(a.text);
    out.push({ where: `${step.id} ${a.kind} by ${a.party}${a.eq !== undefined ? ` eq (${a.eq})` : ''}: ${a.text}`, names: new Set([...ids, ...keysUsed(a.text)]), mentions: new Set(ids) });
  }
  return out;
}

/**
 * The names that denote principal Q in the concrete protocol: Q itself, and the atoms the spec
 * ties to Q — keys of `->K Q` and `PK_delta(Q, K)`, and the other arguments of a user predicate
 * about Q (`IdOf(Q, ID_Q)`), in assumptions and goals.
 */
function denotations(spec: Spec, principals: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (q: Term, from: Term): void => {
    if (q.kind !== 'atom') return;
    const set = out.get(q.name) ?? new Set([q.name]);
    for (const a of atomsOf(from)) if (!principals.has(a)) set.add(a);
    out.set(q.name, set);
  };
  const walk = (t: Term): void => {
    if (t.kind === 'pubKey') add(t.owner, t.key);
    if (t.kind === 'kaKey') add(t.owner, t.key);
    if (t.kind === 'pred') for (const q of t.args) if (q.kind === 'atom' && principals.has(q.name)) add(q, { kind: 'tuple', items: t.args.filter((x) => x !== q) });
    for (const c of children(t)) walk(c);
  };
  for (const a of spec.assumptions) walk(a.formula);
  for (const g of spec.goals) walk(g.formula);
  return out;
}

/** Formulas inside a message body, each with the builder of the innermost ciphertext around it. */
function formulasWithBuilder(t: Term, builder: string | undefined, out: { f: Term; builder?: string }[] = []): { f: Term; builder?: string }[] {
  if (isFormula(t)) {
    out.push(builder === undefined ? { f: t } : { f: t, builder });
    return out;
  }
  const b = (t.kind === 'enc' || t.kind === 'comb') && t.from?.kind === 'atom' ? t.from.name : builder;
  for (const c of children(t)) formulasWithBuilder(c, b, out);
  return out;
}

export function auditIdealisation(spec: Spec): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const principals = new Set(spec.declarations.filter((d) => d.sort === 'principal').map((d) => d.name));
  for (const m of spec.messages) {
    principals.add(m.from);
    principals.add(m.to);
  }
  const denote = denotations(spec, principals);
  const steps = new Map<string, FlowStep>();
  for (const ph of spec.flow?.phases ?? []) for (const s of ph.steps) steps.set(s.id, s);
  // Each step's supports, computed once (an unsupported atom looks through every step).
  const supportCache = new Map<FlowStep, Support[]>();
  const supportsOfStep = (s: FlowStep): Support[] => {
    let got = supportCache.get(s);
    if (!got) supportCache.set(s, (got = supportsOf(s)));
    return got;
  };

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
    const sup = linked.flatMap(supportsOfStep);
    const fieldSup = sup.filter((s) => s.where.includes(' field '));
    const supportFor = (name: string, pool: Support[]): string[] => pool.filter((s) => s.names.has(norm(name))).map((s) => s.where);

    // Atoms: carried as a field, or at least computed/checked in a linked step.
    for (const a of atomsOf(m.body)) {
      if (principals.has(a)) continue;
      const asField = supportFor(a, fieldSup);
      if (asField.length) continue;
      const inAction = supportFor(a, sup);
      if (inAction.length) continue; // used in a computation of the linked steps: supported indirectly
      const elsewhere = [...steps.values()].filter((s) => !m.concrete.includes(s.id) && supportsOfStep(s).some((x) => x.names.has(norm(a)))).map((s) => s.id);
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
    // Principals a formula names: the concrete message must name them too (the builder of the
    // ciphertext around the formula is named by its key). An idealised `A <-Kab-> B` from a
    // message that never names B is the Denning–Sacco public-key flaw (Abadi & Needham 1994).
    for (const { f, builder } of formulasWithBuilder(m.body, m.from)) {
      for (const q of atomsOf(f)) {
        if (!principals.has(q) || q === builder) continue;
        const names = denote.get(q) ?? new Set([q]);
        if (sup.some((x) => [...names].some((n) => x.mentions.has(norm(n))))) continue;
        findings.push({
          message: m.label,
          kind: 'principal-unnamed',
          subject: show(f),
          detail:
            `${show(f)} in idealised ${m.label} names ${q}, but no field or computation of ${m.concrete.join(', ')} names ${q} (as ${[...names].join(', ')}): ` +
            `the concrete message does not say it is about ${q}, so its receiver can pass it on to someone else (the Denning–Sacco public-key flaw, Abadi & Needham 1994)`,
          severity: 'warning',
        });
      }
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
