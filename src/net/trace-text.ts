/**
 * A run trace (./trace.ts) as the lines of a transcript a person reads in one pass: one line per
 * message put on the wire, per run of one party's computations (their equation numbers), per
 * check, contract call, rejection, adversary action and session outcome. Used by `bantam run` for
 * the EMR model (src/cli/commands/run.ts) and for any executable flow (src/interpret/report.ts).
 */
import type { TraceEvent } from './trace.js';

export interface TraceTextOptions {
  /** The heading printed when the phase changes (undefined: no heading for that phase). */
  phaseHeading(phase: string): string | undefined;
}

export function traceLines(events: readonly TraceEvent[], opts: TraceTextOptions): string[] {
  const out: string[] = [];
  let phase = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if ('phase' in e && e.phase !== phase) {
      const heading = opts.phaseHeading(e.phase);
      if (heading !== undefined) {
        phase = e.phase;
        out.push(heading);
      }
    }
    switch (e.kind) {
      case 'compute': {
        // one line per party and run of consecutive computations in one phase
        const eqs: number[] = [e.eq];
        for (let n = events[i + 1]; n?.kind === 'compute' && n.party === e.party && n.phase === e.phase; n = events[i + 1]) {
          eqs.push(n.eq);
          i++;
        }
        out.push(`      ${e.party.padEnd(7)} computes ${eqs.map((q) => `(${q})`).join(' ')}`);
        break;
      }
      case 'send': {
        const fields = e.fields.map((f) => `${f.name}[${f.size}]`).join(' ');
        out.push(`#${String(e.seq).padEnd(4)} ${e.step.padEnd(15)} ${e.from} → ${e.to}  ${fields}  = ${e.size} B  (session ${e.session})`);
        break;
      }
      case 'check':
        out.push(`      ${e.party.padEnd(7)} ${e.ok ? 'ok  ' : 'FAIL'} ${e.eq !== undefined ? `(${e.eq}) ` : ''}${e.name}${e.reason ? ` — ${e.reason}` : ''}`);
        break;
      case 'contract':
        out.push(`      ${e.party.padEnd(7)} ${e.ok ? 'ok  ' : 'FAIL'} contract ${e.contract}${e.detail ? `: ${e.detail}` : ''}`);
        break;
      case 'reject':
        out.push(`      ${e.party.padEnd(7)} REJECT ${e.step}: ${e.reason}`);
        break;
      case 'accept':
        out.push(`      ${e.party.padEnd(7)} accepts session ${e.session}${e.peer ? ` with ${e.peer}` : ''}`);
        break;
      case 'abort':
        out.push(`      ${e.party.padEnd(7)} ABORTS session ${e.session}${e.eq !== undefined ? ` at (${e.eq})` : ''}: ${e.reason ?? ''}`);
        break;
      case 'adversary':
        out.push(`      adversary ${e.action} ${e.ref !== undefined ? `#${e.ref} ` : ''}${e.detail}`);
        break;
      case 'deliver':
        break;
    }
  }
  return out;
}
