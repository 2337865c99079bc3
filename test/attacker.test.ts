/**
 * The generic Dolev–Yao attacker (src/attacker) on the library's specs, from the spec alone:
 *  - NSPK: Lowe's man in the middle — the responder's (injective) agreement and the secrecy of
 *    Nb are refuted, each by an attack that replays from its record; the initiator's side holds;
 *  - NSL, the same queries within the same bound: all hold, the bound covered;
 *  - canary: Denning–Sacco PK refuted (Abadi–Needham), its fix holds;
 *  - a vacuous or cut-short search is never "holds"; query syntax errors are positioned diagnostics.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { attackContext, candidates, execute, judgeQuery, parseQueries, queriesOf, searchAttacks, type SearchReport } from '../src/attacker/index.js';
import { getSuite } from '../src/crypto/index.js';
import { executableOf, loadExecutable } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { main } from '../src/cli/main.js';

const SUITE = 'secp256k1';

function verdictOf(r: SearchReport, text: string) {
  const v = r.verdicts.find((x) => x.query.text === text);
  if (!v) throw new Error(`no query '${text}'`);
  return v;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
  return { code, out, err };
}

describe('NSPK: Lowe\'s attack found from the spec alone', () => {
  const { spec, protocol } = loadExecutable('spec/protocols/nspk.ban');
  const queries = queriesOf(spec, protocol);
  let r: SearchReport;
  beforeAll(() => {
    r = searchAttacks(protocol, queries, { suite: SUITE, seed: '1' });
  }, 180_000);

  test('the responder\'s agreement (both kinds) and the secrecy of Nb are refuted; the initiator\'s side holds', () => {
    expect(r.exhausted).toBe(true);
    expect(r.unconfirmed).toEqual([]);
    for (const q of ['confidentiality Nb of B', 'agreement B with A on Na, Nb', 'injective-agreement B with A on Na, Nb']) expect(verdictOf(r, q).status).toBe('refuted');
    for (const q of ['confidentiality Na of A', 'agreement A with B on Na, Nb', 'injective-agreement A with B on Na, Nb']) expect(verdictOf(r, q).status).toBe('holds');
  });

  test('the attack is a man in the middle: A talks to M, and an honest B session is fooled', () => {
    const a = verdictOf(r, 'injective-agreement B with A on Na, Nb').attack!;
    const [toM, fooled] = [a.scenario.config.find((s) => s.role === 'A' && s.binding.B === r.attacker), a.scenario.config.find((s) => s.role === 'B')];
    expect(toM).toBeDefined();
    expect(fooled && Object.values(fooled.binding).every((p) => p !== r.attacker)).toBe(true);
    // the attacker re-encrypts A's nonce for B and then B's nonce, through the table's penc
    expect(a.scenario.moves.filter((m) => m.fields.some((f) => f.recipe.kind === 'build' && f.recipe.prim === 'penc'))).toHaveLength(2);
    expect(a.story.flat().join('\n')).toMatch(/attacker learns Nb#\d+ .* pdec\(skB@Attacker#\d+, c3#\d+\)/);
  });

  test('every attack replays from its record at the same seed, on the plain suite, and violates its query again', () => {
    for (const v of r.verdicts.filter((x) => x.attack)) {
      const ctx = attackContext(protocol, getSuite(SUITE), '1');
      const st = execute(ctx, v.attack!.scenario);
      expect(judgeQuery(ctx, v.query, st).violated).toBe(true);
      // and the same scenario without its last move no longer ends in an accepted fooled session (agreement) — the moves matter
      if (v.query.kind === 'agreement') {
        const cut = execute(ctx, { ...v.attack!.scenario, moves: v.attack!.scenario.moves.slice(0, -1) });
        expect(judgeQuery(ctx, v.query, cut).violated).toBe(false);
      }
    }
  });

  test('deterministic from the seed: the same seed gives the same first attack, state for state', () => {
    const a = searchAttacks(protocol, queries, { suite: SUITE, seed: '7', stopAtFirst: true });
    const b = searchAttacks(protocol, queries, { suite: SUITE, seed: '7', stopAtFirst: true });
    const strip = (x: SearchReport) => x.verdicts.map((v) => ({ s: v.status, n: v.attack?.foundAfterStates, sc: v.attack?.scenario, story: v.attack?.story }));
    expect(a.states).toBe(b.states);
    expect(JSON.stringify(strip(a))).toBe(JSON.stringify(strip(b)));
    expect(a.verdicts.some((v) => v.status === 'refuted')).toBe(true);
  });

  test('a vacuous search is never "holds": with no deliveries no session accepts, so agreement is not tested', () => {
    const z = searchAttacks(protocol, queries, { suite: SUITE, seed: '1', bound: { depth: 0 } });
    expect(verdictOf(z, 'agreement B with A on Na, Nb')).toMatchObject({ status: 'not-tested', reason: expect.stringMatching(/vacuous/) });
    expect(verdictOf(z, 'injective-agreement A with B on Na, Nb').status).toBe('not-tested');
  });

  test('a crashed search is never "holds": every query is not tested, with the crash as the reason', () => {
    const broken = { ...getSuite(SUITE), mul: () => { throw new Error('injected fault'); } };
    const z = searchAttacks(protocol, queries, { suite: broken, seed: '1' });
    expect(z.exhausted).toBe(false);
    for (const v of z.verdicts) expect(v).toMatchObject({ status: 'not-tested', reason: expect.stringMatching(/the search crashed .*injected fault/) });
  });

  test('a search cut short by its budget leaves the rest not tested', () => {
    const z = searchAttacks(protocol, queries, { suite: SUITE, seed: '1', bound: { maxStates: 3 } });
    expect(z.exhausted).toBe(false);
    expect(z.verdicts.every((v) => v.status === 'not-tested')).toBe(true);
    expect(verdictOf(z, 'confidentiality Na of A').reason).toMatch(/budget of 3 states/);
  });
});

describe('docs/properties.md: the NSPK example is real output', () => {
  test('every line of the documented run (timings aside) is what `bantam claims spec/protocols/nspk.ban --seed 4` prints', async () => {
    const doc = readFileSync('docs/properties.md', 'utf8');
    const block = /Lowe's attack, found from[\s\S]*?```\n([\s\S]*?)```/.exec(doc)![1]!;
    const c = await cli('claims', 'spec/protocols/nspk.ban', '--seed', '4');
    expect(c.code).toBe(1);
    const norm = (t: string) => t.replace(/\d+\.\d+ s\b/g, 'T s');
    const out = norm(c.out);
    const lines = block.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '…');
    expect(lines.length).toBeGreaterThan(15);
    for (const l of lines) expect(out).toContain(norm(l));
  }, 120_000);
});

describe('NSL: the same queries hold within the same bound', () => {
  test('all six hold, the bound covered, nothing unconfirmed', () => {
    const { spec, protocol } = loadExecutable('spec/protocols/nsl.ban');
    const r = searchAttacks(protocol, queriesOf(spec, protocol).filter((q) => q.kind !== 'unlinkability'), { suite: SUITE, seed: '1' });
    expect(r.exhausted).toBe(true);
    expect(r.verdicts.map((v) => v.status)).toEqual(Array(6).fill('holds'));
    expect(r.configurations.explored).toBe(r.configurations.total);
    expect(r.states).toBeGreaterThan(100);
  }, 180_000);
});

describe('canary: Denning–Sacco public key', () => {
  test('flawed: B\'s key is learnt and B\'s agreement refuted (Abadi–Needham); CLI exit 1 with a numbered trace', async () => {
    const c = await cli('claims', 'spec/protocols/denning-sacco-pk.ban', '--seed', '3');
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/^REFUTED +confidentiality Kab of B +— attack 1 \(seed 3, 2 sessions, confirmed on replay/m);
    expect(c.out).toMatch(/^REFUTED +agreement B with A on Kab/m);
    expect(c.out).toMatch(/^holds +confidentiality Kab of A +— holds within the bound \(2 sessions, \d+ states, seed 3\)/m);
    expect(c.out).toMatch(/bound: 2 sessions per configuration/);
    expect(c.out).toMatch(/^ +\d+\. ds\.1: attacker \(as .*\) → .*: c = penc\(pkB@\w+#\d+, \(Kab#\d+, sA#\d+\)\)/m);
  }, 120_000);

  test('--json: each attack record is self-contained — parsed back, it replays and violates its query again', async () => {
    const c = await cli('claims', 'spec/protocols/denning-sacco-pk.ban', '--json', '--seed', '5');
    expect(c.code).toBe(1);
    const j = JSON.parse(c.out);
    const { spec, protocol } = loadExecutable('spec/protocols/denning-sacco-pk.ban');
    const queries = queriesOf(spec, protocol);
    const refuted = j.queries.filter((q: { verdict: string }) => q.verdict === 'refuted');
    expect(refuted.length).toBe(2);
    for (const q of refuted) {
      const ctx = attackContext(protocol, getSuite(j.suite), j.seed);
      const st = execute(ctx, q.attack.scenario);
      expect(judgeQuery(ctx, queries.find((x) => x.text === q.query)!, st).violated).toBe(true);
    }
  }, 120_000);

  test('fixed: every query holds within the bound; --json carries the bound and seed; exit 0', async () => {
    const c = await cli('claims', 'spec/protocols/denning-sacco-pk-fixed.ban', '--json');
    expect(c.code).toBe(0);
    const j = JSON.parse(c.out);
    expect(j).toMatchObject({ seed: 1, suite: SUITE, exhausted: true, bound: { sessions: 2 } });
    expect(j.queries.map((q: { verdict: string }) => q.verdict)).toEqual(['holds', 'holds', 'holds', 'holds']);
  }, 120_000);
});

describe('moves: the attacker re-makes signatures with the spec\'s own construction', () => {
  test('B expecting A = M accepts a key signed by M with its own skA, re-encrypted for B — built by the table\'s sign and penc', () => {
    const { protocol } = loadExecutable('spec/protocols/denning-sacco-pk.ban');
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const config = [{ phase: 'ds', role: 'B', binding: { A: ctx.attacker, B: 'B' } }];
    const st = execute(ctx, { config, moves: [] });
    const forged = candidates(ctx, st, 0, 64).moves.filter((m) => JSON.stringify(m).includes('"forge":"sign"'));
    expect(forged.length).toBeGreaterThan(0);
    const outcomes = forged.map((m) => execute(ctx, { config, moves: [m] }));
    const ok = outcomes.filter((o) => o.sessions[0]!.status === 'accepted');
    expect(ok.length).toBeGreaterThan(0);
    // a signature under M's key over the attacker's own fresh key: B now holds K_M as Kab
    const kab = ok[0]!.sessions[0]!.values.get('Kab')!;
    expect(ok[0]!.knowledge.find(kab)).toBeDefined();
  });
});

describe('canary: ISO 9798-4 MAC challenge–response', () => {
  test('as specified (identities inside the MACs) every agreement holds; without them, the reflection attack is found', () => {
    const text = readFileSync('spec/protocols/mac-challenge-response.ban', 'utf8');
    const good = executableOf(parseSpec('mac-cr.ban', text));
    const r = searchAttacks(good.protocol, queriesOf(good.spec, good.protocol), { suite: SUITE, seed: '1' });
    expect(r.verdicts.filter((v) => v.query.kind === 'agreement').map((v) => v.status)).toEqual(['holds', 'holds', 'holds', 'holds']);
    const noIds = text.replaceAll('mac(Kab, (Na, Nb, A))', 'mac(Kab, (Na, Nb))').replaceAll('mac(Kab, (Nb, Na, B))', 'mac(Kab, (Nb, Na))');
    expect(noIds).not.toBe(text);
    const bad = executableOf(parseSpec('mac-cr-noid.ban', noIds));
    const m = searchAttacks(bad.protocol, queriesOf(bad.spec, bad.protocol), { suite: SUITE, seed: '1' });
    const a = verdictOf(m, 'agreement A with B on Na, Nb');
    expect(a.status).toBe('refuted');
    // reflection: A's own responder session (A as B) answers A's challenge
    expect(a.attack!.scenario.config.some((s) => s.role === 'B' && s.binding.B === 'A')).toBe(true);
    expect(m.exhausted).toBe(false); // it stopped once everything was refuted, and says so
  }, 120_000);
});

describe('canary: ISO 9798-3 signatures', () => {
  test('as specified every agreement holds; without the peer\'s identity under the signatures, A\'s agreement falls to a relay through M', () => {
    const text = readFileSync('spec/protocols/iso9798-3.ban', 'utf8');
    const good = executableOf(parseSpec('iso.ban', text));
    const r = searchAttacks(good.protocol, queriesOf(good.spec, good.protocol), { suite: SUITE, seed: '1' });
    expect(r.verdicts.map((v) => v.status)).toEqual(['holds', 'holds', 'holds', 'holds']);
    const noIds = text.replaceAll('(Na, Nb, A)', '(Na, Nb)').replaceAll('(Nb, Na, B)', '(Nb, Na)');
    const bad = executableOf(parseSpec('iso-noid.ban', noIds));
    const m = searchAttacks(bad.protocol, queriesOf(bad.spec, bad.protocol), { suite: SUITE, seed: '1', stopAtFirst: true });
    const a = verdictOf(m, 'agreement A with B on Na, Nb');
    expect(a.status).toBe('refuted');
    // B answered a session it believes is with M; A accepted B's signed answer as meant for itself
    expect(a.attack!.scenario.config.some((s) => s.role === 'B' && s.binding.A === m.attacker)).toBe(true);
  }, 120_000);
});

describe('station-to-station: Lowe\'s identity misbinding', () => {
  test('A completes with B while B was running with M: the initiator\'s agreement is refuted', () => {
    const { spec, protocol } = loadExecutable('spec/protocols/sts.ban');
    const r = searchAttacks(protocol, queriesOf(spec, protocol), { suite: SUITE, seed: '1', stopAtFirst: true });
    const a = verdictOf(r, 'agreement A with B on X, Y, K');
    expect(a.status).toBe('refuted');
    const cfg = a.attack!.scenario.config;
    expect(cfg.some((s) => s.role === 'A' && s.binding.B === 'B')).toBe(true);
    expect(cfg.some((s) => s.role === 'B' && s.binding.A === r.attacker)).toBe(true);
  }, 120_000);
});

describe('--attacker-sessions: M runs a role through the interpreter and owns its values', () => {
  test('STS with A\'s signature check removed: A\'s key leaks — to M\'s own responder session, and without M\'s sessions through a point M knows the discrete log of', () => {
    const text = readFileSync('spec/protocols/sts.ban', 'utf8');
    const mutant = text.replace(/\n +A checks \(Y, X\) =\? V_pkB\(sigB\)/, '').replace(/\nqueries\n(?: [^\n]*\n)+/, '\nqueries\n  confidentiality K of A\n');
    expect(mutant).not.toMatch(/V_pkB/);
    const { spec, protocol } = executableOf(parseSpec('sts-nocheck.ban', mutant));
    const queries = queriesOf(spec, protocol);
    expect(queries.map((q) => q.text)).toEqual(['confidentiality K of A']);
    const with_ = searchAttacks(protocol, queries, { suite: SUITE, seed: '1', bound: { attackerSessions: true } });
    const a = with_.verdicts[0]!;
    expect(a.status).toBe('refuted');
    // without M's own sessions the attacker answers A as B itself: it sends a point Y whose discrete log k it
    // knows (its own scalar choice) and computes A's x·Y as k·X (./predict.ts chosenPoint)
    const without = searchAttacks(protocol, queries, { suite: SUITE, seed: '1' });
    expect(without.verdicts[0]!.status).toBe('refuted');
    // M's own sessions are configurations of their own (the leak to M's responder session is among them)
    expect(with_.configurations.all).toBeGreaterThan(without.configurations.all);
    expect(without.verdicts[0]!.attack!.story.flat().join('\n')).toMatch(/sts\.2: attacker \(as B\) → A \[s1\]: Y = [^,]+, cB = enc\(kdf\("sts", dlog\(the Y sent\)·X#\d+\)/);
  }, 120_000);
});

describe('queries: syntax and names are checked with positions and stable codes', () => {
  const base = readFileSync('spec/protocols/nspk.ban', 'utf8').replace(/\nqueries[\s\S]*$/, '\n');
  const check = (q: string) => {
    const spec = parseSpec('q.ban', `${base}queries\n${q}\n`);
    const { protocol } = executableOf(spec);
    return parseQueries(spec, protocol).diagnostics;
  };
  const line = base.split('\n').length + 1;

  test('unknown kind, name, role, phase; bad syntax', () => {
    expect(check('  confidentialty Nb')).toMatchObject([{ code: 'query.unknown-kind', pos: { line, col: 3 }, message: expect.stringMatching(/did you mean 'confidentiality'/) }]);
    expect(check('  confidentiality Nc of B')).toMatchObject([{ code: 'query.unknown-name', pos: { line, col: 19 }, message: expect.stringMatching(/did you mean 'N[ab]'/) }]);
    expect(check('  agreement B with C on Na')).toMatchObject([{ code: 'query.unknown-role', pos: { col: 20 } }]);
    expect(check('  agreement B with A on Na in hs')).toMatchObject([{ code: 'query.unknown-phase', pos: { col: 31 } }]);
    expect(check('  agreement B A on Na')).toMatchObject([{ code: 'query.syntax', message: "expected 'with', found 'A'" }]);
    expect(check('  injective-agreement B with A on Na,')).toMatchObject([{ code: 'query.syntax' }]);
    expect(check('  confidentiality Nb of B extra')).toMatchObject([{ code: 'query.syntax', message: "unexpected 'extra' after the query" }]);
  });

  test('weak-secrecy needs its dictionary (test/attacker-queries.test.ts covers the new kinds)', () => {
    expect(check('  weak-secrecy Nb')).toMatchObject([{ code: 'query.syntax', message: "expected 'dictionary' at the end of the query" }]);
  });

  test('CLI: a bad query exits 2 with file:line:col and a caret; a spec without queries too', async () => {
    const dir = await import('node:fs').then((fs) => fs.mkdtempSync(`${(globalThis as { process: NodeJS.Process }).process.env.TMPDIR ?? '/tmp'}/bantam-q-`));
    const f = `${dir}/bad.ban`;
    (await import('node:fs')).writeFileSync(f, `${base}queries\n  agreement B with Eve on Na\n`);
    const c = await cli('claims', f);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(new RegExp(`bad\\.ban:${line}:20: error: no role 'Eve' in the flow \\(query\\.unknown-role\\)`));
    expect(c.err).toMatch(/\^\^\^/);
    const n = await cli('claims', 'spec/protocols/yahalom.ban');
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/has no queries section: there is nothing to check \(query\.missing\)/);
  });
});

describe('claims SPEC --diagram: every confirmed attack is a picture', () => {
  test('NSPK: one diagram per refuted query, drawn from the attack\'s replay, with an Adversary lane and the refuted query', async () => {
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'bantam-attack-diagrams-'));
    const { cli } = await import('./helpers/cli.js');
    const r = await cli('claims', 'spec/protocols/nspk.ban', '--diagram', dir, '--render', 'none');
    expect(r.code).toBe(1);
    // each attack with the honest run of its sessions, drawn beside it (test/attack-honest-run.test.ts)
    expect(readdirSync(dir).sort()).toEqual(['attack-1-honest.mmd', 'attack-1.mmd', 'attack-2-honest.mmd', 'attack-2.mmd', 'attack-3-honest.mmd', 'attack-3.mmd']);
    const m = readFileSync(join(dir, 'attack-3.mmd'), 'utf8');
    expect(m).toMatch(/participant \S+ as Adversary/);
    expect(m).not.toMatch(/no recorded sender/);
    expect(m).toMatch(/Adversary--\)B: inject ns\.1 as A: \d+ bytes, session s2/); // one arrow per injection, naming whom it poses as
    expect(m).toMatch(/REFUTED: injective-agreement B with A on Na, Nb/);
    expect(m).toMatch(/attacker learns Nb#35;\d+ = [0-9a-f]+… — pdec\(skB@Attacker#35;\d+, c3#35;\d+\)/); // '#' is Mermaid's #35;
    // docs/attacks/nspk holds these very diagrams (regenerate: bantam claims spec/protocols/nspk.ban --diagram docs/attacks/nspk)
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join('docs/attacks/nspk', f), 'utf8'));
    // NSL: nothing refuted, nothing drawn
    const dir2 = mkdtempSync(join(tmpdir(), 'bantam-attack-diagrams-'));
    expect((await cli('claims', 'spec/protocols/nsl.ban', '--diagram', dir2, '--render', 'none')).code).toBe(0);
    expect(readdirSync(dir2)).toEqual([]);
  }, 120_000);
});
