/**
 * The shrinker (src/attacker/shrink.ts) drops a session the attack does not need even when that session
 * shifts what comes after it: an earlier session of the same principal makes it draw its fresh values in
 * another order, and the attacker learns its message first, so every later knowledge item is renumbered.
 * Rebasing the remaining moves by how each item was learnt keeps the removal.
 */
import { describe, expect, test } from 'vitest';
import { attackContext, execute, judgeQuery, queriesOf, searchAttacks } from '../src/attacker/index.js';
import { itemKeys, rebase, shrink } from '../src/attacker/shrink.js';
import { getSuite } from '../src/crypto/index.js';
import { loadExecutable } from '../src/interpret/load.js';

const SUITE = 'secp256k1';

describe('shrinking rebases the moves by how each item was learnt', () => {
  test("Lowe's attack with an idle earlier session of A in front: the session is dropped, the attack is the 2-session one", () => {
    const { spec, protocol } = loadExecutable('spec/protocols/nspk.ban');
    const q = queriesOf(spec, protocol).find((x) => x.text === 'injective-agreement B with A on Na, Nb')!;
    const r = searchAttacks(protocol, [q], { suite: SUITE, seed: '1', stopAtFirst: true });
    const lowe = r.verdicts[0]!.attack!.scenario;
    expect(lowe.config).toHaveLength(2);
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const loweRun = execute(ctx, lowe);
    expect(judgeQuery(ctx, q, loweRun).violated).toBe(true);

    // an honest session of A towards B, started first: A draws its Na there, and its ns.1 is learnt first
    const idle = { phase: lowe.config[0]!.phase, role: 'A', binding: { A: 'A', B: 'B' } };
    const shifted = { config: [idle, ...lowe.config], moves: lowe.moves.map((m) => ({ ...m, session: m.session + 1 })) };
    // as they stand, the moves name the wrong items in the longer run: it no longer violates the query
    const asIs = execute(ctx, shifted);
    expect(asIs.outcomes.every((o) => o.kind !== 'invalid') && judgeQuery(ctx, q, asIs).violated).toBe(false);
    // rebased onto it, they do
    const longer = rebase(ctx, loweRun, shifted)!;
    expect(longer).toBeDefined();
    expect(longer.moves.map((m) => m.fields.map((f) => f.recipe))).not.toEqual(shifted.moves.map((m) => m.fields.map((f) => f.recipe)));
    const longerRun = execute(ctx, longer);
    expect(judgeQuery(ctx, q, longerRun).violated).toBe(true);

    const shrunk = shrink(ctx, q, longer);
    expect(shrunk.config).toEqual(lowe.config);
    expect(shrunk.moves).toHaveLength(lowe.moves.length);
    expect(judgeQuery(ctx, q, execute(ctx, shrunk)).violated).toBe(true);
  }, 120_000);

  test('item keys name how a value was learnt, not its number: the same message field learnt in two runs has the same key', () => {
    const { spec, protocol } = loadExecutable('spec/protocols/nspk.ban');
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const ph = protocol.phases[0]!.id;
    const one = execute(ctx, { config: [{ phase: ph, role: 'A', binding: { A: 'A', B: 'B' } }], moves: [] });
    const two = execute(ctx, { config: [{ phase: ph, role: 'A', binding: { A: 'A', B: 'B' } }, { phase: ph, role: 'A', binding: { A: 'A', B: 'B' } }], moves: [] });
    const k1 = itemKeys(one);
    const k2 = itemKeys(two);
    const observed = k1.filter((k) => k.includes('obs '));
    expect(observed.length).toBeGreaterThan(0);
    for (const k of observed) expect(k2).toContain(k);
    // the second session's message is the second of its kind between the same parties
    expect(k2.filter((k) => k.includes('obs ') && k.endsWith('#1')).length).toBeGreaterThan(0);
    void spec;
  }, 60_000);
});
