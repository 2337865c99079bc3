/**
 * Bounds on the work one spec may cause (docs/notation.md, "Limits"). Every input, however
 * hostile, is either parsed within these bounds or refused with a `file:line:col` error whose
 * code starts with `limit.` (exit 2). Real specs stay far below every default; a user with a
 * genuinely larger spec raises a bound with `--limits name=value,...` (or the `limits` option of
 * loadSpec / parseSpec).
 */
import { UserError } from './diagnostics.js';

export interface SpecLimits {
  /** Size of one spec file, and of every included file, in bytes (`bytes`). */
  maxSpecBytes: number;
  /** Characters on one source line (`line`). */
  maxLineLength: number;
  /** Characters in one name, variable or label (`name`). */
  maxNameLength: number;
  /**
   * Nesting depth of a term (`depth`): each bracket, operator and each link of a chain (`K^-1^-1`,
   * `<N>_<N>_…`, `{N}_K from {N}_K from …`, `P |= Q |= …`) counts one level.
   */
  maxDepth: number;
  /** Files reached through `include` (`includes`). */
  maxIncludes: number;
  /** Errors reported for one spec; the rest are counted, not printed (`errors`). */
  maxErrors: number;
}

export const DEFAULT_LIMITS: Readonly<SpecLimits> = Object.freeze({
  maxSpecBytes: 262_144,
  maxLineLength: 10_000,
  maxNameLength: 256,
  maxDepth: 200,
  maxIncludes: 64,
  maxErrors: 100,
});

/** The short names the `--limits` flag takes. */
const FLAG_NAMES: Record<string, keyof SpecLimits> = {
  bytes: 'maxSpecBytes',
  line: 'maxLineLength',
  name: 'maxNameLength',
  depth: 'maxDepth',
  includes: 'maxIncludes',
  errors: 'maxErrors',
};

/**
 * Hard ceilings even a raised limit cannot pass: at depth 500 the parser's recursion stays well
 * inside Node's default stack, and files above 256 MiB are refused outright.
 */
const CEILING: SpecLimits = {
  maxSpecBytes: 256 * 1_048_576,
  maxLineLength: 16_777_216,
  maxNameLength: 65_536,
  maxDepth: 500,
  maxIncludes: 10_000,
  maxErrors: 100_000,
};

export function resolveLimits(partial: Partial<SpecLimits> | undefined): SpecLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}

/**
 * `--limits bytes=4M,depth=400`: values are whole numbers, optionally with K or M (×1024).
 * Unknown names, bad numbers and values above the ceilings are a UserError (exit 2).
 */
export function parseLimitsFlag(raw: string | undefined): Partial<SpecLimits> {
  if (raw === undefined) return {};
  const out: Partial<SpecLimits> = {};
  for (const part of raw.split(',')) {
    const m = /^([a-z]+)=(\d{1,12})([kKmM]?)$/.exec(part.trim());
    const key = m ? FLAG_NAMES[m[1]!] : undefined;
    if (!m || !key) {
      throw new UserError(`--limits takes NAME=N[,NAME=N…] with NAME one of ${Object.keys(FLAG_NAMES).join(', ')}, got '${part.slice(0, 60)}'`);
    }
    const mult = m[3] === '' ? 1 : /[kK]/.test(m[3]!) ? 1024 : 1_048_576;
    const n = Number(m[2]) * mult;
    if (n < 1 || n > CEILING[key]) throw new UserError(`--limits ${m[1]}=${m[2]}${m[3]}: must be between 1 and ${CEILING[key]}`);
    out[key] = n;
  }
  return out;
}

/** Nesting depth of a term tree, computed without recursion (the tree may come from anywhere). */
export function termDepth(root: object): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [t, d] = stack.pop()!;
    if (typeof t !== 'object' || t === null) continue;
    if (d > max) max = d;
    for (const [k, v] of Object.entries(t)) {
      if (k === 'kind' || k === 'name' || k === 'fn') continue;
      if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
      else if (typeof v === 'object' && v !== null) stack.push([v, d + 1]);
    }
  }
  return max;
}
