/**
 * Printing terms in the engine's reports: the shared printer of src/ban/print.ts, whose output
 * the parser reads back (docs/notation.md), in ASCII, Unicode or LaTeX.
 */
import { showTerm, type TermStyle } from './print.js';
import type { Term } from './terms.js';

export type Style = TermStyle;

export function show(t: Term, style: Style = 'ascii'): string {
  return showTerm(t, style);
}
