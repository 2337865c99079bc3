/**
 * The attacker's canary set in CI (issue 13 "Done means"; the list: test/helpers/canaries.ts and
 * docs/properties.md "Canaries"). Each canary is a library protocol and a small textual mutation
 * of it. With the default bound:
 *   - the mutant: the named query is REFUTED, with an attack that was confirmed on replay;
 *   - the protocol as shipped: every query HOLDS, the bound covered (exhausted), nothing unconfirmed.
 * Each mutant is searched for its named query alone, with stopAtFirst; the fixed versions are
 * searched to the end, every query. Each fixed base is searched once even when several canaries share it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyseQueries, queriesOf, type SearchReport } from '../src/attacker/index.js';
import { executableOf } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { CANARIES, canaryTexts } from './helpers/canaries.js';

const SUITE = 'secp256k1';
const SEED = '1';

function search(name: string, text: string, o: { stopAtFirst?: boolean; bound?: object; only?: string }): SearchReport {
  const { spec, protocol } = executableOf(parseSpec(name, text));
  // the attacker's search decides these; unlinkability and non-repudiation have their own procedures
  // and tests (test/attacker-queries.test.ts; mac-challenge-response's non-repudiation is refuted by design)
  const all = queriesOf(spec, protocol).filter((q) => q.kind !== 'unlinkability' && q.kind !== 'non-repudiation');
  const queries = o.only ? all.filter((q) => q.text === o.only) : all;
  if (o.only && queries.length !== 1) throw new Error(`no query '${o.only}' in ${name}`);
  return analyseQueries(protocol, queries, { suite: SUITE, seed: SEED, ...(o.bound ? { bound: o.bound } : {}), ...(o.stopAtFirst ? { stopAtFirst: true } : {}) });
}

describe('canaries: each mutant is refuted', () => {
  for (const c of CANARIES) {
    test(`${c.name}: '${c.refutes}' refuted`, () => {
      const { fixed, broken } = canaryTexts(c);
      expect(broken).not.toBe(fixed);
      // the mutant's search is for the named query alone, stopped at its first confirmed attack
      const r = search(`${c.base.replace(/\.ban$/, '')}-mutant.ban`, broken, { stopAtFirst: true, only: c.refutes, ...(c.bound ? { bound: c.bound } : {}) });
      expect(r.unconfirmed).toEqual([]);
      const target = r.verdicts[0]!;
      expect(target.status, target.reason).toBe('refuted');
      expect(target.attack!.story.length).toBeGreaterThan(0);
      expect(target.attack!.detail.length).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('canaries: each protocol as shipped holds within the bound', () => {
  const bases = [...new Map(CANARIES.map((c) => [`${c.base}|${JSON.stringify(c.queries ?? null)}|${JSON.stringify(c.bound ?? null)}`, c])).values()];
  for (const c of bases) {
    test(`${c.base}${c.queries ? ` (queries: ${c.queries.join('; ')})` : ''}: every query holds`, () => {
      const { fixed } = canaryTexts(c);
      const r = search(c.base, fixed, c.bound ? { bound: c.bound } : {});
      expect(r.unconfirmed).toEqual([]);
      expect(r.exhausted).toBe(true);
      // every query holds, except a non-repudiation of a MAC: a MAC's key is shared, so the spec itself
      // refutes it (MAC-CR's `non-repudiation tB of B`); that verdict is the protocol's, not the canary's
      const mac = (v: (typeof r.verdicts)[number]) => v.query.kind === 'non-repudiation' && /\bmac\(/.test(readFileSync(c.base, 'utf8'));
      expect(r.verdicts.map((v) => `${v.status} ${v.query.text}`)).toEqual(r.verdicts.map((v) => `${mac(v) ? 'refuted' : 'holds'} ${v.query.text}`));
    }, 120_000);
  }
});
