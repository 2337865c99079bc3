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
