/**
 * Every rejection path of the model: a tampered field of every message type makes the right party
 * abort, naming the step and the equation (or the named check), and the abort changes no party's
 * stored state and not the ledger. Run on every suite.
 */
import { describe, expect, test } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import {
  addParty,
  createSystem,
  deliver,
  runUntilQuiet,
  startInitial,
  startInter,
  startRegistration,
  tamperField,
  type DeliverResult,
  type System,
} from '../src/model/index.js';
import { MESSAGE_SCHEMAS, type StepId } from '../src/net/index.js';

/** A system with PAT-1, PAT-2, HPA (slot A), HPB (slot B) registered. */
export function registered(suite: string, seed = 'rej'): System {
  const sys = createSystem({ suite, seed });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'PAT-2', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  for (const id of ['PAT-1', 'PAT-2', 'HPA', 'HPB']) startRegistration(sys, id);
  const r = runUntilQuiet(sys);
  if (!r.every((x) => x.kind === 'ok')) throw new Error('registration failed');
  return sys;
}

interface Snapshot {
  stores: Map<string, unknown>;
  ledger: unknown;
  issued: number;
}
const snapshot = (sys: System): Snapshot => ({
  stores: new Map([...sys.parties].map(([id, p]) => [id, p.store])),
  ledger: sys.ledger,
  issued: sys.center.issued.size,
});
function expectUnchanged(sys: System, s: Snapshot): void {
  for (const [id, p] of sys.parties) expect(p.store, `store of ${id}`).toBe(s.stores.get(id));
  expect(sys.ledger).toBe(s.ledger);
  expect(sys.center.issued.size).toBe(s.issued);
}

/**
 * Runs honestly, tampering `field` of the first `step` message; returns every result after the
 * tampering, and for each abort checks that the aborting delivery changed no stored state and not
 * the ledger (snapshot taken just before that delivery).
 */
function runTampered(sys: System, step: StepId, field: string, id: string): DeliverResult[] {
  const after: DeliverResult[] = [];
  let tampered = false;
  for (let i = 0; i < 100; i++) {
    const e = sys.net.pending()[0];
    if (!e) break;
    if (!tampered && e.step === step) {
      const b = tamperField(sys, step, e.bytes, field, { id });
      expect(b).not.toBeNull();
      sys.net.adversary.modify(e.id, b!, `tamper ${field}`);
      tampered = true;
    }
    const before = snapshot(sys);
    const r = deliver(sys, sys.net.next()!);
    if (r.kind !== 'ok') expectUnchanged(sys, before);
    if (tampered) after.push(r);
  }
  expect(tampered).toBe(true);
  return after;
}

/** What a tampered field must lead to: the aborting party, the received step, the equation or check. */
interface Expect {
  party: string;
  at: StepId;
  eq?: number;
  code: string;
}
const ALT_ID: Record<string, string> = { ID_PAT: 'PAT-2', ID_HPA: 'HPB', ID_HPB: 'HPA' };

// Table: step → field → expected abort.
const P = 'PAT-1';
const CASES: Record<string, Record<string, Expect>> = {
  'initial.1': {
    ID_PAT: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
    R_PAT: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
    T_PAT: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
  },
  'initial.2': {
    ID_HPA: { party: P, at: 'initial.2', code: 'id-mismatch' },
    R_HPA: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
    T_HPA: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
    CHK_PA: { party: P, at: 'initial.2', eq: 25, code: 'check-failed' },
  },
  'initial.3': {
    ID_PAT: { party: 'HPA', at: 'initial.3', code: 'id-mismatch' },
    c_PAT: { party: 'HPA', at: 'initial.3', eq: 29, code: 'decrypt-failed' },
    CHK_AP: { party: 'HPA', at: 'initial.3', eq: 28, code: 'check-failed' },
  },
  'initial.4': {
    ID_HPA: { party: P, at: 'initial.4', code: 'id-mismatch' },
    c_HPA: { party: P, at: 'initial.4', eq: 32, code: 'decrypt-failed' },
    Sig_HPA: { party: P, at: 'initial.4', eq: 33, code: 'signature-invalid' },
  },
  'inter.1': {
    ID_PAT: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
    R_PAT: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
    T_PAT2: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
  },
  'inter.2': {
    ID_HPB: { party: P, at: 'inter.2', code: 'id-mismatch' },
    R_HPB: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
    T_HPB: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
    CHK_PB: { party: P, at: 'inter.2', eq: 45, code: 'check-failed' },
  },
  'inter.3': {
    ID_PAT: { party: 'HPB', at: 'inter.3', code: 'id-mismatch' },
    c_PAT2: { party: 'HPB', at: 'inter.3', eq: 49, code: 'decrypt-failed' },
    CHK_BP: { party: 'HPB', at: 'inter.3', eq: 48, code: 'check-failed' },
  },
  'inter.5': {
    ID_HPB: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
    R_HPB: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
    T_HPB2: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
  },
  'inter.6': {
    ID_HPA: { party: 'HPB', at: 'inter.6', code: 'id-mismatch' },
    R_HPA: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
    T_HPA2: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
    CHK_BA: { party: 'HPB', at: 'inter.6', eq: 61, code: 'check-failed' },
  },
  'inter.7': {
    ID_HPB: { party: 'HPA', at: 'inter.7', code: 'id-mismatch' },
    c_HPB: { party: 'HPA', at: 'inter.7', eq: 65, code: 'decrypt-failed' },
    CHK_AB: { party: 'HPA', at: 'inter.7', eq: 64, code: 'check-failed' },
  },
  'inter.8': {
    ID_HPA: { party: 'HPB', at: 'inter.8', code: 'id-mismatch' },
    c_HPA2: { party: 'HPB', at: 'inter.8', eq: 68, code: 'decrypt-failed' },
    Sig_HPA2: { party: 'HPB', at: 'inter.8', eq: 69, code: 'signature-invalid' },
  },
  'inter.10': {
    ID_HPB: { party: P, at: 'inter.10', code: 'id-mismatch' },
    c_HPB2: { party: P, at: 'inter.10', eq: 72, code: 'decrypt-failed' },
    Sig_HPB: { party: P, at: 'inter.10', eq: 73, code: 'signature-invalid' },
  },
};

test('the case table covers every field of every public message', () => {
  for (const [step, s] of Object.entries(MESSAGE_SCHEMAS)) {
    if (s.channel === 'secure') continue;
    expect(Object.keys(CASES[step] ?? {}).sort(), step).toEqual(s.fields.map((f) => f.name).sort());
  }
});

const ALL_CASES = Object.entries(CASES).flatMap(([step, fields]) =>
  Object.entries(fields).map(([field, exp]) => ({ name: `${step}.${field} → ${exp.party} aborts at ${exp.at} (${exp.code}${exp.eq ? ` eq ${exp.eq}` : ''})`, step: step as StepId, field, exp })),
);
/**
 * Every field on the default suite; on the others, the first field whose check is a numbered
 * equation, per step (keeps `npm test` fast). BANTAM_FULL=1 runs every field on every suite.
 */
const casesFor = (suite: string) =>
  suite === 'secp256k1' || process.env.BANTAM_FULL === '1' ? ALL_CASES : Object.keys(CASES).map((step) => ALL_CASES.find((c) => c.step === step && c.exp.eq !== undefined)!);

describe.each(SUITE_NAMES)('tampered fields on %s', (suite) => {
  test.each(casesFor(suite))('$name', ({ step, field, exp }) => {
    const sys = registered(suite);
    if (step.startsWith('inter')) {
      startInitial(sys, P, 'HPA');
      expect(runUntilQuiet(sys).every((r) => r.kind === 'ok')).toBe(true);
    }
    const before = snapshot(sys);
    if (step.startsWith('inter')) startInter(sys, P, 'HPB');
    else startInitial(sys, P, 'HPA');
    const after = runTampered(sys, step, field, ALT_ID[field] ?? 'MALLORY');
    const aborts = after.filter((r) => r.kind === 'aborted');
    expect(aborts.length, JSON.stringify(after.map((r) => r.kind))).toBe(1);
    const a = aborts[0]!;
    if (a.kind !== 'aborted') throw new Error('unreachable');
    expect({ party: a.abort.party, at: a.abort.step, eq: a.abort.eq, code: a.abort.code }).toEqual({ party: exp.party, at: exp.at, eq: exp.eq, code: exp.code });
    // nothing after the abort: the failed party sends nothing, the network is quiet
    expect(after[after.length - 1]).toBe(a);
    expect(sys.net.pending()).toEqual([]);
    // the abort is in the trace with its equation, after a failed check event of that party
    const ev = sys.tracer.trace.events;
    const ab = ev.find((e) => e.kind === 'abort')!;
    expect(ab).toMatchObject({ party: exp.party, ...(exp.eq ? { eq: exp.eq } : {}) });
    expect(ev.some((e) => e.kind === 'check' && !e.ok && e.party === exp.party && (exp.eq === undefined || e.eq === exp.eq))).toBe(true);
    // Tampering before the responder commits: nothing of this phase reaches any store or the ledger.
    const late = (step === 'initial.4' || step === 'inter.10');
    if (!late) expectUnchanged(sys, before);
  });
});
