/**
 * The defaults every command shares, and the one way each is read and validated: the same seed,
 * crypto suite and run count whatever the command, printed in every output (text and JSON).
 *
 *   seed   an integer (JSON: a number); all randomness of a run derives from it
 *   suite  a crypto suite name (src/crypto)
 *   runs   fast-check runs per property / experiment (costs: timed runs, its own default)
 */
import { DEFAULT_SUITE, SUITE_NAMES, isSuiteName, type SuiteName } from '../crypto/index.js';
import { UserError } from '../spec/diagnostics.js';
import type { OptionDef, ParsedArgs } from './args.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_CLI_SUITE: SuiteName = DEFAULT_SUITE;
export const DEFAULT_RUNS = 30;

export const SEED_OPTION = { type: 'string', value: 'N', help: 'seed of all randomness (an integer; the same seed replays the same output)', default: String(DEFAULT_SEED) } as const satisfies OptionDef;
export const SUITE_OPTION = { type: 'string', value: 'NAME', help: `crypto suite: ${SUITE_NAMES.join(', ')}`, default: DEFAULT_CLI_SUITE } as const satisfies OptionDef;
export const RUNS_OPTION = { type: 'string', value: 'N', help: 'fast-check runs per property / experiment', default: String(DEFAULT_RUNS) } as const satisfies OptionDef;

/** --seed N: a 32-bit integer (fast-check's seed type; negative allowed: --seed=-3). */
export function seedOf(args: ParsedArgs): number {
  const raw = args.values.get('seed');
  if (raw === undefined) return DEFAULT_SEED;
  if (!/^-?\d{1,10}$/.test(raw) || Number(raw) < -(2 ** 31) || Number(raw) >= 2 ** 31) throw new UserError(`--seed takes an integer in -2147483648..2147483647, got '${raw}'`);
  return Number(raw);
}

export function suiteOf(args: ParsedArgs): SuiteName {
  const raw = args.values.get('suite') ?? DEFAULT_CLI_SUITE;
  if (!isSuiteName(raw)) throw new UserError(`unknown crypto suite '${raw}'; known suites: ${SUITE_NAMES.join(', ')}`);
  return raw;
}

export function runsOf(args: ParsedArgs, fallback = DEFAULT_RUNS, max = 1_000_000): number {
  const raw = args.values.get('runs');
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UserError(`--runs takes a whole number in 1..${max}, got '${raw}'`);
  return Number(raw);
}
