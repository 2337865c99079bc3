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

  test('a refuted experiment (a mutant\'s hunt): exit 1, numbered trace, and its replay command reproduces it', async () => {
    const r = await cli('props', '--only', 'mutant:reused-ephemeral', '--runs', '10', '--seed', '1', '--workers', '1', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    const f = j.results[0].failure;
    expect(f.property).toBe('agreement');
    expect(f.trace[0]).toMatch(/^0\. /);
    expect(f.replay).toMatch(/^bantam props --only mutant:reused-ephemeral --suite secp256k1 --seed 1 --runs 10 --path /);
    const again = await cli(...f.replay.replace(/^bantam /, '').split(' ').map((a: string) => a.replace(/^'(.*)'$/, '$1')), '--workers', '1', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out).results[0].failure.detail).toBe(f.detail);
  });

  test('--backend: campaigns on secp256k1 default to native; text, JSON and replay commands name the backend', async () => {
    const r = await cli('props', '--only', 'mutant:reused-ephemeral', '--suite', 'secp256k1', '--runs', '10', '--seed', '1', '--workers', '1', '--json');
    const j = JSON.parse(r.out);
    expect(j.backend).toBe('native');
    expect(j.results[0].cryptoBackend).toBe('native');
    expect(j.results[0].failure.replay).toMatch(/ --backend native$/);
    const n = await cli('props', '--only', 'mutant:reused-ephemeral', '--suite', 'secp256k1', '--runs', '10', '--seed', '1', '--workers', '1', '--backend', 'noble');
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
    // a retired suite is an unknown experiment, with the list of known ones
    const retired = await cli('props', '--only', 'network');
    expect(retired.code).toBe(2);
    expect(retired.err).toMatch(/unknown experiment 'network'; known: honest-runs, impersonation, compromise, reports, table-1; mutant hunts: mutant:/);
    expect(retired.err).toMatch(/'network' is retired: bantam claims decides its claim by the injective agreements/);
    expect((await cli('props', '--path', '1:2')).code).toBe(2);
    const r = await cli('props', '--runs', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--runs/);
  });
});

describe('bantam claims (no SPEC: spec/emr-flow.ban\'s queries + the scripted campaigns)', () => {
  test('--quick --json: every line computed and labelled with its decider; inter queries not tested, never holds; exit 1', async () => {
    const r = await cli('claims', '--quick', '--runs', '10', '--seed', '2', '--workers', '1', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.quick).toBe(true);
    expect(j.assurance).toMatch(/generic attacker: bounded search .*scripted campaigns: bounded testing/);
    const by = Object.fromEntries(j.lines.map((l: { name: string }) => [l.name, l]));
    // the generic attacker's refutations, from the spec's queries in this run
    expect(by['unlinkability P in initial']).toMatchObject({ verdict: 'refuted', decider: 'generic' });
    expect(by['confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after']).toMatchObject({ verdict: 'refuted', decider: 'generic' });
    expect(by['confidentiality SEK_AP in initial']).toMatchObject({ verdict: 'holds', decider: 'generic' });
    expect(by['confidentiality SEK_AP in initial'].decidedBy).toMatch(/generic, 2 sessions, seed 2/);
    // --quick: the inter phase's searched queries are not tested, with the reason
    const inter = j.lines.filter((l: { name: string }) => / in inter( given |$)/.test(l.name) && !l.name.startsWith('unlinkability'));
    expect(inter).toHaveLength(11);
    for (const l of inter) expect(l).toMatchObject({ verdict: 'not-tested', decider: 'generic', detail: expect.stringMatching(/skipped by --quick/) });
    expect(j.generic.skipped).toHaveLength(11);
    // the scripted campaigns' claims: computed from runs, each with its evidence and why it stays scripted
    const scripted = Object.fromEntries(j.claims.map((c: { id: string }) => [c.id, c]));
    for (const id of ['illegal-device', 'data-integrity', 'replay-resistance', 'compromise-mid-run', 'non-repudiation']) {
      expect(scripted[id].verdict, id).toBe('holds');
      expect(scripted[id].evidence.every((e: { runs: number; seeds: number[]; acceptances: number }) => e.runs === 10 && e.seeds.includes(2) && e.acceptances > 0), id).toBe(true);
      expect(scripted[id].why, id).toBeTruthy();
      expect(by[id]).toMatchObject({ verdict: 'holds', decider: 'scripted' });
    }
    expect(by['ban-proof']).toMatchObject({ verdict: 'n/a', decider: 'none' });
    // the common verdict list: one per line, ok false only for a refutation
    expect(j.verdicts).toHaveLength(j.lines.length);
    expect(j.verdicts.filter((v: { ok: boolean }) => !v.ok).map((v: { name: string }) => v.name).sort()).toEqual(j.lines.filter((l: { verdict: string }) => l.verdict === 'refuted').map((l: { name: string }) => l.name).sort());
  }, 300_000);

  test('text output: one line per query or claim with its decider, the generic report, then the scripted campaigns', async () => {
    const r = await cli('claims', '--quick', '--runs', '10', '--seed', '3', '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^REFUTED\s+unlinkability P in initial\s+§2\.2\.3, §4\.3\s+generic, 2 sessions, seed 3/m);
    expect(r.out).toMatch(/^not tested\s+agreement HA with P on ID_HPB, ID_PAT in inter\s+§3\.7 \(Abstract, §1\)\s+generic attacker: skipped by --quick/m);
    expect(r.out).toMatch(/^holds\s+illegal-device\s+§4\.1 \(scenario\)\s+scripted: impersonation ×10, seed 3/m);
    expect(r.out).toMatch(/── The generic attacker on spec\/emr-flow\.ban ──/);
    expect(r.out).toMatch(/Attack 1 — confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after/);
    expect(r.out).toMatch(/stays scripted: /);
    expect(r.out).toMatch(/refuted \(\d+ by the generic attacker, 0 by a scripted campaign\).*Bounded, not proofs\./);
  }, 300_000);

  test('flags that go with SPEC only, and --quick with SPEC, are bad input (exit 2)', async () => {
    const e = await cli('claims', '--export', 'x');
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/--export goes with SPEC: bantam claims spec\/emr-flow\.ban --export/);
    expect((await cli('claims', 'spec/protocols/nspk.ban', '--quick')).code).toBe(2);
  });
});
