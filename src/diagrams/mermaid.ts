/**
 * Small, explicit helpers for writing Mermaid `sequenceDiagram` text safely.
 *
 * Mermaid's sequence grammar treats `;` as a statement end and `#…;` as an entity code, strips
 * `%%` comments, and reads `<…>` as HTML; participant ids may not be keywords (`end`, `box`, …).
 * Everything user-provided goes through `text()` (labels, notes) or `ParticipantIds` (ids), so no
 * spec or trace content can break or inject into a diagram.
 */

/** One diagram, as text, with what it shows. */
export interface Diagram {
  /** File-name-safe name, e.g. `initial`, `trace-inter`. */
  name: string;
  title: string;
  /** Mermaid source (`.mmd`). */
  mermaid: string;
  /**
   * A second diagram drawn to the right of this one in the same image (the honest run beside an
   * attack, src/attacker/honest-run.ts). Its Mermaid text is written to its own `.mmd`.
   */
  beside?: Diagram;
}

/**
 * Escape a label or note text. Mermaid entity codes (`#35;` = '#', `#59;` = ';', `#lt;`, `#gt;`,
 * `#37;` = '%') are decoded back to the characters when the diagram is drawn. Line breaks
 * become `<br/>`, the only markup we emit.
 */
export function text(s: string): string {
  return s.replace(/[#;%<>]/g, (c) => ENTITY[c]!).replace(/\r?\n/g, '<br/>');
}

const ENTITY: Readonly<Record<string, string>> = { '#': '#35;', ';': '#59;', '%': '#37;', '<': '#lt;', '>': '#gt;' };

/** Words the sequence grammar reserves; never usable as a participant id. */
const RESERVED = new Set(
  [
    'end', 'box', 'loop', 'alt', 'else', 'opt', 'par', 'and', 'rect', 'critical', 'break', 'option', 'note', 'over',
    'left', 'right', 'of', 'participant', 'actor', 'create', 'destroy', 'activate', 'deactivate', 'autonumber', 'off',
    'title', 'links', 'link', 'properties', 'details', 'sequencediagram', 'accTitle', 'accDescr',
  ].map((w) => w.toLowerCase()),
);

/** Maps arbitrary party names (`PAT-1`, `end`, `Hospital A`) to distinct, safe Mermaid ids. */
export function participantIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const n of names) {
    if (ids.has(n)) continue;
    let base = n.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `p_${base}`;
    if (RESERVED.has(base.toLowerCase())) base = `p_${base}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(n, id);
  }
  return ids;
}

/** YAML front matter carrying the diagram title (double-quoted YAML scalar). */
export function frontMatter(title: string): string {
  return ['---', `title: "${title.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`, '---'].join('\n');
}

/** Highlight colours (rect backgrounds) used consistently by flow and trace diagrams. */
export const COLORS = {
  goal: 'rgba(120, 200, 120, 0.15)',
  failure: 'rgba(230, 60, 60, 0.15)',
  adversary: 'rgba(255, 165, 0, 0.18)',
  phase: 'rgba(120, 160, 230, 0.08)',
} as const;

/**
 * Breaks a long label into lines of at most `width` characters, preferring to break after `, `
 * or a space (a formula's natural joints), else mid-word. With `maxLines`, what does not fit
 * is cut and the last line ends in `…` (the full text stays in the source: spec, trace JSON).
 * Mermaid sizes notes and message labels by their longest line (wrap off, src/diagrams/render.ts),
 * so bounded lines keep boxes readable and text inside them.
 */
export function wrapLines(s: string, width: number, maxLines = Infinity): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > width) {
    const window = rest.slice(0, width + 1);
    let cut = Math.max(window.lastIndexOf(', ') + 2, window.lastIndexOf(' ') + 1);
    if (cut < width / 3) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  if (out.length <= maxLines) return out;
  const kept = out.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return kept;
}
