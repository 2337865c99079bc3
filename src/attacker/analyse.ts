/**
 * Every query of a spec decided in one report: the search (./search.ts) takes confidentiality,
 * agreement and weak secrecy, once per distinct set of before-reveals (a compromise known from the
 * start changes every move, ./compromise.ts); non-repudiation (./non-repudiation.ts) and
 * unlinkability (./unlinkability.ts) are decided by their own procedures, each with its bound.
 * Verdicts come back in the order the queries are written.
 */
import { getSuite } from '../crypto/index.js';
import { beforeKey } from './compromise.js';
import { judgeNonRepudiation } from './non-repudiation.js';
import { judgedAfter, type Query } from './queries.js';
import { DEFAULT_BOUND, searchAttacks, type SearchOptions, type SearchReport, type Verdict } from './search.js';
import { judgeUnlinkability } from './unlinkability.js';

const SEARCHED = new Set<Query['kind']>(['confidentiality', 'agreement', 'weak-secrecy', 'unsupported']);

export function analyseQueries(protocol: Parameters<typeof searchAttacks>[0], queries: readonly Query[], opts: SearchOptions): SearchReport {
  const t0 = performance.now();
  const searched = queries.filter((q) => SEARCHED.has(q.kind));
  const groups = new Map<string, Query[]>();
  for (const q of searched) (groups.get(beforeKey(q)) ?? groups.set(beforeKey(q), []).get(beforeKey(q))!).push(q);
  const reports: SearchReport[] = [];
  for (const qs of groups.size ? groups.values() : [[]]) {
    const reveals = (qs[0]?.reveals ?? []).filter((r) => !judgedAfter(r)); // before, and earlier-session reveals
    reports.push(searchAttacks(protocol, qs, { ...opts, ...(reveals.length ? { reveals } : {}) }));
  }
  const first = reports[0]!;
  const byQuery = new Map<Query, Verdict>(reports.flatMap((r) => r.verdicts.map((v) => [v.query, v] as const)));
  const suite = typeof opts.suite === 'string' ? getSuite(opts.suite) : opts.suite;
  for (const q of queries) {
    const sv = byQuery.get(q);
    if (q.kind === 'weak-secrecy' && sv?.status === 'holds') {
      byQuery.set(q, { ...sv, assumes: `a guess is confirmed only by re-evaluating the flow's own computations (≤ 3 rounds) and authenticated decryptions under it; the ${q.dictionary.length} dictionary words are the wrong guesses tried` });
    }
    if (q.kind === 'non-repudiation') {
      const v = judgeNonRepudiation(protocol, suite, opts.seed, q);
      // decided whole in every shard (not sharded): covered, with its premise met unless not tested
      byQuery.set(q, { query: q, status: v.status, bound: v.bound, covered: true, premise: v.status !== 'not-tested', ...(v.reason ? { reason: v.reason } : {}), ...(v.detail ? { detail: v.detail } : {}), ...(v.assumes ? { assumes: v.assumes } : {}) });
    } else if (q.kind === 'unlinkability') {
      const v = judgeUnlinkability(protocol, suite, opts.seed, q);
      // decided whole in every shard (not sharded): covered, with its premise met unless not tested
      byQuery.set(q, { query: q, status: v.status, bound: v.bound, covered: true, premise: v.status !== 'not-tested', ...(v.reason ? { reason: v.reason } : {}), ...(v.detail ? { detail: v.detail } : {}), ...(v.assumes ? { assumes: v.assumes } : {}) });
    }
  }
  return {
    ...first,
    bound: { ...DEFAULT_BOUND, ...opts.bound },
    states: reports.reduce((n, r) => n + r.states, 0),
    configurations: { explored: reports.reduce((n, r) => n + r.configurations.explored, 0), total: reports.reduce((n, r) => n + r.configurations.total, 0), all: reports.reduce((n, r) => n + r.configurations.all, 0) },
    cappedDeliveries: reports.reduce((n, r) => n + r.cappedDeliveries, 0),
    exhausted: reports.every((r) => r.exhausted),
    ms: performance.now() - t0,
    verdicts: queries.map((q) => byQuery.get(q)!),
    unconfirmed: reports.flatMap((r) => r.unconfirmed),
  };
}
