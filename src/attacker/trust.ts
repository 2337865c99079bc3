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
import { namesRead } from '../flow-lang/typed-names.js';
import { judgedAfter, namesHeld, type Query } from './queries.js';
import { envPublic } from './templates.js';

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
  /**
   * Why the flow itself makes it public although the setup does not publish it: sent in clear on a public
   * channel (`sent in clear in initial.1`), or computed by a role from public values only (`computed by HA
   * from public ID_PAT, R_PAT, PK in initial`). Then derivableBy is 'anyone' and no verdict rests on it.
   */
  exposed?: string;
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
  // values the flow itself makes public: sent in clear, or computed somewhere from public values only
  const known = new Set<string>([...p.published.keys(), ...p.roles.map((r) => r.identity)]);
  const why = new Map<string, string>();
  for (const ph of p.phases)
    for (const st of ph.steps)
      if (st.channel === 'public')
        for (const f of st.fields)
          if (!known.has(f.name)) {
            known.add(f.name);
            why.set(f.name, `sent in clear in ${st.id}`);
          }
  const isKnown = (n: string) => known.has(n) || !p.sorts.has(n);
  // the table's primitives are public functions; an environment function only when the environment says so
  const byAnyone = (e: TExpr): boolean =>
    e.kind === 'name' || e.kind === 'lit' || (e.kind === 'tuple' && e.items.every(byAnyone)) ||
    (e.kind === 'prim' && !e.ephemeral && e.args.every(byAnyone)) || (e.kind === 'env' && envPublic(p, e.fn) && e.args.every(byAnyone));
  const computes = p.phases.flatMap((ph) =>
    [...ph.local, ...ph.steps.flatMap((st) => [...st.before, ...st.after])].filter((a) => a.kind === 'compute').map((a) => ({ ph, a: a as Extract<TAction, { kind: 'compute' }> })),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const { ph, a } of computes) {
      const names = bound(a).filter((n) => !known.has(n));
      if (!names.length) continue;
      const inputs = [...new Set(namesRead(a.expr))].filter((n) => n !== p.generator);
      if (!byAnyone(a.expr) || !inputs.every(isKnown)) continue;
      for (const n of names) {
        known.add(n);
        why.set(n, `computed by ${a.party} from public ${inputs.join(', ') || 'constants'} in ${ph.id}`);
      }
      grew = true;
    }
  }
  for (const v of all) {
    const w = why.get(v.name);
    if (v.published || !w) continue;
    v.exposed = w;
    v.derivableBy = 'anyone';
  }
  return all;
}

export function trustOf(p: TypedProtocol, honest: readonly string[], attacker: string): Trust {
  return { trusted: [...honest], attacker, values: longTermValues(p) };
}

/** The long-term secrets (not published, not made public by the flow) a query's phase relies on: those its roles hold or use there. */
export function secretsOf(p: TypedProtocol, t: Trust, q: Query): LongTermValue[] {
  if (q.kind === 'unsupported') return [];
  const ph = p.phases.find((x) => x.id === q.phase);
  if (!ph) return [];
  // what the phase's roles hold there, and every name their actions read (a stored key such as S_PAT is
  // read in a later phase without being bound there)
  const used = new Set(ph.roles.flatMap((r) => [...namesHeld(p, ph, r)]));
  for (const a of [...ph.local, ...ph.steps.flatMap((st) => [...st.before, ...st.after])]) {
    const exprs = a.kind === 'compute' ? [a.expr] : a.kind === 'check' ? [a.left, ...(a.right ? [a.right] : [])] : a.kind === 'call' ? a.args : [];
    for (const e of exprs) for (const n of namesRead(e)) used.add(n);
  }
  return t.values.filter((v) => !v.published && !v.exposed && used.has(v.name));
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
  const secrets = t.values.filter((v) => !v.published && !v.exposed);
  const pub = t.values.filter((v) => v.published);
  const exposed = t.values.filter((v) => v.exposed);
  return [
    `trusted (honest): ${t.trusted.join(', ')} — they run only the flow and never reveal a value`,
    `untrusted: ${t.attacker}, the attacker's registered identity, whose every value (its own instance of each long-term value, every key shared with it) is the attacker's`,
    secrets.length ? `long-term secrets: ${secrets.map(holderText).join('; ')}` : 'long-term secrets: none',
    pub.length ? `public: ${pub.map((v) => (v.from.length ? `${v.name} (from ${v.from.join(', ')})` : v.name)).join(', ')}` : '',
    exposed.length ? `made public by the flow: ${exposed.map((v) => `${v.name} (${v.exposed})`).join(', ')}` : '',
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
  // a value the query reveals before the session (or in an earlier one) is the attacker's: no verdict rests on
  // it; one revealed after is secret only until then
  // (with what is made from revealed and public values only: SK_HPB from a revealed S_HPB)
  const isPublicName = (x: string) => !p.sorts.has(x) || p.roles.some((r) => r.identity === x) || t.values.find((w) => w.name === x)?.derivableBy === 'anyone';
  const reach = (names: string[]): Set<string> => {
    const out = new Set(names);
    for (let grew = true; grew; ) {
      grew = false;
      for (const v of t.values)
        if (!out.has(v.name) && v.from.length && v.from.every((x) => out.has(x) || isPublicName(x))) {
          out.add(v.name);
          grew = true;
        }
    }
    return out;
  };
  const before = reach((q.reveals ?? []).filter((r) => !judgedAfter(r)).map((r) => r.name));
  const after = reach((q.reveals ?? []).map((r) => r.name));
  const during = secrets.filter((v) => !before.has(v.name));
  const held = (v: LongTermValue) =>
    (v.derivableBy === 'anyone' ? 'NOT secret: computable from public values' : v.how === 'shared' ? `shared by ${v.roles.join(', ')}` : `${v.derivableBy.join('/')}'s only`) +
    (after.has(v.name) ? ', until revealed after the session' : '');
  return `${principals} honest in ${ph.id}${during.length ? `; secret: ${during.map((v) => `${v.name} (${held(v)})`).join(', ')}` : '; no long-term secret'}`;
}
