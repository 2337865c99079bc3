/**
 * The flow language (docs/flow.md): mutations of every executable spec's flow (fuzz/flow-mutate.ts)
 * through parse (src/spec/parse.ts), print/re-parse, the checker (src/flow-lang checkFlow) and,
 * when the flow type-checks, one honest interpreter run (src/interpret runFlow; ristretto255
 * suite, seed = the input's index). Outcomes:
 * - rejected: a UserError with diagnostics (parse), or checker diagnostics;
 * - accepted: the flow checks and the run ends in a verdict (ok or failures listed);
 * - crash: any other exception from the parser, printer, checker or interpreter;
 * - wrong-accept: the checker accepted a flow whose honest run throws instead of giving a verdict
 *   (klass `run-throws`), or the printed spec parses back to a different spec or a flow that
 *   checks differently (klass `roundtrip`);
 * - bad-error: rejected with no diagnostic, or with over MAX_ERROR_OUTPUT of rendered diagnostics.
 */
import { isDeepStrictEqual } from 'node:util';
import { checkSpecFlow, type CheckResult } from '../../src/flow-lang/index.js';
import { ENVIRONMENTS, environmentSignatures, runFlow } from '../../src/interpret/index.js';
import { formatDiagnostics, UserError } from '../../src/spec/diagnostics.js';
import { DEFAULT_LIMITS } from '../../src/spec/limits.js';
import { parseSpec } from '../../src/spec/parse.js';
import { printSpec, specShape } from '../../src/spec/print-spec.js';
import type { Spec } from '../../src/spec/ast.js';
import { flowStart, mutateFlow } from '../flow-mutate.js';
import type { FuzzRng } from '../rng.js';
import { MAX_ERROR_OUTPUT, type FuzzTarget, type Outcome } from '../target.js';
import { includeFrom, specCorpus, type SpecCorpus, type SpecInput } from './parser.js';

export interface FlowCorpus extends SpecCorpus {
  /** The specs (paths under spec/) whose flow type-checks. */
  executable: string[];
}

const SIGNATURES = environmentSignatures(ENVIRONMENTS);
const crash = (where: string, e: unknown): Outcome => ({ kind: 'crash', klass: where, detail: `${where}: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}` });

/** A typed protocol without source positions (what the round trip must keep). */
export function protocolShape(r: CheckResult): string {
  if (!r.ok) return JSON.stringify({ ok: false, codes: r.diagnostics.map((d) => d.code) });
  return JSON.stringify(r.protocol, (k, v: unknown) => {
    if (k === 'pos' || k === 'textPos' || k === 'textBreaks' || k === 'source' || k === 'file') return undefined; // where it was read, not what it is
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'function') return '[function]';
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    return v;
  });
}

export function flowCorpus(): FlowCorpus {
  const c = specCorpus();
  const executable: string[] = [];
  for (const [name, text] of c.files) {
    if (flowStart(text) < 0) continue;
    try {
      const spec = parseSpec(name, text, { include: includeFrom(c) });
      if (checkSpecFlow(spec, { environments: SIGNATURES }).ok) executable.push(name);
    } catch {
      // a spec/ file that does not load is the parser campaign's business
    }
  }
  return { ...c, executable: executable.sort() };
}

export interface FlowInput extends SpecInput {
  /** Seed of the interpreter run (replays with the input). */
  seed: number;
}

export function flowOutcome(input: FlowInput, c: SpecCorpus): Outcome {
  let spec: Spec;
  try {
    spec = parseSpec(input.file, input.text, { include: includeFrom(c) });
  } catch (e) {
    if (!(e instanceof UserError)) return crash('parse', e);
    if (e.diagnostics.length === 0) return { kind: 'bad-error', detail: `no diagnostics: ${e.message.slice(0, 200)}` };
    if (formatDiagnostics(e.diagnostics, e.sources).length > MAX_ERROR_OUTPUT) return { kind: 'bad-error', detail: 'unbounded diagnostics' };
    return { kind: 'rejected', klass: `parse:${e.diagnostics[0]!.code}` };
  }
  let checked: CheckResult;
  try {
    checked = checkSpecFlow(spec, { environments: SIGNATURES });
  } catch (e) {
    return crash('check', e);
  }
  // Round trip: the printed spec parses back to the same spec, and its flow checks the same way.
  // The printed form indents and spaces items, so a spec near the byte limit can print past it:
  // it is re-read with the byte limit raised to its size (every other limit stays the default).
  try {
    const printed = printSpec(spec);
    const bytes = Buffer.byteLength(printed);
    const back = parseSpec(input.file, printed, bytes > DEFAULT_LIMITS.maxSpecBytes ? { limits: { maxSpecBytes: bytes } } : {});
    if (!isDeepStrictEqual(specShape(back), specShape(spec))) return { kind: 'wrong-accept', klass: 'roundtrip', detail: 'printed form parses to a different spec' };
    if (protocolShape(checkSpecFlow(back, { environments: SIGNATURES })) !== protocolShape(checked)) return { kind: 'wrong-accept', klass: 'roundtrip', detail: 'printed flow checks differently' };
  } catch (e) {
    if (e instanceof UserError) return { kind: 'wrong-accept', klass: 'roundtrip', detail: `printed form does not parse: ${e.diagnostics.slice(0, 2).map((d) => `${d.pos.line}:${d.pos.col} ${d.code} ${d.message}`).join('; ').slice(0, 300)}` };
    return crash('print', e);
  }
  if (!checked.ok) {
    if (checked.diagnostics.length === 0) return { kind: 'bad-error', detail: 'checker rejected with no diagnostic' };
    return { kind: 'rejected', klass: `check:${checked.diagnostics[0]!.code}` };
  }
  try {
    const run = runFlow(checked.protocol, { suite: 'ristretto255', seed: input.seed });
    return { kind: 'accepted', klass: run.ok ? 'run-ok' : 'run-fails' };
  } catch (e) {
    return { kind: 'wrong-accept', klass: 'run-throws', detail: `checked flow's honest run threw ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}` };
  }
}

export const flowTarget: FuzzTarget<FlowCorpus, FlowInput> = {
  name: 'flow',
  summary: 'flow-language mutations of every executable spec through parse, print/re-parse, checkFlow and one honest runFlow',
  prepare: () => flowCorpus(),
  input(r: FuzzRng, c: FlowCorpus): FlowInput {
    const file = r.pick(c.executable);
    return { file, text: mutateFlow(r, c.files.get(file)!), seed: r.int(1_000_000) };
  },
  run: (input, c) => flowOutcome(input, c),
  show: (i) => `${i.file} run seed ${i.seed} (${i.text.length} chars): ${JSON.stringify(i.text.length > 300 ? `…${i.text.slice(Math.max(0, flowStart(i.text)), Math.max(0, flowStart(i.text)) + 4000)}` : i.text)}`,
};
