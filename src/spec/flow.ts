/**
 * Parser for the `flow` section of a spec: the concrete protocol as papers print it — phases,
 * numbered steps with sender, receiver and typed message fields, and what each party computes,
 * checks, stores and asks the ledger (smart contracts), each with the paper's equation number.
 *
 * Grammar (normative, with examples): docs/flow.md. Step ids follow the cross-team contract
 * `<phase>.<paper step number>` (`initial.1`, `inter.10`, `registration.2`).
 *
 * The parser recovers line by line: it returns every error and warning it finds, with
 * `file:line:col` positions, and the flow built from the lines that parsed. The caller (the spec
 * loader) refuses a spec whose diagnostics contain an error.
 */
import { diag, type Diagnostic, type SourcePos } from './diagnostics.js';
import type { Flow, FlowAction, FlowField, FlowOptions, FlowParticipant, FlowPhase, FlowStep } from './flow-ast.js';
import type { Section } from './sections.js';

/** Field types of the cross-team contract (contracts.md, "Field types"). */
export const FIELD_TYPES = ['id', 'point', 'scalar', 'check', 'ciphertext', 'signature', 'bytes', 'key', 'nonce', 'hash', 'mac', 'pke'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Action verbs and the action kind each one makes. */
export const ACTION_VERBS: Readonly<Record<string, FlowAction['kind']>> = {
  computes: 'compute',
  checks: 'check',
  calls: 'contract',
  stores: 'store',
  generates: 'generate',
  knows: 'know',
  publishes: 'publish',
};

/** `A, S share K: key` — a value every listed party holds from the start (setup). */
const SHARE_LINE = /^([A-Za-z][A-Za-z0-9_']*(?:\s*,\s*[A-Za-z][A-Za-z0-9_']*)+)\s+share\s+/;

const NAME = /^[A-Za-z][A-Za-z0-9_']*/;
const PHASE_ID = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/;
const STEP_HEAD = /^([A-Za-z][A-Za-z0-9_-]*)\.(\d+)\s*:/;

/** A logical line: one or more source lines joined while parentheses are open. */
interface Logical {
  text: string;
  file: string;
  /**
   * One segment per joined source line, in order: `text` from `start` on is that line's body
   * (its first non-blank character at column `col`). A continued line is joined with one space
   * at `start - 1`, which takes the position of the line's first character. Positions are
   * computed on demand (a position object per character made start-up allocation-heavy).
   */
  segs: { start: number; line: number; col: number }[];
}

/** Source position of `offset` in a logical line (offsets past the end give the end). */
function posAt(l: Logical, offset: number): SourcePos {
  const o = Math.min(offset, l.text.length);
  let k = l.segs.length - 1;
  while (k > 0 && l.segs[k]!.start - 1 > o) k--;
  const s = l.segs[k]!;
  return { file: l.file, line: s.line, col: s.col + Math.max(0, o - s.start) };
}

/** Joins lines whose parentheses are still open onto the line that opened them. */
function logicalLines(section: Section, file: string): Logical[] {
  const out: Logical[] = [];
  let open: Logical | undefined;
  let depth = 0;
  for (const l of section.lines) {
    if (l.text.trim() === '') continue;
    const startCol = l.text.length - l.text.trimStart().length;
    const body = l.text.slice(startCol);
    if (open && depth > 0) {
      open.text += ` ${body}`;
      open.segs.push({ start: open.text.length - body.length, line: l.line, col: startCol + 1 });
    } else {
      open = { text: body, file, segs: [{ start: 0, line: l.line, col: startCol + 1 }] };
      out.push(open);
      depth = 0;
    }
    for (const c of body) {
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
    }
  }
  return out;
}

/** A cursor over one logical line that knows every character's source position. */
class Cursor {
  i = 0;
  constructor(readonly l: Logical) {}
  get rest(): string {
    return this.l.text.slice(this.i);
  }
  pos(offset = this.i): SourcePos {
    return posAt(this.l, offset);
  }
  ws(): void {
    while (this.i < this.l.text.length && /\s/.test(this.l.text[this.i]!)) this.i++;
  }
  eat(re: RegExp): string | undefined {
    this.ws();
    const m = re.exec(this.rest);
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }
  atEnd(): boolean {
    this.ws();
    return this.i >= this.l.text.length;
  }
}

/** Split `a, f(b, c), d` at top-level commas, keeping each part's offset. */
function splitTopLevel(text: string, base: number): { text: string; at: number }[] {
  const parts: { text: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (i === text.length || (c === ',' && depth === 0)) {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      parts.push({ text: raw.trim(), at: base + start + lead });
      start = i + 1;
    }
  }
  return parts;
}

/** Offset of the `)` matching the `(` at `open`, or -1. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

export function parseFlowSection(section: Section, file: string): { flow: Flow; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, pos: SourcePos, extra: { expected?: string; length?: number } = {}) =>
    diagnostics.push(diag('error', code, message, pos, extra));
  const warn = (code: string, message: string, pos: SourcePos, extra: { expected?: string; length?: number } = {}) =>
    diagnostics.push(diag('warning', code, message, pos, extra));

  if (section.args.trim() !== '') {
    error('flow.syntax', "the 'flow' header takes nothing after it", { file, line: section.headerLine, col: section.argsCol }, {
      expected: 'the phases on the following lines',
      length: section.args.trim().length,
    });
  }

  const participants: FlowParticipant[] = [];
  let ledger: string | undefined;
  const options: FlowOptions = {};
  let generator: Flow['generator'];
  let environment: Flow['environment'];
  let setup: FlowAction[] | undefined;
  let inSetup = false;
  const phases: FlowPhase[] = [];
  /** Participants listed explicitly per phase (by a `participants` line), and where. */
  const listed = new Map<FlowPhase, SourcePos>();
  let phase: FlowPhase | undefined;
  let step: FlowStep | undefined;
  /** Equation number -> where it first appeared. */
  const eqSeen = new Map<number, SourcePos>();
  /** Parties referenced, with a position, for the end-of-section checks. */
  const uses: { who: string; pos: SourcePos; phase: FlowPhase }[] = [];
  /** Parties acting in the setup block. */
  const setupUses: { who: string; pos: SourcePos }[] = [];

  const parseParticipant = (c: Cursor) => {
    const idPos = c.pos(c.i + (c.rest.length - c.rest.trimStart().length));
    const id = c.eat(NAME);
    if (!id) return error('flow.syntax', 'expected a participant name', c.pos(), { expected: 'participant NAME "Title" [ledger]' });
    c.ws();
    let title = id;
    if (c.rest.startsWith('"')) {
      const end = c.rest.indexOf('"', 1);
      if (end < 0) return error('flow.syntax', 'unterminated title', c.pos(), { expected: 'a closing "' });
      title = c.rest.slice(1, end);
      c.i += end + 1;
    }
    let identity: FlowParticipant['identity'];
    if (c.eat(/^id\b/)) {
      c.ws();
      const namePos = c.pos();
      const name = c.eat(NAME);
      const eqSign = name ? c.eat(/^=/) : undefined;
      c.ws();
      const m = eqSign ? /^"([^"]*)"/.exec(c.rest) : null;
      if (!name || !m || m[1] === '') return error('flow.syntax', 'expected the identity value', namePos, { expected: 'id NAME = "PRINCIPAL", e.g. id ID_PAT = "PAT-1"' });
      c.i += m[0].length;
      identity = { name, principal: m[1]!, pos: namePos };
    }
    if (c.eat(/^ledger\b/)) {
      if (ledger !== undefined) error('flow.duplicate', `a second ledger participant '${id}' (the ledger is already ${ledger})`, idPos, { length: id.length });
      else ledger = id;
    }
    if (!c.atEnd()) return error('flow.syntax', `unexpected '${c.rest}'`, c.pos(), { expected: 'end of line, or the word ledger', length: c.rest.length });
    if (participants.some((p) => p.id === id)) return error('flow.duplicate', `participant '${id}' declared twice`, idPos, { length: id.length });
    participants.push(identity ? { id, title, identity, pos: idPos } : { id, title, pos: idPos });
  };

  const parseOptionLine = (c: Cursor, headPos: SourcePos) => {
    c.ws();
    const at = c.pos();
    const rest = c.rest.trim();
    const m = /^(wire)\s+(tagged|untagged)$|^(aead-ad)\s+(field-step|none)$/.exec(rest);
    if (!m) return error('flow.syntax', `unknown flow option '${rest}'`, at, { expected: 'options wire tagged | options wire untagged | options aead-ad field-step | options aead-ad none', length: Math.max(1, rest.length) });
    if (m[1]) {
      if (options.wire !== undefined) return error('flow.duplicate', 'the wire option is declared twice', at, { length: rest.length });
      options.wire = m[2] as 'tagged' | 'untagged';
    } else {
      if (options.aeadAd !== undefined) return error('flow.duplicate', 'the aead-ad option is declared twice', at, { length: rest.length });
      options.aeadAd = m[4] as 'field-step' | 'none';
    }
    options.pos ??= headPos;
  };

  const parseNameLine = (c: Cursor, headPos: SourcePos, what: 'generator' | 'environment') => {
    c.ws();
    const at = c.pos();
    const name = c.eat(what === 'generator' ? NAME : /^[A-Za-z][A-Za-z0-9_-]*/);
    if (!name || !c.atEnd()) return error('flow.syntax', `expected one name after '${what}'`, at, { expected: what === 'generator' ? 'generator NAME, e.g. generator P' : 'environment NAME, e.g. environment emr-ledger' });
    const prior = what === 'generator' ? generator : environment;
    if (prior) return error('flow.duplicate', `'${what}' declared twice`, headPos, { length: what.length });
    if (what === 'generator') generator = { name, pos: at };
    else environment = { name, pos: at };
  };

  const parsePhase = (c: Cursor, headPos: SourcePos) => {
    c.ws();
    const idPos = c.pos();
    const id = c.eat(PHASE_ID);
    if (!id) return error('flow.syntax', 'expected a phase id', idPos, { expected: 'phase ID "Title" §N.N   (ID like initial, inter, registration-patient)' });
    if (phases.some((p) => p.id === id)) error('flow.duplicate', `phase '${id}' declared twice`, idPos, { length: id.length });
    c.ws();
    let title = id;
    if (c.rest.startsWith('"')) {
      const end = c.rest.indexOf('"', 1);
      if (end < 0) return error('flow.syntax', 'unterminated phase title', c.pos(), { expected: 'a closing "' });
      title = c.rest.slice(1, end);
      c.i += end + 1;
    }
    const sec = c.eat(/^§\s*\d+(?:\.\d+)*/);
    if (!c.atEnd()) {
      return error('flow.syntax', `unexpected '${c.rest}' in the phase header`, c.pos(), {
        expected: 'phase ID "Title" §N.N',
        length: c.rest.length,
      });
    }
    phase = { id, title, participants: [], steps: [], pos: headPos };
    if (sec) phase.section = sec.replace(/\s+/g, '');
    phases.push(phase);
    step = undefined;
  };

  const parseParticipantsLine = (c: Cursor, headPos: SourcePos) => {
    if (!phase) return error('flow.order', "'participants' outside a phase", headPos, { expected: 'a phase header first', length: 12 });
    if (listed.has(phase)) return error('flow.duplicate', `phase '${phase.id}' lists its participants twice`, headPos, { length: 12 });
    listed.set(phase, headPos);
    c.ws();
    for (const part of splitTopLevel(c.rest, c.i)) {
      if (!/^[A-Za-z][A-Za-z0-9_']*$/.test(part.text)) {
        error('flow.syntax', `'${part.text}' is not a participant name`, c.pos(part.at), { expected: 'NAME, NAME, ...', length: Math.max(1, part.text.length) });
        continue;
      }
      if (phase.participants.includes(part.text)) warn('flow.duplicate', `'${part.text}' listed twice`, c.pos(part.at), { length: part.text.length });
      else phase.participants.push(part.text);
      uses.push({ who: part.text, pos: c.pos(part.at), phase });
    }
  };

  const parseStep = (c: Cursor, m: RegExpExecArray) => {
    const idPos = c.pos();
    const id = `${m[1]}.${m[2]}`;
    if (!phase) return error('flow.order', `step '${id}' outside a phase`, idPos, { expected: 'a phase header first', length: id.length });
    const prefix = m[1]!;
    const family = phase.id.split('-')[0]!;
    if (prefix !== phase.id && prefix !== family) {
      error('flow.step-id', `step '${id}' does not belong to phase '${phase.id}'`, idPos, {
        expected: `${family}.N (a step id is <phase>.<paper step number>)`,
        length: prefix.length,
      });
    }
    if (phase.steps.some((s) => s.id === id)) error('flow.duplicate', `step '${id}' appears twice in phase '${phase.id}'`, idPos, { length: id.length });
    const prev = phase.steps[phase.steps.length - 1];
    if (prev && Number(prev.id.split('.').pop()) >= Number(m[2])) {
      error('flow.step-id', `step '${id}' comes after '${prev.id}': step numbers must increase`, idPos, { length: id.length });
    }
    c.i += m[0].length;
    c.ws();
    const fromPos = c.pos();
    const from = c.eat(NAME);
    if (!from) return error('flow.syntax', 'expected the sender', fromPos, { expected: `${id}: SENDER -> RECEIVER : (FIELD: type, ...)` });
    if (!c.eat(/^(->|→)/)) return error('flow.syntax', "expected '->'", c.pos(), { expected: `'->' between sender and receiver` });
    c.ws();
    const toPos = c.pos();
    const to = c.eat(NAME);
    if (!to) return error('flow.syntax', 'expected the receiver', toPos, { expected: `${id}: SENDER -> RECEIVER : (FIELD: type, ...)` });
    if (to === from) error('flow.syntax', `'${from}' sends to itself`, toPos, { length: to.length });
    if (!c.eat(/^:/)) return error('flow.syntax', "expected ':' before the message fields", c.pos(), { expected: "':' then (FIELD: type, ...)" });
    c.ws();
    if (!c.rest.startsWith('(')) return error('flow.syntax', 'expected the message fields in parentheses', c.pos(), { expected: '(FIELD: type, ...)' });
    const open = c.i;
    const close = matchParen(c.l.text, open);
    if (close < 0) return error('flow.syntax', "unclosed '(' in the message fields", c.pos(open), { expected: "')'" });
    const fields: FlowField[] = [];
    const inner = c.l.text.slice(open + 1, close);
    if (inner.trim() !== '') {
      for (const part of splitTopLevel(inner, open + 1)) {
        const fm = /^([A-Za-z][A-Za-z0-9_']*)\s*:\s*([A-Za-z]+)$/.exec(part.text);
        if (!fm) {
          error('flow.field', `'${part.text}' is not a typed field`, c.pos(part.at), {
            expected: `NAME: TYPE with TYPE one of ${FIELD_TYPES.join(', ')}`,
            length: Math.max(1, part.text.length),
          });
          continue;
        }
        const [, name, type] = fm as unknown as [string, string, string];
        if (!(FIELD_TYPES as readonly string[]).includes(type)) {
          error('flow.field-type', `unknown field type '${type}'`, c.pos(part.at + part.text.length - type.length), {
            expected: FIELD_TYPES.join(' | '),
            length: type.length,
          });
        }
        if (fields.some((f) => f.name === name)) error('flow.duplicate', `field '${name}' appears twice in ${id}`, c.pos(part.at), { length: name.length });
        fields.push({ name, type });
      }
    }
    c.i = close + 1;
    const secure = c.eat(/^secure\b/) !== undefined;
    if (!c.atEnd()) return error('flow.syntax', `unexpected '${c.rest}' after the message fields`, c.pos(), { expected: "end of line, or 'secure' for a secure channel", length: c.rest.length });
    step = { id, from, to, fields, before: [], after: [], pos: idPos };
    if (secure) step.channel = 'secure';
    phase.steps.push(step);
    uses.push({ who: from, pos: fromPos, phase }, { who: to, pos: toPos, phase });
  };

  const parseAction = (c: Cursor, party: string, verb: string) => {
    const partyPos = c.pos();
    c.i += party.length;
    c.ws();
    c.i += verb.length;
    c.ws();
    const textStart = c.i;
    let text = c.rest.trim();
    let eq: number | undefined;
    const em = /\s\((\d+)\)$/.exec(` ${text}`);
    if (em) {
      eq = Number(em[1]);
      const eqPos = c.pos(textStart + text.length - em[0].length + 1);
      text = text.slice(0, text.length - em[0].length + 1).trimEnd();
      if (eq < 1) error('flow.eq', 'equation numbers start at 1', eqPos, { length: em[0].length - 1 });
      const seen = eqSeen.get(eq);
      if (seen) warn('flow.eq-duplicate', `equation (${eq}) already appears at line ${seen.line}`, eqPos, { length: em[0].length - 1 });
      else eqSeen.set(eq, eqPos);
    }
    if (text === '') return error('flow.syntax', `'${party} ${verb}' needs what is ${verb === 'calls' ? 'called' : verb.replace(/s$/, 'd')}`, c.pos(textStart), { expected: docHint(verb) });
    const kind = ACTION_VERBS[verb]!;
    const action: FlowAction = { kind, party, text, pos: partyPos, textPos: c.pos(textStart) };
    const breaks = textBreaks(c, textStart, text.length);
    if (breaks.length) action.textBreaks = breaks;
    if (eq !== undefined) action.eq = eq;
    if (kind === 'contract') {
      const cm = /^([A-Za-z][A-Za-z0-9_]*)\s*\(/.exec(text);
      const close = cm ? matchParen(text, cm[0].length - 1) : -1;
      if (!cm || close !== text.length - 1) {
        return error('flow.syntax', `'${text}' is not a contract call`, c.pos(textStart), { expected: 'CONTRACT(ARG, ...), e.g. ptchk(ID_PAT)', length: text.length });
      }
      action.contract = cm[1]!;
      const inner = text.slice(cm[0].length, close);
      action.args = inner.trim() === '' ? [] : splitTopLevel(inner, 0).map((p) => p.text);
    }
    if (inSetup) {
      setupUses.push({ who: party, pos: partyPos });
      (setup ??= []).push(action);
      return;
    }
    if (!phase) return error('flow.order', `an action outside a phase`, partyPos, { expected: "a phase header (or 'setup') first", length: party.length });
    uses.push({ who: party, pos: partyPos, phase });
    if (!step) {
      (phase.local ??= []).push(action);
      return;
    }
    if (party === step.from) {
      if (step.after.length > 0) {
        error('flow.order', `${party} (the sender of ${step.id}) acts after the receiver: write the sender's actions first`, partyPos, {
          expected: `${step.from}'s actions, then ${step.to}'s`,
          length: party.length,
        });
      }
      step.before.push(action);
    } else if (party === step.to) {
      step.after.push(action);
    } else {
      error('flow.party', `'${party}' neither sends nor receives ${step.id} (${step.from} -> ${step.to})`, partyPos, {
        expected: `an action by ${step.from} (before sending) or ${step.to} (after receiving); put ${party}'s actions under the step ${party} sends next`,
        length: party.length,
      });
    }
  };

  for (const l of logicalLines(section, file)) {
    const c = new Cursor(l);
    const headPos = c.pos();
    const word = NAME.exec(l.text)?.[0];
    const stepHead = STEP_HEAD.exec(l.text);
    const shareHead = SHARE_LINE.exec(l.text);
    if (stepHead) {
      if (inSetup) {
        error('flow.order', 'a message inside the setup block', headPos, { expected: "a 'phase' header before the first step", length: stepHead[0].length });
        continue;
      }
      parseStep(c, stepHead);
    } else if (shareHead) {
      const parties = shareHead[1]!.split(',').map((x) => x.trim());
      const textStart = shareHead[0].length;
      const text = l.text.slice(textStart).trim();
      const action: FlowAction = { kind: 'share', party: parties[0]!, parties, text, pos: headPos, textPos: c.pos(textStart) };
      if (text === '') error('flow.syntax', 'expected what is shared', c.pos(textStart), { expected: 'A, B share NAME: key' });
      else if (!inSetup) error('flow.order', "'share' belongs in the setup block", headPos, { expected: "'setup' then 'A, B share NAME: key'", length: shareHead[1]!.length });
      else {
        for (const p of parties) setupUses.push({ who: p, pos: headPos });
        (setup ??= []).push(action);
      }
    } else if (word === 'setup' && /^setup\s*$/.test(l.text)) {
      if (setup !== undefined || inSetup) error('flow.duplicate', "a second 'setup' block", headPos, { length: 5 });
      else if (phases.length > 0) error('flow.order', "the 'setup' block comes before the first phase", headPos, { expected: 'setup, then phase ...', length: 5 });
      inSetup = true;
      setup ??= [];
    } else if (word === 'options' && /^options\s/.test(l.text)) {
      c.i = 7;
      parseOptionLine(c, headPos);
    } else if ((word === 'generator' || word === 'environment') && new RegExp(`^${word}\\s`).test(l.text)) {
      c.i = word.length;
      parseNameLine(c, headPos, word);
    } else if (word === 'phase' && /^phase\s/.test(l.text)) {
      inSetup = false;
      c.i = 5;
      parsePhase(c, headPos);
    } else if (word === 'participant' && /^participant\s/.test(l.text)) {
      c.i = 11;
      parseParticipant(c);
    } else if (word === 'participants' && /^participants(\s|$)/.test(l.text)) {
      c.i = 12;
      parseParticipantsLine(c, headPos);
    } else if (word) {
      const vm = /^[A-Za-z][A-Za-z0-9_']*\s+([A-Za-z]+)/.exec(l.text);
      const verb = vm?.[1];
      if (verb && verb in ACTION_VERBS) {
        parseAction(c, word, verb);
      } else {
        const col = vm ? l.text.indexOf(verb!, word.length) : word.length;
        error('flow.syntax', vm ? `unknown action '${verb}'` : `'${word}' is not a phase, step or action`, c.pos(vm ? col : 0), {
          expected: vm
            ? `one of ${Object.keys(ACTION_VERBS).join(', ')} (or a step 'phase.N: A -> B : (...)')`
            : "'phase ...', 'participants ...', a step 'phase.N: A -> B : (...)' or an action 'PARTY computes|checks|calls|stores ...'",
          length: vm ? verb!.length : word.length,
        });
      }
    } else {
      error('flow.syntax', `unexpected '${l.text[0]}'`, headPos, {
        expected: "'phase ...', a step 'phase.N: A -> B : (...)' or an action 'PARTY computes ...'",
      });
    }
  }

  // Participants: derive a phase's list when it has no `participants` line; check it when it has.
  const declared = new Set(participants.map((p) => p.id));
  for (const u of setupUses) {
    if (declared.size > 0 && !declared.has(u.who)) error('flow.undeclared', `'${u.who}' is not a declared participant`, u.pos, { expected: [...declared].join(', '), length: u.who.length });
  }
  for (const u of uses) {
    if (declared.size > 0 && !declared.has(u.who)) {
      error('flow.undeclared', `'${u.who}' is not a declared participant`, u.pos, {
        expected: [...declared].join(', '),
        length: u.who.length,
      });
    }
    if (listed.has(u.phase)) {
      if (!u.phase.participants.includes(u.who)) {
        error('flow.party', `'${u.who}' takes part in phase '${u.phase.id}' but is not in its participants line`, u.pos, {
          expected: u.phase.participants.join(', '),
          length: u.who.length,
        });
      }
    } else if (!u.phase.participants.includes(u.who)) {
      u.phase.participants.push(u.who);
    }
  }
  if (ledger !== undefined) {
    for (const p of phases) {
      const calls = [...(p.local ?? []), ...p.steps.flatMap((s) => [...s.before, ...s.after])].some((a) => a.kind === 'contract');
      if (calls && !listed.has(p) && !p.participants.includes(ledger)) p.participants.push(ledger);
    }
  }
  for (const p of phases) {
    if (p.steps.length === 0 && (p.local ?? []).length === 0) warn('flow.empty', `phase '${p.id}' has no steps and no actions`, p.pos, { length: 5 });
  }

  const flow: Flow = { phases };
  if (participants.length > 0) flow.participants = participants;
  if (ledger !== undefined) flow.ledger = ledger;
  if (options.wire !== undefined || options.aeadAd !== undefined) flow.options = options;
  if (generator) flow.generator = generator;
  if (environment) flow.environment = environment;
  if (setup) flow.setup = setup;
  return { flow, diagnostics };
}

/** Offsets in an action's text where a new source line starts (continued actions only). */
function textBreaks(c: Cursor, start: number, length: number): { at: number; pos: SourcePos }[] {
  const out: { at: number; pos: SourcePos }[] = [];
  // The source line changes only where a continued line was joined (at its joining space); the
  // break is anchored on the continued line's first character, which shares the space's position.
  for (const s of c.l.segs.slice(1)) {
    const i = s.start - 1 - start;
    if (i < 1 || i >= length) continue;
    const j = i + 1 < length ? i + 1 : i;
    out.push({ at: j, pos: c.pos(start + j) });
  }
  return out;
}

function docHint(verb: string): string {
  switch (verb) {
    case 'computes':
      return 'PARTY computes NAME = EXPRESSION   (N)';
    case 'checks':
      return 'PARTY checks A =? B   (N)';
    case 'calls':
      return 'PARTY calls CONTRACT(ARG, ...)';
    default:
      return 'PARTY stores (NAME, ...)';
  }
}

/** Every action of a phase in protocol order: local actions, then per step before then after. */
export function phaseActions(p: FlowPhase): { step?: FlowStep; where: 'local' | 'before' | 'after'; action: FlowAction }[] {
  const out: { step?: FlowStep; where: 'local' | 'before' | 'after'; action: FlowAction }[] = [];
  for (const a of p.local ?? []) out.push({ where: 'local', action: a });
  for (const s of p.steps) {
    for (const a of s.before) out.push({ step: s, where: 'before', action: a });
    for (const a of s.after) out.push({ step: s, where: 'after', action: a });
  }
  return out;
}

/** Equation numbers of a flow in order of appearance (duplicates kept). */
export function flowEquations(flow: Flow): number[] {
  return flow.phases.flatMap((p) => phaseActions(p).flatMap((x) => (x.action.eq === undefined ? [] : [x.action.eq])));
}
