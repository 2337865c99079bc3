/**
 * User-facing errors about input files: `file:line:col`, the offending line, a caret under the
 * column, and what was expected. Every parser in bantam reports through this module; the CLI
 * prints these and never a stack trace.
 */

export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine code, e.g. 'parse.expected', 'name.undeclared', 'type.bare-term-jurisdiction'. */
  code: string;
  message: string;
  pos: SourcePos;
  /** What the parser expected at pos, when that is the point of the error. */
  expected?: string;
  /** Caret length (defaults to 1). */
  length?: number;
}

/** Thrown for bad user input of any kind (spec files, CLI flags, ledger files). Never a bug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly exitCode = 2,
    /** File texts by path, so the CLI can print the offending line under each diagnostic. */
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function diag(
  severity: Severity,
  code: string,
  message: string,
  pos: SourcePos,
  extra: { expected?: string; length?: number } = {},
): Diagnostic {
  return { severity, code, message, pos, ...extra };
}

/**
 * Renders one diagnostic the way compilers do:
 *
 *   spec/emr.ban:12:17: error: expected ')' to close '(' (parse.expected)
 *      12 |   A1: P |= #(T_PAT
 *         |                   ^
 *         = expected: ')'
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.severity}: ${d.message} (${d.code})`;
  const out = [head];
  const lineText = sourceText?.split(/\r?\n/)[d.pos.line - 1];
  if (lineText !== undefined) {
    const num = String(d.pos.line);
    const pad = ' '.repeat(num.length);
    // Keep tabs so the caret lines up under tab-indented text.
    const lead = lineText.slice(0, Math.max(0, d.pos.col - 1)).replace(/[^\t]/g, ' ');
    out.push(` ${num} | ${lineText}`);
    out.push(` ${pad} | ${lead}${'^'.repeat(Math.max(1, d.length ?? 1))}`);
    if (d.expected) out.push(` ${pad} = expected: ${d.expected}`);
  } else if (d.expected) {
    out.push(`  expected: ${d.expected}`);
  }
  return out.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, string> = new Map()): string {
  return ds.map((d) => formatDiagnostic(d, sources.get(d.pos.file))).join('\n\n');
}
