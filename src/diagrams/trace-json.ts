/**
 * Reads a run trace saved as JSON (the `Trace` of contracts.md) and checks its shape, so that a
 * damaged or hand-edited file is a clear UserError naming the event, never a crash while drawing.
 */
import { UserError } from '../spec/diagnostics.js';
import type { Trace, TraceEvent } from './trace-types.js';

const ACTIONS = new Set(['observe', 'drop', 'delay', 'reorder', 'modify', 'replay', 'inject']);

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'string?' | 'number?' | 'fields'>;
const SHAPES: Record<TraceEvent['kind'], Shape> = {
  send: { seq: 'number', phase: 'string', step: 'string', session: 'string', from: 'string', to: 'string', msgType: 'string', size: 'number', fields: 'fields' },
  deliver: { seq: 'number', ref: 'number', to: 'string' },
  adversary: { seq: 'number', action: 'string', ref: 'number?', step: 'string?', from: 'string?', to: 'string?', detail: 'string' },
  compute: { seq: 'number', party: 'string', phase: 'string', step: 'string', eq: 'number', what: 'string' },
  check: { seq: 'number', party: 'string', phase: 'string', step: 'string', eq: 'number?', name: 'string', ok: 'boolean', reason: 'string?' },
  contract: { seq: 'number', party: 'string', phase: 'string', step: 'string', contract: 'string', ok: 'boolean', detail: 'string?' },
  reject: { seq: 'number', party: 'string', phase: 'string', step: 'string', reason: 'string' },
  accept: { seq: 'number', party: 'string', phase: 'string', session: 'string', peer: 'string?', reason: 'string?', eq: 'number?' },
  abort: { seq: 'number', party: 'string', phase: 'string', session: 'string', peer: 'string?', reason: 'string?', eq: 'number?' },
};

/** Why `e` is not a valid trace event, or undefined when it is. */
export function traceEventProblem(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return 'not an object';
  const r = e as Record<string, unknown>;
  const kind = r.kind;
  if (typeof kind !== 'string' || !(kind in SHAPES)) return `unknown kind ${JSON.stringify(kind)} (expected ${Object.keys(SHAPES).join(', ')})`;
  for (const [key, type] of Object.entries(SHAPES[kind as TraceEvent['kind']])) {
    const v = r[key];
    if (type.endsWith('?') && v === undefined) continue;
    if (type === 'fields') {
      if (!Array.isArray(v) || !v.every((f) => typeof f === 'object' && f !== null && typeof f.name === 'string' && typeof f.size === 'number')) {
        return `'fields' must be a list of {name, size}`;
      }
      continue;
    }
    if (typeof v !== type.replace('?', '')) return `'${key}' must be a ${type.replace('?', '')}`;
  }
  if (kind === 'adversary' && !ACTIONS.has(r.action as string)) return `unknown adversary action ${JSON.stringify(r.action)}`;
  return undefined;
}

export function parseTraceJson(text: string, file: string): Trace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const t = data as Partial<Trace>;
  if (typeof t !== 'object' || t === null || typeof t.suite !== 'string' || typeof t.seed !== 'string' || !Array.isArray(t.events)) {
    throw new UserError(`${file}: not a run trace (expected {"suite": string, "seed": string, "events": [...]})`);
  }
  t.events.forEach((e, i) => {
    const problem = traceEventProblem(e);
    if (problem) throw new UserError(`${file}: event ${i + 1}: ${problem}`);
  });
  if (t.roles !== undefined && (typeof t.roles !== 'object' || t.roles === null || Object.values(t.roles).some((v) => typeof v !== 'string'))) {
    throw new UserError(`${file}: 'roles' must map ids to role names`);
  }
  return t as Trace;
}
