/**
 * The concrete protocol as a spec declares it in its `flow` section: phases, steps, who sends
 * what to whom, the fields of each message, and what each party computes and checks (with the
 * paper's equation numbers). Parsed by src/spec/flow.ts; drawn by src/diagrams; checked against
 * the executable model by src/conform.
 */
import type { SourcePos } from './diagnostics.js';

export interface FlowField {
  name: string; // e.g. ID_PAT, T_PAT, CHK_PA
  type: string; // one of FIELD_TYPES (src/spec/flow.ts): id, point, scalar, check, ciphertext, signature, bytes
}

export interface FlowAction {
  /**
   * compute/check/contract/store as printed by papers; generate (`X generates v: sort`), know
   * (`X knows a, b`), publish (`X publishes v`) and share (`A, S share K: key`) declare what an
   * executable flow draws fresh, starts with and makes public (docs/flow.md, "Executable flows").
   */
  kind: 'compute' | 'check' | 'contract' | 'store' | 'generate' | 'know' | 'publish' | 'share';
  party: string;
  /** For kind 'share': every party that holds the shared value (party is the first). */
  parties?: string[];
  /** Where `text` starts in the file (for carets inside expressions). */
  textPos?: SourcePos;
  /** For text continued over several lines: where each further line starts (offset into `text`). */
  textBreaks?: { at: number; pos: SourcePos }[];
  /** Human text as the paper prints it, e.g. "K_AP1 = S_HPA·T_PAT + b·PK_PAT". */
  text: string;
  /** Paper equation number, when the action is one. */
  eq?: number;
  /** For kind 'contract': the smart contract's name (ptins, hachk, ...) and its arguments as written. */
  contract?: string;
  args?: string[];
  pos: SourcePos;
}

export interface FlowStep {
  /** Stable id `phase.n`, e.g. `initial.1`. */
  id: string;
  from: string;
  to: string;
  fields: FlowField[];
  /** 'secure' when the paper sends this message over a secure channel (registration, §3.1 item 1); absent = public. */
  channel?: 'secure';
  /** Actions before the send (by the sender) and after the receive (by the receiver). */
  before: FlowAction[];
  after: FlowAction[];
  pos: SourcePos;
}

export interface FlowPhase {
  id: string; // e.g. registration-patient, initial, inter
  title: string;
  /** Paper section, e.g. "§3.6". */
  section?: string;
  participants: string[];
  steps: FlowStep[];
  /** Actions tied to no message (e.g. the center's set-up in §3.2), in text order. */
  local?: FlowAction[];
  pos: SourcePos;
}

/** A participant declared for display: `participant HA "Hospital A" [ledger]`. */
export interface FlowParticipant {
  id: string;
  title: string;
  /** `id NAME = "PRINCIPAL"`: the name of the role's identity value and its default principal. */
  identity?: { name: string; principal: string; pos: SourcePos };
  pos: SourcePos;
}

/** Declared options of an executable flow (`options wire tagged`, `options aead-ad field-step`). */
export interface FlowOptions {
  /** Whether each message starts with a one-byte step tag (docs/flow.md "Wire encoding"). */
  wire?: 'tagged' | 'untagged';
  /** Associated data of AEAD encryption: bound to the step carrying the ciphertext, or none. */
  aeadAd?: 'field-step' | 'none';
  pos?: SourcePos;
}

export interface Flow {
  phases: FlowPhase[];
  /** Display names of the parties, when the flow declares them. */
  participants?: FlowParticipant[];
  /** The participant that runs the smart contracts (the blockchain center), when declared. */
  ledger?: string;
  /** Declared options (executable flows). */
  options?: FlowOptions;
  /** The name of the group generator in expressions (`generator P`; default G). */
  generator?: { name: string; pos: SourcePos };
  /** The environment module serving `calls` (`environment NAME`), when declared. */
  environment?: { name: string; pos: SourcePos };
  /** Long-term values (`setup` block): once per principal per role, before any phase. */
  setup?: FlowAction[];
}
