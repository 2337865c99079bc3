/**
 * The errata table of Chen et al. 2020, §4.1, generated from engine output (never typed by
 * hand): for each printed statement S1–S48 the proof checker's verdict in the chain and on its
 * own, with the engine's reason; for each goal G1–G24 whether the printed analysis derives it
 * (and what is missing), and whether the corrected analysis does; the assumptions of the
 * corrected analysis compared with the printed ones; the printed typos (from `# typo:` notes).
 *
 * `bantam proofs --write` writes it to docs/errata-table.md; docs/errata.md explains it.
 */
import type { Analysis, GoalResult, ProofCheck, ProofNode } from '../ban/index.js';
import { ASSURANCE } from '../ban/index.js';
import { showTerm } from '../ban/print.js';
import { children, termKey, type Term } from '../ban/terms.js';
import type { Spec } from '../spec/ast.js';
import type { LocalVerdict } from './local-check.js';

/** A Markdown table cell: one line, pipes escaped. */
export function cell(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** A formula as inline code inside a table cell. */
export function code(t: Term): string {
  return `\`${cell(showTerm(t))}\``;
}

/** Engine rule ids used in a proof tree, in first-use order (leaves excluded). */
export function rulesUsed(p: ProofNode): string[] {
  const out: string[] = [];
  const walk = (n: ProofNode): void => {
    n.premises.forEach(walk);
    if (n.premises.length && !out.includes(n.rule)) out.push(n.rule);
  };
  walk(p);
  return out;
}

/** Labels of the messages and assumptions a proof tree rests on. */
export function leavesOf(p: ProofNode): string[] {
  const out = new Set<string>();
  const walk = (n: ProofNode): void => {
    if (!n.premises.length && n.source) out.add(n.source.split(' ')[0]!);
    n.premises.forEach(walk);
  };
  walk(p);
  return [...out].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * A short category for an invalid step, read off the engine's verdict (rule as written and the
 * engine's reason text). Used for the table's "what is wrong" column and by the tests; the
 * engine's full reason is printed beside it.
 */
export type StepCategory =
  | 'valid'
  | 'depends-on-invalid'
  | 'not-in-message'
  | 'freshness-does-not-lift'
  | 'message-meaning-without-key'
  | 'nonce-verification-not-cleartext'
  | 'no-such-belief-rule'
  | 'jurisdiction-premise-missing'
  | 'other';

/** Whether t contains a ciphertext or a combined message (nonce verification needs cleartext). */
function hasCrypto(t: Term): boolean {
  if (t.kind === 'enc' || t.kind === 'comb') return true;
  return children(t).some(hasCrypto);
}

export function categorise(written: string, v: { valid: boolean; reason?: string }, formula?: Term): StepCategory {
  if (v.valid) return 'valid';
  const r = v.reason ?? '';
  const w = written.toLowerCase();
  if (/^depends on invalid/.test(r)) return 'depends-on-invalid';
  if (w.startsWith('seeing') && /cannot produce|does not follow/.test(r)) return 'not-in-message';
  if (w.startsWith('freshness') && /FRESH/.test(r)) return 'freshness-does-not-lift';
  if (w.startsWith('message meaning') && /missing premise for MM-|message meaning takes no freshness premise/.test(r)) return 'message-meaning-without-key';
  if (w.startsWith('nonce verification') && /NV/.test(r) && formula?.kind === 'believes' && formula.what.kind === 'believes' && hasCrypto(formula.what.what)) {
    return 'nonce-verification-not-cleartext';
  }
  if (w.startsWith('belief') && /BEL/.test(r)) return 'no-such-belief-rule';
  if (w.startsWith('jurisdiction') && /missing premise for JUR/.test(r)) return 'jurisdiction-premise-missing';
  return 'other';
}

const CATEGORY_TEXT: Record<StepCategory, string> = {
  valid: 'valid',
  'depends-on-invalid': 'rests on an invalid statement',
  'not-in-message': 'the statement is not what the cited message contains (a typo changes the term)',
  'freshness-does-not-lift': 'freshness of a value inside <…>_Y does not make the message fresh (FRESH lifts through tuple components only)',
  'message-meaning-without-key': 'message meaning takes no freshness premise: it needs a key or secret belief; a freshness assumption is cited instead and none exists (<…>_PK with a public PK authenticates nothing)',
  'nonce-verification-not-cleartext': 'nonce verification applies to cleartext only; the said term contains <…>_Y',
  'no-such-belief-rule': 'no belief rule concludes this: the conclusion is not a component of the cited belief (the "belief rule" step of §4.1 does not exist)',
  'jurisdiction-premise-missing': 'the cited jurisdiction assumption is about a different term than the statement',
  other: 'see reason',
};

export function categoryText(c: StepCategory): string {
  return CATEGORY_TEXT[c];
}

export interface ErrataInput {
  printed: Spec;
  printedAnalysis: Analysis;
  printedCheck: ProofCheck;
  printedLocal: readonly LocalVerdict[];
  corrected: Spec;
  correctedAnalysis: Analysis;
}

function goalRow(g: GoalResult, printedSpec: Spec, corrected: Spec, ca: Analysis): string {
  const typo = printedSpec.goals.find((x) => x.label === g.label)?.notes.typo;
  const missing = g.whyNot?.missing.slice(0, 2).map((m) => code(m.formula)).join('; ') ?? '';
  const cg = ca.goals.find((x) => x.label === g.label);
  const sf = ca.goals.find((x) => x.label === `${g.label}s`);
  const corr = cg
    ? `${code(cg.formula)} — **${cg.derived ? 'derived' : 'NOT derived'}**${cg.proof ? ` (${rulesUsed(cg.proof).join(', ')}; from ${leavesOf(cg.proof).join(', ')})` : ''}`
    : '—';
  const stmt = sf ? `${sf.label}: ${code(sf.formula)} — ${sf.derived ? 'derived' : 'NOT derived'}` : '';
  void corrected;
  return `| ${g.label} | ${code(g.formula)}${typo ? ` *(typo: ${cell(typo)})*` : ''} | ${g.derived ? 'derived' : '**not derived**'} | ${missing} | ${corr} | ${stmt} |`;
}

export function errataTable(x: ErrataInput): string {
  const { printed, printedAnalysis: pa, printedCheck: pc, printedLocal: pl, corrected, correctedAnalysis: ca } = x;
  const out: string[] = [];
  const nPrintedDerived = pa.goals.filter((g) => g.derived).length;
  const nCorrDerived = ca.goals.filter((g) => /^G\d+$/.test(g.label) && g.derived).length;
  const nCorrGoals = ca.goals.filter((g) => /^G\d+$/.test(g.label)).length;
  const validChain = pc.steps.filter((s) => s.valid).length;
  const validLocal = pl.filter((s) => s.valid).length;
  out.push(
    '# Errata table for §4.1 of Chen et al. 2020 (generated)',
    '',
    '<!-- Generated by `bantam proofs --write` from spec/emr-printed.ban and spec/emr-corrected.ban; do not edit. `bantam proofs --check` fails if it is stale. -->',
    '',
    `> ${ASSURANCE}. Verdicts are computed by bantam's engine (rule set: ${pa.ruleSet.join(', ')}; the corrected analysis adds ${ca.ruleSet.filter((r) => !pa.ruleSet.includes(r)).join(', ')}). Explanations: docs/errata.md.`,
    '',
    '## Summary',
    '',
    `- Goals derived from the paper's idealisation and assumptions (spec/emr-printed.ban): **${nPrintedDerived} of ${pa.goals.length}**.`,
    `- Goals derived from the corrected idealisation (spec/emr-corrected.ban): **${nCorrDerived} of ${nCorrGoals}** (plus ${ca.goals.length - nCorrGoals} statement-form and freshness goals, ${ca.goals.filter((g) => !/^G\d+$/.test(g.label) && g.derived).length} derived).`,
    `- Statements of the hand proof valid in the chain: **${validChain} of ${pc.steps.length}**; valid on their own when their cited premises are granted: **${validLocal} of ${pl.length}**.`,
    '',
    '## Statements S1–S48 (§4.1, "Statement 1" … "Statement 48")',
    '',
    '"In the chain" is `checkProof` on the printed proof: a statement citing an invalid one is invalid. "On its own" re-checks the statement with its cited statements granted as assumptions, so each statement\'s own fault shows.',
    '',
    '| # | statement as printed | by (as printed) | in the chain | on its own | what is wrong on its own | engine reason (on its own) |',
    '|---|---|---|---|---|---|---|',
  );
  pc.steps.forEach((s, i) => {
    const step = printed.proof[i]!;
    const local = pl[i]!;
    const cat = categorise(step.rule, local, step.formula);
    const typo = step.notes.typo ? ` *(typo: ${cell(step.notes.typo)})*` : '';
    const chain = s.valid ? 'valid' : s.dependsOnInvalid ? `invalid (rests on ${s.dependsOnInvalid.join(', ')})` : '**invalid**';
    out.push(
      `| ${s.label} | ${code(step.formula)}${typo} | ${cell(step.rule)} from ${step.premises.join(', ')} | ${chain} | ${local.valid ? 'valid' : '**invalid**'} | ${local.valid ? cell(local.note ?? '') : cell(categoryText(cat))} | ${cell(local.reason ?? '')} |`,
    );
  });
  out.push(
    '',
    '## Goals G1–G24',
    '',
    '"Missing" lists the first premises the engine\'s backward search finds missing. The corrected goal has the same label in spec/emr-corrected.ban; SEK_XY is written as the agreed key F0(KA(PK_X, T_X), KA(PK_Y, T_Y)). A statement form is given for each goal about a bare identity.',
    '',
    '| goal | as printed | printed analysis | missing (first two) | corrected goal — verdict (rules; rests on) | statement form (corrected) |',
    '|---|---|---|---|---|---|',
  );
  for (const g of pa.goals) out.push(goalRow(g, printed, corrected, ca));

  out.push('', '## Assumptions: printed (A1–A24) and corrected', '', '| label | printed | corrected | status | why (from the corrected spec) |', '|---|---|---|---|---|');
  const corrBy = new Map(corrected.assumptions.map((a) => [a.label, a]));
  const printedBy = new Map(printed.assumptions.map((a) => [a.label, a]));
  for (const a of printed.assumptions) {
    const c = corrBy.get(a.label);
    const status = !c ? 'dropped' : termKey(c.formula) === termKey(a.formula) ? 'kept' : 'corrected';
    out.push(`| ${a.label} | ${code(a.formula)} | ${c ? code(c.formula) : '—'} | ${status} | ${cell(c?.notes.why ?? '')} |`);
  }
  for (const c of corrected.assumptions) {
    if (printedBy.has(c.label)) continue;
    out.push(`| ${c.label} | — | ${code(c.formula)} | **added** | ${cell(c.notes.why ?? '')} |`);
  }

  out.push('', '## Typos kept in spec/emr-printed.ban', '', '| item | typo |', '|---|---|');
  const items: { label: string; typo?: string }[] = [
    ...printed.messages.map((m) => ({ label: m.label, typo: m.notes.typo })),
    ...printed.assumptions.map((a) => ({ label: a.label, typo: a.notes.typo })),
    ...printed.goals.map((g) => ({ label: g.label, typo: g.notes.typo })),
    ...printed.proof.map((p) => ({ label: p.label, typo: p.notes.typo })),
  ];
  for (const it of items) if (it.typo) out.push(`| ${it.label} | ${cell(it.typo)} |`);
  return out.join('\n') + '\n';
}
