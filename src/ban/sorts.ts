/**
 * Sorts of the spec's atoms as the engine's explanations need them: a suggestion or a "missing
 * premise" must be a statement that could be true, so a public key is never offered as a shared
 * key or a shared secret, and a shared key never as a public key (docs/notation.md, "Checks the
 * parser makes": the same sorts the parser's type.key-sort warnings use).
 */
import type { AtomSort, Spec } from '../spec/ast.js';
import { children, type Term } from './terms.js';

export type Sorts = ReadonlyMap<string, AtomSort>;

export function sortsOfSpec(spec: Spec): Map<string, AtomSort> {
  return new Map(spec.declarations.map((d) => [d.name, d.sort]));
}

const sortOf = (sorts: Sorts, t: Term): AtomSort | undefined => (t.kind === 'atom' ? sorts.get(t.name) : undefined);

/** Why t (at any depth) cannot be true for the declared sorts, or undefined if it can. */
export function sortViolation(t: Term, sorts: Sorts): string | undefined {
  switch (t.kind) {
    case 'sharedKey': {
      const so = sortOf(sorts, t.key);
      if (so !== undefined && so !== 'key') return `${(t.key as { name: string }).name} is a ${so}, not a shared key`;
      break;
    }
    case 'secret': {
      const so = sortOf(sorts, t.secret);
      if (so === 'pubkey' || so === 'principal' || so === 'function') return `${(t.secret as { name: string }).name} is a ${so}, not a shared secret`;
      break;
    }
    case 'pubKey': {
      if (t.key.kind === 'app' && t.key.fn === 'F0') return `${t.key.fn}(…) is an agreed (shared) key, not a public key`;
      const so = sortOf(sorts, t.key);
      if (so !== undefined && so !== 'pubkey') return `${(t.key as { name: string }).name} is a ${so}, not a public key`;
      break;
    }
    default:
      break;
  }
  for (const c of children(t)) {
    const v = sortViolation(c, sorts);
    if (v) return v;
  }
  return undefined;
}
