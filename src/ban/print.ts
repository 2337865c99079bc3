/**
 * Printing terms and formulas (docs/notation.md, "Terms and formulas").
 *
 * - 'ascii'   : the spec notation; exactly re-parseable (parseFormula(showTerm(t)) has t's termKey);
 * - 'unicode' : as papers print it (|≡, ◁, |∼, |⇒, ♯, ↔, ⇌, →, ⟨⟩, K⁻¹); also re-parseable;
 * - 'latex'   : math-mode text for bussproofs / amsmath (\mid\equiv, \triangleleft, \stackrel{K}{\leftrightarrow}, ...).
 *
 * Parentheses are minimal for the grammar's precedence, loosest first:
 *   0 tuple `,`  <  1 belief operators (right associative)  <  2 `<-K->`, `<=X=>`  <  3 `->K P`  <  4 primary.
 */
import type { Term } from './terms.js';

export type TermStyle = 'ascii' | 'unicode' | 'latex';

const PRIMARY = 4;

function level(t: Term): number {
  switch (t.kind) {
    case 'tuple':
      return 0;
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      return 1;
    case 'sharedKey':
    case 'secret':
      return 2;
    case 'pubKey':
      return 3;
    default:
      return PRIMARY;
  }
}

interface Glyphs {
  believes: string;
  sees: string;
  said: string;
  controls: string;
  fresh: (x: string) => string;
  shared: (a: string, k: string, b: string) => string;
  secret: (a: string, s: string, b: string) => string;
  pub: (k: string, p: string) => string;
  enc: (x: string, k: string) => string;
  comb: (x: string, y: string) => string;
  from: (r: string) => string;
  name: (n: string) => string;
  variable: (n: string) => string;
  lp: string;
  rp: string;
}

/** `_K` for a plain name without underscores, `_{...}` otherwise (`_{PK_HPA}`, as papers print it). */
const sub = (k: string, simple: boolean): string => (simple ? `_${k}` : `_{${k}}`);
const isName = (s: string): boolean => /^[A-Za-z0-9][A-Za-z0-9']*$/.test(s);

/** `<` followed by a body starting with `-`, `=` or `|` would lex as `<-`, `<=`, `<|`. */
const angleBody = (x: string): string => (/^[-=|]/.test(x) ? ` ${x}` : x);

const ASCII: Glyphs = {
  believes: ' |= ',
  sees: ' <| ',
  said: ' |~ ',
  controls: ' |=> ',
  fresh: (x) => `#(${x})`,
  shared: (a, k, b) => `${a} <-${k}-> ${b}`,
  secret: (a, s, b) => `${a} <=${s}=> ${b}`,
  pub: (k, p) => `->${k} ${p}`,
  enc: (x, k) => `{${x}}${sub(k, isName(k))}`,
  comb: (x, y) => `<${angleBody(x)}>${sub(y, isName(y))}`,
  from: (r) => ` from ${r}`,
  name: (n) => n,
  variable: (n) => `?${n}`,
  lp: '(',
  rp: ')',
};

const UNICODE: Glyphs = {
  ...ASCII,
  believes: ' |≡ ',
  sees: ' ◁ ',
  said: ' |∼ ',
  controls: ' |⇒ ',
  fresh: (x) => `♯(${x})`,
  shared: (a, k, b) => `${a} ↔${k} ${b}`,
  secret: (a, s, b) => `${a} ⇌${s} ${b}`,
  pub: (k, p) => `→${k} ${p}`,
  comb: (x, y) => `⟨${x}⟩${sub(y, isName(y))}`,
};

/** SEK_AP -> SEK_{AP}; further underscores are escaped. */
function latexName(n: string): string {
  const esc = (s: string): string => s.replace(/_/g, '\\_');
  const i = n.indexOf('_');
  return i < 0 ? n : `${esc(n.slice(0, i))}_{${esc(n.slice(i + 1))}}`;
}

const LATEX: Glyphs = {
  believes: ' \\mid\\equiv ',
  sees: ' \\triangleleft ',
  said: ' \\mid\\sim ',
  controls: ' \\mid\\Rightarrow ',
  fresh: (x) => `\\sharp(${x})`,
  shared: (a, k, b) => `${a} \\stackrel{${k}}{\\leftrightarrow} ${b}`,
  secret: (a, s, b) => `${a} \\stackrel{${s}}{\\rightleftharpoons} ${b}`,
  pub: (k, p) => `\\stackrel{${k}}{\\rightarrow} ${p}`,
  enc: (x, k) => `\\{${x}\\}_{${k}}`,
  comb: (x, y) => `\\langle ${x}\\rangle_{${y}}`,
  from: (r) => `\\ \\mathrm{from}\\ ${r}`,
  name: latexName,
  variable: (n) => `?${latexName(n)}`,
  lp: '(',
  rp: ')',
};

function show(t: Term, g: Glyphs, need: number): string {
  const s = showBare(t, g);
  return level(t) < need ? `${g.lp}${s}${g.rp}` : s;
}

function showBare(t: Term, g: Glyphs): string {
  switch (t.kind) {
    case 'atom':
      return g.name(t.name);
    case 'var':
      return g.variable(t.name);
    case 'tuple':
      return t.items.map((x) => show(x, g, 1)).join(', ');
    case 'enc':
      return g.enc(show(t.body, g, 0), keyText(t.key, g)) + (t.from ? g.from(show(t.from, g, PRIMARY)) : '');
    case 'comb':
      return g.comb(show(t.body, g, 0), keyText(t.secret, g)) + (t.from ? g.from(show(t.from, g, PRIMARY)) : '');
    case 'inv':
      if (g === LATEX) return `${show(t.key, g, PRIMARY)}^{-1}`;
      if (g === UNICODE && (t.key.kind === 'atom' || t.key.kind === 'var')) return `${show(t.key, g, PRIMARY)}⁻¹`;
      return `inv(${show(t.key, g, 1)})`;
    case 'app':
      return `${g.name(t.fn)}${g.lp}${t.args.map((x) => show(x, g, 1)).join(', ')}${g.rp}`;
    case 'believes':
      return `${show(t.who, g, 2)}${g.believes}${show(t.what, g, 1)}`;
    case 'sees':
      return `${show(t.who, g, 2)}${g.sees}${show(t.what, g, 1)}`;
    case 'said':
      return `${show(t.who, g, 2)}${g.said}${show(t.what, g, 1)}`;
    case 'controls':
      return `${show(t.who, g, 2)}${g.controls}${show(t.what, g, 1)}`;
    case 'fresh':
      return g.fresh(show(t.what, g, 0));
    case 'sharedKey':
      return g.shared(show(t.a, g, 3), show(t.key, g, PRIMARY), show(t.b, g, 3));
    case 'secret':
      return g.secret(show(t.a, g, 3), show(t.secret, g, PRIMARY), show(t.b, g, 3));
    case 'pubKey':
      return g.pub(show(t.key, g, PRIMARY), show(t.owner, g, PRIMARY));
    case 'pred':
      return `${g === LATEX ? `\\mathit{${latexName(t.name)}}` : g.name(t.name)}${g.lp}${t.args.map((x) => show(x, g, 1)).join(', ')}${g.rp}`;
    case 'kaKey':
      return `${g === LATEX ? '\\mathit{PK}_{\\delta}' : 'PK_delta'}${g.lp}${show(t.owner, g, 1)}, ${show(t.key, g, 1)}${g.rp}`;
  }
}

/** The subscript of {X}_K / <X>_Y: a plain name as is, anything else whole (the style adds braces). */
function keyText(k: Term, g: Glyphs): string {
  return show(k, g, 0);
}

export function showTerm(t: Term, style: TermStyle = 'ascii'): string {
  return show(t, style === 'ascii' ? ASCII : style === 'unicode' ? UNICODE : LATEX, 0);
}
