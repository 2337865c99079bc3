/**
 * Hand-written run traces in the exact shape of contracts.md "Run trace", for the diagram tests
 * (and for trying `bantam diagram --trace` before a model run is at hand). They are NOT model
 * output: sizes are plausible secp256k1 sizes (33-byte compressed points, 32-byte check values,
 * 64-byte signatures), not measured.
 */
import type { Trace, TraceEvent } from './trace-types.js';

type In = TraceEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

function build(suite: string, seed: string, events: In[], roles?: Record<string, string>): Trace {
  const t: Trace = { suite, seed, events: events.map((e, i) => ({ ...e, seq: i + 1 }) as TraceEvent) };
  if (roles) t.roles = roles;
  return t;
}

const ROLES = { 'PAT-1': 'P', HPA: 'HA', HPB: 'HB', CENTER: 'center' };
const P = 'PAT-1';
const S = 's1';

const send = (step: string, from: string, to: string, fields: [string, number][]): In => ({
  kind: 'send', phase: step.split('.')[0]!, step, session: S, from, to, msgType: step,
  size: fields.reduce((n, [, s]) => n + s, 0), fields: fields.map(([name, size]) => ({ name, size })),
});
const compute = (party: string, step: string, eq: number, what: string): In => ({ kind: 'compute', party, phase: 'initial', step, eq, what });
const check = (party: string, step: string, eq: number | undefined, name: string, ok: boolean, reason?: string): In => {
  const e: In = { kind: 'check', party, phase: 'initial', step, name, ok };
  if (eq !== undefined) e.eq = eq;
  if (reason !== undefined) e.reason = reason;
  return e;
};

/** An honest §3.6 run: four messages delivered as sent, every check passing, both parties accept. */
export function honestInitialTrace(): Trace {
  return build('secp256k1', '7', [
    compute(P, 'initial.1', 14, 'T_PAT = a·P'),
    send('initial.1', P, 'HPA', [['ID_PAT', 16], ['R_PAT', 33], ['T_PAT', 33]]),
    { kind: 'deliver', ref: 2, to: 'HPA' },
    compute('HPA', 'initial.2', 15, 'T_HPA = b·P'),
    compute('HPA', 'initial.2', 16, 'PK_PAT'),
    compute('HPA', 'initial.2', 17, 'K_AP1'),
    compute('HPA', 'initial.2', 18, 'K_AP2'),
    compute('HPA', 'initial.2', 19, 'SEK_AP'),
    compute('HPA', 'initial.2', 20, 'CHK_PA'),
    send('initial.2', 'HPA', P, [['ID_HPA', 16], ['R_HPA', 33], ['T_HPA', 33], ['CHK_PA', 32]]),
    { kind: 'deliver', ref: 10, to: P },
    compute(P, 'initial.3', 21, 'PK_HPA'),
    compute(P, 'initial.3', 24, 'SEK_AP'),
    check(P, 'initial.3', 25, 'CHK_PA', true),
    { kind: 'contract', party: P, phase: 'initial', step: 'initial.3', contract: 'hachk', ok: true, detail: 'HPA registered' },
    compute(P, 'initial.3', 26, 'c_PAT'),
    compute(P, 'initial.3', 27, 'CHK_AP'),
    send('initial.3', P, 'HPA', [['ID_PAT', 16], ['c_PAT', 60], ['CHK_AP', 32]]),
    { kind: 'deliver', ref: 18, to: 'HPA' },
    check('HPA', 'initial.4', 28, 'CHK_AP', true),
    { kind: 'contract', party: 'HPA', phase: 'initial', step: 'initial.4', contract: 'ptchk', ok: true },
    { kind: 'accept', party: 'HPA', phase: 'initial', session: S, peer: P },
    compute('HPA', 'initial.4', 30, 'c_HPA'),
    compute('HPA', 'initial.4', 31, 'Sig_HPA'),
    { kind: 'contract', party: 'HPA', phase: 'initial', step: 'initial.4', contract: 'mrins', ok: true, detail: 'D-1' },
    send('initial.4', 'HPA', P, [['ID_HPA', 16], ['c_HPA', 120], ['Sig_HPA', 64]]),
    { kind: 'deliver', ref: 26, to: P },
    compute(P, 'initial.4', 32, '(EMR, Cert_HPA)'),
    check(P, 'initial.4', 33, 'Sig_HPA', true),
    { kind: 'accept', party: P, phase: 'initial', session: S, peer: 'HPA' },
  ], ROLES);
}

/**
 * A §3.6 run under attack, one of each adversary action: initial.1 is delayed and observed, a
 * forged initial.1 is injected, the patient's first initial.2 is modified (CHK_PA flipped) so
 * check (25) fails and the patient aborts; a later replay is rejected at decoding; a message is
 * dropped; two are reordered; a contract call fails.
 */
export function attackedInitialTrace(): Trace {
  return build('secp256k1', '42', [
    /* 1 */ compute(P, 'initial.1', 14, 'T_PAT = a·P'),
    /* 2 */ send('initial.1', P, 'HPA', [['ID_PAT', 16], ['R_PAT', 33], ['T_PAT', 33]]),
    /* 3 */ { kind: 'adversary', action: 'observe', ref: 2, detail: 'learns ID_PAT, R_PAT, T_PAT' },
    /* 4 */ { kind: 'adversary', action: 'delay', ref: 2, detail: 'held for 2 deliveries' },
    /* 5 */ { kind: 'adversary', action: 'inject', step: 'initial.1', to: 'HPA', detail: 'forged (ID_PAT, R_PAT, T_ADV)' },
    /* 6 */ { kind: 'reject', party: 'HPA', phase: 'initial', step: 'initial.1', reason: 'T_PAT is not a curve point' },
    /* 7 */ { kind: 'deliver', ref: 2, to: 'HPA' },
    /* 8 */ compute('HPA', 'initial.2', 19, 'SEK_AP'),
    /* 9 */ compute('HPA', 'initial.2', 20, 'CHK_PA'),
    /* 10 */ send('initial.2', 'HPA', P, [['ID_HPA', 16], ['R_HPA', 33], ['T_HPA', 33], ['CHK_PA', 32]]),
    /* 11 */ { kind: 'adversary', action: 'modify', ref: 10, step: 'initial.2', detail: 'flips one bit of CHK_PA' },
    /* 12 */ { kind: 'deliver', ref: 10, to: P },
    /* 13 */ compute(P, 'initial.3', 24, 'SEK_AP'),
    /* 14 */ check(P, 'initial.3', 25, 'CHK_PA', false, 'CHK_PA ≠ H3(SEK_AP, T_PAT)'),
    /* 15 */ { kind: 'abort', party: P, phase: 'initial', session: S, peer: 'HPA', reason: 'hospital not authenticated', eq: 25 },
    /* 16 */ { kind: 'adversary', action: 'replay', ref: 10, detail: 'replays the first initial.2' },
    /* 17 */ { kind: 'deliver', ref: 10, to: P },
    /* 18 */ { kind: 'reject', party: P, phase: 'initial', step: 'initial.2', reason: 'no open session expects initial.2' },
    /* 19 */ send('initial.3', P, 'HPA', [['ID_PAT', 16], ['c_PAT', 60], ['CHK_AP', 32]]),
    /* 20 */ { kind: 'adversary', action: 'drop', ref: 19, detail: '' },
    /* 21 */ send('initial.1', P, 'HPA', [['ID_PAT', 16], ['R_PAT', 33], ['T_PAT', 33]]),
    /* 22 */ { kind: 'adversary', action: 'reorder', ref: 21, detail: 'swapped with message #19' },
    /* 23 */ { kind: 'contract', party: 'HPA', phase: 'initial', step: 'initial.4', contract: 'ptchk', ok: false, detail: 'unknown patient' },
    /* 24 */ check('HPA', 'initial.4', undefined, 'session state', false, 'no session'),
  ], ROLES);
}
