/**
 * docs/tutorial.md is executable: its finished spec (the ```ban file=signed-dh.ban block) runs on
 * every suite and derives its BAN goals, and the two mistakes the page shows produce exactly the
 * diagnostics printed there; the third (a wrong verification key) aborts where the page says.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyse } from '../src/ban/index.js';
import { checkSpecFlow } from '../src/flow-lang/index.js';
import { runFlow } from '../src/interpret/index.js';
import { loadExecutable } from '../src/interpret/load.js';
import { flowTranscript } from '../src/interpret/report.js';
import { formatDiagnostic } from '../src/spec/diagnostics.js';
import { loadSpec } from '../src/spec/load.js';

const DOC = readFileSync(join(import.meta.dirname, '..', 'docs', 'tutorial.md'), 'utf8');
const fence = /```ban file=signed-dh\.ban\n([\s\S]*?)```/.exec(DOC);
const SPEC = fence?.[1] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'bantam-tutorial-'));

let files = 0;
/** Writes `text` as NAME in a folder of its own (each edit is a new file). */
function write(name: string, text: string): string {
  const sub = join(dir, String(files++));
  mkdirSync(sub);
  const p = join(sub, name);
  writeFileSync(p, text);
  return p;
}

/** The page's error blocks: fenced blocks whose first line starts with `signed-dh.ban:`. */
const ERROR_BLOCKS = [...DOC.matchAll(/```\n(signed-dh\.ban:[\s\S]*?)```/g)].map((m) => m[1]!.trimEnd());

/** Diagnostics of an edited copy of the spec, printed as the CLI prints them, with the page's file name. */
function diagnosticsOf(edit: (s: string) => string): string {
  const text = edit(SPEC);
  expect(text).not.toBe(SPEC);
  const path = write('signed-dh.ban', text);
  const r = checkSpecFlow(loadSpec(path));
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  return r.diagnostics.map((d) => formatDiagnostic(d, text)).join('\n').split(path).join('signed-dh.ban').trimEnd();
}

describe('docs/tutorial.md', () => {
  test('has its finished spec and two error examples', () => {
    expect(SPEC).toContain('protocol Signed-DH');
    expect(ERROR_BLOCKS).toHaveLength(2);
  });

  test.each(['ristretto255', 'secp256k1', 'p256'])('the finished spec runs on %s with the verdict the page shows', (suite) => {
    const { protocol } = loadExecutable(write('signed-dh.ban', SPEC));
    const r = runFlow(protocol, { suite, seed: 42 });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.agreements.map((a) => [a.name, a.agreed])).toEqual([['K', true]]);
    expect(flowTranscript(r, 'signed-dh.ban')).toContain('verdict: every session accepted; every shared key agreed');
  });

  test('its BAN goals G1 and G2 are derived', () => {
    const a = analyse(loadSpec(write('signed-dh.ban', SPEC)));
    expect(a.goals.map((g) => [g.label, g.derived])).toEqual([
      ['G1', true],
      ['G2', true],
    ]);
  });

  test('signing with the public key: the sort error shown on the page', () => {
    expect(diagnosticsOf((s) => s.replace('sB = S_skB(Na, X, Y, A)', 'sB = S_pkB(Na, X, Y, A)'))).toBe(ERROR_BLOCKS[0]);
  });

  test('using K before computing it: the unbound error shown on the page', () => {
    const edit = (s: string) => s.replace('      A computes K = kdf("signed-dh", x·Y)\n', '').replace('sA = S_skA(Nb, Y, X, B)', 'sA = S_skA(Nb, Y, X, B, K)');
    expect(diagnosticsOf(edit)).toBe(ERROR_BLOCKS[1]);
  });

  test('verifying with the wrong key: A aborts at dh.2 on that check', () => {
    const text = SPEC.replace('V_pkB(sB)', 'V_pkA(sB)').replace('    A knows pkB\n', '    A knows pkA, pkB\n');
    const { protocol } = loadExecutable(write('signed-dh.ban', text));
    const r = runFlow(protocol, { suite: 'secp256k1', seed: 0 });
    expect(r.ok).toBe(false);
    const a = r.sessions.find((s) => s.role === 'A');
    expect(a?.status).toBe('aborted');
    expect(a?.abort?.step).toBe('dh.2');
    expect(a?.abort?.check).toBe('(Na, X, Y, A) =? V_pkA(sB)');
    expect(DOC).toContain('A ABORTS session dh#1: dh.2: (Na, X, Y, A) =? V_pkA(sB)');
  });
});
