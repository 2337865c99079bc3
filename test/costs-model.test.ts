/**
 * The model's fast path (PK table, per-party peer-key cache; src/keyagreement/fast.ts used by
 * src/model/equations.ts) changes no computed value: repeated sessions between the same parties
 * (cache hits, then tables) give byte-identical traces, messages and session keys to the same run
 * with every equation computed as written; only the operation counts drop, by one T_H and one T_Mul
 * per derivation served from the cache.
 */
import { describe, expect, test } from 'vitest';
import { getSuite, type CryptoSuite } from '../src/crypto/index.js';
import { addParty, createSystem, runScenario, runUntilQuiet, sessionKeyOf, startInitial, startInter, startRegistration, type System } from '../src/model/index.js';

function run(fast: boolean, suite: string, seed: number): { sys: System; keys: string[]; sessions: number } {
  const sys = createSystem({ suite, seed });
  addParty(sys, 'PAT-1', 'patient');
  addParty(sys, 'HPA', 'hospital', { slot: 'A' });
  addParty(sys, 'HPB', 'hospital', { slot: 'B' });
  if (!fast) for (const [id, p] of sys.parties) sys.parties.set(id, { ...p, peerKeys: undefined });
  const keys: string[] = [];
  for (const id of ['PAT-1', 'HPA', 'HPB']) {
    startRegistration(sys, id);
    runUntilQuiet(sys);
  }
  let sessions = 0;
  for (let i = 0; i < 4; i++) {
    const a = startInitial(sys, 'PAT-1', 'HPA');
    runUntilQuiet(sys);
    const b = startInter(sys, 'PAT-1', 'HPB');
    runUntilQuiet(sys);
    for (const [party, label] of [['PAT-1', a.session], ['HPA', a.session], ['PAT-1', b.session], ['HPB', b.session]] as const) {
      const k = sessionKeyOf(sys, party, label);
      expect(k).toBeDefined();
      keys.push(Buffer.from(k!).toString('hex'));
    }
    sessions += 2;
  }
  return { sys, keys, sessions };
}

describe('model fast path', () => {
  test.each(['secp256k1', 'ristretto255'])('%s: repeated sessions give the same trace and keys as the equations as written; counts drop only by cache hits', (suite) => {
    const fast = run(true, suite, 3);
    const slow = run(false, suite, 3);
    expect(fast.keys).toEqual(slow.keys);
    // the whole trace is identical: every message and its size, every computation, check and contract call
    expect(JSON.stringify(fast.sys.tracer.trace)).toBe(JSON.stringify(slow.sys.tracer.trace));
    expect(fast.sys.tracer.trace.events.filter((e) => e.kind === 'abort' || e.kind === 'reject')).toEqual([]);
    // per party and phase: the same operations except H1 and h·PK for derivations served from the cache
    const p = fast.sys.parties.get('PAT-1')!.peerKeys!;
    expect(p.stats.misses).toBe(2); // PK_HPA and PK_HPB, derived once each
    expect(p.stats.hits).toBe(6);
    expect(p.stats.tables).toBe(2);
    let hits = 0;
    for (const [key, c] of fast.sys.counters) {
      const s = slow.sys.counters.get(key)!.counts();
      const f = c.counts();
      expect(s.mul - f.mul).toBe(s.h - f.h);
      expect({ ...f, mul: 0, h: 0 }).toEqual({ ...s, mul: 0, h: 0 });
      hits += s.h - f.h;
    }
    const allHits = [...fast.sys.parties.values()].reduce((a, q) => a + (q.peerKeys?.stats.hits ?? 0), 0);
    expect(hits).toBe(allHits);
    expect(allHits).toBeGreaterThan(0);
  });

  test('only session ephemerals reach the unblinded mulEphemeral in the model; no long-term key (s, S_X) does', () => {
    const base = getSuite('secp256k1');
    const seen: bigint[] = [];
    const spy: CryptoSuite = { ...base, mulEphemeral: (X, k) => (seen.push(k), base.mulEphemeral(X, k)) };
    const { system: sys, failures } = runScenario({ suite: spy, seed: 5 }); // registrations, initial, inter
    expect(failures).toEqual([]);
    // first contact everywhere: x·T_peer and x·PK_peer on each side of the three key agreements
    expect(seen).toHaveLength(2 * 6);
    const longTerm = [sys.center.s, ...[...sys.parties.values()].map((p) => p.store.credentials!.S)];
    for (const k of longTerm) expect(seen).not.toContain(k);
  });
});
