/**
 * The `queries` section of a spec: what must hold, checked by the generic attacker
 * (./search.ts). One query per line (docs/properties.md "Queries"):
 *
 *   confidentiality NAME [of ROLE] [in PHASE]
 *   agreement ROLE with PEER on NAME, ... [in PHASE]            (non-injective, Lowe 1997)
 *   injective-agreement ROLE with PEER on NAME, ... [in PHASE]
 *
 *   weak-secrecy NAME [of ROLE] dictionary "w1", "w2", ... [in PHASE]   (offline guessing: ./guessing.ts)
 *   non-repudiation NAME of ROLE [in PHASE]                             (./non-repudiation.ts)
 *   unlinkability ROLE [in PHASE]                                       (./unlinkability.ts)
 *
 * One optional line `bound sessions N, depth N, per-delivery N, max-states N` (any of them) sets
 * the spec's own default bound for its queries; command-line flags override it. A bound line
 * ending in `in PHASE` (at most one per phase) sets the bound of that phase's search alone, over
 * the default (e.g. a phase whose runs need three sessions); its max-states is that phase's own
 * budget. A flag overrides its key in every phase.
 *
 * Any query may end with the paper's section it checks, from a `§` to the end of the line
 * (`confidentiality SEK_AB in inter  §4.2`); `bantam claims` prints it beside the verdict.
 *
 * Any query may end in compromise events (./compromise.ts):
 *   ... given reveal NAME of ROLE [before|after|in an earlier session|in another session], reveal ...
 * Errors are diagnostics with positions and stable codes (`query.syntax`, `query.unknown-kind`,
 * `query.unknown-role`, `query.unknown-phase`, `query.unknown-name`, `query.not-held`,
 * `query.ambiguous-phase`, `query.reveal-timing`, `query.trivial-reveal`, `query.not-signed`,
 * `query.dictionary`, `query.bound`), all reported at once.
 */
import type { Spec } from '../spec/ast.js';
import { diag, UserError, type Diagnostic, type SourcePos } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/suggest.js';
import { showSort, type Sort } from '../flow-lang/sorts.js';
import type { TAction, TExpr, TPattern, TPhase, TypedProtocol } from '../flow-lang/typed.js';

/**
 * A compromise event: the value NAME of ROLE handed to the attacker. `long-term`: a setup value of
 * the role (of every honest principal playing it); `shared`: a key the role shares (`X, Y share K`);
 * `session`: a value of every honest session of the role (an ephemeral, a session key).
 * `before`: in the attacker's knowledge from the start (long-term and shared values only);
 * `after`: given to it once the sessions have run, for the query's judgement only.
 * `earlier` (`in an earlier session`): a session value of ROLE in one earlier honest run of the
 * phase, played to its end before the searched sessions start (./earlier-run.ts).
 * `other` (`in another session`): a session value of ROLE in every searched session other than the
 * claimed one and its matching partners (same principals, the same value in every field both sent or
 * received), given once the sessions have run, for the judgement of a confidentiality query
 * (key independence; ./compromise.ts `knowledgeForClaim`).
 */
export interface Reveal {
  name: string;
  role: string;
  when: 'before' | 'after' | 'earlier' | 'other';
  scope: 'long-term' | 'shared' | 'session';
  pos: SourcePos;
}

/** A reveal handed over once the run is over, for the judgement only (never used in a move). */
export const judgedAfter = (r: Reveal): boolean => r.when === 'after' || r.when === 'other';

interface QueryBase {
  /** The query as written (one line, trimmed, without its citation). */
  text: string;
  /** The paper's section the spec cites for it (a trailing `§3.7`, `§2.2.1, §4.1`), printed with its verdict. */
  cite?: string;
  pos: SourcePos;
  /** Compromise events (`given reveal ...`), in the order written. */
  reveals?: Reveal[];
}

export type Query = QueryBase &
  (
    | { kind: 'confidentiality'; name: string; role?: string; phase: string }
    | { kind: 'agreement'; injective: boolean; role: string; peer: string; names: string[]; phase: string }
    | { kind: 'weak-secrecy'; name: string; role?: string; phase: string; dictionary: string[] }
    | { kind: 'non-repudiation'; name: string; role: string; phase: string }
    | { kind: 'unlinkability'; role: string; phase: string }
    | { kind: 'unsupported'; keyword: string; reason: string }
  );

const SUPPORTED = ['confidentiality', 'agreement', 'injective-agreement', 'weak-secrecy', 'non-repudiation', 'unlinkability'] as const;
const UNSUPPORTED: Readonly<Record<string, string>> = {};
/** Sorts a dictionary word can stand for (docs/properties.md "Weak secrecy"). */
export const GUESSABLE_SORTS = ['bytes', 'key', 'nonce'] as const;

interface Tok {
  text: string;
  col: number;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /"[^"]*"?|[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*|\S/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], col: m.index + 1 });
  return out;
}

const isIdent = (t: Tok | undefined) => !!t && /^[A-Za-z_]/.test(t.text);

function collectPattern(p: TPattern, out: Set<string>): void {
  if (p.kind === 'bind') out.add(p.name);
  else for (const x of p.items) collectPattern(x, out);
}

function actionNames(a: TAction, out: Set<string>): void {
  if (a.kind === 'generate') out.add(a.name);
  else if (a.kind === 'compute') collectPattern(a.target, out);
  else if (a.kind === 'know') for (const n of a.names) out.add(n.name);
  else if (a.kind === 'share') out.add(a.name);
}

/** The sort of a name in a phase (from the action or field that introduces it). */
export function sortOfName(p: TypedProtocol, phase: TPhase, name: string): Sort | undefined {
  const acts = [...p.setup, ...phase.local, ...phase.steps.flatMap((s) => [...s.before, ...s.after])];
  for (const s of phase.steps) for (const f of s.fields) if (f.name === name) return f.sort;
  for (const a of acts) {
    if ((a.kind === 'generate' || a.kind === 'share') && a.name === name) return a.sort;
    if (a.kind === 'know') for (const n of a.names) if (n.name === name) return n.sort;
    if (a.kind === 'compute' && a.target.kind === 'bind' && a.target.name === name) return a.expr.sort;
  }
  return undefined;
}

/** The action by which `role` makes `name` in `phase` with a signature or a MAC (`name = S_sk(...)`, `name = mac(K, ...)`), if any. */
export function producerOf(p: TypedProtocol, phase: TPhase, role: string, name: string): { action: TAction; expr: Extract<TExpr, { kind: 'prim' }> } | undefined {
  const acts = [...phase.local, ...phase.steps.flatMap((s) => [...s.before, ...s.after])];
  for (const a of acts) {
    if (a.party !== role || a.kind !== 'compute' || a.target.kind !== 'bind' || a.target.name !== name) continue;
    if (a.expr.kind === 'prim' && (a.expr.prim === 'sign' || a.expr.prim === 'mac')) return { action: a, expr: a.expr };
  }
  return undefined;
}

/** Every name a session of `role` in `phase` can hold: received and sent fields, bound, generated, known, long-term, identities. */
export function namesHeld(p: TypedProtocol, phase: TPhase, role: string): Set<string> {
  const out = new Set<string>();
  for (const a of p.setup) if (a.party === role || (a.kind === 'share' && a.parties.includes(role))) actionNames(a, out);
  for (const r of p.roles) if (phase.roles.includes(r.id)) out.add(r.identity);
  for (const a of phase.local) if (a.party === role) actionNames(a, out);
  for (const s of phase.steps) {
    if (s.from === role || s.to === role) for (const f of s.fields) out.add(f.name);
    for (const a of [...s.before, ...s.after]) if (a.party === role) actionNames(a, out);
  }
  return out;
}

/** The role's long-term values (its setup, and what it stores for later phases) and the keys it shares, by name. */
export function longTermOf(p: TypedProtocol, role: string): Map<string, 'long-term' | 'shared'> {
  const out = new Map<string, 'long-term' | 'shared'>();
  for (const a of p.setup) {
    if (a.kind === 'share' && a.parties.includes(role)) out.set(a.name, 'shared');
    else if (a.party === role && a.kind !== 'share') {
      const s = new Set<string>();
      actionNames(a, s);
      for (const n of s) out.set(n, 'long-term');
    }
  }
  for (const ph of p.phases) for (const a of ph.local) if (a.kind === 'share' && a.parties.includes(role)) out.set(a.name, 'shared');
  // values a role stores for later phases (`X stores v`) are its long-term state from then on
  for (const ph of p.phases) for (const a of [...ph.local, ...ph.steps.flatMap((s) => [...s.before, ...s.after])]) if (a.kind === 'store' && a.party === role) for (const n of a.names) if (!out.has(n)) out.set(n, 'long-term');
  return out;
}

/** Parses and checks the spec's queries against its typed protocol; every problem is a diagnostic. */
/** The search bound a spec declares for its queries (`bound sessions 2, per-delivery 4, max-states 6000`). */
export interface DeclaredBound {
  sessions?: number;
  depth?: number;
  perDelivery?: number;
  maxStates?: number;
  pos: SourcePos;
  /** Per phase (`bound ... in PHASE`): that phase's own bound, over this one. */
  phases?: Record<string, PhaseBound & { pos: SourcePos }>;
}

/** The keys of a bound line (a phase's bound overrides the default's). */
export type PhaseBound = Partial<Record<'sessions' | 'depth' | 'perDelivery' | 'maxStates', number>>;

/**
 * The per-phase bounds of a declared bound, without the keys a command-line flag set (a flag
 * overrides its key in every phase); undefined when none is left.
 */
export function declaredPhaseBounds(d: DeclaredBound | undefined, flagged: ReadonlySet<string> = new Set()): Record<string, PhaseBound> | undefined {
  const out: Record<string, PhaseBound> = {};
  for (const [ph, b] of Object.entries(d?.phases ?? {})) {
    const x: PhaseBound = {};
    for (const k of ['sessions', 'depth', 'perDelivery', 'maxStates'] as const) if (b[k] !== undefined && !flagged.has(k)) x[k] = b[k];
    if (Object.keys(x).length) out[ph] = x;
  }
  return Object.keys(out).length ? out : undefined;
}

const BOUND_KEYS: Readonly<Record<string, keyof PhaseBound>> = { sessions: 'sessions', depth: 'depth', 'per-delivery': 'perDelivery', 'max-states': 'maxStates' };

/** Parses and checks the spec's queries against its typed protocol; every problem is a diagnostic. */
export function parseQueries(spec: Spec, p: TypedProtocol): { queries: Query[]; diagnostics: Diagnostic[]; bound?: DeclaredBound } {
  const queries: Query[] = [];
  const diagnostics: Diagnostic[] = [];
  let bound: DeclaredBound | undefined;
  let boundSeen = false; // a bound line without `in PHASE` was read
  const roleIds = p.roles.map((r) => r.id);
  const phaseIds = p.phases.map((x) => x.id);
  for (const section of spec.queries ?? []) {
    for (const ln of section.lines) {
      // `bound KEY N, ...`: the spec's own default bound for its queries (command-line flags override it)
      const bm = /^(\s*)bound\b(.*)$/.exec(ln.text);
      if (bm) {
        const pos: SourcePos = { file: section.file, line: ln.line, col: bm[1]!.length + 1 };
        // `bound ... in PHASE`: that phase's own bound
        const pm = /^(.*)\bin\s+(\S+)\s*$/.exec(bm[2]!);
        const phase = pm?.[2];
        const body = pm ? pm[1]! : bm[2]!;
        if (phase !== undefined && !phaseIds.includes(phase)) {
          const at = bm[1]!.length + 6 + ln.text.slice(bm[1]!.length + 5).lastIndexOf(phase);
          diagnostics.push(diag('error', 'query.unknown-phase', `no phase '${phase}' in the flow${didYouMean(phase, phaseIds)}`, { file: section.file, line: ln.line, col: at }, { expected: `a phase: ${phaseIds.join(', ')}`, length: phase.length }));
        } else if (phase !== undefined ? bound?.phases?.[phase] !== undefined : boundSeen) {
          diagnostics.push(diag('error', 'query.bound', phase !== undefined ? `a second bound line for phase ${phase} (one per phase)` : 'a second bound line (one per queries section)', pos, { expected: 'one bound line', length: 5 }));
        }
        const b: DeclaredBound = { pos };
        let col = bm[1]!.length + 6;
        for (const part of body.split(',')) {
          const m = /^\s*([a-z-]+)\s+(\d+)\s*$/.exec(part);
          const key = m ? BOUND_KEYS[m[1]!] : undefined;
          const n = m ? Number(m[2]) : NaN;
          if (!m || !key || !(n >= (key === 'depth' ? 0 : 1)) || !Number.isSafeInteger(n)) {
            diagnostics.push(diag('error', 'query.bound', `expected 'KEY N' with KEY one of ${Object.keys(BOUND_KEYS).join(', ')} and N a positive integer, found '${part.trim()}'`, { file: section.file, line: ln.line, col: col + part.length - part.trimStart().length }, { expected: "e.g. 'sessions 2'", length: Math.max(1, part.trim().length) }));
          } else b[key] = n;
          col += part.length + 1;
        }
        if (phase !== undefined) {
          if (phaseIds.includes(phase)) {
            const { pos: at, ...keys } = b;
            bound = { ...(bound ?? { pos: at }), phases: { ...bound?.phases, [phase]: { ...keys, pos: at } } };
          }
        } else {
          bound = { ...b, ...(bound?.phases ? { phases: bound.phases } : {}) };
          boundSeen = true;
        }
        continue;
      }
      // an optional trailing citation: everything from the first '§' on
      const cut = ln.text.indexOf('§');
      const body = cut >= 0 ? ln.text.slice(0, cut) : ln.text;
      const cite = cut >= 0 ? ln.text.slice(cut).trim() : undefined;
      const toks = tokenize(body);
      if (toks.length === 0) {
        if (cite !== undefined) diagnostics.push(diag('error', 'query.syntax', 'a citation without a query', { file: section.file, line: ln.line, col: cut + 1 }, { expected: 'a query before the citation', length: 1 }));
        continue;
      }
      const at = (t: Tok | undefined, fallbackCol = ln.text.length + 1): SourcePos => ({ file: section.file, line: ln.line, col: t?.col ?? fallbackCol });
      const errs: Diagnostic[] = [];
      const err = (code: string, msg: string, t: Tok | undefined, expected?: string) =>
        errs.push(diag('error', code, msg, at(t), { ...(expected ? { expected } : {}), length: Math.max(1, t?.text.length ?? 1) }));
      let i = 0;
      const kw = toks[i++]!;
      const text = body.trim();
      const pos = at(kw);
      if (cite !== undefined && !/^§\s*\S/.test(cite)) err('query.syntax', "expected a section after '§' (e.g. §3.7)", { text: '§', col: cut + 1 }, 'a section number');
      const expectWord = (w: string): boolean => {
        const t = toks[i];
        if (t?.text === w) {
          i++;
          return true;
        }
        err('query.syntax', t ? `expected '${w}', found '${t.text}'` : `expected '${w}' at the end of the query`, t, `'${w}'`);
        return false;
      };
      const ident = (what: string): Tok | undefined => {
        const t = toks[i];
        if (isIdent(t)) {
          i++;
          return t;
        }
        err('query.syntax', t ? `expected ${what}, found '${t.text}'` : `expected ${what} at the end of the query`, t, what);
        return undefined;
      };
      const role = (t: Tok | undefined): string | undefined => {
        if (!t) return undefined;
        if (roleIds.includes(t.text)) return t.text;
        const near = didYouMean(t.text, roleIds);
        err('query.unknown-role', `no role '${t.text}' in the flow${near}`, t, `a role: ${roleIds.join(', ')}`);
        return undefined;
      };
      /** Optional trailing `in PHASE`; otherwise the one phase that fits. */
      const phaseOf = (fits: (ph: TPhase) => boolean, what: string): string | undefined => {
        if (toks[i]?.text === 'in') {
          i++;
          const t = ident('a phase id');
          if (!t) return undefined;
          if (!phaseIds.includes(t.text)) {
            err('query.unknown-phase', `no phase '${t.text}' in the flow${didYouMean(t.text, phaseIds)}`, t, `a phase: ${phaseIds.join(', ')}`);
            return undefined;
          }
          return t.text;
        }
        const fit = p.phases.filter(fits);
        if (fit.length === 1) return fit[0]!.id;
        if (fit.length > 1) err('query.ambiguous-phase', `${what} fits phases ${fit.map((x) => x.id).join(', ')}: say which with 'in PHASE'`, kw, "'in PHASE'");
        return fit.length ? undefined : '';
      };
      const end = () => {
        if (i < toks.length) err('query.syntax', `unexpected '${toks[i]!.text}' after the query`, toks[i], 'end of line');
      };
      /** `given reveal NAME of ROLE [before|after], ...` (raw; checked by checkReveals once the phase is known). */
      const rawReveals: { name: Tok; role: Tok; when?: Tok; earlier?: boolean; other?: boolean }[] = [];
      const given = () => {
        if (toks[i]?.text !== 'given') return;
        i++;
        for (;;) {
          if (!expectWord('reveal')) return;
          const name = ident('the name of a value to reveal');
          if (!name || !expectWord('of')) return;
          const r = ident('a role');
          if (!r) return;
          // `in an earlier session`: a value of a session that ran to its end before the searched ones
          // `in another session`: a value of another searched session, for the judgement (key independence)
          if (toks[i]?.text === 'in' && toks[i + 1]?.text === 'another') {
            const t = toks[i++]!;
            for (const w of ['another', 'session']) if (!expectWord(w)) return;
            rawReveals.push({ name, role: r, when: t, other: true });
          } else if (toks[i]?.text === 'in') {
            const t = toks[i++]!;
            for (const w of ['an', 'earlier', 'session']) if (!expectWord(w)) return;
            rawReveals.push({ name, role: r, when: t, earlier: true });
          } else {
            const when = toks[i]?.text === 'before' || toks[i]?.text === 'after' ? toks[i++] : undefined;
            rawReveals.push({ name, role: r, ...(when ? { when } : {}) });
          }
          if (toks[i]?.text !== ',') return;
          i++;
        }
      };
      /** Resolves the reveals against the phase; `secret`: the queried value; `peers`: roles whose long-term secrets revealed before the session make the query trivial. */
      const checkReveals = (phase: string, secret: string | undefined, peers: string[], kind?: Query['kind']): Reveal[] => {
        const ph = p.phases.find((x) => x.id === phase)!;
        const out: Reveal[] = [];
        for (const rv of rawReveals) {
          const r = role(rv.role);
          if (!r) continue;
          const lt = longTermOf(p, r);
          const held = namesHeld(p, ph, r);
          const name = rv.name.text;
          if (!lt.has(name) && !held.has(name)) {
            err('query.unknown-name', `no value '${name}' held by ${r} in phase ${phase}${didYouMean(name, new Set([...lt.keys(), ...held]))}`, rv.name, `a name ${r} holds`);
            continue;
          }
          const scope = lt.get(name) ?? 'session';
          const when = rv.earlier ? 'earlier' : rv.other ? 'other' : ((rv.when?.text as 'before' | 'after' | undefined) ?? 'after');
          if ((when === 'other' || when === 'earlier') && scope !== 'session') {
            err('query.reveal-timing', `${name} is a long-term value of ${r}, not a value of one session: reveal it before or after`, rv.when, "'before' or 'after'");
            continue;
          }
          if (when === 'other') {
            // another searched session's value, judged after the run: for a confidentiality query
            if (kind !== 'confidentiality') {
              err('query.reveal-timing', `'in another session' is judged once the run is over, on what the attacker then knows: it applies to confidentiality queries (an agreement is decided by the run itself; for a compromise the attacker can use in the run, reveal it 'in an earlier session')`, rv.when, "'in an earlier session'");
              continue;
            }
            out.push({ name, role: r, when, scope, pos: at(rv.name) });
            continue;
          }
          if (when === 'earlier') {
            // a session value of an earlier run: never the queried session's own, so not trivial even for the queried name
            out.push({ name, role: r, when, scope, pos: at(rv.name) });
            continue;
          }
          if (scope === 'session' && when === 'before') {
            err('query.reveal-timing', `${name} is a value of a session of ${r}: it exists only once the session runs, so it cannot be revealed before; reveal it after`, rv.when ?? rv.name, "'after'");
            continue;
          }
          if (name === secret) {
            err('query.trivial-reveal', `revealing ${name}, the value the query is about, breaks it trivially (the value of an earlier session is not: 'reveal ${name} of ${r} in an earlier session')`, rv.name, 'another value');
            continue;
          }
          if (when === 'before' && scope !== 'session' && !p.published.has(name)) {
            const owner = peers.find((x) => longTermOf(p, x).has(name));
            if (owner) {
              err('query.trivial-reveal', `${name} is ${owner}'s long-term secret: revealed before the session, the attacker simply plays ${owner} (impersonation, not a flaw of the protocol). Reveal it after (forward secrecy), or reveal the claimant's own key (key-compromise impersonation)`, rv.name, `'after', or a value of the claiming role`);
              continue;
            }
          }
          out.push({ name, role: r, when, scope, pos: at(rv.name) });
        }
        return out;
      };
      const withReveals = (rs: Reveal[]) => (rs.length ? { reveals: rs } : {});
      const secretQuery = (kind: 'confidentiality' | 'weak-secrecy') => {
        const nameTok = ident('the name of a value');
        let r: string | undefined;
        let roleTok: Tok | undefined;
        if (toks[i]?.text === 'of') {
          i++;
          roleTok = ident('a role');
          r = role(roleTok);
        }
        const dictionary: string[] = [];
        if (kind === 'weak-secrecy' && !errs.length) {
          const dt = toks[i];
          if (expectWord('dictionary')) {
            for (;;) {
              const t = toks[i];
              if (!t || !t.text.startsWith('"') || t.text.length < 2 || !t.text.endsWith('"')) {
                err('query.dictionary', t ? `expected a quoted word of the dictionary, found '${t.text}'` : 'expected a quoted word of the dictionary at the end of the query', t ?? dt, '"word"');
                break;
              }
              i++;
              dictionary.push(t.text.slice(1, -1));
              if (toks[i]?.text !== ',') break;
              i++;
            }
          }
        }
        const name = nameTok?.text;
        const holds = (ph: TPhase) => !!name && (r ? ph.roles.includes(r) && namesHeld(p, ph, r).has(name) : ph.roles.some((x) => namesHeld(p, ph, x).has(name)));
        const phase = errs.length ? undefined : phaseOf(holds, `${name}`);
        if (!errs.length) given();
        if (!errs.length) end();
        if (name && phase === '' && !errs.length) {
          const all = new Set(p.phases.flatMap((ph) => ph.roles.flatMap((x) => [...namesHeld(p, ph, x)])));
          if (all.has(name)) err('query.not-held', `no session of ${r} holds ${name}`, roleTok ?? nameTok, `a name ${r} computes, receives or knows`);
          else err('query.unknown-name', `no value '${name}' in the flow${didYouMean(name, all)}`, nameTok, 'a name the flow computes, receives or knows');
        } else if (name && phase && !errs.length && !holds(p.phases.find((x) => x.id === phase)!)) {
          err('query.not-held', `no session ${r ? `of ${r} ` : ''}in phase ${phase} holds ${name}`, nameTok);
        }
        if (errs.length || !name || !phase) return;
        const ph = p.phases.find((x) => x.id === phase)!;
        if (kind === 'weak-secrecy') {
          const sort = sortOfName(p, ph, name);
          if (!sort || sort.kind !== 'base' || !(GUESSABLE_SORTS as readonly string[]).includes(sort.name)) {
            err('query.dictionary', `${name} is a ${sort ? showSort(sort) : 'value of unknown sort'}: a dictionary word can stand only for a ${GUESSABLE_SORTS.join(', ')}`, nameTok, `a value of sort ${GUESSABLE_SORTS.join(' or ')}`);
            return;
          }
        }
        const reveals = checkReveals(phase, name, r ? ph.roles.filter((x) => x !== r) : [], kind);
        if (errs.length) return;
        if (kind === 'confidentiality') queries.push({ kind, name, ...(r ? { role: r } : {}), phase, text, pos, ...withReveals(reveals), ...(cite ? { cite } : {}) });
        else queries.push({ kind, name, ...(r ? { role: r } : {}), phase, dictionary, text, pos, ...withReveals(reveals), ...(cite ? { cite } : {}) });
      };
      if (Object.hasOwn(UNSUPPORTED, kw.text)) {
        queries.push({ kind: 'unsupported', keyword: kw.text, reason: UNSUPPORTED[kw.text]!, text, pos, ...(cite ? { cite } : {}) });
        continue;
      }
      if (kw.text === 'confidentiality' || kw.text === 'weak-secrecy') {
        secretQuery(kw.text);
      } else if (kw.text === 'non-repudiation') {
        const nameTok = ident('the name of a signed or MACed value');
        const name = nameTok?.text;
        if (!errs.length) expectWord('of');
        const rTok = errs.length ? undefined : ident('a role');
        const r = role(rTok);
        const makes = (ph: TPhase) => !!name && !!r && ph.roles.includes(r) && !!producerOf(p, ph, r, name);
        const phase = errs.length ? undefined : phaseOf(makes, `${name} of ${r}`);
        if (!errs.length) given();
        if (!errs.length) end();
        if (!errs.length && name && r && phase !== undefined) {
          const ph = phase ? p.phases.find((x) => x.id === phase)! : undefined;
          const made = ph ? producerOf(p, ph, r, name) : undefined;
          if (!made) err('query.not-signed', `${r} computes no value '${name}' with a signature or a MAC (sign, mac) ${phase ? `in phase ${phase}` : 'in any phase'}`, nameTok, `a name ${r} computes as S_sk(...) or mac(K, ...)`);
          else {
            const reveals = checkReveals(phase!, name, []);
            if (!errs.length) queries.push({ kind: 'non-repudiation', name, role: r, phase: phase!, text, pos, ...withReveals(reveals), ...(cite ? { cite } : {}) });
          }
        }
      } else if (kw.text === 'unlinkability') {
        const rTok = ident('a role');
        const r = role(rTok);
        const plays = (ph: TPhase) => !!r && ph.roles.includes(r);
        const phase = errs.length ? undefined : phaseOf(plays, `${r}`);
        if (!errs.length) given();
        if (!errs.length) end();
        if (!errs.length && phase === '') err('query.not-held', `no phase has role ${r}`, rTok);
        if (!errs.length && rawReveals.length) err('query.syntax', 'unlinkability takes no compromise events (the linking game is played by a passive attacker)', toks.find((t) => t.text === 'given'), 'end of line');
        if (!errs.length && r && phase) queries.push({ kind: 'unlinkability', role: r, phase, text, pos, ...(cite ? { cite } : {}) });
      } else if (kw.text === 'agreement' || kw.text === 'injective-agreement') {
        const r1Tok = ident('a role');
        const r1 = role(r1Tok);
        expectWord('with');
        const r2Tok = errs.length ? undefined : ident('a role');
        const r2 = role(r2Tok);
        if (!errs.length) expectWord('on');
        const nameToks: Tok[] = [];
        if (!errs.length) {
          for (;;) {
            const t = ident('the name of a value');
            if (!t) break;
            nameToks.push(t);
            if (toks[i]?.text !== ',') break;
            i++;
          }
        }
        const both = (ph: TPhase) => !!r1 && !!r2 && ph.roles.includes(r1) && ph.roles.includes(r2);
        const phase = errs.length ? undefined : phaseOf(both, `${r1} with ${r2}`);
        if (!errs.length) given();
        if (!errs.length) end();
        if (!errs.length && phase === '') err('query.not-held', `no phase has both roles ${r1} and ${r2}`, r2Tok);
        if (!errs.length && phase && r1 && r2) {
          const ph = p.phases.find((x) => x.id === phase)!;
          const h1 = namesHeld(p, ph, r1);
          const h2 = namesHeld(p, ph, r2);
          for (const t of nameToks) {
            if (!h1.has(t.text) && !h2.has(t.text)) {
              const all = new Set([...h1, ...h2]);
              err('query.unknown-name', `no value '${t.text}' held by ${r1} or ${r2} in phase ${phase}${didYouMean(t.text, all)}`, t, 'a name both roles hold');
            } else if (!h1.has(t.text) || !h2.has(t.text)) err('query.not-held', `${t.text} is not held by ${h1.has(t.text) ? r2 : r1} in phase ${phase}: both roles must hold a value they agree on`, t);
          }
          const reveals = errs.length ? [] : checkReveals(phase, undefined, [r2]);
          if (!errs.length) queries.push({ kind: 'agreement', injective: kw.text === 'injective-agreement', role: r1, peer: r2, names: nameToks.map((t) => t.text), phase, text, pos, ...withReveals(reveals), ...(cite ? { cite } : {}) });
        }
      } else {
        const known = [...SUPPORTED, ...Object.keys(UNSUPPORTED)];
        err('query.unknown-kind', `unknown query '${kw.text}'${didYouMean(kw.text, known)}`, kw, `one of ${known.join(', ')}`);
      }
      diagnostics.push(...errs);
    }
  }
  return { queries, diagnostics, ...(bound ? { bound } : {}) };
}

/** The spec's queries, or a UserError (exit 2) carrying every diagnostic; a spec without queries is an error too. */
export function queriesOf(spec: Spec, p: TypedProtocol): Query[] {
  if (!spec.queries?.length) {
    throw new UserError(`${spec.file} has no queries section: there is nothing to check (docs/properties.md "Queries")`, [
      diag('error', 'query.missing', `${spec.file} has no queries section: there is nothing to check`, { file: spec.file, line: 1, col: 1 }, { expected: "a 'queries' section (docs/properties.md)" }),
    ]);
  }
  const { queries, diagnostics } = parseQueries(spec, p);
  if (diagnostics.length) {
    const first = diagnostics[0]!;
    throw new UserError(`${first.pos.file}:${first.pos.line}:${first.pos.col}: ${first.message}${diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : ''}`, diagnostics, 2, new Map(Object.entries(spec.sources ?? {})));
  }
  if (!queries.length) throw new UserError(`${spec.file}: the queries section is empty`, [diag('error', 'query.missing', 'the queries section is empty', { file: spec.file, line: spec.queries[0]!.headerLine, col: 1 }, { expected: 'one query per line' })], 2, new Map(Object.entries(spec.sources ?? {})));
  return queries;
}

/** The bound the spec's queries section declares, if any (after `queriesOf` has checked the section). */
export function declaredBoundOf(spec: Spec, p: TypedProtocol): DeclaredBound | undefined {
  return spec.queries ? parseQueries(spec, p).bound : undefined;
}
