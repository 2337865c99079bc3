/**
 * The interpreter of executable flows: a typed protocol (src/flow-lang) run on real crypto over
 * a network the adversary controls. See docs/flow.md "Semantics" and docs/architecture.md.
 */
export { runFlow, type FlowRunResult, type FlowRunOptions, type FlowAgreement, type FlowSessionSummary } from './run.js';
export { createWorld, addPrincipal, FlowSetupError, startSession, deliver, runUntilQuiet, revealPrincipal, sessionValues, type World, type WorldOptions, type Session, type Principal, type FlowAbort, type DeliverOutcome } from './world.js';
export { encodeMessage, decodeMessage, type WireRejection, type WireDecodeResult } from './wire.js';
export { createFlowNetwork, type FlowNetwork, type FlowEnvelope, type FlowAdversary } from './network.js';
export { type FlowOpCounts, type FlowPartyCosts, sumCounts } from './costs.js';
export { ENVIRONMENTS, environmentSignatures, type EnvironmentModule, type EnvCallContext, type EnvInitContext } from './environments/index.js';
export { loadExecutable, executableOf, type ExecutableSpec } from './load.js';
