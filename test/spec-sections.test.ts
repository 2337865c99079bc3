import { describe, expect, test } from 'vitest';
import { splitSections, stripComment } from '../src/spec/sections.js';
import { formatDiagnostic } from '../src/spec/diagnostics.js';
import { parseSpec } from '../src/spec/parse.js';

describe('section splitter', () => {
  test('splits on column-1 keywords and keeps exact line numbers', () => {
    const src = ['protocol Demo', '', 'principals A, B', 'goals', '  G1: A |= #(N)   # why: test', 'G2: B |= #(N)'].join('\n');
    const { sections, diagnostics } = splitSections('t.ban', src);
    expect(diagnostics).toEqual([]);
    expect(sections.map((s) => s.name)).toEqual(['protocol', 'principals', 'goals']);
    expect(sections[0]!.args).toBe('Demo');
    expect(sections[1]!.argsCol).toBe(12);
    const goals = sections[2]!;
    expect(goals.lines.map((l) => l.line)).toEqual([5, 6]);
    expect(goals.lines[0]!.comment).toBe('why: test');
    expect(goals.lines[0]!.text).toBe('  G1: A |= #(N)');
  });

  test('the freshness operator #( is not a comment', () => {
    expect(stripComment('A |= #(N) # c')).toEqual({ text: 'A |= #(N)', comment: 'c', commentCol: 11 });
  });

  test('text before any section is an error with its position', () => {
    const { diagnostics } = splitSections('t.ban', '  stray\nprotocol X');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.pos).toEqual({ file: 't.ban', line: 1, col: 3 });
  });
});

describe('diagnostic formatting', () => {
  test('prints file:line:col, the line and a caret under the column', () => {
    const text = formatDiagnostic(
      { severity: 'error', code: 'parse.expected', message: "expected ')'", pos: { file: 'x.ban', line: 2, col: 5 }, expected: "')'" },
      'line one\nabc def\n',
    );
    expect(text.split('\n')).toEqual([
      "x.ban:2:5: error: expected ')' (parse.expected)",
      ' 2 | abc def',
      '   |     ^',
      "   = expected: ')'",
    ]);
  });
});

describe('comment notes attach to the right item', () => {
  const spec = parseSpec(
    'n.ban',
    [
      'protocol N',
      'principals A',
      'atoms',
      '  nonce N1, N2',
      'goals',
      '  G1: A |= #(N1)   # expect: derived',
      '      # why: continuation comment, indented past the label',
      '  # a free-standing section comment',
      '  G2: A |= #(N2)',
    ].join('\n'),
  );
  test("an item's own-line comment and an indented continuation comment belong to it", () => {
    expect(spec.goals[0]!.notes.other).toEqual(['expect: derived']);
    expect(spec.goals[0]!.notes.why).toBe('continuation comment, indented past the label');
  });
  test('a comment-only line at the label column is free-standing: no item gets it', () => {
    expect(JSON.stringify(spec.goals.map((g) => g.notes))).not.toMatch(/free-standing/);
  });
});
