/**
 * docs/flow.md's primitive table, generated from the one table of data (./primitives.ts), so the
 * documentation cannot drift from what the checker and the interpreter use
 * (test/flow-lang-docs.test.ts compares the two).
 */
import { PRIMITIVES, signature } from './primitives.js';

export function primitiveTableMarkdown(): string {
  const rows = PRIMITIVES.map((p) => {
    const written =
      p.syntax.kind === 'operator' ? `\`${p.syntax.op === '·' ? 'a·b' : `a ${p.syntax.op} b`}\`` : p.syntax.kind === 'form' ? `\`${p.syntax.form}\`` : `\`${p.name}(…)\``;
    const cost = p.cost.length ? p.cost.join(' + ') : '—';
    return `| \`${p.name}\` | ${written} | \`${signature(p).replace(/\|/g, '\\|')}\` | ${cost} | ${p.symbolic.role} | ${p.doc.replace(/\|/g, '\\|')} |`;
  });
  return ['| primitive | written | sorts | cost units | symbolic | meaning |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
