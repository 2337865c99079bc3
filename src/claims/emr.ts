/**
 * The claims of Chen et al. 2020, computed (issue 13, item 5): `bantam claims` without SPEC and the
 * security part of `bantam demo`. Two deciders, each verdict labelled with the one that decided it:
 *
 *  - the generic Dolev–Yao attacker (src/attacker) on the `queries` section of the shipped
 *    spec/emr-flow.ban — exactly what `bantam claims spec/emr-flow.ban` computes (both variants,
 *    the declared bound): session-key secrecy, the injective agreements, EMR access control,
 *    unlinkability, KCI, forward secrecy, the ephemeral reveals;
 *  - the scripted campaigns that stay in src/adversary (src/adversary/claims.ts CLAIMS), for what the
 *    generic attacker cannot express: illegal devices and forged key pairs, integrity and replays
 *    over many sessions, compromise in the middle of a run, Table 1's stored evidence.
 *
 * No verdict comes from a list of expected results. `quick` skips the searched queries of the
 * `inter` phase (its 3-session search is the slow part): they are "not tested", with that reason,
 * never "holds". Bounded testing, not proof.
 */
import { loadExecutable } from '../interpret/load.js';
import { queriesOf, type Query } from '../attacker/queries.js';
import { phaseBound, type Bound } from '../attacker/search.js';
import { searchVariants, type VariantsReport } from '../attacker/variants.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import type { Spec } from '../spec/ast.js';
import { claimExperiments, judge, runExperiment, type ClaimVerdict } from '../adversary/claims.js';
import { honestRuns } from '../adversary/correctness.js';
import { runCampaign } from '../adversary/pool.js';
import type { SuiteResult } from '../adversary/runner.js';

/** The phase `quick` leaves out of the search (its queries are reported not tested). */
export const QUICK_SKIPS_PHASE = 'inter';

export const QUICK_REASON = `skipped by --quick: the ${QUICK_SKIPS_PHASE} phase's 3-session search (about a minute per variant; run bantam claims without --quick)`;

export interface ClaimLine {
  /** The query as written (generic) or the claim's id (scripted, n/a). */
  readonly name: string;
  /** The paper's section (the spec's citation, or the claim's source). */
  readonly source: string;
  readonly verdict: 'holds' | 'refuted' | 'not-tested' | 'n/a';
  readonly decider: 'generic' | 'scripted' | 'none';
  /** What decided it, in a few words (bound and seed, or experiments with runs and seeds). */
  readonly decidedBy: string;
  /** A refutation's attack, a not-tested reason, a dependency on an addition. */
  readonly detail?: string;
}

export interface GenericPart {
  readonly spec: Spec;
  readonly protocol: TypedProtocol;
  readonly file: string;
  readonly queries: readonly Query[];
  readonly searched: readonly Query[];
  readonly variants: VariantsReport;
}

export interface ScriptedPart {
  readonly results: ReadonlyMap<string, SuiteResult>;
  readonly verdicts: readonly ClaimVerdict[];
  readonly runs: number;
  readonly seed: number;
  readonly backend: string;
  readonly workers: number;
}

export interface EmrClaims {
  readonly suite: string;
  readonly seed: number;
  readonly quick: boolean;
  readonly generic: GenericPart;
  readonly scripted: ScriptedPart;
  /** The correctness experiment (honest-runs), when asked for (the demo). */
  readonly correctness?: SuiteResult;
  readonly lines: readonly ClaimLine[];
}

export interface EmrClaimsOptions {
  /** spec/emr-flow.ban (the shipped file). */
  readonly specFile: string;
  readonly suite: string;
  readonly seed: number;
  readonly runs: number;
  readonly backend: string;
  readonly workers: number;
  readonly quick: boolean;
  readonly asWritten: boolean;
  readonly bound: Partial<Bound>;
  readonly correctness?: boolean;
  readonly onProgress?: (line: string, done: number, total: number) => void;
}

/** Runs the scripted experiments: in this process with one worker, else chunked by seed on child processes (src/adversary/pool.ts, as `bantam props` does). */
export async function runScripted(names: readonly string[], o: { runs: number; seed: number; suite: string; backend: string; workers: number; onProgress?: (line: string, done: number, total: number) => void }): Promise<Map<string, SuiteResult>> {
  const results = new Map<string, SuiteResult>();
  if (o.workers <= 1) {
    for (const [i, n] of names.entries()) {
      o.onProgress?.(`scripted: ${n} (${i + 1}/${names.length}, ${o.runs} runs)`, i, names.length);
      results.set(n, runExperiment(n, { runs: o.runs, seed: o.seed, suite: o.suite, backend: o.backend }));
    }
    return results;
  }
  const merged = await runCampaign(names, {
    runs: o.runs, seed: o.seed, suite: o.suite, backend: o.backend, workers: o.workers,
    onRun: (done, total) => {
      if (done <= total) o.onProgress?.(`scripted: ${done}/${total} runs on ${o.workers} processes`, done, total);
    },
  });
  names.forEach((n, i) => results.set(n, merged[i]!));
  return results;
}

const phaseOf = (q: Query): string | undefined => ('phase' in q ? q.phase : undefined);

/** Whether `quick` leaves a query out of the search (the unlinkability game is not the slow search). */
export function skippedByQuick(q: Query): boolean {
  return phaseOf(q) === QUICK_SKIPS_PHASE && q.kind !== 'unlinkability';
}

export async function emrClaims(o: EmrClaimsOptions): Promise<EmrClaims> {
  const { spec, protocol } = loadExecutable(o.specFile);
  const queries = queriesOf(spec, protocol);
  const searched = o.quick ? queries.filter((q) => !skippedByQuick(q)) : queries;
  o.onProgress?.(`generic attacker: ${searched.length} of ${queries.length} queries of ${o.specFile}`, 0, 1);
  const variants = searchVariants(protocol, searched, { suite: o.suite, seed: String(o.seed), bound: o.bound, asWritten: o.asWritten });
  const names = [...(o.correctness ? [honestRuns.name] : []), ...claimExperiments()];
  const results = await runScripted(names, { runs: o.runs, seed: o.seed, suite: o.suite, backend: o.backend, workers: o.workers, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const verdicts = judge(results);
  const generic: GenericPart = { spec, protocol, file: o.specFile, queries, searched, variants };
  const scripted: ScriptedPart = { results, verdicts, runs: o.runs, seed: o.seed, backend: o.backend, workers: o.workers };
  const correctness = o.correctness ? results.get(honestRuns.name) : undefined;
  return { suite: o.suite, seed: o.seed, quick: o.quick, generic, scripted, ...(correctness ? { correctness } : {}), lines: [...genericLines(generic, o.seed), ...scriptedLines(scripted)] };
}

function genericLines(g: GenericPart, seed: number): ClaimLine[] {
  const report = g.variants.runs[0]!.report;
  let attack = 0;
  return g.queries.map((q) => {
    const source = q.cite ?? '';
    const i = g.searched.indexOf(q);
    if (i < 0) return { name: q.text, source, verdict: 'not-tested', decider: 'generic', decidedBy: 'generic attacker: skipped by --quick', detail: QUICK_REASON };
    const v = report.verdicts.find((x) => x.query === q) ?? report.verdicts[i]!;
    const phase = phaseOf(q);
    const b = phase ? phaseBound(report.bound, phase) : report.bound;
    const by = `generic, ${b.sessions} sessions, seed ${seed}`;
    const d = g.variants.dependencies[i];
    const literal = g.variants.runs.length > 1 && d?.literal && d.literal.status !== v.status ? `; paper-literal variant: ${d.literal.status}` : '';
    const dep = d?.dependsOn.length ? `; depends on: ${d.dependsOn.join(', ')}` : '';
    if (v.status === 'refuted') {
      const n = v.attack ? ++attack : 0;
      const what = n ? `attack ${n} of the generic report (a confirmed attack trace)` : q.kind === 'unlinkability' ? 'the linking game of the generic report (both worlds run on real crypto)' : (v.reason ?? 'see the generic report');
      return { name: q.text, source, verdict: 'refuted', decider: 'generic', decidedBy: by, detail: `${what}${literal}${dep}` };
    }
    if (v.status === 'holds') return { name: q.text, source, verdict: 'holds', decider: 'generic', decidedBy: `${by}, ${report.exhausted ? 'bound covered' : 'bound'}`, ...(literal || dep ? { detail: (literal + dep).slice(2) } : {}) };
    return { name: q.text, source, verdict: 'not-tested', decider: 'generic', decidedBy: by, detail: v.reason ?? 'not tested' };
  });
}

function evidenceText(v: ClaimVerdict): string {
  return v.evidence.map((e) => `${e.name} ${e.runs} runs, seed${e.seeds.length > 1 ? 's' : ''} ${e.seeds.join(',')}`).join('; ');
}

function scriptedLines(s: ScriptedPart): ClaimLine[] {
  return s.verdicts.map((v) => {
    if (!v.claim.experiments.length) return { name: v.claim.id, source: v.claim.source, verdict: 'n/a', decider: 'none', decidedBy: 'not a property of runs', detail: v.claim.note ?? '' };
    const decidedBy = `scripted: ${v.evidence.map((e) => `${e.name} ×${e.runs}`).join(', ')}, seed ${s.seed}`;
    const evidence = evidenceText(v);
    if (v.verdict === 'refuted') return { name: v.claim.id, source: v.claim.source, verdict: 'refuted', decider: 'scripted', decidedBy, detail: `${v.counterexample!.property} violated in ${v.counterexample!.experiment}: ${v.counterexample!.detail} (${evidence})` };
    if (v.verdict === 'not-tested') return { name: v.claim.id, source: v.claim.source, verdict: 'not-tested', decider: 'scripted', decidedBy, detail: `${v.reason ?? 'not tested'} (${evidence})` };
    return { name: v.claim.id, source: v.claim.source, verdict: 'holds', decider: 'scripted', decidedBy, detail: evidence };
  });
}

/** Counts over the lines: refuted (by decider), holds, not tested, n/a. */
export function lineCounts(lines: readonly ClaimLine[]) {
  const c = (f: (l: ClaimLine) => boolean) => lines.filter(f).length;
  return {
    refuted: c((l) => l.verdict === 'refuted'),
    refutedGeneric: c((l) => l.verdict === 'refuted' && l.decider === 'generic'),
    refutedScripted: c((l) => l.verdict === 'refuted' && l.decider === 'scripted'),
    holds: c((l) => l.verdict === 'holds'),
    notTested: c((l) => l.verdict === 'not-tested'),
    na: c((l) => l.verdict === 'n/a'),
  };
}

/** The demo's summary of the same verdicts (bantam demo, section 3). */
export interface PropertySummary {
  readonly assurance: string;
  readonly seed: number;
  readonly suite: string;
  /** Searched queries of the spec left out (--quick; the demo always leaves the inter phase's out). */
  readonly skipped: readonly string[];
  readonly results: readonly { name: string; kind: 'correctness' | 'security'; decider: 'generic' | 'scripted'; status: 'holds' | 'refuted' | 'not-tested'; runs: number | null; decidedBy: string; summary: string }[];
  readonly correctnessHolds: boolean;
}

export function propertySummary(r: EmrClaims, assurance: string): PropertySummary {
  const c = r.correctness;
  return {
    assurance,
    seed: r.seed,
    suite: r.suite,
    skipped: r.generic.queries.filter((q) => !r.generic.searched.includes(q)).map((q) => q.text),
    correctnessHolds: c?.ok === true,
    results: [
      ...(c ? [{ name: c.name, kind: 'correctness' as const, decider: 'scripted' as const, status: c.ok ? ('holds' as const) : ('refuted' as const), runs: c.runs, decidedBy: `scripted: ${c.name} ×${c.runs}, seed ${r.scripted.seed}`, summary: c.failure?.detail ?? honestRuns.summary }] : []),
      ...r.lines.flatMap((l) => {
        if (l.decider === 'none' || l.verdict === 'n/a') return [];
        if (l.decider === 'generic' && !r.generic.searched.some((q) => q.text === l.name)) return [];
        const v = r.scripted.verdicts.find((x) => x.claim.id === l.name);
        // the demo prints no generic report: point to the command that prints the trace
        const summary = l.decider === 'generic' && l.verdict === 'refuted' ? (l.name.startsWith('unlinkability') ? 'the linking game, both worlds run on real crypto (what links them: bantam claims --quick)' : 'a confirmed attack on real crypto (its numbered trace: bantam claims --quick)') : (l.detail ?? v?.claim.statement ?? '');
        return [{ name: l.source ? `${l.name} (${l.source})` : l.name, kind: 'security' as const, decider: l.decider, status: l.verdict as 'holds' | 'refuted' | 'not-tested', runs: v ? v.evidence.reduce((n, e) => n + e.runs, 0) : null, decidedBy: l.decidedBy, summary }];
      }),
    ],
  };
}
