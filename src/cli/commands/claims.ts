/**
 * `bantam claims [--runs N] [--seed S] [--suite NAME] [--workers N] [--json]` — every security
 * claim of Chen et al. 2020 (§2.2, §4.1–4.6, Table 1, Table 4) with a verdict COMPUTED by running
 * the experiments that decide it (src/adversary/claims.ts): one line per claim, then a numbered
 * attack trace per refutation (Verifpal style), JSON beside with --json.
 *
 * Exit codes: 0 every tested claim holds; 1 at least one claim is refuted; 2 bad input; 3 the
 * worker processes could not run.
 */
import { isSuiteName, SUITE_NAMES } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { claimExperiments, judge, type ClaimVerdict } from '../../adversary/claims.js';
import { defaultWorkers } from '../../adversary/pool.js';
import { PROPS_ASSURANCE, numericSeed } from '../../adversary/summary.js';
import { intFlag, parseArgs, type CliIo, type Command } from '../args.js';
import { DEFAULT_PROPS_SUITE, EnvironmentError, progressTo, runProps } from './props.js';
import { CLAIMS_SPEC_USAGE, runClaimsSpec } from './claims-spec.js';

const DEFAULT_RUNS = 30;

const USAGE = [
  'bantam claims [--runs N] [--seed S] [--suite NAME] [--workers N] [--json]',
  '',
  `  --runs N       fast-check runs per experiment (default ${DEFAULT_RUNS})`,
  '  --seed S       base seed (default 1; printed)',
  `  --suite NAME   crypto suite: ${SUITE_NAMES.join(', ')} (default ${DEFAULT_PROPS_SUITE})`,
  '  --workers N    child processes (default: all cores)',
  '  --json         machine-readable verdicts',
  '  exit: 0 every tested claim holds, 1 a claim is refuted, 2 bad input, 3 environment',
  '',
  CLAIMS_SPEC_USAGE,
  '  exit: 0 every tested query holds within the bound, 1 a query is refuted, 2 bad input',
].join('\n');

export function claimsText(verdicts: readonly ClaimVerdict[], meta: { suite: string; seed: number; runs: number }): string {
  const out: string[] = [];
  out.push('bantam claims — Chen et al. 2020, "A Blockchain-Based Secure Inter-Hospital EMR Sharing System"');
  out.push(`${PROPS_ASSURANCE}; crypto suite ${meta.suite}, base seed ${meta.seed}, ${meta.runs} runs per experiment`);
  out.push('');
  let attack = 0;
  const attacks: string[] = [];
  for (const v of verdicts) {
    const tag = v.verdict === 'holds' ? 'holds   ' : v.verdict === 'refuted' ? 'REFUTED ' : 'n/a     ';
    let line = `${tag} ${v.claim.id.padEnd(30)} ${v.claim.source}`;
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
    out.push(line);
  }
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
  async run(argv: string[], io: CliIo): Promise<number> {
    // `claims SPEC`: the spec's queries, decided by the generic attacker (src/attacker)
    const any = parseArgs(argv, { values: ['runs', 'seed', 'suite', 'workers', 'sessions', 'depth', 'max-states', 'per-delivery'], booleans: ['json', 'attacker-sessions'] });
    if (any.positional.length) return runClaimsSpec(argv, io);
    const args = parseArgs(argv, { values: ['runs', 'seed', 'suite', 'workers'], booleans: ['json'] });
    if (args.positional.length) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE.split('\n')[0]}`);
    const suite = args.values.get('suite') ?? DEFAULT_PROPS_SUITE;
    if (!isSuiteName(suite)) throw new UserError(`unknown crypto suite '${suite}'; known suites: ${SUITE_NAMES.join(', ')}`);
    const rawSeed = args.values.get('seed') ?? '1';
    if (!/^-?\d+$/.test(rawSeed)) throw new UserError(`--seed takes an integer, got '${rawSeed}'`);
    const seed = numericSeed(rawSeed);
    const runs = intFlag(args, 'runs', DEFAULT_RUNS, 1);
    const workers = intFlag(args, 'workers', defaultWorkers(), 1);
    const json = args.booleans.has('json');
    let report;
    try {
      report = await runProps({ runs, seed, suite, only: claimExperiments(), workers, ...(json ? {} : { progress: progressTo(io) }) });
    } catch (e) {
      if (e instanceof EnvironmentError) {
        io.err(`bantam claims: cannot run the worker processes: ${e.message}`);
        return 3;
      }
      throw e;
    }
    const verdicts = judge(new Map(report.results.map((r) => [r.name, r])));
    if (json) {
      io.out(
        JSON.stringify(
          {
            assurance: PROPS_ASSURANCE,
            suite,
            seed,
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
          null,
          2,
        ),
      );
    } else io.out(claimsText(verdicts, { suite, seed, runs }));
    return verdicts.some((v) => v.verdict === 'refuted') ? 1 : 0;
  },
};
