/**
 * The generic Dolev–Yao attacker (issue 13, first slice): queries from the spec, an attacker
 * derived from the typed flow and the primitive table, a bounded search whose every attack is
 * confirmed on real crypto bytes. docs/properties.md "The generic attacker".
 */
export { parseQueries, queriesOf, declaredBoundOf, type Query, type DeclaredBound } from './queries.js';
export { searchAttacks, configurations, DEFAULT_BOUND, type Bound, type SearchReport, type Verdict, type Attack, type SearchOptions } from './search.js';
export { runPriorPhases, priorPlan, type PriorPlan, type PriorRun } from './prior-phases.js';
export { execute, attackContext, candidates, type Scenario, type Move, type SessionSpec, type RunState } from './execute.js';
export { judgeQuery } from './oracles.js';
export { withCompromise } from './compromise.js';
export { analyseQueries } from './analyse.js';
export { reportText, reportJson, boundText, priorText } from './report.js';
export { attackTestFile, type ExportOptions } from './export.js';
export { additionsOf, withoutAdditions, searchVariants, ADDITIONS, type Addition, type AdditionId, type VariantsReport, type QueryDependency } from './variants.js';
export { trustOf, trustText, queryTrustText, type Trust, type LongTermValue } from './trust.js';
export { buildGroupModel, checkModel, type GroupModel, type Term, type Atom } from './group-model.js';
export { deduce, GroupDeducer, runRecipe, showRecipe, GROUP_ALGEBRA_BOUND, type Deduction, type Recipe, type Known } from './group-deduce.js';
export { groupDerivation, learnComputable, knownOf, GroupDeductionBug } from './group-oracle.js';
export { sweepFaults, sweptPhases, type SweepReport, type SweepOptions, type Fault, type FaultOutcome, type FaultResult, type Rejection } from './fault-sweep.js';
export { FAULT_CLASSES, CLASS_TEXT, type FaultClass } from './fault-classes.js';
export { sweepText, sweepJson, sweepCounts } from './fault-sweep-report.js';
