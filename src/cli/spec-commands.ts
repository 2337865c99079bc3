/**
 * The spec-taking forms of `bantam run SPEC`, `bantam costs SPEC` and `bantam demo SPEC`: load
 * the spec, require an executable flow (else exit 2 with every diagnostic — never the EMR model in
 * its place), run it with the interpreter (src/interpret) and print what the EMR forms print.
 */
import { writeFileSync } from 'node:fs';
import { analyse, ASSURANCE as BAN_ASSURANCE } from '../ban/index.js';
import { getSuite, SUITE_NAMES } from '../crypto/index.js';
import { loadExecutable, type ExecutableSpec } from '../interpret/load.js';
import { flowCostReport, flowCostText, flowRunJson, flowTranscript, FLOW_RUN_ASSURANCE, fmtOps, messageSizes, optionsLine } from '../interpret/report.js';
import { runFlow, type FlowRunResult } from '../interpret/run.js';
import { sumCounts } from '../interpret/costs.js';
import { UserError } from '../spec/diagnostics.js';
import type { CliIo, ParsedArgs } from './args.js';

function seedOf(args: ParsedArgs, fallback: string): string {
  const seed = args.values.get('seed') ?? fallback;
  if (seed === '') throw new UserError('--seed needs a non-empty value');
  return seed;
}

function onlyOneSpec(args: ParsedArgs, usage: string): string {
  if (args.positional.length > 1) throw new UserError(`expected one SPEC, got ${args.positional.length}: ${args.positional.join(' ')}\nusage: ${usage}`);
  return args.positional[0]!;
}

/** `bantam run SPEC [--suite] [--seed] [--json] [--trace-out] [--diagram DIR ...]`. */
export async function runSpec(args: ParsedArgs, io: CliIo, usage: string): Promise<number> {
  const path = onlyOneSpec(args, usage);
  if (args.values.has('save-ledger')) throw new UserError('--save-ledger is for the EMR model run (bantam run without SPEC)');
  const ex = loadExecutable(path);
  const r = runFlow(ex.protocol, { suite: getSuite(args.values.get('suite') ?? 'secp256k1'), seed: seedOf(args, '0') });
  const traceFile = args.values.get('trace-out');
  if (traceFile) {
    try {
      writeFileSync(traceFile, JSON.stringify(r.trace, null, 2) + '\n');
    } catch (e) {
      throw new UserError(`cannot write trace to ${traceFile}: ${(e as Error).message}`, [], 3);
    }
  }
  const diagramDir = args.values.get('diagram');
  let drawn: { files: string[]; failures: { name: string; message: string }[] } | undefined;
  if (diagramDir) {
    const { diagramsForTrace } = await import('../diagrams/from-trace.js');
    const { renderDiagrams } = await import('../diagrams/render.js');
    const res = await renderDiagrams(diagramsForTrace(r.trace), {
      out: diagramDir,
      format: (args.values.get('render') ?? 'svg') as 'svg' | 'png' | 'none',
      ...(args.values.has('browser') ? { browser: args.values.get('browser')! } : {}),
      onProgress: (p) => io.err(`diagram ${p.index}/${p.total} ${p.name}: ${p.status} (${p.ms} ms)`),
    });
    drawn = { files: res.diagrams.flatMap((d) => (d.image ? [d.mmd, d.image] : [d.mmd])), failures: res.failures };
  }
  if (args.booleans.has('json')) io.out(JSON.stringify({ ...flowRunJson(r), ...(drawn ? { diagrams: drawn } : {}) }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  else {
    const notes = [traceFile ? `trace written to ${traceFile}` : '', drawn ? `diagrams written: ${drawn.files.join(', ')}` : ''].filter(Boolean);
    io.out(flowTranscript(r, ex.spec.name) + (notes.length ? `\n${notes.join('\n')}` : ''));
  }
  if (drawn?.failures.length) return 1;
  return r.ok ? 0 : 1;
}

/** `bantam costs SPEC [--suite] [--seed] [--json]`: counts on one suite, sizes on all three. */
export function costsSpec(args: ParsedArgs, io: CliIo, usage: string): number {
  const path = onlyOneSpec(args, usage);
  if (args.booleans.has('markdown')) throw new UserError('--markdown prints the paper\'s Tables 2 and 3 (bantam costs without SPEC)');
  if (args.values.has('runs')) throw new UserError('--runs times the EMR model (bantam costs without SPEC); with SPEC the counts and sizes come from one run per suite');
  const ex = loadExecutable(path);
  const seed = seedOf(args, '0');
  const suite = getSuite(args.values.get('suite') ?? 'secp256k1');
  const main = runFlow(ex.protocol, { suite, seed });
  const perSuite = SUITE_NAMES.map((s) => (s === suite.name ? main : runFlow(ex.protocol, { suite: s, seed })));
  const report = flowCostReport(path, main, perSuite);
  io.out(args.booleans.has('json') ? JSON.stringify(report, null, 2) : flowCostText(report));
  return report.runOk ? 0 : 1;
}

export interface SpecDemoResult {
  spec: string;
  protocol: string;
  ban: { goals: number; derived: number; underived: string[] } | null;
  runs: { suite: string; ok: boolean; messages: number; checks: number; failedChecks: number; keysAgreed: string[]; keysDisagreed: string[]; bytes: number; failures: readonly string[] }[];
  costs: { role: string; ops: string }[];
  ok: boolean;
}

function runSummary(r: FlowRunResult): SpecDemoResult['runs'][number] {
  const checks = r.trace.events.filter((e) => e.kind === 'check');
  return {
    suite: r.suite,
    ok: r.ok,
    messages: r.trace.events.filter((e) => e.kind === 'send').length,
    checks: checks.length,
    failedChecks: checks.filter((c) => c.kind === 'check' && !c.ok).length,
    keysAgreed: r.agreements.filter((a) => a.agreed).map((a) => `${a.name} (${a.parties.join('↔')})`),
    keysDisagreed: r.agreements.filter((a) => !a.agreed).map((a) => `${a.name} (${a.parties.join('↔')})`),
    bytes: messageSizes(r).reduce((n, m) => n + m.size, 0),
    failures: r.failures,
  };
}

export function specDemo(ex: ExecutableSpec, seed: string): SpecDemoResult {
  let ban: SpecDemoResult['ban'] = null;
  if (ex.spec.goals.length > 0) {
    const a = analyse(ex.spec, { whyNot: false });
    const underived = a.goals.filter((g) => !g.derived).map((g) => g.label);
    ban = { goals: a.goals.length, derived: a.goals.length - underived.length, underived };
  }
  const results = SUITE_NAMES.map((s) => runFlow(ex.protocol, { suite: s, seed }));
  const runs = results.map(runSummary);
  const main = results[SUITE_NAMES.indexOf('secp256k1')]!;
  const roles = [...new Set(main.costs.map((c) => `${c.principal} (${c.role})`))];
  const costs = roles.map((role) => ({ role, ops: fmtOps(sumCounts(main.costs.filter((c) => `${c.principal} (${c.role})` === role).map((c) => c.ops))) }));
  const ok = (ban === null || ban.underived.length === 0) && runs.every((r) => r.ok);
  return { spec: ex.spec.file, protocol: ex.spec.name, ban, runs, costs, ok };
}

export function specDemoText(d: SpecDemoResult, ex: ExecutableSpec, seed: string): string {
  const mark = (b: boolean) => (b ? 'ok  ' : 'FAIL');
  const out: string[] = [];
  out.push(`bantam demo — ${d.protocol} (${d.spec})`);
  out.push(optionsLine(ex.protocol.options));
  out.push('');
  if (d.ban) {
    out.push(`1. BAN derivation — ${BAN_ASSURANCE}`);
    out.push(`   ${mark(d.ban.underived.length === 0)} ${d.ban.derived}/${d.ban.goals} goals derived${d.ban.underived.length ? ` (not derived: ${d.ban.underived.join(', ')})` : ''}`);
  } else {
    out.push('1. BAN derivation — skipped: the spec has no goals section (add messages, assumptions and goals to derive)');
  }
  out.push('');
  out.push(`2. Protocol runs on real crypto — ${FLOW_RUN_ASSURANCE}`);
  for (const r of d.runs) {
    out.push(
      `   ${mark(r.ok)} ${r.suite.padEnd(12)} ${r.messages} messages (${r.bytes} B), ${r.checks} checks, ${r.failedChecks} failed; keys agreed: ${r.keysAgreed.join(', ') || 'none computed'}` +
        (r.keysDisagreed.length ? `; DIFFER: ${r.keysDisagreed.join(', ')}` : '') +
        (r.failures.length ? ` — ${r.failures.join('; ')}` : ''),
    );
  }
  out.push(`        transcript: bantam run ${d.spec} --seed ${seed}`);
  out.push('');
  out.push('3. Operation counts per principal (all phases, secp256k1 run)');
  for (const c of d.costs) out.push(`   ${c.role.padEnd(20)} ${c.ops}`);
  out.push(`        details: bantam costs ${d.spec}`);
  out.push('');
  out.push('4. Attacks — not run: the generic Dolev–Yao attacker over any flow is issue 13 (bantam props / claims cover the EMR model only)');
  out.push('');
  out.push(d.ok ? 'result: every expectation of the tool held' : 'result: FAILED — see the FAIL lines above');
  return out.join('\n');
}

export function demoSpec(path: string, args: ParsedArgs, io: CliIo): number {
  const ex = loadExecutable(path);
  const seed = seedOf(args, '1');
  const d = specDemo(ex, seed);
  io.out(args.booleans.has('json') ? JSON.stringify(d, null, 2) : specDemoText(d, ex, seed));
  return d.ok ? 0 : 1;
}
