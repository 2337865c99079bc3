/**
 * Printing terms for the engine's reports. Uses the shared printer `showTerm` of
 * src/ban/print.ts when it is present (it round-trips through the parser); until then, and as
 * a fallback, this module prints the notation of docs/notation.md itself.
 */
import type { Term } from './terms.js';

export type Style = 'ascii' | 'unicode' | 'latex';

type Printer = (t: Term, style?: Style) => string;
let shared: Printer | undefined;

/** Installed by index.ts once src/ban/print.ts is available (see loadSharedPrinter). */
export function setSharedPrinter(p: Printer | undefined): void {
  shared = p;
}

export function show(t: Term, style: Style = 'ascii'): string {
  if (shared) return shared(t, style);
  return fallbackShow(t, style);
}

const OPS: Record<Style, Record<string, string>> = {
  ascii: { believes: '|=', sees: '<|', said: '|~', controls: '|=>' },
  unicode: { believes: '|≡', sees: '◁', said: '|∼', controls: '|⇒' },
  latex: { believes: '\\mid\\equiv', sees: '\\triangleleft', said: '\\mid\\sim', controls: '\\mid\\Rightarrow' },
};

function latexName(n: string): string {
  const m = /^([A-Za-z][A-Za-z0-9']*)_\{?([A-Za-z0-9']+)\}?$/.exec(n);
  const esc = (s: string): string => s.replace(/_/g, '\\_');
  if (m) return `\\mathit{${esc(m[1]!)}}_{\\mathit{${esc(m[2]!)}}}`;
  return n.length > 1 ? `\\mathit{${esc(n)}}` : n;
}

export function fallbackShow(t: Term, style: Style = 'ascii'): string {
  const s = (x: Term): string => fallbackShow(x, style);
  const atomic = (x: Term): string =>
    ['atom', 'var', 'app', 'fresh', 'enc', 'comb', 'inv', 'tuple', 'kaKey'].includes(x.kind) ? s(x) : `(${s(x)})`;
  const L = style === 'latex';
  switch (t.kind) {
    case 'atom':
      return L ? latexName(t.name) : t.name;
    case 'var':
      return L ? `?${latexName(t.name)}` : `?${t.name}`;
    case 'tuple':
      return `(${t.items.map(s).join(', ')})`;
    case 'enc': {
      const from = t.from ? (L ? ` \\text{ from } ${s(t.from)}` : ` from ${s(t.from)}`) : '';
      return L ? `\\{${s(t.body)}\\}_{${s(t.key)}}${from}` : `{${s(t.body)}}_${bracedSub(s(t.key))}${from}`;
    }
    case 'comb': {
      const from = t.from ? (L ? ` \\text{ from } ${s(t.from)}` : ` from ${s(t.from)}`) : '';
      if (L) return `\\langle ${s(t.body)}\\rangle_{${s(t.secret)}}${from}`;
      return style === 'unicode' ? `⟨${s(t.body)}⟩_${bracedSub(s(t.secret))}${from}` : `<${s(t.body)}>_${bracedSub(s(t.secret))}${from}`;
    }
    case 'inv':
      return L ? `${atomic(t.key)}^{-1}` : `inv(${s(t.key)})`;
    case 'app':
      return `${L ? latexName(t.fn) : t.fn}(${t.args.map(s).join(', ')})`;
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls': {
      const op = OPS[style][t.kind]!;
      return `${atomic(t.who)} ${op} ${s(t.what)}`;
    }
    case 'fresh': {
      const inner = t.what.kind === 'tuple' ? t.what.items.map(s).join(', ') : s(t.what);
      return L ? `\\sharp(${inner})` : style === 'unicode' ? `♯(${inner})` : `#(${inner})`;
    }
    case 'sharedKey':
      if (L) return `${atomic(t.a)} \\stackrel{${s(t.key)}}{\\leftrightarrow} ${atomic(t.b)}`;
      return style === 'unicode' ? `${atomic(t.a)} ↔${s(t.key)} ${atomic(t.b)}` : `${atomic(t.a)} <-${s(t.key)}-> ${atomic(t.b)}`;
    case 'pubKey':
      if (L) return `\\stackrel{${s(t.key)}}{\\rightarrow} ${atomic(t.owner)}`;
      return style === 'unicode' ? `→${s(t.key)} ${atomic(t.owner)}` : `->${s(t.key)} ${atomic(t.owner)}`;
    case 'secret':
      if (L) return `${atomic(t.a)} \\stackrel{${s(t.secret)}}{\\rightleftharpoons} ${atomic(t.b)}`;
      return style === 'unicode' ? `${atomic(t.a)} ⇌${s(t.secret)} ${atomic(t.b)}` : `${atomic(t.a)} <=${s(t.secret)}=> ${atomic(t.b)}`;
    case 'kaKey':
      return L ? `PK_{\\delta}(${s(t.owner)}, ${s(t.key)})` : `PK_delta(${s(t.owner)}, ${s(t.key)})`;
  }
}

function bracedSub(k: string): string {
  return /^[A-Za-z0-9_']+$/.test(k) && !k.includes('_') ? k : `{${k}}`;
}
