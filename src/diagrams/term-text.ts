/**
 * Paper-style (Unicode) text of BAN terms for diagram notes: `P |≡ P ↔SEK_AP HA`.
 * Display only — the round-tripping printer of record is src/ban/print.ts (`showTerm`).
 */
import { children, type Term } from '../ban/terms.js';

export function termText(t: Term): string {
  const p = (x: Term): string => (needsParens(x) ? `(${termText(x)})` : termText(x));
  switch (t.kind) {
    case 'atom':
      return t.name;
    case 'var':
      return `?${t.name}`;
    case 'tuple':
      return t.items.map(termText).join(', ');
    case 'enc':
      return `{${termText(t.body)}}_${t.key.kind === 'inv' ? `${termText(t.key.key)}⁻¹` : termText(t.key)}`;
    case 'comb':
      return `⟨${termText(t.body)}⟩_${termText(t.secret)}`;
    case 'inv':
      return `${termText(t.key)}⁻¹`;
    case 'app':
      return `${t.fn}(${t.args.map(termText).join(', ')})`;
    case 'believes':
      return `${termText(t.who)} |≡ ${p(t.what)}`;
    case 'sees':
      return `${termText(t.who)} ◁ ${p(t.what)}`;
    case 'said':
      return `${termText(t.who)} |∼ ${p(t.what)}`;
    case 'controls':
      return `${termText(t.who)} ⇒ ${p(t.what)}`;
    case 'fresh':
      return `♯(${termText(t.what)})`;
    case 'sharedKey':
      return `${termText(t.a)} ↔${termText(t.key)} ${termText(t.b)}`;
    case 'pubKey':
      return `→${termText(t.key)} ${termText(t.owner)}`;
    case 'secret':
      return `${termText(t.a)} ⇌${termText(t.secret)} ${termText(t.b)}`;
    case 'kaKey':
      return `PK_δ(${termText(t.owner)}, ${termText(t.key)})`;
  }
}

/** Belief operators nest to the right (P |≡ Q |≡ X); only a tuple needs parentheses there. */
function needsParens(t: Term): boolean {
  return t.kind === 'tuple';
}

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
