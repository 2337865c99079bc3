/**
 * Attacks as tests (issue 14): `bantam claims SPEC --export DIR` writes each confirmed attack as a
 * standalone vitest file. The project ships the exported NSPK attacks (test/attacks/nspk/, run by
 * this suite: they pass while NSPK is vulnerable). Here: the shipped files are exactly what the
 * command writes today, and each one's scenario no longer violates its query on the fixed protocol
 * (NSL, same phase and step ids), so the exported test fails once the protocol is fixed.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { attackContext, execute, judgeQuery, queriesOf, type Scenario } from '../src/attacker/index.js';
import { getSuite } from '../src/crypto/index.js';
import { loadExecutable } from '../src/interpret/load.js';
import { cli } from './helpers/cli.js';
import { exportedAttack } from './helpers/exported-attack.js';

const SHIPPED = 'test/attacks/nspk';
const files = readdirSync(SHIPPED).filter((f) => f.endsWith('.test.ts')).sort();


describe('bantam claims SPEC --export: attacks as tests', () => {
  test('the shipped NSPK attack tests are what the command writes today (one per refuted query)', async () => {
    expect(files).toEqual(['attack-1.test.ts', 'attack-2.test.ts', 'attack-3.test.ts']);
    const dir = mkdtempSync(join(tmpdir(), 'bantam-export-'));
    const r = await cli('claims', 'spec/protocols/nspk.ban', '--export', dir, '--import-from', '../../../src/index.js');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/attack tests written: .*attack-1\.test\.ts/);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(SHIPPED, f), 'utf8'));
  }, 120_000);

  test.each(files)('%s violates its query on NSPK and not on the fixed protocol (NSL): the exported test fails once fixed', (f) => {
    const e = exportedAttack(readFileSync(join(SHIPPED, f), 'utf8'));
    const verdict = (specPath: string) => {
      const { spec, protocol } = loadExecutable(specPath);
      const q = queriesOf(spec, protocol).find((x) => x.text === e.query);
      expect(q, `${specPath} has the query '${e.query}'`).toBeDefined();
      const ctx = attackContext(protocol, getSuite(e.suite), e.seed);
      return judgeQuery(ctx, q!, execute(ctx, e.scenario)).violated;
    };
    expect(verdict('spec/protocols/nspk.ban')).toBe(true);
    expect(verdict('spec/protocols/nsl.ban')).toBe(false);
  });
});
