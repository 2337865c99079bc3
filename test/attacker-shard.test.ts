/**
 * Shards and workers of the generic attacker (issue 13 item 3; src/attacker/shard.ts, merge.ts,
 * parallel.ts): the shards partition the configurations, the merge of all N shards gives the
 * unsharded verdicts on NSPK and NSL, and a merge that is missing a shard, mixes parameters or
 * includes a budget-cut shard never says "holds".
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { analyseQueries, attackContext, configurations, queriesOf, reportJson, searchAttacks } from '../src/attacker/index.js';
import { asShardJson, mergeShards, type ShardJson } from '../src/attacker/merge.js';
import { inShard, parseShard, splitShard } from '../src/attacker/shard.js';
import { specHash } from '../src/attacker/spec-hash.js';
import { getSuite } from '../src/crypto/index.js';
import { loadExecutable } from '../src/interpret/load.js';
import { CANARIES, canaryTexts } from './helpers/canaries.js';
import { cli } from './helpers/cli.js';

const SEED = '1';

function shardJson(file: string, index: number, count: number, bound: object = {}, seed = SEED): ShardJson {
  const { spec, protocol } = loadExecutable(file);
  const r = analyseQueries(protocol, queriesOf(spec, protocol), { suite: 'secp256k1', seed, bound, shard: { index, count } });
  return asShardJson(JSON.parse(JSON.stringify(reportJson(r, spec.file, specHash(spec)))), `${file}#${index}/${count}`);
}

const statuses = (vs: readonly { query: { text: string }; status: string }[]) => vs.map((v) => `${v.status} ${v.query.text}`);

describe('shards partition the configurations', () => {
  test('round-robin: every index in exactly one shard, sub-shards partition their shard', () => {
    for (const n of [1, 2, 3, 5]) for (let i = 0; i < 40; i++) expect([...Array(n).keys()].filter((k) => inShard({ index: k + 1, count: n }, i))).toHaveLength(1);
    const parts = splitShard({ index: 2, count: 3 }, 4);
    for (let i = 0; i < 60; i++) expect(parts.filter((p) => inShard(p, i)).length).toBe(inShard({ index: 2, count: 3 }, i) ? 1 : 0);
  });

  test('the shards of a search explore disjoint configurations whose union is the unsharded set', () => {
    const { spec, protocol } = loadExecutable('spec/protocols/nspk.ban');
    const ctx = attackContext(protocol, getSuite('secp256k1'), SEED);
    const all = configurations(ctx, 'ns', 2).length;
    const qs = queriesOf(spec, protocol);
    const totals = [1, 2, 3].map((k) => searchAttacks(protocol, qs, { suite: 'secp256k1', seed: SEED, shard: { index: k, count: 3 }, bound: { maxStates: 1 } }).configurations);
    expect(totals.every((c) => c.all === totals[0]!.all)).toBe(true);
    expect(totals.reduce((n, c) => n + c.total, 0)).toBe(totals[0]!.all);
    expect(totals[0]!.all).toBeLessThanOrEqual(all);
  });

  test('--shard takes K/N with 1 ≤ K ≤ N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '-1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});

describe('the merge of every shard equals the unsharded search', () => {
  for (const [file, n] of [['spec/protocols/nspk.ban', 2], ['spec/protocols/nsl.ban', 3]] as const) {
    test(`${file}, ${n} shards`, () => {
      const { spec, protocol } = loadExecutable(file);
      const whole = analyseQueries(protocol, queriesOf(spec, protocol), { suite: 'secp256k1', seed: SEED });
      const shards = Array.from({ length: n }, (_, i) => shardJson(file, i + 1, n));
      const { report, info } = mergeShards(shards.map((json, i) => ({ json, source: `s${i + 1}` })));
      expect(info.complete).toBe(true);
      expect(statuses(report.verdicts)).toEqual(statuses(whole.verdicts));
      expect(report.states).toBe(whole.states);
      expect(report.exhausted).toBe(whole.exhausted);
      // every refutation keeps a confirmed attack from the shard that found it
      for (const v of report.verdicts.filter((x) => x.status === 'refuted')) expect(v.attack?.story.length).toBeGreaterThan(0);
      if (file.endsWith('nsl.ban')) expect(report.verdicts.every((v) => v.status === 'holds')).toBe(true);
      else expect(report.verdicts.filter((v) => v.status === 'refuted')).toHaveLength(3);
    });
  }
});

describe('an incomplete or inconsistent merge never holds', () => {
  const nsl = [1, 2].map((k) => shardJson('spec/protocols/nsl.ban', k, 2));

  test('a missing shard: not tested, naming it', () => {
    const { report, info } = mergeShards([{ json: nsl[0]!, source: 'a' }]);
    expect(info.missing).toEqual([2]);
    for (const v of report.verdicts) {
      expect(v.status).toBe('not-tested');
      expect(v.reason).toMatch(/shard 2\/2 missing/);
    }
  });

  test('a shard with another seed or bound: not tested, naming the parameter', () => {
    const other = shardJson('spec/protocols/nsl.ban', 2, 2, {}, '7');
    const { report } = mergeShards([{ json: nsl[0]!, source: 'a' }, { json: other, source: 'b' }]);
    for (const v of report.verdicts) expect(v.reason).toMatch(/the seed differs/);
    const bounded = shardJson('spec/protocols/nsl.ban', 2, 2, { perDelivery: 32 });
    expect(mergeShards([{ json: nsl[0]!, source: 'a' }, { json: bounded, source: 'b' }]).report.verdicts.every((v) => v.status === 'not-tested' && /the bound differs/.test(v.reason!))).toBe(true);
  });

  test("a shard whose budget ran out: not tested with that shard's reason", () => {
    const cut = shardJson('spec/protocols/nsl.ban', 2, 2, { maxStates: 20 });
    const { report } = mergeShards([{ json: nsl[0]!, source: 'a' }, { json: { ...cut, bound: nsl[0]!.bound }, source: 'b' }]);
    // the searched kinds are cut; unlinkability is decided whole in every shard (not sharded), so it still holds
    for (const v of report.verdicts) {
      if (v.query.kind === 'unlinkability') expect(v.status).toBe('holds');
      else expect(v.reason).toMatch(/shard 2\/2: the search budget/);
    }
    expect(report.verdicts.some((v) => v.query.kind !== 'unlinkability')).toBe(true);
  });

  test('a spec changed between shards: not tested (refutations from another spec are not kept)', () => {
    const nspk2 = shardJson('spec/protocols/nspk.ban', 2, 2);
    const { report } = mergeShards([{ json: nsl[0]!, source: 'a' }, { json: { ...nspk2, queries: nsl[1]!.queries }, source: 'b' }]);
    for (const v of report.verdicts) expect(v.reason).toMatch(/the spec hash differs/);
  });

  test('a refutation in one shard is kept even when another shard is missing', () => {
    const nspk1 = shardJson('spec/protocols/nspk.ban', 1, 2);
    const nspk2 = shardJson('spec/protocols/nspk.ban', 2, 2);
    const found = [nspk1, nspk2].find((j) => j.queries.some((q) => q.verdict === 'refuted'))!;
    const { report } = mergeShards([{ json: found, source: 'x' }]);
    const refuted = report.verdicts.filter((v) => v.status === 'refuted');
    expect(refuted.length).toBeGreaterThan(0);
    for (const v of refuted) expect(v.attack!.shard).toEqual(found.shard);
    expect(report.verdicts.some((v) => v.status === 'holds')).toBe(false);
  });
});

describe('CLI: claims SPEC --shard K/N --json, claims --merge FILE..., --workers N', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of ['common', 'claims']) ajv.addSchema(JSON.parse(readFileSync(join('schemas', `${f}.schema.json`), 'utf8')) as object);
  const valid = (v: unknown) => {
    const check = ajv.getSchema('https://bantam.dev/schemas/claims.schema.json')!;
    expect(check(v), JSON.stringify(check.errors)).toBe(true);
  };

  test('compromise events of every timing are schema-valid in --json (before, and in another session)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-reveal-json-'));
    const file = join(dir, 'static-key.ban');
    writeFileSync(file, canaryTexts(CANARIES.find((c) => c.name.startsWith('dh-kci (one static key'))!).broken.replace(/\nqueries\n(?:[ \t]+[^\n]*\n)+/, '\nqueries\n  bound per-delivery 4\n  agreement A with B on Na, Nb given reveal skA of A before\n  confidentiality K of A given reveal K of B in another session\n'));
    const r = await cli('claims', file, '--as-written', '--json');
    const j = JSON.parse(r.out);
    valid(j);
    expect(JSON.stringify(j)).toMatch(/"when":"other"/);
    expect(r.code).toBe(1);
  });

  test('two shard files merge into the unsharded verdicts (schema-valid), and a lone shard does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-shard-'));
    const files: string[] = [];
    for (const k of [1, 2]) {
      const r = await cli('claims', 'spec/protocols/nspk.ban', '--shard', `${k}/2`, '--json');
      const j = JSON.parse(r.out);
      valid(j);
      expect(j.shard).toEqual({ index: k, count: 2 });
      files.push(join(dir, `s${k}.json`));
      writeFileSync(files.at(-1)!, r.out);
    }
    const m = await cli('claims', '--merge', ...files, '--json');
    const mj = JSON.parse(m.out);
    valid(mj);
    expect(m.code).toBe(1);
    expect(mj.merged.complete).toBe(true);
    expect(mj.queries.map((q: { verdict: string }) => q.verdict)).toEqual(['holds', 'refuted', 'holds', 'holds', 'refuted', 'refuted']);
    const text = await cli('claims', '--merge', files[1]!);
    expect(text.out).toMatch(/MISSING 1\/2/);
    expect(text.out).not.toMatch(/^holds/m);
    expect((await cli('claims', '--merge')).code).toBe(2);
    expect((await cli('claims', '--merge', 'spec/protocols/nspk.ban')).code).toBe(2);
    expect((await cli('claims', 'spec/protocols/nspk.ban', '--shard', '3/2')).code).toBe(2);
    expect((await cli('claims', '--merge', files[0]!, '--shard', '1/2')).code).toBe(2);
  }, 120_000);

  test('--workers 2 (child processes) gives the same verdicts as one process', async () => {
    const one = JSON.parse((await cli('claims', 'spec/protocols/nsl.ban', '--json')).out);
    const two = await cli('claims', 'spec/protocols/nsl.ban', '--json', '--workers', '2');
    const j = JSON.parse(two.out);
    valid(j);
    expect(two.code).toBe(0);
    expect(j.workers.merged.complete).toBe(true);
    expect(j.queries.map((q: { verdict: string }) => q.verdict)).toEqual(one.queries.map((q: { verdict: string }) => q.verdict));
    expect(j.states).toBe(one.states);
  }, 120_000);
});
