/**
 * Sorts of the executable flow language (docs/flow.md "Sorts"): every value a flow computes,
 * sends or checks has exactly one. Base sorts name wire/encoding classes; tuples group values.
 *
 * `check` (today's field type for an H3 output) is an alias of `hash`.
 */

export const BASE_SORTS = ['scalar', 'point', 'bytes', 'id', 'key', 'nonce', 'hash', 'mac', 'signature', 'ciphertext', 'pke', 'bool'] as const;
export type BaseSort = (typeof BASE_SORTS)[number];

export type Sort = { kind: 'base'; name: BaseSort } | { kind: 'tuple'; items: Sort[] };

/** Sort names accepted in declarations and message fields (aliases included). */
export const SORT_ALIASES: Readonly<Record<string, BaseSort>> = { check: 'hash' };

export const base = (name: BaseSort): Sort => ({ kind: 'base', name });
export const tuple = (items: Sort[]): Sort => ({ kind: 'tuple', items });

/** `scalar`, `check` (= hash), ... → the sort, or undefined for an unknown name. */
export function sortFromName(name: string): Sort | undefined {
  const n = SORT_ALIASES[name] ?? name;
  return (BASE_SORTS as readonly string[]).includes(n) ? base(n as BaseSort) : undefined;
}

export function sortEq(a: Sort, b: Sort): boolean {
  if (a.kind === 'base' || b.kind === 'base') return a.kind === b.kind && (a as { name: string }).name === (b as { name: string }).name;
  return a.items.length === b.items.length && a.items.every((s, i) => sortEq(s, b.items[i]!));
}

export function showSort(s: Sort): string {
  return s.kind === 'base' ? s.name : `(${s.items.map(showSort).join(', ')})`;
}

export function isBase(s: Sort, name: BaseSort): boolean {
  return s.kind === 'base' && s.name === name;
}
