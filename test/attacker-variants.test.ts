/**
 * Paper-literal vs hardened variants, type confusion across steps, and the trust every "holds"
 * rests on (issue 13, items 2 and 6; src/attacker/variants.ts, confusion.ts, trust.ts):
 *  - variants are made by changing the typed protocol (options, and the AD each AEAD application
 *    carries), never the spec's text;
 *  - on test/fixtures/key-transport-sk.ban every query holds as written, while the paper-literal
 *    variant (no wire tag, no AEAD associated data) is refuted by a type-flaw attack: B's message 2
 *    of another session answers message 3 and B takes a nonce it sent in clear as the session key.
 *    The attack is attributed to the AEAD associated data; the wire tag alone does not stop it
 *    (the attacker rewrites an unauthenticated tag);
 *  - the attacker reads observed bytes as other steps and sorts where the decoding accepts them;
 *  - `claims SPEC` marks each dependency in text and JSON; `--as-written` runs once; an already
 *    literal spec says so and runs once; the `assumes:` line is computed from the setup.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import type { TExpr, TypedProtocol } from '../src/flow-lang/typed.js';
import { attackContext, execute, judgeQuery, queriesOf } from '../src/attacker/index.js';
import { rereads } from '../src/attacker/confusion.js';
import { additionsOf, withoutAdditions } from '../src/attacker/variants.js';
import { queryTrustText, trustOf, trustText } from '../src/attacker/trust.js';
import { executableOf, loadExecutable } from '../src/interpret/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { cli } from './helpers/cli.js';

const FIXTURE = 'test/fixtures/key-transport-sk.ban';
const SUITE = 'secp256k1';

function adsOf(p: TypedProtocol): string[] {
  const out: string[] = [];
  const walk = (e: TExpr): void => {
    if (e.kind === 'prim') {
      if (e.ad !== undefined) out.push(e.ad);
      e.args.forEach(walk);
    } else if (e.kind === 'env') e.args.forEach(walk);
    else if (e.kind === 'tuple') e.items.forEach(walk);
  };
  for (const a of [...p.setup, ...p.phases.flatMap((ph) => [...ph.local, ...ph.steps.flatMap((s) => [...s.before, ...s.after])])]) {
    if (a.kind === 'compute') walk(a.expr);
    else if (a.kind === 'check') [a.left, ...(a.right ? [a.right] : [])].forEach(walk);
    else if (a.kind === 'call') a.args.forEach(walk);
  }
  return out;
}

describe('variants are typed-protocol transforms', () => {
  test('removing aead-ad strips the AD of every enc/dec application and sets the option; removing the tag leaves the AD; the original is untouched', () => {
    const { protocol } = loadExecutable(FIXTURE);
    expect(additionsOf(protocol).map((a) => [a.id, a.declared])).toEqual([
      ['wire-tag', true],
      ['aead-ad', true],
    ]);
    expect(adsOf(protocol).sort()).toEqual(['kt.2', 'kt.2', 'kt.3', 'kt.3']);
    const lit = withoutAdditions(protocol, ['wire-tag', 'aead-ad']);
    expect(lit.options).toMatchObject({ wire: 'untagged', aeadAd: 'none' });
    expect(adsOf(lit)).toEqual([]);
    expect(additionsOf(lit)).toEqual([]);
    const untagged = withoutAdditions(protocol, ['wire-tag']);
    expect(untagged.options).toMatchObject({ wire: 'untagged', aeadAd: 'field-step' });
    expect(adsOf(untagged)).toHaveLength(4);
    // the spec as written still has both
    expect(protocol.options).toMatchObject({ wire: 'tagged', aeadAd: 'field-step' });
    expect(adsOf(protocol)).toHaveLength(4);
  });

  test('a default the spec does not declare is an addition too, marked as not declared', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('  options wire tagged\n', '');
    const { protocol } = executableOf(parseSpec('kt-default.ban', text));
    expect(protocol.options.wire).toBe('tagged');
    expect(additionsOf(protocol).find((a) => a.id === 'wire-tag')).toMatchObject({ declared: false });
  });
});

describe('type confusion: observed bytes read as another step or sort', () => {
  test('a field re-reads as every other sort a receiver decodes (a 32-byte nonce as a key); a whole message as another step whose layout accepts it', () => {
    const { protocol } = loadExecutable(FIXTURE);
    const suite = getSuite(SUITE);
    const [kt1, kt2, kt3] = protocol.phases[0]!.steps;
    // Na whose first two bytes read as the u16 length 30 of a ciphertext: message 1 parses as message 3
    const na = new Uint8Array(32).fill(7);
    na[0] = 0;
    na[1] = 30;
    const fields = new Map([['Na', { sort: kt1!.fields[0]!.sort, v: na }]]);
    const tagged = Uint8Array.of(kt1!.tag, ...na);
    const got = rereads(suite, protocol, { id: 9, step: 'kt.1' }, kt1!, fields, tagged, true);
    const asKey = got.find((x) => x.how.field === 'Na' && x.value.sort.kind === 'base' && x.value.sort.name === 'key');
    expect(asKey?.value.v).toEqual(na);
    const asMsg3 = got.find((x) => x.how.as === `message ${kt3!.id} (field c3)`);
    expect(asMsg3?.value.v).toEqual(na.subarray(2));
    // the tag byte is dropped, as a Dolev–Yao attacker drops it: the same bytes untagged give the same re-reads
    expect(rereads(suite, protocol, { id: 9, step: 'kt.1' }, kt1!, fields, na, false).length).toBe(got.length);
    // a length that does not match: no whole-message re-read
    const other = new Uint8Array(32).fill(7);
    expect(rereads(suite, protocol, { id: 9, step: 'kt.1' }, kt1!, new Map([['Na', { sort: kt1!.fields[0]!.sort, v: other }]]), other, false).some((x) => x.how.as.startsWith('message'))).toBe(false);
    expect(kt2).toBeDefined();
  });

  test('in a run, the attacker learns B\'s clear nonce as a key, with its derivation', () => {
    const { protocol } = loadExecutable(FIXTURE);
    const ctx = attackContext(protocol, getSuite(SUITE), '1');
    const st = execute(ctx, { config: [{ phase: 'kt', role: 'B', binding: { A: 'A', B: 'B' } }], moves: [{ session: 0, step: 'kt.1', fields: [{ name: 'Na', recipe: { kind: 'known', item: st0Nonce(ctx) } }] }] }, true);
    const nb = st.sessions[0]!.values.get('Nb')!;
    const asKey = st.knowledge.find({ sort: { kind: 'base', name: 'key' }, v: nb.v });
    expect(asKey?.how).toMatchObject({ kind: 'reread', step: 'kt.2', field: 'Nb', as: 'a key' });
    expect(st.story.flat().join('\n')).toMatch(/re-read as a key \(type confusion: the encoding accepts it\)/);
  });
});

/** The id of the attacker's own fresh nonce in a run with no sessions. */
function st0Nonce(ctx: ReturnType<typeof attackContext>): number {
  return execute(ctx, { config: [], moves: [] }).knowledge.items.find((i) => i.name === 'N_M')!.id;
}

describe('claims SPEC: paper-literal vs hardened on the key-transport fixture', () => {
  let text: { code: number; out: string };
  let json: { code: number; out: string };
  const exportDir = mkdtempSync(join(tmpdir(), 'bantam-variants-'));
  const drawDir = mkdtempSync(join(tmpdir(), 'bantam-variants-draw-'));
  beforeAll(async () => {
    text = await cli('claims', FIXTURE, '--export', exportDir, '--import-from', 'bantam', '--diagram', drawDir, '--render', 'none');
    json = await cli('claims', FIXTURE, '--json');
  }, 240_000);

  test('as written every query holds; B\'s confidentiality and agreement depend on the AEAD associated data, with the literal attack printed', () => {
    expect(text.code).toBe(0);
    const out = text.out;
    expect(out).toMatch(/^variants: as written and paper-literal \(wire untagged, aead-ad none\); additions the paper does not make: wire tagged .*aead-ad field-step/m);
    expect(out).toMatch(/^holds +confidentiality Ks of B .*\n +rests on: A, B honest in kt; secret: Kab \(shared by A, B\); depends on: aead-ad field-step; paper-literal: REFUTED \(attack L1\)/m);
    expect(out).toMatch(/^holds +agreement B with A on Na, Nb, Ks .*\n +rests on: .*; depends on: aead-ad field-step; paper-literal: REFUTED \(attack L2\)/m);
    expect(out).toMatch(/^holds +confidentiality Ks of A .*\n +rests on: .*; paper-literal: holds too$/m);
    expect(out).toMatch(/^Attack L1 — confidentiality Ks of B in the paper-literal variant/m);
    expect(out).toMatch(/violated: the attacker holds Ks of session .* re-read as a key \(type confusion/);
    // the attribution was computed: without the tag alone it holds, without the AD alone it is refuted
    expect(out).toMatch(/^ +without wire tag \(wire untagged, aead-ad field-step\): .* 0 refuted, 4 hold/m);
    expect(out).toMatch(/^ +without aead-ad \(wire tagged, aead-ad none\): .* 2 refuted, 2 hold/m);
  });

  test('--diagram draws the literal attacks from their replay on the literal variant, titled as such', () => {
    expect(readdirSync(drawDir).sort()).toEqual(['attack-L1-honest.mmd', 'attack-L1.mmd', 'attack-L2-honest.mmd', 'attack-L2.mmd']);
    const mmd = readFileSync(join(drawDir, 'attack-L1.mmd'), 'utf8');
    // the honest run beside it is replayed on the same literal variant, with no attacker
    expect(readFileSync(join(drawDir, 'attack-L1-honest.mmd'), 'utf8')).toMatch(/Attack L1, honest run: the same sessions, no attacker/);
    expect(mmd).toMatch(/Attack L1: confidentiality Ks of B — REFUTED in the paper-literal variant \(wire untagged, aead-ad none\)/);
    expect(mmd).toMatch(/re-read as a key/);
  });

  test('--export writes the literal attacks as tests that rebuild the literal variant from the typed protocol', () => {
    expect(readdirSync(exportDir).sort()).toEqual(['attack-L1.test.ts', 'attack-L2.test.ts']);
    const src = readFileSync(join(exportDir, 'attack-L1.test.ts'), 'utf8');
    expect(src).toMatch(/on the variant without wire-tag, aead-ad \(the paper-literal variant\)/);
    expect(src).toContain('const protocol = attacker.withoutAdditions(written, ["wire-tag","aead-ad"]);');
    expect(src).toContain('const QUERY = "confidentiality Ks of B";');
    // its scenario violates the query on the literal variant only
    const scenario = JSON.parse(/const SCENARIO: attacker\.Scenario = ([\s\S]*?);\n\ntest\(/.exec(src)![1]!);
    const { spec, protocol } = loadExecutable(FIXTURE);
    const query = queriesOf(spec, protocol).find((x) => x.text === 'confidentiality Ks of B')!;
    const on = (p: TypedProtocol) => {
      const ctx = attackContext(p, getSuite(SUITE), '1');
      return judgeQuery(ctx, query, execute(ctx, scenario)).violated;
    };
    expect(on(withoutAdditions(protocol, ['wire-tag', 'aead-ad']))).toBe(true);
    expect(on(protocol)).toBe(false);
  });

  test('--json carries both verdicts per query, the dependency, the replayable literal attack and the trust', () => {
    expect(json.code).toBe(0);
    const j = JSON.parse(json.out);
    const q = Object.fromEntries(j.queries.map((x: { query: string }) => [x.query, x]));
    expect(q['confidentiality Ks of B']).toMatchObject({ verdict: 'holds', literal: { verdict: 'refuted' }, dependsOn: ['aead-ad'] });
    expect(q['agreement B with A on Na, Nb, Ks']).toMatchObject({ verdict: 'holds', literal: { verdict: 'refuted' }, dependsOn: ['aead-ad'] });
    expect(q['confidentiality Ks of A']).toMatchObject({ verdict: 'holds', literal: { verdict: 'holds' }, dependsOn: [] });
    expect(q['confidentiality Ks of B'].restsOn).toMatch(/Kab \(shared by A, B\)/);
    expect(j.verdicts.find((v: { name: string }) => v.name === 'confidentiality Ks of B').verdict).toBe('holds (depends on: aead-ad field-step)');
    expect(j.variants.runs.map((r: { name: string }) => r.name)).toEqual(['as written', 'paper-literal', 'without wire tag', 'without aead-ad']);
    expect(j.trust.values).toEqual([{ name: 'Kab', sort: 'key', roles: ['A', 'B'], how: 'shared', from: [], published: false, derivableBy: ['A', 'B'] }]);
    // the literal attack replays on the literal variant, and not on the spec as written
    const { spec, protocol } = loadExecutable(FIXTURE);
    const query = queriesOf(spec, protocol).find((x) => x.text === 'confidentiality Ks of B')!;
    const sc = q['confidentiality Ks of B'].literal.attack.scenario;
    const lit = withoutAdditions(protocol, ['wire-tag', 'aead-ad']);
    const ctxLit = attackContext(lit, getSuite(j.suite), String(j.seed));
    const stLit = execute(ctxLit, sc);
    expect(judgeQuery(ctxLit, query, stLit).violated).toBe(true);
    const ctxW = attackContext(protocol, getSuite(j.suite), String(j.seed));
    const stW = execute(ctxW, sc);
    expect(judgeQuery(ctxW, query, stW).violated).toBe(false);
  });
});

describe('claims SPEC --export: the literal attacks as tests', () => {
  test('with --as-written no literal attack is exported (and as written nothing is refuted)', async () => {
    const r = await cli('claims', FIXTURE, '--export', mkdtempSync(join(tmpdir(), 'bantam-variants-')), '--import-from', 'bantam', '--as-written');
    expect(r.out).not.toMatch(/attack tests written/); // as written nothing is refuted, and --as-written has no literal attacks
  }, 120_000);
});

describe('claims SPEC: --as-written, already-literal specs, and the trust line', () => {
  test('--as-written searches once and says the dependencies were not computed', async () => {
    const r = await cli('claims', FIXTURE, '--as-written', '--json');
    const j = JSON.parse(r.out);
    expect(j.variants).toMatchObject({ skipped: true, literalAsWritten: false });
    expect(j.variants.runs).toHaveLength(1);
    expect(j.queries.every((q: { literal?: unknown; dependsOn: string[] }) => q.literal === undefined && q.dependsOn.length === 0)).toBe(true);
    const t = await cli('claims', FIXTURE, '--as-written');
    expect(t.out).toMatch(/^variants: --as-written: only the spec as written was searched/m);
    expect(t.out).not.toMatch(/paper-literal: /);
  }, 120_000);

  test('a spec that is already literal runs once and says so; there its type-flaw attack is a plain REFUTED', async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace(/^  options wire tagged$/m, '  options wire untagged').replace(/^  options aead-ad field-step$/m, '  options aead-ad none');
    expect(text).toMatch(/^  options aead-ad none$/m);
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/kt-`);
    const f = `${dir}/kt-literal.ban`;
    (await import('node:fs')).writeFileSync(f, text);
    const r = await cli('claims', f);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^variants: the spec as written is already paper-literal \(wire untagged, aead-ad none: no addition to remove\), so it runs once/m);
    expect(r.out).toMatch(/^REFUTED +confidentiality Ks of B/m);
    expect(r.out).not.toMatch(/^Variants \(same seed/m);
  }, 120_000);

  test('the assumes line and each "rests on" are computed from setup, share and publishes', () => {
    const nspk = loadExecutable('spec/protocols/nspk.ban');
    const t = trustOf(nspk.protocol, ['A', 'B'], 'M');
    const line = trustText(t);
    expect(line).toMatch(/trusted \(honest\): A, B/);
    expect(line).toMatch(/skA \(scalar\) held only by the principal playing A's setup/);
    expect(line).toMatch(/public: pkA \(from skA\), pkB \(from skB\)/);
    const q = queriesOf(nspk.spec, nspk.protocol)[0]!;
    expect(queryTrustText(nspk.protocol, t, q)).toBe("A, B honest in ns; secret: skA (A's only), skB (B's only)");
    // a value computed in the setup and not published is a secret, named with what it is derived from
    const sts = readFileSync('spec/protocols/sts.ban', 'utf8').replace('    A publishes pkA\n', '    A publishes pkA\n    A computes hA = hash("h", skA, pkA)\n    A computes hP = hash("p", pkA)\n');
    const ex = executableOf(parseSpec('sts-static.ban', sts));
    const t2 = trustOf(ex.protocol, ['A', 'B'], 'M');
    const hA = t2.values.find((v) => v.name === 'hA');
    expect(hA).toMatchObject({ how: 'computed', roles: ['A'], published: false, derivableBy: ['A'] });
    // computed from public values only: no secret, and the line says so
    expect(t2.values.find((v) => v.name === 'hP')).toMatchObject({ how: 'computed', published: false, derivableBy: 'anyone' });
    // keys made in a phase and stored (EMR's registration): held by the storer and by the party that made them
    const emr = loadExecutable('spec/emr-flow.ban').protocol;
    const sPat = trustOf(emr, ['PAT-1', 'HPA', 'HPB', 'CENTER'], 'M').values.find((v) => v.name === 'S_PAT');
    expect(sPat).toMatchObject({ how: 'stored', roles: ['P', 'BC'] });
    expect(sPat!.from).toContain('s');
    expect(trustText(trustOf(emr, ['PAT-1'], 'M'))).toMatch(/S_PAT \(scalar\) kept by the principal playing P, also held by the one playing BC that made it from r_PAT, h_PAT, s/);
    // values the flow itself makes public are never secrets a verdict rests on: R_PAT goes in clear in
    // initial.1, and HA computes PK_PAT from public values (16); a private environment function (diagnose)
    // does not make its result public, so the patient's stored index stays secret
    const emrTrust = trustOf(emr, ['PAT-1', 'HPA', 'HPB', 'CENTER'], 'M');
    const byName = (n: string) => emrTrust.values.find((v) => v.name === n);
    expect(byName('R_PAT')).toMatchObject({ exposed: 'sent in clear in initial.1', derivableBy: 'anyone' });
    expect(byName('PK_PAT')!.exposed).toMatch(/^computed by HA from public (R_PAT|ID_PAT|PK)(, (R_PAT|ID_PAT|PK)){2} in initial$/);
    expect(byName('S_PAT')!.exposed).toBeUndefined();
    expect(byName('index_HPA')!.exposed).toBeUndefined();
    expect(trustText(emrTrust)).toMatch(/made public by the flow: R_PAT \(sent in clear in initial\.1\)/);
    expect(trustText(emrTrust)).not.toMatch(/long-term secrets:[^;]*\bR_PAT\b/);
    const kci = queriesOf(loadExecutable('spec/emr-flow.ban').spec, emr).find((x) => x.text.startsWith('injective-agreement HB with P') && x.text.includes('reveal'))!;
    const rests = queryTrustText(emr, emrTrust, kci);
    expect(rests).toMatch(/secret: .*S_PAT \(P\/BC's only\)/);
    expect(rests).not.toMatch(/\b(R_PAT|PK_PAT|R_HPB|PK_HPB)\b/);
    // S_PAT is read in inter without being bound there; HB's S_HPB is revealed before, and SK_HPB made from it
    expect(rests).not.toMatch(/\b(S_HPB|SK_HPB)\b/);
    const fs = queriesOf(loadExecutable('spec/emr-flow.ban').spec, emr).find((x) => x.text.includes('reveal s of BC after'))!;
    expect(queryTrustText(emr, emrTrust, fs)).toMatch(/S_PAT \(P\/BC's only, until revealed after the session\)/);
    expect(trustText(t2)).toMatch(/hP \(hash\) is NOT secret: anyone can compute it from public pkA/);
    expect(hA!.from.sort()).toEqual(['pkA', 'skA']);
    expect(trustText(t2)).toMatch(/hA \(hash\) derived by the principal playing A's setup from (skA, pkA|pkA, skA), held only by it/);
  });
});
