/**
 * The hand-written EMR model (src/model) attacked by the single-fault sweep (src/attacker/fault-sweep.ts)
 * of spec/emr-flow.ban, in lockstep with the interpreter (src/emr-env/fault-differential.ts): each
 * fault's altered message is made once by the interpreter's replay and delivered to both; both must
 * reject at the same step, party and check, or both accept. A fault the spec rejects and the model
 * accepts names the check the spec performs and the model skipped — this is how mutants of
 * src/model/protocol.ts that drop a check are killed with a property that names the weakness
 * (docs/mutation.md; docs/properties.md "Single-fault sweep").
 *
 * Bounded: one seed (printed), secp256k1, every fault of every class of the sweep's bound; in
 * `npm test` a CI subset runs (the first fault of each step × class and every sender-field fault; in
 * initial also every network fault and every dishonest sender's fault on a record: substituted or read
 * for one), the whole sweep with BANTAM_SWEEP=full (npm run sweep:full).
 */
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { FAULT_CLASSES, drive, outcomeOf, plannedFaults, sweepSetup, SWEPT_RUN, type PlannedFault } from '../src/attacker/fault-sweep.js';
import { modelUnderFault, sameRejection, showFault, showRejection } from '../src/emr-env/fault-differential.js';
import { loadExecutable } from '../src/interpret/load.js';
import { propSeed } from './seed.js';

const SEED = String(propSeed('fault-sweep'));
const FULL = process.env.BANTAM_SWEEP === 'full';
const SUITE = 'secp256k1';
const { protocol } = loadExecutable(new URL('../spec/emr-flow.ban', import.meta.url).pathname);

function plan(phase: 'initial' | 'inter') {
  const S = sweepSetup(protocol, getSuite(SUITE), SEED, phase);
  const base = drive(S);
  const all = plannedFaults(S, base, new Set(FAULT_CLASSES)).faults;
  // CI subset: in both phases the first fault of each (step, class), every sender-field fault (one field of a
  // record, certificate or request) and every dishonest sender's fault on what an environment function
  // computes or reads (the records the receivers' payload checks read); in initial also every network fault
  const seen = new Set<string>();
  const payload = /^(EMR\w*|Cert_\w+|request|message|index_\w+)\b|\(read for \(?(EMR|Cert_|request|message|index_)/;
  const faults = FULL ? all : all.filter((f) => {
    const k = `${f.fault.step}|${f.fault.cls}`;
    const first = !seen.has(k);
    seen.add(k);
    if (first || f.fault.cls === 'sender-field') return true;
    if (f.fault.cls.startsWith('sender-')) return payload.test(f.fault.field);
    return phase === 'initial';
  });
  return { S, base, faults, total: all.length };
}

/** One fault through both implementations: undefined if they agree, else the failure message. */
function disagreement(S: ReturnType<typeof sweepSetup>, base: ReturnType<typeof drive>, f: PlannedFault, phase: 'initial' | 'inter'): string | undefined {
  const name = showFault(f.fault);
  const { outcome, drive: d } = outcomeOf(S, f.alter, []);
  if (outcome.kind === 'crash') return `${name}: the interpreter crashed (a bantam bug): ${outcome.error}`;
  if (outcome.kind === 'not-sent' || !d) return undefined; // nothing reached a receiver (the dishonest sender's own program failed)
  const sent = d.deliveries.find((x) => x.envelope.session === SWEPT_RUN && x.envelope.step === f.fault.step);
  const bytes = sent?.altered ?? sent?.envelope.bytes;
  if (!bytes) return `${name}: the interpreter's altered message is missing`;
  const honest = f.alter.bytes ? base.deliveries.find((x) => x.envelope.step === f.fault.step)?.envelope.bytes : undefined;
  const model = modelUnderFault(SUITE, SEED, phase, f.fault.step, bytes, honest);
  if (model.kind === 'no-message') return `${name}: ${model.detail}`;
  if (model.kind === 'crashed') {
    const spec = outcome.kind === 'rejected' ? `the spec: ${showRejection(outcome.at)}` : `the spec: ${outcome.kind}`;
    return `${name}: ${spec}; the model CRASHES at ${model.step} (${model.party}): ${model.detail} — it lets the altered value past that check`;
  }
  if (outcome.kind === 'rejected') {
    if (model.kind === 'rejected' && sameRejection(outcome.at, model.at)) return undefined;
    const where = model.kind === 'rejected' ? `the model instead: ${showRejection(model.at)}` : model.kind === 'accepted' ? 'the model ACCEPTS it: it skips that check' : `the model leaves the run incomplete (${model.detail})`;
    return `${name}: the spec: ${showRejection(outcome.at)}; ${where}`;
  }
  if (outcome.kind === 'accepted') return model.kind === 'accepted' ? undefined : `${name}: the spec accepts it; the model ${model.kind === 'rejected' ? showRejection(model.at) : model.detail}`;
  return model.kind === 'incomplete' ? undefined : `${name}: the spec leaves the run incomplete (${outcome.detail}); the model ${model.kind === 'rejected' ? showRejection(model.at) : model.kind}`;
}

for (const phase of ['initial', 'inter'] as const) {
  const { S, base, faults, total } = plan(phase);
  const steps = [...new Set(faults.map((f) => f.fault.step))];
  describe(`EMR model vs spec/emr-flow.ban under single faults, phase ${phase} (bounded: seed ${SEED}, ${SUITE}, ${faults.length} of ${total} faults${faults.length < total ? ' — CI subset, BANTAM_SWEEP=full for all' : ''}; classes ${FAULT_CLASSES.join(', ')})`, () => {
    test('the sweep has faults and the honest runs agree (not vacuous)', () => {
      expect(base.run.every((s) => s.status === 'accepted')).toBe(true);
      expect(faults.length).toBeGreaterThan(20);
    });
    for (const step of steps) {
      test(`${step}: every fault is rejected at the same step and check by both, or accepted by both`, () => {
        const bad = faults.filter((f) => f.fault.step === step).flatMap((f) => disagreement(S, base, f, phase) ?? []);
        expect(bad, bad.join('\n')).toEqual([]);
      });
    }
  });
}
