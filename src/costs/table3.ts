/**
 * Table 3 (Chen et al. 2020, §4.8) reproduced: message lengths of each phase under the paper's
 * stated size assumptions, counted from the message schemas (src/net/messages.ts) that the model
 * actually sends; rounds; transmission times recomputed from the bits at 14 Mbps, 100 Mbps and
 * 20 Gbps, with the paper's printed times checked against that arithmetic.
 */
import { MESSAGE_SCHEMAS, type FieldType, type StepId } from '../net/messages.js';
import { PAPER_BITS, RATES, TABLE3, type CostPhase, type PrintedTime, type SizeClass } from './paper.js';

/** Steps whose messages make up each Table 3 row (contracts.md step table). */
export const PHASE_STEPS: Record<CostPhase, readonly StepId[]> = {
  'reg-patient': ['registration.1', 'registration.2'],
  'reg-HA': ['registration.1', 'registration.2'],
  'reg-HB': ['registration.1', 'registration.2'],
  initial: ['initial.1', 'initial.2', 'initial.3', 'initial.4'],
  inter: ['inter.1', 'inter.2', 'inter.3', 'inter.5', 'inter.6', 'inter.7', 'inter.8', 'inter.10'],
};

/**
 * Which of §4.8's size classes a wire field falls in. Points are "elliptic curve" values, check
 * values CHK are H3 outputs ("hash"), ciphertexts "AES", signatures "signature". Ids and scalars
 * (S_X, SK_X) are "other" (§4.8 puts ids and random numbers there; a scalar mod q is the same kind
 * of value as the random numbers r_X, a, b, ...). This mapping is a reading, stated in the output.
 */
export const FIELD_CLASS: Record<FieldType, SizeClass> = {
  id: 'other',
  point: 'ec',
  scalar: 'other',
  check: 'hash',
  ciphertext: 'aes',
  signature: 'sig',
  bytes: 'other',
};

export interface PaperModelBits {
  readonly phase: CostPhase;
  readonly steps: readonly StepId[];
  readonly classes: Record<SizeClass, number>;
  readonly bits: number;
  readonly rounds: number;
  /** The sum written out, e.g. "160×8 + 256×4 + ...". */
  readonly sum: string;
}

/** Bits of a phase's messages under §4.8's assumptions, counted from MESSAGE_SCHEMAS. */
export function paperModelBits(phase: CostPhase): PaperModelBits {
  const classes: Record<SizeClass, number> = { ec: 0, aes: 0, hash: 0, sig: 0, other: 0 };
  const steps = PHASE_STEPS[phase];
  for (const s of steps) for (const f of MESSAGE_SCHEMAS[s].fields) classes[FIELD_CLASS[f.type]]++;
  return { phase, steps, classes, bits: bitsOf(classes), rounds: steps.length, sum: sumText(classes) };
}

export function bitsOf(classes: Record<SizeClass, number>): number {
  return (Object.keys(classes) as SizeClass[]).reduce((a, k) => a + classes[k] * PAPER_BITS[k], 0);
}

export function sumText(classes: Record<SizeClass, number>): string {
  return (['ec', 'hash', 'aes', 'sig', 'other'] as SizeClass[])
    .filter((k) => classes[k] > 0)
    .map((k) => `${PAPER_BITS[k]}×${classes[k]} (${k})`)
    .join(' + ');
}

/** Transmission time in seconds of `bits` at `bitsPerSecond` (decimal prefixes: 1 Mbps = 10^6 bit/s). */
export function seconds(bits: number, bitsPerSecond: number): number {
  if (!(bitsPerSecond > 0)) throw new RangeError('rate must be positive');
  return bits / bitsPerSecond;
}

/** A time in the paper's printed form: ms with 3 decimals, or µs ("us") with 3 decimals. */
export function printTime(sec: number, unit: 'ms' | 'us'): string {
  return `${(unit === 'ms' ? sec * 1e3 : sec * 1e6).toFixed(3)} ${unit}`;
}

export interface TimeCheck {
  readonly rate: string;
  readonly printed: string;
  /** Our arithmetic in the printed unit, 3 decimals (from the PRINTED bit count). */
  readonly recomputed: string;
  /** Exact value in the printed unit. */
  readonly exact: number;
  readonly ok: boolean;
  readonly note?: string;
}

/**
 * Checks one printed time against bits / rate. The paper prints 3 decimals, so a printed value is
 * right when it is within half a unit of the last digit of the exact value (rounding), and wrong
 * otherwise; when it matches the truncated value instead, that is said.
 */
export function checkTime(bits: number, rate: { name: string; bitsPerSecond: number }, printed: PrintedTime): TimeCheck {
  const sec = seconds(bits, rate.bitsPerSecond);
  const exact = printed.unit === 'ms' ? sec * 1e3 : sec * 1e6;
  const recomputed = printTime(sec, printed.unit);
  const ok = Math.abs(exact - printed.value) <= 0.0005 + 1e-12;
  let note: string | undefined;
  if (!ok) {
    const truncated = Math.floor(exact * 1000) / 1000;
    const binary = printed.unit === 'ms' ? (bits / (rate.bitsPerSecond * 1.048576)) * 1e3 : (bits / (rate.bitsPerSecond * 1.073741824)) * 1e6;
    if (Math.abs(truncated - printed.value) < 1e-9) note = 'printed value is the truncated, not the rounded, result';
    else if (Math.abs(binary - printed.value) <= 0.0005) note = 'printed value matches binary prefixes (2^20 / 2^30 bit/s)';
    else note = `arithmetic error: ${bits} bits / ${rate.name} = ${exact.toFixed(4)} ${printed.unit}`;
  }
  return { rate: rate.name, printed: printed.text, recomputed, exact, ok, ...(note ? { note } : {}) };
}

/** All ways to write `bits` as a sum of §4.8 sizes (160: EC or hash, 256: AES, 1024: signature, 80: other) with at most `maxItems` items. */
export function decompositions(bits: number, maxItems: number): { n160: number; n256: number; n1024: number; n80: number }[] {
  const out: { n160: number; n256: number; n1024: number; n80: number }[] = [];
  for (let s = 0; s * 1024 <= bits && s <= maxItems; s++)
    for (let a = 0; s * 1024 + a * 256 <= bits && s + a <= maxItems; a++)
      for (let e = 0; s * 1024 + a * 256 + e * 160 <= bits && s + a + e <= maxItems; e++) {
        const rest = bits - s * 1024 - a * 256 - e * 160;
        if (rest % 80 !== 0) continue;
        const o = rest / 80;
        if (s + a + e + o <= maxItems) out.push({ n160: e, n256: a, n1024: s, n80: o });
      }
  return out;
}

export interface Table3Comparison {
  readonly phase: CostPhase;
  readonly paper: { bits: number; rounds: number };
  readonly model: PaperModelBits;
  readonly bitsMatch: boolean;
  readonly roundsMatch: boolean;
  /** Printed times checked against the PRINTED bits (is the paper's own arithmetic right?). */
  readonly paperTimes: readonly TimeCheck[];
  /** Our times for the bits counted from the schemas, in the paper's units. */
  readonly modelTimes: readonly { rate: string; time: string }[];
  /** Why the bit counts differ (empty when they match). */
  readonly reasons: readonly string[];
}

/** Explains a registration-row bit count the schema count does not reproduce. */
function registrationReason(paperBits: number, model: PaperModelBits): string[] {
  const ds = decompositions(paperBits, 6).map(
    (d) => `${[d.n1024 ? `1024×${d.n1024}` : '', d.n256 ? `256×${d.n256}` : '', d.n160 ? `160×${d.n160}` : '', d.n80 ? `80×${d.n80}` : ''].filter(Boolean).join(' + ')}`,
  );
  return [
    `the messages are (ID_X) and (R_X, S_X, PK_X, SK_X): ${model.sum} = ${model.bits} bits under §4.8's sizes`,
    `${paperBits} bits needs two 1024-bit items: the only ways to write it with at most 6 items of §4.8's sizes are ${ds.join('; ')} — ` +
      'i.e. the paper apparently sizes the key pair (PK_X, SK_X) as 1024-bit signature keys, although its own eqs. (16)/(21) make PK_X a curve point',
  ];
}

export function compareTable3(phase: CostPhase): Table3Comparison {
  const paper = TABLE3[phase];
  const model = paperModelBits(phase);
  const paperTimes = RATES.map((r, i) => checkTime(paper.bits, r, paper.times[i]!));
  const modelTimes = RATES.map((r, i) => ({ rate: r.name, time: printTime(seconds(model.bits, r.bitsPerSecond), paper.times[i]!.unit) }));
  const bitsMatch = model.bits === paper.bits;
  const reasons = bitsMatch ? [] : phase.startsWith('reg-') ? registrationReason(paper.bits, model) : [`schemas give ${model.sum} = ${model.bits} bits`];
  return { phase, paper: { bits: paper.bits, rounds: paper.rounds }, model, bitsMatch, roundsMatch: model.rounds === paper.rounds, paperTimes, modelTimes, reasons };
}
