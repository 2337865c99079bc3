/**
 * A phase's own bound (`bound ... in PHASE`, src/attacker/queries.ts; Bound.phases in
 * src/attacker/search.ts): EMR's inter-hospital phase needs three sessions (patient, hospital B,
 * hospital A) while the rest of the spec is searched at two.
 *  - the line parses, with positioned errors for an unknown phase, a second line for one phase and
 *    a bad key;
 *  - the search gives that phase its own sessions: an inter query vacuous at 2 sessions is decided
 *    at 3;
 *  - a phase's own max-states is its own budget: when it runs out, that phase's queries are not
 *    tested (the reason names the phase) and the other phases are still decided.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { declaredBoundOf, parseQueries, queriesOf, searchAttacks } from '../src/attacker/index.js';
import { declaredPhaseBounds } from '../src/attacker/queries.js';
import { boundText } from '../src/attacker/report.js';
import { executableOf, loadExecutable } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { main } from '../src/cli/main.js';

const SUITE = 'secp256k1';

describe('the bound line of one phase', () => {
  const withBound = (lines: string) => {
    const text = readFileSync('spec/emr-flow.ban', 'utf8').replace(/\n\s*bound [^\n]*/g, '');
    const s = parseSpec('emr.ban', text.replace(/\nqueries\n/, `\nqueries\n${lines}\n`));
    return parseQueries(s, executableOf(s).protocol);
  };

  test('`bound ... in PHASE` sets that phase’s keys over the default; flags drop the keys they set', () => {
    const r = withBound('  bound sessions 2, per-delivery 4, max-states 20000\n  bound sessions 3, per-delivery 3, max-states 9000 in inter');
    expect(r.diagnostics).toEqual([]);
    expect(r.bound).toMatchObject({ sessions: 2, perDelivery: 4, maxStates: 20000, phases: { inter: { sessions: 3, perDelivery: 3, maxStates: 9000 } } });
    expect(declaredPhaseBounds(r.bound)).toEqual({ inter: { sessions: 3, perDelivery: 3, maxStates: 9000 } });
    expect(declaredPhaseBounds(r.bound, new Set(['sessions', 'perDelivery']))).toEqual({ inter: { maxStates: 9000 } });
    expect(declaredPhaseBounds(r.bound, new Set(['sessions', 'perDelivery', 'maxStates']))).toBeUndefined();
    // the phase line may come first, and alone
    const alone = withBound('  bound sessions 3 in inter');
    expect(alone.diagnostics).toEqual([]);
    expect(alone.bound?.sessions).toBeUndefined();
    expect(alone.bound?.phases).toMatchObject({ inter: { sessions: 3 } });
  });

  test('both EMR specs declare the inter phase at 3 sessions (its runs need patient, hospital B and hospital A)', () => {
    for (const file of ['spec/emr-flow.ban', 'spec/emr-flow-fixed.ban']) {
      const { spec, protocol } = loadExecutable(file);
      expect(declaredPhaseBounds(declaredBoundOf(spec, protocol))).toEqual({ inter: { sessions: 3, perDelivery: 3, maxStates: 300000 } });
    }
  });

  test('an unknown phase, a second line for one phase and a bad key are positioned errors', () => {
    const r = withBound('  bound sessions 3 in intre\n  bound sessions 3 in inter\n  bound sessions 4 in inter\n  bound widgets 3 in initial');
    expect(r.diagnostics.map((d) => [d.code, d.pos.col, d.message])).toEqual([
      ['query.unknown-phase', 23, expect.stringMatching(/no phase 'intre'.*inter/)],
      ['query.bound', 3, expect.stringMatching(/second bound line for phase inter/)],
      ['query.bound', 9, expect.stringMatching(/widgets 3/)],
    ]);
  });
});

describe('the search with a phase’s own bound', () => {
  const { spec, protocol } = loadExecutable('spec/emr-flow.ban');
  const queries = queriesOf(spec, protocol);
  const q = (text: string) => queries.find((x) => x.text === text)!;
  const INTER = 'confidentiality SEK_BP in inter';
  const INITIAL = 'confidentiality SEK_AP in initial';

  test('an inter query, vacuous at 2 sessions, is decided at the 3 sessions of its phase’s bound', () => {
    const bound = { sessions: 2, perDelivery: 1, maxStates: 20000, attackerSessions: false, insider: false, phases: { inter: { sessions: 3 } } };
    const r = searchAttacks(protocol, [q(INTER)], { suite: SUITE, seed: '1', bound });
    expect(r.exhausted).toBe(true);
    expect(r.verdicts[0]!.status).toBe('holds');
    expect(boundText(r)).toMatch(/in phase inter: 3 sessions per configuration/);
  }, 300_000);

  test('a phase’s own budget: its queries are not tested when it runs out, the other phases are still decided', () => {
    const bound = { sessions: 2, perDelivery: 1, maxStates: 20000, attackerSessions: false, insider: false, phases: { inter: { sessions: 3, maxStates: 5 } } };
    const r = searchAttacks(protocol, [q(INTER), q(INITIAL)], { suite: SUITE, seed: '1', bound });
    const [inter, initial] = r.verdicts;
    expect(inter!.status).toBe('not-tested');
    expect(inter!.reason).toMatch(/budget of phase inter \(5 states\)/);
    expect(initial!.status).toBe('holds');
    expect(r.exhausted).toBe(false);
  }, 300_000);
});

describe('bantam claims SPEC with a phase’s own bound', () => {
  const cli = async (...argv: string[]) => {
    let out = '';
    const code = await main(argv, { out: (t) => void (out += t + '\n'), err: () => undefined });
    return { code, out };
  };
  const dir = mkdtempSync(join(tmpdir(), 'bantam-phase-bound-'));
  const file = join(dir, 'nspk.ban');
  writeFileSync(file, readFileSync('spec/protocols/nspk.ban', 'utf8').replace(/\nqueries\n/, '\nqueries\n  bound sessions 1, max-states 40 in ns\n'));

  test('the declared phase bound is searched and printed; a flag overrides its key in the phase too', async () => {
    const a = await cli('claims', file, '--as-written', '--json');
    expect(JSON.parse(a.out).bound.phases).toEqual({ ns: { sessions: 1, maxStates: 40 } });
    const t = await cli('claims', file, '--as-written');
    expect(t.out).toMatch(/in phase ns: 1 session per configuration, its own budget of 40 states/);
    const b = await cli('claims', file, '--as-written', '--json', '--sessions', '2');
    expect(JSON.parse(b.out).bound).toMatchObject({ sessions: 2, phases: { ns: { maxStates: 40 } } });
    expect(JSON.parse(b.out).bound.phases.ns.sessions).toBeUndefined();
  }, 120_000);
});
