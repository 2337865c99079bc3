/**
 * Text tables for terminal output: plain, borderless, aligned columns (the way Verifpal prints its
 * results), so a report reads in one pass and greps line by line. Column widths come from the
 * widest cell, measured in terminal columns (cli-table3 uses string-width: `→`, `·`, `é` and
 * colour escapes count right), so a long cell widens its column and is never cut.
 *
 * The layout is cli-table3's (docs/cli.md "Tables" says why this library) with every border
 * character empty, no cell padding, and columns separated by `gap` spaces. Trailing blanks are
 * trimmed from each line. cli-table3 is loaded on the first table, so commands that print none
 * (`derive`, `--version`) do not pay for it at start-up.
 */
import { createRequire } from 'node:module';
import type CliTable3 from 'cli-table3';

export type Align = 'left' | 'right';

export interface TableOptions {
  /** Per column; missing columns are left-aligned. */
  align?: readonly Align[];
  /** Text before every line (e.g. two spaces to indent the table under a heading). */
  indent?: string;
  /** Spaces between columns (default 2). */
  gap?: number;
}

let TableClass: typeof CliTable3 | undefined;
const loadTable = (): typeof CliTable3 => (TableClass ??= createRequire(import.meta.url)('cli-table3') as typeof CliTable3);

const NO_BORDER = ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid'] as const;

/** The table's lines, one per row (rows are arrays of cells; a short row leaves its last columns empty). */
export function tableLines(rows: readonly (readonly string[])[], opts: TableOptions = {}): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((r) => r.length));
  if (columns === 0) return rows.map(() => (opts.indent ?? '').trimEnd());
  const chars: Partial<Record<CliTable3.CharName, string>> = { middle: ' '.repeat(opts.gap ?? 2) };
  for (const c of NO_BORDER) chars[c] = '';
  const Table = loadTable();
  const t = new Table({
    chars,
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
    colAligns: Array.from({ length: columns }, (_, i) => opts.align?.[i] ?? 'left'),
    wordWrap: false,
  });
  // cli-table3 reads a cell's newline as a second line of the row: a row is one line here.
  for (const r of rows) t.push(Array.from({ length: columns }, (_, i) => (r[i] ?? '').replace(/\r?\n/g, ' ')));
  // An empty table renders as ''; otherwise exactly one line per row (no border lines).
  const lines = t.toString().split('\n');
  return lines.map((l) => `${opts.indent ?? ''}${l}`.trimEnd());
}

/** The table as one string (lines joined with '\n'). */
export function formatTable(rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  return tableLines(rows, opts).join('\n');
}
