/**
 * Tokens of the spec language (docs/notation.md, "Names" and "Terms and formulas").
 *
 * The lexer works on one source line at a time (an item may wrap over several lines; its tokens
 * are the concatenation of its lines' tokens), so every token carries its exact line and column.
 * ASCII and Unicode spellings of one operator give the same token kind, so the parser never sees
 * the difference: `|≡`, `| ≡`, `≡`, `⊨` and `|=` are all `believes`.
 */
import { diag, type Diagnostic } from './diagnostics.js';
import { DEFAULT_LIMITS } from './limits.js';

export type TokKind =
  | 'name' // a declared-name candidate; `value` is normalised (SEK_{AP} -> SEK_AP)
  | 'var' // ?K (value: K)
  | 'believes' // |=  |≡  | ≡  ≡  ⊨
  | 'sees' // <|  ◁  ⊲
  | 'said' // |~  |∼  | ∼  ∼  ~
  | 'controls' // |=>  |⇒  | ⇒  ⇒
  | 'fresh' // #  ♯   (followed by '(')
  | 'lkey' // <-   (opens P <-K-> Q)
  | 'arrow' // ->  →  (closes <-K->, opens ->K P, and separates sender -> receiver)
  | 'lsec' // <=   (opens P <=X=> Q)
  | 'rsec' // =>   (closes <=X=>)
  | 'harr' // ↔   (P ↔K Q)
  | 'hsec' // ⇌   (P ⇌X Q)
  | 'lp'
  | 'rp'
  | 'lbrace'
  | 'rbrace'
  | 'langle' // <  ⟨
  | 'rangle' // >  ⟩
  | 'comma'
  | 'colon'
  | 'under' // _ (subscript of {X}_K and <X>_Y)
  | 'invpost' // ^-1  ^{-1}  ⁻¹
  | 'arith' // + or - before a number (Na + 1), dropped by idealisation
  | 'eof';

export interface Token {
  kind: TokKind;
  value: string;
  line: number;
  col: number;
  /** Length in source characters (for the caret). */
  len: number;
}

export const RESERVED = new Set(['by', 'from', 'inv']);

const NAME_CHAR = /[A-Za-z0-9_']/;
const NAME_START = /[A-Za-z0-9]/;
/** Sticky patterns, matched in place (never on a copy of the rest of the line: that was quadratic). */
const BAR_GLYPH = /\|\s*([≡∼⇒~])/y;
const BRACED_SUB = /\{([A-Za-z0-9_']+)\}/y;

export class LexError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Human description of a token for "expected X, found Y" messages. */
export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of item';
  if (t.kind === 'name') return `'${t.value}'`;
  if (t.kind === 'var') return `'?${t.value}'`;
  return `'${t.value}'`;
}

/**
 * Tokenises one line. `startCol` is the 1-based column of text[0] in the source line (the caller
 * may pass a suffix of the line, e.g. after an item label). Linear in the text; a name or
 * variable longer than `maxName` characters is a `limit.name` error.
 */
export function lexLine(file: string, line: number, text: string, startCol = 1, maxName: number = DEFAULT_LIMITS.maxNameLength): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokKind, value: string, len: number): void => {
    out.push({ kind, value, line, col: startCol + i, len });
    i += len;
  };
  const fail = (message: string, expected?: string, code = 'parse.token'): never => {
    throw new LexError(
      diag('error', code, message, { file, line, col: startCol + i }, expected ? { expected } : {}),
    );
  };
  const at = (s: string): boolean => text.startsWith(s, i);
  const checkName = (len: number): void => {
    if (len > maxName) fail(`name longer than ${maxName} characters (raise with --limits name=N)`, `a name of at most ${maxName} characters`, 'limit.name');
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    // `|` followed (possibly after spaces, as PDF extraction prints `P| ≡ X`) by an operator glyph.
    if (c === '|') {
      if (at('|=>')) { push('controls', '|=>', 3); continue; }
      if (at('|=')) { push('believes', '|=', 2); continue; }
      if (at('|~')) { push('said', '|~', 2); continue; }
      BAR_GLYPH.lastIndex = i;
      const m = BAR_GLYPH.exec(text);
      if (m) {
        const g = m[1]!;
        push(g === '≡' ? 'believes' : g === '⇒' ? 'controls' : 'said', m[0], m[0].length);
        continue;
      }
      fail("unexpected '|'", "'|=', '|~', '|=>' (or their Unicode forms)");
    }
    if (c === '<') {
      if (at('<|')) { push('sees', '<|', 2); continue; }
      if (at('<-')) { push('lkey', '<-', 2); continue; }
      if (at('<=')) { push('lsec', '<=', 2); continue; }
      push('langle', '<', 1);
      continue;
    }
    if (at('->')) { push('arrow', '->', 2); continue; }
    if (at('=>')) { push('rsec', '=>', 2); continue; }
    if (at('^-1')) { push('invpost', '^-1', 3); continue; }
    if (at('^{-1}')) { push('invpost', '^{-1}', 5); continue; }
    if (at('^−1')) { push('invpost', '^−1', 3); continue; }
    if (at('⁻¹')) { push('invpost', '⁻¹', 2); continue; }
    switch (c) {
      case '≡':
      case '⊨':
        push('believes', c, 1);
        continue;
      case '◁':
      case '⊲':
        push('sees', c, 1);
        continue;
      case '∼':
      case '~':
        push('said', c, 1);
        continue;
      case '⇒':
        push('controls', c, 1);
        continue;
      case '#':
      case '♯':
        push('fresh', c, 1);
        continue;
      case '→':
        push('arrow', c, 1);
        continue;
      case '↔':
        push('harr', c, 1);
        continue;
      case '⇌':
        push('hsec', c, 1);
        continue;
      case '(':
        push('lp', c, 1);
        continue;
      case ')':
        push('rp', c, 1);
        continue;
      case '{':
        push('lbrace', c, 1);
        continue;
      case '}':
        push('rbrace', c, 1);
        continue;
      case '⟨':
        push('langle', c, 1);
        continue;
      case '>':
      case '⟩':
        push('rangle', c, 1);
        continue;
      case ',':
        push('comma', c, 1);
        continue;
      case ':':
        push('colon', c, 1);
        continue;
      case '_':
        push('under', c, 1);
        continue;
    }
    if (c === '?') {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      if (j === i + 1 || !NAME_START.test(text[i + 1]!)) fail("a variable needs a name after '?'", "a name, as in '?K'");
      checkName(j - i - 1);
      push('var', text.slice(i + 1, j), j - i);
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i;
      let value = '';
      for (;;) {
        const from = j;
        while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
        value += text.slice(from, j);
        checkName(value.length);
        // Subscript in braces directly after `_`: SEK_{AP} is SEK_AP.
        if (value.endsWith('_') && text[j] === '{') {
          BRACED_SUB.lastIndex = j;
          const m = BRACED_SUB.exec(text);
          if (!m) break;
          value += m[1];
          j += m[0].length;
          continue;
        }
        break;
      }
      if (value.endsWith('_')) {
        // `A_` followed by something other than a name: keep the `_` out of the name.
        const trailing = value.length - value.replace(/_+$/, '').length;
        value = value.slice(0, value.length - trailing);
        j -= trailing;
      }
      push('name', value, j - i);
      continue;
    }
    if (c === '+' || (c === '-' && minusNumber(text, i))) { push('arith', c, 1); continue; }
    if (c === '-') fail("unexpected '-'", "'->' (as in P <-K-> Q or ->K P)");
    if (c === '=') fail("unexpected '='", "'=>' (as in P <=X=> Q) or '|='");
    if (c === '^') fail("unexpected '^'", "'^-1' (as in K^-1)");
    fail(`unexpected character '${c}'`);
  }
  return out;
}

/** `-` followed (after spaces) by a digit at text[i]: the `Nb - 1` of arithmetic (sticky match, no copy of the rest). */
function minusNumber(text: string, i: number): boolean {
  MINUS_NUMBER.lastIndex = i;
  return MINUS_NUMBER.test(text);
}
const MINUS_NUMBER = /-[ \t]*[0-9]/y;
