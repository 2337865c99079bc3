/**
 * Honest runs of the whole scenario (§3.2–3.7) on every suite: all sessions accept, the session
 * keys agree (compared byte for byte), every equation (1)–(73) is evaluated exactly where the
 * step table says, the ledger holds the expected index and verifies, and the op counts per party
 * and phase are the measured Table 2 units.
 */
import { describe, expect, test } from 'vitest';
import { SUITE_NAMES, getSuite, type Point } from '../src/crypto/index.js';
import { mrchk, ptchk } from '../src/ledger/index.js';
import { EQ_STEP, runScenario, type ScenarioResult } from '../src/model/index.js';

const runs = new Map<string, ScenarioResult>();
const run = (suite: string): ScenarioResult => {
  let r = runs.get(suite);
  if (!r) runs.set(suite, (r = runScenario({ suite, seed: 'honest' })));
  return r;
};

describe.each(SUITE_NAMES)('honest scenario on %s', (suite) => {
  test('every session accepts and the three session keys agree', () => {
    const r = run(suite);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.agreements.map((a) => [a.key, a.agreed])).toEqual([
      ['SEK_AP', true],
      ['SEK_BP', true],
      ['SEK_AB', true],
    ]);
    expect(r.results.every((x) => x.kind === 'ok')).toBe(true);
    const accepts = r.trace.events.filter((e) => e.kind === 'accept');
    // center ×3 + party ×3 (registration), HPA + PAT (initial), HPA, HPB ×2, PAT (inter)
    expect(accepts).toHaveLength(12);
    expect(r.trace.events.some((e) => e.kind === 'abort' || e.kind === 'reject')).toBe(false);
  });

  test('each equation 1..73 is evaluated in the step the step table assigns it', () => {
    const r = run(suite);
    const seen = new Map<number, string>();
    for (const e of r.trace.events) {
      if ((e.kind === 'compute' || e.kind === 'check') && e.eq !== undefined) seen.set(e.eq, e.step);
    }
    // Registration runs one of (2)-(5), (6)-(9), (10)-(13) per party: all three kinds registered here.
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
    for (const [eq, step] of seen) expect(step, `eq ${eq}`).toBe(EQ_STEP.get(eq));
  });

  test('hospitals hold the EMRs, the ledger holds only their index, the patient holds both reports', () => {
    const r = run(suite);
    const sys = r.system;
    const pat = sys.parties.get('PAT-1')!;
    const ha = sys.parties.get('HPA')!;
    const hb = sys.parties.get('HPB')!;
    expect(pat.store.reports.map((x) => x.emr.diagnosisId)).toEqual(['HPA-D1', 'HPB-D1']);
    expect([...ha.store.records.keys()]).toEqual(['HPA-D1']);
    expect([...hb.store.records.keys()].sort()).toEqual(['HPA-D1', 'HPB-D1']);
    const own = hb.store.records.get('HPB-D1')!.emr;
    expect(own.previous?.diagnosisId).toBe('HPA-D1');
    expect(r.ledger).toEqual({ txs: 7, verified: true });
    expect(sys.ledger.txs.map((t) => t.contract)).toEqual(['ptins', 'hains', 'hbins', 'mrins', 'ptlink', 'mrins', 'ptlink']);
    expect(ptchk(sys.ledger, 'PAT-1').records).toEqual(['HPA-D1', 'HPB-D1']);
    const idx = mrchk(sys.ledger, 'HPA-D1');
    expect(Buffer.from(idx.record!.recordDigest)).toEqual(Buffer.from(ha.store.records.get('HPA-D1')!.digest));
    // the EMR text is not on the ledger
    const ledgerText = JSON.stringify(sys.ledger.txs, (_k, v) => (v instanceof Uint8Array ? '' : typeof v === 'bigint' ? v.toString() : v));
    expect(ledgerText).not.toContain(own.diagnosis);
  });

  test('op counts per party and phase (Table 2 units, measured)', () => {
    const r = run(suite);
    const c = (party: string, phase: string) => r.costs.find((x) => x.party === party && x.phase === phase)!.ops;
    // Table 2 T_Mul / T_H / T_Enc / T_Sig for the protocol phases
    expect([c('HPA', 'initial').mul, c('HPA', 'initial').h, c('HPA', 'initial').enc, c('HPA', 'initial').sig]).toEqual([5, 4, 2, 1]);
    expect([c('PAT-1', 'initial').mul, c('PAT-1', 'initial').h, c('PAT-1', 'initial').enc, c('PAT-1', 'initial').sig]).toEqual([5, 4, 2, 1]);
    expect([c('HPB', 'inter').mul, c('HPB', 'inter').h, c('HPB', 'inter').enc, c('HPB', 'inter').sig]).toEqual([10, 8, 4, 2]);
    expect([c('HPA', 'inter').mul, c('HPA', 'inter').h, c('HPA', 'inter').enc, c('HPA', 'inter').sig]).toEqual([5, 4, 2, 1]);
    expect([c('PAT-1', 'inter').mul, c('PAT-1', 'inter').h, c('PAT-1', 'inter').enc, c('PAT-1', 'inter').sig]).toEqual([5, 4, 2, 1]);
    // registration: center 2 T_Mul + 1 T_H per party; party 2 T_Mul + 1 T_H
    expect([c('CENTER', 'registration').mul, c('CENTER', 'registration').h]).toEqual([6, 3]);
    expect([c('PAT-1', 'registration').mul, c('PAT-1', 'registration').h]).toEqual([2, 1]);
    const bits = r.costs.filter((x) => x.phase === 'inter').reduce((n, x) => n + x.bitsSent, 0);
    const sent = r.trace.events.filter((e) => e.kind === 'send' && e.phase === 'inter').reduce((n, e) => n + (e.kind === 'send' ? e.size : 0), 0);
    expect(bits).toBe(8 * sent);
  });
});

test('same seed, same transcript; another seed, other randomness', () => {
  const strip = (r: ScenarioResult) => JSON.stringify(r.trace);
  const a = runScenario({ suite: 'secp256k1', seed: 42 });
  const b = runScenario({ suite: 'secp256k1', seed: 42 });
  const c = runScenario({ suite: 'secp256k1', seed: 43 });
  expect(strip(a)).toBe(strip(b));
  // wire bytes identical too
  const bytes = (r: ScenarioResult) => r.system.net.pending().length + ':' + [...Array(r.trace.events.length).keys()].map((i) => r.system.net.get(i + 1)).filter(Boolean).map((e) => Buffer.from(e!.bytes).toString('hex')).join(',');
  expect(bytes(a)).toBe(bytes(b));
  expect(bytes(a)).not.toBe(bytes(c));
});

test('the verdict is computed: with a broken H2 (not a function of its inputs) the run fails at (25)', () => {
  const base = getSuite('secp256k1');
  let n = 0;
  const broken = { ...base, H2: (K1: Point, K2: Point) => { const k = base.H2(K1, K2); k[0] = k[0]! ^ (n++ & 1); return k; } };
  const r = runScenario({ suite: broken, seed: 'broken' });
  expect(r.ok).toBe(false);
  expect(r.failures[0]).toMatch(/PAT-1 aborted at initial.2: CHK_PA = H3\(SEK_AP, T_PAT\) \(25\)/);
  expect(r.agreements[0]).toMatchObject({ key: 'SEK_AP', agreed: false });
});
