/**
 * Operation counts of an executable flow, per (principal, phase): every primitive application
 * counts the units its table entry lists (src/flow-lang/primitives.ts `cost`), every equality
 * check one comparison; bytes and messages sent come from the network. The suite-level Table 2
 * units (src/crypto/counters.ts: T_Mul, T_H, T_Cmp, T_Enc, T_Sig, digest) are counted beside them
 * by wrapping the suite, so both views come from the same run.
 */
import { countingSuite, zeroCounts, type OpCounts } from '../crypto/counters.js';
import type { CryptoSuite } from '../crypto/suite.js';
import type { CostUnit } from '../flow-lang/primitives.js';

export interface FlowOpCounts {
  /** Scalar multiplications of the generator (x·G). */
  mulG: number;
  /** Scalar multiplications of any other point (x·Y). */
  mul: number;
  hash: number;
  mac: number;
  aeadEnc: number;
  aeadDec: number;
  sign: number;
  verify: number;
  /** Equality checks (`=?`, received or rebound values compared). */
  cmp: number;
  /** Fresh random values drawn (generates, ECIES ephemerals). */
  fresh: number;
}

export function zeroFlowCounts(): FlowOpCounts {
  return { mulG: 0, mul: 0, hash: 0, mac: 0, aeadEnc: 0, aeadDec: 0, sign: 0, verify: 0, cmp: 0, fresh: 0 };
}

const FIELD: Record<CostUnit | 'cmp', keyof FlowOpCounts> = {
  mulG: 'mulG', mul: 'mul', hash: 'hash', mac: 'mac', 'aead-enc': 'aeadEnc', 'aead-dec': 'aeadDec', sign: 'sign', verify: 'verify', fresh: 'fresh', cmp: 'cmp',
};

export interface FlowPartyCosts {
  readonly principal: string;
  readonly role: string;
  readonly phase: string;
  readonly ops: FlowOpCounts;
  /** The same run in the paper's Table 2 units, counted at the suite (src/crypto/counters.ts). */
  readonly suiteOps: OpCounts;
  readonly bytesSent: number;
  readonly messagesSent: number;
}

/** A cost ledger: counting suites and counters per (principal, role, phase). */
export interface CostBook {
  suiteFor(principal: string, role: string, phase: string): CryptoSuite;
  count(principal: string, role: string, phase: string, unit: CostUnit | 'cmp'): void;
  sent(principal: string, role: string, phase: string, bytes: number): void;
  rows(): FlowPartyCosts[];
}

export function createCostBook(base: CryptoSuite): CostBook {
  const rows = new Map<string, { principal: string; role: string; phase: string; ops: FlowOpCounts; counting: ReturnType<typeof countingSuite>; bytes: number; msgs: number }>();
  const row = (principal: string, role: string, phase: string) => {
    const k = `${principal}|${role}|${phase}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { principal, role, phase, ops: zeroFlowCounts(), counting: countingSuite(base), bytes: 0, msgs: 0 }));
    return r;
  };
  return {
    suiteFor: (p, r, ph) => row(p, r, ph).counting.suite,
    count(p, r, ph, unit) {
      row(p, r, ph).ops[FIELD[unit]]++;
    },
    sent(p, r, ph, bytes) {
      const x = row(p, r, ph);
      x.bytes += bytes;
      x.msgs++;
    },
    rows: () => [...rows.values()].map((r) => ({ principal: r.principal, role: r.role, phase: r.phase, ops: { ...r.ops }, suiteOps: r.counting.counts(), bytesSent: r.bytes, messagesSent: r.msgs })),
  };
}

/** Sums rows (e.g. all phases of one role). */
export function sumCounts(xs: readonly FlowOpCounts[]): FlowOpCounts {
  const out = zeroFlowCounts();
  for (const x of xs) for (const k of Object.keys(out) as (keyof FlowOpCounts)[]) out[k] += x[k];
  return out;
}

export { zeroCounts };
