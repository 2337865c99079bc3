/**
 * The interpreter on the library's executable specs (spec/protocols): Needham–Schroeder public
 * key, Lowe's fix NSL and station-to-station run honestly on every suite — every session accepts,
 * both sides hold equal values, runs replay from the seed — and a tampered message aborts the
 * right party at the right step and check with the right typed error.
 */
import { describe, expect, test } from 'vitest';
import { analyse } from '../src/ban/index.js';
import { loadSpec } from '../src/spec/load.js';
import { getSuite, SUITE_NAMES } from '../src/crypto/index.js';
import { encodeValue, PRIMITIVE_BY_NAME, tuple, type Value } from '../src/flow-lang/index.js';
import { executableOf, loadExecutable } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { runFlow } from '../src/interpret/run.js';
import { encodeMessage } from '../src/interpret/wire.js';
import { addPrincipal, createWorld, deliver, startSession, type World } from '../src/interpret/world.js';

const NSPK = loadExecutable('spec/protocols/nspk.ban').protocol;
const NSL = loadExecutable('spec/protocols/nsl.ban').protocol;
const STS = loadExecutable('spec/protocols/sts.ban').protocol;
const hex = (v: Value | undefined, w: World) => (v ? Buffer.from(encodeValue(w.suite, v)).toString('hex') : 'none');

describe.each(SUITE_NAMES)('honest runs on %s', (suite) => {
  test.each([['nspk', NSPK], ['nsl', NSL], ['sts', STS]] as const)('%s: every session accepts; both sides hold the same values', (_n, p) => {
    const r = runFlow(p, { suite, seed: 11 });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.sessions.map((s) => s.status)).toEqual(['accepted', 'accepted']);
    const [a, b] = r.world.sessions;
    for (const name of p === STS ? ['K', 'X', 'Y', 'sigA', 'sigB'] : ['Na', 'Nb']) expect(hex(a!.values.get(name), r.world)).toBe(hex(b!.values.get(name), r.world));
    if (p === STS) expect(r.agreements).toMatchObject([{ name: 'K', agreed: true, parties: ['A', 'B'] }]);
    expect(r.trace.events.filter((e) => e.kind === 'send').length).toBe(3);
  });

  test('deterministic from the seed (ristretto255 signatures excepted: their nonces are system randomness)', () => {
    for (const p of suite === 'ristretto255' ? [NSPK, NSL] : [NSPK, NSL, STS]) {
      const x = runFlow(p, { suite, seed: 'replay' });
      const y = runFlow(p, { suite, seed: 'replay' });
      const z = runFlow(p, { suite, seed: 'other' });
      expect(JSON.stringify(x.trace)).toBe(JSON.stringify(y.trace));
      expect(hex(x.world.sessions[0]!.values.get('Na') ?? x.world.sessions[0]!.values.get('K'), x.world)).toBe(hex(y.world.sessions[0]!.values.get('Na') ?? y.world.sessions[0]!.values.get('K'), y.world));
      expect(hex(x.world.sessions[0]!.values.get('Na') ?? x.world.sessions[0]!.values.get('K'), x.world)).not.toBe(hex(z.world.sessions[0]!.values.get('Na') ?? z.world.sessions[0]!.values.get('K'), z.world));
    }
  });
});

/** Sets up one session per role and returns the world with the first message pending. */
function start(p: typeof NSPK, suite = 'secp256k1') {
  const w = createWorld(p, { suite: getSuite(suite), seed: 'tamper' });
  for (const r of p.roles) addPrincipal(w, r.principal, [r.id]);
  const binding = Object.fromEntries(p.roles.map((r) => [r.id, r.principal]));
  const [a, b] = p.phases[0]!.roles.map((role) => startSession(w, p.phases[0]!.id, role, binding, 's1'));
  return { w, a: a!, b: b! };
}

/** Delivers honestly until an envelope of `stepId` is pending; returns it. */
function until(w: World, stepId: string) {
  for (;;) {
    const e = w.network.pending()[0];
    if (!e) throw new Error(`no ${stepId} sent`);
    if (e.step === stepId) return e;
    deliver(w, w.network.next()!);
  }
}

describe('a tampered message aborts the right party at the right check', () => {
  test.each(SUITE_NAMES)('NSPK on %s: a flipped ciphertext byte in ns.2 → A aborts at ns.2, pdec fails', (suite) => {
    const { w, a, b } = start(NSPK, suite);
    const e = until(w, 'ns.2');
    const bytes = e.bytes.slice();
    bytes[bytes.length - 5]! ^= 1;
    w.network.adversary.modify(e.id, bytes);
    const out = deliver(w, w.network.next()!);
    expect(out.kind).toBe('aborted');
    expect(a.status).toBe('aborted');
    expect(a.abort).toMatchObject({ kind: 'primitive-failed', phase: 'ns', step: 'ns.2', role: 'A', principal: 'A', check: '(Na, Nb) = pdec(skA, c2)' });
    expect(a.abort!.detail).toMatch(/^pdec: public-key decryption failed/);
    expect(b.status).toBe('waiting'); // B still waits for ns.3, which never comes
    expect(w.tracer.trace.events.at(-1)).toMatchObject({ kind: 'abort', party: 'A', session: 's1' });
  });

  test('NSL: message 2 naming another responder → A aborts at ns.2, the implicit equality check on B', () => {
    const { w, a } = start(NSL);
    const e = until(w, 'ns.2');
    const suite = w.suite;
    const pkA = w.principals.get('A')!.published.get('pkA')!;
    const Na = a.values.get('Na')!;
    const forged = PRIMITIVE_BY_NAME.get('penc')!.eval(
      { suite, rng: w.root, count: () => {} },
      [pkA, { sort: tuple([Na.sort, Na.sort, { kind: 'base', name: 'id' }]), v: [Na, { sort: Na.sort, v: new Uint8Array(32) }, { sort: { kind: 'base', name: 'id' }, v: 'C' }] }],
      { kind: 'base', name: 'pke' },
    );
    expect(forged.ok).toBe(true);
    if (!forged.ok) return;
    const step = NSL.phases[0]!.steps[1]!;
    w.network.adversary.modify(e.id, encodeMessage(suite, step, true, new Map([['c2', forged.value]])).bytes);
    deliver(w, w.network.next()!);
    expect(a.abort).toMatchObject({ kind: 'mismatch', step: 'ns.2', check: '(Na, Nb, B) = pdec(skA, c2)', detail: 'B differs from the value already known' });
  });

  test("STS: B's share replaced by another point → A aborts at sts.2, signature check (Y, X) =? V_pkB(sigB)", () => {
    const { w, a } = start(STS);
    const e = until(w, 'sts.2');
    const suite = w.suite;
    const other = suite.encodePoint(suite.mulG(7n));
    const bytes = e.bytes.slice();
    bytes.set(other, 1); // Y is the first field, after the tag
    w.network.adversary.modify(e.id, bytes);
    deliver(w, w.network.next()!);
    // A derives a different K, so the AEAD fails first: the decryption is where A stops
    expect(a.abort).toMatchObject({ kind: 'primitive-failed', step: 'sts.2', check: 'sigB = D_K(cB)' });
  });

  test('STS: a correct key but a signature over other shares → check-failed at the verification', () => {
    const { w, a, b } = start(STS);
    const e = until(w, 'sts.2');
    // B signs (Y, X') for a different X': re-encrypt under the real K so only the signature check can catch it
    const K = b.values.get('K')!;
    const skB = w.principals.get('B')!.setup.get('B')!.get('skB')!;
    const Y = b.values.get('Y')!;
    const Xp: Value = { sort: Y.sort, v: w.suite.mulG(5n) };
    const ctx = { suite: w.suite, rng: w.root, count: () => {}, ad: new TextEncoder().encode('bantam/v1/aad/sts.2') };
    const sig = PRIMITIVE_BY_NAME.get('sign')!.eval(ctx, [skB, { sort: tuple([Y.sort, Y.sort]), v: [Y, Xp] }], { kind: 'base', name: 'signature' });
    const cB = sig.ok && PRIMITIVE_BY_NAME.get('enc')!.eval(ctx, [K, sig.value], { kind: 'base', name: 'ciphertext' });
    expect(cB && cB.ok).toBe(true);
    if (!cB || !cB.ok) return;
    w.network.adversary.modify(e.id, encodeMessage(w.suite, STS.phases[0]!.steps[1]!, true, new Map([['Y', Y], ['cB', cB.value]])).bytes);
    deliver(w, w.network.next()!);
    expect(a.abort).toMatchObject({ kind: 'check-failed', step: 'sts.2', check: '(Y, X) =? V_pkB(sigB)', role: 'A' });
    const ev = w.tracer.trace.events.filter((x) => x.kind === 'check' && !x.ok);
    expect(ev).toMatchObject([{ party: 'A', step: 'sts.2', name: '(Y, X) =? V_pkB(sigB)' }]);
  });

  test('a wire rejection (bad tag) leaves the session waiting and is traced as reject', () => {
    const { w, b } = start(STS);
    const e = until(w, 'sts.1');
    const bytes = e.bytes.slice();
    bytes[0] = 3;
    w.network.adversary.modify(e.id, bytes);
    const out = deliver(w, w.network.next()!);
    expect(out).toMatchObject({ kind: 'rejected', rejection: { reason: 'wrong-step', step: 'sts.1' } });
    expect(b.status).toBe('waiting');
  });
});

describe('the same files are BAN specs too (one protocol text, several engines)', () => {
  test.each(['nspk', 'nsl', 'sts'])('%s: every BAN goal derives; its messages are tied to flow steps', (n) => {
    const spec = loadSpec(`spec/protocols/${n}.ban`);
    const a = analyse(spec, { whyNot: false });
    expect(a.goals.length).toBeGreaterThan(1);
    expect(a.goals.filter((g) => !g.derived).map((g) => g.label)).toEqual([]);
    const steps = new Set(spec.flow!.phases.flatMap((p) => p.steps.map((s) => s.id)));
    for (const m of spec.messages) for (const c of m.concrete) expect(steps.has(c)).toBe(true);
  });
});

describe("the paper's notation runs: Chen et al. §3.2 and §3.4, equations (1)–(5)", () => {
  const REG = `protocol EMR-registration-excerpt
flow
  options wire tagged
  options aead-ad field-step
  generator P
  participant P "Patient" id ID_PAT = "PAT-1"
  participant BC "Blockchain center" id ID_BC = "CENTER" ledger
  setup
    BC generates s: scalar
    BC computes PK = s·P                                   (1)
    BC publishes PK
  phase registration-patient "Patient registration" §3.4
    participants P, BC
    P knows PK
    registration.1: P -> BC : (ID_PAT: id)  secure
    registration.2: BC -> P : (R_PAT: point, S_PAT: scalar)  secure
      BC generates r_PAT: scalar
      BC computes R_PAT = r_PAT·P                          (2)
      BC computes h_PAT = H1(ID_PAT, R_PAT)                (3)
      BC computes S_PAT = r_PAT + h_PAT·s                  (4)
      P  checks   S_PAT·P =? R_PAT + H1(ID_PAT, R_PAT)·PK  (5)
      P  stores   R_PAT, S_PAT
  phase later "a later phase uses what was stored"
    participants P, BC
    P knows PK
    later.1: P -> BC : (ID_PAT: id, R_PAT: point, T: point)
      P  computes T = S_PAT·P
      BC checks   T =? R_PAT + H1(ID_PAT, R_PAT)·PK
`;
  test.each(SUITE_NAMES)('%s: (5) holds, stored values carry into the next phase, secure steps are sent', (suite) => {
    const p = executableOf(parseSpec('reg.ban', REG)).protocol;
    const r = runFlow(p, { suite, seed: 3, rngLabel: (id) => (id === 'CENTER' ? 'center' : `party:${id}`) });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    const checks = r.trace.events.filter((e) => e.kind === 'check');
    expect(checks.find((e) => e.kind === 'check' && e.eq === 5)).toMatchObject({ party: 'PAT-1', ok: true, name: 'S_PAT·P =? R_PAT + H1(ID_PAT, R_PAT)·PK' });
    expect(checks.filter((e) => e.kind === 'check' && e.party === 'CENTER' && e.name === 'T =? R_PAT + H1(ID_PAT, R_PAT)·PK')).toHaveLength(1);
    expect(r.trace.events.filter((e) => e.kind === 'compute').map((e) => e.kind === 'compute' && e.eq)).toEqual([1, 2, 3, 4]);
    expect(r.trace.roles).toEqual({ CENTER: 'BC', 'PAT-1': 'P' });
  });
});

describe('a primitive refusing its input aborts the session (typed), never the run', () => {
  test('0·G: mulG refuses the zero scalar → primitive-failed at the equation', () => {
    const p = executableOf(parseSpec('zero.ban', 'protocol Zero\nflow\n  phase p\n    p.1: A -> B : (Z: point)\n      A generates x: scalar\n      A computes Z = (x - x)·G     (3)\n')).protocol;
    for (const suite of SUITE_NAMES) {
      const r = runFlow(p, { suite, seed: 1 });
      expect(r.ok).toBe(false);
      expect(r.sessions[0]).toMatchObject({ role: 'A', status: 'aborted', abort: { kind: 'primitive-failed', eq: 3, step: 'p.1', check: 'Z = (x - x)·G' } });
    }
  });
});
