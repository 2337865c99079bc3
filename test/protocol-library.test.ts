/**
 * The library of executable specs (spec/protocols/*.ban): every protocol runs honestly on every
 * suite, replays from its seed, and no single-byte change of any public message of an honest run
 * goes unnoticed (some session does not complete). The last is a bounded single-fault sweep:
 * each public message × {first byte after the tag, last byte}.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { seedText } from '../src/crypto/rng.js';
import type { TypedProtocol } from '../src/flow-lang/index.js';
import { addPrincipal, createWorld, deliver, runFlow, startSession } from '../src/interpret/index.js';
import { loadExecutable } from '../src/interpret/load.js';

const DIR = join(import.meta.dirname, '..', 'spec', 'protocols');
const SPECS = readdirSync(DIR).filter((f) => f.endsWith('.ban')).sort();
const SUITES = ['ristretto255', 'secp256k1', 'p256'] as const;

/** Runs every phase with the honest scheduler, changing the `target`-th public envelope with `alter`. */
function runAltered(protocol: TypedProtocol, suite: string, seed: number, target: number, alter: (b: Uint8Array) => Uint8Array) {
  const w = createWorld(protocol, { suite: getSuite(suite), seed: seedText(seed) });
  const binding = Object.fromEntries(protocol.roles.map((r) => [r.id, r.principal ?? r.id]));
  for (const r of protocol.roles) addPrincipal(w, binding[r.id]!, [r.id]);
  let publicSeen = 0;
  let altered: string | undefined;
  const sessions = [];
  for (const ph of protocol.phases) {
    sessions.push(...ph.roles.map((role) => startSession(w, ph.id, role, binding, `${ph.id}#1`)));
    for (;;) {
      const head = w.network.pending()[0];
      if (!head) break;
      if (head.channel === 'public' && publicSeen++ === target) {
        w.network.adversary.modify(head.id, alter(head.bytes), 'single-byte change');
        altered = head.step;
      }
      deliver(w, w.network.next()!);
    }
  }
  return { altered, publicMessages: publicSeen, sessions };
}

const flipAt = (i: (n: number) => number) => (b: Uint8Array) => {
  const c = Uint8Array.from(b);
  const k = i(c.length);
  c[k] = c[k]! ^ 0x01;
  return c;
};

describe.each(SPECS)('spec/protocols/%s', (file) => {
  const { protocol } = loadExecutable(join(DIR, file));

  test.each(SUITES)('runs honestly on %s: every session accepted, shared keys agreed', (suite) => {
    const r = runFlow(protocol, { suite, seed: 7 });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.sessions.length).toBeGreaterThanOrEqual(2);
    expect(r.sessions.every((s) => s.status === 'accepted')).toBe(true);
    expect(r.agreements.every((a) => a.agreed)).toBe(true);
  });

  test('replays from its seed (same wire bytes), and another seed gives other bytes', () => {
    const wire = (seed: number) =>
      runFlow(protocol, { suite: 'secp256k1', seed }).world.network.adversary.observed().map((e) => Buffer.from(e.bytes).toString('hex'));
    expect(wire(3)).toEqual(wire(3));
    expect(wire(3)).not.toEqual(wire(4));
  });

  test('no single-byte change of a public message goes unnoticed (single-fault sweep)', () => {
    const honest = runAltered(protocol, 'secp256k1', 11, -1, (b) => b);
    expect(honest.sessions.every((s) => s.status === 'accepted')).toBe(true); // the harness itself is not vacuous
    expect(honest.publicMessages).toBeGreaterThan(0);
    const unnoticed: string[] = [];
    for (let m = 0; m < honest.publicMessages; m++) {
      for (const [where, alter] of [['first field byte', flipAt((n) => Math.min(1, n - 1))], ['last byte', flipAt((n) => n - 1)]] as const) {
        const r = runAltered(protocol, 'secp256k1', 11, m, alter);
        expect(r.altered).toBeDefined();
        if (r.sessions.every((s) => s.status === 'accepted')) unnoticed.push(`${r.altered} (${where})`);
      }
    }
    expect(unnoticed).toEqual([]);
  });
});
