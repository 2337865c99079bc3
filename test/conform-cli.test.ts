/**
 * `bantam conform` from the command line: the repository's model against spec/emr-flow.ban
 * (exit 0 when conformant: this is the CI conformance check), the readable and JSON reports,
 * exit 1 on drift, exit 2 on bad input, and a deterministic traceability matrix.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../src/cli/args.js';
import { main } from '../src/cli/main.js';
import type { ConformReport } from '../src/conform/index.js';
import { namesEq } from '../src/conform/index.js';

const root = mkdtempSync(join(tmpdir(), 'bantam-conform-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(['conform', ...argv], io);
  return { code, out, err };
}

describe('bantam conform on the repository', () => {
  test('src/model conforms to spec/emr-flow.ban (every check, tests included)', async () => {
    const r = await run('--json', '--matrix', join(root, 'a.md'));
    expect(r.err).toBe('');
    const j = JSON.parse(r.out) as ConformReport;
    // On failure, show the findings themselves, not just a count.
    expect(j.findings.map((f) => `[${f.code}] ${f.file ?? ''}:${f.line ?? ''} ${f.message}`)).toEqual([]);
    expect(r.code).toBe(0);
    expect(j.ok).toBe(true);
    expect(j.counts.equations).toBe(73);
    expect(j.equations.map((e) => e.eq)).toEqual(Array.from({ length: 73 }, (_, i) => i + 1));
    expect(j.equations.every((e) => e.tags.length === 1 && e.sites.length >= 1 && e.tests.length >= 1)).toBe(true);
    expect(j.checks.map((c) => [c.name, c.ok])).toEqual([['tags', true], ['messages', true], ['flow', true], ['guards', true], ['tests', true]]);
    expect(j.assurance).toMatch(/^static analysis/);
    // the matrix has one row per equation, each with its tag's file:line
    const m = readFileSync(join(root, 'a.md'), 'utf8');
    expect(m.split('\n').filter((l) => /^\| \(\d+\) \|/.test(l))).toHaveLength(73);
    expect(m).toMatch(/\| \(25\) \| initial, initial\.3, P checks .*\| src\/model\/[\w.]+\.ts:\d+ \w+ \|/);
  }, 120_000);

  test('the matrix is deterministic (two runs, byte-identical)', async () => {
    const a = await run('--no-tests', '--matrix', join(root, 'b1.md'));
    const b = await run('--no-tests', '--matrix', join(root, 'b2.md'));
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(join(root, 'b1.md'), 'utf8')).toBe(readFileSync(join(root, 'b2.md'), 'utf8'));
    expect(a.out).toContain('tests     skip');
    expect(a.out).toContain('result: conformant');
    // --check-matrix: the fresh file is up to date; an edited one is stale (exit 1)
    const ok = await run('--no-tests', '--check-matrix', join(root, 'b1.md'));
    expect([ok.code, ok.out.trim().split('\n').pop()]).toEqual([0, `matrix: ${join(root, 'b1.md')} is up to date`]);
    writeFileSync(join(root, 'b2.md'), readFileSync(join(root, 'b2.md'), 'utf8').replace('| (17) |', '| (17 |'));
    const st = await run('--no-tests', '--check-matrix', join(root, 'b2.md'), '--json');
    expect(st.code).toBe(1);
    expect((JSON.parse(st.out) as { matrixStale: boolean; ok: boolean }).matrixStale).toBe(true);
  }, 120_000);
});

describe('bantam conform: drift and bad input', () => {
  test('drift: exit 1, each finding with file:line, equation and what differs', async () => {
    const dir = join(root, 'mut');
    mkdirSync(join(dir, 'src/net'), { recursive: true });
    cpSync('src/model', join(dir, 'src/model'), { recursive: true });
    cpSync('src/net/messages.ts', join(dir, 'src/net/messages.ts'));
    const p = join(dir, 'src/model/equations.ts');
    const text = readFileSync(p, 'utf8');
    expect(text.match(/\/\*\* @eq 31 /g)).toHaveLength(1);
    writeFileSync(p, text.replace(/\/\*\* @eq 31 /, '/** @eq 3l '));
    const r = await run('--src', join(dir, 'src/model'), '--messages', join(dir, 'src/net/messages.ts'), '--no-tests');
    expect(r.code).toBe(1);
    expect(r.out).toContain('  tags      DRIFT');
    expect(r.out).toMatch(/equations\.ts:\d+: '@eq 3l .*' on eq31_Sig_HPA: a tag is '@eq N' with N a paper equation number \[tag\.malformed\]/);
    expect(r.out).toMatch(/spec\/emr-flow\.ban:\d+: \(31\) Sig_HPA = S_SK_HPA\(EMR, Cert_HPA\) \[HA, initial\.4\] has no @eq 31 site in .* \[tag\.missing\]/);
    expect(r.out).toMatch(/result: DRIFT — \d+ findings/);
  }, 60_000);

  test.each([
    [['--spec', 'spec/nope.ban'], /cannot read spec 'spec\/nope\.ban': no such file/],
    [['--spec', 'spec/classic/kerberos.ban'], /has no flow section/],
    [['--src', 'src/nope'], /--src 'src\/nope': no such directory/],
    [['--messages', 'src/model/types.ts', '--no-tests'], /no 'MESSAGE_SCHEMAS' declaration/],
    [['--tests', 'test', '--no-tests'], /--tests and --no-tests contradict each other/],
    [['--frobnicate'], /unknown option --frobnicate/],
  ])('bad input %j exits 2 with a one-line reason', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+:\d+\)/); // no stack trace
  }, 60_000);
});

describe('namesEq: how the matrix spots tests naming an equation', () => {
  test('recognised and rejected forms', () => {
    for (const t of ['eq: 25', 'eq === 25', 'eq. (25)', 'eq 25 holds', 'E.eq25_checkCHK_PA', '@eq 25']) expect(namesEq(t, 25), t).toBe(true);
    for (const t of ['eq: 251', 'eq: 2', 'seq: 25', 'freq 25', '(25)']) expect(namesEq(t, 25), t).toBe(false);
  });
});
