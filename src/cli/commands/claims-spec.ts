/**
 * `bantam claims SPEC` — every query of the spec's `queries` section decided by the generic
 * Dolev–Yao attacker (src/attacker): one verdict line per query (holds within the bound /
 * REFUTED with a confirmed attack / not tested with the reason), then each attack as a
 * numbered trace. Exit: 0 every tested query holds within the bound, 1 a query is refuted,
 * 2 bad input (spec errors with file:line:col, bad flags). A query the search could not decide
 * (budget, vacuous premise, unsupported kind) is "not tested", never "holds".
 * By default the spec's paper-literal variant (no wire tag, no AEAD associated data) is searched
 * too, and each verdict that depends on an addition says so (src/attacker/variants.ts);
 * `--as-written` skips it. The exit code is the spec as written's.
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadExecutable } from '../../interpret/load.js';
import { DEFAULT_BOUND, declaredBoundOf, queriesOf, reportJson, reportText } from '../../attacker/index.js';
import { declaredPhaseBounds } from '../../attacker/queries.js';
import { attackContext, execute } from '../../attacker/execute.js';
import { attackTestFile } from '../../attacker/export.js';
import { withCompromise } from '../../attacker/compromise.js';
import { honestRunOf, honestRunSummary } from '../../attacker/honest-run.js';
import { ensureOutputDir, safeWriteFile } from '../../io/safe-write.js';
import { join } from 'node:path';
import type { Bound, SearchReport } from '../../attacker/search.js';
import type { DeclaredBound } from '../../attacker/queries.js';
import type { Spec } from '../../spec/ast.js';
import { getSuite } from '../../crypto/index.js';
import type { TypedProtocol } from '../../flow-lang/typed.js';
import { asWrittenOnly, searchVariants, withoutAdditions, type VariantsReport } from '../../attacker/variants.js';
import { variantsJson, variantsText, variantsVerdictName } from '../../attacker/variants-report.js';

export const ATTACKER_ASSURANCE = 'bounded search by a Dolev–Yao attacker derived from the spec, every attack confirmed on real crypto bytes: testing within the stated bound, not proof';
import { intFlag, type CliIo, type OptionTable, type ParsedArgs } from '../args.js';
import { seedOf, suiteOf } from '../defaults.js';
import { parseShard } from '../../attacker/shard.js';
import { specHash } from '../../attacker/spec-hash.js';
import { searchAttacksParallel } from '../../attacker/parallel.js';
import { asShardJson, mergeLine, mergeShards, type MergeInfo } from '../../attacker/merge.js';
import { readFileSync } from 'node:fs';
import { jsonOutput } from '../json-output.js';


/** The generic attacker's options (they go with SPEC; `bantam claims` declares them in its table). */
export const CLAIMS_SPEC_OPTIONS = {
  sessions: { type: 'string', value: 'N', help: `the generic search (SPEC, or spec/emr-flow.ban without it): sessions per configuration (default ${DEFAULT_BOUND.sessions})` },
  depth: { type: 'string', value: 'N', help: 'the generic search (SPEC, or spec/emr-flow.ban without it): most deliveries per scenario (default: every receive step of the configuration)' },
  'max-states': { type: 'string', value: 'N', help: `the generic search (SPEC, or spec/emr-flow.ban without it): search budget; running out leaves queries not tested (default ${DEFAULT_BOUND.maxStates})` },
  'per-delivery': { type: 'string', value: 'N', help: `the generic search (SPEC, or spec/emr-flow.ban without it): most candidate messages per delivery (default ${DEFAULT_BOUND.perDelivery})` },
  'as-written': { type: 'boolean', help: 'the generic search (SPEC, or spec/emr-flow.ban without it): search only the spec as written (default: also the paper-literal variant without the wire tag and AEAD associated data it adds, marking each verdict that depends on them)' },
  'attacker-sessions': { type: 'boolean', help: "the generic search (SPEC, or spec/emr-flow.ban without it): the attacker's identity also runs sessions through the interpreter (its values are the attacker's)" },
  outsider: { type: 'boolean', help: "the generic search, multi-phase: the attacker's identity is not registered through the prior phases (default: an insider in the roles a configuration gives it)" },
  diagram: { type: 'string', value: 'DIR', help: 'with SPEC: draw each attack found (Mermaid sequence diagram with an Adversary lane; its closing note names the query and what the attacker learned), with the honest run it deviates from beside it' },
  browser: { type: 'string', value: 'PATH', help: 'with --diagram: Chromium to render with (default env BANTAM_CHROMIUM, then /usr/bin/chromium)' },
  render: { type: 'string', value: 'FMT', help: 'with --diagram: svg, png, or none (Mermaid text only, no browser)', default: 'svg' },
  export: { type: 'string', value: 'DIR', help: 'with SPEC: write each confirmed attack as a standalone vitest file (attack-N.test.ts) that replays it and fails once the protocol is fixed' },
  force: { type: 'boolean', help: 'with --export: write through a symbolic link at the target (never a device, FIFO or directory)' },
  'import-from': { type: 'string', value: 'MODULE', help: "with --export: the module the tests import bantam from", default: 'bantam' },
  shard: { type: 'string', value: 'K/N', help: 'with SPEC: search only shard K of N of the configurations (round-robin over their canonical order); merge the --json results with --merge', conflicts: ['merge'] },
  merge: { type: 'boolean', help: 'merge the --json results of shards given as FILE arguments: refuted if any shard refuted; holds only if every shard 1..N is there with the same spec, seed, suite and bound, and all held', conflicts: ['shard', 'sessions', 'depth', 'max-states', 'per-delivery', 'attacker-sessions', 'workers', 'seed', 'suite', 'export', 'diagram'] },
} as const satisfies OptionTable;

export const CLAIMS_SPEC_USAGE = [
  '       bantam claims SPEC [options]      the queries of SPEC (an executable flow with a queries section), decided by',
  '                                         the generic Dolev–Yao attacker (docs/properties.md); --seed and --suite apply',
  '       bantam claims --merge FILE...     merge the --json results of bantam claims SPEC --shard K/N --json',
  '  exit with SPEC or --merge: 0 every tested query holds within the bound, 1 a query is refuted, 2 bad input, 3 workers could not run',
].join('\n');

/** The search bound: the spec's declared bound (a `bound` line in its queries section), flags override it. */
export function searchBoundOf(args: ParsedArgs, spec: Spec, protocol: TypedProtocol): { bound: Partial<Bound>; declared: DeclaredBound | undefined } {
  const declared = declaredBoundOf(spec, protocol);
  const sessions = intFlag(args, 'sessions', declared?.sessions ?? DEFAULT_BOUND.sessions, 1);
  const maxStates = intFlag(args, 'max-states', declared?.maxStates ?? DEFAULT_BOUND.maxStates, 1);
  const perDelivery = intFlag(args, 'per-delivery', declared?.perDelivery ?? DEFAULT_BOUND.perDelivery, 1);
  const depth = args.values.has('depth') ? intFlag(args, 'depth', 0, 0) : declared?.depth;
  // a phase's own declared bound (`bound ... in PHASE`), less the keys a flag sets everywhere
  const phases = declaredPhaseBounds(declared, new Set((['sessions', 'depth', 'per-delivery', 'max-states'] as const).filter((k) => args.values.has(k)).map((k) => (k === 'per-delivery' ? 'perDelivery' : k === 'max-states' ? 'maxStates' : k))));
  const bound = { sessions, maxStates, perDelivery, attackerSessions: args.booleans.has('attacker-sessions'), insider: !args.booleans.has('outsider'), ...(depth !== undefined ? { depth } : {}), ...(phases ? { phases } : {}) };
  return { bound, declared };
}

export async function runClaimsSpec(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positional.length !== 1) throw new UserError(`expected one SPEC, got ${args.positional.length}: ${args.positional.join(' ')}`);
  for (const k of ['runs', 'backend']) if (args.values.has(k)) throw new UserError(`--${k} is for the EMR property campaigns (bantam claims without SPEC); the generic attacker's bound is --sessions, --depth, --max-states, --per-delivery`);
  const file = args.positional[0]!;
  const suite = suiteOf(args);
  const seed = seedOf(args);
  const { spec, protocol } = loadExecutable(file);
  const queries = queriesOf(spec, protocol);
  const { bound, declared } = searchBoundOf(args, spec, protocol);
  const shard = args.values.has('shard') ? parseShard(args.values.get('shard')!) : undefined;
  const workers = intFlag(args, 'workers', 1, 1);
  let variants: VariantsReport;
  let merged: MergeInfo | undefined;
  if (workers > 1) {
    // the worker processes search the spec as written; the paper-literal comparison needs a run without --workers
    let report: SearchReport;
    try {
      ({ report, info: merged } = await searchAttacksParallel(file, { suite, seed: String(seed), bound, workers, ...(shard ? { shard } : {}) }));
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`cannot run the worker processes: ${e instanceof Error ? e.message : String(e)}`, [], 3);
    }
    variants = asWrittenOnly(protocol, queries, report, `--workers ${workers}`);
  } else variants = searchVariants(protocol, queries, { suite, seed: String(seed), bound, ...(shard ? { shard } : {}), asWritten: args.booleans.has('as-written') });
  const report = variants.runs[0]!.report;
  const boundNote = declared ? `the spec declares its bound at ${declared.pos.file}:${declared.pos.line} (flags override it)` : undefined;
  const diagramDir = args.values.get('diagram');
  let drawn: string[] = [];
  if (diagramDir) drawn = await drawAttacks(protocol, report, variants, { suite, seed: String(seed), out: diagramDir, render: args.values.get('render') ?? 'svg', browser: args.values.get('browser') });
  else if (args.values.has('render') || args.values.has('browser')) throw new UserError(`--${args.values.has('render') ? 'render' : 'browser'} goes with --diagram DIR`);
  const exportDir = args.values.get('export');
  let exported: string[] = [];
  if (exportDir) exported = exportAttacks(report, variants, { dir: exportDir, spec: file, suite, seed: String(seed), importFrom: args.values.get('import-from') ?? 'bantam', force: args.booleans.has('force') });
  else if (args.values.has('import-from')) throw new UserError('--import-from goes with --export DIR');
  if (args.booleans.has('json')) {
    const verdicts = report.verdicts.map((v, i) => ({ name: v.query.text, verdict: variantsVerdictName(variants, i), ok: v.status !== 'refuted' }));
    io.out(jsonOutput({ command: 'claims', ok: !report.verdicts.some((v) => v.status === 'refuted'), assurance: ATTACKER_ASSURANCE, seed, suite, runs: null, verdicts }, { ...variantsJson(variants, protocol, spec.file, specHash(spec)), ...(merged ? { workers: { count: workers, merged: mergedJson(merged) } } : {}) }));
  }
  else io.out(variantsText(variants, protocol, spec.file, boundNote) + (merged ? `\n${workers} workers: ${mergeLine(merged)}` : '') + (drawn.length ? `\n\nattack diagrams written: ${drawn.join(', ')}` : '') + (exported.length ? `\n\nattack tests written: ${exported.join(', ')} (vitest; each fails once the protocol is fixed)` : ''));
  return report.verdicts.some((v) => v.status === 'refuted') ? 1 : 0;
}

const mergedJson = (m: MergeInfo) => ({ shards: m.shards, count: m.count, missing: m.missing, mismatched: m.mismatched, duplicates: m.duplicates, complete: m.complete });

/** `bantam claims --merge FILE...`: the shards' --json results merged (src/attacker/merge.ts). */
export function runClaimsMerge(args: ParsedArgs, io: CliIo): number {
  if (!args.positional.length) throw new UserError('--merge needs the JSON results of the shards as arguments: bantam claims --merge shard-1.json shard-2.json ...');
  for (const k of ['runs', 'backend', 'render', 'import-from']) if (args.values.has(k)) throw new UserError(`--${k} does not go with --merge (it merges finished results)`);
  const inputs = args.positional.map((source) => {
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read '${source}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new UserError(`${source}: not JSON (${(e as Error).message}); expected the output of bantam claims SPEC --shard K/N --json`);
    }
    return { json: asShardJson(v, source), source };
  });
  const { report, info } = mergeShards(inputs);
  const refuted = report.verdicts.some((v) => v.status === 'refuted');
  if (args.booleans.has('json')) {
    const verdicts = report.verdicts.map((v) => ({ name: v.query.text, verdict: v.status, ok: v.status !== 'refuted' }));
    const seed = Number(report.seed);
    io.out(jsonOutput({ command: 'claims', ok: !refuted, assurance: ATTACKER_ASSURANCE, seed: Number.isInteger(seed) ? seed : 0, suite: report.suite, runs: null, verdicts }, { ...(reportJson(report, report.protocol, inputs[0]!.json.specHash) as object), merged: mergedJson(info) }));
  } else io.out(`${mergeLine(info)}\nvariants: a merge covers the spec as written (each shard's paper-literal run is not merged; run claims SPEC without --shard for it)\n${reportText(report, report.protocol, { wire: 'as in each shard', aeadAd: 'as in each shard' })}`);
  return refuted ? 1 : 0;
}

/**
 * Each confirmed attack drawn from its own replay: the scenario re-executed at the same seed on the
 * plain suite (as the confirmation did), its run trace drawn with an Adversary lane, and a closing
 * note naming the query it refutes, the violation, and what the attacker learned and how. Beside it,
 * in the same image, the honest run it deviates from (src/attacker/honest-run.ts): the same
 * configuration's sessions, same seed, run with each other and no attacker.
 */
async function drawAttacks(protocol: TypedProtocol, report: SearchReport, variants: VariantsReport, o: { suite: string; seed: string; out: string; render: string; browser: string | undefined }): Promise<string[]> {
  if (!['svg', 'png', 'none'].includes(o.render)) throw new UserError(`--render takes svg, png or none, got '${o.render}'`);
  const { diagramForTrace } = await import('../../diagrams/from-trace.js');
  const { renderDiagrams } = await import('../../diagrams/render.js');
  const ctx = attackContext(protocol, getSuite(o.suite), o.seed);
  const list = report.verdicts.flatMap((v, i) => {
    if (v.status !== 'refuted' || !v.attack) return [];
    const qctx = withCompromise(ctx, v.query.reveals ?? []); // the query's before/earlier reveals, as in the search
    const st = execute(qctx, v.attack.scenario, true);
    const learned = v.attack.story.flat().filter((l) => l.trim().startsWith('attacker learns')).map((l) => l.trim());
    const n = report.verdicts.slice(0, i + 1).filter((x) => x.status === 'refuted' && x.attack).length; // numbered as the text and the exported tests number attacks (a refutation without a trace, unlinkability, has none)
    const honest = honestRunOf(qctx, v.attack.scenario);
    return [
      {
        ...diagramForTrace(st.world.tracer.trace, {
          name: `attack-${n}`,
          title: `Attack ${n}: ${v.query.text} — REFUTED`,
          epilogue: [`REFUTED: ${v.query.text}`, `violated: ${v.attack.detail}`, ...learned],
        }),
        beside: diagramForTrace(honest.trace, {
          name: `attack-${n}-honest`,
          title: `Attack ${n}, honest run: the same sessions, no attacker`,
          epilogue: honestRunSummary(honest),
          epilogueColor: 'goal',
        }),
      },
    ];
  });
  // the paper-literal variant's attacks on queries that hold as written (Ln, as the text numbers them)
  const literal = variants.runs[1];
  if (literal) {
    const ctxL = attackContext(withoutAdditions(protocol, literal.removed), getSuite(o.suite), o.seed);
    let l = 0;
    for (const d of variants.dependencies) {
      if (d.written.status === 'refuted' || d.literal?.status !== 'refuted' || !d.literal.attack) continue;
      const a = d.literal.attack;
      const st = execute(withCompromise(ctxL, d.query.reveals ?? []), a.scenario, true);
      const learned = a.story.flat().filter((x) => x.trim().startsWith('attacker learns')).map((x) => x.trim());
      l++;
      const honest = honestRunOf(ctxL, a.scenario);
      list.push({
        ...diagramForTrace(st.world.tracer.trace, { name: `attack-L${l}`, title: `Attack L${l}: ${d.query.text} — REFUTED in the paper-literal variant (${literal.options})`, epilogue: [`REFUTED (paper-literal: ${literal.options}): ${d.query.text}`, `violated: ${a.detail}`, ...learned] }),
        beside: diagramForTrace(honest.trace, { name: `attack-L${l}-honest`, title: `Attack L${l}, honest run: the same sessions, no attacker`, epilogue: honestRunSummary(honest), epilogueColor: 'goal' }),
      });
    }
  }
  if (list.length === 0) return [];
  const res = await renderDiagrams(list, { out: o.out, format: o.render as 'svg' | 'png' | 'none', ...(o.browser ? { browser: o.browser } : {}) });
  if (res.failures.length) throw new UserError(`could not render: ${res.failures.map((f) => `${f.name}: ${f.message}`).join('; ')}`, [], 3);
  return res.diagrams.flatMap((d) => [d.mmd, ...(d.besideMmd ? [d.besideMmd] : []), ...(d.image ? [d.image] : [])]);
}

/** Each confirmed attack as a standalone vitest file (src/attacker/export.ts), written safely into `dir`. */
function exportAttacks(report: SearchReport, variants: VariantsReport, o: { dir: string; spec: string; suite: string; seed: string; importFrom: string; force: boolean }): string[] {
  ensureOutputDir(o.dir);
  const out: string[] = [];
  let n = 0;
  for (const v of report.verdicts) {
    if (v.status !== 'refuted' || !v.attack) continue;
    n++;
    const path = join(o.dir, `attack-${n}.test.ts`);
    safeWriteFile(path, attackTestFile(v, { spec: o.spec, suite: o.suite, seed: o.seed, importFrom: o.importFrom, index: n }), { force: o.force });
    out.push(path);
  }
  // the paper-literal variant's attacks on queries that hold as written (Ln, as the text numbers them)
  let l = 0;
  const literal = variants.runs[1];
  for (const d of variants.dependencies) {
    if (!literal || d.written.status === 'refuted' || d.literal?.status !== 'refuted') continue;
    l++;
    const path = join(o.dir, `attack-L${l}.test.ts`);
    safeWriteFile(path, attackTestFile(d.literal, { spec: o.spec, suite: o.suite, seed: o.seed, importFrom: o.importFrom, index: `L${l}`, removed: literal.removed }), { force: o.force });
    out.push(path);
  }
  return out;
}
