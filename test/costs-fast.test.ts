/**
 * The optimized key agreement (src/keyagreement/fast.ts) against the straightforward equations
 * (src/keyagreement/naive.ts) and the model's own equation functions (src/model/equations.ts): for random
 * seeds and random fast-path options, both give identical registrations, session keys, check values
 * and messages; the cache is keyed by (ID, R); secret scalars never reach the variable-time path.
 * Bounded property testing (fast-check, seeds printed on failure).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { countingSuite, forkRng, getSuite, seededRng, SUITE_NAMES, type CryptoSuite, type Point } from '../src/crypto/index.js';
import { createPeerCache, deviceTables, fastKeyAgreement, type DeviceTables, type FastOptions } from '../src/keyagreement/fast.js';
import { naiveKeyAgreement } from '../src/keyagreement/naive.js';
import { buildWorld, initialPhase, interPhase, type World } from '../src/costs/phases.js';
import * as E from '../src/model/equations.js';

const hex = bytesToHex;

/** Options of the fast path: every table window and table policy, including "no table" and the shared-base table. */
const fastOptionsArb: fc.Arbitrary<Partial<FastOptions>> = fc.record({
  pkWindow: fc.constantFrom(0, 4, 8),
  gWindow: fc.constantFrom(0, 4, 8),
  peerWindow: fc.integer({ min: 2, max: 5 }),
  peerTableAtUse: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
  hotPeerWindow: fc.constantFrom(5, 6),
  hotPeerAtUse: fc.constantFrom(2, 4, Number.POSITIVE_INFINITY),
  sharedBaseWindow: fc.constantFrom(0, 0, 3),
  ephemeralBlinding: fc.boolean(),
});

/** A seed for every party's randomness. */
const seedArb = fc.string({ minLength: 1, maxLength: 12 });

function worlds(suite: CryptoSuite, seed: string, o: Partial<FastOptions>): { naive: World; fast: World } {
  // two copies of the same seeded streams: both worlds draw exactly the same randomness
  const rngOf = () => {
    const root = seededRng(`costs-test/${seed}`);
    return (l: string) => forkRng(root, l);
  };
  const naive = buildWorld(suite, (s, PK) => naiveKeyAgreement(s, PK), rngOf());
  let tables: DeviceTables | undefined;
  const fast = buildWorld(suite, (s, PK) => fastKeyAgreement(s, PK, o, createPeerCache(), (tables ??= deviceTables(s, PK, o))), rngOf());
  return { naive, fast };
}

/** Every message field of a phase result as bytes; signatures left out where the suite's signing is not replayable. */
function fieldsOf(suite: CryptoSuite, m: Record<string, Point | Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (suite.name === 'ristretto255' && k.startsWith('Sig_')) continue; // RFC 9591 nonces come from the system CSPRNG
    out[k] = v instanceof Uint8Array ? hex(v) : hex(suite.encodePoint(v));
  }
  return out;
}

describe.each(SUITE_NAMES)('fast key agreement = straightforward equations (%s)', (name) => {
  const suite = getSuite(name);

  test('identical registrations, session keys, check values and messages over repeated sessions (random seeds and options)', () => {
    fc.assert(
      fc.property(seedArb, fastOptionsArb, (seed, o) => {
        const { naive, fast } = worlds(suite, seed, o);
        expect(naive.registrationsOk && fast.registrationsOk).toBe(true);
        for (const k of ['P', 'HA', 'HB'] as const) {
          expect(hex(suite.encodePoint(fast[k].R))).toBe(hex(suite.encodePoint(naive[k].R)));
          expect(fast[k].S).toBe(naive[k].S);
        }
        // three rounds: cold cache, then hits, then tables (default policy builds them on the 3rd use)
        for (let round = 0; round < 3; round++) {
          const a = initialPhase(naive.P, naive.HA);
          const b = initialPhase(fast.P, fast.HA);
          expect(a.ok && b.ok).toBe(true);
          expect(hex(b.SEK.patient)).toBe(hex(a.SEK.patient));
          expect(hex(b.SEK.HA)).toBe(hex(b.SEK.patient));
          expect(fieldsOf(suite, b.messages)).toEqual(fieldsOf(suite, a.messages));
          const c = interPhase(naive.P, naive.HB, naive.HA);
          const d = interPhase(fast.P, fast.HB, fast.HA);
          expect(c.ok && d.ok).toBe(true);
          expect(hex(d.SEK.BP.patient)).toBe(hex(c.SEK.BP.patient));
          expect(hex(d.SEK.AB.HA)).toBe(hex(c.SEK.AB.HA));
          expect(hex(d.SEK.AB.HB)).toBe(hex(d.SEK.AB.HA));
          expect(fieldsOf(suite, d.messages)).toEqual(fieldsOf(suite, c.messages));
        }
      }),
      { numRuns: name === 'secp256k1' ? 4 : 2, seed: 7 },
    );
  });

  test('derivePK and keyParts equal the model equations (16)–(18) for random scalars and points', () => {
    const rng = seededRng(`costs-eq-${name}`);
    const s = suite.randomScalar(rng);
    const PK = suite.mulG(s);
    const fast = fastKeyAgreement(suite, PK, { pkWindow: 4, peerTableAtUse: 1 });
    const C: E.EqCtx = { suite, PK, rng, party: 'HPA', phase: 'initial', session: 't', events: [] };
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.bigInt({ min: 1n, max: suite.order - 1n }), fc.bigInt({ min: 1n, max: suite.order - 1n }), fc.bigInt({ min: 1n, max: suite.order - 1n }), (id, r, S, x) => {
        const R = suite.mulG(r);
        const T = suite.mulG(suite.addMod(r, 1n) || 1n);
        const PKx = fast.derivePK(id, R);
        expect(hex(suite.encodePoint(PKx))).toBe(hex(suite.encodePoint(E.eq16_PK_PAT(C, id, R))));
        const { K1, K2 } = fast.keyParts(S, T, x, PKx);
        expect(hex(suite.encodePoint(K1))).toBe(hex(suite.encodePoint(E.eq17_K_AP1(C, S, T, x, PKx))));
        expect(hex(suite.encodePoint(K2))).toBe(hex(suite.encodePoint(E.eq18_K_AP2(C, x, T))));
      }),
      { numRuns: 6, seed: 11 },
    );
  });
});

describe('peer cache and constant-time discipline', () => {
  const suite = getSuite('secp256k1');
  const rng = seededRng('costs-cache');
  const PK = suite.mulG(suite.randomScalar(rng));

  test('the cache is keyed by (ID, R): a hit returns the same key, another R or another ID is derived afresh', () => {
    const fast = fastKeyAgreement(suite, PK, { pkWindow: 0, peerTableAtUse: 3 });
    const R1 = suite.mulG(5n);
    const R2 = suite.mulG(6n);
    const a = fast.derivePK('HPA', R1);
    const b = fast.derivePK('HPA', R1);
    const c = fast.derivePK('HPA', R2);
    const d = fast.derivePK('HPB', R1);
    expect(suite.equals(a, b)).toBe(true);
    expect(suite.equals(a, c)).toBe(false);
    expect(suite.equals(a, d)).toBe(false);
    expect(fast.cache.stats).toEqual({ hits: 1, misses: 3, tables: 0, hotTables: 0, evicted: 0, tablesDropped: 0 });
    // uses that count towards a table are authenticated sessions (confirmPeer), not derivations
    for (let i = 0; i < 5; i++) fast.derivePK('HPA', R2);
    expect(fast.cache.stats.tables).toBe(0); // a key whose sessions never authenticate gets no table
    fast.confirmPeer('HPA', R1);
    fast.confirmPeer('HPA', R1);
    expect(fast.cache.stats.tables).toBe(0);
    fast.confirmPeer('HPA', R1); // third authenticated session with (HPA, R1): its table is built
    expect(fast.cache.stats.tables).toBe(1);
    expect(suite.equals(fast.derivePK('HPA', R1), a)).toBe(true);
    fast.confirmPeer('HPX', R1); // never derived: ignored
    expect(fast.cache.entries.size).toBe(3);
  });

  test('a long-lived peer gets the larger table on its hotPeerAtUse-th use, once; the key stays the same point', () => {
    const fast = fastKeyAgreement(suite, PK, { pkWindow: 0, gWindow: 0, peerTableAtUse: 2, hotPeerAtUse: 4, hotPeerWindow: 5 });
    const R = suite.mulG(7n);
    const first = fast.derivePK('HPB', R);
    fast.confirmPeer('HPB', R);
    const seen = [first];
    for (let i = 2; i <= 6; i++) {
      seen.push(fast.derivePK('HPB', R));
      fast.confirmPeer('HPB', R);
    }
    expect(fast.cache.stats).toEqual({ hits: 5, misses: 1, tables: 2, hotTables: 1, evicted: 0, tablesDropped: 0 });
    for (const k of seen) expect(suite.encodePoint(k)).toEqual(suite.encodePoint(first));
    // the table changes only the cost of x·PK_X, not its value
    const x = suite.randomScalar(rng);
    expect(suite.encodePoint(suite.mul(seen[5]!, x))).toEqual(suite.encodePoint(suite.mul(suite.decodePoint(first.bytes, 'PK'), x)));
  });

  test('the cache is bounded, least recently used first: entries, tables and hot tables; values never change', () => {
    const fast = fastKeyAgreement(suite, PK, { pkWindow: 0, gWindow: 0, peerTableAtUse: 2, peerWindow: 2, hotPeerAtUse: 3, hotPeerWindow: 3, maxPeers: 3, maxTabledPeers: 2, maxHotPeers: 1 });
    const R = [1n, 2n, 3n, 4n].map((k) => suite.mulG(k + 10n));
    const want = R.map((r, i) => suite.encodePoint(naiveKeyAgreement(suite, PK).derivePK(`H${i}`, r)));
    // one authenticated session with H_i: derive its key, then confirm
    const get = (i: number) => {
      const k = suite.encodePoint(fast.derivePK(`H${i}`, R[i]!));
      fast.confirmPeer(`H${i}`, R[i]!);
      return k;
    };
    for (const i of [0, 1, 2]) expect(get(i)).toEqual(want[i]);
    expect(get(0)).toEqual(want[0]); // H0 is now the most recently used
    expect(get(3)).toEqual(want[3]); // a 4th entry: the least recently used (H1) is dropped
    expect([...fast.cache.entries.keys()].map((k) => k.split('\u0000')[0])).toEqual(['H2', 'H0', 'H3']);
    expect(fast.cache.stats.evicted).toBe(1);
    // H0 used twice: tabled; H2, H3 on their 2nd use: tabled; only 2 tables may stay
    expect(get(2)).toEqual(want[2]);
    expect(get(3)).toEqual(want[3]);
    const tabled = () => [...fast.cache.entries.entries()].filter(([, e]) => e.window > 0).map(([k]) => k.split('\u0000')[0]);
    expect(tabled()).toEqual(['H2', 'H3']);
    expect(fast.cache.stats.tablesDropped).toBe(1); // H0, the least recently used tabled entry, lost its table
    // hot tables: H2 and H3 reach their 3rd use; only one hot table may stay
    expect(get(2)).toEqual(want[2]);
    expect(get(3)).toEqual(want[3]);
    const hot = [...fast.cache.entries.entries()].filter(([, e]) => e.window === 3).map(([k]) => k.split('\u0000')[0]);
    expect(hot).toEqual(['H3']);
    // dropping a table changes no value: H0 and H2 still give the equation's point
    expect(get(0)).toEqual(want[0]);
    expect(get(2)).toEqual(want[2]);
  });

  test('ephemerals on the device generator table are the points mulG gives', () => {
    const tables = deviceTables(suite, PK, { gWindow: 6 });
    const a = fastKeyAgreement(suite, PK, { gWindow: 6 }, createPeerCache(), tables);
    const b = naiveKeyAgreement(suite, PK);
    const ra = seededRng('eph');
    const rb = seededRng('eph');
    for (let i = 0; i < 4; i++) {
      const ea = a.ephemeral(ra);
      const eb = b.ephemeral(rb);
      expect(ea.x).toBe(eb.x);
      expect(suite.encodePoint(ea.T)).toEqual(suite.encodePoint(eb.T));
    }
    expect(() => fastKeyAgreement(suite, PK, {}, createPeerCache(), { PK, G: suite.mulG(2n) })).toThrow(/not the generator/);
  });

  test('secret scalars never reach the variable-time path (mulAddPublic) in any phase', () => {
    const noVarTime: CryptoSuite = {
      ...suite,
      mulAddPublic: () => {
        throw new Error('variable-time multiplication called');
      },
    };
    const root = seededRng('costs-ct');
    const w = buildWorld(noVarTime, (s, P) => fastKeyAgreement(s, P, { pkWindow: 4, peerTableAtUse: 1 }), (l) => forkRng(root, l));
    expect(w.registrationsOk).toBe(true);
    expect(initialPhase(w.P, w.HA).ok).toBe(true);
    expect(interPhase(w.P, w.HB, w.HA).ok).toBe(true);
  });

  test('long-term secrets (s, every S_X) never reach the unblinded mulEphemeral; the ephemerals do', () => {
    const seen: bigint[] = [];
    const spy: CryptoSuite = { ...suite, mulEphemeral: (X, k) => (seen.push(k), suite.mulEphemeral(X, k)) };
    const root = seededRng('costs-blinding');
    const w = buildWorld(spy, (s, P) => fastKeyAgreement(s, P, { pkWindow: 4, gWindow: 0 }), (l) => forkRng(root, l));
    const longTerm = [w.s, w.P.S, w.HA.S, w.HB.S];
    const all: bigint[] = [];
    const phase = (run: () => boolean): number => {
      seen.length = 0;
      expect(run()).toBe(true);
      all.push(...seen);
      return seen.length;
    };
    // first contact: per side of each key agreement (2 initial + 4 inter), x·T_peer and x·PK_peer (no table yet)
    expect(phase(() => initialPhase(w.P, w.HA).ok) + phase(() => interPhase(w.P, w.HB, w.HA).ok)).toBe(2 * (2 + 4));
    phase(() => initialPhase(w.P, w.HA).ok);
    phase(() => initialPhase(w.P, w.HA).ok); // third use of each peer key: tabled
    expect(phase(() => initialPhase(w.P, w.HA).ok)).toBe(2); // x·PK_peer now by mul on the table
    for (const k of longTerm) expect(all).not.toContain(k);
    const blinded = buildWorld(spy, (s, P) => fastKeyAgreement(s, P, { pkWindow: 4, gWindow: 0, ephemeralBlinding: true }), (l) => forkRng(seededRng('b'), l));
    expect(phase(() => initialPhase(blinded.P, blinded.HA).ok)).toBe(0);
  });

  test('Table 2 units: the fast path counts the same operations as the equations on first contact, and skips H1 and h·PK on a cache hit', () => {
    const run = (make: 'naive' | 'fast') => {
      const cnt = countingSuite(suite);
      const root = seededRng('costs-count');
      const w = buildWorld(cnt.suite, (s, P) => (make === 'naive' ? naiveKeyAgreement(s, P) : fastKeyAgreement(s, P, { pkWindow: 4 })), (l) => forkRng(root, l));
      cnt.reset();
      initialPhase(w.P, w.HA);
      const first = cnt.counts();
      cnt.reset();
      initialPhase(w.P, w.HA);
      return { first, second: cnt.counts() };
    };
    const n = run('naive');
    const f = run('fast');
    expect(f.first).toEqual(n.first);
    expect(n.first).toMatchObject({ mul: 10, h: 8, enc: 4, sig: 2 });
    expect(f.second).toEqual({ ...n.second, mul: n.second.mul - 2, h: n.second.h - 2 });
  });
});
