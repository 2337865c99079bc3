import { describe, expect, test } from 'vitest';
import {
  app,
  atom,
  believes,
  comb,
  controls,
  enc,
  fresh,
  inv,
  kaKey,
  pubKey,
  said,
  secret,
  sees,
  sharedKey,
  termKey,
  tuple,
  v,
  type Term,
} from '../src/ban/terms.js';
import { UserError } from '../src/spec/diagnostics.js';
import { parseFormula, parseFormulaWithWarnings } from '../src/spec/parse-term.js';
import type { Declaration } from '../src/spec/ast.js';

const [P, Q, HA, HB, X, Y, K, N] = ['P', 'Q', 'HA', 'HB', 'X', 'Y', 'K', 'N'].map(atom) as [Term, Term, Term, Term, Term, Term, Term, Term];
const same = (text: string, t: Term): void => expect(termKey(parseFormula(text))).toBe(termKey(t));

describe('formulas: ASCII notation (docs/notation.md table)', () => {
  test.each<[string, Term]>([
    ['P |= X', believes(P, X)],
    ['P <| X', sees(P, X)],
    ['P |~ X', said(P, X)],
    ['P |=> X', controls(P, X)],
    ['#(X)', fresh(X)],
    ['P <-K-> Q', sharedKey(P, K, Q)],
    ['->K P', pubKey(K, P)],
    ['P <=X=> Q', secret(P, X, Q)],
    ['PK_delta(P, K)', kaKey(P, K)],
    ['{X}_K', enc(X, K)],
    ['{X}_{K}', enc(X, K)],
    ['{X}_inv(K)', enc(X, inv(K))],
    ['{X}_K from P', enc(X, K, P)],
    ['<X>_Y', comb(X, Y)],
    ['<X>_Y from Q', comb(X, Y, Q)],
    ['(X, Y)', tuple(X, Y)],
    ['H(X, Y)', app('H', X, Y)],
    ['?K', v('K')],
  ])('%s', (text, t) => same(text, t));
});

describe('formulas: Unicode and paper-extraction forms', () => {
  test.each<[string, Term]>([
    ['P |≡ X', believes(P, X)],
    ['P| ≡ X', believes(P, X)],
    ['P ≡ X', believes(P, X)],
    ['P ⊨ X', believes(P, X)],
    ['P ◁ X', sees(P, X)],
    ['P ⊲ X', sees(P, X)],
    ['P |∼ X', said(P, X)],
    ['P| ∼ X', said(P, X)],
    ['P ∼ X', said(P, X)],
    ['P |⇒ X', controls(P, X)],
    ['P| ⇒ X', controls(P, X)],
    ['P ⇒ X', controls(P, X)],
    ['♯(X)', fresh(X)],
    ['P ↔K Q', sharedKey(P, K, Q)],
    ['P ↔ K Q', sharedKey(P, K, Q)],
    ['→K P', pubKey(K, P)],
    ['P ⇌X Q', secret(P, X, Q)],
    ['⟨X⟩_Y', comb(X, Y)],
    ['{X}_{K^-1}', enc(X, inv(K))],
    ['{X}_{K^{-1}}', enc(X, inv(K))],
    ['{X}_{K⁻¹}', enc(X, inv(K))],
  ])('%s', (text, t) => same(text, t));

  test('subscripts: SEK_AP and SEK_{AP} are one name', () => {
    same('P <-SEK_{AP}-> HA', sharedKey(P, atom('SEK_AP'), HA));
    same('T_{PAT2}', atom('T_PAT2'));
  });

  test("the paper's A13 as extracted: P| ≡ HB| ⇒ P ↔SEK_BP HB", () => {
    same('P| ≡ HB| ⇒ P ↔SEK_{BP} HB', believes(P, controls(HB, sharedKey(P, atom('SEK_BP'), HB))));
  });
});

describe('precedence and associativity', () => {
  test('belief operators are right associative', () => {
    same('P |= Q |= X', believes(P, believes(Q, X)));
    same('P |= Q |~ X', believes(P, said(Q, X)));
    same('HA |= P |=> P <-K-> HA', believes(HA, controls(P, sharedKey(P, K, HA))));
  });
  test('comma is loosest: a top-level X, Y is a tuple; belief binds tighter than comma', () => {
    same('X, Y', tuple(X, Y));
    same('P |= X, Y', tuple(believes(P, X), Y));
    same('P |= (X, Y)', believes(P, tuple(X, Y)));
    same('P |= Q |~ (X, Y)', believes(P, said(Q, tuple(X, Y))));
  });
  test('<-K-> binds tighter than belief operators', () => {
    same('P |= P <-K-> Q', believes(P, sharedKey(P, K, Q)));
    same('P <-K-> Q, #(N)', tuple(sharedKey(P, K, Q), fresh(N)));
  });
  test('parentheses override: (P |= X) |= Y', () => {
    same('(P |= X) |= Y', believes(believes(P, X), Y));
  });
  test('#(X, Y) is freshness of the tuple', () => {
    same('#(X, Y)', fresh(tuple(X, Y)));
  });
  test('f((X, Y)) has one tuple argument, f(X, Y) two', () => {
    same('H((X, Y))', app('H', tuple(X, Y)));
    same('H(X, Y)', app('H', X, Y));
  });
  test('nested ciphertexts and from', () => {
    same('{<X>_Y, {N}_K from Q}_inv(K) from P', enc(tuple(comb(X, Y), enc(N, K, Q)), inv(K), P));
  });
  test('a paper message: <ID, R, T>_{PK}, <H(SEK, T)>_{CHK}', () => {
    same(
      '<ID_PAT, R_PAT, T_PAT>_{PK_HPA}, <H(SEK_AP, T_HPA)>_{CHK_AP}',
      tuple(
        comb(tuple(atom('ID_PAT'), atom('R_PAT'), atom('T_PAT')), atom('PK_HPA')),
        comb(app('H', atom('SEK_AP'), atom('T_HPA')), atom('CHK_AP')),
      ),
    );
  });
});

describe('parseFormula errors', () => {
  const caught = (f: () => unknown): UserError => {
    try {
      f();
    } catch (e) {
      if (e instanceof UserError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  test('unclosed parenthesis: position just past the end', () => {
    const e = caught(() => parseFormula('P |= #(X'));
    expect(e.diagnostics[0]).toMatchObject({ code: 'parse.expected', pos: { line: 1, col: 9 } });
    expect(e.diagnostics[0]!.expected).toContain(')');
  });
  test('unexpected character', () => {
    const e = caught(() => parseFormula('P |= X $ Y'));
    expect(e.diagnostics[0]).toMatchObject({ code: 'parse.token', pos: { col: 8 } });
  });
  test('reserved word as a name', () => {
    const e = caught(() => parseFormula('P |= from'));
    expect(e.diagnostics[0]).toMatchObject({ code: 'parse.expected', pos: { col: 6 } });
  });
  test('trailing tokens after a complete term', () => {
    const e = caught(() => parseFormula('P Q'));
    expect(e.diagnostics[0]).toMatchObject({ pos: { col: 3 } });
  });
  test('with declarations: undeclared names are errors, variables may be refused', () => {
    const decls: Declaration[] = [
      { name: 'P', sort: 'principal', pos: { file: 'x', line: 1, col: 1 } },
      { name: 'N', sort: 'nonce', pos: { file: 'x', line: 1, col: 1 } },
    ];
    expect(termKey(parseFormula('P |= #(N)', { declarations: decls }))).toBe(termKey(believes(P, fresh(N))));
    const e = caught(() => parseFormula('P |= #(M)', { declarations: decls }));
    expect(e.diagnostics[0]).toMatchObject({ code: 'name.undeclared', pos: { col: 8 } });
    const e2 = caught(() => parseFormula('P |= #(?M)', { declarations: decls, allowVars: false }));
    expect(e2.diagnostics[0]).toMatchObject({ code: 'name.variable', pos: { col: 8 } });
  });
  test('with declarations, sort warnings are returned', () => {
    const decls: Declaration[] = [
      { name: 'P', sort: 'principal', pos: { file: 'x', line: 1, col: 1 } },
      { name: 'ID', sort: 'id', pos: { file: 'x', line: 1, col: 1 } },
    ];
    const r = parseFormulaWithWarnings('P |= ID', { declarations: decls });
    expect(r.warnings.map((w) => [w.code, w.pos.col])).toEqual([['type.bare-term-belief', 3]]);
    expect(parseFormulaWithWarnings('P |= ID').warnings).toEqual([]);
  });
  test('deep nesting is refused with an error, not a stack overflow', () => {
    const e = caught(() => parseFormula('('.repeat(5000) + 'X' + ')'.repeat(5000)));
    expect(e.diagnostics[0]!.code).toBe('parse.depth');
    const e2 = caught(() => parseFormula('P |= '.repeat(3000) + 'X'));
    expect(e2.diagnostics[0]!.code).toBe('parse.depth');
  });
});
