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
  kind: 'compute' | 'check' | 'contract' | 'store';
  party: string;
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
  pos: SourcePos;
}

export interface Flow {
  phases: FlowPhase[];
  /** Display names of the parties, when the flow declares them. */
  participants?: FlowParticipant[];
  /** The participant that runs the smart contracts (the blockchain center), when declared. */
  ledger?: string;
}
