/**
 * Printing and parsing agree (issue 18, item 2): every spec the parser accepts prints
 * (src/spec/print-spec.ts) to a text that parses back to the same spec (specShape equal) — for
 * every spec in spec/, for generated specs in both notations, for mutated specs, and at the
 * depth limit (a 200-deep `^-1` chain prints as inv(inv(…)) and parses back).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { showTerm } from '../src/ban/print.js';
import { app, atom, believes, comb, controls, enc, fresh, inv, kaKey, pubKey, said, secret, sees, sharedKey, tuple, v, type Term } from '../src/ban/terms.js';
import { UserError } from '../src/spec/diagnostics.js';
import { DEFAULT_LIMITS } from '../src/spec/limits.js';
import { loadSpec } from '../src/spec/load.js';
import { parseSpec, type ParseOptions } from '../src/spec/parse.js';
import { printSpec, specShape } from '../src/spec/print-spec.js';
import type { Spec } from '../src/spec/ast.js';
import { inputRng } from '../fuzz/rng.js';
import { mutateText } from '../fuzz/mutate.js';
import { specCorpus } from '../fuzz/targets/parser.js';

/** Parses `text`; when accepted, asserts the printed form parses back to the same spec. Returns whether accepted. */
function roundTrips(file: string, text: string, opts: ParseOptions = {}): boolean {
  let spec: Spec;
  try {
    spec = parseSpec(file, text, opts);
  } catch (e) {
    if (e instanceof UserError) return false;
    throw e;
  }
  const printed = printSpec(spec);
  for (const line of printed.split('\n')) expect(line.length).toBeLessThanOrEqual(opts.limits?.maxLineLength ?? DEFAULT_LIMITS.maxLineLength);
  const back = parseSpec(file, printed, { ...(opts.limits ? { limits: opts.limits } : {}) });
  expect(specShape(back)).toEqual(specShape(spec));
  return true;
}

const PRINCIPALS = ['P', 'HA', 'HB', 'S'];
const HEADER = `protocol Gen
principals ${PRINCIPALS.join(', ')}
atoms
  nonce N1, T_PAT
  key K, SEK_AP
  pubkey PK_HPA
  secret Y
  function H
`;

/** Terms over the declared names (variables only where allowed). */
const arbTermOver = (withVars: boolean): fc.Arbitrary<Term> =>
  fc.letrec<{ term: Term }>((tie) => ({
    term: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...PRINCIPALS, 'N1', 'T_PAT', 'K', 'SEK_AP', 'PK_HPA', 'Y').map(atom),
      withVars ? fc.constantFrom('K', 'X').map(v) : fc.constant(atom('N1')),
      fc.array(tie('term'), { minLength: 2, maxLength: 3 }).map((xs) => tuple(...xs)),
      fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => enc(b, k, f)),
      fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => comb(b, k, f)),
      tie('term').map(inv),
      fc.array(tie('term'), { minLength: 1, maxLength: 3 }).map((xs) => app('H', ...xs)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => believes(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => said(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => controls(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => sees(a, b)),
      tie('term').map(fresh),
      fc.tuple(tie('term'), tie('term'), tie('term')).map(([a, k, b]) => sharedKey(a, k, b)),
      fc.tuple(tie('term'), tie('term'), tie('term')).map(([a, k, b]) => secret(a, k, b)),
      fc.tuple(tie('term'), tie('term')).map(([k, o]) => pubKey(k, o)),
      fc.tuple(tie('term'), tie('term')).map(([o, k]) => kaKey(o, k)),
    ),
  })).term;

const arbNote = fc.option(fc.constantFrom('# why: P chose it', '# typo: as printed', '# source: §3.6', '# a remark', '// other'), { nil: undefined });
const arbStyle = fc.constantFrom<'ascii' | 'unicode'>('ascii', 'unicode');

/** Spec text with messages, assumptions, goals and a proof, terms written in either notation. */
const arbSpecText = fc
  .record({
    ka: fc.boolean(),
    messages: fc.array(fc.tuple(fc.constantFrom(...PRINCIPALS), fc.constantFrom(...PRINCIPALS), arbTermOver(false), arbStyle, arbNote, fc.boolean()), { maxLength: 3 }),
    assumptions: fc.array(fc.tuple(arbTermOver(true), arbStyle, arbNote), { maxLength: 3 }),
    goals: fc.array(fc.tuple(arbTermOver(false), arbStyle, arbNote), { maxLength: 2 }),
    proof: fc.array(fc.tuple(arbTermOver(false), fc.constantFrom('seeing', 'message meaning', 'MM-SK', 'nonce verification'), arbNote), { maxLength: 2 }),
  })
  .map((g) => {
    const out = [HEADER + (g.ka ? 'options key-agreement\n' : '')];
    const note = (n: string | undefined): string => (n ? `   ${n}` : '');
    if (g.messages.length) out.push('messages\n' + g.messages.map(([a, b, t, st, n, c], i) => `  M${i + 1}: ${a} -> ${b} : ${showTerm(t, st)}${c ? ' [concrete: initial.1]' : ''}${note(n)}\n`).join(''));
    if (g.assumptions.length) out.push('assumptions\n' + g.assumptions.map(([t, st, n], i) => `  A${i + 1}: ${showTerm(t, st)}${note(n)}\n`).join(''));
    if (g.goals.length) out.push('goals\n' + g.goals.map(([t, st, n], i) => `  G${i + 1}: ${showTerm(t, st)}${note(n)}\n`).join(''));
    const premises = [...g.messages.map((_, i) => `M${i + 1}`), ...g.assumptions.map((_, i) => `A${i + 1}`)];
    if (g.proof.length) out.push('proof\n' + g.proof.map(([t, rule, n], i) => `  S${i + 1}: ${showTerm(t)}\n      by ${rule}${premises.length ? ` from ${premises.join(', ')}` : ''}${note(n)}\n`).join(''));
    return out.join('');
  });

describe('print/parse round trip', () => {
  test('every spec in spec/ prints to a text that parses back to the same spec', () => {
    const corpus = specCorpus();
    expect(corpus.files.size).toBeGreaterThan(10);
    for (const name of corpus.files.keys()) {
      const path = `spec/${name}`;
      const spec = loadSpec(path);
      const back = parseSpec(spec.file, printSpec(spec));
      expect(specShape(back), name).toEqual(specShape(spec));
    }
  });

  test('property: a generated spec (ASCII or Unicode notation) that parses round-trips', () => {
    let accepted = 0;
    fc.assert(
      fc.property(arbSpecText, (text) => {
        if (roundTrips('gen.ban', text)) accepted++;
      }),
      { numRuns: 300 },
    );
    // Not vacuous: most generated specs are accepted (sort warnings do not reject).
    expect(accepted).toBeGreaterThan(100);
  });

  test('property: a mutated spec from spec/ that parses round-trips', () => {
    const corpus = specCorpus();
    const names = [...corpus.files.keys()];
    fc.assert(
      fc.property(fc.nat(), (i) => {
        const r = inputRng('roundtrip', i);
        const name = r.pick(names);
        roundTrips(name, mutateText(r, corpus.files.get(name)!));
      }),
      { numRuns: 150 },
    );
  });

  test('at the depth limit: a 198-deep ^-1 chain is accepted and prints as inv(...) that parses back', () => {
    const text = `${HEADER}goals\n  G1: P |= K${'^-1'.repeat(198)}\n`;
    expect(roundTrips('deep.ban', text)).toBe(true);
    expect(printSpec(parseSpec('deep.ban', text))).toContain(`${'inv('.repeat(198)}K`);
  });

  test('at a raised limit: a 1,000-link chain round-trips over wrapped lines (depth 500 ceiling applies)', () => {
    const limits = { maxDepth: 500 };
    const inv = `${HEADER}goals\n  G1: P |= K${'^-1 '.repeat(498).replace(/(.{200}) /g, '$1\n      ')}\n`;
    expect(roundTrips('deep.ban', inv, { limits })).toBe(true);
    const angle = `${HEADER}goals\n  G1: P |= ${'<N1>_ '.repeat(497).replace(/(.{200}) /g, '$1\n      ')}K\n`;
    expect(roundTrips('deep.ban', angle, { limits })).toBe(true);
    // Past the limit: refused at parse time, never handed to the printer or the engine.
    const e = (() => {
      try {
        parseSpec('deep.ban', `${HEADER}goals\n  G1: P |= K${'^-1 '.repeat(1000).replace(/(.{200}) /g, '$1\n      ')}\n`, { limits });
      } catch (x) {
        return x as UserError;
      }
      return undefined;
    })();
    expect(e?.diagnostics[0]?.code).toBe('parse.depth');
  });

  test('a huge item wraps: the printed spec keeps every line under the line limit', () => {
    const text = `${HEADER}goals\n  G1: P |= (${'N1, T_PAT,\n    '.repeat(3000)}K)\n`;
    expect(roundTrips('wide.ban', text)).toBe(true);
  });
});
