/**
 * The run trace (contracts.md "Run trace"): every message put on the wire, every delivery, every
 * adversary action, every equation computed and check made, every smart-contract call, every
 * decoding rejection and every session outcome, numbered by `seq` in the order they happened.
 *
 * A `Tracer` is a value created per run (no global state); the network and the model append to it.
 */

export type TraceEvent =
  | {
      kind: 'send';
      seq: number;
      phase: string;
      step: string;
      session: string;
      from: string;
      to: string;
      msgType: string;
      size: number;
      fields: { name: string; size: number }[];
    }
  | { kind: 'deliver'; seq: number; ref: number; to: string }
  | {
      kind: 'adversary';
      seq: number;
      action: 'observe' | 'drop' | 'delay' | 'reorder' | 'modify' | 'replay' | 'inject';
      ref?: number;
      step?: string;
      from?: string;
      to?: string;
      detail: string;
    }
  | { kind: 'compute'; seq: number; party: string; phase: string; step: string; eq: number; what: string }
  | { kind: 'check'; seq: number; party: string; phase: string; step: string; eq?: number; name: string; ok: boolean; reason?: string }
  | { kind: 'contract'; seq: number; party: string; phase: string; step: string; contract: string; ok: boolean; detail?: string }
  | { kind: 'reject'; seq: number; party: string; phase: string; step: string; reason: string }
  | { kind: 'accept' | 'abort'; seq: number; party: string; phase: string; session: string; peer?: string; reason?: string; eq?: number };

export interface Trace {
  suite: string;
  seed: string;
  events: TraceEvent[];
  /** Principal id → role ('center', 'patient', 'hospital'), filled as parties are created. (Additive to contracts.md.) */
  roles?: Record<string, string>;
}

/** An event before the tracer numbers it. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

export interface Tracer {
  readonly trace: Trace;
  /** Appends the event with the next sequence number (1, 2, ...) and returns that number. */
  emit(e: TraceEventInput): number;
  setRole(id: string, role: string): void;
}

export function createTracer(suite: string, seed: string): Tracer {
  const trace: Trace = { suite, seed, events: [], roles: {} };
  return {
    trace,
    emit(e) {
      const seq = trace.events.length + 1;
      trace.events.push({ ...e, seq } as TraceEvent);
      return seq;
    },
    setRole(id, role) {
      trace.roles![id] = role;
    },
  };
}
