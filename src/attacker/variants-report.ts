/**
 * `bantam claims SPEC` over the variants (./variants.ts): the spec-as-written report
 * (./report.ts) with, per verdict, what it rests on (./trust.ts) and whether it depends on an
 * addition the paper does not make, then the paper-literal variant's run and each attack it found
 * where the written verdict holds. JSON carries both verdicts per query and the dependency.
 */
import type { TypedProtocol } from '../flow-lang/typed.js';
import { attackLines, reportJson, reportText } from './report.js';
import type { Verdict } from './search.js';
import { queryTrustText, trustOf, trustText, type Trust } from './trust.js';
import { dependencyText, type VariantRun, type VariantsReport } from './variants.js';

const tag = (v: Verdict) => (v.status === 'holds' ? 'holds' : v.status === 'refuted' ? 'REFUTED' : 'not tested');

function runLine(run: VariantRun): string {
  const r = run.report;
  if (r.configurations.total === 0) return `${run.name} (${run.options}): searched nothing (no query needs the search); ${r.verdicts.filter((v) => v.status === 'refuted').length} refuted, ${r.verdicts.filter((v) => v.status === 'holds').length} hold, ${r.verdicts.filter((v) => v.status === 'not-tested').length} not tested`;
  return `${run.name} (${run.options}): searched ${r.configurations.explored}/${r.configurations.total} configurations, ${r.states} states in ${(r.ms / 1000).toFixed(1)} s${r.exhausted ? ' — the bound was covered' : r.states >= r.bound.maxStates ? ` — the state budget (${r.bound.maxStates}) ran out` : ''}; ${r.verdicts.filter((v) => v.status === 'refuted').length} refuted, ${r.verdicts.filter((v) => v.status === 'holds').length} hold, ${r.verdicts.filter((v) => v.status === 'not-tested').length} not tested`;
}

function variantsLine(v: VariantsReport, p: TypedProtocol): string {
  const adds = v.additions.map((a) => `${a.hardened} (${a.meaning}; ${a.declared ? 'declared' : 'a default the spec does not declare'})`).join(', ');
  if (v.literalAsWritten) return `variants: the spec as written is already paper-literal (wire ${p.options.wire}, aead-ad ${p.options.aeadAd}: no addition to remove), so it runs once`;
  if (v.skipped) return `variants: ${v.skippedBy ?? '--as-written'}: only the spec as written was searched; its additions (${adds}) were not removed, so no verdict below says whether it depends on them`;
  return `variants: as written and paper-literal (${v.runs[1]!.options}); additions the paper does not make: ${adds}`;
}

/** The literal-variant verdict's attack, numbered L1, L2… in query order (only where it differs from as written). */
function literalAttacks(v: VariantsReport): Map<number, number> {
  const out = new Map<number, number>();
  let n = 0;
  v.dependencies.forEach((d, i) => {
    if (d.literal?.status === 'refuted' && d.written.status !== 'refuted') out.set(i, ++n);
  });
  return out;
}

export function variantsText(v: VariantsReport, p: TypedProtocol, specFile: string, boundNote?: string): string {
  const written = v.runs[0]!.report;
  const trust = trustOf(p, written.honest, written.attacker);
  const lit = literalAttacks(v);
  const pad = ' '.repeat(9);
  const note = (verdict: Verdict, i: number): string => {
    const d = v.dependencies[i]!;
    const parts: string[] = [];
    if (verdict.status === 'holds') parts.push(`rests on: ${queryTrustText(p, trust, verdict.query)}`);
    if (v.runs.length > 1 && d.literal) {
      const dep = dependencyText(d, v.additions);
      if (dep) parts.push(`depends on: ${dep}`);
      if (d.undecided) parts.push(`paper-literal: ${tag(d.literal)} — cannot compare (${d.undecided})`);
      else if (lit.has(i)) parts.push(`paper-literal: REFUTED (attack L${lit.get(i)})`);
      else if (d.literal.status === d.written.status) parts.push(`paper-literal: ${tag(d.literal)} too`);
      else parts.push(`paper-literal: ${tag(d.literal)}`);
    }
    return parts.length ? `\n${pad}${parts.join('; ')}` : '';
  };
  const after: string[] = [];
  if (v.runs.length > 1) {
    after.push('', 'Variants (same seed, suite and bound):');
    for (const run of v.runs) {
      after.push(`  ${runLine(run)}`);
      // a violation that did not confirm is a bantam bug in any variant, never a verdict
      for (const u of run.report.unconfirmed) after.push(`    BUG (${run.name}): ${u}`);
    }
    const deps = v.dependencies.filter((d) => d.dependsOn.length);
    after.push(
      deps.length
        ? `  ${deps.length} verdict${deps.length === 1 ? '' : 's'} depend${deps.length === 1 ? 's' : ''} on an addition the paper does not make: ${deps.map((d) => `'${d.query.text}' on ${dependencyText(d, v.additions)}`).join('; ')}`
        : '  no verdict depends on an addition: the paper-literal variant gives the same verdicts',
    );
    const literal = v.runs[1]!.report;
    v.dependencies.forEach((d, i) => {
      const n = lit.get(i);
      if (n === undefined || !d.literal?.attack) return;
      const a = d.literal.attack;
      after.push(...attackLines(`Attack L${n} — ${d.query.text} in the paper-literal variant (${v.runs[1]!.options}; seed ${literal.seed}, ${literal.bound.sessions} sessions, confirmed on replay)`, a.detail, a.story));
    });
  }
  return reportText(written, specFile, p.options, { assumes: trustText(trust), note, after, ...(boundNote ? { boundNote } : {}) }).replace(/^(crypto suite .*)$/m, `$1\n${variantsLine(v, p)}`);
}

function verdictJson(v: Verdict): object {
  return {
    verdict: v.status,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.attack ? { attack: { detail: v.attack.detail, foundAfterStates: v.attack.foundAfterStates, foundAfterMs: Math.round(v.attack.foundAfterMs), trace: v.attack.story, scenario: v.attack.scenario } } : {}),
  };
}

export function variantsJson(v: VariantsReport, p: TypedProtocol, specFile: string, specHash?: string): object {
  const written = v.runs[0]!.report;
  const trust: Trust = trustOf(p, written.honest, written.attacker);
  const base = reportJson(written, specFile, specHash) as { queries: object[] } & Record<string, unknown>;
  return {
    ...base,
    assumes: trustText(trust),
    trust,
    variants: {
      additions: v.additions,
      literalAsWritten: v.literalAsWritten,
      skipped: v.skipped,
      ...(v.skippedBy ? { skippedBy: v.skippedBy } : {}),
      runs: v.runs.map((run) => ({ name: run.name, removed: run.removed, options: run.options, states: run.report.states, configurations: run.report.configurations, exhausted: run.report.exhausted, ms: Math.round(run.report.ms), unconfirmed: run.report.unconfirmed })),
      ms: Math.round(v.ms),
    },
    queries: base.queries.map((q, i) => {
      const d = v.dependencies[i]!;
      return {
        ...q,
        ...(d.written.status === 'holds' ? { restsOn: queryTrustText(p, trust, d.query) } : {}),
        ...(d.literal ? { literal: verdictJson(d.literal) } : {}),
        dependsOn: d.dependsOn,
        ...(d.jointly ? { jointly: true } : {}),
        ...(d.undecided ? { undecided: d.undecided } : {}),
      };
    }),
  };
}

/** The common JSON `verdicts` entry: "holds (depends on: aead-ad field-step)" where it does. */
export function variantsVerdictName(v: VariantsReport, i: number): string {
  const d = v.dependencies[i]!;
  const dep = dependencyText(d, v.additions);
  return `${d.written.status}${dep ? ` (depends on: ${dep})` : ''}`;
}
