/**
 * The paper's cost tables as data (Chen et al. 2020, §4.7 Table 2 and §4.8 Table 3), transcribed
 * cell by cell from /work/shared/paper, plus the size assumptions §4.8 states. Nothing here is
 * computed: these are the numbers the reproduction (./table2.ts, ./table3.ts) is compared against.
 */

/** The five units of Table 2 (§4.7 legend). */
export type Unit = 'mul' | 'h' | 'cmp' | 'enc' | 'sig';
export const UNITS: readonly Unit[] = ['mul', 'h', 'cmp', 'enc', 'sig'];
export const UNIT_LABEL: Record<Unit, string> = { mul: 'T_Mul', h: 'T_H', cmp: 'T_Cmp', enc: 'T_Enc', sig: 'T_Sig' };

export type Counts5 = Record<Unit, number>;

/** Table 2's columns. */
export type Role = 'center' | 'HA' | 'HB' | 'patient';
export const ROLES: readonly Role[] = ['center', 'HA', 'HB', 'patient'];
export const ROLE_LABEL: Record<Role, string> = { center: 'Blockchain Center', HA: 'Hospital A', HB: 'Hospital B', patient: 'Patient' };

/** Table 2's rows (and Table 3's): the three registrations are separate rows in the paper. */
export type CostPhase = 'reg-patient' | 'reg-HA' | 'reg-HB' | 'initial' | 'inter';
export const COST_PHASES: readonly CostPhase[] = ['reg-patient', 'reg-HA', 'reg-HB', 'initial', 'inter'];
export const PHASE_LABEL: Record<CostPhase, string> = {
  'reg-patient': 'Patient Registration (§3.4)',
  'reg-HA': 'Hospital A Registration (§3.5)',
  'reg-HB': 'Hospital B Registration (§3.5)',
  initial: 'Initial Treatment (§3.6)',
  inter: 'Inter-Hospital (§3.7)',
};

const c = (mul: number, h: number, cmp: number, enc: number, sig: number): Counts5 => ({ mul, h, cmp, enc, sig });

/** Table 2 (§4.7). A missing role is the paper's "N/A". */
export const TABLE2: Record<CostPhase, Partial<Record<Role, Counts5>>> = {
  'reg-patient': { center: c(2, 1, 0, 0, 0), patient: c(2, 1, 1, 0, 0) },
  'reg-HA': { center: c(2, 1, 0, 0, 0), HA: c(2, 1, 1, 0, 0) },
  'reg-HB': { center: c(2, 1, 0, 0, 0), HB: c(2, 1, 1, 0, 0) },
  initial: { HA: c(5, 4, 1, 2, 1), patient: c(5, 4, 2, 2, 1) },
  inter: { HA: c(5, 4, 1, 2, 1), HB: c(10, 8, 3, 4, 2), patient: c(5, 4, 2, 2, 1) },
};

/** §4.8: "an elliptic curve modular operation requires 160 bits, an AES operation 256 bits, a hash
 * operation 160 bits, a signature operation 1024 bits, other messages, like id, pid, and a random
 * number, 80 bits". */
export type SizeClass = 'ec' | 'aes' | 'hash' | 'sig' | 'other';
export const PAPER_BITS: Record<SizeClass, number> = { ec: 160, aes: 256, hash: 160, sig: 1024, other: 80 };

/** A printed time: value in its printed unit, and the unit (the paper prints 3 decimals). */
export interface PrintedTime {
  readonly text: string;
  readonly value: number;
  readonly unit: 'ms' | 'us';
}

/** Table 3's link rates (§4.8): 3.5G 14 Mbps, 4G 100 Mbps, 5G 20 Gbps; decimal prefixes. */
export const RATES: readonly { readonly name: string; readonly bitsPerSecond: number }[] = [
  { name: '3.5G (14 Mbps)', bitsPerSecond: 14e6 },
  { name: '4G (100 Mbps)', bitsPerSecond: 100e6 },
  { name: '5G (20 Gbps)', bitsPerSecond: 20e9 },
];

export interface Table3Row {
  readonly bits: number;
  readonly rounds: number;
  /** One per entry of RATES, as printed. */
  readonly times: readonly PrintedTime[];
}

const t = (text: string): PrintedTime => {
  const m = /^([0-9.]+) (ms|us)$/.exec(text);
  if (!m) throw new Error(`bad printed time ${text}`);
  return { text, value: Number(m[1]), unit: m[2] as 'ms' | 'us' };
};

/** Table 3 (§4.8). */
export const TABLE3: Record<CostPhase, Table3Row> = {
  'reg-patient': { bits: 2528, rounds: 2, times: [t('0.181 ms'), t('0.025 ms'), t('0.126 us')] },
  'reg-HA': { bits: 2528, rounds: 2, times: [t('0.181 ms'), t('0.025 ms'), t('0.126 us')] },
  'reg-HB': { bits: 2528, rounds: 2, times: [t('0.181 ms'), t('0.025 ms'), t('0.126 us')] },
  initial: { bits: 2816, rounds: 4, times: [t('0.201 ms'), t('0.028 ms'), t('0.141 us')] },
  inter: { bits: 5632, rounds: 8, times: [t('0.402 ms'), t('0.056 ms'), t('0.282 us')] },
};

/** §4.8's own worked sum for the inter-hospital phase: 8 EC, 4 AES, 4 hash, 2 signatures, 8 other. */
export const INTER_WORKED_SUM: Record<SizeClass, number> = { ec: 8, aes: 4, hash: 4, sig: 2, other: 8 };
