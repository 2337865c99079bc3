/**
 * bantam as a library. The same functions the CLI calls, grouped along the data flow:
 * spec text → parser → Spec → engines (BAN, diagrams) and crypto → executable model → traces.
 *
 *   import { loadSpec, analyse, runScenario } from 'bantam';
 *   const a = analyse(loadSpec('spec/emr-corrected.ban'));   // BAN belief-logic result
 *   const r = runScenario({ suite: 'secp256k1', seed: 1 });  // one honest run on real crypto
 *   const c = buildCostsReport({ suite: 'secp256k1' });      // Tables 2 and 3 from an instrumented run
 *   const x = runFlow(loadExecutable('spec/protocols/sts.ban').protocol, { seed: 1 }); // any executable flow
 */

// spec language
export { loadSpec } from './spec/load.js';
export { parseSpec } from './spec/parse.js';
export { parseFormula } from './spec/parse-term.js';
export { formatDiagnostic, formatDiagnostics, UserError, type Diagnostic, type SourcePos } from './spec/diagnostics.js';
export type { Spec, IdealMessage, Assumption, Goal, ProofStep } from './spec/ast.js';
export type { Flow, FlowPhase, FlowStep } from './spec/flow-ast.js';

// BAN logic
export * as terms from './ban/terms.js';
export type { Term } from './ban/terms.js';
export { showTerm } from './ban/print.js';
export {
  analyse,
  checkProof,
  auditIdealisation,
  toText,
  toMarkdown,
  toLatex,
  toJson,
  checkToText,
  checkToMarkdown,
  checkToJson,
  type Analysis,
  type GoalResult,
  type ProofNode,
  type WhyNot,
  type ProofCheck,
  type AuditFinding,
} from './ban/index.js';

// crypto suites
export { getSuite, SUITE_NAMES, DEFAULT_SUITE, BACKEND_NAMES, DEFAULT_BACKEND, hasNativeBackend, campaignBackend, seededRng, systemRng, forkRng, countingSuite, type CryptoSuite, type BackendName, type Rng, type OpCounts } from './crypto/index.js';

// executable model, network, ledger
export * as model from './model/index.js';
export { runScenario, type ScenarioResult, type ScenarioOptions } from './model/index.js';
export * as net from './net/index.js';
export * as ledger from './ledger/index.js';

// key agreement (straightforward and fast: the same values) and the paper's cost tables
export { naiveKeyAgreement } from './keyagreement/naive.js';
export { fastKeyAgreement, deviceTables, createPeerCache, DEFAULT_FAST_OPTIONS, type FastOptions, type DeviceTables, type PeerCache } from './keyagreement/fast.js';
export type { KeyAgreement } from './keyagreement/ka.js';
export { buildWorld, initialPhase, interPhase, registrationPhase } from './costs/phases.js';
export { buildReport as buildCostsReport, toText as costsToText, toMarkdown as costsToMarkdown, type CostsReport } from './costs/report.js';

// executable flows: the typed language and its interpreter (any protocol)
export * as flowLang from './flow-lang/index.js';
export { checkFlow, checkSpecFlow, PRIMITIVES, type TypedProtocol } from './flow-lang/index.js';
export * as interpret from './interpret/index.js';
export { runFlow, type FlowRunResult, type FlowRunOptions } from './interpret/run.js';
export { loadExecutable, executableOf } from './interpret/load.js';

// the generic Dolev–Yao attacker: queries from the spec, bounded search, confirmed attacks
export * as attacker from './attacker/index.js';
export { analyseQueries, queriesOf, searchAttacks, type Query, type SearchReport } from './attacker/index.js';

// diagrams
export { diagramsForSpec } from './diagrams/from-flow.js';
export { diagramForTrace, diagramsForTrace } from './diagrams/from-trace.js';
export { renderDiagrams } from './diagrams/render.js';
