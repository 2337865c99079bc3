/**
 * `bantam claims [--runs N] [--seed S] [--suite NAME] [--workers N] [--json]` — every security
 * claim of Chen et al. 2020 (§2.2, §4.1–4.6, Table 1, Table 4) with a verdict COMPUTED by running
 * the experiments that decide it (src/adversary/claims.ts): one line per claim, then a numbered
 * attack trace per refutation (Verifpal style), JSON beside with --json.
 *
 * Exit codes: 0 every tested claim holds; 1 at least one claim is refuted; 2 bad input; 3 the
 * worker processes could not run.
 */
import { BACKEND_NAMES, campaignBackend, getSuite } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { claimExperiments, judge, type ClaimVerdict } from '../../adversary/claims.js';
import { defaultWorkers } from '../../adversary/pool.js';
import { PROPS_ASSURANCE } from '../../adversary/summary.js';
import { intFlag, parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { RUNS_OPTION, SEED_OPTION, SUITE_OPTION, runsOf, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';
import { EnvironmentError, progressTo, runProps } from './props.js';
import { CLAIMS_SPEC_OPTIONS, CLAIMS_SPEC_USAGE, runClaimsMerge, runClaimsSpec } from './claims-spec.js';
import { tableLines } from '../../report/table.js';

export const OPTIONS = {
  runs: { ...RUNS_OPTION, help: 'fast-check runs per experiment' },
  seed: { ...SEED_OPTION, help: 'base seed' },
  suite: SUITE_OPTION,
  backend: { type: 'string', value: 'B', help: `crypto backend: ${BACKEND_NAMES.join(', ')} (default: native where the suite has one, else noble)` },
  workers: { type: 'string', value: 'N', help: 'child processes (default: all cores; with SPEC: 1, the search runs in this process)' },
  ...CLAIMS_SPEC_OPTIONS,
} as const satisfies OptionTable;

const USAGE = `bantam claims [options]           the claims of the EMR paper (property campaigns)\n${CLAIMS_SPEC_USAGE}`;

export function claimsText(verdicts: readonly ClaimVerdict[], meta: { suite: string; backend: string; seed: number; runs: number }): string {
  const out: string[] = [];
  out.push('bantam claims — Chen et al. 2020, "A Blockchain-Based Secure Inter-Hospital EMR Sharing System"');
  out.push(`${PROPS_ASSURANCE}; crypto suite ${meta.suite} (backend ${meta.backend}), base seed ${meta.seed}, ${meta.runs} runs per experiment`);
  out.push('');
  let attack = 0;
  const attacks: string[] = [];
  const rows: string[][] = [];
  for (const v of verdicts) {
    const tag = v.verdict === 'holds' ? 'holds' : v.verdict === 'refuted' ? 'REFUTED' : 'n/a';
    let line = v.claim.source;
    if (v.verdict === 'holds') {
      const ev = v.evidence.map((e) => `${e.name}: ${e.runs} runs${e.runs < meta.runs ? ` (of ${meta.runs}: stopped at another property's counterexample)` : ''}, seed${e.seeds.length > 1 ? 's' : ''} ${e.seeds.join(',')}`);
      line += ` — holds under bounded testing (${ev.join('; ')})`;
    }
    if (v.verdict === 'refuted') {
      attack++;
      line += ` — attack trace ${attack}`;
      const c = v.counterexample!;
      attacks.push('', `Attack trace ${attack} — ${v.claim.id} (${v.claim.source}): ${c.property} violated in ${c.experiment}`, `  claim: ${v.claim.statement}`, `  found: ${c.detail}`);
      for (const t of c.trace) attacks.push(`  ${t}`);
      attacks.push(`  replay: ${c.replay}`);
    }
    if (v.verdict === 'not-tested') line += ` — not tested here: ${v.claim.note}`;
    rows.push([tag, v.claim.id, line]);
  }
  out.push(...tableLines(rows));
  out.push(...attacks);
  const t = verdicts.filter((v) => v.verdict !== 'not-tested');
  out.push('');
  out.push(`${t.filter((v) => v.verdict === 'holds').length}/${t.length} tested claims hold under bounded testing; ${t.filter((v) => v.verdict === 'refuted').length} refuted with a counterexample. Bounded tests, not proofs.`);
  return out.join('\n');
}

export const command: Command = {
  name: 'claims',
  summary: 'verdict per security query of SPEC from the generic Dolev–Yao attacker; no SPEC: the EMR paper\'s claims from property runs',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 every tested claim holds, 1 a claim is refuted, 2 bad input, 3 environment (worker processes)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    // `claims SPEC`: the spec's queries, decided by the generic attacker (src/attacker)
    if (args.booleans.has('merge')) return runClaimsMerge(args, io);
    if (args.positional.length) return runClaimsSpec(args, io);
    for (const k of Object.keys(CLAIMS_SPEC_OPTIONS)) if (args.values.has(k) || args.booleans.has(k)) throw new UserError(`--${k} goes with SPEC (the generic attacker); without SPEC, claims runs the EMR property campaigns\nusage: ${USAGE}`);
    const suite = suiteOf(args);
    const seed = seedOf(args);
    const runs = runsOf(args);
    const backend = args.values.get('backend') ?? campaignBackend(suite);
    getSuite(suite, backend); // unknown backend, or one the suite lacks → UserError (exit 2)
    const workers = intFlag(args, 'workers', defaultWorkers(), 1);
    const json = args.booleans.has('json');
    let report;
    try {
      report = await runProps({ runs, seed, suite, backend, only: claimExperiments(), workers, progress: progressTo(io, 'claims') });
    } catch (e) {
      if (e instanceof EnvironmentError) throw new UserError(`cannot run the worker processes: ${e.message}`, [], 3);
      throw e;
    }
    const verdicts = judge(new Map(report.results.map((r) => [r.name, r])));
    if (json) {
      io.out(
        jsonOutput(
          {
            command: 'claims',
            ok: !verdicts.some((v) => v.verdict === 'refuted'),
            assurance: PROPS_ASSURANCE,
            seed,
            suite,
            runs,
            verdicts: verdicts.map((v) => ({ name: v.claim.id, verdict: v.verdict, ok: v.verdict !== 'refuted' })),
          },
          {
            backend,
            runsPerExperiment: runs,
            claims: verdicts.map((v) => ({
              id: v.claim.id,
              source: v.claim.source,
              statement: v.claim.statement,
              verdict: v.verdict,
              evidence: v.evidence,
              ...(v.claim.note ? { note: v.claim.note } : {}),
              ...(v.counterexample ? { counterexample: v.counterexample } : {}),
            })),
          },
        ),
      );
    } else io.out(claimsText(verdicts, { suite, backend, seed, runs }));
    return verdicts.some((v) => v.verdict === 'refuted') ? 1 : 0;
  },
};
