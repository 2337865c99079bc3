/**
 * `bantam run`: the transcript replays byte for byte from the seed, states its assurance, reports
 * key agreement and op counts; --json carries the whole trace; --save-ledger writes a ledger that
 * verifies; bad input exits 2.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { main } from '../src/cli/main.js';
import { loadLedger, verifyLedger } from '../src/ledger/index.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['run', ...argv], { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
  return { code, out, err };
}

describe('bantam run', () => {
  test('same seed ⇒ identical transcript; another seed ⇒ different keys', async () => {
    const a = await cli('--seed', '7');
    const b = await cli('--seed', '7');
    const c = await cli('--seed', '8');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
    expect(a.out).toMatch(/assurance: one honest execution/);
    expect(a.out).toMatch(/SEK_AP .* → AGREED/);
    expect(a.out).toMatch(/SEK_AB .* → AGREED/);
    expect(a.out).toMatch(/#\d+ +initial\.1 +PAT-1 → HPA  ID_PAT\[6\] R_PAT\[33\] T_PAT\[33\]  = 73 B/);
    expect(a.out).toMatch(/PAT-1 +ok +\(25\) CHK_PA = H3\(SEK_AP, T_PAT\)/);
    expect(a.out).toMatch(/inter +HPB +10 Mul \+ 8 H/);
    expect(a.out).toMatch(/verdict: every session accepted; every session key agreed/);
  });

  test('--json: the full trace and results; replayable', async () => {
    const a = await cli('--json', '--suite', 'p256', '--seed', '3');
    const b = await cli('--json', '--suite', 'p256', '--seed', '3');
    expect(a.out).toBe(b.out);
    const j = JSON.parse(a.out);
    expect(j).toMatchObject({ command: 'run', suite: 'p256', seed: 3, ok: true, ledger: { txs: 7, verified: true } });
    expect(j.agreements.map((x: { agreed: boolean }) => x.agreed)).toEqual([true, true, true]);
    const kinds = new Set(j.trace.events.map((e: { kind: string }) => e.kind));
    for (const k of ['send', 'deliver', 'compute', 'check', 'contract', 'accept']) expect(kinds.has(k), k).toBe(true);
    const sends = j.trace.events.filter((e: { kind: string }) => e.kind === 'send');
    expect(sends).toHaveLength(18); // 3 × 2 registration + 4 initial + 8 inter
    expect(j.trace.roles).toEqual({ CENTER: 'center', 'PAT-1': 'patient', HPA: 'hospital', HPB: 'hospital' });
  });

  test('--save-ledger writes a ledger that verifies under the run\'s suite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-run-'));
    const file = join(dir, 'ledger.json');
    const r = await cli('--suite', 'ristretto255', '--save-ledger', file);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(100);
    const l = loadLedger(file, (n) => getSuite(n));
    expect(l.txs.map((t) => t.contract)).toEqual(['ptins', 'hains', 'hbins', 'mrins', 'ptlink', 'mrins', 'ptlink']);
    expect(verifyLedger(l, getSuite('ristretto255')).ok).toBe(true);
  });

  test('--backend native: the output names the backend; everything else is byte-identical to noble', async () => {
    const n = await cli('--json', '--seed', '5');
    const f = await cli('--json', '--seed', '5', '--backend', 'native');
    expect(JSON.parse(n.out).backend).toBe('noble');
    expect(JSON.parse(f.out).backend).toBe('native');
    const strip = (t: string) => ({ ...JSON.parse(t), backend: undefined });
    expect(strip(f.out)).toEqual(strip(n.out));
    const text = await cli('--backend', 'native');
    expect(text.out).toMatch(/^suite secp256k1 \(backend native\): .*libsecp256k1/m);
    expect((await cli()).out).toMatch(/^suite secp256k1 \(backend noble\): /m);
    const bad = await cli('--suite', 'p256', '--backend', 'native');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no native backend/);
    expect((await cli('--backend', 'openssl')).err).toMatch(/unknown crypto backend 'openssl'/);
  });

  test('bad input exits 2 with a one-line message', async () => {
    expect(await cli('--suite', 'nope')).toMatchObject({ code: 2 });
    expect((await cli('--suite', 'nope')).err).toMatch(/unknown crypto suite 'nope'/);
    expect((await cli('--frobnicate')).code).toBe(2);
    expect((await cli('extra')).code).toBe(2);
  });
});
