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

/** Longest UserError message kept whole: one that quotes a megabyte of argv is clipped in the middle. */
export const MAX_USER_MESSAGE = 4000;

/** Thrown for bad user input of any kind (spec files, CLI flags, ledger files). Never a bug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly exitCode = 2,
    /** File texts by path, so the CLI can print the offending line under each diagnostic. */
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(message.length <= MAX_USER_MESSAGE ? message : `${message.slice(0, MAX_USER_MESSAGE / 2)} … (${message.length - MAX_USER_MESSAGE} characters clipped) … ${message.slice(-MAX_USER_MESSAGE / 2)}`);
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

/** Characters of the offending line shown around the column (a long line is clipped, never printed whole). */
export const LINE_WINDOW = 100;
/** Longest message printed; longer ones (quoting a huge token) are clipped in the middle. */
const MAX_MESSAGE = 400;

function clipMiddle(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max / 2)}…${s.slice(-max / 2)}`;
}

/** Start offsets of every line of a text, computed once (so n diagnostics cost O(text + n), not O(n·text)). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(text: string, starts: readonly number[], line: number): string | undefined {
  const from = starts[line - 1];
  if (from === undefined) return undefined;
  const next = starts[line];
  let to = next === undefined ? text.length : next - 1;
  if (to > from && text[to - 1] === '\r') to--;
  return text.slice(from, to);
}

/**
 * Renders one diagnostic the way compilers do:
 *
 *   spec/emr.ban:12:17: error: expected ')' to close '(' (parse.expected)
 *      12 |   A1: P |= #(T_PAT
 *         |                   ^
 *         = expected: ')'
 *
 * A line longer than LINE_WINDOW characters is shown as a window around the column, with `…`
 * marking what was cut, so the output stays small whatever the input.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string, starts?: readonly number[]): string {
  const head = `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.severity}: ${clipMiddle(d.message, MAX_MESSAGE)} (${d.code})`;
  const out = [head];
  const lineText = sourceText === undefined ? undefined : lineOf(sourceText, starts ?? lineStarts(sourceText), d.pos.line);
  if (lineText !== undefined) {
    const num = String(d.pos.line);
    const pad = ' '.repeat(num.length);
    const col0 = Math.max(0, d.pos.col - 1);
    let from = 0;
    let to = lineText.length;
    if (lineText.length > LINE_WINDOW) {
      from = Math.max(0, Math.min(col0 - LINE_WINDOW / 2, lineText.length - LINE_WINDOW));
      to = Math.min(lineText.length, from + LINE_WINDOW);
    }
    const before = from > 0 ? '…' : '';
    const shown = `${before}${lineText.slice(from, to)}${to < lineText.length ? '…' : ''}`;
    // Keep tabs so the caret lines up under tab-indented text.
    const lead = (before ? ' ' : '') + lineText.slice(from, Math.min(col0, to)).replace(/[^\t]/g, ' ');
    const caret = Math.max(1, Math.min(d.length ?? 1, to - Math.min(col0, to) || 1));
    out.push(` ${num} | ${shown}`);
    out.push(` ${pad} | ${lead}${'^'.repeat(caret)}`);
    if (d.expected) out.push(` ${pad} = expected: ${d.expected}`);
  } else if (d.expected) {
    out.push(`  expected: ${d.expected}`);
  }
  return out.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, string> = new Map()): string {
  const index = new Map<string, number[]>();
  return ds
    .map((d) => {
      const text = sources.get(d.pos.file);
      if (text === undefined) return formatDiagnostic(d);
      let starts = index.get(d.pos.file);
      if (!starts) index.set(d.pos.file, (starts = lineStarts(text)));
      return formatDiagnostic(d, text, starts);
    })
    .join('\n\n');
}
