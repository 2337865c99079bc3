/**
 * The test oracle's view of discrete logarithms. This is NOT attacker power: the attacker never
 * reads it. It lets the property checker decide, in microseconds and exactly, whether a point the
 * attacker would need (e.g. the K_1 / K_2 halves of a session key, §3.6 eqs. (17)–(19)) is one it
 * can compute from what it knows (./knowledge.ts), instead of enumerating group operations.
 *
 * How the oracle learns logs without touching src/model: the System is created over an
 * instrumented suite. Every scalar drawn by `randomScalar` (the center's r_X, every ephemeral
 * a–f) is remembered; when it is then multiplied into the base point (`mulG`, eqs. (2), (6), (10),
 * (14), (15), (34), (35), (50), (51)), the resulting point's log is recorded. Long-term keys S_X
 * are read from the parties' stored credentials (PK_X = S_X·P) and s from the center.
 *
 * The same wrapper hosts the protocol mutants of properties/mutants.test.ts (./mutants.ts).
 */
import type { CryptoSuite, Point } from '../crypto/suite.js';
import { hex } from '../model/records.js';

export interface LogOracle {
  /** Discrete log of a point, if the oracle knows it. */
  logOf(P: Point): bigint | undefined;
  /** Records a log (attacker-made points, derived public keys). */
  record(P: Point, log: bigint): void;
}

export interface Instrumented {
  readonly suite: CryptoSuite;
  readonly oracle: LogOracle;
}

/** Wraps `base` so that logs of every randomly keyed `mulG` are recorded. Per run: no shared state. */
export function instrumentSuite(base: CryptoSuite): Instrumented {
  const drawn = new Set<bigint>();
  const logs = new Map<string, bigint>();
  const oracle: LogOracle = {
    logOf: (P) => logs.get(hex(P.bytes)),
    record: (P, log) => void logs.set(hex(P.bytes), ((log % base.order) + base.order) % base.order),
  };
  oracle.record(base.G, 1n);
  const suite: CryptoSuite = {
    ...base,
    randomScalar(rng) {
      const k = base.randomScalar(rng);
      drawn.add(k);
      return k;
    },
    mulG(k) {
      const P = base.mulG(k);
      if (drawn.has(k)) logs.set(hex(P.bytes), k);
      return P;
    },
  };
  return { suite, oracle };
}

export function modInverse(a: bigint, q: bigint): bigint {
  let [r0, r1] = [((a % q) + q) % q, q];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const t = r0 / r1;
    [r0, r1] = [r1, r0 - t * r1];
    [s0, s1] = [s1, s0 - t * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return ((s0 % q) + q) % q;
}
