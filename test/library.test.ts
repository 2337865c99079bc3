import { describe, expect, test } from 'vitest';
import * as bantam from '../src/index.js';

describe('bantam as a library (src/index.ts)', () => {
  test('spec → BAN analysis through the public entry point', () => {
    const a = bantam.analyse(bantam.loadSpec('spec/emr-corrected.ban'));
    const g1 = a.goals.find((g) => g.label === 'G1');
    expect(g1?.derived).toBe(true);
    expect(bantam.toMarkdown(a)).toMatch(/G1/);
  });

  test('parseSpec reports bad input as a UserError with positions', () => {
    expect(() => bantam.parseSpec('x.ban', 'protocol X\nprincipals A\ngoals\n  G1: A |= #(Q)\n')).toThrow(bantam.UserError);
    try {
      bantam.parseSpec('x.ban', 'protocol X\nprincipals A\ngoals\n  G1: A |= #(Q)\n');
    } catch (e) {
      expect((e as bantam.UserError).diagnostics[0]?.pos.line).toBe(4);
    }
  });

  test('the fast key agreement gives the straightforward session keys; the cost report compares Table 2', () => {
    const suite = bantam.getSuite('secp256k1');
    const worldOf = (make: Parameters<typeof bantam.buildWorld>[1]) => {
      const root = bantam.seededRng('library-ka');
      return bantam.buildWorld(suite, make, (l) => bantam.forkRng(root, l));
    };
    const naive = worldOf((s, PK) => bantam.naiveKeyAgreement(s, PK));
    let tables: bantam.DeviceTables | undefined;
    const fast = worldOf((s, PK) => bantam.fastKeyAgreement(s, PK, { gWindow: 0 }, bantam.createPeerCache(), (tables ??= bantam.deviceTables(s, PK, { gWindow: 0 }))));
    const a = bantam.initialPhase(naive.P, naive.HA);
    const b = bantam.initialPhase(fast.P, fast.HA);
    expect(a.ok && b.ok).toBe(true);
    expect(Buffer.from(b.SEK.patient).toString('hex')).toBe(Buffer.from(a.SEK.patient).toString('hex'));
    const report = bantam.buildCostsReport({ suite: 'secp256k1', runs: 1 });
    expect(report.runOk).toBe(true);
    expect(report.table2Summary).toEqual({ match: 5, explained: 6, unexplained: 0 }); // as docs/costs.md reports
    expect(bantam.costsToText(report)).toMatch(/Table 2/);
  });

  test('one honest protocol run on every suite through the public entry point', () => {
    for (const suite of bantam.SUITE_NAMES) {
      const r = bantam.runScenario({ suite, seed: 11 });
      expect(r.ok).toBe(true);
      expect(r.agreements.map((k) => k.agreed)).toEqual([true, true, true]);
    }
  });
});
