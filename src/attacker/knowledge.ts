/**
 * The attacker's knowledge: concrete values, each with the record of how it was learned
 * (Initial / Observed / Decrypted / Revealed / Computed / Guessed), indexed by sort and by encoding so "does the
 * attacker hold these bytes?" is one lookup. Items get ids in the order they are learned, which
 * is deterministic from the seed, so a recorded move can name its ingredients by id and replay.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import { showSort } from '../flow-lang/sorts.js';
import { encodeValue, type Value } from '../flow-lang/values.js';

export type Derivation =
  | { kind: 'initial'; what: string }
  | { kind: 'observed'; envelope: number; step: string; field: string; from: string; to: string }
  | { kind: 'decrypted'; from: number; key: number; prim: string; via: string }
  /** Observed bytes read the way a receiver would decode them as another step or sort (./confusion.ts). */
  | { kind: 'reread'; envelope: number; step: string; field?: string; as: string }
  /** Computed by the group algebra (./group-oracle.ts `learnComputable`): the recipe, confirmed on real crypto. */
  | { kind: 'group'; recipe: string }
  | { kind: 'revealed'; what: string }
  /** Re-evaluated by the spec's own computation `via` over the items `from` (./deduce.ts). */
  | { kind: 'computed'; via: string; from: number[] }
  /** A dictionary word tried for a low-entropy value (./guessing.ts). */
  | { kind: 'guessed'; what: string };

export interface Item {
  id: number;
  value: Value;
  /** The spec's name for it, where known (field, pattern leaf, setup value). */
  name?: string;
  how: Derivation;
}

export interface Knowledge {
  readonly items: Item[];
  bySort(sort: string): readonly Item[];
  /** The item holding exactly these bytes (by sort and canonical encoding), if any. */
  find(v: Value): Item | undefined;
  /** Adds a value unless already known; returns the new item, or undefined when it was known. */
  add(v: Value, how: Derivation, name?: string): Item | undefined;
  /** An independent copy with the same items and ids (items are never mutated, so they are shared). */
  fork(): Knowledge;
}

export function keyOf(suite: CryptoSuite, v: Value): string {
  const s = showSort(v.sort);
  if (v.sort.kind === 'base' && v.sort.name === 'id') return `${s}|${String(v.v)}`;
  return `${s}|${Buffer.from(encodeValue(suite, v)).toString('hex')}`;
}

export function createKnowledge(suite: CryptoSuite, from?: { items: readonly Item[]; index: ReadonlyMap<string, Item>; sorts: ReadonlyMap<string, readonly Item[]> }): Knowledge {
  const items: Item[] = from ? from.items.slice() : [];
  const index = new Map<string, Item>(from?.index);
  const sorts = new Map<string, Item[]>(from ? [...from.sorts].map(([s, xs]) => [s, xs.slice()]) : []);
  return {
    fork: () => createKnowledge(suite, { items, index, sorts }),
    items,
    bySort: (s) => sorts.get(s) ?? [],
    find: (v) => index.get(keyOf(suite, v)),
    add(value, how, name) {
      const k = keyOf(suite, value);
      if (index.has(k)) return undefined;
      const it: Item = { id: items.length, value, ...(name ? { name } : {}), how };
      items.push(it);
      index.set(k, it);
      const s = showSort(value.sort);
      (sorts.get(s) ?? sorts.set(s, []).get(s)!).push(it);
      return it;
    },
  };
}
