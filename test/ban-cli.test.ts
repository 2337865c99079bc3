/**
 * The derive / check / why commands: verdict lines, assurance header, JSON, exit codes
 * (0 all derived / valid, 1 a verdict failed, 2 bad input). Specs are written to a temp dir in
 * the notation of docs/notation.md, so the test does not depend on other spec files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'bantam-ban-cli-'));
const NS = `protocol NS-SK
principals A, B, S
atoms
  key Kas, Kbs, Kab
  nonce Na, Nb
messages
  M2: S -> A : {Na, A <-Kab-> B, #(A <-Kab-> B), {A <-Kab-> B}_Kbs}_Kas
  M3: A -> B : {A <-Kab-> B}_Kbs from S
assumptions
  A1: A |= A <-Kas-> S
  A2: B |= B <-Kbs-> S
  A6: A |= S |=> A <-?K-> B
  A7: B |= S |=> A <-?K-> B
  A9: A |= #(Na)
goals
  G1: A |= A <-Kab-> B
  G2: B |= A <-Kab-> B
proof
  S1: A |= S |~ (Na, A <-Kab-> B, #(A <-Kab-> B), {A <-Kab-> B}_Kbs)  by message meaning from A1, M2
  S2: B |= S |= A <-Kab-> B  by nonce verification from A2, M3
`;
const file = join(dir, 'ns.ban');
writeFileSync(file, NS);
const fixed = join(dir, 'ns-fixed.ban');
writeFileSync(fixed, NS.replace('  A9: A |= #(Na)', '  A9: A |= #(Na)\n  A12: B |= #(A <-Kab-> B)').replace(/proof[\s\S]*$/, ''));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('bantam derive', () => {
  it('prints the assurance header, one verdict line per goal, the proofs; exit 1 when a goal fails', async () => {
    const r = await run('derive', file);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('BAN belief-logic result (not a computational proof): NS-SK');
    expect(lines[1]).toMatch(/^rule set: BAN .*no key-agreement extension/);
    expect(r.out).toMatch(/^G1: derived +A \|= A <-Kab-> B$/m);
    expect(r.out).toMatch(/^G2: NOT derived +B \|= A <-Kab-> B$/m);
    expect(r.out).toContain('Statement 6: A |= A <-Kab-> B   by jurisdiction (JUR) from A6 [?K := Kab], (5)');
    expect(r.out).toMatch(/\+ B \|= #\(A <-Kab-> B\)/); // the verified suggestion
  });
  it('exit 0 when every goal is derived; --goal selects; --json; formats md and tex', async () => {
    expect((await run('derive', fixed)).code).toBe(0);
    expect((await run('derive', file, '--goal', 'G1')).code).toBe(0);
    const j = JSON.parse((await run('derive', file, '--json')).out);
    expect(j.assurance).toBe('BAN belief-logic result (not a computational proof)');
    expect(j.goals.map((g: { label: string; derived: boolean }) => [g.label, g.derived])).toEqual([
      ['G1', true],
      ['G2', false],
    ]);
    expect((await run('derive', fixed, '--format', 'md')).out).toContain('| G2 | derived |');
    expect((await run('derive', fixed, '--format', 'tex')).out).toContain('\\begin{prooftree}');
  });
  it('bad input exits 2 with a message, not a stack trace', async () => {
    const r1 = await run('derive', join(dir, 'missing.ban'));
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/cannot read spec/);
    const r2 = await run('derive', file, '--goal', 'G9');
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/unknown goal G9/);
    expect((await run('derive', file, '--format', 'pdf')).code).toBe(2);
  });
  it('a spec with no goals is not "0 of 0 goals derived" with exit 0: nothing was derived, exit 2', async () => {
    const none = join(dir, 'no-goals.ban');
    writeFileSync(none, NS.replace(/goals[\s\S]*$/, ''));
    const r = await run('derive', none);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has no goals section: there is nothing to derive/);
    expect(r.out).not.toMatch(/0 of 0/);
  });
});

describe('bantam check', () => {
  it('valid and invalid statements with reasons; exit 1 when one is invalid', async () => {
    const r = await run('check', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^S1: valid +by message meaning = message meaning \(MM-SK\)$/m);
    expect(r.out).toMatch(/^S2: INVALID +by nonce verification$/m);
    expect(r.out).toContain('missing premise for NV: B |= #(A <-Kab-> B) and B |= S |~ A <-Kab-> B');
    const j = JSON.parse((await run('check', file, '--json')).out);
    expect(j.steps.map((s: { valid: boolean }) => s.valid)).toEqual([true, false]);
  });
  it('a spec without a proof section is bad input', async () => {
    expect((await run('check', fixed)).code).toBe(2);
  });
});

describe('bantam why', () => {
  it('takes a goal label or a formula', async () => {
    const a = await run('why', file, 'G2');
    expect(a.code).toBe(1);
    expect(a.out).toContain('missing premises');
    const b = await run('why', file, 'B |= S |~ A <-Kab-> B');
    expect(b.code).toBe(0);
    expect(b.out).toContain('by message meaning (MM-SK) from A2, M3');
    const c = await run('why', file, 'B |= S |~');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/<GOAL>:1:\d+: error/);
  });
  it('a word that is no goal label and no declared name is reported as an unknown label, with the labels', async () => {
    const r = await run('why', file, 'G99');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no goal labelled 'G99'; the spec's goals are G1, G2/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
