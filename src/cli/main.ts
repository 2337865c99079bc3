/**
 * bantam's command-line entry. Each command lives in its own module under ./commands and is
 * loaded only when called, so `bantam derive` never pays for Chromium or ts-morph. The process
 * entry point is ./bin.ts (the package's `bin`); this module only dispatches (tests call `main`).
 *
 * Exit codes (every command, docs/cli.md): 0 every verdict held; 1 a verdict failed (a goal not
 * derived, a proof step invalid, a property or claim refuted, conformance drift, a stale file);
 * 2 bad input (spec error, bad or contradictory flags, damaged file); 3 an environment problem
 * (no browser for rendering, worker processes cannot start); 70 an internal error (a bug).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostics, UserError } from '../spec/diagnostics.js';
import { commandHelp, processIo, type CliIo, type Command } from './args.js';
import { errorJson } from './json-output.js';
import { packageVersion } from './package-files.js';
import { colourEnabled, colourVerdicts } from './terminal.js';
import { tableLines } from '../report/table.js';

type Loader = () => Promise<{ command: Command }>;

export const COMMANDS: Record<string, Loader> = {
  demo: () => import('./commands/demo.js'),
  run: () => import('./commands/run.js'),
  derive: () => import('./commands/derive.js'),
  check: () => import('./commands/check.js'),
  why: () => import('./commands/why.js'),
  proofs: () => import('./commands/proofs.js'),
  props: () => import('./commands/props.js'),
  replay: () => import('./commands/replay.js'),
  claims: () => import('./commands/claims.js'),
  diagram: () => import('./commands/diagram.js'),
  costs: () => import('./commands/costs.js'),
  conform: () => import('./commands/conform.js'),
  ledger: () => import('./commands/ledger.js'),
  sweep: () => import('./commands/sweep.js'),
};

export const EXIT = { ok: 0, verdictFailed: 1, badInput: 2, environment: 3, internal: 70 } as const;

async function topHelp(): Promise<string> {
  const lines = [
    `bantam ${packageVersion()} — verify and test authentication protocols`,
    '',
    'usage: bantam <command> [options]        every command takes --json and --help',
    '       bantam help <command>             a command\'s options',
    '       bantam --version',
    '',
    'commands:',
  ];
  const rows: string[][] = [];
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      const { command } = await load();
      rows.push([name, command.summary]);
    } catch {
      rows.push([name, '(not available in this build)']);
    }
  }
  lines.push(...tableLines(rows, { indent: '  ' }));
  lines.push('', 'exit codes (every command): 0 every verdict held, 1 a verdict failed, 2 bad input, 3 environment, 70 internal error');
  return lines.join('\n');
}

/** Flags before a `--` (after it everything is positional). */
function flagsOf(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return end < 0 ? [...argv] : argv.slice(0, end);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(await topHelp());
    return EXIT.badInput;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(packageVersion());
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.out(await topHelp());
      return EXIT.ok;
    }
    const load = COMMANDS[topic];
    if (!load) {
      io.err(`bantam help: unknown command '${topic}'. Commands: ${Object.keys(COMMANDS).join(', ')}`);
      return EXIT.badInput;
    }
    io.out(commandHelp((await load()).command));
    return EXIT.ok;
  }
  const flags = flagsOf(rest);
  const json = flags.includes('--json');
  const load = COMMANDS[name];
  if (!load) {
    const message = `unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}`;
    if (json) io.out(errorJson(name, 'bad-input', EXIT.badInput, message));
    io.err(`bantam: ${message}`);
    return EXIT.badInput;
  }
  // Verdict words in colour on a terminal (never in JSON, never into a pipe, never with NO_COLOR).
  const out: CliIo = io === processIo && !json && colourEnabled(process.stdout) ? { out: (t) => io.out(colourVerdicts(t)), err: io.err } : io;
  try {
    const { command } = await load();
    if (flags.includes('--help') || flags.includes('-h')) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof UserError) {
      const text = e.diagnostics.length ? formatDiagnostics(e.diagnostics, e.sources) : `bantam ${name}: ${e.message}`;
      if (json) io.out(errorJson(name, e.exitCode === EXIT.environment ? 'environment' : 'bad-input', e.exitCode, e.message, e.diagnostics));
      io.err(text);
      return e.exitCode;
    }
    const err = e as Error;
    if (json) io.out(errorJson(name, 'internal', EXIT.internal, err?.message ?? String(e)));
    io.err(`bantam ${name}: internal error: ${err?.message ?? String(e)}\n(this is a bug in bantam; set BANTAM_DEBUG=1 for the stack)`);
    if (process.env.BANTAM_DEBUG) io.err(String(err?.stack));
    return EXIT.internal;
  }
}

// `tsx src/cli/main.ts …` (older docs and scripts) still runs the CLI: hand over to the entry point.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void import('./bin.js');
