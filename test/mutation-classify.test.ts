/**
 * scripts/mutation-classify.ts on a small synthetic Stryker report: a kill by a property whose message
 * names the check, one that names only the handler's step, one that names nothing, a unit-only kill, a
 * survivor and a listed equivalent.
 */
import { describe, expect, it } from 'vitest';
import { classify, failureText, summarise, type Report, type ReportMutant } from '../scripts/mutation-classify.js';

const SOURCE = [
  "const onInitial2 = (env, f, s) => {", // 1
  "  requireCheck(env, 'ID_HPA is the hospital addressed', f.ID_HPA === s.peer, 'id-mismatch', 'x');", // 2
  "  requireContract(env, 'hachk', h.exists && ok, 'detail');", // 3
  "  return { accepted: [{ party: 'P' }] };", // 4
  "};", // 5
  "const ROUTES = { 'initial.2': { opens: false, handler: onInitial2 } };", // 6
  "const PRODUCES = { 'initial.2': 'initial.3' };", // 7
].join('\n');

const at = (id: string, line: number, column: number, endColumn: number, status: string, killedBy: string[] = [], statusReason?: string): ReportMutant => ({
  id, mutatorName: 'ConditionalExpression', replacement: 'true', location: { start: { line, column }, end: { line, column: endColumn } }, status, killedBy,
  ...(statusReason ? { statusReason } : {}),
});

const report: Report = {
  files: {
    'src/model/protocol.ts': {
      source: SOURCE,
      mutants: [
        at('1', 3, 35, 52, 'Killed', ['p1'], 'the patient accepted an R not on the ledger (hachk)'),
        at('2', 4, 22, 36, 'Killed', ['p2'], 'acceptance with no partner (on initial.3 to HPA)'),
        at('3', 2, 53, 71, 'Killed', ['p2'], 'something unrelated'),
        at('4', 2, 53, 71, 'Killed', ['u1'], 'id-mismatch'),
        at('5', 3, 35, 52, 'Survived'),
        at('6', 3, 35, 52, 'Ignored'),
      ],
    },
  },
  testFiles: {
    'properties/a.test.ts': { tests: [{ id: 'p1', name: 'master key compromised' }, { id: 'p2', name: 'honest acceptances match' }] },
    'test/model-unit.test.ts': { tests: [{ id: 'u1', name: 'rejects a wrong ID_HPA' }] },
  },
};

describe('mutation-classify', () => {
  it('classifies by killer kind and by whether a killing property names the check, the handler or step, or nothing', () => {
    const cs = classify([report], []);
    expect(Object.fromEntries(cs.map((c) => [c.mutant.id, c.verdict]))).toEqual({
      '1': 'property-names-check',
      '2': 'property-names-handler',
      '3': 'property-unnamed',
      '4': 'unit-only',
      '5': 'survived',
    });
    const tags = cs.find((c) => c.mutant.id === '1')!.tags;
    expect([...tags.check]).toEqual(['hachk']);
    expect([...tags.step].sort()).toEqual(['initial.2', 'initial.3']);
    const total = summarise(cs).at(-1)!;
    expect([total.nonEquivalent, total.byProperty, total.unitOnly, total.namesCheck, total.namesHandler, total.score]).toEqual([5, 3, 1, 1, 1, 2 / 5]);
  });

  it('a listed equivalent leaves the denominator', () => {
    const cs = classify([report], [{ file: 'src/model/protocol.ts', line: 3, column: 35, mutator: 'ConditionalExpression', replacement: 'true', reason: 'test' }]);
    const total = summarise(cs).at(-1)!;
    expect(total.equivalent).toBe(2); // mutants 1 and 5; 6 is ignored by configuration and not counted at all
    expect(total.nonEquivalent).toBe(3);
  });

  it('a mutant measured again in a later report counts once, as the later report measured it; within one report nothing is merged', () => {
    const rerun: Report = { files: { 'src/model/protocol.ts': { source: SOURCE, mutants: [at('9', 2, 53, 71, 'Killed', ['p1'], "expected an abort by 'ID_HPA is the hospital addressed'")] } }, testFiles: report.testFiles! };
    const cs = classify([report, rerun], []);
    // mutants 3 and 4 share that location in the first report: both are replaced by the re-run's one
    expect(cs.map((c) => c.mutant.id).sort()).toEqual(['1', '2', '5', '9']);
    expect(cs.find((c) => c.mutant.id === '9')!.verdict).toBe('property-names-check');
    expect(classify([rerun, report], []).map((c) => c.mutant.id).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('stack frames and the generated counterexample never name a weakness', () => {
    const reason = 'Property failed after 1 tests\nCounterexample: [{"symptoms":"hachk (25)"}]\nGot TypeError: x\n    at onInitial2 (src/model/protocol.ts:240:3)';
    expect(failureText(reason)).toBe('Property failed after 1 tests\nGot TypeError: x');
  });
});
