/**
 * The why-not search skips a stage's singletons, pairs or triples when all the stage's candidates
 * together do not derive the goal (src/ban/why.ts, `prune`). That is exact only because saturation
 * is monotone in its facts. Shown here two ways:
 *  - differential: for every underivable goal of every spec in spec/, of the synthetic chain, and of
 *    the corrected EMR spec with assumptions removed (so pairs and triples are needed), the pruned
 *    search gives the same blockers, missing premises, suggestions and note as trying every subset;
 *  - monotonicity: adding candidates to a trial never loses a fact it derived.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyseState } from '../src/ban/index.js';
import { principalsOf } from '../src/ban/check.js';
import { syntheticSpec } from '../src/ban/synthetic.js';
import { trialFacts } from '../src/ban/saturate.js';
import { sortsOfSpec } from '../src/ban/sorts.js';
import { alternatives, whyNot, type WhyNot } from '../src/ban/why.js';
import { termKey, type Term } from '../src/ban/terms.js';
import { loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/ast.js';

const specFiles = ['spec', 'spec/classic', 'spec/protocols'].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.ban') && f !== 'emr-flow.ban')
    .map((f) => join(d, f)),
);

const corrected = loadSpec('spec/emr-corrected.ban');
/** The corrected EMR spec without some assumptions: goals that need two or three extra ones. */
function without(labels: string[]): Spec {
  return { ...corrected, name: `${corrected.name} without ${labels.join(',')}`, assumptions: corrected.assumptions.filter((a) => !labels.includes(a.label)) };
}
const assumptionLabels = corrected.assumptions.map((a) => a.label);
const weakened = [0, 3, 7, 11].map((i) => without(assumptionLabels.slice(i, i + 3)));

const cases: [string, Spec][] = [
  ...specFiles.map((f): [string, Spec] => [f, loadSpec(f)]),
  ['synthetic n=4 without receiver freshness', syntheticSpec(4, { dropReceiverFreshness: true })],
  ...weakened.map((s): [string, Spec] => [s.name, s]),
];

const plain = (w: WhyNot) => ({ ...w, missing: w.missing.map((m) => ({ at: m.at, formula: termKey(m.formula) })), suggestions: w.suggestions.map((s) => s.map(termKey)) });

describe('pruned why-not search = exhaustive search', () => {
  let suggested = 0;
  let multi = 0;
  test.each(cases)('%s', (_name, spec) => {
    const { analysis, state } = analyseState(spec, { whyNot: false });
    const principals = principalsOf(spec);
    const ctx = { sorts: sortsOfSpec(spec) };
    for (const g of analysis.goals) {
      if (g.derived) continue;
      const pruned = whyNot(state, g.formula, g.label, principals, {}, ctx);
      const exhaustive = whyNot(state, g.formula, g.label, principals, { prune: false }, ctx);
      expect(plain(pruned)).toEqual(plain(exhaustive));
      if (pruned.suggestions.length) suggested++;
      if (pruned.suggestions.some((s) => s.length > 1)) multi++;
    }
  });
  test('the cases include goals with suggestions, some of two or more assumptions', () => {
    expect(suggested).toBeGreaterThan(5);
    expect(multi).toBeGreaterThan(0);
  });
});

describe('saturation is monotone in its facts', () => {
  test('a trial with more candidates derives everything a trial with fewer derives', () => {
    const { analysis, state } = analyseState(weakened[0]!, { whyNot: false });
    const principals = principalsOf(weakened[0]!);
    // Candidates: ground premises the backward search proposes for the underivable goals.
    const cands: Term[] = [];
    const seen = new Set<string>();
    for (const g of analysis.goals.filter((x) => !x.derived)) {
      for (const alt of alternatives(state, g.formula, principals)) {
        for (const p of alt.premises) {
          const k = termKey(p);
          if (!seen.has(k) && !k.includes('?') && !state.facts.has(k)) {
            seen.add(k);
            cands.push(p);
          }
        }
      }
    }
    expect(cands.length).toBeGreaterThan(3);
    const facts = (ts: Term[]) => trialFacts(state, ts.map((term, i) => ({ term, source: `c${i}` })));
    let checked = 0;
    for (let i = 0; i + 1 < cands.length && checked < 40; i++) {
      const small = facts([cands[i]!]);
      const big = facts(cands.slice(i, i + 4));
      for (const k of small) expect(big.has(k)).toBe(true);
      checked++;
    }
  });
});
