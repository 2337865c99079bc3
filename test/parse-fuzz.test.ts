/**
 * Robustness of the spec parser: whatever the input, parseSpec returns a Spec or throws a
 * UserError with diagnostics (never another exception, never a hang).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UserError } from '../src/spec/diagnostics.js';
import { parseSpec } from '../src/spec/parse.js';
import { parseFormula } from '../src/spec/parse-term.js';
import { applyTextEdits, TEXT_EDIT_OPS } from './helpers/text-edits.js';

const VALID = `protocol Fuzz
options key-agreement
principals P, HA, S
atoms
  nonce     T_PAT, T_HPA
  key       SEK_AP, K_PS
  pubkey    PK_HPA
  secret    CHK_AP
  id        ID_PAT
  function  H
messages
  M1: P -> HA : <ID_PAT, T_PAT>_{PK_HPA}, <H(SEK_AP, T_HPA)>_{CHK_AP}   [concrete: initial.1]
  M2: HA -> P : {T_PAT, P <-SEK_AP-> HA, {T_HPA}_K_PS from S}_SEK_AP
assumptions
  A1: P |= #(T_PAT)          # why: P chose it
  A2: HA |= P |=> P <-?K-> HA
  A3: P| ≡ HA| ⇒ P ↔SEK_{AP} HA
goals
  G1: P |= P <-SEK_AP-> HA
  G2: HA |= P |= ID_PAT      # typo: as printed
proof
  S1: P <| {T_PAT, P <-SEK_AP-> HA, {T_HPA}_K_PS from S}_SEK_AP from HA   by seeing from M2
  S2: P |= HA |~ (T_PAT, P <-SEK_AP-> HA)
        by message meaning from S1, A1
`;

/** The alphabet the grammar cares about, so random text hits the interesting paths. */
const SPEC_PIECES = [
  ...'()[]{}<>_,:?#|=~-^ \n\t\'"',
  '|=', '<|', '|~', '|=>', '<-', '->', '<=', '=>', '#(', '^-1', '≡', '◁', '∼', '⇒', '♯', '↔', '⇌', '→', '⟨', '⟩', '⁻¹',
  'P', 'HA', 'T_PAT', 'SEK_AP', 'SEK_{AP}', 'H', 'inv', 'from', 'by', 'PK_delta', '?K',
  'protocol', 'principals', 'atoms', 'messages', 'assumptions', 'goals', 'proof', 'flow', 'include', 'options',
  'nonce', 'key', 'M1:', 'A1:', 'S1:', 'G1:', '[concrete:', '# why:', '//',
];
const arbSpecish = fc.array(fc.constantFrom(...SPEC_PIECES), { maxLength: 120 }).map((xs) => xs.join(''));

/** A valid spec with a few random edits (delete, insert a piece, duplicate or swap lines). */
const arbMutatedSpec = fc
  .array(
    fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.constantFrom(...SPEC_PIECES), fc.constantFrom(...TEXT_EDIT_OPS)),
    { minLength: 1, maxLength: 6 },
  )
  .map((edits) => {
    return applyTextEdits(VALID, edits);
  });

/** Returns normally for a Spec or a UserError with positioned diagnostics; anything else fails. */
function specOrUserError(text: string): void {
  try {
    const spec = parseSpec('fuzz.ban', text);
    expect(Array.isArray(spec.messages)).toBe(true);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) {
      expect(d.pos.line).toBeGreaterThanOrEqual(1);
      expect(d.pos.col).toBeGreaterThanOrEqual(1);
    }
  }
}

describe('parser robustness (fuzz)', () => {
  test('the base spec is valid', () => {
    expect(parseSpec('fuzz.ban', VALID).proof).toHaveLength(2);
  });

  test('property: random spec-like text gives a Spec or a UserError', () => {
    fc.assert(fc.property(arbSpecish, specOrUserError), { numRuns: 400 });
  });

  test('property: arbitrary Unicode strings give a Spec or a UserError', () => {
    const arbCodePoints = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff })), { maxLength: 200 })
      .map((cps) => String.fromCodePoint(...cps));
    fc.assert(fc.property(arbCodePoints, specOrUserError), { numRuns: 300 });
  });

  test('property: random mutations of a valid spec give a Spec or a UserError', () => {
    fc.assert(fc.property(arbMutatedSpec, specOrUserError), { numRuns: 400 });
  });

  test('property: parseFormula on random text gives a Term or a UserError', () => {
    fc.assert(
      fc.property(arbSpecish, (text) => {
        try {
          parseFormula(text);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
        }
      }),
      { numRuns: 400 },
    );
  });

  test('bounded time on large hostile input', () => {
    const big = `principals P\natoms\n  nonce N\ngoals\n${'  G: P |= (((((#(N, '.repeat(2000)}\n${'X'.repeat(100_000)}`;
    const t0 = Date.now();
    expect(() => parseSpec('big.ban', big)).toThrow(UserError);
    // A generous bound: catches quadratic blow-ups, not a timing target.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('a very long tuple parses (no argument spreading that overflows the stack)', () => {
    const n = 150_000;
    // Wrapped over continuation lines: one 450 KB line would pass the line-length limit.
    const s = parseSpec('long.ban', `principals P\natoms\n  nonce N\ngoals\n  G1: P |= (${'N, N, N, N, N, N, N, N, N, N,\n    '.repeat(n / 10)}N)\n`, { limits: { maxSpecBytes: 2_097_152 } });
    const f = s.goals[0]!.formula;
    expect(f.kind === 'believes' && f.what.kind === 'tuple' ? f.what.items.length : 0).toBe(n + 1);
  });
});
