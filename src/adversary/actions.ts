/**
 * Adversary actions as plain data, how each is applied to a World, and the fast-check arbitraries
 * that generate them. `fc.commands` wraps every action in a Command whose `toString` is the
 * action's one-line description, so a shrunk counterexample reads as a numbered attack trace.
 *
 * Indices (`i`, `j`, ...) are taken modulo the current list they index (pending envelopes, observed
 * envelopes, keyed sessions), so every generated sequence is applicable and shrinks well.
 */
import fc from 'fast-check';
import { decodeMessage, encodeMessage, type AnyMessage } from '../net/codec.js';
import { MESSAGE_SCHEMAS } from '../net/messages.js';
import { startInitial, startInter } from '../model/index.js';
import type { Point } from '../crypto/suite.js';
import {
  HONEST,
  HOSPITAL_A,
  HOSPITAL_B,
  INSIDER,
  PATIENTS,
  UNREGISTERED,
  UNREGISTERED_HOSPITAL,
  attackerOpen,
  attackerRespond,
  attackerStep,
  deliverChecked,
  keyedSessions,
  observe,
  revealCenter,
  revealEphemeral,
  revealLongTerm,
  revealSessionKey,
  type World,
} from './world.js';

/** Steps on the public channel (the attacker cannot touch the registration channel, §3.1). */
export const PUBLIC_STEPS = ['initial.1', 'initial.2', 'initial.3', 'initial.4', 'inter.1', 'inter.2', 'inter.3', 'inter.5', 'inter.6', 'inter.7', 'inter.8', 'inter.10'] as const;
export type PublicStep = (typeof PUBLIC_STEPS)[number];

export type ModifyHow = 'flip' | 'substitute' | 'attacker-point' | 'identity-point' | 'foreign-id';

export type Action =
  | { k: 'start-initial'; p: number }
  | { k: 'start-inter'; p: number }
  | { k: 'deliver'; i: number }
  | { k: 'deliver-all' }
  | { k: 'modify'; i: number; how: ModifyHow; field: number; bit: number; j: number }
  | { k: 'tamper'; step: PublicStep; field: number; bit: number; how?: 'flip' | 'identity-point' }
  | { k: 'replay'; j: number; retarget: boolean; t: number }
  | { k: 'unregistered'; open: 'initial.1' | 'inter.1' }
  | { k: 'illegal-hospital'; p: number }
  | { k: 'impersonate-patient'; p: number; open: 'initial.1' | 'inter.1'; key: 'stolen' | 'none' | 'forged' }
  | { k: 'impersonate-hospital'; i: number }
  | { k: 'attacker-step' }
  | { k: 'reveal-lt'; who: number }
  | { k: 'reveal-center' }
  | { k: 'reveal-sek'; i: number }
  | { k: 'reveal-eph'; i: number };

export function describe(a: Action): string {
  switch (a.k) {
    case 'start-initial':
      return `${PATIENTS[a.p % 2]} starts initial treatment with ${HOSPITAL_A} (§3.6)`;
    case 'start-inter':
      return `${PATIENTS[a.p % 2]} starts an inter-hospital visit at ${HOSPITAL_B} (§3.7)`;
    case 'deliver':
      return `deliver pending message [${a.i}]`;
    case 'deliver-all':
      return 'deliver all pending messages in order';
    case 'modify':
      return `modify pending message [${a.i}]: ${a.how} in field ${a.field}${a.how === 'flip' ? ` bit ${a.bit}` : a.how === 'substitute' ? ` from observed [${a.j}]` : ''}`;
    case 'tamper':
      return `wait for the next ${a.step} (delivering honestly meanwhile), ${a.how === 'identity-point' ? 'put the identity encoding in' : `flip bit ${a.bit} of`} its field ${a.field}, deliver on`;
    case 'replay':
      return `replay observed message [${a.j}]${a.retarget ? ` re-addressed to session/party [${a.t}]` : ''}`;
    case 'unregistered':
      return `unregistered device ${UNREGISTERED} opens ${a.open}`;
    case 'illegal-hospital':
      return `${PATIENTS[a.p % 2]} is lured to the unregistered hospital device ${UNREGISTERED_HOSPITAL} (initial treatment; the attacker answers)`;
    case 'impersonate-patient':
      return `attacker opens ${a.open} as ${PATIENTS[a.p % 2]} (${a.key === 'stolen' ? 'with its key if revealed' : a.key === 'forged' ? 'with a forged key pair' : 'without its key'})`;
    case 'impersonate-hospital':
      return `attacker intercepts pending opening message [${a.i}] and answers as the hospital`;
    case 'attacker-step':
      return 'attacker processes the next message sent to one of its sessions';
    case 'reveal-lt':
      return `reveal long-term key of ${HONEST[a.who % HONEST.length]}`;
    case 'reveal-center':
      return "reveal the center's master secret s";
    case 'reveal-sek':
      return `reveal session key of keyed session [${a.i}]`;
    case 'reveal-eph':
      return `reveal ephemeral of keyed session [${a.i}]`;
  }
}

function pick<T>(xs: readonly T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined;
}

/** Applies one action; returns what happened (one line). Never throws for a well-formed action. */
export function apply(w: World, a: Action): string {
  const net = w.sys.net;
  const pend = net.pending().filter((e) => e.channel === 'public');
  switch (a.k) {
    case 'start-initial': {
      const p = PATIENTS[a.p % 2]!;
      const s = startInitial(w.sys, p, HOSPITAL_A);
      observe(w);
      return `${p} session ${s.session}`;
    }
    case 'start-inter': {
      const p = PATIENTS[a.p % 2]!;
      if (!w.sys.parties.get(p)!.store.reports.length) return `${p} holds no report yet (no-op)`;
      const s = startInter(w.sys, p, HOSPITAL_B);
      observe(w);
      return `${p} session ${s.session}`;
    }
    case 'deliver': {
      const e = pick(pend, a.i);
      if (!e) return 'nothing pending';
      net.take(e.id);
      return `${e.step} #${e.id} → ${e.to}: ${summary(deliverChecked(w, e))}`;
    }
    case 'deliver-all': {
      const out: string[] = [];
      for (let n = 0; n < 24; n++) {
        const e = net.pending().find((x) => x.channel === 'public' && !w.attacker.has(`${x.to}|${x.session}`));
        if (!e) break;
        net.take(e.id);
        out.push(`${e.step}→${e.to}: ${summary(deliverChecked(w, e))}`);
      }
      return out.length ? out.join('; ') : 'nothing pending';
    }
    case 'modify': {
      const e = pick(pend, a.i);
      if (!e) return 'nothing pending';
      const bytes = modifyBytes(w, e.step, e.bytes, a);
      if (!bytes) return `${a.how} not applicable to ${e.step}`;
      net.adversary.modify(e.id, bytes.bytes, bytes.detail);
      return `${e.step} #${e.id}: ${bytes.detail}`;
    }
    case 'tamper': {
      const lines: string[] = [];
      for (let n = 0; n < 24; n++) {
        const target = net.pending().find((e) => e.step === a.step && e.origin === 'honest');
        if (target) {
          const bytes = modifyBytes(w, target.step, target.bytes, { k: 'modify', i: 0, how: a.how ?? 'flip', field: a.field, bit: a.bit, j: 0 });
          if (!bytes) return [...lines, `cannot flip ${a.step}`].join('; ');
          net.adversary.modify(target.id, bytes.bytes, bytes.detail);
          lines.push(`${a.step} #${target.id}: ${bytes.detail}`);
          // then let the run continue honestly
          for (let m = 0; m < 24; m++) {
            const e = net.pending().find((x) => x.channel === 'public' && !w.attacker.has(`${x.to}|${x.session}`));
            if (!e) break;
            net.take(e.id);
            lines.push(`${e.step}→${e.to}: ${summary(deliverChecked(w, e))}`);
          }
          return lines.join('; ');
        }
        const e = net.pending().find((x) => x.channel === 'public' && !w.attacker.has(`${x.to}|${x.session}`));
        if (!e) break;
        net.take(e.id);
        lines.push(`${e.step}→${e.to}: ${summary(deliverChecked(w, e))}`);
      }
      return [...lines, `no ${a.step} came`].join('; ');
    }
    case 'replay': {
      const obs = net.adversary.observed();
      const o = pick(obs, a.j);
      if (!o) return 'nothing observed';
      if (!a.retarget) {
        const r = net.adversary.replay(o.id);
        return `copy of ${o.step} #${o.id} queued as #${r.id}`;
      }
      // Re-address to the session of another observed envelope of a compatible receiver.
      const t = pick(obs, a.t)!;
      const r = net.adversary.replay(o.id, { to: t.to, session: t.session });
      return `copy of ${o.step} #${o.id} sent to ${t.to} session ${t.session} as #${r.id}`;
    }
    case 'unregistered': {
      const l = attackerOpen(w, a.open, UNREGISTERED, a.open === 'initial.1' ? HOSPITAL_A : HOSPITAL_B, 'none');
      return `${a.open} from ${UNREGISTERED} as ${l}`;
    }
    case 'illegal-hospital': {
      const p = PATIENTS[a.p % 2]!;
      const s = startInitial(w.sys, p, UNREGISTERED_HOSPITAL);
      observe(w);
      const e = s.out[0]!;
      return attackerRespond(w, e) ? `${p} session ${s.session}; ${UNREGISTERED_HOSPITAL} answers initial.1` : `${UNREGISTERED_HOSPITAL} could not answer`;
    }
    case 'impersonate-patient': {
      const p = PATIENTS[a.p % 2]!;
      const l = attackerOpen(w, a.open, p, a.open === 'initial.1' ? HOSPITAL_A : HOSPITAL_B, a.key);
      return `${a.open} claiming ${p} as ${l}`;
    }
    case 'impersonate-hospital': {
      const opens = pend.filter((e) => (e.step === 'initial.1' || e.step === 'inter.1' || e.step === 'inter.5') && !w.attacker.has(`${e.from}|${e.session}`));
      const e = pick(opens, a.i);
      if (!e) return 'no pending opening message';
      return attackerRespond(w, e) ? `answered ${e.step} #${e.id} as ${e.to}` : `could not answer ${e.step}`;
    }
    case 'attacker-step':
      return attackerStep(w) ?? 'no message for the attacker';
    case 'reveal-lt':
      return revealLongTerm(w, HONEST[a.who % HONEST.length]!);
    case 'reveal-center':
      return revealCenter(w);
    case 'reveal-sek': {
      const s = pick(keyedSessions(w), a.i);
      return s ? revealSessionKey(w, s[0], s[1]) : 'no keyed session';
    }
    case 'reveal-eph': {
      const s = pick(keyedSessions(w), a.i);
      return s ? revealEphemeral(w, s[0], s[1]) : 'no keyed session';
    }
  }
}

function summary(r: ReturnType<typeof deliverChecked>): string {
  if (r.kind === 'ok') return r.accepted.length ? `accepted (${r.accepted.map((a) => `${a.party} ${a.session}`).join(', ')})` : `ok, ${r.out.length} sent`;
  if (r.kind === 'aborted') return `abort: ${r.abort.check}`;
  return `rejected: ${'reason' in r.rejection ? r.rejection.reason : ''}`;
}

/** The wire bytes of a modification (field-level; uses only observed values or attacker choices). */
function modifyBytes(w: World, step: keyof typeof MESSAGE_SCHEMAS, bytes: Uint8Array, a: Extract<Action, { k: 'modify' }>): { bytes: Uint8Array; detail: string } | null {
  const cs = w.cs;
  const d = decodeMessage(cs, bytes, { expect: step });
  if (!d.ok) return null;
  const schema = MESSAGE_SCHEMAS[step];
  const fi = a.field % schema.fields.length;
  const fs = schema.fields[fi]!;
  const fields: Record<string, unknown> = { ...(d.message.fields as Record<string, unknown>) };
  // Offset of the field on the wire (for raw edits).
  let off = 1;
  for (let k = 0; k < fi; k++) off += d.fieldSizes[k]!.size;
  const size = d.fieldSizes[fi]!.size;
  switch (a.how) {
    case 'flip': {
      const out = bytes.slice();
      const bit = a.bit % (size * 8);
      out[off + (bit >> 3)]! ^= 1 << (bit & 7);
      return { bytes: out, detail: `bit ${bit} of ${fs.name} flipped` };
    }
    case 'identity-point': {
      if (fs.type !== 'point') return null;
      const out = bytes.slice();
      out.fill(0, off, off + size);
      return { bytes: out, detail: `${fs.name} replaced by the identity / all-zero encoding` };
    }
    case 'attacker-point': {
      if (fs.type !== 'point') return null;
      const x = cs.randomScalar(w.rng);
      const P = cs.mulG(x);
      w.oracle.record(P, x);
      fields[fs.name] = P;
      return { bytes: encodeMessage(cs, { step, fields } as AnyMessage).bytes, detail: `${fs.name} replaced by an attacker point x·P` };
    }
    case 'foreign-id': {
      if (fs.type !== 'id') return null;
      const ids = [...HONEST, INSIDER, UNREGISTERED].filter((x) => x !== fields[fs.name]);
      fields[fs.name] = ids[a.j % ids.length]!;
      return { bytes: encodeMessage(cs, { step, fields } as AnyMessage).bytes, detail: `${fs.name} replaced by ${String(fields[fs.name])}` };
    }
    case 'substitute': {
      // The same field from another observed message of the same step (another session).
      const others = w.sys.net.adversary
        .observed()
        .filter((o) => o.step === step)
        .map((o) => decodeMessage(cs, o.bytes, { expect: step }))
        .flatMap((r) => (r.ok ? [(r.message.fields as Record<string, unknown>)[fs.name]] : []))
        .filter((v) => !same(v, fields[fs.name]));
      if (!others.length) return null;
      fields[fs.name] = others[a.j % others.length];
      return { bytes: encodeMessage(cs, { step, fields } as AnyMessage).bytes, detail: `${fs.name} replaced by the value from another session` };
    }
  }
}

function same(x: unknown, y: unknown): boolean {
  if (x instanceof Uint8Array && y instanceof Uint8Array) return x.length === y.length && x.every((v, i) => v === y[i]);
  if (typeof x === 'object' && x && typeof y === 'object' && y) return same((x as Point).bytes, (y as Point).bytes);
  return x === y;
}

// ---------------------------------------------------------------------------------------------
// arbitraries

const idx = fc.nat({ max: 15 });

/** `tamper` actions on the fields of one wire type, any public step that has one. */
function tamperOfType(type: string, how: 'flip' | 'identity-point' = 'flip'): fc.Arbitrary<Action> {
  const targets = PUBLIC_STEPS.flatMap((step) => MESSAGE_SCHEMAS[step].fields.flatMap((f, i) => (f.type === type ? [{ step, field: i }] : [])));
  return fc
    .record({ t: fc.constantFrom(...targets), bit: fc.nat({ max: 4095 }) })
    .map(({ t, bit }) => ({ k: 'tamper' as const, step: t.step, field: t.field, bit, ...(how === 'flip' ? {} : { how }) }));
}

export const ACTION_ARBS = {
  startInitial: fc.record({ k: fc.constant('start-initial' as const), p: fc.nat({ max: 1 }) }),
  startInter: fc.record({ k: fc.constant('start-inter' as const), p: fc.nat({ max: 1 }) }),
  deliver: fc.record({ k: fc.constant('deliver' as const), i: idx }),
  deliverAll: fc.constant({ k: 'deliver-all' as const }),
  modify: fc.record({
    k: fc.constant('modify' as const),
    i: idx,
    how: fc.constantFrom<ModifyHow>('flip', 'substitute', 'attacker-point', 'identity-point', 'foreign-id'),
    field: fc.nat({ max: 3 }),
    bit: fc.nat({ max: 4095 }),
    j: idx,
  }),
  /** Tampering aimed at the fields of one wire type (hunts for mutants: check values, signatures). */
  tamperCheck: tamperOfType('check'),
  tamperSignature: tamperOfType('signature'),
  tamperIdentityPoint: tamperOfType('point', 'identity-point'),
  /** Impersonation of a patient with a forged key pair only. */
  forgePatient: fc.record({
    k: fc.constant('impersonate-patient' as const),
    p: fc.nat({ max: 1 }),
    open: fc.constantFrom('initial.1' as const, 'inter.1' as const),
    key: fc.constant('forged' as const),
  }),
  replay: fc.record({ k: fc.constant('replay' as const), j: fc.nat({ max: 63 }), retarget: fc.boolean(), t: fc.nat({ max: 63 }) }),
  unregistered: fc.record({ k: fc.constant('unregistered' as const), open: fc.constantFrom('initial.1' as const, 'inter.1' as const) }),
  illegalHospital: fc.record({ k: fc.constant('illegal-hospital' as const), p: fc.nat({ max: 1 }) }),
  impersonatePatient: fc.record({
    k: fc.constant('impersonate-patient' as const),
    p: fc.nat({ max: 1 }),
    open: fc.constantFrom('initial.1' as const, 'inter.1' as const),
    key: fc.constantFrom('stolen' as const, 'none' as const, 'forged' as const),
  }),
  impersonateHospital: fc.record({ k: fc.constant('impersonate-hospital' as const), i: idx }),
  attackerStep: fc.constant({ k: 'attacker-step' as const }),
  revealLt: fc.record({ k: fc.constant('reveal-lt' as const), who: fc.nat({ max: 3 }) }),
  revealCenter: fc.constant({ k: 'reveal-center' as const }),
  revealSek: fc.record({ k: fc.constant('reveal-sek' as const), i: idx }),
  revealEph: fc.record({ k: fc.constant('reveal-eph' as const), i: idx }),
} satisfies Record<string, fc.Arbitrary<Action>>;

export type ActionName = keyof typeof ACTION_ARBS;
