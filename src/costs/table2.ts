/**
 * Table 2 (Chen et al. 2020, §4.7) against an instrumented run, cell by cell.
 *
 * For every (phase, party) the model's operation counts (src/crypto/counters.ts, the paper's units)
 * are compared with the paper's unit by unit. A differing unit is explained only by conventions
 * that can be COUNTED in the run's trace (not asserted): each convention below says, from the
 * party's trace events in that phase, how many operations the paper would count that the model
 * does not (or the reverse). The cell is 'explained' when the model's count adjusted by those
 * conventions equals the paper's, and 'unexplained' otherwise.
 */
import type { TraceEvent } from '../net/trace.js';
import { ROLES, TABLE2, UNITS, UNIT_LABEL, type CostPhase, type Counts5, type Role, type Unit } from './paper.js';

/** A counting convention that separates the paper's Table 2 from the model's counters. */
export interface Convention {
  readonly id: string;
  readonly unit: Unit;
  /** How many units the paper counts on top of the model's count (negative: fewer), for one party in one phase. */
  readonly delta: (events: readonly TraceEvent[]) => number;
  readonly reason: (n: number) => string;
}

const SIGNATURE_CHECKS = new Set([33, 69, 73]);

export const CONVENTIONS: readonly Convention[] = [
  {
    id: 'verify-is-also-cmp',
    unit: 'cmp',
    delta: (ev) => ev.filter((e) => e.kind === 'check' && e.eq !== undefined && SIGNATURE_CHECKS.has(e.eq)).length,
    reason: (n) =>
      `the paper counts every "?=" as a T_Cmp, so its signature verifications (33)/(69)/(73) are a T_Sig AND a T_Cmp; ` +
      `the model counts a verification once, as T_Sig (${n} here)`,
  },
  {
    id: 'model-pk-check',
    unit: 'cmp',
    delta: (ev) => -ev.filter((e) => e.kind === 'check' && e.name === 'PK_X = S_X·P').length,
    reason: (n) =>
      `the model also checks the received PK_X against S_X·P (${-n} comparison${n === -1 ? '' : 's'} not in the paper, which sends PK_X ` +
      'in Step 2 but never checks it)',
  },
];

export type CellVerdict = 'match' | 'explained' | 'unexplained' | 'n/a';

export interface UnitCell {
  readonly unit: Unit;
  readonly paper: number | null;
  readonly model: number;
  readonly verdict: CellVerdict;
  /** Reasons from the conventions that apply to this cell (non-zero delta). */
  readonly reasons: readonly string[];
  /** The model's count adjusted by those conventions. */
  readonly adjusted: number;
}

export interface Table2Cell {
  readonly phase: CostPhase;
  readonly role: Role;
  /** Principal id in the run ('' when the paper says N/A and the model did nothing). */
  readonly party: string;
  readonly paper: Counts5 | null;
  readonly model: Counts5;
  readonly units: readonly UnitCell[];
  readonly verdict: CellVerdict;
}

export function zero5(): Counts5 {
  return { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0 };
}

export function isZero5(c: Counts5): boolean {
  return UNITS.every((u) => c[u] === 0);
}

/** One cell: model counts and that party's trace events in that phase, against Table 2. */
export function compareCell(phase: CostPhase, role: Role, party: string, model: Counts5, events: readonly TraceEvent[]): Table2Cell {
  const paper = TABLE2[phase][role] ?? null;
  const units: UnitCell[] = UNITS.map((unit) => {
    const m = model[unit];
    if (paper === null) {
      return { unit, paper: null, model: m, verdict: m === 0 ? 'n/a' : 'unexplained', reasons: m === 0 ? [] : ['the paper lists N/A, the model computes here'], adjusted: m };
    }
    const p = paper[unit];
    const applied = CONVENTIONS.filter((cv) => cv.unit === unit)
      .map((cv) => ({ cv, n: cv.delta(events) }))
      .filter((x) => x.n !== 0);
    const adjusted = m + applied.reduce((a, x) => a + x.n, 0);
    if (m === p) return { unit, paper: p, model: m, verdict: 'match', reasons: [], adjusted: m };
    const reasons = applied.map((x) => x.cv.reason(x.n));
    return { unit, paper: p, model: m, verdict: adjusted === p ? 'explained' : 'unexplained', reasons, adjusted };
  });
  const verdict: CellVerdict = units.every((u) => u.verdict === 'n/a')
    ? 'n/a'
    : units.some((u) => u.verdict === 'unexplained')
      ? 'unexplained'
      : units.some((u) => u.verdict === 'explained')
        ? 'explained'
        : 'match';
  return { phase, role, party, paper, model, units, verdict };
}

/** The whole table from per-(phase, role) counts and events (roles missing from `cells` count zero). */
export function compareTable2(
  phase: CostPhase,
  cells: Partial<Record<Role, { party: string; counts: Counts5; events: readonly TraceEvent[] }>>,
): Table2Cell[] {
  return ROLES.map((role) => {
    const c = cells[role];
    return compareCell(phase, role, c?.party ?? '', c?.counts ?? zero5(), c?.events ?? []);
  });
}

/** "5 T_Mul + 4 T_H + ..." (zero units omitted; "—" for nothing). */
export function formatCounts(c: Counts5 | null): string {
  if (c === null) return 'N/A';
  const parts = UNITS.filter((u) => c[u] !== 0).map((u) => `${c[u]}${UNIT_LABEL[u]}`);
  return parts.length ? parts.join(' + ') : '—';
}
