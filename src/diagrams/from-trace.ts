/**
 * Mermaid sequence diagrams from a recorded run (a `Trace`, contracts.md): the messages as they
 * were delivered, with their real encoded sizes per field; every computation (equation numbers)
 * and check (✓ / ✗ with the reason); smart-contract calls to the ledger; accepts and aborts; and
 * what the adversary did, drawn apart from honest traffic:
 *
 * - an `Adversary` participant; dropped messages end in a cross at the adversary (`-x`);
 * - modified, replayed, injected or redirected deliveries come from the adversary as dashed
 *   arrows (`--)`) inside an orange `rect`; delays and reorders are orange notes;
 * - failed checks, rejections and aborts sit in red `rect`s; accepts in green ones.
 *
 * Honest deliveries are numbered with the paper's step number (`autonumber N`), as in the flow
 * diagrams, so a trace diagram and its phase's flow diagram line up step for step.
 */
import { COLORS, frontMatter, participantIds, text, wrapLines, type Diagram } from './mermaid.js';
import { stepNumber } from './from-flow.js';
import type { Trace, TraceEvent } from './trace-types.js';

export interface TraceDiagramOptions {
  /** Draw only this phase's events (trace `phase`, e.g. `initial`). */
  phase?: string;
  /** Diagram name (file name) and title; defaults name the phase. */
  name?: string;
  title?: string;
  /** Also draw passive observations by the adversary (off by default: every message is observed). */
  showObserve?: boolean;
  /** Participant id that stands for the ledger in contract calls; default `CENTER` (the blockchain center). */
  ledger?: string;
  /** Lines of a closing note across every lane, on a red background (an attack: the query it refutes, what the attacker learned). */
  epilogue?: readonly string[];
  /** The closing note's background: red (an attack, the default) or green (an honest run's summary). */
  epilogueColor?: 'failure' | 'goal';
}

type Send = Extract<TraceEvent, { kind: 'send' }>;
type Adv = Extract<TraceEvent, { kind: 'adversary' }>;

const TAMPER: ReadonlySet<Adv['action']> = new Set(['modify', 'replay', 'inject']);

/** The phase an event belongs to (deliveries and adversary actions inherit it from their message). */
function phaseOf(e: TraceEvent, sends: ReadonlyMap<number, Send>): string | undefined {
  switch (e.kind) {
    case 'deliver':
      return sends.get(e.ref)?.phase;
    case 'adversary': {
      const s = e.ref === undefined ? undefined : sends.get(e.ref);
      return s?.phase ?? e.step?.split('.')[0];
    }
    default:
      return e.phase;
  }
}

function bytes(n: number): string {
  return `${n} B`;
}

/** `initial.2 (ID_HPA 16 B, R_HPA 33 B, T_HPA 33 B, CHK_PA 32 B) = 114 B` */
export function sendLabel(s: Send): string {
  const fields = s.fields.map((f) => `${f.name} ${bytes(f.size)}`).join(', ');
  return `${s.step} (${fields}) = ${bytes(s.size)}`;
}

/** The phases of a trace in order of first appearance. */
export function tracePhases(trace: Trace): string[] {
  const sends = new Map(trace.events.flatMap((e) => (e.kind === 'send' ? [[e.seq, e] as const] : [])));
  const out: string[] = [];
  for (const e of trace.events) {
    const p = phaseOf(e, sends);
    if (p !== undefined && !out.includes(p)) out.push(p);
  }
  return out;
}

export function diagramForTrace(trace: Trace, opts: TraceDiagramOptions = {}): Diagram {
  const sends = new Map<number, Send>();
  for (const e of trace.events) if (e.kind === 'send') sends.set(e.seq, e);
  const events = trace.events.filter((e) => opts.phase === undefined || phaseOf(e, sends) === opts.phase);
  const shown = events.filter((e) => !(e.kind === 'adversary' && e.action === 'observe' && !opts.showObserve));

  // Participants, in order of appearance; then the ledger and the adversary when used.
  const parties: string[] = [];
  const add = (p: string | undefined) => {
    if (p !== undefined && !parties.includes(p)) parties.push(p);
  };
  for (const e of shown) {
    if (e.kind === 'send') add(e.from), add(e.to);
    else if (e.kind === 'deliver') add(sends.get(e.ref)?.from), add(e.to);
    else if (e.kind === 'adversary') add(e.from ?? (e.ref === undefined ? undefined : sends.get(e.ref)?.from)), add(e.to);
    else add(e.party);
  }
  const ledger = opts.ledger ?? 'CENTER';
  if (shown.some((e) => e.kind === 'contract')) add(ledger);
  const adversaryUsed = shown.some((e) => e.kind === 'adversary');
  let advName = 'Adversary';
  while (parties.includes(advName)) advName += '*';
  const ids = participantIds(adversaryUsed ? [...parties, advName] : parties);
  const id = (p: string) => ids.get(p) ?? p;
  const ADV = id(advName);

  const roleTitle = (p: string) => {
    const role = trace.roles?.[p];
    if (p === ledger && !role) return `${p} (ledger)`;
    return role && role !== p ? `${p} (${role})` : p;
  };

  // Deliveries per message, to tell honest deliveries from replays / modified copies.
  const deliveries = new Map<number, number[]>();
  for (const e of trace.events) if (e.kind === 'deliver') deliveries.set(e.ref, [...(deliveries.get(e.ref) ?? []), e.seq]);
  // injections without a ref whose seq a delivery names: drawn once, at that delivery
  const injected = new Map<number, Adv>();
  for (const e of trace.events) if (e.kind === 'adversary' && e.action === 'inject' && e.ref === undefined && deliveries.has(e.seq)) injected.set(e.seq, e);
  const advByRef = new Map<number, Adv[]>();
  for (const e of trace.events) if (e.kind === 'adversary' && e.ref !== undefined) advByRef.set(e.ref, [...(advByRef.get(e.ref) ?? []), e]);

  const phaseName = opts.phase ?? 'all phases';
  const title = opts.title ?? `Run trace: ${phaseName} (suite ${trace.suite}, seed ${trace.seed})`;
  const lines: string[] = [frontMatter(title), 'sequenceDiagram'];
  lines.push(`  %% generated by bantam from a run trace (suite ${trace.suite}, seed ${trace.seed}, ${events.length} events); one concrete run, not a proof`);
  for (const p of parties) lines.push(`  participant ${id(p)} as ${text(roleTitle(p))}`);
  if (adversaryUsed) lines.push(`  participant ${ADV} as Adversary`);

  const span = (() => {
    const all = [...parties.map(id), ...(adversaryUsed ? [ADV] : [])];
    return all.length > 1 ? `${all[0]},${all[all.length - 1]}` : (all[0] ?? 'Nobody');
  })();
  const inRect = (color: string, body: string[]) => lines.push(`  rect ${color}`, ...body.map((b) => `  ${b}`), '  end');

  // Consecutive computations and passed checks of one party share a note.
  let note: { party: string; lines: string[] } | undefined;
  const flushNote = () => {
    if (!note) return;
    lines.push(`  Note over ${id(note.party)}: ${note.lines.map(text).join('<br/>')}`);
    note = undefined;
  };
  const addNote = (party: string, line: string) => {
    if (note && note.party !== party) flushNote();
    note ??= { party, lines: [] };
    note.lines.push(line);
  };
  let currentPhase: string | undefined;

  for (const e of shown) {
    const quiet = e.kind === 'compute' || (e.kind === 'check' && e.ok);
    if (!quiet) flushNote();
    const ph = phaseOf(e, sends);
    if (opts.phase === undefined && ph !== undefined && ph !== currentPhase) {
      currentPhase = ph;
      lines.push(`  Note over ${span}: ${text(`phase ${ph}`)}`);
    }
    switch (e.kind) {
      case 'send': {
        const dropped = (advByRef.get(e.seq) ?? []).some((a) => a.action === 'drop');
        if (!deliveries.has(e.seq) && !dropped) {
          inRect(COLORS.failure, [`${id(e.from)}-x${id(e.to)}: ${text(`${sendLabel(e)}, never delivered`)}`]);
        }
        break;
      }
      case 'deliver': {
        const s = sends.get(e.ref);
        if (!s) {
          // a message the adversary made (its inject event's seq is the envelope's id): one arrow, named as injected
          const inj = injected.get(e.ref);
          const what = inj ? `inject ${inj.step ?? 'a message'}${inj.from ? ` as ${inj.from}` : ''}${inj.detail ? `: ${inj.detail}` : ''}` : `delivers message #${e.ref} (no recorded sender)`;
          inRect(COLORS.adversary, [`${ADV}--)${id(e.to)}: ${text(what)}`]);
          break;
        }
        const all = deliveries.get(e.ref) ?? [];
        const prev = all.filter((q) => q < e.seq);
        const since = prev.length > 0 ? Math.max(...prev) : s.seq;
        const tamper = (advByRef.get(e.ref) ?? []).filter((a) => a.seq > since && a.seq < e.seq && TAMPER.has(a.action));
        const replayed = prev.length > 0;
        const redirected = e.to !== s.to;
        if (tamper.length > 0 || replayed || redirected) {
          const what = [
            ...tamper.map((a) => a.action),
            ...(replayed && !tamper.some((a) => a.action === 'replay') ? ['replay'] : []),
            ...(redirected ? [`redirected (meant for ${s.to})`] : []),
          ];
          inRect(COLORS.adversary, [`${ADV}--)${id(e.to)}: ${text(`${what.join(', ')}: ${sendLabel(s)}`)}`]);
        } else {
          const n = stepNumber(s.step);
          lines.push(n === undefined ? '  autonumber off' : `  autonumber ${n}`);
          lines.push(`  ${id(s.from)}->>${id(e.to)}: ${text(sendLabel(s))}`);
          lines.push('  autonumber off');
        }
        break;
      }
      case 'adversary': {
        const s = e.ref === undefined ? undefined : sends.get(e.ref);
        const step = e.step ?? s?.step ?? 'a message';
        const detail = e.detail ? `: ${e.detail}` : '';
        if (e.action === 'observe') {
          lines.push(`  Note over ${ADV}: ${text(`observes ${step}${detail}`)}`);
        } else if (e.action === 'drop') {
          const from = e.from ?? s?.from;
          inRect(COLORS.failure, [
            from === undefined ? `Note over ${ADV}: ${text(`drops ${step}${detail}`)}` : `${id(from)}-x${ADV}: ${text(`${s ? sendLabel(s) : step} dropped${detail}`)}`,
          ]);
        } else if (injected.has(e.seq)) {
          // drawn at its delivery
        } else {
          const pending = e.ref !== undefined && (deliveries.get(e.ref) ?? []).some((q) => q > e.seq);
          const body = [`Note over ${ADV}: ${text(`${e.action} ${step}${detail}`)}`];
          // An injection (or tampering) no delivery refers to is drawn here, towards its target.
          if (TAMPER.has(e.action) && !pending && e.to !== undefined) body.push(`${ADV}--)${id(e.to)}: ${text(`${e.action}: ${step}`)}`);
          inRect(COLORS.adversary, body);
        }
        break;
      }
      case 'compute':
        addNote(e.party, `${e.what}  (${e.eq})`);
        break;
      case 'check': {
        const eq = e.eq === undefined ? '' : `  (${e.eq})`;
        if (e.ok) addNote(e.party, `✓ check ${e.name}${eq}`);
        else inRect(COLORS.failure, [`Note over ${id(e.party)}: ${text(`✗ check ${e.name}${eq}${e.reason ? `: ${e.reason}` : ''}`)}`]);
        break;
      }
      case 'contract': {
        const arrow = `${id(e.party)}--)${id(ledger)}: ${text(`${e.ok ? '✓' : '✗'} smart contract ${e.contract}${e.detail ? `: ${e.detail}` : ''}`)}`;
        if (e.ok) lines.push(`  ${arrow}`);
        else inRect(COLORS.failure, [arrow]);
        break;
      }
      case 'reject':
        inRect(COLORS.failure, [`Note over ${id(e.party)}: ${text(`✗ rejects ${e.step}: ${e.reason}`)}`]);
        break;
      case 'accept':
        inRect(COLORS.goal, [`Note over ${id(e.party)}: ${text(`✓ accepts session ${e.session}${e.peer ? ` with ${e.peer}` : ''}`)}`]);
        break;
      case 'abort': {
        const eq = e.eq === undefined ? '' : ` (eq ${e.eq})`;
        inRect(COLORS.failure, [`Note over ${id(e.party)}: ${text(`✗ aborts session ${e.session}${e.reason ? `: ${e.reason}` : ''}${eq}`)}`]);
        break;
      }
    }
  }
  flushNote();
  if (shown.length === 0) lines.push(`  Note over ${span}: ${text(`no events${opts.phase ? ` in phase ${opts.phase}` : ''}`)}`);
  if (opts.epilogue?.length) inRect(COLORS[opts.epilogueColor ?? 'failure'], [`Note over ${span}: ${opts.epilogue.flatMap((l) => wrapLines(l, 100, 3)).map((l) => text(l)).join('<br/>')}`]);
  const name = opts.name ?? (opts.phase ? `trace-${opts.phase}` : 'trace');
  return { name, title, mermaid: `${lines.join('\n')}\n` };
}

/** One diagram per phase of the trace, in order of appearance. */
export function diagramsForTrace(trace: Trace, opts: Omit<TraceDiagramOptions, 'phase' | 'name' | 'title'> = {}): Diagram[] {
  return tracePhases(trace).map((phase) => diagramForTrace(trace, { ...opts, phase }));
}
