/**
 * First stage of reading a spec file: split it into top-level sections.
 * `include FILE` (one line) pulls in another file's sections; src/spec/load.ts resolves it.
 *
 * A section starts with a keyword in column 1 (`protocol`, `options`, `principals`, `atoms`,
 * `messages`, `assumptions`, `goals`, `proof`, `flow`, `queries`); its body is every following line up to
 * the next section header. Comments (`#` or `//` to end of line) and blank lines are kept as
 * empty text so that positions stay exact. Each section body is then parsed by its own module:
 * src/spec/parse-ban.ts for the belief-logic sections, src/spec/flow.ts for `flow`.
 */
import { diag, type Diagnostic } from './diagnostics.js';

export const SECTION_NAMES = [
  'protocol',
  'include', // `include other.ban`: merge that file's sections (path relative to this file)
  'options',
  'principals',
  'atoms',
  'messages',
  'assumptions',
  'goals',
  'proof',
  'flow',
  'queries', // security queries for the generic attacker (src/attacker/queries.ts parses them)
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface SourceLine {
  /** 1-based line number in the file. */
  line: number;
  /** Line text with the comment removed (trailing spaces kept off). */
  text: string;
  /** The comment text, if any (used for `# typo:` / `# why:` annotations). */
  comment?: string;
  /** 1-based column of the comment marker, when there is a comment. */
  commentCol?: number;
}

export interface Section {
  name: SectionName;
  /** Text after the keyword on the header line (e.g. the protocol name). */
  args: string;
  headerLine: number;
  /** Column (1-based) where `args` starts on the header line. */
  argsCol: number;
  lines: SourceLine[];
}

export interface SplitResult {
  sections: Section[];
  diagnostics: Diagnostic[];
}

/** Strip a `#` or `//` comment that is not inside the `#(` freshness operator. */
export function stripComment(raw: string): { text: string; comment?: string; commentCol?: number } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '#' && raw[i + 1] !== '(') {
      return { text: raw.slice(0, i).trimEnd(), comment: raw.slice(i + 1).trim(), commentCol: i + 1 };
    }
    if (c === '/' && raw[i + 1] === '/') {
      return { text: raw.slice(0, i).trimEnd(), comment: raw.slice(i + 2).trim(), commentCol: i + 1 };
    }
  }
  return { text: raw.trimEnd() };
}

export function splitSections(file: string, source: string): SplitResult {
  const sections: Section[] = [];
  const diagnostics: Diagnostic[] = [];
  const rawLines = source.split(/\r?\n/);
  let current: Section | undefined;
  rawLines.forEach((raw, i) => {
    const line = i + 1;
    const { text, comment, commentCol } = stripComment(raw);
    const header = /^([A-Za-z]+)\b(.*)$/.exec(text);
    if (header && !/^\s/.test(text)) {
      const word = header[1]!;
      if ((SECTION_NAMES as readonly string[]).includes(word)) {
        const rest = header[2] ?? '';
        const argsCol = word.length + (rest.length - rest.trimStart().length) + 1;
        current = { name: word as SectionName, args: rest.trim(), headerLine: line, argsCol, lines: [] };
        sections.push(current);
        return;
      }
      if (!current) {
        diagnostics.push(
          diag('error', 'parse.section', `unknown section '${word}'`, { file, line, col: 1 }, {
            expected: `a section keyword: ${SECTION_NAMES.join(', ')}`,
            length: word.length,
          }),
        );
        return;
      }
    }
    if (!current) {
      if (text.trim() !== '') {
        diagnostics.push(
          diag('error', 'parse.section', 'text before the first section', { file, line, col: 1 + text.length - text.trimStart().length }, {
            expected: `a section keyword in column 1: ${SECTION_NAMES.join(', ')}`,
          }),
        );
      }
      return;
    }
    current.lines.push(comment === undefined ? { line, text } : { line, text, comment, ...(commentCol ? { commentCol } : {}) });
  });
  return { sections, diagnostics };
}
