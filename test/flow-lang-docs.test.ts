/**
 * docs/flow.md stays true: its primitive table is the one generated from the table of data, and
 * its station-to-station example is the flow of spec/protocols/sts.ban, which checks and runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { primitiveTableMarkdown } from '../src/flow-lang/doc-table.js';
import { checkSpecFlow, PRIMITIVES } from '../src/flow-lang/index.js';
import { runFlow } from '../src/interpret/run.js';
import { parseSpec } from '../src/spec/parse.js';

const DOC = readFileSync('docs/flow.md', 'utf8');

describe('docs/flow.md', () => {
  test('the primitive table is generated from src/flow-lang/primitives.ts', () => {
    const m = /<!-- primitives:begin -->\n([\s\S]*?)\n<!-- primitives:end -->/.exec(DOC);
    expect(m?.[1]).toBe(primitiveTableMarkdown());
    for (const p of PRIMITIVES) expect(m?.[1]).toContain(`| \`${p.name}\` |`);
  });

  test('the STS example is the library spec\'s flow, and it checks and runs', () => {
    const m = /<!-- example:sts -->\n```\n([\s\S]*?)```/.exec(DOC);
    const example = m?.[1] ?? '';
    const spec = readFileSync('spec/protocols/sts.ban', 'utf8');
    expect(spec.slice(spec.indexOf('\nflow\n') + 1)).toBe(example);
    const r = checkSpecFlow(parseSpec('doc.ban', `protocol Doc\n${example}`));
    expect(r.ok).toBe(true);
    if (r.ok) expect(runFlow(r.protocol, { seed: 'docs' }).ok).toBe(true);
  });
});
