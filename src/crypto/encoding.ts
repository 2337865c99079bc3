/**
 * Unambiguous input framing for every hash in src/crypto:
 *   frame(tag, [x1, ..., xn]) = u32be(|tag|) || tag || u32be(n) || u32be(|x1|) || x1 || ... || u32be(|xn|) || xn
 * Distinct tags give distinct domains; length prefixes make the split of the input unique, so
 * H(tag, [a, b]) and H(tag, [a', b']) share an input only when a = a' and b = b'.
 */
import { concatBytes } from '@noble/hashes/utils.js';

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`frame: length ${n} out of range`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

export function frame(tag: string, parts: readonly Uint8Array[]): Uint8Array {
  const t = utf8(tag);
  const chunks: Uint8Array[] = [u32be(t.length), t, u32be(parts.length)];
  for (const p of parts) chunks.push(u32be(p.length), p);
  return concatBytes(...chunks);
}
