/**
 * Spec → spec text, the inverse of src/spec/parse.ts for the belief-logic sections: `protocol`,
 * `options`, `principals`, `atoms`, `messages`, `assumptions`, `goals` and `proof`, with item
 * notes as `# typo:` / `# why:` / `# source:` comments. Every spec the parser accepts prints to a
 * text that parses back to the same spec (specShape equal; property test in
 * test/spec-roundtrip.test.ts). The `flow` section is printed last by src/spec/print-flow.ts
 * (a line of it left with an open parenthesis joins every line after it, so nothing may follow).
 *
 * Long items wrap over indented continuation lines at spaces (every space of the printed form is
 * a token separator), so no printed line exceeds the line-length limit however large the term.
 */
import { showTerm } from '../ban/print.js';
import { termKey } from '../ban/terms.js';
import type { Declaration, ItemNotes, Spec } from './ast.js';
import { flowShape, printFlowLines } from './print-flow.js';

/** Printed lines are wrapped to about this width (a single long token may exceed it). */
const WRAP = 160;

function wrapItem(label: string, text: string): string[] {
  const first = `  ${label}: `;
  const cont = '      ';
  const out: string[] = [];
  let line = first;
  let lineHasText = false;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (lineHasText && line.length + 1 + word.length > WRAP) {
      out.push(line);
      line = cont + word;
    } else {
      line += lineHasText ? ` ${word}` : word;
    }
    lineHasText = true;
  }
  out.push(line);
  return out;
}

function noteLines(n: ItemNotes): string[] {
  const out: string[] = [];
  for (const key of ['typo', 'why', 'source'] as const) if (n[key] !== undefined) out.push(`      # ${key}: ${n[key]}`);
  for (const o of n.other ?? []) out.push(`      # ${o}`);
  return out;
}

function declarationLines(decls: readonly Declaration[]): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < decls.length) {
    if (decls[k]!.sort === 'principal') {
      const names: string[] = [];
      while (k < decls.length && decls[k]!.sort === 'principal') names.push(decls[k++]!.name);
      out.push('principals');
      for (let i = 0; i < names.length; i += 8) out.push(`  ${names.slice(i, i + 8).join(', ')}${i + 8 < names.length ? ',' : ''}`);
      continue;
    }
    out.push('atoms');
    while (k < decls.length && decls[k]!.sort !== 'principal') {
      const sort = decls[k]!.sort;
      const names: string[] = [];
      while (k < decls.length && decls[k]!.sort === sort) names.push(decls[k++]!.name);
      // A sort line, then continuation lines ending in ',' (a line after a trailing comma continues the group).
      for (let i = 0; i < names.length; i += 8) {
        const chunk = names.slice(i, i + 8).join(', ') + (i + 8 < names.length ? ',' : '');
        out.push(i === 0 ? `  ${sort} ${chunk}` : `    ${chunk}`);
      }
    }
  }
  return out;
}

export function printSpec(spec: Spec): string {
  const out: string[] = [`protocol ${spec.name}`];
  if (spec.options.keyAgreement) out.push('options key-agreement');
  out.push(...declarationLines(spec.declarations));
  if (spec.messages.length) {
    out.push('messages');
    for (const m of spec.messages) {
      const concrete = m.concrete.length ? ` [concrete: ${m.concrete.join(', ')}]` : '';
      out.push(...wrapItem(m.label, `${m.from} -> ${m.to} : ${showTerm(m.body)}${concrete}`), ...noteLines(m.notes));
    }
  }
  if (spec.assumptions.length) {
    out.push('assumptions');
    for (const a of spec.assumptions) out.push(...wrapItem(a.label, showTerm(a.formula)), ...noteLines(a.notes));
  }
  if (spec.goals.length) {
    out.push('goals');
    for (const g of spec.goals) out.push(...wrapItem(g.label, showTerm(g.formula)), ...noteLines(g.notes));
  }
  if (spec.proof.length) {
    out.push('proof');
    for (const p of spec.proof) {
      const from = p.premises.length ? ` from ${p.premises.join(', ')}` : '';
      out.push(...wrapItem(p.label, `${showTerm(p.formula)} by ${p.rule}${from}`), ...noteLines(p.notes));
    }
  }
  if (spec.flow) out.push(...printFlowLines(spec.flow));
  return `${out.join('\n')}\n`;
}

/**
 * What "the same spec" means for the round trip: everything but source positions, warnings,
 * and the source texts; the flow compared by flowShape (src/spec/print-flow.ts).
 */
export function specShape(spec: Spec): unknown {
  return {
    name: spec.name,
    options: spec.options,
    declarations: spec.declarations.map((d) => [d.name, d.sort]),
    messages: spec.messages.map((m) => [m.label, m.from, m.to, termKey(m.body), m.concrete, m.notes]),
    assumptions: spec.assumptions.map((a) => [a.label, termKey(a.formula), a.vars, a.notes]),
    goals: spec.goals.map((g) => [g.label, termKey(g.formula), g.notes]),
    proof: spec.proof.map((p) => [p.label, termKey(p.formula), p.rule, p.premises, p.notes]),
    flow: spec.flow ? flowShape(spec.flow) : null,
  };
}
