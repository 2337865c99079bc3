/**
 * One JSON shape for what every command prints under --json. The common fields come first and
 * mean the same everywhere (schemas/common.schema.json); the command's own fields follow
 * (schemas/CMD.schema.json):
 *
 *   command    the command that ran ("derive", "ledger verify", ...)
 *   bantam     the bantam version
 *   ok         the verdict behind the exit code: true ⇔ exit 0
 *   assurance  what kind of evidence the verdicts are (belief logic, bounded testing, ...)
 *   seed       the seed of all randomness (an integer), or null for a command that draws none
 *   suite      the crypto suite, or null for a command that uses no crypto
 *   runs       runs per property / experiment (costs: timed runs), or null
 *   verdicts   one entry per verdict, as the text prints one line per verdict: {name, verdict, ok}
 *
 * An error (exit 2, 3 or 70) is {command, bantam, ok: false, error: {code, exitCode, message,
 * diagnostics}} (schemas/error.schema.json).
 */
import type { Diagnostic } from '../spec/diagnostics.js';
import { packageVersion } from './package-files.js';

export interface Verdict {
  name: string;
  verdict: string;
  ok: boolean;
}

export interface CommonFields {
  command: string;
  ok: boolean;
  assurance: string;
  seed: number | null;
  suite: string | null;
  runs: number | null;
  verdicts: Verdict[];
}

/** Common fields first, then the command's own; the common ones cannot be overwritten by `body`. */
export function jsonOutput(common: CommonFields, body: object, replacer?: (key: string, value: unknown) => unknown): string {
  const head = { command: common.command, bantam: packageVersion(), ok: common.ok, assurance: common.assurance, seed: common.seed, suite: common.suite, runs: common.runs };
  const value = Object.assign({}, head, body, head, { verdicts: common.verdicts });
  return JSON.stringify(value, replacer as ((this: unknown, key: string, value: unknown) => unknown) | undefined, 2);
}

export type ErrorCode = 'bad-input' | 'environment' | 'internal';

export function errorJson(command: string, code: ErrorCode, exitCode: number, message: string, diagnostics: readonly Diagnostic[] = []): string {
  return JSON.stringify({ command, bantam: packageVersion(), ok: false, error: { code, exitCode, message, diagnostics } }, null, 2);
}
