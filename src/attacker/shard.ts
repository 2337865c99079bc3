/**
 * Shards of the generic attacker's search (`--shard K/N`, issue 13 item 3): the configurations of
 * the bound, in their canonical order (./search.ts `configurations`, over the phases in query
 * order, before the seeded shuffle), are dealt round-robin — configuration i belongs to shard
 * (i mod N) + 1. The shards partition the configurations, so running shards 1..N and merging
 * them (./merge.ts) covers exactly what one unsharded search covers, whatever the seed.
 *
 * Shards compose: splitting shard K/N again into M parts gives the shards K + N·j of N·M
 * (j = 0..M-1), so a shard can itself be run on M workers (./parallel.ts) and merged back.
 */
import { UserError } from '../spec/diagnostics.js';

export interface Shard {
  /** 1-based: 1..count. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** Is the configuration at canonical position `i` (0-based) in `s`? */
export function inShard(s: Shard, i: number): boolean {
  return i % s.count === s.index - 1;
}

/** `K/N` with 1 ≤ K ≤ N; anything else is a UserError (exit 2). */
export function parseShard(text: string): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) throw new UserError(`--shard takes K/N (shard K of N, 1 ≤ K ≤ N), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UserError(`--shard ${text}: K must be in 1..N (shard K of N), got K = ${index}, N = ${count}`);
  return { index, count };
}

export const shardText = (s: Shard): string => `${s.index}/${s.count}`;

/** The M sub-shards of `s` (they partition `s`'s configurations). */
export function splitShard(s: Shard, m: number): Shard[] {
  return Array.from({ length: m }, (_, j) => ({ index: s.index + s.count * j, count: s.count * m }));
}
