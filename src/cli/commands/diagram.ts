/**
 * `bantam diagram SPEC [--out DIR] [--render svg|png|none] [--browser PATH] [--phase ID] [--json]`
 * `bantam diagram --trace TRACE.json [...same options]`
 *
 * One Mermaid sequence diagram per phase of the spec's `flow` section (src/diagrams/from-flow.ts),
 * or per phase of a recorded run (src/diagrams/from-trace.ts); always writes NAME.mmd, and NAME.svg
 * / NAME.png through one headless Chromium (src/diagrams/render.ts).
 *
 * Exit codes: 0 all written; 1 Mermaid refused a diagram (named in the output); 2 bad input
 * (spec error, unknown phase, bad flag, unreadable trace); 3 no browser to render with (the
 * .mmd files are written anyway).
 */
import { readInputText } from '../../io/read-bounded.js';
import { diagramsForSpec, placeGoals } from '../../diagrams/from-flow.js';
import { diagramsForTrace } from '../../diagrams/from-trace.js';
import type { Diagram } from '../../diagrams/mermaid.js';
import { renderDiagrams, type RenderFormat, type RenderResult } from '../../diagrams/render.js';
import { parseTraceJson } from '../../diagrams/trace-json.js';
import { UserError } from '../../spec/diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { parseLimitsFlag } from '../../spec/limits.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput } from '../json-output.js';
import { tableLines } from '../../report/table.js';

export const OPTIONS = {
  limits: { type: 'string', value: 'NAME=N,...', help: 'raise spec limits: bytes, line, name, depth, includes, errors (docs/notation.md "Limits")' },
  force: { type: 'boolean', help: 'write through a symbolic link at the target (never a device, FIFO or directory)' },
  trace: { type: 'string', value: 'FILE', help: 'a run trace (JSON, contracts.md "Run trace") instead of a spec' },
  out: { type: 'string', value: 'DIR', help: 'where to write NAME.mmd and NAME.svg|png', default: 'diagrams' },
  render: { type: 'string', value: 'FMT', help: 'svg, png, or none (Mermaid text only, no browser needed)', default: 'svg' },
  browser: { type: 'string', value: 'PATH', help: 'Chromium to render with (default: env BANTAM_CHROMIUM, then /usr/bin/chromium)' },
  phase: { type: 'string', value: 'ID', help: 'only this phase (repeat the command for others)' },
} as const satisfies OptionTable;

const USAGE = [
  'bantam diagram SPEC [options]',
  '       bantam diagram --trace TRACE.json [options]',
  '',
  '  SPEC  a spec with a flow section (docs/flow.md); one diagram per phase, with the',
  "        spec's BAN goals on the phases their idealised messages link to; a spec",
  '        without a flow (spec/classic/) draws its idealised messages and goals',
  '  rendering needs the optional packages puppeteer and @mermaid-js/mermaid-cli and a Chromium',
].join('\n');

function formatOf(raw: string | undefined): RenderFormat {
  const f = raw ?? 'svg';
  if (f !== 'svg' && f !== 'png' && f !== 'none') throw new UserError(`--render takes svg, png or none, got '${f}'`);
  return f;
}

export const command: Command = {
  name: 'diagram',
  summary: 'Mermaid sequence diagrams (SVG/PNG) for each phase of a spec flow or a run trace',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 written, 1 Mermaid refused a diagram, 2 bad input, 3 no browser or no rendering packages (the .mmd files are written)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    const json = args.booleans.has('json');
    const format = formatOf(args.values.get('render'));
    const out = args.values.get('out') ?? 'diagrams';
    const phase = args.values.get('phase');
    const tracePath = args.values.get('trace');
    if (tracePath !== undefined && args.positional.length > 0) throw new UserError('give either a SPEC or --trace FILE, not both');
    if (tracePath === undefined && args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE.split('\n')[0]}`);

    let source: string;
    let diagrams: Diagram[];
    let goals: { placed: Record<string, string[]>; unplaced: { label: string; text: string }[] } | undefined;
    if (tracePath !== undefined) {
      const textIn = readInputText(tracePath, 'trace'); // size-bounded: /dev/zero or a FIFO is refused
      const trace = parseTraceJson(textIn, tracePath);
      source = tracePath;
      diagrams = diagramsForTrace(trace);
    } else {
      const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
      source = spec.file;
      diagrams = diagramsForSpec(spec);
      // A spec without a flow draws its idealised messages with all its goals in one note.
      const placement = spec.flow?.phases.length ? placeGoals(spec) : { byPhase: new Map([['messages', spec.goals.map((g) => ({ label: g.label, text: '' }))]]), unplaced: [] };
      goals = {
        placed: Object.fromEntries([...placement.byPhase].map(([p, gs]) => [p, gs.map((g) => g.label)])),
        unplaced: placement.unplaced,
      };
    }
    if (phase !== undefined) {
      const names = diagrams.map((d) => d.name);
      const pick = diagrams.filter((d) => d.name === phase || d.name === `trace-${phase}`);
      if (pick.length === 0) throw new UserError(`no phase '${phase}' in ${source}; phases: ${names.join(', ')}`);
      diagrams = pick;
    }

    const result: RenderResult = await renderDiagrams(diagrams, {
        out,
        format,
        ...(args.values.has('browser') ? { browser: args.values.get('browser')! } : {}),
        onProgress: (p) =>
          io.err(`[${p.index}/${p.total}] ${p.name}: ${p.status === 'done' ? `${p.file} (${(p.ms / 1000).toFixed(1)} s)` : `Mermaid refused it:\n${indent(p.error ?? '')}`}`),
    });

    if (json) {
      io.out(
        jsonOutput(
          {
            command: 'diagram',
            ok: result.failures.length === 0,
            assurance: 'generated drawings of the spec flow or a recorded run; Mermaid syntax checked by rendering (when rendered)',
            seed: null,
            suite: null,
            runs: null,
            verdicts: result.diagrams.map((d) => ({ name: d.name, verdict: d.error ? 'refused' : 'written', ok: !d.error })),
          },
          {
            source,
            out,
            format,
            browser: result.browser ?? null,
            diagrams: result.diagrams.map((d, i) => ({ name: d.name, title: diagrams[i]!.title, mmd: d.mmd, image: d.image ?? null, error: d.error ?? null })),
            ...(goals ? { goals } : {}),
            failures: result.failures,
          },
        ),
      );
    } else {
      const lines = [`${source}: ${diagrams.length} diagram${diagrams.length === 1 ? '' : 's'} -> ${out}/`];
      lines.push(
        ...tableLines(
          result.diagrams.map((d, i) => [d.name, diagrams[i]!.title, `[${[d.mmd, d.image].filter(Boolean).join(', ')}]`, d.error ? 'REFUSED by Mermaid' : '']),
          { indent: '  ' },
        ),
      );
      if (goals) {
        const placed = Object.entries(goals.placed);
        lines.push(placed.length ? `BAN goals drawn: ${placed.map(([p, gs]) => `${p} ${gs.join(' ')}`).join('; ')}` : 'BAN goals drawn: none (the spec states no goals linked to flow steps)');
        for (const g of goals.unplaced) lines.push(`  not drawn: ${g.label} ${g.text} — no phase's idealised messages between its principals mention all its names`);
      }
      if (format === 'none') lines.push('rendering skipped (--render none): Mermaid text only');
      for (const f of result.failures) lines.push(`diagram '${f.name}' was refused by Mermaid:\n${indent(f.message)}`);
      io.out(lines.join('\n'));
    }
    return result.failures.length > 0 ? 1 : 0;
  },
};

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
