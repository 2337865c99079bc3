/**
 * The BAN-logic engine's public API (contract in docs: "Engine API").
 *
 *   analyse(spec)            saturate, then per goal: derived with a proof tree, or why not
 *   checkProof(spec)         check a hand proof statement by statement
 *   auditIdealisation(spec)  tie idealised messages to the concrete flow
 *   toMarkdown / toLatex / toJson / toText   exports of analyses and proof checks
 *
 * A result here is a belief-logic derivation about idealised messages: it is not a
 * computational proof, and idealisation itself is outside the logic (docs/ban.md).
 */
import type { Spec } from '../spec/ast.js';
import { checkProof, principalsOf, type ProofCheck } from './check.js';
import { auditIdealisation, type AuditFinding } from './audit.js';
import { show } from './pretty.js';
import {
  proofOfGoal,
  proofToBussproofs,
  proofToJson,
  ruleLabel,
  statements,
  statementText,
  texEscape,
  type ProofNode,
} from './proof.js';
import { activeRules } from './rules.js';
import { saturateSpec, type State } from './saturate.js';
import type { Term } from './terms.js';
import { bareTermStatements, keyOf, subterms } from './util.js';
import { whyNot, type WhyContext, type WhyNot } from './why.js';
import { sortsOfSpec } from './sorts.js';
import { engineWarnings, publicKeyOwners } from './lint.js';

export type { ProofNode } from './proof.js';
export type { WhyNot } from './why.js';
export type { ProofCheck, StepVerdict } from './check.js';
export type { AuditFinding } from './audit.js';
export { checkProof, auditIdealisation };
export { RULES, NON_RULES, RULE_BY_ID, activeRules, rulesForName } from './rules.js';
export { saturateSpec } from './saturate.js';

export const ASSURANCE = 'BAN belief-logic result (not a computational proof)';

export interface GoalResult {
  label: string;
  formula: Term;
  derived: boolean;
  proof?: ProofNode;
  whyNot?: WhyNot;
  /** E.g. that a belief about a bare term was accepted as written. */
  notes?: string[];
}

export interface Analysis {
  spec: string;
  goals: GoalResult[];
  factCount: number;
  rounds: number;
  ruleSet: string[];
  keyAgreement: boolean;
  /** Notes about the spec as a whole (bare-term assumptions, schematic assumptions...). */
  notes: string[];
}

export interface AnalyseOptions {
  keyAgreement?: boolean;
  /** Compute why-not explanations for underivable goals (default true; costs re-saturations). */
  whyNot?: boolean;
  /** Analyse only these goal labels. */
  goals?: readonly string[];
  /** Why-not candidates verified on full copies of the state (benchmark comparison only). */
  copyingWhyNot?: boolean;
}

/** The public-key term whose key is k (the spec's `->K Q`), for printing. */
function atomOfKey(spec: Spec, k: string): Term | undefined {
  for (const a of spec.assumptions) for (const s of subterms(a.formula)) if (s.kind === 'pubKey' && keyOf(s.key) === k) return s.key;
  return undefined;
}

function bareNotes(t: Term): string[] {
  return bareTermStatements(t).map(
    (s) => `${show(s)} is about a bare term, which has no truth value in BAN; accepted as written (a corrected analysis states what the term stands for)`,
  );
}

export function analyseState(spec: Spec, opts: AnalyseOptions = {}): { analysis: Analysis; state: State } {
  const keyAgreement = opts.keyAgreement ?? spec.options.keyAgreement;
  const state = saturateSpec(spec, { keyAgreement });
  const principals = principalsOf(spec);
  const sorts = sortsOfSpec(spec);
  const owners = publicKeyOwners(spec);
  const pubKeyOf = new Map<string, Term>();
  for (const [k, os] of owners) if (os.length === 1 && !pubKeyOf.has(keyOf(os[0]!))) pubKeyOf.set(keyOf(os[0]!), atomOfKey(spec, k) ?? os[0]!);
  // With the extension off, whether switching it on derives the goal (only for specs that use it).
  let kaState: State | undefined;
  const usesKa = !keyAgreement && engineWarnings(spec, { keyAgreement: false }).some((d) => d.code === 'type.ka-without-option');
  const whyCtx = (goal: Term): WhyContext => ({
    sorts,
    pubKeyOf: (q) => pubKeyOf.get(keyOf(q)),
    ...(usesKa ? { keyAgreementDerives: () => !!proofOfGoal((kaState ??= saturateSpec(spec, { keyAgreement: true })), goal) } : {}),
  });
  const selected = opts.goals ? spec.goals.filter((g) => opts.goals!.includes(g.label)) : spec.goals;
  const goals: GoalResult[] = selected.map((g) => {
    const proof = proofOfGoal(state, g.formula);
    const notes = bareNotes(g.formula);
    const r: GoalResult = { label: g.label, formula: g.formula, derived: !!proof };
    if (proof) r.proof = proof;
    else if (opts.whyNot !== false) r.whyNot = whyNot(state, g.formula, g.label, principals, opts.copyingWhyNot ? { copying: true } : {}, whyCtx(g.formula));
    if (notes.length) r.notes = notes;
    return r;
  });
  const notes: string[] = [];
  for (const a of spec.assumptions) for (const n of bareNotes(a.formula)) notes.push(`${a.label}: ${n}`);
  return {
    analysis: {
      spec: spec.name,
      goals,
      factCount: state.facts.size,
      rounds: state.rounds,
      ruleSet: activeRules(keyAgreement).map((r) => r.id),
      keyAgreement,
      notes,
    },
    state,
  };
}

export function analyse(spec: Spec, opts: AnalyseOptions = {}): Analysis {
  return analyseState(spec, opts).analysis;
}

// ---------------------------------------------------------------------------------------------
// Exports

function header(a: { spec: string; keyAgreement: boolean; ruleSet: string[] }): string[] {
  return [
    `${ASSURANCE}: ${a.spec}`,
    `rule set: ${a.keyAgreement ? 'BAN + key-agreement extension (van Oorschot 1993 / SVO 1994)' : 'BAN (Burrows–Abadi–Needham 1989), no key-agreement extension'} — ${a.ruleSet.join(', ')}`,
  ];
}

export function verdictLine(g: GoalResult): string {
  return `${g.label}: ${g.derived ? 'derived    ' : 'NOT derived'}  ${show(g.formula)}`;
}

/** Plain text in the paper's style: verdicts, then each proof as numbered statements. */
export function toText(a: Analysis): string {
  const out = [...header(a), `facts: ${a.factCount}, rounds: ${a.rounds}`, ''];
  for (const g of a.goals) out.push(verdictLine(g));
  let next = 1;
  const refs = new Map<string, string>();
  for (const g of a.goals) {
    out.push('');
    out.push(`${g.label}: ${show(g.formula)}`);
    for (const n of g.notes ?? []) out.push(`  note: ${n}`);
    if (g.proof) {
      const { list, roots } = statements([g.proof], next, refs);
      next += list.length;
      for (const s of list) out.push(`  ${statementText(s)}`);
      out.push(`  ${g.label} holds: ${roots[0]}`);
    } else if (g.whyNot) {
      out.push('  not derivable from the assumptions and messages.');
      for (const b of g.whyNot.blockers) out.push(`  blocked: ${b}`);
      if (g.whyNot.suggestions.length) {
        out.push('  suggestions (extra assumptions that would make it derivable, most plausible first; verified by re-saturation, not justified by the protocol):');
        for (const s of g.whyNot.suggestions) out.push(`    + ${s.map((t) => show(t)).join('  and  ')}`);
      } else out.push('  no suggestion of up to three extra assumptions from the search frontier suffices');
      if (g.whyNot.missing.length) out.push('  missing premises (backward search):');
      for (const m of g.whyNot.missing) out.push(`    - ${show(m.formula)}   at ${m.at}`);
    }
  }
  if (a.notes.length) {
    out.push('', 'notes:');
    for (const n of a.notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}

export function toMarkdown(a: Analysis): string {
  const out = [`# ${a.spec}: BAN analysis`, '', ...header(a).map((l) => `> ${l}`), '', '| goal | verdict | formula |', '|---|---|---|'];
  for (const g of a.goals) out.push(`| ${g.label} | ${g.derived ? 'derived' : '**not derived**'} | \`${show(g.formula).replace(/\|/g, '\\|')}\` |`);
  let next = 1;
  const refs = new Map<string, string>();
  for (const g of a.goals) {
    out.push('', `## ${g.label}: \`${show(g.formula)}\``, '');
    for (const n of g.notes ?? []) out.push(`*Note:* ${n}`, '');
    if (g.proof) {
      const { list, roots } = statements([g.proof], next, refs);
      next += list.length;
      for (const s of list) out.push(`${s.n}. \`${show(s.formula)}\` — by ${ruleLabel(s.rule)} from ${s.from.join(', ')}`);
      out.push('', `${g.label} holds: ${roots[0]}.`);
    } else if (g.whyNot) {
      out.push('Not derivable.', '');
      if (g.whyNot.blockers.length) {
        out.push('Blocked:', '');
        for (const b of g.whyNot.blockers) out.push(`- ${b}`);
        out.push('');
      }
      if (g.whyNot.suggestions.length) {
        out.push('Suggestions (extra assumptions that would suffice, most plausible first; each verified by re-saturation; they are not justified by the protocol):', '');
        for (const s of g.whyNot.suggestions) out.push(`- ${s.map((t) => `\`${show(t)}\``).join(' and ')}`);
      } else out.push('No set of up to three extra assumptions from the search frontier suffices.');
      if (g.whyNot.missing.length) out.push('', 'Missing premises (backward search from the goal):', '');
      for (const m of g.whyNot.missing) out.push(`- \`${show(m.formula)}\` at ${m.at}`);
    }
  }
  if (a.notes.length) out.push('', '## Notes', '', ...a.notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}

export function toLatex(a: Analysis): string {
  const out = [
    `% ${ASSURANCE}: ${a.spec}`,
    `% rule set: ${a.ruleSet.join(', ')}${a.keyAgreement ? ' (with key agreement)' : ''}`,
    '% requires \\usepackage{bussproofs} and amssymb',
  ];
  for (const g of a.goals) {
    out.push('', `\\paragraph{${texEscape(g.label)}} $${show(g.formula, 'latex')}$ --- ${g.derived ? 'derived' : 'not derived'}.`);
    if (g.proof) out.push(proofToBussproofs(g.proof));
    else if (g.whyNot) {
      if (g.whyNot.blockers.length) {
        out.push('Blocked:', '\\begin{itemize}');
        for (const b of g.whyNot.blockers) out.push(`\\item \\texttt{${texEscape(b).replace(/~/g, '\\textasciitilde{}').replace(/≠/g, '$\\neq$').replace(/…/g, '\\ldots{}').replace(/⇐/g, '$\\Leftarrow$')}}`);
        out.push('\\end{itemize}');
      }
      if (g.whyNot.missing.length) out.push('Missing premises:', '\\begin{itemize}');
      for (const m of g.whyNot.missing) out.push(`\\item $${show(m.formula, 'latex')}$ at ${texEscape(m.at).replace(/⇐/g, '$\\Leftarrow$')}`);
      if (g.whyNot.missing.length) out.push('\\end{itemize}');
    }
  }
  return out.join('\n') + '\n';
}

export function analysisToJsonValue(a: Analysis): unknown {
  return {
    assurance: ASSURANCE,
    spec: a.spec,
    keyAgreement: a.keyAgreement,
    ruleSet: a.ruleSet,
    factCount: a.factCount,
    rounds: a.rounds,
    allDerived: a.goals.every((g) => g.derived),
    goals: a.goals.map((g) => ({
      label: g.label,
      formula: show(g.formula),
      derived: g.derived,
      ...(g.notes ? { notes: g.notes } : {}),
      ...(g.proof ? { proof: proofToJson(g.proof), statements: statements([g.proof]).list.map((s) => statementText(s)) } : {}),
      ...(g.whyNot
        ? {
            whyNot: {
              blockers: g.whyNot.blockers,
              missing: g.whyNot.missing.map((m) => ({ formula: show(m.formula), at: m.at })),
              suggestions: g.whyNot.suggestions.map((s) => s.map((t) => show(t))),
              note: g.whyNot.note,
            },
          }
        : {}),
    })),
    notes: a.notes,
  };
}

export function toJson(a: Analysis): string {
  return JSON.stringify(analysisToJsonValue(a), null, 2);
}

// ---- proof checks ----

export function checkToText(c: ProofCheck): string {
  const out = [`${ASSURANCE}: proof check of ${c.spec}`, `rule set: ${c.ruleSet.join(', ')}`, ''];
  for (const s of c.steps) {
    out.push(`${s.label}: ${s.valid ? 'valid  ' : 'INVALID'}  by ${s.written}${s.valid && s.rule !== s.written ? ` = ${ruleLabel(s.rule)}` : ''}`);
    if (s.note) out.push(`    note: ${s.note}`);
    if (s.reason) out.push(`    reason: ${s.reason}`);
  }
  const bad = c.steps.filter((s) => !s.valid).length;
  out.push('', `${c.steps.length - bad} of ${c.steps.length} statements valid`);
  return out.join('\n');
}

export function checkToMarkdown(c: ProofCheck): string {
  const out = [`# Proof check: ${c.spec}`, '', `> ${ASSURANCE}`, '', '| statement | verdict | rule as written | engine rule | reason / note |', '|---|---|---|---|---|'];
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  for (const s of c.steps) {
    out.push(`| ${s.label} | ${s.valid ? 'valid' : '**invalid**'} | ${cell(s.written)} | ${s.valid ? s.rule : '—'} | ${cell(s.reason ?? s.note ?? '')} |`);
  }
  return out.join('\n') + '\n';
}

export function checkToJson(c: ProofCheck): string {
  return JSON.stringify({ assurance: ASSURANCE, ...c }, null, 2);
}

export function auditToText(fs: readonly AuditFinding[]): string {
  if (!fs.length) return 'idealisation audit: no findings';
  return ['idealisation audit (idealisation is outside the logic):', ...fs.map((f) => `  [${f.severity}] ${f.message} ${f.kind}: ${f.detail}`)].join('\n');
}


/**
 * Wait until everything written to stdout has left the process. The CLI entry exits with
 * process.exit right after a command returns, which cuts off large outputs written to a pipe
 * (observed at 64 KiB under tsx); the BAN commands call this before returning.
 */
export async function flushStdout(): Promise<void> {
  const s = process.stdout;
  // A closed pipe (EPIPE: `| head`) never drains: stop waiting when the stream errors or closes.
  if (s.writableLength > 0 && !s.destroyed) {
    await new Promise<void>((resolve) => {
      s.once('drain', resolve);
      s.once('error', () => resolve());
      s.once('close', resolve);
    });
  }
}
