/**
 * The text-table renderer (src/report/table.ts, cli-table3 with no borders): aligned plain
 * columns, widths from the widest cell in terminal columns, nothing cut, and colour (added after
 * layout, and only where colour is allowed) never moving a column.
 */
import { describe, expect, test } from 'vitest';
import { formatTable, tableLines } from '../src/report/table.js';
import { colourEnabled, colourVerdicts } from '../src/cli/terminal.js';
import { propsText } from '../src/cli/commands/props.js';

const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');

describe('tableLines', () => {
  test('borderless columns, two spaces apart, each as wide as its widest cell; no trailing blanks', () => {
    expect(tableLines([['a', 'bb', 'c'], ['dddd', 'e', 'f']])).toEqual(['a     bb  c', 'dddd  e   f']);
  });

  test('right alignment, indent and gap', () => {
    expect(tableLines([['x', '1'], ['yy', '100']], { align: ['left', 'right'], indent: '  ', gap: 1 })).toEqual(['  x    1', '  yy 100']);
  });

  test('a long cell widens its column and is never cut or wrapped', () => {
    const long = 'confidentiality of a very long secret name that goes on and on past any terminal width'.repeat(3);
    const lines = tableLines([['holds', long, 'tail'], ['REFUTED', 'short', 'x']]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`holds    ${long}  tail`);
    expect(lines[1]!.indexOf('x')).toBe(lines[0]!.indexOf('tail'));
  });

  test('widths are terminal columns: arrows, middle dots and accents count one column', () => {
    const lines = tableLines([['A → B', '1'], ['K·G', '2'], ['é', '3']]);
    expect(lines).toEqual(['A → B  1', 'K·G    2', 'é      3']);
  });

  test('short rows leave their last cells empty; a newline inside a cell stays on one line', () => {
    expect(tableLines([['a', 'b', 'c'], ['d']])).toEqual(['a  b  c', 'd']);
    expect(tableLines([['a\nb', 'c']])).toEqual(['a b  c']);
    expect(tableLines([])).toEqual([]);
    expect(formatTable([['a', 'b'], ['cc', 'd']])).toBe('a   b\ncc  d');
  });

  test('colour after layout keeps every column in place; NO_COLOR leaves the text plain', () => {
    const lines = tableLines([['holds', 'mutual-authentication', '§2.2.1'], ['REFUTED', 'user-untraceability', '§2.2.3 — attack trace 1']]);
    const coloured = colourVerdicts(lines.join('\n'));
    expect(coloured).toMatch(/\x1b\[31mREFUTED\x1b\[39m/);
    expect(coloured).toMatch(/\x1b\[32mholds\x1b\[39m/);
    expect(strip(coloured)).toBe(lines.join('\n'));
    // the CLI colours only when allowed: never with NO_COLOR, even on a terminal
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(lines.join('\n')).not.toMatch(/\x1b\[/);
  });

  test("a command's table (props): header and rows aligned, counts right-aligned", () => {
    const text = propsText({
      assurance: 'bounded testing',
      suite: 'secp256k1',
      backend: 'noble',
      seed: 1,
      runsPerExperiment: 10,
      workers: 1,
      results: [
        { name: 'compromise', ok: true, runs: 10, coverage: { acceptances: 12, attackerSessions: 0, reveals: 16 }, properties: ['secrecy', 'agreement'] },
        { name: 'mutant:reused-ephemeral', ok: false, runs: 3, coverage: { acceptances: 2, attackerSessions: 0, reveals: 8 }, properties: [], failure: { property: 'secrecy', detail: 'the attacker computes the key', trace: [], replay: 'bantam props …' } },
      ],
    } as unknown as Parameters<typeof propsText>[0]);
    const rows = text.split('\n').filter((l) => /^(experiment|compromise|mutant:reused-ephemeral) /.test(l));
    expect(rows).toEqual([
      'experiment               verdict  runs  accepted  attacker  reveals  property',
      'compromise               holds      10        12         0       16  secrecy, agreement',
      'mutant:reused-ephemeral  REFUTED     3         2         0        8  secrecy: the attacker computes the key',
    ]);
  });
});
