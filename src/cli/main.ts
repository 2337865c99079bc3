/**
 * bantam's command-line entry. Each command lives in its own module under ./commands and is
 * loaded only when called, so `bantam derive` never pays for Chromium or ts-morph.
 *
 * Exit codes (every command): 0 success; 1 a verdict failed (a goal not derived, a proof step
 * invalid, a property refuted, conformance drift); 2 bad input (spec error, bad flag, damaged
 * file); 3 an environment problem (e.g. no browser for rendering).
 */
import { formatDiagnostics, UserError } from '../spec/diagnostics.js';
import { processIo, type CliIo, type Command } from './args.js';

type Loader = () => Promise<{ command: Command }>;

export const COMMANDS: Record<string, Loader> = {
  demo: () => import('./commands/demo.js'),
  run: () => import('./commands/run.js'),
  derive: () => import('./commands/derive.js'),
  check: () => import('./commands/check.js'),
  why: () => import('./commands/why.js'),
  proofs: () => import('./commands/proofs.js'),
  props: () => import('./commands/props.js'),
  claims: () => import('./commands/claims.js'),
  diagram: () => import('./commands/diagram.js'),
  costs: () => import('./commands/costs.js'),
  conform: () => import('./commands/conform.js'),
  ledger: () => import('./commands/ledger.js'),
};

async function help(io: CliIo): Promise<number> {
  const lines = ['bantam — verify and test authentication protocols', '', 'usage: bantam <command> [options]   (every command takes --json)', ''];
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      const { command } = await load();
      lines.push(`  ${name.padEnd(9)} ${command.summary}`);
    } catch {
      lines.push(`  ${name.padEnd(9)} (not available in this build)`);
    }
  }
  lines.push('', 'bantam <command> --help shows a command\'s options.');
  io.out(lines.join('\n'));
  return 0;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return help(io);
  const load = COMMANDS[name];
  if (!load) {
    io.err(`bantam: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  try {
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`${command.summary}\n\nusage: ${command.usage}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(e.diagnostics.length ? formatDiagnostics(e.diagnostics, e.sources) : `bantam ${name}: ${e.message}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(`bantam ${name}: internal error: ${err?.message ?? String(e)}\n(this is a bug in bantam; set BANTAM_DEBUG=1 for the stack)`);
    if (process.env.BANTAM_DEBUG) io.err(String(err?.stack));
    return 70;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntry) {
  // Set the exit code and let node exit when stdout has drained: process.exit() here would cut
  // off output still buffered for a pipe (`bantam derive --json | wc -c`).
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
