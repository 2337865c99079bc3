/**
 * The `queries` section of a spec: what must hold, checked by the generic attacker
 * (./search.ts). One query per line (docs/properties.md "Queries"):
 *
 *   confidentiality NAME [of ROLE] [in PHASE]
 *   agreement ROLE with PEER on NAME, ... [in PHASE]            (non-injective, Lowe 1997)
 *   injective-agreement ROLE with PEER on NAME, ... [in PHASE]
 *
 * One optional line `bound sessions N, depth N, per-delivery N, max-states N` (any of them) sets
 * the spec's own default bound for its queries; command-line flags override it.
 *
 * Any query may end with the paper's section it checks, from a `§` to the end of the line
 * (`confidentiality SEK_AB in inter  §4.2`); `bantam claims` prints it beside the verdict.
 *
 * `weak-secrecy`, `unlinkability` and `non-repudiation` (issue 13) parse, and are reported as
 * not tested with the reason, never silently dropped. Errors are diagnostics with positions and
 * stable codes (`query.syntax`, `query.unknown-kind`, `query.unknown-role`, `query.unknown-phase`,
 * `query.unknown-name`, `query.not-held`, `query.ambiguous-phase`), all reported at once.
 */
import type { Spec } from '../spec/ast.js';
import { diag, UserError, type Diagnostic, type SourcePos } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/suggest.js';
import type { TAction, TPattern, TPhase, TypedProtocol } from '../flow-lang/typed.js';

interface QueryBase {
  /** The query as written (one line, trimmed, without its citation). */
  text: string;
  pos: SourcePos;
  /** The paper's section the spec cites for it (a trailing `§3.7`, `§2.2.1, §4.1`), printed with its verdict. */
  cite?: string;
}

export type Query = QueryBase &
  (
    | { kind: 'confidentiality'; name: string; role?: string; phase: string }
    | { kind: 'agreement'; injective: boolean; role: string; peer: string; names: string[]; phase: string }
    | { kind: 'unsupported'; keyword: string; reason: string }
  );

const SUPPORTED = ['confidentiality', 'agreement', 'injective-agreement'] as const;
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'weak-secrecy': 'offline guessing of low-entropy values is not implemented in the generic attacker yet',
  unlinkability: 'unlinkability (an equivalence property) is not implemented in the generic attacker yet',
  'non-repudiation': 'non-repudiation is not implemented in the generic attacker yet',
};

interface Tok {
  text: string;
  col: number;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*|\S/g;
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

/** The search bound a spec declares for its queries (`bound sessions 2, per-delivery 4, max-states 6000`). */
export interface DeclaredBound {
  sessions?: number;
  depth?: number;
  perDelivery?: number;
  maxStates?: number;
  pos: SourcePos;
}

const BOUND_KEYS: Readonly<Record<string, keyof Omit<DeclaredBound, 'pos'>>> = { sessions: 'sessions', depth: 'depth', 'per-delivery': 'perDelivery', 'max-states': 'maxStates' };

/** Parses and checks the spec's queries against its typed protocol; every problem is a diagnostic. */
export function parseQueries(spec: Spec, p: TypedProtocol): { queries: Query[]; diagnostics: Diagnostic[]; bound?: DeclaredBound } {
  const queries: Query[] = [];
  const diagnostics: Diagnostic[] = [];
  let bound: DeclaredBound | undefined;
  const roleIds = p.roles.map((r) => r.id);
  const phaseIds = p.phases.map((x) => x.id);
  for (const section of spec.queries ?? []) {
    for (const ln of section.lines) {
      // `bound KEY N, ...`: the spec's own default bound for its queries (command-line flags override it)
      const bm = /^(\s*)bound\b(.*)$/.exec(ln.text);
      if (bm) {
        const pos: SourcePos = { file: section.file, line: ln.line, col: bm[1]!.length + 1 };
        if (bound) diagnostics.push(diag('error', 'query.bound', 'a second bound line (one per queries section)', pos, { expected: 'one bound line', length: 5 }));
        const b: DeclaredBound = { pos };
        let col = bm[1]!.length + 6;
        for (const part of bm[2]!.split(',')) {
          const m = /^\s*([a-z-]+)\s+(\d+)\s*$/.exec(part);
          const key = m ? BOUND_KEYS[m[1]!] : undefined;
          const n = m ? Number(m[2]) : NaN;
          if (!m || !key || !(n >= (key === 'depth' ? 0 : 1)) || !Number.isSafeInteger(n)) {
            diagnostics.push(diag('error', 'query.bound', `expected 'KEY N' with KEY one of ${Object.keys(BOUND_KEYS).join(', ')} and N a positive integer, found '${part.trim()}'`, { file: section.file, line: ln.line, col: col + part.length - part.trimStart().length }, { expected: "e.g. 'sessions 2'", length: Math.max(1, part.trim().length) }));
          } else b[key] = n;
          col += part.length + 1;
        }
        bound = b;
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
      if (kw.text in UNSUPPORTED) {
        queries.push({ kind: 'unsupported', keyword: kw.text, reason: UNSUPPORTED[kw.text]!, text, pos, ...(cite ? { cite } : {}) });
        continue;
      }
      if (kw.text === 'confidentiality') {
        const nameTok = ident('the name of a value');
        let r: string | undefined;
        let roleTok: Tok | undefined;
        if (toks[i]?.text === 'of') {
          i++;
          roleTok = ident('a role');
          r = role(roleTok);
        }
        const name = nameTok?.text;
        const holds = (ph: TPhase) => !!name && (r ? ph.roles.includes(r) && namesHeld(p, ph, r).has(name) : ph.roles.some((x) => namesHeld(p, ph, x).has(name)));
        const phase = phaseOf(holds, `${name}`);
        end();
        if (name && phase === '' && !errs.length) {
          const all = new Set(p.phases.flatMap((ph) => ph.roles.flatMap((x) => [...namesHeld(p, ph, x)])));
          if (all.has(name)) err('query.not-held', `no session of ${r} holds ${name}`, roleTok ?? nameTok, `a name ${r} computes, receives or knows`);
          else err('query.unknown-name', `no value '${name}' in the flow${didYouMean(name, all)}`, nameTok, 'a name the flow computes, receives or knows');
        } else if (name && phase && !errs.length && !holds(p.phases.find((x) => x.id === phase)!)) {
          err('query.not-held', `no session ${r ? `of ${r} ` : ''}in phase ${phase} holds ${name}`, nameTok);
        }
        if (!errs.length && name && phase) queries.push({ kind: 'confidentiality', name, ...(r ? { role: r } : {}), phase, text, pos, ...(cite ? { cite } : {}) });
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
          if (!errs.length) queries.push({ kind: 'agreement', injective: kw.text === 'injective-agreement', role: r1, peer: r2, names: nameToks.map((t) => t.text), phase, text, pos, ...(cite ? { cite } : {}) });
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
