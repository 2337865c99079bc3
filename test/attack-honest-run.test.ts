/**
 * The honest run drawn beside each attack (issue 14): the attack's configured sessions, from the
 * same seed, run with each other and no attacker (src/attacker/honest-run.ts). Checked on NSPK's
 * confirmed attacks: every run completes, nobody interferes, the runs are exactly the attack's
 * (phase, binding) pairs, the keys are the attack's own, and `claims --diagram` draws it beside
 * the attack.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { attackContext, DEFAULT_BOUND, execute, queriesOf, searchAttacks, type SearchReport } from '../src/attacker/index.js';
import { honestRunOf, honestRunSummary } from '../src/attacker/honest-run.js';
import { getSuite } from '../src/crypto/index.js';
import { encodeValue, type Value } from '../src/flow-lang/values.js';
import { loadExecutable } from '../src/interpret/load.js';
import { cli } from './helpers/cli.js';

const ex = loadExecutable('spec/protocols/nspk.ban');
let report: SearchReport;
beforeAll(() => {
  report = searchAttacks(ex.protocol, queriesOf(ex.spec, ex.protocol), { suite: 'secp256k1', seed: '1', bound: DEFAULT_BOUND });
}, 120_000);

describe('the honest run an attack deviates from', () => {
  test('NSPK: each attack\'s sessions, run with each other, all accept with no adversary event', () => {
    const attacks = report.verdicts.flatMap((v) => (v.attack ? [v.attack] : []));
    expect(attacks.length).toBe(3);
    const ctx = attackContext(ex.protocol, getSuite('secp256k1'), '1');
    for (const a of attacks) {
      const h = honestRunOf(ctx, a.scenario);
      // one run per distinct (phase, binding) of the configuration, every role of the phase present
      const wanted = new Set(a.scenario.config.map((s) => `${s.phase} ${JSON.stringify(Object.entries(s.binding).sort())}`));
      expect(new Set(h.runs.map((r) => `${r.phase} ${JSON.stringify(Object.entries(r.binding).sort())}`))).toEqual(wanted);
      for (const r of h.runs) {
        expect(r.sessions.map((s) => s.role).sort()).toEqual(['A', 'B']);
        for (const s of r.sessions) expect(s.status, `${s.principal} as ${s.role} in ${s.label}`).toBe('accepted');
      }
      expect(h.trace.events.filter((e) => e.kind === 'adversary')).toEqual([]);
      expect(h.trace.events.filter((e) => e.kind === 'reject' || e.kind === 'abort')).toEqual([]);
      // the attack itself is not honest: the attacker injected messages
      const st = execute(ctx, a.scenario);
      expect(st.world.tracer.trace.events.some((e) => e.kind === 'adversary')).toBe(true);
      // same seed, same principals: the long-term keys are the attack's own
      const hex = (v: Value | undefined) => Buffer.from(encodeValue(ctx.suite, v!)).toString('hex');
      expect(st.world.principals.size).toBeGreaterThan(1);
      for (const [id, p] of st.world.principals) {
        expect(h.trace.seed).toBe(st.world.tracer.trace.seed);
        for (const [n, v] of p.published) expect(hex(h.world.principals.get(id)!.published.get(n)), `${id}'s ${n}`).toBe(hex(v));
      }
      // replays: the same scenario gives the same honest trace
      expect(JSON.stringify(honestRunOf(ctx, a.scenario).trace, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(JSON.stringify(h.trace, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
      const summary = honestRunSummary(h);
      expect(summary.length).toBe(1 + h.runs.length);
      expect(summary.slice(1).every((l) => / accepted(,|$)/.test(l))).toBe(true);
    }
  });

  test('a run the honest scheduler cannot finish is reported as it is, not as accepted', () => {
    // a binding that names no initiator: the responder cannot run to the end
    const ctx = attackContext(ex.protocol, getSuite('secp256k1'), '1');
    const h = honestRunOf(ctx, { config: [{ phase: 'ns', role: 'B', binding: { B: 'B' } }], moves: [] });
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]!.sessions.map((s) => s.status)).not.toContain('accepted');
    expect(honestRunSummary(h)[1]).toMatch(/B as B (aborted|waiting)/);
  });

  test('claims --diagram writes the honest run next to each attack and draws it beside the attack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-honest-'));
    const r = await cli('claims', 'spec/protocols/nspk.ban', '--diagram', dir, '--render', 'none');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/attack-1\.mmd, \S+attack-1-honest\.mmd/);
    for (const n of [1, 2, 3]) {
      const m = readFileSync(join(dir, `attack-${n}-honest.mmd`), 'utf8');
      expect(m).toContain(`title: "Attack ${n}, honest run: the same sessions, no attacker"`);
      expect(m).not.toMatch(/Adversary/);
      expect(m).toMatch(/->>/); // honest deliveries, numbered as in the flow
      expect(m).toMatch(/run h1 \(ns: .*\): .* accepted/);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('-honest.mmd'))).toHaveLength(3);
  }, 120_000);
});
