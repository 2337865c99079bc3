/**
 * `bantam run SPEC`, `bantam costs SPEC`, `bantam demo SPEC` on the executable specs: transcript
 * replayable from the seed, JSON with the trace, costs per principal and phase with message sizes
 * on every suite; a spec without a flow or with a flow that does not type-check exits 2 with
 * file:line:col diagnostics — never the EMR model in its place.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
  return { code, out, err };
}

describe('bantam run SPEC', () => {
  test('transcript: same seed ⇒ identical; names the declared options; keys agreed', async () => {
    const a = await cli('run', 'spec/protocols/sts.ban', '--seed', '4');
    const b = await cli('run', 'spec/protocols/sts.ban', '--seed', '4');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toMatch(/^bantam run — STS-flow \(spec\/protocols\/sts\.ban\), executable flow/);
    expect(a.out).toMatch(/wire options: wire tagged \(a one-byte step tag starts every message\), aead-ad field-step \(AEAD associated data = the step carrying the ciphertext\)$/m);
    expect(a.out).toMatch(/sts\.2 +B → A +Y\[33\] cB\[94\] += 128 B/);
    expect(a.out).toMatch(/sts +K +A [0-9a-f]{16} +B [0-9a-f]{16} +→ AGREED/);
    expect(a.out).toMatch(/verdict: every session accepted/);
    expect(a.out).not.toMatch(/EMR|Chen/);
  });

  test('--json carries the trace, sessions and costs; --trace-out writes the trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-flow-'));
    const r = await cli('run', 'spec/protocols/nsl.ban', '--suite', 'p256', '--json', '--trace-out', join(dir, 't.json'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ command: 'run', spec: 'spec/protocols/nsl.ban', suite: 'p256', ok: true, options: { wire: 'tagged', aeadAd: 'none' } });
    expect(j.trace.events.filter((e: { kind: string }) => e.kind === 'send')).toHaveLength(3);
    expect(j.costs.find((c: { phase: string; role: string }) => c.phase === 'ns' && c.role === 'A').ops).toMatchObject({ mulG: 2, mul: 3, aeadEnc: 2, aeadDec: 1 });
    expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).events).toEqual(j.trace.events);
  });

  test('--diagram draws the run (Mermaid text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-flow-d-'));
    const r = await cli('run', 'spec/protocols/nspk.ban', '--diagram', dir, '--render', 'none');
    expect(r.code).toBe(0);
    const mmd = readFileSync(join(dir, 'trace-ns.mmd'), 'utf8');
    expect(mmd).toMatch(/sequenceDiagram/);
    expect(mmd).toMatch(/ns\.2/);
  });

  test('a spec without a flow: exit 2, flow.missing — not the EMR model', async () => {
    const r = await cli('run', 'spec/classic/kerberos.ban');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/spec\/classic\/kerberos\.ban:1:1: error: .*has no flow section.*\(flow\.missing\)/);
  });

  test('a flow that does not type-check: exit 2 with every error at file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-flow-bad-'));
    const file = join(dir, 'bad.ban');
    writeFileSync(file, readFileSync('spec/protocols/sts.ban', 'utf8').replace('B computes K = kdf("sts", y·X)', 'B computes K = kdf("sts", y·Z)').replace('A computes sigA = S_skA(X, Y)', 'A computes sigA = S_pkA(X, Y)'));
    for (const cmd of ['run', 'costs', 'demo']) {
      const r = await cli(cmd, file);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/bad\.ban:\d+:\d+: error: unknown name 'Z'.*\(flow\.unknown-name\)/);
      expect(r.err).toMatch(/error: argument 1 of sign is point, expected scalar \(flow\.sort\)/);
      expect(r.err).toMatch(/\^/);
    }
  });

  test('a protocol whose check fails honestly: exit 1, the FAIL line names the equation, the verdict the step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-flow-fail-'));
    const file = join(dir, 'bad.ban');
    writeFileSync(file, [
      'protocol Bad', 'flow', '  options wire tagged', '  options aead-ad none',
      '  setup', '    A, B share K: key', '    A generates K2: key',
      '  phase p', '    p.1: A -> B : (t: mac)', '      A computes t = mac(K2, A)', '      B checks t =? mac(K, A)     (7)', '',
    ].join('\n'));
    const r = await cli('run', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/B +FAIL \(7\) t =\? mac\(K, A\)/);
    expect(r.out).toMatch(/B +ABORTS session p#1 at \(7\): p\.1: t =\? mac\(K, A\)/);
    expect(r.out).toMatch(/shared keys: none/);
    expect(r.out).toMatch(/verdict: FAILED — B \(B\) aborted p#1 at p\.1: t =\? mac\(K, A\) \(7\) — the two sides differ/);
  });

  test('a flow with prose actions (the EMR flow before it was executable) is reported as not executable, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-prose-'));
    const file = join(dir, 'prose.ban');
    writeFileSync(file, [
      'protocol prose', '', 'flow',
      '  participant BC "Blockchain center" ledger',
      '  phase setup "System initialization" §3.2',
      '    participants BC',
      '    BC stores   (F_p, E/F_p, G, P, PK, H1, H2, H3) as public parameters',
      '',
    ].join('\n'));
    const r = await cli('run', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/prose\.ban:7:\d+: error: not executable: 'BC stores/);
  });

  test('spec/emr-flow.ban is executable: an honest run, exit 0', async () => {
    const r = await cli('run', 'spec/emr-flow.ban', '--suite', 'p256', '--seed', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/every session accepted; every shared key agreed/);
  });
});

describe('bantam costs SPEC / demo SPEC', () => {
  test('costs: op counts per principal and phase, sizes on all three suites', async () => {
    const r = await cli('costs', 'spec/protocols/sts.ban', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.runOk).toBe(true);
    expect(j.sizes.map((s: { suite: string }) => s.suite)).toEqual(['ristretto255', 'secp256k1', 'p256']);
    expect(j.sizes[0].messages.map((m: { size: number }) => m.size)).toEqual([33, 127, 95]);
    const a = j.costs.find((c: { phase: string; role: string }) => c.phase === 'sts' && c.role === 'A');
    expect(a.ops).toMatchObject({ mulG: 1, mul: 1, hash: 1, aeadEnc: 1, aeadDec: 1, sign: 1, verify: 1 });
    expect(a.suiteOps).toMatchObject({ mul: 2, enc: 2, sig: 2 });
    const t = await cli('costs', 'spec/protocols/sts.ban');
    expect(t.out).toMatch(/message sizes in bytes/);
    expect(t.out).toMatch(/total +255 +257 +257/);
  });

  test('demo SPEC: BAN goals derived, runs on every suite, the queries decided by the generic attacker', async () => {
    const r = await cli('demo', 'spec/protocols/nsl.ban');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\. BAN derivation — .*\n {3}ok {3}3\/3 goals derived/);
    expect(r.out.match(/^ {3}ok {3}(ristretto255|secp256k1|p256)/gm)).toHaveLength(3);
    expect(r.out).toMatch(/4\. Queries against a Dolev–Yao attacker derived from the spec — bounded search/);
    expect(r.out.match(/^ {3}holds {2}\S/gm)?.length).toBeGreaterThanOrEqual(6);
    expect(r.out).not.toMatch(/REFUTED/);
  });

  test('demo SPEC with a refuted query (NSPK, Lowe): a finding, exit 1; --accept-findings exit 0 and still lists it', async () => {
    const r = await cli('demo', 'spec/protocols/nspk.ban');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {3}REFUTED {2}injective-agreement B with A on Na, Nb$/m);
    expect(r.out).toMatch(/result: every expectation of the tool held; 3 queries REFUTED/);
    const a = await cli('demo', 'spec/protocols/nspk.ban', '--accept-findings', '--json');
    expect(a.code).toBe(0);
    const j = JSON.parse(a.out) as { ok: boolean; verdicts: { name: string; verdict: string; ok: boolean }[] };
    expect(j.ok).toBe(true);
    expect(j.verdicts.filter((v) => v.verdict === 'refuted').map((v) => v.name)).toEqual(['confidentiality Nb of B', 'agreement B with A on Na, Nb', 'injective-agreement B with A on Na, Nb']);
  });

  test('demo --spec with a protocol of its own is that protocol, not EMR', async () => {
    // STS as written falls to Lowe's identity misbinding (a refuted query: exit 1 without --accept-findings)
    const r = await cli('demo', '--spec', 'spec/protocols/sts.ban', '--accept-findings');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^bantam demo — STS-flow/);
    const k = await cli('demo', '--spec', 'spec/classic/kerberos.ban');
    expect(k.code).toBe(2);
  });

  test('demo SPEC without BAN goals says the derivation is skipped (not faked)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-flow-nogoals-'));
    const file = join(dir, 'sts-flow-only.ban');
    const text = readFileSync('spec/protocols/sts.ban', 'utf8');
    writeFileSync(file, `protocol STS-flow-only\n${text.slice(text.indexOf('\nflow\n') + 1)}`);
    const r = await cli('demo', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\. BAN derivation — skipped: the spec has no goals section/);
  });
});
