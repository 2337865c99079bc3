/**
 * `bantam claims SPEC` — every query of the spec's `queries` section decided by the generic
 * Dolev–Yao attacker (src/attacker): one verdict line per query (holds within the bound /
 * REFUTED with a confirmed attack / not tested with the reason), then each attack as a
 * numbered trace. Exit: 0 every tested query holds within the bound, 1 a query is refuted,
 * 2 bad input (spec errors with file:line:col, bad flags). A query the search could not decide
 * (budget, vacuous premise, unsupported kind) is "not tested", never "holds".
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadExecutable } from '../../interpret/load.js';
import { DEFAULT_BOUND, declaredBoundOf, queriesOf, reportJson, reportText, searchAttacks } from '../../attacker/index.js';
import { attackContext, execute } from '../../attacker/execute.js';
import { attackTestFile } from '../../attacker/export.js';
import { ensureOutputDir, safeWriteFile } from '../../io/safe-write.js';
import { join } from 'node:path';
import type { SearchReport } from '../../attacker/search.js';
import { getSuite } from '../../crypto/index.js';
import type { TypedProtocol } from '../../flow-lang/typed.js';

const ATTACKER_ASSURANCE = 'bounded search by a Dolev–Yao attacker derived from the spec, every attack confirmed on real crypto bytes: testing within the stated bound, not proof';
import { intFlag, type CliIo, type OptionTable, type ParsedArgs } from '../args.js';
import { seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';


/** The generic attacker's options (they go with SPEC; `bantam claims` declares them in its table). */
export const CLAIMS_SPEC_OPTIONS = {
  sessions: { type: 'string', value: 'N', help: `with SPEC: sessions per configuration (default ${DEFAULT_BOUND.sessions})` },
  depth: { type: 'string', value: 'N', help: 'with SPEC: most deliveries per scenario (default: every receive step of the configuration)' },
  'max-states': { type: 'string', value: 'N', help: `with SPEC: search budget; running out leaves queries not tested (default ${DEFAULT_BOUND.maxStates})` },
  'per-delivery': { type: 'string', value: 'N', help: `with SPEC: most candidate messages per delivery (default ${DEFAULT_BOUND.perDelivery})` },
  'attacker-sessions': { type: 'boolean', help: "with SPEC: the attacker's identity also runs sessions through the interpreter (its values are the attacker's)" },
  outsider: { type: 'boolean', help: "with SPEC, multi-phase: the attacker's identity is not registered through the prior phases (default: an insider in the roles a configuration gives it)" },
  diagram: { type: 'string', value: 'DIR', help: 'with SPEC: draw each attack found (Mermaid sequence diagram with an Adversary lane; its closing note names the query and what the attacker learned)' },
  render: { type: 'string', value: 'FMT', help: 'with --diagram: svg, png, or none (Mermaid text only, no browser)', default: 'svg' },
  export: { type: 'string', value: 'DIR', help: 'with SPEC: write each confirmed attack as a standalone vitest file (attack-N.test.ts) that replays it and fails once the protocol is fixed' },
  force: { type: 'boolean', help: 'with --export: write through a symbolic link at the target (never a device, FIFO or directory)' },
  'import-from': { type: 'string', value: 'MODULE', help: "with --export: the module the tests import bantam from", default: 'bantam' },
} as const satisfies OptionTable;

export const CLAIMS_SPEC_USAGE = [
  '       bantam claims SPEC [options]      the queries of SPEC (an executable flow with a queries section), decided by',
  '                                         the generic Dolev–Yao attacker (docs/properties.md); --seed and --suite apply',
  '  exit with SPEC: 0 every tested query holds within the bound, 1 a query is refuted, 2 bad input',
].join('\n');

export async function runClaimsSpec(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positional.length !== 1) throw new UserError(`expected one SPEC, got ${args.positional.length}: ${args.positional.join(' ')}`);
  for (const k of ['runs', 'workers', 'backend']) if (args.values.has(k)) throw new UserError(`--${k} is for the EMR property campaigns (bantam claims without SPEC); the generic attacker's bound is --sessions, --depth, --max-states, --per-delivery`);
  const file = args.positional[0]!;
  const suite = suiteOf(args);
  const seed = seedOf(args);
  const { spec, protocol } = loadExecutable(file);
  const queries = queriesOf(spec, protocol);
  // the spec's declared bound (a `bound` line in its queries section) is the default; flags override it
  const declared = declaredBoundOf(spec, protocol);
  const sessions = intFlag(args, 'sessions', declared?.sessions ?? DEFAULT_BOUND.sessions, 1);
  const maxStates = intFlag(args, 'max-states', declared?.maxStates ?? DEFAULT_BOUND.maxStates, 1);
  const perDelivery = intFlag(args, 'per-delivery', declared?.perDelivery ?? DEFAULT_BOUND.perDelivery, 1);
  const depth = args.values.has('depth') ? intFlag(args, 'depth', 0, 0) : declared?.depth;
  const report = searchAttacks(protocol, queries, { suite, seed: String(seed), bound: { sessions, maxStates, perDelivery, attackerSessions: args.booleans.has('attacker-sessions'), insider: !args.booleans.has('outsider'), ...(depth !== undefined ? { depth } : {}) } });
  const diagramDir = args.values.get('diagram');
  let drawn: string[] = [];
  if (diagramDir) drawn = await drawAttacks(protocol, report, { suite, seed: String(seed), out: diagramDir, render: args.values.get('render') ?? 'svg', browser: args.values.get('browser') });
  else if (args.values.has('render')) throw new UserError('--render goes with --diagram DIR');
  const exportDir = args.values.get('export');
  let exported: string[] = [];
  if (exportDir) exported = exportAttacks(report, { dir: exportDir, spec: file, suite, seed: String(seed), importFrom: args.values.get('import-from') ?? 'bantam', force: args.booleans.has('force') });
  else if (args.values.has('import-from')) throw new UserError('--import-from goes with --export DIR');
  if (args.booleans.has('json')) {
    const verdicts = report.verdicts.map((v) => ({ name: v.query.text, verdict: v.status, ok: v.status !== 'refuted' }));
    io.out(jsonOutput({ command: 'claims', ok: !report.verdicts.some((v) => v.status === 'refuted'), assurance: ATTACKER_ASSURANCE, seed, suite, runs: null, verdicts }, reportJson(report, spec.file) as object));
  }
  else io.out(reportText(report, spec.file, protocol.options, declared ? `the spec declares its bound at ${declared.pos.file}:${declared.pos.line} (flags override it)` : undefined) + (drawn.length ? `\n\nattack diagrams written: ${drawn.join(', ')}` : '') + (exported.length ? `\n\nattack tests written: ${exported.join(', ')} (vitest; each fails once the protocol is fixed)` : ''));
  return report.verdicts.some((v) => v.status === 'refuted') ? 1 : 0;
}

/**
 * Each confirmed attack drawn from its own replay: the scenario re-executed at the same seed on the
 * plain suite (as the confirmation did), its run trace drawn with an Adversary lane, and a closing
 * note naming the query it refutes, the violation, and what the attacker learned and how.
 */
async function drawAttacks(protocol: TypedProtocol, report: SearchReport, o: { suite: string; seed: string; out: string; render: string; browser: string | undefined }): Promise<string[]> {
  if (!['svg', 'png', 'none'].includes(o.render)) throw new UserError(`--render takes svg, png or none, got '${o.render}'`);
  const { diagramForTrace } = await import('../../diagrams/from-trace.js');
  const { renderDiagrams } = await import('../../diagrams/render.js');
  const ctx = attackContext(protocol, getSuite(o.suite), o.seed);
  const list = report.verdicts.flatMap((v, i) => {
    if (v.status !== 'refuted' || !v.attack) return [];
    const st = execute(ctx, v.attack.scenario, true);
    const learned = v.attack.story.flat().filter((l) => l.trim().startsWith('attacker learns')).map((l) => l.trim());
    const n = report.verdicts.slice(0, i + 1).filter((x) => x.status === 'refuted').length;
    return [
      diagramForTrace(st.world.tracer.trace, {
        name: `attack-${n}`,
        title: `Attack ${n}: ${v.query.text} — REFUTED`,
        epilogue: [`REFUTED: ${v.query.text}`, `violated: ${v.attack.detail}`, ...learned],
      }),
    ];
  });
  if (list.length === 0) return [];
  const res = await renderDiagrams(list, { out: o.out, format: o.render as 'svg' | 'png' | 'none', ...(o.browser ? { browser: o.browser } : {}) });
  if (res.failures.length) throw new UserError(`could not render: ${res.failures.map((f) => `${f.name}: ${f.message}`).join('; ')}`, [], 3);
  return res.diagrams.flatMap((d) => (d.image ? [d.mmd, d.image] : [d.mmd]));
}

/** Each confirmed attack as a standalone vitest file (src/attacker/export.ts), written safely into `dir`. */
function exportAttacks(report: SearchReport, o: { dir: string; spec: string; suite: string; seed: string; importFrom: string; force: boolean }): string[] {
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
  return out;
}
