/** Text mutations for the parser fuzz tests: one edit is [position, length, piece, operation]. */
export type TextEditOp = 'delete' | 'insert' | 'replace' | 'dupline' | 'swaplines';
export type TextEdit = readonly [number, number, string, TextEditOp];

export const TEXT_EDIT_OPS: readonly TextEditOp[] = ['delete', 'insert', 'replace', 'dupline', 'swaplines'];

/** Applies the edits in order; positions wrap around the current text (or its lines). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let s = text;
  for (const [at, len, piece, op] of edits) {
    const i = at % (s.length + 1);
    if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
    else if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
    else if (op === 'replace') s = s.slice(0, i) + piece + s.slice(i + Math.max(1, len % 4));
    else {
      const lines = s.split('\n');
      const x = at % lines.length;
      const y = (at + len) % lines.length;
      if (op === 'dupline') lines.splice(x, 0, lines[x]!);
      else [lines[x], lines[y]] = [lines[y]!, lines[x]!];
      s = lines.join('\n');
    }
  }
  return s;
}
