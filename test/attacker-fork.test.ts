/**
 * The search forks states instead of re-running them from the seed (src/attacker/world-snapshot.ts,
 * `execute(ctx, sc, narrate, from)`). A forked state must be the very state a replay from the seed
 * reaches: same knowledge (ids, bytes, names, derivations), outcomes, sessions, network log, trace
 * length and public ledger — checked state by state along the search's own depth-first order on
 * EMR's inter phase (3 sessions, the insider, the prior phases and the ledger) and on NSPK; and the
 * state forked from is never changed. Whole searches give the same report both ways.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { executableOf } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { canaryTexts, CANARIES } from './helpers/canaries.js';
import { analyseQueries, attackContext, candidates, configurations, execute, queriesOf, searchAttacks, type Move, type RunState, type Scenario } from '../src/attacker/index.js';
import { keyOf } from '../src/attacker/knowledge.js';
import { memoSuite } from '../src/attacker/memo-suite.js';
import { copyWorld } from '../src/attacker/world-snapshot.js';
import { getSuite } from '../src/crypto/index.js';
import { cloneRng, seededRng, systemRng } from '../src/crypto/rng.js';
import { loadExecutable } from '../src/interpret/load.js';
import type { TypedProtocol } from '../src/flow-lang/typed.js';

const SUITE = 'secp256k1';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function fingerprint(st: RunState): string {
  const suite = st.world.suite;
  const w = st.world;
  return JSON.stringify({
    items: st.knowledge.items.map((it) => [it.id, keyOf(suite, it.value), it.name ?? '', JSON.stringify(it.how)]),
    outcomes: st.outcomes,
    sessions: w.sessions.map((s) => [s.id, s.principal, s.role, s.status, s.pc, s.waitingFor?.id ?? '', s.abort?.detail ?? '', [...s.values].map(([k, v]) => `${k}=${keyOf(suite, v)}`)]),
    mine: st.sessions.map((s) => w.sessions.indexOf(s)),
    log: w.network.adversary.observed().map((e) => [e.id, e.step, e.origin, hex(e.bytes)]),
    pending: w.network.pending().map((e) => e.id),
    events: w.tracer.trace.events.length,
    ledger: (w.env?.module.observable?.(w.env.state) ?? []).map((o) => keyOf(suite, o.value)),
    principals: [...w.principals.values()].map((p) => [p.id, [...p.store].map(([k, v]) => `${k}=${keyOf(suite, v)}`), hex(cloneRng(p.rng)!.bytes(16))]),
  });
}

/** Walks the first `limit` states of one configuration depth first, as the search does, comparing each forked state with its replay from the seed. */
function walk(protocol: TypedProtocol, phase: string, sessions: number, pick: number, limit: number, perDelivery: number): number {
  const ctx = attackContext(protocol, memoSuite(getSuite(SUITE)), '1', { insider: true });
  const config = configurations(ctx, phase, sessions, false)[pick]!;
  let n = 0;
  const visit = (moves: Move[], st: RunState): void => {
    for (let i = 0; i < config.length && n < limit; i++) {
      for (const m of candidates(ctx, st, i, perDelivery).moves) {
        if (n >= limit) return;
        const sc: Scenario = { config, moves: [...moves, m] };
        const before = fingerprint(st);
        const forked = execute(ctx, sc, false, st);
        expect(fingerprint(st), 'the state forked from is unchanged').toBe(before);
        const fresh = execute(ctx, sc);
        expect(fingerprint(forked)).toBe(fingerprint(fresh));
        n++;
        const out = forked.outcomes[forked.outcomes.length - 1]!;
        if (out.kind === 'ok' || out.kind === 'accepted') visit(sc.moves, forked);
      }
    }
  };
  visit([], execute(ctx, { config, moves: [] }));
  return n;
}

describe('a forked state is the state a replay from the seed reaches', () => {
  test('EMR inter, 3 sessions with the insider (prior phases, ledger)', () => {
    const { protocol } = loadExecutable('spec/emr-flow.ban');
    // a configuration with the attacker's identity as an insider hospital B beside hospital A and the patient
    const ctx = attackContext(protocol, getSuite(SUITE), '1', { insider: true });
    const all = configurations(ctx, 'inter', 3, false);
    const pick = all.findIndex((c) => c.some((s) => s.role === 'HB' && s.binding.HB === ctx.attacker) && c.some((s) => s.role === 'HA' && s.binding.HB === ctx.attacker) && c.some((s) => s.role === 'P'));
    expect(pick).toBeGreaterThanOrEqual(0);
    expect(walk(protocol, 'inter', 3, pick, 40, 3)).toBe(40);
  }, 120_000);

  test('NSPK, 2 sessions', () => {
    const { protocol } = loadExecutable('spec/protocols/nspk.ban');
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const n = configurations(ctx, protocol.phases[0]!.id, 2, false).length;
    let states = 0;
    for (let i = 0; i < Math.min(n, 8); i++) states += walk(protocol, protocol.phases[0]!.id, 2, i, 30, 4);
    expect(states).toBeGreaterThan(30);
  }, 60_000);

  test('a world with an unseeded stream is not copied (the run then replays from the seed)', () => {
    expect(cloneRng(systemRng())).toBeUndefined();
    const r = seededRng('x');
    r.bytes(5);
    const c = cloneRng(r)!;
    expect(hex(c.bytes(40))).toBe(hex(r.bytes(40)));
    const { protocol } = loadExecutable('spec/protocols/nspk.ban');
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const st = execute(ctx, { config: configurations(ctx, protocol.phases[0]!.id, 1)[0]!, moves: [] });
    expect(copyWorld(st.world)).toBeDefined();
    const bad = { ...st.world, root: systemRng() };
    expect(copyWorld(bad)).toBeUndefined();
    // a state that cannot be copied is continued by a replay from the seed: the same state
    const config = configurations(ctx, protocol.phases[0]!.id, 2)[0]!;
    const root = execute(ctx, { config, moves: [] });
    const m = candidates(ctx, root, 0, 4).moves[0] ?? candidates(ctx, root, 1, 4).moves[0]!;
    const sc = { config, moves: [m] };
    expect(fingerprint(execute(ctx, sc, false, { ...root, world: { ...root.world, root: systemRng() } }))).toBe(fingerprint(execute(ctx, sc)));
  });

  test('a world whose environment module has no fork is not copied', () => {
    const { protocol } = loadExecutable('spec/emr-flow.ban');
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const st = execute(ctx, { config: configurations(ctx, 'initial', 1)[0]!, moves: [] });
    const env = st.world.env!;
    expect(copyWorld(st.world)).toBeDefined();
    expect(copyWorld({ ...st.world, env: { module: { ...env.module, fork: undefined }, state: env.state } })).toBeUndefined();
  });
});

describe('whole searches: forked and from the seed give the same report', () => {
  const same = (file: string, bound: { sessions: number; perDelivery: number; maxStates: number }, pickQueries?: (text: string) => boolean) => {
    const { spec, protocol } = loadExecutable(file);
    const qs = queriesOf(spec, protocol).filter((q) => !pickQueries || pickQueries(q.text));
    const run = (fromSeed: boolean) => {
      const r = searchAttacks(protocol, qs, { suite: SUITE, seed: '1', bound: { ...bound, attackerSessions: false }, fromSeed });
      return JSON.stringify({ states: r.states, capped: r.cappedDeliveries, configurations: r.configurations, exhausted: r.exhausted, verdicts: r.verdicts.map((v) => ({ status: v.status, reason: v.reason, scenario: v.attack?.scenario, story: v.attack?.story, after: v.attack?.foundAfterStates })), unconfirmed: r.unconfirmed, prior: r.prior });
    };
    const forked = run(false);
    expect(forked).toBe(run(true));
    return JSON.parse(forked) as { states: number; verdicts: { status: string }[] };
  };

  test('NSPK (Lowe): refuted the same way, after the same number of states', () => {
    const r = same('spec/protocols/nspk.ban', { sessions: 2, perDelivery: 8, maxStates: 5000 });
    expect(r.verdicts.some((v) => v.status === 'refuted')).toBe(true);
  }, 60_000);

  // the two features merged beside the forking search: a reveal of an earlier session's value (the
  // earlier run is part of the state forked) and messages built with the receiver's predicted key
  // (the algebra's questions already put are part of the state too)
  const withQueries = (file: string, queries: string[]) => {
    const text = readFileSync(file, 'utf8').replace(/\nqueries\n(?: [^\n]*\n)+/, '\n');
    const { spec, protocol } = executableOf(parseSpec(file, `${text}\nqueries\n${queries.map((q) => `  ${q}\n`).join('')}`));
    return queriesOf(spec, protocol).length ? { spec, protocol } : undefined;
  };
  const sameWith = (file: string, queries: string[], bound: { sessions?: number; perDelivery?: number; maxStates?: number }) => {
    const { spec, protocol } = withQueries(file, queries)!;
    const qs = queriesOf(spec, protocol);
    const run = (fromSeed: boolean) => {
      const r = analyseQueries(protocol, qs, { suite: SUITE, seed: '1', bound, fromSeed });
      return JSON.stringify({ states: r.states, verdicts: r.verdicts.map((v) => ({ status: v.status, reason: v.reason, scenario: v.attack?.scenario, story: v.attack?.story, after: v.attack?.foundAfterStates })), unconfirmed: r.unconfirmed });
    };
    const forked = run(false);
    expect(forked).toBe(run(true));
    return JSON.parse(forked) as { states: number; verdicts: { status: string }[] };
  };

  test('Denning–Sacco (an earlier session\'s Kab revealed): refuted the same way both ways', () => {
    const r = sameWith('spec/protocols/ns-shared-key.ban', ['confidentiality Kab of B given reveal Kab of A in an earlier session'], { sessions: 1 });
    expect(r.verdicts[0]!.status).toBe('refuted');
  }, 120_000);

  test('DH key-compromise impersonation (the receiver\'s key predicted through the group algebra): the same both ways', () => {
    const text = canaryTexts(CANARIES.find((c) => c.base === 'test/fixtures/dh-mac-kci.ban')!).broken;
    const file = join(mkdtempSync(join(tmpdir(), 'bantam-fork-')), 'dh-static.ban');
    writeFileSync(file, text);
    const r = sameWith(file, ['agreement A with B on Na, Nb given reveal skA of A before'], { perDelivery: 4 });
    expect(r.verdicts[0]!.status).toBe('refuted');
  }, 120_000);

  test('EMR initial with both ephemerals revealed (the eCK attack, through the group algebra)', () => {
    const r = same('spec/emr-flow.ban', { sessions: 2, perDelivery: 4, maxStates: 600 }, (t) => t === 'confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after');
    expect(r.verdicts[0]!.status).toBe('refuted');
  }, 120_000);
});

describe("the memo suite's point decodings", () => {
  test('bytes that are no point throw, every time, what the plain suite throws; a point decodes to the same object', () => {
    const plain = getSuite(SUITE);
    const memo = memoSuite(plain);
    const bad = new Uint8Array(33).fill(7);
    const refusal = (what: string) => {
      try {
        plain.decodePoint(bad, what);
      } catch (e) {
        return e as Error;
      }
      throw new Error('the plain suite decoded bytes that are no point');
    };
    for (const what of ['R_X', 'T_PAT', 'R_X']) expect(() => memo.decodePoint(bad, what)).toThrow(refusal(what).message);
    const good = plain.encodePoint(plain.mulG(5n));
    expect(memo.decodePoint(good, 'x')).toBe(memo.decodePoint(good, 'y'));
    expect(plain.equals(memo.decodePoint(good, 'x'), plain.mulG(5n))).toBe(true);
  });
});

describe("the memo suite's decryptions", () => {
  test('the same plaintext or null as the plain suite, every time; a caller mutating it changes nothing', () => {
    const plain = getSuite(SUITE);
    const memo = memoSuite(plain);
    const rng = seededRng('d');
    const key = rng.bytes(plain.sizes.sessionKey);
    const other = rng.bytes(plain.sizes.sessionKey);
    const aad = new TextEncoder().encode('ad');
    const ct = plain.encrypt(key, new TextEncoder().encode('record'), rng, aad);
    for (let i = 0; i < 2; i++) {
      const got = memo.decrypt(key, ct, aad)!;
      expect(hex(got)).toBe(hex(plain.decrypt(key, ct, aad)!));
      got.fill(0);
      expect(memo.decrypt(other, ct, aad)).toBeNull();
      expect(memo.decrypt(key, ct)).toBe(plain.decrypt(key, ct));
    }
  });
});

