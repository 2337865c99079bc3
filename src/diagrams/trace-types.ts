/**
 * The run-trace shape of the cross-team contract (contracts.md, "Run trace"), as the diagrams
 * read it. src/net/trace.ts (the model's) is the owner; this copy is structural, so a value of
 * the model's `Trace` type is accepted here as it is.
 */
export type TraceEvent =
  | { kind: 'send'; seq: number; phase: string; step: string; session: string; from: string; to: string;
      msgType: string; size: number; fields: { name: string; size: number }[] }
  | { kind: 'deliver'; seq: number; ref: number; to: string }
  | { kind: 'adversary'; seq: number; action: 'observe' | 'drop' | 'delay' | 'reorder' | 'modify' | 'replay' | 'inject';
      ref?: number; step?: string; from?: string; to?: string; detail: string }
  | { kind: 'compute'; seq: number; party: string; phase: string; step: string; eq: number; what: string }
  | { kind: 'check'; seq: number; party: string; phase: string; step: string; eq?: number; name: string; ok: boolean; reason?: string }
  | { kind: 'contract'; seq: number; party: string; phase: string; step: string; contract: string; ok: boolean; detail?: string }
  | { kind: 'reject'; seq: number; party: string; phase: string; step: string; reason: string }
  | { kind: 'accept' | 'abort'; seq: number; party: string; phase: string; session: string; peer?: string; reason?: string; eq?: number };

export interface Trace {
  suite: string;
  seed: string;
  events: TraceEvent[];
  /** Principal id -> role ('PAT-1' -> 'P'), when the run knows it (contracts.md: "a trace also maps ids to roles when known"). */
  roles?: Record<string, string>;
}
