/**
 * Flow → `flow` section text, the inverse of src/spec/flow.ts (grammar: docs/flow.md): options,
 * generator, environment, participants (titles, `id NAME = "PRINCIPAL"`, `ledger`), the `setup`
 * block (actions and `share` lines), then each phase (title, §section, participants line, local
 * actions, steps with typed fields and `secure`, the sender's then the receiver's actions, with
 * equation numbers). The parser joins a line whose parentheses are still open onto the next
 * lines; the printer uses that to wrap long items at single spaces inside parentheses, so no
 * printed line exceeds the line-length limit unless one unbreakable run does.
 *
 * flowShape says what "the same flow" means for the round trip (test/spec-roundtrip.test.ts).
 */
import type { Flow, FlowAction, FlowParticipant, FlowPhase, FlowStep } from './flow-ast.js';
import { SECTION_NAMES } from './sections.js';

/** Printed lines are wrapped to about this width. */
const WRAP = 160;
/**
 * An item this long that cannot wrap (no parenthesis) is printed without indentation and with
 * single spaces, so it is never longer than the source line it came from (which fit the line limit).
 */
const LONG = 4_000;

/** A long unwrappable line flush left (one space when its first word would read as a section header). */
function compact(line: string): string {
  const t = line.trimStart();
  const word = /^[A-Za-z]+/.exec(t)?.[0] ?? '';
  return (SECTION_NAMES as readonly string[]).includes(word) ? ` ${t}` : t;
}

const VERB: Record<Exclude<FlowAction['kind'], 'share'>, string> = {
  compute: 'computes',
  check: 'checks',
  contract: 'calls',
  store: 'stores',
  generate: 'generates',
  know: 'knows',
  publish: 'publishes',
};

/**
 * One item as lines: `head` wrapped at lone spaces inside open parentheses (where the parser's
 * continuation joins lines back with one space, so the joined text is exactly `head`).
 */
function wrapLine(indent: string, head: string): string[] {
  const out: string[] = [];
  const cont = `${indent}    `;
  let depth = 0;
  let start = 0;
  let lastBreak = -1;
  let lineStartLen = indent.length;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ' ' && depth > 0 && head[i - 1] !== ' ' && head[i + 1] !== ' ' && i + 1 < head.length) lastBreak = i;
    if (lineStartLen + (i - start) >= WRAP && lastBreak > start) {
      out.push((out.length ? cont : indent) + head.slice(start, lastBreak));
      start = lastBreak + 1;
      lastBreak = -1;
      lineStartLen = cont.length;
    }
  }
  out.push((out.length ? cont : indent) + head.slice(start));
  if (out.length === 1 && out[0]!.length > LONG) out[0] = compact(out[0]!);
  return out;
}

function actionLines(a: FlowAction, indent: string): string[] {
  const eq = a.eq === undefined ? '' : a.text.length > LONG ? ` (${a.eq})` : `   (${a.eq})`;
  if (a.kind === 'share') return wrapLine(indent, `${(a.parties ?? [a.party]).join(', ')} share ${a.text}${eq}`);
  return wrapLine(indent, `${a.party} ${VERB[a.kind]} ${a.text}${eq}`);
}

/** A participant line (titles may hold parentheses, so a long one wraps like an action). */
function participantText(p: FlowParticipant, ledger: string | undefined): string {
  const id = p.identity ? ` id ${p.identity.name} = "${p.identity.principal}"` : '';
  return `participant ${p.id} "${p.title}"${id}${ledger === p.id ? ' ledger' : ''}`;
}

function stepLines(s: FlowStep): string[] {
  const fields = s.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
  const out = wrapLine('    ', `${s.id}: ${s.from} -> ${s.to} : (${fields})${s.channel === 'secure' ? ' secure' : ''}`);
  for (const a of [...s.before, ...s.after]) out.push(...actionLines(a, '      '));
  return out;
}

function phaseLines(p: FlowPhase): string[] {
  const title = p.title === p.id ? '' : ` "${p.title}"`;
  const out = wrapLine('  ', `phase ${p.id}${title}${p.section ? ` ${p.section}` : ''}`);
  // (a list cannot wrap: no parentheses to continue it; a very long one drops the spaces)
  const list = p.participants.join(', ');
  if (p.participants.length) out.push(`    participants ${list.length > 8_000 ? p.participants.join(',') : list}`);
  for (const a of p.local ?? []) out.push(...actionLines(a, '    '));
  for (const s of p.steps) out.push(...stepLines(s));
  return out;
}

/** Whether a line leaves a parenthesis open (the parser then joins every following line onto it). */
function leavesOpen(line: string): boolean {
  let depth = 0;
  for (const c of line) {
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
  }
  return depth > 0;
}

/** The `flow` section (header line included), one string per line. */
export function printFlowLines(flow: Flow): string[] {
  const out = ['flow'];
  if (flow.options?.wire) out.push(`  options wire ${flow.options.wire}`);
  if (flow.options?.aeadAd) out.push(`  options aead-ad ${flow.options.aeadAd}`);
  if (flow.generator) out.push(`  generator ${flow.generator.name}`);
  if (flow.environment) out.push(`  environment ${flow.environment.name}`);
  // A title like "Alice (initiator" leaves a parenthesis open: such a line was the last of its
  // section (it swallowed the rest), so it goes last here too, after the phases.
  const participants = (flow.participants ?? []).map((p) => participantText(p, flow.ledger));
  for (const t of participants) if (!leavesOpen(t)) out.push(...wrapLine('  ', t));
  if (flow.setup) {
    out.push('  setup');
    for (const a of flow.setup) out.push(...actionLines(a, '    '));
  }
  for (const p of flow.phases) out.push(...phaseLines(p));
  for (const t of participants) if (leavesOpen(t)) out.push(...wrapLine('  ', t));
  return out;
}

const actionShape = (a: FlowAction): unknown => [a.kind, a.party, a.parties ?? null, a.text, a.eq ?? null, a.contract ?? null, a.args ?? null];

/** A flow without source positions: what must survive printing and parsing back. */
export function flowShape(flow: Flow): unknown {
  return {
    options: { wire: flow.options?.wire ?? null, aeadAd: flow.options?.aeadAd ?? null },
    generator: flow.generator?.name ?? null,
    environment: flow.environment?.name ?? null,
    ledger: flow.ledger ?? null,
    participants: (flow.participants ?? []).map((p) => [p.id, p.title, p.identity ? [p.identity.name, p.identity.principal] : null]),
    setup: flow.setup ? flow.setup.map(actionShape) : null,
    phases: flow.phases.map((p) => ({
      id: p.id,
      title: p.title,
      section: p.section ?? null,
      participants: p.participants,
      local: (p.local ?? []).map(actionShape),
      steps: p.steps.map((s) => ({
        id: s.id,
        from: s.from,
        to: s.to,
        fields: s.fields.map((f) => [f.name, f.type]),
        channel: s.channel ?? null,
        before: s.before.map(actionShape),
        after: s.after.map(actionShape),
      })),
    })),
  };
}
