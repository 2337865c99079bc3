/**
 * The typed protocol: what the checker (./check.ts) makes of a spec's `flow` section when every
 * action parses and sort-checks. Plain data: the interpreter (src/interpret) runs it, the
 * attacker (issue 13) reads it symbolically, diagrams and costs read its steps.
 */
import type { SourcePos } from '../spec/diagnostics.js';
import type { FlowAction } from '../spec/flow-ast.js';
import type { Sort } from './sorts.js';

export type TExpr =
  | { kind: 'name'; name: string; sort: Sort }
  /** A primitive of the table (./primitives.ts) by name; `ad`: the step whose id is the AEAD associated data. */
  | { kind: 'prim'; prim: string; args: TExpr[]; sort: Sort; ad?: string; ephemeral?: boolean }
  /** An environment function (src/interpret/environments). */
  | { kind: 'env'; fn: string; args: TExpr[]; sort: Sort }
  | { kind: 'tuple'; items: TExpr[]; sort: Sort }
  /** A string literal: a hash tag, an id or bytes (UTF-8). */
  | { kind: 'lit'; value: string; sort: Sort };

/** What a computation binds. `compare`: the party already knows the name, so binding is an equality check. */
export type TPattern = { kind: 'bind'; name: string; sort: Sort; compare: boolean } | { kind: 'tuple'; items: TPattern[]; sort: Sort };

/** Where a `knows` name comes from when a session starts. */
export type KnowSource = { kind: 'published'; role: string } | { kind: 'identity'; role: string } | { kind: 'own' };

interface TActionBase {
  party: string;
  eq?: number;
  /** The action as written (for traces and errors). */
  text: string;
  pos: SourcePos;
  source: FlowAction;
}

export type TAction = TActionBase &
  (
    | { kind: 'generate'; name: string; sort: Sort }
    | { kind: 'compute'; target: TPattern; expr: TExpr }
    | { kind: 'check'; left: TExpr; right?: TExpr }
    | { kind: 'know'; names: { name: string; sort: Sort; from: KnowSource }[] }
    | { kind: 'publish'; names: string[] }
    | { kind: 'store'; names: string[] }
    | { kind: 'call'; fn: string; args: TExpr[] }
    | { kind: 'share'; name: string; sort: Sort; parties: string[] }
  );

export interface TField {
  name: string;
  sort: Sort;
  /** The receiver already knows this name when the message arrives: receiving it is an equality check. */
  compare: boolean;
}

export interface TStep {
  id: string;
  /** Wire tag: 1 + index of the id among the spec's distinct step ids in order of first appearance. */
  tag: number;
  from: string;
  to: string;
  fields: TField[];
  channel: 'public' | 'secure';
  before: TAction[];
  after: TAction[];
  pos: SourcePos;
}

export interface TPhase {
  id: string;
  title: string;
  section?: string;
  roles: string[];
  /** Actions before the first step (each run by its party when its session starts). */
  local: TAction[];
  steps: TStep[];
}

export interface TRole {
  id: string;
  title: string;
  /** The name of the role's identity value (sort id). */
  identity: string;
  /** The principal that plays the role by default (honest runs). */
  principal: string;
  ledger: boolean;
}

export interface TypedProtocol {
  file: string;
  /** `defaulted` lists the options the spec does not declare (every output says so). */
  options: { wire: 'tagged' | 'untagged'; aeadAd: 'field-step' | 'none'; defaulted?: ('wire' | 'aead-ad')[] };
  /** The name of the generator in expressions. */
  generator: string;
  environment?: string;
  roles: TRole[];
  setup: TAction[];
  phases: TPhase[];
  /** Every name's one sort. */
  sorts: ReadonlyMap<string, Sort>;
  /** Published name → the role that publishes it. */
  published: ReadonlyMap<string, string>;
}
