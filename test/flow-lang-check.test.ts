/**
 * The executable flow language's checker: every error code, at the right file:line:col with a
 * caret under the offending text, all reported at once; the new declaration lines parse; today's
 * EMR flow still loads (its prose actions are reported as not executable, never thrown).
 */
import { describe, expect, test } from 'vitest';
import { checkFlow, checkSpecFlow, type CheckResult } from '../src/flow-lang/index.js';
import { environmentSignatures } from '../src/interpret/environments/index.js';
import { formatDiagnostic, type Diagnostic } from '../src/spec/diagnostics.js';
import { loadSpec } from '../src/spec/load.js';
import { parseSpec } from '../src/spec/parse.js';

const HEAD = [
  'protocol T',
  'principals A, B',
  'flow',
  '  participant A "Alice"',
  '  participant B "Bob"',
];
const SETUP = [
  '  setup',
  '    A generates skA: scalar',
  '    A computes pkA = skA·G',
  '    A publishes pkA',
  '    B generates skB: scalar',
  '    B computes pkB = skB·G',
  '    B publishes pkB',
];

function check(lines: string[]): { r: CheckResult; src: string } {
  const src = lines.join('\n') + '\n';
  const spec = parseSpec('t.ban', src);
  return { r: checkSpecFlow(spec, { environments: environmentSignatures() }), src };
}

function errors(lines: string[]): Diagnostic[] {
  const { r } = check(lines);
  expect(r.ok).toBe(false);
  return r.diagnostics;
}

/** A one-phase flow with the given actions under `p.1: A -> B : (m: FIELD)`. */
function oneStep(field: string, actions: string[], before: string[] = []): string[] {
  return [...HEAD, ...SETUP, '  phase p "P"', '    participants A, B', '    A knows pkB', '    B knows pkA', `    p.1: A -> B : (${field})`, ...before.map((a) => `      ${a}`), ...actions.map((a) => `      ${a}`)];
}

describe('a correct flow checks into a typed protocol', () => {
  test('sorts by name, operators resolved by operand sorts, implicit equality on a known name', () => {
    const { r } = check(oneStep('c: pke', ['B computes (Na, A) = pdec(skB, c)'], ['A generates Na: nonce', 'A computes c = penc(pkB, (Na, A))']));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.protocol;
    expect(p.options).toEqual({ wire: 'tagged', aeadAd: 'none', defaulted: ['wire', 'aead-ad'] }); // not declared: every output says so
    expect(p.setup.map((a) => a.kind)).toEqual(['generate', 'compute', 'publish', 'generate', 'compute', 'publish']);
    const mulG = p.setup[1]!;
    expect(mulG.kind === 'compute' && mulG.expr).toMatchObject({ kind: 'prim', prim: 'mulG' });
    const recv = p.phases[0]!.steps[0]!.after[0]!;
    // B knows A (a role of the phase): binding A again is an equality check, Na is new
    expect(recv.kind === 'compute' && recv.target).toMatchObject({ kind: 'tuple', items: [{ name: 'Na', compare: false }, { name: 'A', compare: true }] });
    expect(p.sorts.get('Na')).toEqual({ kind: 'base', name: 'nonce' });
    expect(p.phases[0]!.steps[0]!.tag).toBe(1);
  });

  test('the keyed paper notation: E_K, D_K, S_K and `M =? V_K(s)`', () => {
    const { r } = check(oneStep('c: ciphertext', ['B computes s2: signature = D_K(c)', 'B checks (pkA, pkB) =? V_pkA(s2)'], [
      'A generates K: key',
      'A computes s1 = S_skA(pkA, pkB)',
      'A computes c = E_K(s1)',
    ]).map((l) => l.replace('    B knows pkA', '    B knows pkA').replace('  setup', '  setup\n    A, B share K: key').replace('      A generates K: key', '')));
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
    if (!r.ok) return;
    const [dec, chk] = r.protocol.phases[0]!.steps[0]!.after;
    expect(dec!.kind === 'compute' && dec!.expr).toMatchObject({ kind: 'prim', prim: 'dec', sort: { name: 'signature' } });
    expect(chk!.kind === 'check' && chk!.left).toMatchObject({ kind: 'prim', prim: 'verify' });
  });

  test('options, generator, environment and participant identities are read', () => {
    const { r } = check([
      'protocol T', 'flow',
      '  options wire untagged', '  options aead-ad field-step', '  generator P', '  environment kv-register',
      '  participant A "Alice" id ID_A = "alice-1"', '  participant B "Bob"',
      '  phase p', '    p.1: A -> B : (X: point)', '      A generates x: scalar', '      A computes X = x·P', '      B calls register(X)',
    ]);
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
    if (!r.ok) return;
    expect(r.protocol.options).toEqual({ wire: 'untagged', aeadAd: 'field-step' });
    expect(r.protocol.generator).toBe('P');
    expect(r.protocol.environment).toBe('kv-register');
    expect(r.protocol.roles.find((x) => x.id === 'A')).toMatchObject({ identity: 'ID_A', principal: 'alice-1' });
  });

  test('AEAD associated data: the step that carries the ciphertext (option field-step)', () => {
    const { r } = check(['protocol T', 'flow', '  options aead-ad field-step', '  setup', '    A, B share K: key',
      '  phase p', '    p.1: A -> B : (c: ciphertext)', '      A generates N: nonce', '      A computes c = enc(K, N)', '      B computes N = dec(K, c)']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.protocol.phases[0]!.steps[0]!;
    expect(s.before[1]!.kind === 'compute' && s.before[1]!.expr).toMatchObject({ prim: 'enc', ad: 'p.1' });
    expect(s.after[0]!.kind === 'compute' && s.after[0]!.expr).toMatchObject({ prim: 'dec', ad: 'p.1' });
  });
});

describe('errors: stable codes at file:line:col with a caret, all at once', () => {
  test('flow.sort: the primitive signature is the expected text', () => {
    const [d] = errors(oneStep('X: point', ['B checks X =? X'], ['A computes X = H2(skA, pkB)']));
    expect(d).toMatchObject({ code: 'flow.sort', message: 'argument 1 of H2 is scalar, expected point', pos: { line: 18, col: 25 }, length: 3 });
    expect(formatDiagnostic(d!, check(oneStep('X: point', [], ['A computes X = H2(skA, pkB)'])).src).split('\n')).toEqual([
      't.ban:18:25: error: argument 1 of H2 is scalar, expected point (flow.sort)',
      ' 18 |       A computes X = H2(skA, pkB)',
      '    |                         ^^^',
      ' = expected: H2(point, point) → key'.replace(' =', '    ='),
    ]);
  });

  test("flow.sort: no operator for the operand sorts; a check's two sides of different sorts", () => {
    const ds = errors(oneStep('X: point', ['B checks X =? skB'], ['A computes X = pkA·pkB']));
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ['flow.sort', "no '·' for point and point"],
      ['flow.sort', "'=?' compares point with scalar"],
    ]);
  });

  test('flow.unknown-name with a did-you-mean', () => {
    const [d] = errors(oneStep('X: point', [], ['A computes X = skA·pkBB']));
    expect(d).toMatchObject({ code: 'flow.unknown-name', message: "unknown name 'pkBB' (did you mean 'pkB'?)", pos: { line: 18, col: 26 }, length: 4 });
  });

  test('flow.unbound: a party uses a value before it computes or receives it (per party, in flow order)', () => {
    const ds = errors(oneStep('X: point', ['B computes Y = skB·x'], ['A computes X = x·G', 'A generates x: scalar']));
    expect(ds.map((d) => [d.code, d.message, d.pos.line, d.pos.col])).toEqual([
      ['flow.unbound', 'A uses x before it computes or receives it', 18, 22],
      ['flow.unbound', 'B uses x before it computes or receives it', 20, 26],
    ]);
  });

  test('flow.unbound: sending a field the sender does not have', () => {
    const [d] = errors(oneStep('Nx: nonce', []));
    expect(d).toMatchObject({ code: 'flow.unbound', message: 'A sends Nx in p.1 before it computes or receives it' });
  });

  test('flow.unknown-primitive with a did-you-mean', () => {
    const [d] = errors(oneStep('X: hash', [], ["A computes X = hsh(\"t\", pkA)"]));
    expect(d).toMatchObject({ code: 'flow.unknown-primitive', message: "unknown function 'hsh' (did you mean 'hash'?)", pos: { col: 22 }, length: 3 });
  });

  test('flow.sort-conflict: one name, two sorts', () => {
    const ds = errors(oneStep('X: point', ['B computes X: scalar = skB'], ['A computes X = skA·G']));
    expect(ds.some((d) => d.code === 'flow.sort-conflict' && /'X' is scalar here but point/.test(d.message))).toBe(true);
  });

  test('flow.expr-syntax for a broken expression; flow.not-executable for prose', () => {
    const ds = errors(oneStep('X: point', ['B checks X is a valid point'], ['A computes X = skA· + G']));
    expect(ds.map((d) => d.code)).toEqual(['flow.expr-syntax', 'flow.not-executable']);
    expect(ds[1]!.message).toMatch(/^not executable: 'B checks X is a valid point' is prose/);
  });

  test('flow.unknown-call: calls without an environment, or a call the environment lacks', () => {
    expect(errors(oneStep('X: point', ['B calls register(X)'], ['A computes X = skA·G']))[0]).toMatchObject({ code: 'flow.unknown-call', message: "'register' is an environment call but the flow declares no environment" });
    const lines = oneStep('X: point', ['B calls regster(X)'], ['A computes X = skA·G']);
    lines.splice(3, 0, '  environment kv-register');
    expect(errors(lines)[0]).toMatchObject({ code: 'flow.unknown-call', message: "environment 'kv-register' has no call 'regster' (did you mean 'register'?)" });
  });

  test('flow.missing: a spec without a flow', () => {
    const { r } = check(['protocol T', 'principals A']);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'flow.missing' });
  });

  test('a dec whose sort nothing decides is a flow.sort error naming the fix', () => {
    const ds = errors(['protocol T', 'flow', '  setup', '    A, B share K: key', '  phase p', '    p.1: A -> B : (c: ciphertext)', '      A generates N: nonce', '      A computes c = enc(K, N)', '      B computes M = dec(K, c)']);
    expect(ds[0]).toMatchObject({ code: 'flow.sort', message: 'the sort of dec(…) comes from what it is bound to' });
  });
});

describe("today's EMR flow", () => {
  test('still loads, and checking it reports its prose lines as data (no throw)', () => {
    const spec = loadSpec('spec/emr-flow.ban');
    const r = checkFlow(spec.flow!, { environments: environmentSignatures() });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((d) => d.code === 'flow.not-executable' && d.pos.line === 26)).toBe(true);
    for (const d of r.diagnostics) expect(d.pos.file).toBe('spec/emr-flow.ban');
  });
});

describe('the new flow lines: parser errors are positioned too', () => {
  const parseErr = (lines: string[]) => {
    try {
      parseSpec('t.ban', lines.join('\n') + '\n');
    } catch (e) {
      return (e as { diagnostics: Diagnostic[] }).diagnostics;
    }
    return [];
  };
  test('unknown or repeated options; setup after a phase; share outside setup; a bad identity clause', () => {
    const ds = parseErr([
      'protocol T', 'flow',
      '  options wire sometimes',
      '  options aead-ad none',
      '  options aead-ad none',
      '  participant A "Alice" id = "x"',
      '  phase p',
      '    A, B share K: key',
      '  setup',
    ]);
    expect(ds.map((d) => [d.code, d.pos.line, d.message])).toEqual([
      ['flow.syntax', 3, "unknown flow option 'wire sometimes'"],
      ['flow.duplicate', 5, 'the aead-ad option is declared twice'],
      ['flow.syntax', 6, 'expected the identity value'],
      ['flow.order', 8, "'share' belongs in the setup block"],
      ['flow.order', 9, "the 'setup' block comes before the first phase"],
    ]);
  });

  test('a message inside setup; generator and environment take one name', () => {
    const ds = parseErr(['protocol T', 'flow', '  generator', '  environment a b', '  setup', '    s.1: A -> B : (X: point)']);
    expect(ds.map((d) => [d.code, d.pos.line])).toEqual([
      ['flow.syntax', 3],
      ['flow.syntax', 4],
      ['flow.order', 6],
    ]);
  });
});

describe('setup runs per principal, before any session: what it cannot use', () => {
  test("'knows' in setup, a shared key used in setup, and a setup party in no phase are errors", () => {
    const ds = errors([
      'protocol T', 'flow',
      '  setup',
      '    A, B share K: key',
      '    A knows pkB',
      '    A computes t = mac(K, A)',
      '    C generates z: scalar',
      '  phase p',
      '    p.1: A -> B : (N: nonce)',
      '      A generates N: nonce',
    ]);
    expect(ds.map((d) => [d.code, d.pos.line])).toEqual([
      ['flow.unbound', 5],
      ['flow.unbound', 6],
      ['flow.not-executable', 7],
    ]);
    expect(ds[1]!.message).toBe('A uses K before it computes or receives it');
  });
});

describe('positions inside an action continued over several lines', () => {
  test('the caret lands on the line and column of the offending name', () => {
    const ds = errors([
      'protocol T', 'flow', '  setup', '    A generates k: key',
      '  phase p',
      '    p.1: A -> B : (t: mac)',
      '      A computes t = mac(k,',
      '                         (k, nope))',
    ]);
    expect(ds[0]).toMatchObject({ code: 'flow.unknown-name', pos: { line: 8, col: 30 }, length: 4 });
  });
});
