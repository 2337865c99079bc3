/**
 * `bantam props` and `bantam claims`: exit codes 0 / 1 / 2, --json, replay commands that replay,
 * progress on stderr, and the statement that these are bounded tests, not proofs. Small run counts:
 * the campaigns themselves are exercised by properties/.
 */
import { describe, expect, test } from 'vitest';
import { cli } from './helpers/cli.js';


describe('bantam props', () => {
  test('a holding experiment: exit 0, table, assurance, the campaign named on stderr', async () => {
    const r = await cli('props', '--only', 'honest-runs', '--runs', '2', '--seed', '11', '--workers', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/honest-runs\s+holds\s+2/);
    expect(r.out).toMatch(/bounded tests .* not proofs/);
    expect(r.out).toContain('base seed 11');
    expect(r.err).toContain('seed 11, 2 runs per experiment');
    // the progress bar is for a terminal only: none into a recorder, pipe or log
    expect(r.err).not.toMatch(/\[[#.]+\]|█|░/);
  });

  test('a refuted experiment: exit 1, numbered trace, and its replay command reproduces it', async () => {
    const r = await cli('props', '--only', 'untraceability', '--runs', '3', '--seed', '4', '--workers', '1', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    const f = j.results[0].failure;
    expect(f.property).toBe('untraceability');
    expect(f.trace[0]).toMatch(/^0\. /);
    expect(f.replay).toMatch(/^bantam props --only untraceability --suite secp256k1 --seed 4 --runs 3 --path /);
    const again = await cli(...f.replay.replace(/^bantam /, '').split(' '), '--workers', '1', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out).results[0].failure.detail).toBe(f.detail);
  });

  test('--backend: campaigns on secp256k1 default to native; text, JSON and replay commands name the backend', async () => {
    const r = await cli('props', '--only', 'untraceability', '--suite', 'secp256k1', '--runs', '2', '--seed', '4', '--workers', '1', '--json');
    const j = JSON.parse(r.out);
    expect(j.backend).toBe('native');
    expect(j.results[0].cryptoBackend).toBe('native');
    expect(j.results[0].failure.replay).toMatch(/ --backend native$/);
    const n = await cli('props', '--only', 'untraceability', '--suite', 'secp256k1', '--runs', '2', '--seed', '4', '--workers', '1', '--backend', 'noble');
    expect(n.out).toMatch(/crypto suite secp256k1 \(backend noble\)/);
    expect(n.out).toMatch(/--backend noble/);
    expect(JSON.parse((await cli('props', '--only', 'honest-runs', '--suite', 'ristretto255', '--runs', '1', '--workers', '1', '--json')).out).backend).toBe('noble'); // ristretto255: no native backend
    expect((await cli('props', '--suite', 'p256', '--backend', 'native')).code).toBe(2);
    expect((await cli('claims', '--backend', 'openssl')).code).toBe(2);
  });

  test('bad input is exit 2 with a one-line reason', async () => {
    expect((await cli('props', '--suite', 'curve25519')).code).toBe(2);
    expect((await cli('props', '--seed', 'abc')).code).toBe(2);
    expect((await cli('props', '--only', 'nonsense')).code).toBe(2);
    expect((await cli('props', '--path', '1:2')).code).toBe(2);
    const r = await cli('props', '--runs', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--runs/);
  });
});

describe('bantam claims', () => {
  test('every claim gets a computed verdict; refutations carry a trace and a replay command; exit 1', async () => {
    const r = await cli('claims', '--runs', '3', '--seed', '2', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.assurance).toMatch(/bounded testing/);
    const by = Object.fromEntries(j.claims.map((c: { id: string; verdict: string }) => [c.id, c]));
    expect(by['user-untraceability'].verdict).toBe('refuted');
    expect(by['user-untraceability'].counterexample.trace.length).toBeGreaterThan(2);
    expect(by['ban-proof'].verdict).toBe('not-tested');
    for (const c of j.claims) {
      expect(['holds', 'refuted', 'not-tested']).toContain(c.verdict);
      if (c.verdict === 'holds') expect(c.evidence.length).toBeGreaterThan(0);
    }
  });

  test('text output: one line per claim, attack traces numbered', async () => {
    const r = await cli('claims', '--runs', '1', '--seed', '3');
    expect(r.out).toMatch(/^REFUTED\s+user-untraceability/m);
    expect(r.out).toMatch(/Attack trace 1 — /);
    expect(r.out).toMatch(/Bounded tests, not proofs\./);
  });
});
