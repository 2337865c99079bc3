import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getSuite, seededRng } from '../src/crypto/index.js';
import { main } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/args.js';
import { saveLedger, sealLedger, serializeLedger } from '../src/ledger/index.js';
import { demoLedger, makeWorld } from '../src/ledger/fixture.js';

const cs = getSuite('secp256k1');
const world = makeWorld(cs, seededRng('cli'));
const L = demoLedger(world).ledger;
const dir = mkdtempSync(join(tmpdir(), 'bantam-ledger-cli-'));
const good = join(dir, 'good.jsonl');
saveLedger(L, good);
const sealed = join(dir, 'sealed.jsonl');
saveLedger(sealLedger(L, cs, world.rng, world.center), sealed);
const tampered = join(dir, 'tampered.jsonl');
writeFileSync(tampered, serializeLedger(L).replace('"diagnosis":"initial diagnosis"', '"diagnosis":"nothing serious"'));
const broken = join(dir, 'broken.jsonl');
writeFileSync(broken, serializeLedger(L).replace('"tx":3,', '"tx":3,,'));
const pkHex = Buffer.from(cs.encodePoint(world.center.publicKey)).toString('hex');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(['ledger', ...argv], io);
  return { code, out, err };
}

describe('bantam ledger verify', () => {
  test('a valid ledger: exit 0, says VALID and its assurance', async () => {
    const r = await cli('verify', good, '--allow-unsealed');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict: VALID/);
    expect(r.out).toMatch(/txs: 7 \(ptins 1, hains 1, hbins 1, mrins 2, ptlink 2\)/);
    expect(r.out).toMatch(/not a consensus protocol/);
    expect(r.out).toMatch(/seal: none/);
  });

  test('--json gives the verdict as data', async () => {
    const r = await cli('verify', sealed, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ command: 'ledger verify', suite: 'secp256k1', length: 7, seal: { length: 7 }, verdict: { ok: true, length: 7, sealed: 7 } });
  });

  test('a tampered ledger: exit 1, naming the tx and line', async () => {
    const r = await cli('verify', tampered);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict: FAILS at tx 3 \(line 5\): stored hash does not match/);
    const j = JSON.parse((await cli('verify', tampered, '--json')).out);
    expect(j.verdict).toMatchObject({ ok: false, index: 3, line: 5, at: 'tx 3' });
  });

  test('unreadable or malformed files: exit 2 with a one-line message, no stack trace', async () => {
    for (const f of [broken, join(dir, 'missing.jsonl')]) {
      const r = await cli('verify', f);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^bantam ledger: /);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    }
    expect((await cli('verify', broken)).err).toMatch(/broken\.jsonl:5: not valid JSON/);
  });

  test('--suite: the file suite by default; another suite or an unknown name is exit 2', async () => {
    expect((await cli('verify', sealed, '--suite', 'secp256k1')).code).toBe(0);
    const other = await cli('verify', good, '--suite', 'p256');
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/written with suite secp256k1, not p256/);
    expect((await cli('verify', good, '--suite', 'rsa')).code).toBe(2);
  });

  test('default: an unsealed ledger fails (1), a sealed one passes (0); --require-seal is the default', async () => {
    const r = await cli('verify', good);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no seal by the center, so a dropped tail would go unnoticed/);
    expect((await cli('verify', good, '--require-seal')).code).toBe(1);
    expect((await cli('verify', sealed)).code).toBe(0);
    expect((await cli('verify', sealed, '--require-seal')).code).toBe(0);
    expect((await cli('verify', good, '--allow-unsealed', '--require-seal')).code).toBe(2);
  });

  test('--center-key pins the trust anchor', async () => {
    expect((await cli('verify', sealed, '--center-key', pkHex)).code).toBe(0);
    const other = Buffer.from(cs.encodePoint(makeWorld(cs, seededRng('x')).center.publicKey)).toString('hex');
    const r = await cli('verify', good, '--center-key', other);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILS at header .*not the expected PK/);
    expect((await cli('verify', good, '--center-key', 'xyz')).code).toBe(2);
  });

  test('bad usage is exit 2', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('frobnicate', good)).code).toBe(2);
    expect((await cli('verify')).code).toBe(2);
    expect((await cli('verify', good, 'extra')).code).toBe(2);
    expect((await cli('verify', good, '--bogus')).code).toBe(2);
    expect((await cli('show', good, '--require-seal')).code).toBe(2);
  });
});

describe('bantam ledger show', () => {
  test('lists every tx and the verdict (exit 0)', async () => {
    const r = await cli('show', sealed);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/#0 +ptins +by CENTER +patientId=PAT-1 detail="patient mobile device" R=/);
    expect(r.out).toMatch(/#3 +mrins +by HPA +diagnosisId=DX-A1 patientId=PAT-1 hospitalId=HPA diagnosis="initial diagnosis" recordDigest=/);
    expect(r.out).toMatch(/verdict: VALID/);
  });

  test('marks the first bad tx of a tampered ledger (exit 1)', async () => {
    const r = await cli('show', tampered);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^!#3 +mrins/m);
  });

  test('--json lists txs with hex fields', async () => {
    const j = JSON.parse((await cli('show', good, '--json')).out);
    expect(j.txs).toHaveLength(7);
    expect(j.txs[5]).toMatchObject({ index: 5, contract: 'mrins', signer: 'HPB', args: { diagnosisId: 'DX-B1' } });
    expect(j.txs[5].hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bantam ledger verify --anchor', () => {
  test('a head printed by one verify is checked by the next', async () => {
    const first = await cli('verify', good, '--allow-unsealed');
    const m = /--anchor (\d+:[0-9a-f]+)/.exec(first.out);
    expect(m).not.toBeNull();
    expect((await cli('verify', good, '--allow-unsealed', '--anchor', m![1]!)).code).toBe(0);
    const cut = join(dir, 'cut.jsonl');
    saveLedger({ ...L, txs: L.txs.slice(0, 6) }, cut);
    expect((await cli('verify', cut, '--allow-unsealed')).code).toBe(0); // weaker mode: the cut alone is not visible
    expect((await cli('verify', cut)).code).toBe(1); // default: no seal, refused
    const r = await cli('verify', cut, '--allow-unsealed', '--anchor', m![1]!);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/truncated: the anchor expects at least 7 txs, the ledger has 6/);
    expect((await cli('verify', good, '--anchor', '7:xyz')).code).toBe(2);
  });
});
