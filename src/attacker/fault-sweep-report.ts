/**
 * The single-fault sweep's report (./fault-sweep.ts) as a person reads it in one pass, and as JSON:
 * the bound first (seed, suite, the runs, the classes), then per phase one line per step × field
 * (faults, how many rejected, where and by which check), the accepted faults spelled out (an attack
 * when a query is violated, otherwise a malleable value no check binds), crashes (bantam bugs), and
 * a summary line with the counts. It never says a query holds: a sweep is bounded testing.
 */
import { tableLines } from '../report/table.js';
import { CLASS_TEXT, OTHER_FIELD_CAP } from './fault-classes.js';
import type { FaultResult, PhaseSweep, Rejection, SweepReport } from './fault-sweep.js';

export const SWEEP_ASSURANCE = 'bounded testing: each fault is one alteration of one public message of one honest run, replayed from the seed on real crypto; a fault rejected is no proof that the check is right, and no fault accepted is no proof that the protocol is secure';

export interface SweepCounts {
  faults: number;
  rejected: number;
  accepted: number;
  attacks: number;
  malleable: number;
  notSent: number;
  incomplete: number;
  crashes: number;
  baselineFailed: number;
}

export function sweepCounts(r: SweepReport): SweepCounts {
  const all = r.phases.flatMap((p) => p.results);
  const acc = all.filter((x) => x.outcome.kind === 'accepted');
  const attacks = acc.filter((x) => x.outcome.kind === 'accepted' && x.outcome.violated.length > 0).length;
  return {
    faults: all.length,
    rejected: all.filter((x) => x.outcome.kind === 'rejected').length,
    accepted: acc.length,
    attacks,
    malleable: acc.length - attacks,
    notSent: all.filter((x) => x.outcome.kind === 'not-sent').length,
    incomplete: all.filter((x) => x.outcome.kind === 'incomplete').length,
    crashes: all.filter((x) => x.outcome.kind === 'crash').length,
    baselineFailed: r.phases.filter((p) => !p.baseline.ok || p.baseline.violated.length > 0).length,
  };
}

/** Where a rejection happened, as one short phrase: `B at ns.1: (Na, A) = pdec(skB, c1)`. */
export function whereRejected(r: Rejection): string {
  const what = r.by === 'check' ? `${r.check}${r.eq !== undefined ? ` (${r.eq})` : ''}` : `${r.by} ${r.code}${r.check !== r.step ? ` (${r.check})` : ''}`;
  return `${r.party} at ${r.step}: ${what}`;
}

function stepFieldRows(ph: PhaseSweep): string[][] {
  const groups = new Map<string, FaultResult[]>();
  for (const x of ph.results) {
    const k = `${x.fault.step}\u0000${x.fault.field}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(x);
  }
  const rows: string[][] = [['step', 'field', 'faults', 'rejected', 'where rejected (count)']];
  for (const xs of groups.values()) {
    const rej = xs.flatMap((x) => (x.outcome.kind === 'rejected' ? [whereRejected(x.outcome.at)] : []));
    const tally = new Map<string, number>();
    for (const w of rej) tally.set(w, (tally.get(w) ?? 0) + 1);
    const others = xs.length - rej.length;
    const kinds = new Map<string, number>();
    for (const x of xs) if (x.outcome.kind !== 'rejected') kinds.set(x.outcome.kind === 'accepted' ? (x.outcome.violated.length ? 'ATTACK' : 'ACCEPTED') : x.outcome.kind, (kinds.get(x.outcome.kind === 'accepted' ? (x.outcome.violated.length ? 'ATTACK' : 'ACCEPTED') : x.outcome.kind) ?? 0) + 1);
    const where = [...tally].map(([w, n]) => `${w}${n > 1 ? ` ×${n}` : ''}`);
    if (others) where.push(...[...kinds].map(([k, n]) => `${k} ×${n}`));
    rows.push([xs[0]!.fault.step, xs[0]!.fault.field, String(xs.length), `${rej.length}/${xs.length}`, where.join('; ')]);
  }
  return rows;
}

function phaseText(ph: PhaseSweep): string[] {
  const out: string[] = [];
  const n = ph.results.length;
  out.push(`phase ${ph.phase}: ${ph.steps.length} public step${ph.steps.length === 1 ? '' : 's'} (${ph.steps.join(', ') || 'none'}), ${n} fault${n === 1 ? '' : 's'}`);
  out.push(`  run before it, honestly: ${ph.prior.length ? ph.prior.join('; ') : 'no prior phase'}`);
  if (!ph.baseline.ok) {
    out.push(`  NOT SWEPT: the honest runs did not complete: ${ph.baseline.failures.join('; ')}`);
    return out;
  }
  for (const v of ph.baseline.violated) out.push(`  the HONEST run already violates ${v.query}: ${v.detail}`);
  out.push(`  queries judged on each accepted run: ${ph.queries.judged.length ? ph.queries.judged.join('; ') : 'none (the spec declares none for this phase)'}`);
  for (const s of ph.queries.skipped) out.push(`  not judged: ${s.query} — ${s.reason}`);
  out.push('');
  out.push(...tableLines(stepFieldRows(ph), { indent: '  ', align: ['left', 'left', 'right', 'right', 'left'] }));
  const accepted = ph.results.filter((x) => x.outcome.kind === 'accepted');
  if (accepted.length) {
    out.push('', '  accepted (the receiver took the altered message; the run went on to its end):');
    for (const x of accepted) {
      if (x.outcome.kind !== 'accepted') continue;
      const what = `${x.fault.id}${x.fault.note ? ` (${x.fault.note})` : ''}`;
      if (x.outcome.violated.length) for (const v of x.outcome.violated) out.push(`    ATTACK ${what}: ${v.query} violated — ${v.detail}${x.outcome.then ? ` (then ${whereRejected(x.outcome.then)})` : ''}`);
      else out.push(`    ${what}: no query violated — no check binds this value (a malleable ${x.fault.cls.startsWith('sender-') ? 'value of a dishonest sender' : 'field'}; a finding, not an attack)`);
    }
  }
  const incomplete = ph.results.filter((x) => x.outcome.kind === 'incomplete');
  for (const x of incomplete) if (x.outcome.kind === 'incomplete') out.push(`  incomplete ${x.fault.id}: ${x.outcome.detail}`);
  const crashes = ph.results.filter((x) => x.outcome.kind === 'crash');
  for (const x of crashes) if (x.outcome.kind === 'crash') out.push(`  CRASH (a bantam bug, not a rejection) ${x.fault.id}: ${x.outcome.error}`);
  const notSent = ph.results.filter((x) => x.outcome.kind === 'not-sent');
  if (notSent.length) out.push(`  not sent: ${notSent.length} sender fault${notSent.length === 1 ? '' : 's'} stopped the dishonest sender's own program before its message (e.g. ${notSent[0]!.fault.id}: ${notSent[0]!.outcome.kind === 'not-sent' ? notSent[0]!.outcome.detail : ''})`);
  return out;
}

export function sweepText(r: SweepReport, file: string): string {
  const c = sweepCounts(r);
  const out: string[] = [];
  out.push(`bantam sweep — single-fault sweep of ${file}`);
  out.push(`suite ${r.suite}, seed ${r.seed}; the attacker's identity: ${r.attacker}`);
  out.push(`assurance: ${SWEEP_ASSURANCE}`);
  out.push('bound: per phase, the phases it depends on run honestly first; then two honest runs of the phase (sweep:other, then sweep:run), one session per role under the declared principals;');
  out.push(`       each fault alters exactly one public message of sweep:run, by one class (other-field: at most ${OTHER_FIELD_CAP} per field):`);
  out.push(...tableLines(r.classes.map((k) => [k, CLASS_TEXT[k]]), { indent: '         ' }));
  out.push('');
  for (const ph of r.phases) out.push(...phaseText(ph), '');
  out.push(`summary: ${c.faults} faults: ${c.rejected} rejected, ${c.accepted} accepted (${c.attacks} attack${c.attacks === 1 ? '' : 's'}, ${c.malleable} malleable), ${c.notSent} not sent, ${c.incomplete} incomplete, ${c.crashes} crash${c.crashes === 1 ? '' : 'es'}${c.baselineFailed ? `; ${c.baselineFailed} phase(s) whose honest run failed or violates a query` : ''} — ${(r.ms / 1000).toFixed(1)} s`);
  return out.join('\n');
}

export function sweepJson(r: SweepReport): object {
  return {
    protocol: r.protocol,
    attacker: r.attacker,
    classes: r.classes.map((k) => ({ id: k, text: CLASS_TEXT[k] })),
    counts: sweepCounts(r),
    ms: Math.round(r.ms),
    phases: r.phases.map((p) => ({ phase: p.phase, prior: p.prior, baseline: p.baseline, steps: p.steps, queries: p.queries, faults: p.results.map((x) => ({ ...x.fault, outcome: x.outcome })) })),
  };
}
