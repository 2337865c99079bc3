/**
 * The conformance rules on a two-message toy protocol, one rule per test: what counts as a
 * handler, an equation site, an enforced check and a dominated use — including the documented
 * limits (docs/conformance.md), which must err on the side of a finding, never a silent pass.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { conform, type ConformReport } from '../src/conform/index.js';
import { expectationsOf } from '../src/conform/expect.js';
import { loadSpec } from '../src/spec/load.js';

const root = mkdtempSync(join(tmpdir(), 'bantam-conform-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SPEC = `protocol Toy
principals A, B

flow
  phase p "Toy"
    p.1: A -> B : (ID_A: id, X: point)
      A computes X = x·P                 (1)
    p.2: B -> A : (Y: check)
      B checks   X =? G(X)               (2)
      B calls    bchk(ID_A)
      B computes Y = H(X)                (3)
`;

const MESSAGES = `
const f = (name: string, type: string) => ({ name, type });
export const MESSAGE_SCHEMAS = {
  'p.1': { step: 'p.1', from: 'A', to: 'B', eqs: [1], fields: [f('ID_A', 'id'), f('X', 'point')] },
  'p.2': { step: 'p.2', from: 'B', to: 'A', eqs: [2, 3], fields: [f('Y', 'check')] },
} as const;
`;

const EQS = `
/** @eq 1 X = x·P */
export const eq1 = (x: number) => x * 7;
/** @eq 2 X =? G(X) */
export const eq2 = (X: number) => X % 7 === 0;
/** @eq 3 Y = H(X) */
export const eq3 = (X: number) => X + 1;
`;

const SYSTEM = `
export function requireOk(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}
export declare function bchk(id: string): { exists: boolean };
export type Handler<S extends string> = (m: { step: S; X: number; ID_A: string }, st: { n: number }) => unknown;
`;

const START = `
import { eq1 } from './eqs.js';
export function start(x: number) {
  const X = eq1(x);
  return { message: { step: 'p.1', fields: { ID_A: 'A', X } } };
}
`;

let n = 0;
/** A toy model whose handler of p.1 has the given body; returns the conformance report. */
function run(body: string, extra = ''): ConformReport {
  const dir = join(root, `t${n++}`);
  mkdirSync(join(dir, 'src/model'), { recursive: true });
  mkdirSync(join(dir, 'src/net'), { recursive: true });
  writeFileSync(join(dir, 'toy.ban'), SPEC);
  writeFileSync(join(dir, 'src/net/messages.ts'), MESSAGES);
  writeFileSync(join(dir, 'src/model/eqs.ts'), EQS);
  writeFileSync(join(dir, 'src/model/system.ts'), SYSTEM);
  writeFileSync(join(dir, 'src/model/start.ts'), START);
  writeFileSync(
    join(dir, 'src/model/handler.ts'),
    `import * as E from './eqs.js';\nimport { bchk, requireOk, type Handler } from './system.js';\n${extra}\nexport const onP1: Handler<'p.1'> = (m, st) => {\n${body}\n};\n`,
  );
  return conform({ spec: join(dir, 'toy.ban'), src: join(dir, 'src/model'), messages: join(dir, 'src/net/messages.ts'), tests: null });
}
const codes = (r: ConformReport) => r.findings.map((f) => f.code).sort();

const LOOKUP = `  const b = bchk(m.ID_A);\n  requireOk(b.exists, 'bchk');`;
const TAIL = `  const Y = E.eq3(m.X);\n  return { message: { step: 'p.2', fields: { Y } } };`;

describe('segments of the toy flow', () => {
  test('start of p at A, handler of p.1 at B (sends p.2), handler of p.2 at A (sends nothing)', () => {
    writeFileSync(join(root, 'seg.ban'), SPEC);
    const ex = expectationsOf(loadSpec(join(root, 'seg.ban')).flow!);
    expect(ex.segments.map((s) => [s.party, s.receives, s.sends, s.actions.map((a) => a.eq ?? a.contract)])).toEqual([
      ['A', null, 'p.1', [1]],
      ['B', 'p.1', 'p.2', [2, 'bchk', 3]],
      ['A', 'p.2', null, []],
    ]);
    expect([...ex.lookups]).toEqual(['bchk']);
  });
});

describe('enforced checks (data flow to an abort guard)', () => {
  test('the result passed straight to a guard', () => {
    const r = run(`  requireOk(E.eq2(m.X), 'X');\n${LOOKUP}\n${TAIL}`);
    // p.2's handler (at A) is missing: the only finding, so everything about onP1 conforms
    expect(codes(r)).toEqual(['flow.no-handler']);
  });

  test('through destructuring and a local, and an inline if-throw', () => {
    const r = run(`  const { ok } = { ok: E.eq2(m.X) };\n  const good = ok && m.X > 0;\n  if (!good) throw new Error('X');\n${LOOKUP}\n${TAIL}`);
    expect(codes(r)).toEqual(['flow.no-handler']);
  });

  test('a look-up made to matter through push under a dependent if', () => {
    const r = run(`  requireOk(E.eq2(m.X), 'X');\n  const b = bchk(m.ID_A);\n  const problems: string[] = [];\n  if (!b.exists) problems.push('unknown');\n  requireOk(problems.length === 0, 'bchk');\n${TAIL}`);
    expect(codes(r)).toEqual(['flow.no-handler']);
  });

  test('a result computed and dropped is unenforced', () => {
    const r = run(`  E.eq2(m.X);\n${LOOKUP}\n${TAIL}`);
    expect(r.findings.find((f) => f.code === 'guard.unenforced')?.eq).toBe(2);
  });

  test('a guard on a shadowing variable of the same name does not enforce the check', () => {
    const r = run(`  const ok = E.eq2(m.X);\n  {\n    const ok = m.X > 0;\n    requireOk(ok, 'X');\n  }\n${LOOKUP}\n${TAIL}`);
    expect(r.findings.filter((f) => f.code === 'guard.unenforced').map((f) => f.eq)).toEqual([2]);
  });

  test('limit: `if (!ok) return` is not an abort guard (reported, not passed)', () => {
    const r = run(`  const ok = E.eq2(m.X);\n  if (!ok) return null;\n${LOOKUP}\n${TAIL}`);
    expect(codes(r)).toContain('guard.unenforced');
  });

  test('limit: a result kept in an object field is not followed (reported, not passed)', () => {
    const r = run(`  st.n = E.eq2(m.X) ? 1 : 0;\n  requireOk(st.n === 1, 'X');\n${LOOKUP}\n${TAIL}`);
    expect(codes(r)).toContain('guard.unenforced');
  });
});

describe('dominance: the guard must run before each guarded use on every path', () => {
  test('a guard inside an if-branch does not guard what follows the if', () => {
    const r = run(`  if (m.X > 3) {\n    requireOk(E.eq2(m.X), 'X');\n  }\n${LOOKUP}\n${TAIL}`);
    const late = r.findings.filter((f) => f.code === 'guard.late' && f.eq === 2).map((f) => f.message.split(' (line')[0]);
    // bchk twice: the look-up call and the guard naming it
    expect(late).toEqual(['bchk', 'bchk', '(3)', 'message p.2', 'the step result (state commit)']);
  });

  test('a state write before the check is a guarded use; a local write is not', () => {
    const r = run(`  const seen: number[] = [];\n  seen.push(m.X);\n  st.n = m.X;\n  requireOk(E.eq2(m.X), 'X');\n${LOOKUP}\n${TAIL}`);
    const late = r.findings.filter((f) => f.code === 'guard.late').map((f) => f.message.split(' (line')[0]);
    expect(late).toEqual(['state write `st.n = m.X`', 'state write `st.n = m.X`']); // once for (2), once for bchk
  });
});

describe('equation sites', () => {
  test('an equation computed in a helper of the model folder counts where the helper is called', () => {
    const r = run(`  requireOk(E.eq2(m.X), 'X');\n${LOOKUP}\n  const Y = next(m.X);\n  return { message: { step: 'p.2', fields: { Y } } };`, 'const next = (X: number) => E.eq3(X);');
    expect(codes(r)).toEqual(['flow.no-handler']);
  });

  test('a tagged statement inside the handler is a site', () => {
    const r = run(`  requireOk(E.eq2(m.X), 'X');\n${LOOKUP}\n  /** @eq 3 Y = H(X) */\n  const Y = m.X + 1;\n  return { message: { step: 'p.2', fields: { Y } } };`);
    expect(codes(r)).toEqual(['flow.no-handler', 'tag.duplicate']); // eqs.ts still tags (3) too
  });

  test('the check called through a local function value', () => {
    const r = run(`  const chk = m.X > 0 ? E.eq2 : E.eq2;\n  const ok = chk(m.X);\n  requireOk(ok, 'X');\n${LOOKUP}\n${TAIL}`);
    expect(codes(r)).toEqual(['flow.no-handler']);
  });

  test('the look-up after the computation it guards: order and guard findings', () => {
    const r = run(`  requireOk(E.eq2(m.X), 'X');\n  const Y = E.eq3(m.X);\n${LOOKUP}\n  return { message: { step: 'p.2', fields: { Y } } };`);
    expect(codes(r)).toEqual(['flow.no-handler', 'flow.order', 'guard.late']);
    expect(r.findings.find((f) => f.code === 'guard.late')!.message).toMatch(/^\(3\) \(line \d+\) is not guarded by contract look-up bchk/);
  });
});
