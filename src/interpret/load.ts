/**
 * From a spec file to a typed protocol the interpreter can run: load (src/spec/load.ts), then
 * check the flow against the primitive table and the registered environment modules. Anything
 * short of an executable flow is a UserError (exit 2) carrying every diagnostic, so the CLI
 * prints `file:line:col` errors with carets — and never falls back to another protocol.
 */
import type { Spec } from '../spec/ast.js';
import { UserError } from '../spec/diagnostics.js';
import { loadSpec } from '../spec/load.js';
import { checkSpecFlow } from '../flow-lang/index.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { ENVIRONMENTS, environmentSignatures } from './environments/index.js';
import type { EnvironmentModule } from './environments/types.js';

export interface ExecutableSpec {
  spec: Spec;
  protocol: TypedProtocol;
}

/** The typed protocol of a loaded spec, or a UserError listing why it is not executable. */
export function executableOf(spec: Spec, environments: ReadonlyMap<string, EnvironmentModule<any>> = ENVIRONMENTS): ExecutableSpec {
  const r = checkSpecFlow(spec, { environments: environmentSignatures(environments) });
  if (!r.ok) {
    const n = r.diagnostics.length;
    const first = r.diagnostics[0];
    const summary = !spec.flow
      ? `${spec.file} has no flow section: there is no protocol to run (docs/flow.md)`
      : `${spec.file}: the flow is not executable (${n} error${n === 1 ? '' : 's'}${first ? `; first at line ${first.pos.line}` : ''})`;
    throw new UserError(summary, r.diagnostics, 2, new Map(Object.entries(spec.sources ?? {})));
  }
  return { spec, protocol: r.protocol };
}

export function loadExecutable(path: string, environments?: ReadonlyMap<string, EnvironmentModule<any>>): ExecutableSpec {
  return executableOf(loadSpec(path), environments);
}
