/**
 * `bantam claims [options]` — the claims of Chen et al. 2020 (§2.2, §4.1–4.6, Table 1, Table 4),
 * each verdict COMPUTED and labelled with what decided it (src/claims/emr.ts): the queries of the
 * shipped spec/emr-flow.ban by the generic Dolev–Yao attacker (the same search as
 * `bantam claims spec/emr-flow.ban`), and the claims it cannot express by the scripted campaigns
 * that stay in src/adversary. One line per query or claim, then the generic attacker's report (its
 * bound, trust assumptions and attack traces) and the scripted counterexamples; JSON with --json.
 * `--quick` leaves the inter phase's 3-session search out: its queries are "not tested", never "holds".
 * `bantam claims SPEC` (./claims-spec.ts): the queries of any spec.
 *
 * Exit codes: 0 no query or claim is refuted; 1 at least one is refuted; 2 bad input; 3 the worker
 * processes could not run.
 */
import { BACKEND_NAMES, campaignBackend, getSuite } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { defaultWorkers, WorkerError } from '../../adversary/pool.js';
import { PROPS_ASSURANCE } from '../../adversary/summary.js';
import { intFlag, parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { RUNS_OPTION, SEED_OPTION, SUITE_OPTION, runsOf, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';
import { progressTo } from './props.js';
import { ATTACKER_ASSURANCE, CLAIMS_SPEC_OPTIONS, CLAIMS_SPEC_USAGE, runClaimsMerge, runClaimsSpec, searchBoundOf } from './claims-spec.js';
import { tableLines } from '../../report/table.js';
import { packageFile } from '../package-files.js';
import { loadExecutable } from '../../interpret/load.js';
import { emrClaims, lineCounts, QUICK_REASON, type EmrClaims } from '../../claims/emr.js';
import { variantsJson, variantsText } from '../../attacker/variants-report.js';
import { specHash } from '../../attacker/spec-hash.js';
import { relative } from 'node:path';

export const OPTIONS = {
  runs: { ...RUNS_OPTION, help: 'without SPEC: fast-check runs per scripted experiment' },
  seed: { ...SEED_OPTION, help: 'base seed' },
  suite: SUITE_OPTION,
  backend: { type: 'string', value: 'B', help: `crypto backend: ${BACKEND_NAMES.join(', ')} (default: native where the suite has one, else noble)` },
  workers: { type: 'string', value: 'N', help: 'child processes (default: all cores for the scripted campaigns, whose runs they share; with SPEC: 1, the search runs in this process)' },
  quick: { type: 'boolean', help: "without SPEC: leave the inter phase's 3-session search out (its queries are reported not tested); the rest as without it" },
  ...CLAIMS_SPEC_OPTIONS,
} as const satisfies OptionTable;

const USAGE = `bantam claims [options]           the claims of the EMR paper: spec/emr-flow.ban's queries (generic attacker)\n                                         and the scripted campaigns for what it cannot express\n${CLAIMS_SPEC_USAGE}`;

const TAG = { holds: 'holds', refuted: 'REFUTED', 'not-tested': 'not tested', 'n/a': 'n/a' } as const;

/** Flags of the generic attacker that make no sense for the shipped EMR spec without SPEC. */
const SPEC_ONLY = ['shard', 'diagram', 'browser', 'render', 'export', 'force', 'import-from'];

export const CLAIMS_ASSURANCE = `generic attacker: ${ATTACKER_ASSURANCE}; scripted campaigns: ${PROPS_ASSURANCE}`;

export function claimsText(r: EmrClaims, meta: { specShown: string; boundNote?: string }): string {
  const out: string[] = [];
  out.push('bantam claims — Chen et al. 2020, "A Blockchain-Based Secure Inter-Hospital EMR Sharing System"');
  out.push(`each verdict names what decided it: the generic Dolev–Yao attacker on the queries of ${meta.specShown} (bounded search, every attack confirmed on real crypto),`);
  out.push(`or a scripted campaign of src/adversary for what the generic attacker cannot express (bounded testing: runs and seeds); suite ${r.suite}, seed ${r.seed}; not proofs`);
  if (r.quick) out.push(`--quick: the ${r.generic.queries.length - r.generic.searched.length} searched queries of phase inter were left out (not tested)`);
  out.push('');
  const rows = r.lines.map((l) => [TAG[l.verdict], l.name, l.source, l.decidedBy]);
  out.push(...tableLines(rows));
  const notes = r.lines.filter((l) => l.detail && l.verdict !== 'holds' && l.detail !== QUICK_REASON);
  if (notes.length) {
    out.push('');
    for (const l of notes) out.push(`${TAG[l.verdict]}  ${l.name}: ${l.detail}`);
  }
  out.push('', `── The generic attacker on ${meta.specShown} ──`);
  out.push(variantsText(r.generic.variants, r.generic.protocol, meta.specShown, meta.boundNote));
  out.push('', `── The scripted campaigns (src/adversary): crypto suite ${r.suite} (backend ${r.scripted.backend}), ${r.scripted.runs} runs per experiment, base seed ${r.scripted.seed}, ${r.scripted.workers} worker process(es) ──`);
  for (const v of r.scripted.verdicts) {
    if (!v.claim.experiments.length) continue;
    out.push(`${TAG[v.verdict]}  ${v.claim.id} (${v.claim.source}): ${v.claim.statement}`);
    const line = r.lines.find((l) => l.decider === 'scripted' && l.name === v.claim.id);
    if (v.verdict === 'holds' && line?.detail) out.push(`     evidence: ${line.detail}`);
    if (v.claim.why) out.push(`     stays scripted: ${v.claim.why}`);
  }
  let n = 0;
  for (const v of r.scripted.verdicts) {
    if (v.verdict !== 'refuted') continue;
    const c = v.counterexample!;
    out.push('', `Scripted counterexample ${++n} — ${v.claim.id} (${v.claim.source}): ${c.property} violated in ${c.experiment}`, `  found: ${c.detail}`);
    for (const t of c.trace) out.push(`  ${t}`);
    out.push(`  replay: ${c.replay}`);
  }
  const k = lineCounts(r.lines);
  out.push('');
  out.push(`${k.refuted} refuted (${k.refutedGeneric} by the generic attacker, ${k.refutedScripted} by a scripted campaign), ${k.holds} hold within their bound, ${k.notTested} not tested, ${k.na} not properties of runs. Bounded, not proofs.`);
  return out.join('\n');
}

export function claimsJson(r: EmrClaims, meta: { runs: number; specShown: string }): string {
  const k = lineCounts(r.lines);
  const g = r.generic;
  return jsonOutput(
    {
      command: 'claims',
      ok: k.refuted === 0,
      assurance: CLAIMS_ASSURANCE,
      seed: r.seed,
      suite: r.suite,
      runs: meta.runs,
      verdicts: r.lines.map((l) => ({ name: l.name, verdict: l.verdict === 'n/a' ? 'not-tested' : l.verdict, ok: l.verdict !== 'refuted' })),
    },
    {
      quick: r.quick,
      lines: r.lines,
      generic: { ...variantsJson(g.variants, g.protocol, meta.specShown, specHash(g.spec)), skipped: g.queries.filter((q) => !g.searched.includes(q)).map((q) => q.text) },
      backend: r.scripted.backend,
      runsPerExperiment: r.scripted.runs,
      claims: r.scripted.verdicts.map((v) => ({
        id: v.claim.id,
        source: v.claim.source,
        statement: v.claim.statement,
        verdict: v.verdict,
        evidence: v.evidence,
        ...(v.claim.why ? { why: v.claim.why } : {}),
        ...(v.reason ? { reason: v.reason } : {}),
        ...(v.claim.note ? { note: v.claim.note } : {}),
        ...(v.counterexample ? { counterexample: v.counterexample } : {}),
      })),
    },
  );
}

export const command: Command = {
  name: 'claims',
  summary: 'verdict per security query of SPEC from the generic Dolev–Yao attacker; no SPEC: the EMR paper\'s claims — spec/emr-flow.ban\'s queries plus the scripted campaigns for the rest',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 every tested claim holds, 1 a claim is refuted, 2 bad input, 3 environment (worker processes)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    // `claims SPEC`: the spec's queries, decided by the generic attacker (src/attacker)
    if (args.booleans.has('quick') && (args.positional.length || args.booleans.has('merge'))) throw new UserError('--quick goes without SPEC (the shipped EMR spec); with SPEC, --shard or the bound flags split or cut the search');
    if (args.booleans.has('merge')) return runClaimsMerge(args, io);
    if (args.positional.length) return runClaimsSpec(args, io);
    for (const k of SPEC_ONLY) if (args.values.has(k) || args.booleans.has(k)) throw new UserError(`--${k} goes with SPEC: bantam claims spec/emr-flow.ban --${k} ... (without SPEC, claims also runs the scripted campaigns)\nusage: ${USAGE}`);
    const suite = suiteOf(args);
    const seed = seedOf(args);
    const runs = runsOf(args);
    const backend = args.values.get('backend') ?? campaignBackend(suite);
    getSuite(suite, backend); // unknown backend, or one the suite lacks → UserError (exit 2)
    const workers = intFlag(args, 'workers', defaultWorkers(), 1);
    const specFile = packageFile('spec/emr-flow.ban');
    const { spec, protocol } = loadExecutable(specFile);
    const { bound, declared } = searchBoundOf(args, spec, protocol);
    const specShown = displayPath(specFile);
    const progress = progressTo(io, 'claims');
    let report: EmrClaims;
    try {
      report = await emrClaims({ specFile, suite, seed, runs, backend, workers, quick: args.booleans.has('quick'), asWritten: args.booleans.has('as-written'), bound, onProgress: (line, done, total) => progress(line, done, total) });
    } catch (e) {
      if (e instanceof WorkerError) throw new UserError(`cannot run the worker processes: ${e.message}`, [], 3);
      throw e;
    }
    const boundNote = declared ? `the spec declares its bound at ${specShown}:${declared.pos.line} (flags override it)` : undefined;
    io.out(args.booleans.has('json') ? claimsJson(report, { runs, specShown }) : claimsText(report, { specShown, ...(boundNote ? { boundNote } : {}) }));
    return lineCounts(report.lines).refuted ? 1 : 0;
  },
};

/** A path as the user sees it: relative to the working folder when inside it. */
function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') ? rel : abs;
}
