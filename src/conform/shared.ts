/**
 * Small helpers shared by the checks: naming spec actions and segments in findings, and the
 * registering role's placeholder `X` in schema field names.
 */
import type { Node } from 'ts-morph';
import type { CodeModel } from './code.js';
import type { Segment, SpecAction } from './expect.js';

export const at = (n: Node, cm: CodeModel) => `${cm.display(n.getSourceFile())}:${n.getStartLineNumber()}`;
export const eqName = (a: SpecAction) => (a.eq !== undefined ? `(${a.eq})` : a.contract !== undefined ? a.contract : `'${a.text}'`);
export const describe = (a: SpecAction) =>
  a.kind === 'contract' ? `${a.party} calls ${a.text}` : `${a.party} ${a.kind === 'check' ? 'checks' : 'computes'} ${a.text}${a.eq !== undefined ? ` (${a.eq})` : ''}`;
export const segName = (s: Segment) => (s.receives ? `the handler of ${s.receives} at ${s.party} (${s.phase})` : `the start of ${s.phase} at ${s.party}`);

/** Schema field name with the registering role's placeholder `X` (`ID_X`) read as the given suffix. */
export function instantiate(name: string, suffix: string | undefined): string {
  return suffix === undefined ? name : name.replace(/(^|_)X(?![A-Za-z0-9])/g, `$1${suffix}`);
}
