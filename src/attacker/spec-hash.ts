/**
 * The identity of a spec for merging shard results (./merge.ts): SHA-256 over the text of the spec
 * and every file it includes, in load order (paths left out, so the same spec checked out in two
 * places hashes the same). Two shards merge only when their hashes are equal.
 */
import { createHash } from 'node:crypto';
import type { Spec } from '../spec/ast.js';

export function specHash(spec: Spec): string {
  const h = createHash('sha256');
  const texts = Object.values(spec.sources ?? {});
  for (const t of texts) h.update(`${t.length}:`).update(t);
  return `sha256:${h.digest('hex')}`;
}
