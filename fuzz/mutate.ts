/**
 * Text mutations of a hostile user: small edits (delete, insert, replace, swap or duplicate
 * lines) and the blow-ups that broke the parser before (issue 18): chains repeated thousands of
 * times (`<N>_`, `{N}_K from`, `^-1`, `P |= `, `(`), very long names and lines, many bad tokens,
 * NUL and odd Unicode. Every choice comes from the FuzzRng, so an input replays from its index.
 */
import { hostileCount, type FuzzRng } from './rng.js';

export const SPEC_PIECES: readonly string[] = [
  ...'()[]{}<>_,:?#|=~-^ \n\t\'"\\/\0',
  '|=', '<|', '|~', '|=>', '<-', '->', '<=', '=>', '#(', '^-1', '^{-1}', '≡', '◁', '∼', '⇒', '♯', '↔', '⇌', '→', '⟨', '⟩', '⁻¹',
  'P', 'HA', 'T_PAT', 'SEK_AP', 'SEK_{AP}', 'H', 'inv', 'from', 'by', 'PK_delta', '?K', 'and',
  'protocol', 'principals', 'atoms', 'messages', 'assumptions', 'goals', 'proof', 'flow', 'include', 'options',
  'key-agreement', 'nonce', 'key', 'pubkey', 'function', 'M1:', 'A1:', 'S1:', 'G1:', '[concrete:', ']', '# why:', '# typo:', '//',
  '\u200b', '\ufeff', '\ud800', '𝔸', 'é', '\r', '\r\n',
];

/** Chains that were unbounded recursion or quadratic work (issue 18), repeated `n` times. */
export const HOSTILE_CHAINS: readonly string[] = ['<N>_', '{N}_K from ', '^-1', 'P |= ', '(', '#(', 'inv(', 'H(', '->K ', 'N, ', '[concrete: a.1', 'x ', 'A_{B}', '?K'];

export function mutateText(r: FuzzRng, base: string, pieces: readonly string[] = SPEC_PIECES): string {
  let s = base;
  const edits = 1 + r.int(r.chance(0.2) ? 12 : 4);
  for (let e = 0; e < edits; e++) {
    const at = r.int(s.length + 1);
    switch (r.int(10)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(40));
        break;
      case 1:
      case 2:
        s = s.slice(0, at) + r.pick(pieces) + s.slice(at);
        break;
      case 3:
        s = s.slice(0, at) + r.pick(pieces) + s.slice(at + 1 + r.int(4));
        break;
      case 4: {
        const lines = s.split('\n');
        const a = r.int(lines.length);
        const b = r.int(lines.length);
        if (r.chance(0.5)) lines.splice(a, 0, lines[a]!);
        else [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        s = lines.join('\n');
        break;
      }
      case 5: {
        // A chain, sometimes wrapped over continuation lines (which slips past the line limit).
        const chain = r.pick(HOSTILE_CHAINS);
        const n = hostileCount(r, 120_000);
        let text = chain.repeat(n);
        if (r.chance(0.5)) text = text.replace(/(.{400}) /g, '$1\n    ');
        s = s.slice(0, at) + text + s.slice(at);
        break;
      }
      case 6: {
        // A long name or word: quadratic suggestions, huge carets.
        const ch = r.pick(['N', 'x', 'A_', 'é', '9']);
        s = s.slice(0, at) + ch.repeat(hostileCount(r, 200_000)) + s.slice(at);
        break;
      }
      case 7: {
        // Many bad tokens on one line (an error per token).
        const tok = r.pick(['zz ', '@ ', 'key-agreement ', '?', ', ', 'M1: ']);
        s = s.slice(0, at) + tok.repeat(hostileCount(r, 40_000)) + s.slice(at);
        break;
      }
      case 8: {
        // Duplicate a span many times (large valid-looking specs).
        const span = s.slice(at, at + 1 + r.int(200));
        s = s.slice(0, at) + span.repeat(hostileCount(r, 2_000)) + s.slice(at);
        break;
      }
      default:
        s = s.slice(0, at) + String.fromCodePoint(r.int(0x110000)) + s.slice(at);
    }
    // Keep inputs inside a few MiB: bigger ones only test the size limit, which case 6 reaches.
    if (s.length > 4_000_000) s = s.slice(0, 4_000_000);
  }
  return s;
}

/** Byte mutations: flips, truncations, insertions, splices of another valid input. */
export function mutateBytes(r: FuzzRng, base: Uint8Array, other?: Uint8Array): Uint8Array {
  let b = Uint8Array.from(base);
  const edits = 1 + r.int(4);
  for (let e = 0; e < edits; e++) {
    const at = r.int(b.length + 1);
    switch (r.int(7)) {
      case 0:
        if (b.length) b[Math.min(at, b.length - 1)]! ^= 1 << r.int(8);
        break;
      case 1:
        if (b.length) b[Math.min(at, b.length - 1)] = r.pick([0, 1, 0x7f, 0x80, 0xff, r.int(256)]);
        break;
      case 2:
        b = b.slice(0, at);
        break;
      case 3: {
        const ins = Uint8Array.from({ length: 1 + r.int(r.chance(0.1) ? 5000 : 8) }, () => r.int(256));
        b = Uint8Array.from([...b.slice(0, at), ...ins, ...b.slice(at)]);
        break;
      }
      case 4:
        b = Uint8Array.from([...b.slice(0, at), ...b.slice(at + 1 + r.int(16))]);
        break;
      case 5:
        if (other) b = Uint8Array.from([...b.slice(0, at), ...other.slice(r.int(other.length + 1))]);
        break;
      default: {
        // Length fields are the classic target: set a 1-2 byte window to extremes.
        if (b.length > 1) {
          const i = Math.min(at, b.length - 2);
          b[i] = r.pick([0, 0xff]);
          b[i + 1] = r.pick([0, 0xff, 1]);
        }
      }
    }
  }
  return b;
}
