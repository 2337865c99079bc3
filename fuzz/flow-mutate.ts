/**
 * Mutations of a spec's `flow` section (docs/flow.md) that stay close to a valid flow, so most
 * inputs get past the parser and many past the checker and into the interpreter: operators,
 * sorts and field types, names, parentheses, keyed E_/D_/S_/V_ notation, function names, verbs,
 * acting parties, equation numbers, and whole lines (dropped, duplicated, swapped, moved).
 * Sometimes a hostile text mutation (fuzz/mutate.ts) on top. Only the flow section changes; the
 * belief-logic sections before it are kept as they are.
 */
import { PRIMITIVES } from '../src/flow-lang/primitives.js';
import { BASE_SORTS } from '../src/flow-lang/sorts.js';
import { FIELD_TYPES } from '../src/spec/flow.js';
import { mutateText } from './mutate.js';
import { hostileCount, type FuzzRng } from './rng.js';

const OPERATORS = ['·', '+', '-', '*', '=', '=?', ',', '^', '||', ' '];
const SORTS = [...BASE_SORTS, ...FIELD_TYPES, 'group', '(scalar, point)', ''];
const KEYED = ['E_', 'D_', 'S_', 'V_', 'E', 'X_', 'E__', 'D_('];
const VERBS = ['computes', 'checks', 'knows', 'publishes', 'generates', 'stores', 'calls', 'share', 'sends'];
const FUNCTIONS = [...new Set(PRIMITIVES.map((p) => p.name))];
const NAME_RE = /[A-Za-z][A-Za-z0-9_']*/g;
const FLOW_PIECES = ['(', ')', '()', '((', '))', ', ', '=', ' =? ', '·', '+', ': scalar', ': key', 'E_K(', 'D_K(', '(1)', ' (0)', ' (99999999999999999999)', 'G', '"', '§', '->', 'secure'];

/** Offset where the `flow` section starts (its header line), or -1. */
export function flowStart(text: string): number {
  const m = /^flow\b/m.exec(text);
  return m ? m.index : -1;
}

/** Replace one random match of `re` in `line` by `f(match)`. */
function replaceOne(r: FuzzRng, line: string, re: RegExp, f: (m: string) => string): string {
  const ms = [...line.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))];
  if (ms.length === 0) return line;
  const m = r.pick(ms);
  return line.slice(0, m.index) + f(m[0]) + line.slice(m.index + m[0].length);
}

function mutateLine(r: FuzzRng, line: string, names: readonly string[]): string {
  switch (r.int(13)) {
    case 12: {
      // deep but balanced: a name wrapped in n parentheses or calls, or a chain of n operators (wrapped over continuation lines)
      const n = hostileCount(r, 20_000);
      const deep = (m: string): string => {
        const k = r.int(3);
        const text = k === 0 ? `${'( '.repeat(n)}${m}${' )'.repeat(n)}` : k === 1 ? `${'H( '.repeat(n)}${m}${' )'.repeat(n)}` : `(${m}${` ${r.pick(['+', '-', '·'])} ${m}`.repeat(n)})`;
        return text.replace(/(.{300}) /g, '$1\n        ');
      };
      return replaceOne(r, line, /(?<=[=(,·+\- ]\s*)[A-Za-z][A-Za-z0-9_']*(?![A-Za-z0-9_'(])/g, deep);
    }
    case 11: // a well-sorted but degenerate value: zero scalars, the identity point, hashed or doubled names
      return replaceOne(r, line, /(?<=[=(,·+\- ]\s*)[A-Za-z][A-Za-z0-9_']*(?![A-Za-z0-9_'(])/g, (m) => r.pick([`(${m} - ${m})`, `(${m} + ${m})`, `H(${m})`, `(${m}, ${m})`, `${m}·${m}`]));
    case 0: // operator
      return replaceOne(r, line, /=\?|·|\+|-(?!>)|\*|=|,/g, () => r.pick(OPERATORS));
    case 1: // sort / field type
      return replaceOne(r, line, /:\s*[A-Za-z]+/g, () => `: ${r.pick(SORTS)}`);
    case 2: // a name for another name of the flow (or a new one)
      return replaceOne(r, line, NAME_RE, () => (r.chance(0.85) ? r.pick(names) : r.pick(['x', 'G', 'P', 'fresh', 'ZZ', 'id', 'secure'])));
    case 3: {
      // parentheses: insert or delete one
      const at = r.int(line.length + 1);
      if (r.chance(0.5)) return line.slice(0, at) + r.pick(['(', ')', '()', '(x, ']) + line.slice(at);
      return replaceOne(r, line, /[()]/g, () => '');
    }
    case 4: // keyed notation
      return replaceOne(r, line, /\b[EDSV]_/g, () => r.pick(KEYED));
    case 5: // function name
      return replaceOne(r, line, /[A-Za-z][A-Za-z0-9_]*(?=\()/g, () => r.pick(FUNCTIONS));
    case 6: // verb
      return line.replace(/^(\s*[A-Za-z][A-Za-z0-9_']*\s+)(computes|checks|knows|publishes|generates|stores|calls)\b/, (_, a: string) => a + r.pick(VERBS));
    case 7: // acting party
      return line.replace(/^(\s*)([A-Za-z][A-Za-z0-9_']*)(\s+(?:computes|checks|knows|publishes|generates|stores|calls)\b)/, (_, a: string, _p: string, b: string) => a + r.pick(names) + b);
    case 8: // equation number
      return /\(\d+\)\s*$/.test(line) ? line.replace(/\(\d+\)\s*$/, r.chance(0.5) ? '' : `(${r.int(60)})`) : `${line}   (${r.int(60)})`;
    case 9: {
      // a flow piece anywhere on the line
      const at = r.int(line.length + 1);
      return line.slice(0, at) + r.pick(FLOW_PIECES) + line.slice(at);
    }
    default: {
      // wrap a sub-expression in parentheses / a tuple
      const parts = [...line.matchAll(NAME_RE)];
      if (parts.length === 0) return line;
      const m = r.pick(parts);
      return `${line.slice(0, m.index)}(${m[0]}${r.chance(0.5) ? ')' : ', x)'}${line.slice(m.index + m[0].length)}`;
    }
  }
}

/** A mutated copy of `text` whose flow section has 1–4 flow-aware edits (text without a flow is returned mutated by mutateText). */
export function mutateFlow(r: FuzzRng, text: string): string {
  const at = flowStart(text);
  if (at < 0) return mutateText(r, text);
  const head = text.slice(0, at);
  const lines = text.slice(at).split('\n');
  const names = [...new Set(lines.slice(1).flatMap((l) => l.replace(/#.*$/, '').match(NAME_RE) ?? []))];
  if (names.length === 0) names.push('x');
  const body = (): number => 1 + r.int(Math.max(1, lines.length - 1));
  const edits = 1 + r.int(4);
  for (let e = 0; e < edits; e++) {
    const k = r.int(10);
    if (k < 7) {
      const i = body();
      if (lines[i] !== undefined) lines[i] = mutateLine(r, lines[i]!, names);
    } else if (k === 7) {
      lines.splice(body(), 1);
    } else if (k === 8) {
      const i = body();
      lines.splice(body(), 0, lines[i] ?? '');
    } else {
      const a = body();
      const b = body();
      if (lines[a] !== undefined && lines[b] !== undefined) [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    }
  }
  let flow = lines.join('\n');
  if (r.chance(0.05)) flow = mutateText(r, flow, FLOW_PIECES);
  return head + flow;
}
