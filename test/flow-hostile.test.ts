/**
 * Regression tests for what the `flow` fuzz campaign (fuzz/targets/flow.ts, docs/fuzzing.md)
 * found, each with its minimal reproducer:
 * - parentheses nested thousands deep in an action (5,000 levels over continuation lines) overflowed
 *   the stack in the expression parser (`RangeError: Maximum call stack size exceeded` out of
 *   checkFlow); an operator chain thousands long made an as deep tree for the recursive checker;
 * - a ledger call signing with a zero scalar (`BC calls hains(ID_HPA, R_HPA, (s - s))`, campaign
 *   `flow-long`, index 6087) threw `RangeError: ristretto255.sign: secret must be in [1, q-1]` out
 *   of runFlow instead of failing the session.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkSpecFlow, MAX_NESTING } from '../src/flow-lang/index.js';
import { ENVIRONMENTS, environmentSignatures, runFlow } from '../src/interpret/index.js';
import { formatDiagnostics } from '../src/spec/diagnostics.js';
import { parseSpec } from '../src/spec/parse.js';

const SIGNATURES = environmentSignatures(ENVIRONMENTS);
const NSL = readFileSync('spec/protocols/nsl.ban', 'utf8');

/** nsl.ban with `pkA = skA·G` replaced, long expressions wrapped over continuation lines at spaces. */
function nslWith(expr: string) {
  const wrapped = expr.replace(/(.{200}) /g, '$1\n        ');
  const spec = parseSpec('nsl.ban', NSL.replace('pkA = skA·G', `pkA = ${wrapped}`));
  return { spec, r: checkSpecFlow(spec, { environments: SIGNATURES }) };
}

describe('flow expressions: nesting is bounded (no stack overflow)', () => {
  test.each([
    ['5,000 nested parentheses', `${'( '.repeat(5000)}skA${' )'.repeat(5000)} · G`],
    ['50,000 nested calls', `${'H( '.repeat(20000)}skA${' )'.repeat(20000)} · G`],
    ['a 20,000-operator chain', `(skA${' - skA'.repeat(20000)}) · G`],
    ['chains nested in parentheses, 100 levels of 150 operators', `${'( '.repeat(100)}skA${' - skA'.repeat(150)}${' )'.repeat(100)} · G`.replace(/\)/g, `${' - skA'.repeat(150)} )`)],
  ])('%s: a positioned flow.expr-syntax error, not a crash', (_, expr) => {
    const { spec, r } = nslWith(expr);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('flow.expr-syntax');
    expect(r.diagnostics[0]?.message).toMatch(new RegExp(`deeper than ${MAX_NESTING}`));
    expect(formatDiagnostics(r.diagnostics, new Map(Object.entries(spec.sources ?? {})))).toMatch(/nsl\.ban:\d+:\d+/);
  });

  test('within the bound: 150 nested parentheses and a 150-operator chain still check and run', () => {
    // (an outer pair of parentheses keeps the wrapped lines one logical line)
    const deep = nslWith(`(${'( '.repeat(150)}skA${' )'.repeat(150)} · G)`);
    expect(deep.r.ok).toBe(true);
    if (deep.r.ok) expect(runFlow(deep.r.protocol, { suite: 'ristretto255', seed: 1 }).ok).toBe(true);
    const chain = nslWith(`((skA${' + skA - skA'.repeat(75)}) · G)`); // = skA·G
    expect(chain.r.ok).toBe(true);
    if (chain.r.ok) expect(runFlow(chain.r.protocol, { suite: 'ristretto255', seed: 1 }).ok).toBe(true);
  });
});

describe('environment calls: a refused input fails the session, never throws', () => {
  test('the ledger signing with a zero scalar (hains(ID_HPA, R_HPA, (s - s))): a verdict naming the call', () => {
    const text = readFileSync('spec/emr-flow.ban', 'utf8').replace('BC calls    hains(ID_HPA, R_HPA, s)', 'BC calls    hains(ID_HPA, R_HPA, (s - s))');
    expect(text).toContain('(s - s)');
    const r = checkSpecFlow(parseSpec('emr-flow.ban', text), { environments: SIGNATURES });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const run = runFlow(r.protocol, { suite: 'ristretto255', seed: 692930 });
    expect(run.ok).toBe(false);
    expect(run.failures.join('\n')).toMatch(/hains: .*secret/);
  });
});
