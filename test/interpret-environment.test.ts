/**
 * Environment modules (FLOW-DESIGN §6) through the tiny registered `kv-register`: calls are
 * checked against the module's signature, traced as `contract` events, and a failed call aborts
 * the caller's session like a failed check (typed, naming the step and the call).
 */
import { describe, expect, test } from 'vitest';
import { parseSpec } from '../src/spec/parse.js';
import { executableOf } from '../src/interpret/load.js';
import { runFlow } from '../src/interpret/run.js';
import { ENVIRONMENTS } from '../src/interpret/environments/index.js';

const SPEC = (second: string) => `protocol Reg
flow
  environment kv-register
  participant A "Alice"
  participant B "Bob"
  setup
    A, B share K: key
  phase p "register a nonce"
    p.1: A -> B : (N: nonce, t: mac)
      A generates N: nonce
      A computes t = mac(K, (N, A))
      A calls register(N)
      B checks t =? mac(K, (N, A))
      B calls registered(N)
      B calls ${second}(N)
`;

describe('environment modules', () => {
  test('the registry lists kv-register with documented calls', () => {
    const m = ENVIRONMENTS.get('kv-register')!;
    expect(Object.keys(m.calls)).toEqual(['register', 'registered']);
    for (const c of Object.values(m.calls)) expect(c.doc.length).toBeGreaterThan(5);
  });

  test('calls succeed and are traced as contract events; a failing call aborts with a typed error', () => {
    const ok = runFlow(executableOf(parseSpec('reg.ban', SPEC('registered'))).protocol, { seed: 1 });
    expect(ok.ok).toBe(true);
    expect(ok.trace.events.filter((e) => e.kind === 'contract').map((e) => e.kind === 'contract' && [e.party, e.contract, e.ok])).toEqual([
      ['A', 'register', true],
      ['B', 'registered', true],
      ['B', 'registered', true],
    ]);
    expect(ok.trace.events.find((e) => e.kind === 'check')).toMatchObject({ party: 'B', name: 't =? mac(K, (N, A))', ok: true });

    const bad = runFlow(executableOf(parseSpec('reg.ban', SPEC('register'))).protocol, { seed: 1 });
    expect(bad.ok).toBe(false);
    const b = bad.sessions.find((s) => s.role === 'B')!;
    expect(b).toMatchObject({ status: 'aborted', abort: { kind: 'env-call-failed', step: 'p.1', check: 'register(N)', detail: 'register: already registered' } });
    expect(bad.failures[0]).toMatch(/^B \(B\) aborted p#1 at p\.1: register\(N\) — register: already registered/);
  });
});
