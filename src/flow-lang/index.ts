/**
 * The executable flow language (docs/flow.md): sorts, expressions, the primitive table, the
 * canonical value encoding and the checker that turns a spec's `flow` into a typed protocol.
 *
 *   checkFlow(flow, { environments })  → { ok: true, protocol } | { ok: false, diagnostics }
 *   checkSpecFlow(spec, opts)          → the same for a loaded spec (a spec without a flow is an error)
 */
import { diag } from '../spec/diagnostics.js';
import type { Spec } from '../spec/ast.js';
import { checkFlow, type CheckOptions, type CheckResult } from './check.js';

export * from './sorts.js';
export * from './expr.js';
export * from './values.js';
export * from './primitives.js';
export * from './typed.js';
export type { EnvironmentSignature } from './environment.js';
export { checkFlow, type CheckOptions, type CheckResult } from './check.js';

/** Checks a loaded spec's flow; a spec without one gets `flow.missing`. */
export function checkSpecFlow(spec: Spec, opts: CheckOptions = {}): CheckResult {
  if (!spec.flow) {
    return {
      ok: false,
      diagnostics: [diag('error', 'flow.missing', `${spec.file} has no flow section: there is no protocol to run`, { file: spec.file, line: 1, col: 1 }, { expected: "a 'flow' section (docs/flow.md)" })],
    };
  }
  return checkFlow(spec.flow, opts);
}
