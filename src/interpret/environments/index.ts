/**
 * The registry of environment modules, by the name a spec gives in `environment NAME`.
 * Add a module here (one line) to make it available to every spec.
 */
import type { EnvironmentSignature } from '../../flow-lang/environment.js';
import { emrLedger } from './emr-ledger.js';
import { kvRegister } from './kv-register.js';
import type { EnvironmentModule } from './types.js';

export type { EnvironmentModule, EnvCallContext, EnvInitContext } from './types.js';

export const ENVIRONMENTS: ReadonlyMap<string, EnvironmentModule<any>> = new Map<string, EnvironmentModule<any>>([
  [kvRegister.name, kvRegister],
  [emrLedger.name, emrLedger],
]);

/** The modules' signatures, for the checker (src/flow-lang/check.ts). */
export function environmentSignatures(mods: ReadonlyMap<string, EnvironmentModule<any>> = ENVIRONMENTS): ReadonlyMap<string, EnvironmentSignature> {
  return new Map([...mods].map(([k, m]) => [k, { name: m.name, calls: m.calls, ...(m.functions ? { functions: m.functions } : {}) }]));
}
