/**
 * Public API of the executable EMR protocol model (Chen et al. 2020, §3.2–3.7). See docs/model.md.
 *
 *   const sys = createSystem({ suite: 'p256', seed: 7 });          // §3.2, eq. (1)
 *   addParty(sys, 'PAT-1', 'patient'); addParty(sys, 'HPA', 'hospital', { slot: 'A' });
 *   startRegistration(sys, 'PAT-1'); runUntilQuiet(sys);            // registration.1/.2, eqs. (2)–(5)
 *   const { session } = startInitial(sys, 'PAT-1', 'HPA');          // initial.1, eq. (14)
 *   const env = sys.net.next()!; const r = deliver(sys, env);       // one step at a time
 *   runScenario({ suite: 'secp256k1', seed: 1 })                    // the whole scenario
 */
export { createSystem, addParty, getParty, defaultClinic, CENTER, ModelUsageError, type System, type SystemOptions } from './system.js';
export { deliver, runUntilQuiet, startRegistration, startInitial, startInter, sessionKeyOf, type Started } from './protocol.js';
export { runScenario, keyAgreement, costsOf, type ScenarioResult, type ScenarioOptions, type KeyAgreement, type PartyCosts } from './scenario.js';
export { EQ_STEP, aadFor } from './equations.js';
export * from './records.js';
export type * from './types.js';
export { tamperField, type TamperOptions } from './tamper.js';
