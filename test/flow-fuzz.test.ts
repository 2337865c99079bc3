/**
 * Robustness of the executable flow language (in the style of test/parse-fuzz.test.ts): whatever
 * the flow text — random flow-like text, mutations of the executable specs — parsing gives a Spec
 * or a UserError, checking gives a typed protocol or positioned diagnostics with stable codes
 * (never an exception), and a mutated flow that still checks runs to a verdict without throwing.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkSpecFlow } from '../src/flow-lang/index.js';
import { environmentSignatures } from '../src/interpret/environments/index.js';
import { runFlow } from '../src/interpret/run.js';
import { UserError, type Diagnostic } from '../src/spec/diagnostics.js';
import { parseSpec } from '../src/spec/parse.js';
import { applyTextEdits, TEXT_EDIT_OPS } from './helpers/text-edits.js';

const CODES = new Set(['flow.not-executable', 'flow.expr-syntax', 'flow.sort', 'flow.sort-conflict', 'flow.unknown-name', 'flow.unbound', 'flow.unknown-primitive', 'flow.unknown-call', 'flow.missing', 'flow.syntax']);
const BASES = ['nspk', 'nsl', 'sts'].map((n) => readFileSync(`spec/protocols/${n}.ban`, 'utf8'));

const FLOW_PIECES = [
  ...'()·*+-,=:"_ \n',
  '=?', '->', 'computes', 'checks', 'generates', 'knows', 'publishes', 'stores', 'calls', 'share', 'setup', 'options wire untagged', 'environment kv-register',
  'penc', 'pdec', 'enc', 'dec', 'sign', 'verify', 'hash', 'kdf', 'mac', 'H1', 'H2', 'H3', 'E_K', 'D_K', 'S_skA', 'V_pkB', 'G',
  'A', 'B', 'Na', 'Nb', 'skA', 'pkB', 'X', 'Y', 'K', ': scalar', ': point', ': nonce', ': key', ': pke', ': ciphertext', ': id', '(7)', 'ns.1:', 'ns.4:',
];

/** A base spec with a few random edits inside its flow section. */
const arbMutatedFlow = fc
  .tuple(
    fc.nat({ max: BASES.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom(...FLOW_PIECES), fc.constantFrom(...TEXT_EDIT_OPS)), { minLength: 1, maxLength: 5 }),
  )
  .map(([b, edits]) => {
    const base = BASES[b]!;
    const cut = base.indexOf('\nflow\n') + 6;
    const s = applyTextEdits(base.slice(cut), edits);
    return base.slice(0, cut) + s;
  });

const arbFlowish = fc.array(fc.constantFrom(...FLOW_PIECES), { maxLength: 80 }).map((xs) => `protocol F\nflow\n  phase p\n    p.1: A -> B : (X: point)\n      ${xs.join('')}\n`);

function wellFormed(ds: readonly Diagnostic[]): void {
  expect(ds.length).toBeGreaterThan(0);
  for (const d of ds) {
    expect(d.severity).toBe('error');
    expect(d.code).toMatch(/^flow\./);
    expect(d.pos.line).toBeGreaterThanOrEqual(1);
    expect(d.pos.col).toBeGreaterThanOrEqual(1);
  }
}

/** Parse, check, and (if it checks) run once: never anything but data or a UserError. */
function robust(text: string, run: boolean): 'parse-error' | 'diagnostics' | 'runs' {
  let spec;
  try {
    spec = parseSpec('fuzz.ban', text);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return 'parse-error';
  }
  const r = checkSpecFlow(spec, { environments: environmentSignatures() });
  if (!r.ok) {
    wellFormed(r.diagnostics);
    for (const d of r.diagnostics) expect(CODES.has(d.code)).toBe(true);
    return 'diagnostics';
  }
  if (run) {
    const out = runFlow(r.protocol, { seed: 'fuzz' });
    expect(typeof out.ok).toBe('boolean');
    if (!out.ok) expect(out.failures.length + out.agreements.filter((a) => !a.agreed).length).toBeGreaterThan(0);
  }
  return 'runs';
}

describe('flow language robustness (fuzz)', () => {
  test('the base specs check and run', () => {
    for (const b of BASES) expect(robust(b, true)).toBe('runs');
  });

  test('property: mutated executable flows give diagnostics or a typed protocol that runs to a verdict', () => {
    const seen = { 'parse-error': 0, diagnostics: 0, runs: 0 };
    fc.assert(
      fc.property(arbMutatedFlow, (text) => {
        seen[robust(text, true)]++;
      }),
      { numRuns: 150, seed: 12 },
    );
    // the property exercised all three outcomes (not vacuous)
    expect(seen.diagnostics).toBeGreaterThan(10);
    expect(seen.runs).toBeGreaterThan(0);
  });

  test('property: random flow-like action text gives diagnostics, never an exception', () => {
    fc.assert(fc.property(arbFlowish, (text) => void robust(text, false)), { numRuns: 400, seed: 5 });
  });

  test('property: arbitrary Unicode in an action gives diagnostics, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (junk) => void robust(`protocol F\nflow\n  phase p\n    p.1: A -> B : (X: point)\n      A computes X = ${junk.replace(/[\n\r]/g, ' ')}\n`, false)),
      { numRuns: 300, seed: 9 },
    );
  });
});
