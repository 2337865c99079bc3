/**
 * The classic BAN library (spec/classic/*.ban): the idealisations of Burrows, Abadi and Needham
 * (Proc. R. Soc. A 426, 1989; DEC SRC 39). Each goal states its expected outcome as data
 * (`# expect: derived` / `# expect: not-derived`); the engine must reproduce both kinds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyse } from '../src/ban/index.js';
import { showTerm } from '../src/ban/print.js';
import { loadSpec } from '../src/spec/load.js';
import { goalExpectations } from '../src/report/expect.js';
import { classicFiles } from '../src/report/proofs.js';

const files = classicFiles('.');

test('the library holds the eight protocols of the brief (and the BAN variants)', () => {
  const names = files.map((f) => f.replace(/^spec\/classic\//, '').replace(/\.ban$/, ''));
  for (const n of ['kerberos', 'ns-shared-key', 'otway-rees', 'yahalom', 'andrew-rpc', 'wide-mouthed-frog', 'x509', 'ns-public-key']) {
    expect(names).toContain(n);
  }
});

describe.each(files)('%s', (file) => {
  const spec = loadSpec(file);
  const expectations = goalExpectations(spec);
  const a = analyse(spec, { whyNot: false });

  test('cites its source in the BAN paper', () => {
    expect(readFileSync(file, 'utf8')).toMatch(/# source: Burrows, Abadi, Needham/);
  });

  test('states an expectation for every goal, of both kinds', () => {
    for (const g of spec.goals) expect(expectations.has(g.label), `${g.label} has no '# expect:'`).toBe(true);
    const kinds = new Set(expectations.values());
    expect(kinds).toContain('derived');
    expect(kinds).toContain('not-derived');
  });

  test.each(spec.goals.map((g) => g.label))('goal %s has the expected outcome', (label) => {
    const g = a.goals.find((x) => x.label === label)!;
    const want = expectations.get(label);
    expect(g.derived, `${label}: ${showTerm(g.formula)} expected ${want}`).toBe(want === 'derived');
    if (g.derived) expect(g.proof).toBeDefined();
  });
});

describe('the findings of the BAN paper, named', () => {
  const verdict = (file: string, goal: string): boolean => {
    const a = analyse(loadSpec(file), { goals: [goal], whyNot: false });
    return a.goals[0]!.derived;
  };

  test('Needham–Schroeder shared key: B |= A <-Kab-> B needs the dubious B |= #(A <-Kab-> B), and the why-not finds it', () => {
    expect(verdict('spec/classic/ns-shared-key.ban', 'N1')).toBe(false);
    expect(verdict('spec/classic/ns-shared-key-dubious.ban', 'G3')).toBe(true);
    expect(verdict('spec/classic/ns-shared-key-dubious.ban', 'G4')).toBe(true);
    const a = analyse(loadSpec('spec/classic/ns-shared-key.ban'), { goals: ['N1'] });
    const sugg = a.goals[0]!.whyNot!.suggestions.map((s) => s.map((t) => showTerm(t)).join(' & '));
    expect(sugg).toContain('B |= #(A <-Kab-> B)');
  });

  test('Andrew secure RPC: A cannot believe the new key is fresh (nor good); returning Na in message 4 repairs it', () => {
    expect(verdict('spec/classic/andrew-rpc.ban', 'N3')).toBe(false);
    expect(verdict('spec/classic/andrew-rpc.ban', 'N1')).toBe(false);
    expect(verdict('spec/classic/andrew-rpc-fixed.ban', 'G1')).toBe(true);
  });

  test('CCITT X.509: a signature over {Ya}Kb does not show A knows Ya; without timestamps B cannot tie Xa to the fresh message 3', () => {
    expect(verdict('spec/classic/x509.ban', 'G1')).toBe(true);
    expect(verdict('spec/classic/x509.ban', 'N1')).toBe(false);
    expect(verdict('spec/classic/x509-no-timestamps.ban', 'N1')).toBe(false);
  });

  test('Yahalom: B cannot trust Kab under the standard rules; BAN\'s modified protocol derives it', () => {
    expect(verdict('spec/classic/yahalom.ban', 'N1')).toBe(false);
    expect(verdict('spec/classic/yahalom-modified.ban', 'G2')).toBe(true);
    expect(verdict('spec/classic/yahalom-modified.ban', 'G3')).toBe(true);
  });

  test('Kerberos and Otway–Rees: the key goals hold; Otway–Rees gives no key confirmation', () => {
    for (const g of ['G1', 'G2', 'G3', 'G4']) expect(verdict('spec/classic/kerberos.ban', g), g).toBe(true);
    expect(verdict('spec/classic/otway-rees.ban', 'N1')).toBe(false);
  });
});
