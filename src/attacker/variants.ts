/**
 * Paper-literal and hardened variants of a typed protocol (issue 13, "Honest bookkeeping"): a
 * spec may declare additions the paper does not make — a step tag byte on the wire
 * (`options wire tagged`, also the default when the spec says nothing) and AEAD associated data
 * binding each ciphertext to its step (`options aead-ad field-step`). A verdict that holds only
 * because of such an addition must say so. This module
 *  - lists the additions a typed protocol carries (`additionsOf`), from its options alone;
 *  - builds the variant without a set of them by changing the TYPED protocol (`withoutAdditions`):
 *    the options, and for aead-ad the `ad` every enc/dec/penc/pdec application carries (the
 *    checker bakes the step into each application, src/flow-lang/check.ts) — never by rewriting
 *    the spec's text;
 *  - runs the queries on the spec as written and on the paper-literal variant (every addition
 *    removed), and, when a verdict differs and several additions are declared, on each variant
 *    without one addition, to name which addition the verdict depends on (`searchVariants`).
 * The additions are data (ADDITIONS): an option added to the language later joins by one entry.
 */
import type { TAction, TExpr, TPhase, TStep, TypedProtocol } from '../flow-lang/typed.js';
import type { Query } from './queries.js';
import type { SearchOptions, SearchReport, Verdict } from './search.js';
import { analyseQueries } from './analyse.js';

export type AdditionId = 'wire-tag' | 'aead-ad';

export interface AdditionDef {
  id: AdditionId;
  /** How outputs name it ("wire tag"). */
  label: string;
  /** The option as the spec writes it when the addition is present. */
  hardened: string;
  /** The option of the paper-literal variant. */
  literal: string;
  /** What it adds, one phrase. */
  meaning: string;
  present(p: TypedProtocol): boolean;
  /** Whether the spec declares it (false: the tool's default added it). */
  declared(p: TypedProtocol): boolean;
  remove(p: TypedProtocol): TypedProtocol;
}

export interface Addition {
  id: AdditionId;
  label: string;
  hardened: string;
  literal: string;
  meaning: string;
  declared: boolean;
}

/** A copy of an expression without AEAD associated data. */
function stripAd(e: TExpr): TExpr {
  switch (e.kind) {
    case 'prim': {
      const { ad: _ad, ...rest } = e;
      return { ...rest, args: e.args.map(stripAd) };
    }
    case 'env':
      return { ...e, args: e.args.map(stripAd) };
    case 'tuple':
      return { ...e, items: e.items.map(stripAd) };
    default:
      return e;
  }
}

function stripAction(a: TAction): TAction {
  switch (a.kind) {
    case 'compute':
      return { ...a, expr: stripAd(a.expr) };
    case 'check':
      return { ...a, left: stripAd(a.left), ...(a.right ? { right: stripAd(a.right) } : {}) };
    case 'call':
      return { ...a, args: a.args.map(stripAd) };
    default:
      return a;
  }
}

function mapActions(p: TypedProtocol, f: (a: TAction) => TAction): Pick<TypedProtocol, 'setup' | 'phases'> {
  const step = (s: TStep): TStep => ({ ...s, before: s.before.map(f), after: s.after.map(f) });
  const phase = (ph: TPhase): TPhase => ({ ...ph, local: ph.local.map(f), steps: ph.steps.map(step) });
  return { setup: p.setup.map(f), phases: p.phases.map(phase) };
}

const declaredOpt = (p: TypedProtocol, o: 'wire' | 'aead-ad') => !p.options.defaulted?.includes(o);

export const ADDITIONS: readonly AdditionDef[] = [
  {
    id: 'wire-tag',
    label: 'wire tag',
    hardened: 'wire tagged',
    literal: 'wire untagged',
    meaning: 'a one-byte step tag before every message',
    present: (p) => p.options.wire === 'tagged',
    declared: (p) => declaredOpt(p, 'wire'),
    remove: (p) => ({ ...p, options: { ...p.options, wire: 'untagged' } }),
  },
  {
    id: 'aead-ad',
    label: 'aead-ad',
    hardened: 'aead-ad field-step',
    literal: 'aead-ad none',
    meaning: 'AEAD associated data binding each ciphertext to the step that carries it',
    present: (p) => p.options.aeadAd === 'field-step',
    declared: (p) => declaredOpt(p, 'aead-ad'),
    remove: (p) => ({ ...p, ...mapActions(p, stripAction), options: { ...p.options, aeadAd: 'none' } }),
  },
];

/** The additions the protocol carries (declared, or added by a default), in ADDITIONS order. */
export function additionsOf(p: TypedProtocol): Addition[] {
  return ADDITIONS.filter((d) => d.present(p)).map((d) => ({ id: d.id, label: d.label, hardened: d.hardened, literal: d.literal, meaning: d.meaning, declared: d.declared(p) }));
}

/** The typed protocol without the given additions (options and, for aead-ad, every application's AD). */
export function withoutAdditions(p: TypedProtocol, ids: Iterable<AdditionId>): TypedProtocol {
  let out = p;
  const drop = new Set(ids);
  for (const d of ADDITIONS) if (drop.has(d.id) && d.present(out)) out = d.remove(out);
  return out;
}

/** The options line of a variant, e.g. "wire untagged, aead-ad none". */
export function optionsText(p: TypedProtocol): string {
  return `wire ${p.options.wire}, aead-ad ${p.options.aeadAd}`;
}

export interface VariantRun {
  /** 'as-written', 'paper-literal', or 'without wire tag' / 'without aead-ad'. */
  name: string;
  removed: AdditionId[];
  options: string;
  report: SearchReport;
}

/** What one query's verdict rests on, compared across the variants. */
export interface QueryDependency {
  query: Query;
  written: Verdict;
  /** The paper-literal variant's verdict (absent when no literal run was made). */
  literal?: Verdict;
  /**
   * The additions the written verdict depends on: removing one of them alone changes it; when no
   * single removal does but removing all does, every addition is listed and `jointly` is true.
   */
  dependsOn: AdditionId[];
  jointly: boolean;
  /** A literal verdict that could not be compared (not tested in one of the two). */
  undecided?: string;
}

export interface VariantsReport {
  additions: Addition[];
  /** True when the spec carries no addition (it is already literal): one run. */
  literalAsWritten: boolean;
  /** True when the literal run was skipped on request (--as-written, or --workers: `skippedBy`). */
  skipped: boolean;
  /** What skipped it, when not --as-written (e.g. '--workers 2'). */
  skippedBy?: string;
  runs: VariantRun[];
  dependencies: QueryDependency[];
  ms: number;
}

const same = (a: Verdict, b: Verdict) => a.status === b.status;
const decided = (v: Verdict) => v.status !== 'not-tested';

/**
 * The queries on the spec as written and, unless `asWritten`, on the paper-literal variant (and
 * on one-addition-removed variants when needed to attribute a difference). Every variant uses the
 * same seed, suite and bound.
 */
export function searchVariants(protocol: TypedProtocol, queries: readonly Query[], opts: SearchOptions & { asWritten?: boolean }): VariantsReport {
  const t0 = performance.now();
  const { asWritten, ...search } = opts;
  const additions = additionsOf(protocol);
  const written: VariantRun = { name: 'as written', removed: [], options: optionsText(protocol), report: analyseQueries(protocol, queries, search) };
  const runs: VariantRun[] = [written];
  const literalAsWritten = additions.length === 0;
  if (literalAsWritten || asWritten) {
    return { additions, literalAsWritten, skipped: !!asWritten && !literalAsWritten, runs, dependencies: queries.map((q, i) => ({ query: q, written: written.report.verdicts[i]!, dependsOn: [], jointly: false })), ms: performance.now() - t0 };
  }
  const all = additions.map((a) => a.id);
  const litP = withoutAdditions(protocol, all);
  const literal: VariantRun = { name: 'paper-literal', removed: all, options: optionsText(litP), report: analyseQueries(litP, queries, search) };
  runs.push(literal);
  const differs = queries.some((_, i) => decided(written.report.verdicts[i]!) && decided(literal.report.verdicts[i]!) && !same(written.report.verdicts[i]!, literal.report.verdicts[i]!));
  const singles = new Map<AdditionId, VariantRun>();
  if (differs && additions.length > 1) {
    for (const a of additions) {
      const p1 = withoutAdditions(protocol, [a.id]);
      const run: VariantRun = { name: `without ${a.label}`, removed: [a.id], options: optionsText(p1), report: analyseQueries(p1, queries, search) };
      singles.set(a.id, run);
      runs.push(run);
    }
  }
  const dependencies: QueryDependency[] = queries.map((q, i) => {
    const w = written.report.verdicts[i]!;
    const l = literal.report.verdicts[i]!;
    const base = { query: q, written: w, literal: l };
    if (!decided(w) || !decided(l)) {
      const why = !decided(l) ? `the paper-literal variant left it not tested: ${l.reason}` : `not tested as written: ${w.reason}`;
      return { ...base, dependsOn: [], jointly: false, ...(decided(w) || decided(l) ? { undecided: why } : {}) };
    }
    if (same(w, l)) return { ...base, dependsOn: [], jointly: false };
    if (additions.length === 1) return { ...base, dependsOn: [additions[0]!.id], jointly: false };
    const single = additions.filter((a) => {
      const v = singles.get(a.id)!.report.verdicts[i]!;
      return decided(v) && !same(w, v);
    });
    return single.length ? { ...base, dependsOn: single.map((a) => a.id), jointly: false } : { ...base, dependsOn: all, jointly: true };
  });
  return { additions, literalAsWritten, skipped: false, runs, dependencies, ms: performance.now() - t0 };
}

/** A search of the spec as written only (e.g. run by worker processes), as a variants report that says so. */
export function asWrittenOnly(protocol: TypedProtocol, queries: readonly Query[], report: SearchReport, skippedBy: string): VariantsReport {
  const additions = additionsOf(protocol);
  const literalAsWritten = additions.length === 0;
  return { additions, literalAsWritten, skipped: !literalAsWritten, ...(literalAsWritten ? {} : { skippedBy }), runs: [{ name: 'as written', removed: [], options: optionsText(protocol), report }], dependencies: queries.map((q, i) => ({ query: q, written: report.verdicts[i]!, dependsOn: [], jointly: false })), ms: report.ms };
}

/** "wire tag", "aead-ad", or "wire tag and aead-ad together". */
export function dependencyText(d: QueryDependency, additions: readonly Addition[]): string {
  const label = (id: AdditionId) => additions.find((a) => a.id === id)?.hardened ?? id;
  if (!d.dependsOn.length) return '';
  return d.jointly ? `${d.dependsOn.map(label).join(' or ')} (either one suffices; removing all of them changes it)` : d.dependsOn.map(label).join(', ');
}
