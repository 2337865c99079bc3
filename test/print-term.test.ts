import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { showTerm } from '../src/ban/print.js';
import {
  atom,
  believes,
  comb,
  controls,
  enc,
  fresh,
  inv,
  pubKey,
  said,
  secret,
  sees,
  sharedKey,
  termKey,
  tuple,
  app,
  v,
  kaKey,
  type Term,
} from '../src/ban/terms.js';
import { parseFormula } from '../src/spec/parse-term.js';

/** Names as specs write them (with subscripts), never a reserved word. */
const arbName = fc.constantFrom('P', 'HA', 'HB', 'S', 'K', 'N', 'T_PAT', 'SEK_AP', 'PK_HPA', 'ID_PAT', 'X1', "K'", '2');
const arbFn = fc.constantFrom('H', 'H3', 'F0', 'KDF_2');

/** Every Term shape of src/ban/terms.ts, nested (tuples have >= 2 items: a 1-tuple has no written form). */
const arbTerm: fc.Arbitrary<Term> = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbName.map(atom),
    arbName.map(v),
    fc.array(tie('term'), { minLength: 2, maxLength: 3 }).map((xs) => tuple(...xs)),
    fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => enc(b, k, f)),
    fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => comb(b, k, f)),
    tie('term').map(inv),
    fc.tuple(arbFn, fc.array(tie('term'), { minLength: 1, maxLength: 3 })).map(([f, xs]) => app(f, ...xs)),
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

describe('showTerm', () => {
  const [P, Q, K, X, Y] = ['P', 'Q', 'K', 'X', 'Y'].map(atom) as [Term, Term, Term, Term, Term];

  test('ASCII: minimal parentheses', () => {
    expect(showTerm(believes(P, believes(Q, X)))).toBe('P |= Q |= X');
    expect(showTerm(believes(believes(P, Q), X))).toBe('(P |= Q) |= X');
    expect(showTerm(believes(P, said(Q, tuple(X, Y))))).toBe('P |= Q |~ (X, Y)');
    expect(showTerm(tuple(believes(P, X), Y))).toBe('P |= X, Y');
    expect(showTerm(believes(P, sharedKey(P, K, Q)))).toBe('P |= P <-K-> Q');
    expect(showTerm(enc(X, inv(K), P))).toBe('{X}_{inv(K)} from P');
    expect(showTerm(comb(tuple(X, Y), atom('PK_HPA')))).toBe('<X, Y>_{PK_HPA}');
    expect(showTerm(comb(pubKey(K, P), Y))).toBe('< ->K P>_Y');
    expect(showTerm(fresh(tuple(X, Y)))).toBe('#(X, Y)');
    expect(showTerm(app('H', tuple(X, Y)))).toBe('H((X, Y))');
  });

  test('Unicode: as papers print', () => {
    expect(showTerm(believes(P, controls(Q, sharedKey(P, atom('SEK_AP'), Q))), 'unicode')).toBe('P |≡ Q |⇒ P ↔SEK_AP Q');
    expect(showTerm(tuple(comb(X, Y), fresh(X), pubKey(K, P), secret(P, Y, Q), enc(X, inv(K))), 'unicode')).toBe(
      '⟨X⟩_Y, ♯(X), →K P, P ⇌Y Q, {X}_{K⁻¹}',
    );
    expect(showTerm(said(P, X), 'unicode')).toBe('P |∼ X');
    expect(showTerm(secret(P, X, Q), 'unicode')).toBe('P ⇌X Q');
    expect(showTerm(believes(P, sees(Q, X)), 'unicode')).toBe('P |≡ Q ◁ X');
  });

  test('LaTeX for bussproofs', () => {
    expect(showTerm(believes(P, sharedKey(P, atom('SEK_AP'), Q)), 'latex')).toBe('P \\mid\\equiv P \\stackrel{SEK_{AP}}{\\leftrightarrow} Q');
    expect(showTerm(tuple(sees(P, X), said(P, X), controls(P, X)), 'latex')).toBe('P \\triangleleft X, P \\mid\\sim X, P \\mid\\Rightarrow X');
    expect(showTerm(tuple(fresh(X), secret(P, X, Q), comb(X, Y), enc(X, inv(K))), 'latex')).toBe(
      '\\sharp(X), P \\stackrel{X}{\\rightleftharpoons} Q, \\langle X\\rangle_{Y}, \\{X\\}_{K^{-1}}',
    );
  });

  test('property: ASCII printing round-trips through the parser (same termKey)', () => {
    fc.assert(
      fc.property(arbTerm, (t) => {
        expect(termKey(parseFormula(showTerm(t, 'ascii')))).toBe(termKey(t));
      }),
      { numRuns: 500 },
    );
  });

  test('property: Unicode printing round-trips through the parser (same termKey)', () => {
    fc.assert(
      fc.property(arbTerm, (t) => {
        expect(termKey(parseFormula(showTerm(t, 'unicode')))).toBe(termKey(t));
      }),
      { numRuns: 500 },
    );
  });
});
