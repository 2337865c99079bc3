/**
 * The wire decoder (src/net/codec.ts) on three suites: byte mutations of every message of an
 * honest run. decodeMessage must never throw; a message it accepts must re-encode to exactly
 * the bytes it was decoded from (otherwise two encodings mean one message: a wrong accept).
 */
import { getSuite, type CryptoSuite } from '../../src/crypto/index.js';
import { runScenario } from '../../src/model/index.js';
import { decodeMessage, encodeMessage, type StepId } from '../../src/net/index.js';
import { mutateBytes } from '../mutate.js';
import type { FuzzRng } from '../rng.js';
import type { FuzzTarget } from '../target.js';

const SUITES = ['secp256k1', 'p256', 'ristretto255'] as const;

export interface WireCorpus {
  bySuite: Map<string, { cs: CryptoSuite; messages: Uint8Array[] }>;
}

export interface WireInput {
  suite: string;
  bytes: Uint8Array;
}

export const codecTarget: FuzzTarget<WireCorpus, WireInput> = {
  name: 'codec',
  summary: 'wire decoder on byte mutations of honest messages (secp256k1, p256, ristretto255)',
  prepare() {
    const bySuite = new Map<string, { cs: CryptoSuite; messages: Uint8Array[] }>();
    for (const s of SUITES) {
      const r = runScenario({ suite: s, seed: 'fuzz-codec' });
      const seen = new Set<StepId>();
      const messages: Uint8Array[] = [];
      for (const e of r.trace.events) {
        if (e.kind !== 'send' || seen.has(e.step as StepId)) continue;
        seen.add(e.step as StepId);
        messages.push(r.system.net.get(e.seq)!.bytes);
      }
      bySuite.set(s, { cs: getSuite(s), messages });
    }
    return { bySuite };
  },
  input(r: FuzzRng, c: WireCorpus): WireInput {
    const suite = r.pick(SUITES);
    const { messages } = c.bySuite.get(suite)!;
    return { suite, bytes: mutateBytes(r, r.pick(messages), r.pick(messages)) };
  },
  run(input, c) {
    const { cs } = c.bySuite.get(input.suite)!;
    let d;
    try {
      d = decodeMessage(cs, input.bytes);
    } catch (e) {
      return { kind: 'crash', detail: `decodeMessage threw ${(e as Error)?.name}: ${(e as Error)?.message}` };
    }
    if (!d.ok) return { kind: 'rejected', klass: d.rejection.reason };
    try {
      const back = encodeMessage(cs, d.message).bytes;
      if (Buffer.compare(Buffer.from(back), Buffer.from(input.bytes)) !== 0) return { kind: 'wrong-accept', detail: 'accepted bytes do not re-encode identically' };
    } catch (e) {
      return { kind: 'wrong-accept', detail: `accepted message does not encode: ${(e as Error)?.message}` };
    }
    return { kind: 'accepted', klass: d.message.step };
  },
  show: (i) => `${i.suite} ${Buffer.from(i.bytes).toString('hex').slice(0, 400)}`,
};
