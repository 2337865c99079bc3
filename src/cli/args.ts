/**
 * Tiny, strict flag parser shared by every command: unknown flags and missing values are a
 * UserError (exit 2 with a one-line message), never a stack trace.
 */
import { UserError } from '../spec/diagnostics.js';

export interface FlagSpec {
  /** Flags that take a value: --seed 7, --suite p256. */
  values?: readonly string[];
  /** Boolean flags: --json. */
  booleans?: readonly string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  booleans: Set<string>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  const positional: string[] = [];
  const known = new Set([...(spec.values ?? []), ...(spec.booleans ?? [])]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (!known.has(name)) {
        throw new UserError(`unknown option --${name}; known: ${[...known].map((k) => `--${k}`).join(', ') || '(none)'}`);
      }
      if (spec.values?.includes(name)) {
        const val = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (val === undefined || (eq < 0 && val.startsWith('--'))) throw new UserError(`option --${name} needs a value`);
        values.set(name, val);
      } else {
        if (eq >= 0) throw new UserError(`option --${name} takes no value`);
        booleans.add(name);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, values, booleans };
}

export function intFlag(args: ParsedArgs, name: string, fallback: number, min = 0): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UserError(`--${name} takes a whole number >= ${min}, got '${raw}'`);
  return Number(raw);
}

/** Where command output goes; tests pass a recorder. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Every command module under src/cli/commands exports one of these as `command`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code: 0 success, 1 a verdict failed (goal underivable, property refuted, drift), 2 bad input. */
  run(argv: string[], io: CliIo): Promise<number>;
}
