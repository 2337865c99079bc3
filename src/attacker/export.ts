/**
 * An attack as a standalone vitest file (issue 14 "attacks as tests"): the recorded scenario of a
 * confirmed attack, replayed on real crypto through bantam's public API, asserting that the query
 * is violated. The file passes while the protocol is vulnerable and FAILS once it is fixed (the
 * same scenario then no longer violates the query, or can no longer be played), so it can be kept
 * in a user's own suite as a regression test. `BANTAM_SPEC=path` runs it against another spec
 * (e.g. the fixed protocol) without editing it.
 */
import type { Verdict } from './search.js';

export interface ExportOptions {
  /** The spec as the exported file should load it (a path relative to the working directory of the test run). */
  spec: string;
  suite: string;
  seed: string;
  /** Module the test imports bantam from (default `bantam`; the project's own suite uses its source). */
  importFrom: string;
  /** 1-based number of the attack in the report, or its label (`L1`: an attack on the paper-literal variant). */
  index: number | string;
  /** The additions removed to make the variant the attack was found on (./variants.ts); none: the spec as written. */
  removed?: readonly string[];
}

export function attackTestFile(v: Verdict, o: ExportOptions): string {
  if (v.status !== 'refuted' || !v.attack) throw new Error(`query '${v.query.text}' has no confirmed attack to export`);
  const scenario = JSON.stringify(v.attack.scenario, null, 2);
  const story = v.attack.story.flat().map((l) => ` * ${l.replace(/\*\//g, '* /')}`).join('\n');
  return `/**
 * Attack ${o.index} found by bantam's generic Dolev–Yao attacker (bantam claims ${o.spec} --seed ${o.seed} --suite ${o.suite})${o.removed?.length ? ` on the variant without ${o.removed.join(', ')} (the paper-literal variant)` : ''}:
 *   ${v.query.text}  — REFUTED
 *   violated: ${v.attack.detail.replace(/\*\//g, '* /')}
 *
 * The trace, as bantam printed it:
${story}
 *
 * This test replays the recorded scenario on real crypto through bantam's public API and asserts
 * that the query is still violated. It fails once the protocol is fixed. BANTAM_SPEC=path runs it
 * against another spec (e.g. the fixed one) without editing this file.
 */
import { expect, test } from 'vitest';
import { attacker, getSuite, loadExecutable } from ${JSON.stringify(o.importFrom)};

const SPEC = process.env.BANTAM_SPEC ?? ${JSON.stringify(o.spec)};
const QUERY = ${JSON.stringify(v.query.text)};
const SUITE = ${JSON.stringify(o.suite)};
const SEED = ${JSON.stringify(o.seed)};
const SCENARIO: attacker.Scenario = ${scenario};

test(${JSON.stringify(`attack ${o.index}: ${v.query.text} is violated (replayed on real crypto)`)}, () => {
  const { spec, protocol${o.removed?.length ? ': written' : ''} } = loadExecutable(SPEC);${o.removed?.length ? `\n  // the variant of the spec the attack was found on: these additions removed from the typed protocol\n  const protocol = attacker.withoutAdditions(written, ${JSON.stringify(o.removed)});` : ''}
  const query = attacker.queriesOf(spec, protocol).find((q) => q.text === QUERY);
  expect(query, \`\${SPEC} has no query '\${QUERY}'\`).toBeDefined();
  // the query's compromise events (revealed before, or in an earlier session), as in the search
  const ctx = attacker.withCompromise(attacker.attackContext(protocol, getSuite(SUITE), SEED), query!.reveals ?? []);
  const run = attacker.execute(ctx, SCENARIO);
  expect(attacker.judgeQuery(ctx, query!, run).violated).toBe(true);
});
`;
}
