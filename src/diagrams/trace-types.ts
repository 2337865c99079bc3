/**
 * The run trace the diagrams read: the model's own type (contracts.md "Run trace", owned by
 * src/net/trace.ts), re-exported so that src/diagrams has one import point for it.
 */
export type { Trace, TraceEvent } from '../net/trace.js';
