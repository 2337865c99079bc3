/**
 * The names a typed expression reads and a typed pattern binds (src/flow-lang/typed.ts): one walk
 * for the attacker's modules that ask it (prior phases, trust assumptions, the fault sweep's plan).
 */
import type { TExpr, TPattern } from './typed.js';

/** Names `e` reads, in order of first appearance, once each (appended to `out`). */
export function namesRead(e: TExpr, out: string[] = []): string[] {
  if (e.kind === 'name') {
    if (!out.includes(e.name)) out.push(e.name);
  } else if (e.kind === 'prim' || e.kind === 'env') for (const a of e.args) namesRead(a, out);
  else if (e.kind === 'tuple') for (const a of e.items) namesRead(a, out);
  return out;
}

/** Names `p` binds, in order; with `freshOnly`, only those it binds anew (a name already held is compared: `compare`). */
export function namesBound(p: TPattern, freshOnly = false, out: string[] = []): string[] {
  if (p.kind === 'bind') {
    if (!freshOnly || !p.compare) out.push(p.name);
  } else for (const x of p.items) namesBound(x, freshOnly, out);
  return out;
}
