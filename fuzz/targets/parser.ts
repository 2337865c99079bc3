/**
 * The spec parser: mutations of every spec under spec/ (src/spec/parse.ts). An accepted spec must
 * print (src/spec/print-spec.ts) to a text that parses back to the same spec; a rejected one must
 * give positioned diagnostics whose rendering stays under MAX_ERROR_OUTPUT.
 * With `derive: true` (target `derive`) accepted specs also go through the BAN engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { analyse } from '../../src/ban/index.js';
import { formatDiagnostics, UserError } from '../../src/spec/diagnostics.js';
import { readBoundedText } from '../../src/io/read-bounded.js';
import { DEFAULT_LIMITS } from '../../src/spec/limits.js';
import { parseSpec } from '../../src/spec/parse.js';
import { printSpec, specShape } from '../../src/spec/print-spec.js';
import { mutateText, SPEC_PIECES } from '../mutate.js';
import type { FuzzRng } from '../rng.js';
import type { FuzzTarget, Outcome } from '../target.js';

export interface SpecCorpus {
  files: Map<string, string>;
}

/** Every spec file under `root`/spec, by base name (includes resolve against this map). */
export function specCorpus(root = process.cwd()): SpecCorpus {
  const files = new Map<string, string>();
  const top = join(root, 'spec');
  // keyed by the path under spec/ (classic/otway-rees.ban and protocols/otway-rees.ban are two files)
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ban')) files.set(relative(top, join(dir, e.name)), readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(top);
  return { files };
}

const PIECES = [...SPEC_PIECES, '\ninclude /dev/zero\n', '\ninclude emr-flow.ban\n', '\ninclude nope.ban\n', '\ninclude x.ban\n'];

export interface SpecInput {
  file: string;
  text: string;
}

export function includeFrom(c: SpecCorpus) {
  return (from: string, path: string): { file: string; text: string } | { error: string } => {
    const key = isAbsolute(path) ? path : normalize(join(dirname(from), path));
    const known = c.files.get(key);
    if (known !== undefined && !isAbsolute(path)) return { file: key, text: known };
    if (isAbsolute(path)) {
      const r = readBoundedText(path, DEFAULT_LIMITS.maxSpecBytes);
      return 'error' in r ? { error: r.error } : { file: path, text: r.text };
    }
    return { error: 'no such file' };
  };
}

function parseOutcome(input: SpecInput, c: SpecCorpus, derive: boolean): Outcome {
  let spec;
  try {
    spec = parseSpec(input.file, input.text, { include: includeFrom(c) });
  } catch (e) {
    if (!(e instanceof UserError)) return { kind: 'crash', detail: `${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}` };
    if (e.diagnostics.length === 0) return { kind: 'bad-error', detail: `no diagnostics: ${e.message.slice(0, 200)}` };
    const out = formatDiagnostics(e.diagnostics, e.sources);
    if (out.length > 1_000_000) return { kind: 'bad-error', detail: `${out.length} characters of diagnostics` };
    return { kind: 'rejected', klass: e.diagnostics[0]!.code };
  }
  // Round trip: the printed form parses back to the same spec.
  let printed: string;
  try {
    printed = printSpec(spec);
  } catch (e) {
    return { kind: 'crash', detail: `printSpec: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}` };
  }
  // The printed form indents and spaces items, so a spec near the byte limit can print past it: it is
  // re-read with the byte limit raised to its size, every other limit at its default (as the flow target).
  try {
    const bytes = Buffer.byteLength(printed);
    const back = parseSpec(input.file, printed, bytes > DEFAULT_LIMITS.maxSpecBytes ? { limits: { maxSpecBytes: bytes } } : {});
    if (JSON.stringify(specShape(back)) !== JSON.stringify(specShape(spec))) return { kind: 'wrong-accept', detail: 'printed form parses to a different spec' };
  } catch (e) {
    const msg = e instanceof UserError ? e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.code} ${d.message}`).slice(0, 2).join('; ') : String(e);
    return { kind: 'wrong-accept', detail: `printed form does not parse: ${msg.slice(0, 300)}` };
  }
  if (derive) {
    try {
      analyse(spec);
    } catch (e) {
      if (!(e instanceof UserError)) return { kind: 'crash', detail: `analyse: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}` };
      return { kind: 'rejected', klass: 'analyse' };
    }
  }
  return { kind: 'accepted' };
}

function makeTarget(name: string, derive: boolean): FuzzTarget<SpecCorpus, SpecInput> {
  return {
    name,
    summary: derive ? 'spec mutations through parse, print/re-parse and the BAN engine (analyse)' : 'spec parser on mutations of every spec in spec/ (with print/re-parse round trip)',
    prepare: () => specCorpus(),
    input(r: FuzzRng, c: SpecCorpus): SpecInput {
      const names = [...c.files.keys()];
      const file = r.pick(names);
      return { file, text: mutateText(r, c.files.get(file)!, PIECES) };
    },
    run: (input, c) => parseOutcome(input, c, derive),
    show: (i) => `${i.file} (${i.text.length} chars): ${JSON.stringify(i.text.length > 300 ? `${i.text.slice(0, 150)}…${i.text.slice(-150)}` : i.text)}`,
  };
}

export const parserTarget = makeTarget('parser', false);
export const deriveTarget = makeTarget('derive', true);
