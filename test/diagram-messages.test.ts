/** Idealised-message diagrams of specs without a flow (src/diagrams/from-messages.ts) and label wrapping. */
import { describe, expect, test } from 'vitest';
import { diagramForMessages, IDEAL_LINE, IDEAL_MAX_LINES } from '../src/diagrams/from-messages.js';
import { diagramsForSpec } from '../src/diagrams/from-flow.js';
import { wrapLines } from '../src/diagrams/mermaid.js';
import { loadSpec } from '../src/spec/load.js';

describe('wrapLines', () => {
  test('short text is one line; long text breaks after ", " or a space, each line within the width', () => {
    expect(wrapLines('M1: A -> B', 20)).toEqual(['M1: A -> B']);
    const lines = wrapLines('{Ts, A ↔Kab B, {Ts, A ↔Kab B}_Kbs from S}_Kas from S', 20);
    expect(lines.join(' ')).toBe('{Ts, A ↔Kab B, {Ts, A ↔Kab B}_Kbs from S}_Kas from S');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toBe('{Ts, A ↔Kab B, {Ts,');
  });
  test('a word longer than the width is cut mid-word; with maxLines the rest is abbreviated with …', () => {
    expect(wrapLines('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    const cut = wrapLines('a, '.repeat(40), 12, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]!.endsWith('…')).toBe(true);
    expect(cut[1]!.length).toBeLessThanOrEqual(12);
  });
});

describe('idealised messages of a spec without a flow', () => {
  test.each(['spec/classic/kerberos.ban', 'spec/classic/x509.ban', 'spec/classic/wide-mouthed-frog.ban'])('%s: one arrow per message, goals in one note', (file) => {
    const spec = loadSpec(file);
    const [d, ...rest] = diagramsForSpec(spec);
    expect(rest).toEqual([]);
    expect(d!.name).toBe('messages');
    const arrows = d!.mermaid.split('\n').filter((l) => /^\s+\w+->>\w+: /.test(l));
    expect(arrows).toHaveLength(spec.messages.length);
    spec.messages.forEach((m, i) => expect(arrows[i]).toContain(`: ${m.label}: `));
    for (const g of spec.goals) expect(d!.mermaid).toContain(`${g.label}: `);
  });

  test('a long formula is wrapped and abbreviated (labels bounded), the spec keeps the full text', () => {
    const spec = loadSpec('spec/classic/x509.ban');
    const d = diagramForMessages(spec);
    for (const line of d.mermaid.split('\n').filter((l) => l.includes('->>'))) {
      const label = line.slice(line.indexOf(': ') + 2);
      const parts = label.split('<br/>');
      expect(parts.length).toBeLessThanOrEqual(IDEAL_MAX_LINES);
      // entity codes (#59; etc.) are a few characters longer than what they draw
      for (const p of parts) expect(p.replace(/#\w+;/g, 'x').length).toBeLessThanOrEqual(IDEAL_LINE);
    }
    expect(d.mermaid).toContain('<br/>'); // x509's messages are long enough to wrap
  });
});
