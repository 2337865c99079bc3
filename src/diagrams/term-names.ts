/**
 * What a BAN formula talks about, for placing goals on flow phases: its names and its principals.
 * (Printing is src/ban/print.ts `showTerm`.)
 */
import { children, type Term } from '../ban/terms.js';

/** Atom names occurring in a term (principals included). */
export function atomsOf(t: Term, out: Set<string> = new Set()): Set<string> {
  if (t.kind === 'atom') out.add(t.name);
  else for (const c of children(t)) atomsOf(c, out);
  return out;
}

/** Principals a formula speaks about: the `who` of belief operators and the parties of key statements. */
export function principalsOf(t: Term, out: Set<string> = new Set()): Set<string> {
  switch (t.kind) {
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      if (t.who.kind === 'atom') out.add(t.who.name);
      principalsOf(t.what, out);
      break;
    case 'sharedKey':
    case 'secret':
      if (t.a.kind === 'atom') out.add(t.a.name);
      if (t.b.kind === 'atom') out.add(t.b.name);
      break;
    case 'pubKey':
      if (t.owner.kind === 'atom') out.add(t.owner.name);
      break;
    case 'kaKey':
      if (t.owner.kind === 'atom') out.add(t.owner.name);
      break;
    default:
      break;
  }
  return out;
}
