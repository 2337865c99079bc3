/**
 * Issue 12 item 5 — EMR as the proof that the interpreter is faithful: spec/emr-flow.ban run by
 * the generic interpreter (src/interpret) gives the same messages (every envelope's bytes), the
 * same session keys and the same ledger (transactions, hash chain) as the hand-written model
 * (src/model, `runScenario`) at the same seed, on every suite.
 *
 * On secp256k1 and p256 everything is compared byte for byte. On ristretto255 the suite's Schnorr
 * signatures take their nonce from the system CSPRNG (src/crypto/ristretto255.ts), so signature
 * bytes and the ledger hashes over them are compared by size and by each side verifying; every
 * other byte, including the signed plaintexts inside the ciphertexts, is still compared.
 */
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { compareRuns, recordOfFlowRun, recordOfScenario, signaturesReplay } from '../src/emr-env/differential.js';
import { checkSpecFlow } from '../src/flow-lang/index.js';
import { ENVIRONMENTS, environmentSignatures, runFlow } from '../src/interpret/index.js';
import { loadSpec } from '../src/spec/load.js';
import { runScenario } from '../src/model/index.js';

const SPEC = new URL('../spec/emr-flow.ban', import.meta.url).pathname;
const checked = checkSpecFlow(loadSpec(SPEC), { environments: environmentSignatures(ENVIRONMENTS) });
if (!checked.ok) throw new Error(`spec/emr-flow.ban is not executable: ${checked.diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.message}`).join('; ')}`);
const protocol = checked.protocol;

describe('spec/emr-flow.ban through the interpreter = src/model, byte for byte', () => {
  for (const suite of ['ristretto255', 'secp256k1', 'p256'] as const) {
    for (const seed of [0, 1, 42]) {
      test(`${suite}, seed ${seed}`, () => {
        const flow = runFlow(protocol, { suite, seed });
        expect(flow.failures).toEqual([]);
        expect(flow.ok).toBe(true);
        const model = runScenario({ suite, seed });
        expect(model.ok).toBe(true);
        const a = recordOfScenario(model);
        const b = recordOfFlowRun(flow);
        // not vacuous: all 18 messages, 6 session keys (2 per key agreement), 7 ledger txs on each side
        expect([a.envelopes.length, b.envelopes.length]).toEqual([18, 18]);
        expect([a.keys.length, b.keys.length]).toEqual([6, 6]);
        expect([a.ledger.txs.length, b.ledger.txs.length]).toEqual([7, 7]);
        expect(compareRuns(a, b, { signatures: signaturesReplay(suite) ? 'bytes' : 'verified', suite: getSuite(suite) })).toEqual([]);
      });
    }
  }
});

test('the executable spec covers all 73 equations, in order, once each', () => {
  const eqs = [...protocol.setup, ...protocol.phases.flatMap((p) => [...p.local, ...p.steps.flatMap((s) => [...s.before, ...s.after])])].flatMap((a) => (a.eq === undefined ? [] : [a.eq]));
  expect(eqs).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
});

test('the interpreter run evaluates every equation 1..73 (trace)', () => {
  const flow = runFlow(protocol, { suite: 'p256', seed: 5 });
  const seen = new Set(flow.trace.events.flatMap((e) => (e.kind === 'compute' || e.kind === 'check') && e.eq !== undefined ? [e.eq] : []));
  expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
  const contracts = flow.trace.events.flatMap((e) => (e.kind === 'contract' ? [`${e.party}:${e.contract}`] : []));
  for (const c of ['CENTER:ptins', 'CENTER:hains', 'CENTER:hbins', 'PAT-1:hachk', 'HPA:ptchk', 'HPA:mrins', 'HPA:ptins', 'PAT-1:hbchk', 'HPB:ptchk', 'HPB:mrchk', 'HPB:mrins', 'HPB:ptins']) expect(contracts).toContain(c);
});

test('a different seed is caught (the comparison can fail)', () => {
  const a = recordOfScenario(runScenario({ suite: 'secp256k1', seed: 1 }));
  const b = recordOfFlowRun(runFlow(protocol, { suite: 'secp256k1', seed: 2 }));
  expect(compareRuns(a, b, { signatures: 'bytes' }).length).toBeGreaterThan(10);
});

// ---------------------------------------------------------------------------------------------
// Under attack: the same tampered message makes the same party fail at the same check.

import { addPrincipal, createWorld, deliver as deliverFlow, startSession } from '../src/interpret/index.js';
import { addParty, createSystem, deliver as deliverModel, startInitial, startInter, startRegistration } from '../src/model/index.js';

type Outcome = { kind: 'ok' } | { kind: 'rejected'; party: string; step: string } | { kind: 'aborted'; party: string; eq?: number };

/** Flips one bit of the last byte ('last': the last field) or of the middle byte ('middle'). */
type Where = 'last' | 'middle';
const flip = (b: Uint8Array, where: Where) => {
  const c = b.slice();
  c[where === 'last' ? c.length - 1 : c.length >> 1]! ^= 1;
  return c;
};

/** The model's honest run with the last byte of the first `step` message flipped: its first failure. */
function modelTampered(suite: string, seed: number, step: string, where: Where): Outcome {
  const sys = createSystem({ suite, seed });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  let done = false;
  const drain = (): Outcome => {
    for (let e = sys.net.pending()[0]; e; e = sys.net.pending()[0]) {
      if (!done && e.step === step) (sys.net.adversary.modify(e.id, flip(e.bytes, where)), (done = true));
      const r = deliverModel(sys, sys.net.next()!);
      if (r.kind === 'aborted') return { kind: 'aborted', party: r.abort.party, ...(r.abort.eq !== undefined ? { eq: r.abort.eq } : {}) };
      if (r.kind === 'rejected') return { kind: 'rejected', party: r.envelope.to, step: r.envelope.step };
    }
    return { kind: 'ok' };
  };
  for (const id of ['PAT-1', 'HPA', 'HPB']) {
    startRegistration(sys, id);
    const o = drain();
    if (o.kind !== 'ok') return o;
  }
  startInitial(sys, 'PAT-1', 'HPA');
  const o = drain();
  if (o.kind !== 'ok') return o;
  startInter(sys, 'PAT-1', 'HPB');
  return drain();
}

/** The interpreter's run of the spec, same tampering: its first failure. */
function flowTampered(suite: string, seed: number, step: string, where: Where): Outcome {
  const w = createWorld(protocol, { suite: getSuite(suite), seed: String(seed), environments: ENVIRONMENTS });
  for (const r of protocol.roles) addPrincipal(w, r.principal, [r.id]);
  const binding = Object.fromEntries(protocol.roles.map((r) => [r.id, r.principal]));
  let done = false;
  for (const ph of protocol.phases) {
    for (const role of ph.roles) startSession(w, ph.id, role, binding, `${ph.id}#1`);
    for (let e = w.network.pending()[0]; e; e = w.network.pending()[0]) {
      if (!done && e.step === step) (w.network.adversary.modify(e.id, flip(e.bytes, where)), (done = true));
      const r = deliverFlow(w, w.network.next()!);
      if (r.kind === 'aborted') return { kind: 'aborted', party: r.abort.principal, ...(r.abort.eq !== undefined ? { eq: r.abort.eq } : {}) };
      if (r.kind === 'rejected') return { kind: 'rejected', party: r.envelope.to, step: r.envelope.step };
    }
  }
  return { kind: 'ok' };
}

describe('a tampered message fails at the same party and check in both', () => {
  // the last field of each public message: a check value, a signature, or a point (both may
  // reject a point that does not decode; otherwise the peer's check value catches it)
  const steps = ['initial.1', 'initial.2', 'initial.3', 'initial.4', 'inter.1', 'inter.2', 'inter.3', 'inter.5', 'inter.6', 'inter.7', 'inter.8', 'inter.10'];
  for (const [suite, where] of [['secp256k1', 'last'], ['ristretto255', 'last'], ['p256', 'middle'], ['secp256k1', 'middle']] as const) {
    test(`${suite}, ${where} byte flipped`, () => {
      const rows = steps.map((step) => ({ step, model: modelTampered(suite, 9, step, where), flow: flowTampered(suite, 9, step, where) }));
      for (const r of rows) expect(r.model.kind, `${r.step}: the tampering is noticed`).not.toBe('ok');
      expect(rows.map((r) => [r.step, r.flow])).toEqual(rows.map((r) => [r.step, r.model]));
    });
  }
});
