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
import type { TAction, TypedProtocol } from '../flow-lang/typed.js';
import { showSort } from '../flow-lang/sorts.js';
import { namesRead } from '../flow-lang/typed-names.js';
import { namesHeld, type Query } from './queries.js';

export interface LongTermValue {
  name: string;
  sort: string;
  /** The roles whose setup generates or computes it, or that share it. */
  roles: string[];
  /** `stored`: made in a phase and kept by `stores` for later phases (registration's keys). */
  how: 'generated' | 'computed' | 'shared' | 'stored';
  /** The names a computed value is computed from. */
  from: string[];
  published: boolean;
  /**
   * Who can compute it from what they hold: the roles holding every secret input (a computed value),
   * 'anyone' when all its inputs are public (then it is no secret, whatever the spec intends).
   */
  derivableBy: string[] | 'anyone';
}

export interface Trust {
  trusted: string[];
  attacker: string;
  values: LongTermValue[];
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
      if (a.kind === 'compute') for (const n of namesRead(a.expr)) from.add(n);
      from.delete(p.generator);
      out.set(name, {
        name,
        sort: ((s) => (s ? showSort(s) : '?'))(p.sorts.get(name) ?? (a.kind === 'generate' || a.kind === 'share' ? a.sort : undefined)),
        roles: [...roles],
        how: a.kind === 'share' ? 'shared' : a.kind === 'generate' ? 'generated' : 'computed',
        from: [...from],
        published: p.published.has(name),
        derivableBy: [],
      });
    }
  }
  // values made in a phase and kept for later phases (`X stores …`): held by X and by the party that computed it
  for (const ph of p.phases) {
    const acts = [...ph.local, ...ph.steps.flatMap((st) => [...st.before, ...st.after])];
    for (const a of acts) {
      if (a.kind !== 'store') continue;
      for (const name of a.names) {
        const makers = acts.filter((b) => (b.kind === 'compute' || b.kind === 'generate') && bound(b).includes(name));
        const issuer = makers.find((b) => b.party !== a.party) ?? makers[0];
        const roles = [a.party, ...makers.map((b) => b.party).filter((r) => r !== a.party)];
        const prev = out.get(name);
        if (prev) {
          for (const r of roles) if (!prev.roles.includes(r)) prev.roles.push(r);
          continue;
        }
        const from = new Set<string>();
        if (issuer?.kind === 'compute') for (const n of namesRead(issuer.expr)) from.add(n);
        from.delete(p.generator);
        const sort = p.sorts.get(name);
        out.set(name, { name, sort: sort ? showSort(sort) : '?', roles: [...new Set(roles)], how: 'stored', from: [...from], published: p.published.has(name), derivableBy: [] });
      }
    }
  }
  // who can derive each value: its holders, and for a computed value whoever holds all its secret inputs
  const all = [...out.values()];
  const isPublic = (n: string, seen: Set<string>): boolean => {
    const v = out.get(n);
    if (!v) return !p.sorts.has(n) || p.roles.some((r) => r.identity === n); // a literal, or an identity
    if (v.published) return true;
    if (v.how !== 'computed' || seen.has(n)) return false;
    seen.add(n);
    return v.from.every((x) => isPublic(x, seen));
  };
  for (const v of all) {
    if (v.published || (v.how === 'computed' && isPublic(v.name, new Set()))) {
      v.derivableBy = 'anyone';
      continue;
    }
    if (v.how !== 'computed') {
      v.derivableBy = [...v.roles];
      continue;
    }
    const secretInputs = v.from.filter((x) => !isPublic(x, new Set()));
    const holders = secretInputs.map((x) => out.get(x)?.roles ?? []);
    const both = holders.length ? holders.reduce((a, b) => a.filter((r) => b.includes(r))) : [];
    v.derivableBy = [...new Set([...v.roles, ...both])];
  }
  return all;
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
  if (v.how === 'stored' && v.derivableBy !== 'anyone') return `${v.name} (${v.sort}) kept by the principal playing ${v.roles[0]}${v.roles.length > 1 ? `, also held by the one playing ${v.roles.slice(1).join(' / ')} that made it${v.from.length ? ` from ${v.from.join(', ')}` : ''}` : ''}`;
  if (v.derivableBy === 'anyone') return `${v.name} (${v.sort}) is NOT secret: anyone can compute it from public ${v.from.join(', ') || 'constants'}`;
  if (v.how === 'shared') return `${v.name} (${v.sort}) held only by the principals it is drawn for (one value per set playing ${v.roles.join(', ')})`;
  const who = `the principal playing ${v.roles.join(' / ')}'s setup`;
  const others = v.derivableBy.filter((r) => !v.roles.includes(r));
  return v.how === 'computed' ? `${v.name} (${v.sort}) derived by ${who} from ${v.from.join(', ') || 'constants'}, held only by it${others.length ? ` (and derivable by the principal playing ${others.join(' / ')})` : ''}` : `${v.name} (${v.sort}) held only by ${who}`;
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
    'the attacker learns only what the bound lets it derive (in the group: linear combinations with coefficients it holds — no discrete logs, no pairings, docs/properties.md "The group algebra"; no guessing and no compromise unless a query declares them)',
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
  const held = (v: LongTermValue) => (v.derivableBy === 'anyone' ? 'NOT secret: computable from public values' : v.how === 'shared' ? `shared by ${v.roles.join(', ')}` : `${v.derivableBy.join('/')}'s only`);
  return `${principals} honest in ${ph.id}${secrets.length ? `; secret: ${secrets.map((v) => `${v.name} (${held(v)})`).join(', ')}` : '; no long-term secret'}`;
}
