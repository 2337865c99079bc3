/**
 * The trust assumptions a "holds" rests on (issue 13, "Honest bookkeeping"), computed from the
 * typed protocol's setup (`generates`, `computes`, `share`, `publishes`) and the search's
 * principals — never written by hand:
 *  - which principals are trusted: the honest ones follow the flow and never reveal a value;
 *  - every long-term value: who holds it (the principal that plays the generating role's setup;
 *    for `A, B share K`, exactly the set of principals it is drawn for), what it is derived from
 *    (`pkA = skA·G`), and whether it is public (published);
 *  - for one query: the long-term secrets the roles of its phase hold there, i.e. the ones whose
 *    secrecy the verdict relies on.
 * In the search every principal (honest or the attacker's M) runs every role's setup: M holds
 * its own instance of each long-term value and every value shared with M.
 */
import type { TAction, TExpr, TypedProtocol } from '../flow-lang/typed.js';
import { showSort } from '../flow-lang/sorts.js';
import { namesHeld, type Query } from './queries.js';

export interface LongTermValue {
  name: string;
  sort: string;
  /** The roles whose setup generates or computes it, or that share it. */
  roles: string[];
  how: 'generated' | 'computed' | 'shared';
  /** The names a computed value is computed from. */
  from: string[];
  published: boolean;
}

export interface Trust {
  trusted: string[];
  attacker: string;
  values: LongTermValue[];
}

function namesIn(e: TExpr, out: Set<string>): void {
  if (e.kind === 'name') out.add(e.name);
  else if (e.kind === 'prim' || e.kind === 'env') for (const a of e.args) namesIn(a, out);
  else if (e.kind === 'tuple') for (const a of e.items) namesIn(a, out);
}

function bound(a: TAction): string[] {
  if (a.kind === 'generate' || a.kind === 'share') return [a.name];
  if (a.kind !== 'compute') return [];
  const out: string[] = [];
  const walk = (t: typeof a.target): void => void (t.kind === 'bind' ? out.push(t.name) : t.items.forEach(walk));
  walk(a.target);
  return out;
}

/** Every long-term value of the setup, in order of first appearance. */
export function longTermValues(p: TypedProtocol): LongTermValue[] {
  const out = new Map<string, LongTermValue>();
  for (const a of p.setup) {
    for (const name of bound(a)) {
      const prev = out.get(name);
      const roles = a.kind === 'share' ? a.parties : [a.party];
      if (prev) {
        for (const r of roles) if (!prev.roles.includes(r)) prev.roles.push(r);
        continue;
      }
      const from = new Set<string>();
      if (a.kind === 'compute') namesIn(a.expr, from);
      from.delete(p.generator);
      out.set(name, {
        name,
        sort: ((s) => (s ? showSort(s) : '?'))(p.sorts.get(name) ?? (a.kind === 'generate' || a.kind === 'share' ? a.sort : undefined)),
        roles: [...roles],
        how: a.kind === 'share' ? 'shared' : a.kind === 'generate' ? 'generated' : 'computed',
        from: [...from],
        published: p.published.has(name),
      });
    }
  }
  return [...out.values()];
}

export function trustOf(p: TypedProtocol, honest: readonly string[], attacker: string): Trust {
  return { trusted: [...honest], attacker, values: longTermValues(p) };
}

/** The long-term secrets (not published) a query's phase relies on: those its roles hold there. */
export function secretsOf(p: TypedProtocol, t: Trust, q: Query): LongTermValue[] {
  if (q.kind === 'unsupported') return [];
  const ph = p.phases.find((x) => x.id === q.phase);
  if (!ph) return [];
  const held = new Set(ph.roles.flatMap((r) => [...namesHeld(p, ph, r)]));
  return t.values.filter((v) => !v.published && held.has(v.name));
}

function holderText(v: LongTermValue): string {
  if (v.how === 'shared') return `${v.name} (${v.sort}) held only by the principals it is drawn for (one value per set playing ${v.roles.join(', ')})`;
  const who = `the principal playing ${v.roles.join(' / ')}'s setup`;
  return v.how === 'computed' ? `${v.name} (${v.sort}) derived by ${who} from ${v.from.join(', ') || 'constants'}, held only by it` : `${v.name} (${v.sort}) held only by ${who}`;
}

/** The report-wide `assumes:` text. */
export function trustText(t: Trust): string {
  const secrets = t.values.filter((v) => !v.published);
  const pub = t.values.filter((v) => v.published);
  return [
    `trusted (honest): ${t.trusted.join(', ')} — they run only the flow and never reveal a value`,
    `untrusted: ${t.attacker}, the attacker's registered identity, whose every value (its own instance of each long-term value, every key shared with it) is the attacker's`,
    secrets.length ? `long-term secrets: ${secrets.map(holderText).join('; ')}` : 'long-term secrets: none',
    pub.length ? `public: ${pub.map((v) => (v.from.length ? `${v.name} (from ${v.from.join(', ')})` : v.name)).join(', ')}` : '',
    'the attacker learns only what the bound lets it derive (no guessing, no group algebra, no compromise events)',
  ]
    .filter(Boolean)
    .join('; ');
}

/** What one query's "holds" rests on, one line. */
export function queryTrustText(p: TypedProtocol, t: Trust, q: Query): string {
  if (q.kind === 'unsupported') return '';
  const ph = p.phases.find((x) => x.id === q.phase)!;
  const principals = t.trusted.join(', ');
  const secrets = secretsOf(p, t, q);
  return `${principals} honest in ${ph.id}${secrets.length ? `; secret: ${secrets.map((v) => `${v.name} (${v.how === 'shared' ? `shared by ${v.roles.join(', ')}` : `${v.roles.join('/')}'s only`})`).join(', ')}` : '; no long-term secret'}`;
}
