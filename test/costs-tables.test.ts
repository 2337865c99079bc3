/**
 * The Table 2 / Table 3 comparison logic on known inputs (src/costs/table2.ts, table3.ts), and
 * `bantam costs` end to end: counts from the instrumented run, verdicts, exit codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { compareCell, formatCounts } from '../src/costs/table2.js';
import { checkTime, compareTable3, decompositions, paperModelBits, printTime, seconds } from '../src/costs/table3.js';
import { INTER_WORKED_SUM, RATES, TABLE2 } from '../src/costs/paper.js';
import type { TraceEvent } from '../src/net/trace.js';

const check = (eq: number | undefined, name: string): TraceEvent => ({ kind: 'check', seq: 1, party: 'P', phase: 'initial', step: 'initial.4', ...(eq !== undefined ? { eq } : {}), name, ok: true });

describe('Table 2 comparison', () => {
  test('equal counts match; a unit off by the counted conventions is explained; otherwise unexplained', () => {
    const paper = TABLE2.initial.patient!;
    expect(compareCell('initial', 'patient', 'P', { ...paper }, []).verdict).toBe('match');

    // the model counts verification (33) as T_Sig only: one T_Cmp fewer, explained by the trace's check (33)
    const withSigCheck = compareCell('initial', 'patient', 'P', { ...paper, cmp: paper.cmp - 1 }, [check(25, 'CHK'), check(33, 'V')]);
    expect(withSigCheck.verdict).toBe('explained');
    const cmp = withSigCheck.units.find((u) => u.unit === 'cmp')!;
    expect(cmp).toMatchObject({ model: 1, paper: 2, adjusted: 2, verdict: 'explained' });
    expect(cmp.reasons.join(' ')).toMatch(/\(33\)\/\(69\)\/\(73\)/);

    // the same difference with no signature check in the trace is not explained
    expect(compareCell('initial', 'patient', 'P', { ...paper, cmp: paper.cmp - 1 }, [check(25, 'CHK')]).verdict).toBe('unexplained');
    // a difference in another unit is never explained by a Cmp convention
    expect(compareCell('initial', 'patient', 'P', { ...paper, cmp: paper.cmp - 1, mul: 4 }, [check(33, 'V')]).verdict).toBe('unexplained');
  });

  test("the model's extra PK_X = S_X·P comparison in registration is subtracted", () => {
    const paper = TABLE2['reg-patient'].patient!;
    const c = compareCell('reg-patient', 'patient', 'P', { ...paper, cmp: 2 }, [check(5, 'S_PAT·P = ...'), check(undefined, 'PK_X = S_X·P')]);
    expect(c.verdict).toBe('explained');
    expect(c.units.find((u) => u.unit === 'cmp')!.adjusted).toBe(1);
  });

  test("N/A cells: nothing done is n/a; work where the paper says N/A is unexplained", () => {
    expect(compareCell('initial', 'HB', 'HPB', { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0 }, []).verdict).toBe('n/a');
    expect(compareCell('initial', 'HB', 'HPB', { mul: 1, h: 0, cmp: 0, enc: 0, sig: 0 }, []).verdict).toBe('unexplained');
    expect(formatCounts(null)).toBe('N/A');
    expect(formatCounts({ mul: 10, h: 8, cmp: 3, enc: 4, sig: 2 })).toBe('10T_Mul + 8T_H + 3T_Cmp + 4T_Enc + 2T_Sig');
  });
});

describe('Table 3 comparison', () => {
  test('bits under §4.8 sizes from the message schemas: initial and inter reproduce the paper, registration does not', () => {
    expect(paperModelBits('initial').bits).toBe(2816);
    expect(paperModelBits('inter').bits).toBe(5632);
    expect(paperModelBits('inter').classes).toEqual(INTER_WORKED_SUM); // §4.8's own worked sum
    expect(paperModelBits('inter').rounds).toBe(8);
    const reg = compareTable3('reg-patient');
    expect(reg.model.bits).toBe(560);
    expect(reg.bitsMatch).toBe(false);
    expect(reg.roundsMatch).toBe(true);
    expect(reg.reasons.join(' ')).toMatch(/1024×2/);
  });

  test("the paper's printed times agree with bits / rate (e.g. 2528 bits / 14 Mbps, 5632 bits / 20 Gbps)", () => {
    expect(seconds(2528, 14e6) * 1e3).toBeCloseTo(0.18057, 5);
    expect(printTime(seconds(5632, 20e9), 'us')).toBe('0.282 us');
    for (const p of ['reg-patient', 'initial', 'inter'] as const) expect(compareTable3(p).paperTimes.every((t) => t.ok)).toBe(true);
  });

  test('a wrong printed time is flagged, and a truncated one is recognised', () => {
    const bad = checkTime(2528, RATES[0]!, { text: '0.200 ms', value: 0.2, unit: 'ms' });
    expect(bad.ok).toBe(false);
    expect(bad.note).toMatch(/arithmetic error: 2528 bits/);
    // 2539 bits / 20 Gbps = 0.12695 us: 0.127 rounded, 0.126 truncated
    const trunc = checkTime(2539, RATES[2]!, { text: '0.126 us', value: 0.126, unit: 'us' });
    expect(trunc.ok).toBe(false);
    expect(trunc.note).toMatch(/truncated/);
  });

  test('decompositions of a bit count into §4.8 sizes are exact and complete for small counts', () => {
    const ds = decompositions(2528, 6);
    expect(ds).toContainEqual({ n160: 2, n256: 0, n1024: 2, n80: 2 });
    for (const d of ds) expect(d.n160 * 160 + d.n256 * 256 + d.n1024 * 1024 + d.n80 * 80).toBe(2528);
    expect(decompositions(100, 5)).toEqual([]);
  });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['costs', ...argv], { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
  return { code, out, err };
}

describe('bantam costs', () => {
  test('--json: counts from the run, every Table 2 cell matched or explained, Table 3 and sizes per suite', async () => {
    const r = await cli('--json', '--runs', '1', '--seed', '5');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.command).toBe('costs');
    expect(j.runOk).toBe(true);
    expect(j.assurance).toMatch(/measurement, not proof/);
    expect(j.table2Summary).toEqual({ match: 5, explained: 6, unexplained: 0 });
    const hb = j.table2.find((c: { phase: string; role: string }) => c.phase === 'inter' && c.role === 'HB');
    expect(hb.model).toEqual({ mul: 10, h: 8, cmp: 2, enc: 4, sig: 2 });
    expect(j.table3.map((t: { bitsMatch: boolean }) => t.bitsMatch)).toEqual([false, false, false, true, true]);
    expect(j.realSizes.map((s: { suite: string }) => s.suite).sort()).toEqual(['p256', 'ristretto255', 'secp256k1']);
    expect(j.timing.length).toBeGreaterThanOrEqual(11);
  });

  test('--markdown renders the tables; bad flags exit 2', async () => {
    const md = await cli('--markdown', '--runs', '1', '--suite', 'p256');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/### Table 2/);
    expect(md.out).toMatch(/\| Initial Treatment \(§3\.6\) \| Patient \(PAT-1\) \| 5T_Mul \+ 4T_H \+ 2T_Cmp/);
    expect((await cli('--suite', 'nope')).code).toBe(2);
    expect((await cli('--runs', '0')).code).toBe(2);
    expect((await cli('--json', '--markdown')).code).toBe(2);
  });
});

describe('docs/costs.md', () => {
  test('the committed Table 2 / Table 3 / sizes block is what `bantam costs --markdown` generates now (times excluded)', async () => {
    const gen = await cli('--markdown', '--runs', '1');
    const doc = readFileSync(new URL('../docs/costs.md', import.meta.url), 'utf8');
    const cut = (t: string) => t.slice(t.indexOf('### Table 2'), t.indexOf('### Measured time'));
    expect(cut(doc).length).toBeGreaterThan(1000);
    expect(cut(doc)).toBe(cut(gen.out));
  });
});
