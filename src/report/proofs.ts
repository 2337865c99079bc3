/**
 * The committed proof transcripts, generated: for the paper's analysis as printed
 * (spec/emr-printed.ban: goal analysis, check of the hand proof S1–S48, idealisation audit), for
 * the corrected analysis (spec/emr-corrected.ban), for every classic protocol
 * (spec/classic/*.ban, with its stated expectations compared to the computed verdicts), an index,
 * and the errata table docs/errata-table.md. Markdown and LaTeX come from the engine's
 * exporters; this module only assembles files.
 *
 * Output is a pure function of the spec files and the engine: no timestamps, no absolute paths,
 * fixed order — so `bantam proofs --check` can compare it byte for byte with what is committed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyse,
  ASSURANCE,
  auditIdealisation,
  checkProof,
  checkToMarkdown,
  toLatex,
  toMarkdown,
  type Analysis,
  type AuditFinding,
  type ProofCheck,
} from '../ban/index.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/ast.js';
import { cell, errataTable } from './errata.js';
import { compareExpectations, goalExpectations, type ExpectationCheck } from './expect.js';
import { checkStepsGranting } from './local-check.js';

export interface Artifact {
  /** Path relative to the repository root, with '/' separators. */
  path: string;
  content: string;
}

export interface SpecSummary {
  /** Spec file, relative to the repository root. */
  file: string;
  name: string;
  goals: number;
  derived: number;
  /** Goals stating `# expect: ...` compared with the computed verdicts. */
  expectations: ExpectationCheck[];
  /** For the printed EMR spec: statements of the hand proof valid in the chain. */
  proofCheck?: { valid: number; total: number };
  /** A verdict the repository promises (corrected spec: all goals derived; classic: expectations hold). */
  ok: boolean;
  problem?: string;
}

export interface Generated {
  artifacts: Artifact[];
  summaries: SpecSummary[];
}

export const PRINTED = 'spec/emr-printed.ban';
export const CORRECTED = 'spec/emr-corrected.ban';
export const CLASSIC_DIR = 'spec/classic';

function auditMarkdown(fs: readonly AuditFinding[]): string {
  const out = ['## Idealisation audit', '', '> Idealisation is outside the logic: these findings compare the idealised messages with the concrete steps they name (`[concrete: ...]`).', ''];
  if (!fs.length) out.push('No findings.');
  else {
    out.push('| severity | item | kind | detail |', '|---|---|---|---|');
    for (const f of fs) out.push(`| ${f.severity} | ${cell(f.message)} | ${f.kind} | ${cell(f.detail)} |`);
  }
  return out.join('\n') + '\n';
}

function expectationMarkdown(checks: readonly ExpectationCheck[]): string {
  const out = [
    '## Expected outcomes (from the BAN paper) vs. computed',
    '',
    '| goal | expected | computed | agrees |',
    '|---|---|---|---|',
    ...checks.map((c) => `| ${c.label} | ${c.expected} | ${c.derived ? 'derived' : 'not derived'} | ${c.ok ? 'yes' : '**NO**'} |`),
  ];
  return out.join('\n') + '\n';
}

function derivedMap(a: Analysis): Map<string, boolean> {
  return new Map(a.goals.map((g) => [g.label, g.derived]));
}

/** Classic spec files, sorted, relative to the root. */
export function classicFiles(root: string): string[] {
  return readdirSync(join(root, CLASSIC_DIR))
    .filter((f) => f.endsWith('.ban'))
    .sort()
    .map((f) => `${CLASSIC_DIR}/${f}`);
}

function load(root: string, rel: string): Spec {
  return loadSpec(join(root, rel));
}

export function generateProofs(root: string): Generated {
  const artifacts: Artifact[] = [];
  const summaries: SpecSummary[] = [];

  // ---- the paper's analysis as printed ----
  const printed = load(root, PRINTED);
  const pa = analyse(printed);
  const pc: ProofCheck = checkProof(printed);
  const pl = checkStepsGranting(printed);
  artifacts.push({
    path: 'proofs/emr-printed.md',
    content: [
      toMarkdown(pa),
      checkToMarkdown(pc),
      [
        '## Each statement on its own (cited statements granted)',
        '',
        '| statement | verdict | reason / note |',
        '|---|---|---|',
        ...pl.map((v) => `| ${v.label} | ${v.valid ? 'valid' : '**invalid**'} | ${cell(v.reason ?? v.note ?? '')} |`),
      ].join('\n') + '\n',
      auditMarkdown(auditIdealisation(printed)),
    ].join('\n'),
  });
  artifacts.push({ path: 'proofs/emr-printed.tex', content: toLatex(pa) });
  summaries.push({
    file: PRINTED,
    name: printed.name,
    goals: pa.goals.length,
    derived: pa.goals.filter((g) => g.derived).length,
    expectations: [],
    proofCheck: { valid: pc.steps.filter((s) => s.valid).length, total: pc.steps.length },
    ok: true, // the printed analysis is expected to fail; its verdicts are the errata
  });

  // ---- the corrected analysis ----
  const corrected = load(root, CORRECTED);
  const ca = analyse(corrected);
  const cc = checkProof(corrected);
  artifacts.push({
    path: 'proofs/emr-corrected.md',
    content: [toMarkdown(ca), checkToMarkdown(cc), auditMarkdown(auditIdealisation(corrected))].join('\n'),
  });
  artifacts.push({ path: 'proofs/emr-corrected.tex', content: toLatex(ca) });
  const missing = ca.goals.filter((g) => !g.derived).map((g) => g.label);
  const badSteps = cc.steps.filter((s) => !s.valid).map((s) => s.label);
  const problems = [
    ...(missing.length ? [`not derived: ${missing.join(', ')}`] : []),
    ...(badSteps.length ? [`invalid proof statements: ${badSteps.join(', ')}`] : []),
  ];
  summaries.push({
    file: CORRECTED,
    name: corrected.name,
    goals: ca.goals.length,
    derived: ca.goals.length - missing.length,
    expectations: [],
    proofCheck: { valid: cc.steps.length - badSteps.length, total: cc.steps.length },
    ok: problems.length === 0,
    ...(problems.length ? { problem: problems.join('; ') } : {}),
  });

  artifacts.push({
    path: 'docs/errata-table.md',
    content: errataTable({ printed, printedAnalysis: pa, printedCheck: pc, printedLocal: pl, corrected, correctedAnalysis: ca }),
  });

  // ---- the classic library ----
  for (const rel of classicFiles(root)) {
    const spec = load(root, rel);
    const a = analyse(spec);
    const checks = compareExpectations(goalExpectations(spec), derivedMap(a));
    const base = rel.slice(CLASSIC_DIR.length + 1, -'.ban'.length);
    artifacts.push({ path: `proofs/classic/${base}.md`, content: [toMarkdown(a), expectationMarkdown(checks)].join('\n') });
    artifacts.push({ path: `proofs/classic/${base}.tex`, content: toLatex(a) });
    const wrong = checks.filter((c) => !c.ok).map((c) => c.label);
    const unstated = a.goals.filter((g) => !checks.some((c) => c.label === g.label)).map((g) => g.label);
    const problems = [
      ...(wrong.length ? [`expectation not met: ${wrong.join(', ')}`] : []),
      ...(unstated.length ? [`goals without '# expect:': ${unstated.join(', ')}`] : []),
    ];
    summaries.push({
      file: rel,
      name: spec.name,
      goals: a.goals.length,
      derived: a.goals.filter((g) => g.derived).length,
      expectations: checks,
      ok: problems.length === 0,
      ...(problems.length ? { problem: problems.join('; ') } : {}),
    });
  }

  artifacts.push({ path: 'proofs/README.md', content: indexMarkdown(summaries) });
  return { artifacts, summaries };
}

function indexMarkdown(summaries: readonly SpecSummary[]): string {
  const out = [
    '# Proof transcripts (generated)',
    '',
    '<!-- Generated by `bantam proofs --write`; do not edit. `bantam proofs --check` fails if any file here is stale. -->',
    '',
    `> ${ASSURANCE}.`,
    '',
    '| spec | protocol | goals derived | expectations met | hand proof valid | transcript |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    const base = s.file.replace(/^spec\//, '').replace(/\.ban$/, '');
    const exp = s.expectations.length ? `${s.expectations.filter((c) => c.ok).length} / ${s.expectations.length}` : '—';
    const pc = s.proofCheck ? `${s.proofCheck.valid} / ${s.proofCheck.total}` : '—';
    out.push(`| \`${s.file}\` | ${cell(s.name)} | ${s.derived} / ${s.goals} | ${exp} | ${pc} | [md](${base}.md), [tex](${base}.tex) |`);
  }
  out.push('', 'The printed analysis of §4.1 is expected to fail; what fails and why is in [docs/errata.md](../docs/errata.md) and [docs/errata-table.md](../docs/errata-table.md).');
  return out.join('\n') + '\n';
}
