/**
 * One flag convention for every command, on node:util `parseArgs`. Each command declares its
 * options as data (an `OptionTable`: one line per flag); the same table drives parsing, conflict
 * checks and `bantam CMD --help`. Bad flags are a UserError (exit 2, a one-line message, JSON
 * under --json), never a stack trace.
 *
 * Adding a flag = one line in the command's OPTIONS table, e.g.
 *   force: { type: 'boolean', help: 'overwrite a target that is not a regular file' },
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import { UserError } from '../spec/diagnostics.js';
import { tableLines } from '../report/table.js';

export interface OptionDef {
  /** 'string' takes a value (--seed 7, --seed=7); 'boolean' is a switch (--json). */
  type: 'string' | 'boolean';
  /** One line for --help. */
  help: string;
  /** Placeholder of the value in --help (default VALUE). */
  value?: string;
  /** Default as shown in --help (the command applies it). */
  default?: string;
  /** One-letter alias (-h). */
  short?: string;
  /** Options this one cannot be given with (checked both ways). --x and --no-x conflict without saying so. */
  conflicts?: readonly string[];
  /** May be repeated (values collected); otherwise giving it twice is an error. */
  multiple?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionDef>>;

/** The options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', help: 'machine-readable output on stdout (errors too, as {"error": ...})' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

/** The old list form (values / booleans); still accepted so a one-word addition keeps working. */
export interface FlagSpec {
  values?: readonly string[];
  booleans?: readonly string[];
}

export interface ParsedArgs {
  positional: string[];
  /** Last value of each string option given (every value of a `multiple` one is in `lists`). */
  values: Map<string, string>;
  lists: Map<string, string[]>;
  booleans: Set<string>;
}

function tableOf(spec: FlagSpec | OptionTable): OptionTable {
  if (!Array.isArray((spec as FlagSpec).values) && !Array.isArray((spec as FlagSpec).booleans)) return spec as OptionTable;
  const legacy = spec as FlagSpec;
  const t: Record<string, OptionDef> = {};
  for (const v of legacy.values ?? []) t[v] = { type: 'string', help: '' };
  for (const b of legacy.booleans ?? []) t[b] = { type: 'boolean', help: '' };
  return t;
}

/** The command's table plus --json / --help (the command's own entries win). */
export function withCommon(table: OptionTable): OptionTable {
  return { ...table, ...Object.fromEntries(Object.entries(COMMON_OPTIONS).filter(([k]) => !(k in table))) };
}

export function parseArgs(argv: readonly string[], spec: FlagSpec | OptionTable): ParsedArgs {
  const table = withCommon(tableOf(spec));
  const known = Object.keys(table);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple: true }> = {};
  for (const [name, d] of Object.entries(table)) options[name] = { type: d.type, multiple: true, ...(d.short ? { short: d.short } : {}) };
  let parsed;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw new UserError(flagError(e as Error & { code?: string }, argv, table, known));
  }
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (const [name, v] of Object.entries(parsed.values)) {
    const all = v as (string | boolean)[];
    const d = table[name]!;
    if (d.type === 'boolean') {
      booleans.add(name);
      continue;
    }
    const strs = all as string[];
    if (!d.multiple && new Set(strs).size > 1) throw new UserError(`--${name} given twice with different values (${strs.map((s) => `'${s}'`).join(', ')}); give it once`);
    values.set(name, strs[strs.length - 1]!);
    lists.set(name, strs);
  }
  for (const name of booleans) {
    // --x with --no-x, on every command the same way
    if (name.startsWith('no-') && (booleans.has(name.slice(3)) || values.has(name.slice(3)))) {
      throw new UserError(`--${name.slice(3)} and --${name} contradict each other; give one`);
    }
  }
  const given = new Set([...booleans, ...values.keys()]);
  for (const name of given) {
    for (const other of table[name]!.conflicts ?? []) {
      if (given.has(other)) throw new UserError(`--${name} and --${other} exclude each other; give one`);
    }
  }
  return { positional: parsed.positionals, values, lists, booleans };
}

function flagError(e: Error & { code?: string }, argv: readonly string[], table: OptionTable, known: string[]): string {
  const quoted = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  const name = quoted.replace(/^-+/, '').split('=')[0]!;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted.startsWith('--') ? `--${name}` : quoted}; known: ${known.map((k) => `--${k}`).join(', ')}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const def = table[name] ?? Object.values(table).find((d) => d.short === name);
      if (def?.type === 'boolean') return `option --${name} takes no value`;
      const i = argv.findIndex((a) => a === `--${name}`);
      const next = i >= 0 ? argv[i + 1] : undefined;
      return next !== undefined && next.startsWith('-')
        ? `option --${name} needs a value (got the flag '${next}'; write --${name}=${next} if that is the value)`
        : `option --${name} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument: ${e.message}`;
    default:
      return e.message;
  }
}

export function intFlag(args: ParsedArgs, name: string, fallback: number, min = 0): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) throw new UserError(`--${name} takes a whole number >= ${min}, got '${raw}'`);
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
  /** Synopsis line(s) and what the positional arguments mean; the option lines come from `options`. */
  usage: string;
  /** The command's flags, as data (--json and --help are added to every command). */
  options?: OptionTable;
  /** What each exit code means for this command (the meanings are common: docs/cli.md). */
  exit?: string;
  /** Returns the process exit code: 0 success, 1 a verdict failed, 2 bad input, 3 environment. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** `bantam CMD --help`: summary, synopsis, one line per option (from the table), exit codes. */
export function commandHelp(c: Command): string {
  const table = withCommon(c.options ?? {});
  const lines = [`bantam ${c.name} — ${c.summary}`, '', `usage: ${c.usage}`, '', 'options:'];
  const label = (n: string, d: OptionDef) => `${d.short ? `-${d.short}, ` : ''}--${n}${d.type === 'string' ? ` ${d.value ?? 'VALUE'}` : ''}`;
  lines.push(...tableLines(Object.entries(table).map(([n, d]) => [label(n, d), `${d.help}${d.default !== undefined ? ` (default ${d.default})` : ''}`]), { indent: '  ' }));
  lines.push('', `exit: ${c.exit ?? '0 success, 1 a verdict failed, 2 bad input, 3 environment'}`);
  return lines.join('\n');
}
