/**
 * The paper's BAN analysis (Chen et al. 2020, §4.1) mechanised.
 *
 * - spec/emr-corrected.ban: every goal G1–G24 is derived, each with a proof tree that ends in
 *   the goal and rests only on the spec's messages and assumptions; every assumption is needed.
 * - spec/emr-printed.ban (as printed): no goal is derived, each with a why-not; the hand proof
 *   S1–S48 gets the per-statement verdicts a correct engine must give (stated here, computed by
 *   checkProof).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { analyse, checkProof, type Analysis, type ProofCheck } from '../src/ban/index.js';
import { showTerm } from '../src/ban/print.js';
import { saturateSpec } from '../src/ban/saturate.js';
import { termKey } from '../src/ban/terms.js';
import { loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/ast.js';
import { categorise, leavesOf, rulesUsed } from '../src/report/errata.js';
import { checkStepsGranting, type LocalVerdict } from '../src/report/local-check.js';
import { generateProofs } from '../src/report/proofs.js';

const corrected: Spec = loadSpec('spec/emr-corrected.ban');
const printed: Spec = loadSpec('spec/emr-printed.ban');
const GOALS = Array.from({ length: 24 }, (_, i) => `G${i + 1}`);

describe('corrected idealisation (spec/emr-corrected.ban)', () => {
  const a: Analysis = analyse(corrected);
  const byLabel = new Map(a.goals.map((g) => [g.label, g]));
  const labels = new Set([...corrected.messages.map((m) => m.label), ...corrected.assumptions.map((x) => x.label)]);

  test('uses the key-agreement extension, declared in the spec', () => {
    expect(corrected.options.keyAgreement).toBe(true);
    expect(a.keyAgreement).toBe(true);
    expect(a.ruleSet).toContain('KA');
  });

  test.each(GOALS)('%s is derived, with a proof tree ending in the goal', (label) => {
    const g = byLabel.get(label);
    expect(g, `${label} missing from the analysis`).toBeDefined();
    expect(g!.derived).toBe(true);
    expect(g!.proof).toBeDefined();
    expect(termKey(g!.proof!.formula)).toBe(termKey(g!.formula));
    // Every leaf is a message or an assumption of this spec (instances name their schema).
    for (const leaf of leavesOf(g!.proof!)) expect(labels.has(leaf), `${label} rests on unknown ${leaf}`).toBe(true);
  });

  test('the key goals rest on the key-agreement rule; the confirmation goals on the CHK MAC (key confirmation, or message meaning + nonce verification)', () => {
    for (const l of ['G1', 'G3', 'G9', 'G11', 'G17', 'G19']) expect(rulesUsed(byLabel.get(l)!.proof!)).toContain('KA');
    for (const l of ['G2', 'G4', 'G10', 'G12', 'G18', 'G20']) {
      const used = rulesUsed(byLabel.get(l)!.proof!);
      expect(used).toContain('KA');
      expect(used.includes('KA-CONF') || (used.includes('MM-SK') && used.includes('NV')), `${l}: ${used.join(', ')}`).toBe(true);
    }
    // Bare-identity goals go through the printed jurisdiction assumptions.
    for (const l of ['G5', 'G7', 'G13', 'G15', 'G21', 'G23']) expect(rulesUsed(byLabel.get(l)!.proof!)).toContain('JUR');
  });

  test('statement forms of the bare-identity goals are derived too, and bare-term goals carry a note', () => {
    for (const l of ['G5s', 'G6s', 'G7s', 'G8s', 'G13s', 'G14s', 'G15s', 'G16s', 'G21s', 'G22s', 'G23s', 'G24s']) {
      expect(byLabel.get(l)?.derived, l).toBe(true);
    }
    expect(byLabel.get('G5')!.notes?.join(' ')).toMatch(/bare term/);
  });

  test('the printed typos are corrected (G14 names HB, G17 is HB\'s key belief, A24 names ID_HPB)', () => {
    const g = (l: string): string => showTerm(corrected.goals.find((x) => x.label === l)!.formula);
    expect(g('G14')).toBe('P |= HB |= ID_HPB');
    expect(g('G17')).toMatch(/^HB \|= HB <-F0\(/);
    expect(showTerm(corrected.assumptions.find((x) => x.label === 'A24')!.formula)).toBe('HA |= HB |=> ID_HPB');
  });

  test('every assumption is necessary: removing any one loses at least one goal', () => {
    const goals = corrected.goals.map((g) => termKey(g.formula));
    for (const x of corrected.assumptions) {
      const st = saturateSpec({ ...corrected, assumptions: corrected.assumptions.filter((y) => y !== x) });
      const lost = goals.filter((k) => !st.facts.has(k));
      expect(lost.length, `${x.label} is redundant`).toBeGreaterThan(0);
    }
  });

  test('the freshness assumptions kept are own-ephemeral ones only; the peer-ephemeral ones of §4.1 are gone', () => {
    const fresh = corrected.assumptions.filter((x) => x.formula.kind === 'believes' && x.formula.what.kind === 'fresh').map((x) => showTerm(x.formula));
    expect(fresh.sort()).toEqual(['HA |= #(T_HPA)', 'HA |= #(T_HPA2)', 'HB |= #(T_HPB)', 'HB |= #(T_HPB2)', 'P |= #(T_PAT)', 'P |= #(T_PAT2)'].sort());
    for (const dropped of ['A2', 'A3', 'A10', 'A11', 'A18', 'A19', 'A5', 'A6', 'A13', 'A14', 'A21', 'A22']) {
      expect(corrected.assumptions.some((x) => x.label === dropped), dropped).toBe(false);
    }
  });

  test('every added assumption says why, and every idealised message names its concrete step', () => {
    const printedLabels = new Set(printed.assumptions.map((x) => x.label));
    for (const x of corrected.assumptions) if (!printedLabels.has(x.label)) expect(x.notes.why, `${x.label} has no '# why:'`).toBeTruthy();
    const stepIds = new Set(corrected.flow!.phases.flatMap((p) => p.steps.map((s) => s.id)));
    for (const m of corrected.messages) {
      expect(m.concrete.length, m.label).toBeGreaterThan(0);
      for (const s of m.concrete) expect(stepIds.has(s), `${m.label} -> ${s}`).toBe(true);
    }
  });

  test('its hand proof C1–C48 (the paper\'s parts a–f, redone) is valid step by step', () => {
    const c = checkProof(corrected);
    expect(c.steps.map((s) => s.label)).toEqual(Array.from({ length: 48 }, (_, i) => `C${i + 1}`));
    expect(c.steps.filter((s) => !s.valid).map((s) => `${s.label}: ${s.reason}`)).toEqual([]);
    expect(c.valid).toBe(true);
  });

  test('without the key-agreement extension the corrected spec derives none of the key goals', () => {
    const plain = analyse(corrected, { keyAgreement: false, whyNot: false });
    for (const l of ['G1', 'G2', 'G3', 'G4']) expect(plain.goals.find((g) => g.label === l)!.derived, l).toBe(false);
  });
});

describe('the analysis as printed (spec/emr-printed.ban)', () => {
  const a: Analysis = analyse(printed);

  test('transcribes §4.1 completely: M1–M6, A1–A24, G1–G24, S1–S48', () => {
    expect(printed.messages.map((m) => m.label)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6']);
    expect(printed.assumptions.map((x) => x.label)).toEqual(Array.from({ length: 24 }, (_, i) => `A${i + 1}`));
    expect(printed.goals.map((x) => x.label)).toEqual(GOALS);
    expect(printed.proof.map((x) => x.label)).toEqual(Array.from({ length: 48 }, (_, i) => `S${i + 1}`));
  });

  test('keeps the printed typos, each marked', () => {
    const typo = (l: string): string | undefined =>
      [...printed.messages, ...printed.assumptions, ...printed.goals, ...printed.proof].find((x) => x.label === l)?.notes.typo;
    for (const l of ['M6', 'A24', 'G14', 'G17', 'S17', 'S25', 'S31', 'S32', 'S33']) expect(typo(l), l).toBeTruthy();
    expect(showTerm(printed.goals.find((g) => g.label === 'G14')!.formula)).toBe('P |= HA |= ID_HPB');
    expect(showTerm(printed.assumptions.find((g) => g.label === 'A24')!.formula)).toBe('HA |= HB |=> ID_HBP');
  });

  test('the parser flags the public keys used as secrets and the bare-term beliefs', () => {
    const codes = new Set(printed.diagnostics.map((d) => d.code));
    expect(codes).toContain('type.pubkey-as-secret');
    expect(codes).toContain('type.bare-term-belief');
    expect(codes).toContain('type.bare-term-jurisdiction');
  });

  test('no goal is derived, and each failure comes with missing premises', () => {
    expect(a.goals.map((g) => g.label)).toEqual(GOALS);
    for (const g of a.goals) {
      expect(g.derived, g.label).toBe(false);
      expect(g.whyNot?.missing.length, g.label).toBeGreaterThan(0);
    }
  });

  test('the key goals miss exactly what the paper never establishes: a belief about the peer\'s key belief', () => {
    const g1 = a.goals.find((g) => g.label === 'G1')!;
    expect(g1.whyNot!.missing.map((m) => showTerm(m.formula))).toContain('P |= HA |= P <-SEK_AP-> HA');
    // ...which would suffice with A5 (jurisdiction), but nothing in the printed messages gives it:
    // the why-not says so first, and offers no belief about the peer's belief as an assumption.
    expect(g1.whyNot!.blockers[0]).toMatch(/^no message P receives contains P <-SEK_AP-> HA/);
    expect(g1.whyNot!.suggestions).toEqual([]);
  });

  test('switching on key agreement does not rescue the printed idealisation (it has no key-agreement keys)', () => {
    const ka = analyse(printed, { keyAgreement: true, whyNot: false });
    expect(ka.goals.filter((g) => g.derived)).toEqual([]);
  });
});

describe('checkProof on the printed hand proof S1–S48', () => {
  const c: ProofCheck = checkProof(printed);
  const chain = new Map(c.steps.map((s) => [s.label, s]));
  const local: Map<string, LocalVerdict> = new Map(checkStepsGranting(printed).map((v) => [v.label, v]));
  const steps = new Map(printed.proof.map((s) => [s.label, s]));
  const cat = (l: string): string => categorise(steps.get(l)!.rule, local.get(l)!, steps.get(l)!.formula);

  test('the proof as a whole is invalid; only the two seeing steps that restate a message are valid in the chain', () => {
    expect(c.valid).toBe(false);
    expect(c.steps.filter((s) => s.valid).map((s) => s.label)).toEqual(['S1', 'S9']);
  });

  test('seeing steps with a typo (S17, S25, S33: HBP; S41: M6 prints T_HPA) are not what the message contains', () => {
    for (const l of ['S17', 'S25', 'S33', 'S41']) {
      expect(chain.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('not-in-message');
    }
  });

  test('freshness steps (S2, S10, …) are invalid: freshness of T inside <…>_Y does not lift to the message', () => {
    for (const l of ['S2', 'S10', 'S18', 'S26', 'S34', 'S42']) {
      expect(local.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('freshness-does-not-lift');
      expect(local.get(l)!.reason, l).toMatch(/FRESH/);
    }
  });

  test('message-meaning steps (S3, S11, …) are invalid on their own: a freshness assumption is cited, no key or secret belief exists', () => {
    for (const l of ['S3', 'S11', 'S19', 'S27', 'S35', 'S43']) {
      expect(local.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('message-meaning-without-key');
      // The engine rejects the step for its form: message meaning takes no freshness premise
      // (issue 16), and does not name a public key as the missing secret.
      expect(local.get(l)!.reason, l).toMatch(/^message meaning takes no freshness premise: A\d+ \(\w+ \|= #\(\w+\)\) is a freshness belief/);
      expect(local.get(l)!.reason, l).not.toMatch(/<=PK_/);
    }
    // S3 and S11 cite valid statements only, so they fail in the chain for their own reason.
    for (const l of ['S3', 'S11']) expect(chain.get(l)!.reason, l).toMatch(/message meaning takes no freshness premise/);
  });

  test('nonce-verification steps are invalid on their own: what was said contains <…>_Y, not cleartext', () => {
    for (const l of ['S4', 'S12', 'S20', 'S28', 'S36', 'S44']) {
      expect(local.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('nonce-verification-not-cleartext');
    }
  });

  test('every "belief rule" step is invalid: no rule goes from a message belief or a key belief to these beliefs', () => {
    const belief = printed.proof.filter((s) => s.rule === 'belief').map((s) => s.label);
    expect(belief).toEqual(['S5', 'S7', 'S13', 'S15', 'S21', 'S23', 'S29', 'S31', 'S37', 'S39', 'S45', 'S47']);
    for (const l of belief) {
      expect(local.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('no-such-belief-rule');
    }
  });

  test('jurisdiction steps are valid in form when their premises are granted, except where a typo breaks them (S32, S40)', () => {
    for (const l of ['S6', 'S8', 'S14', 'S16', 'S22', 'S24', 'S30', 'S38', 'S46', 'S48']) expect(local.get(l)!.valid, l).toBe(true);
    for (const l of ['S32', 'S40']) {
      expect(local.get(l)!.valid, l).toBe(false);
      expect(cat(l), l).toBe('jurisdiction-premise-missing');
    }
    // In the chain every one of them rests on an invalid belief step.
    for (const l of ['S6', 'S8', 'S14', 'S16']) expect(chain.get(l)!.dependsOnInvalid?.length, l).toBeGreaterThan(0);
  });
});


describe('bantam proofs (transcripts, errata table, the CI gate)', () => {
  // One generation in-process, then the command on a scratch copy of spec/: deterministic
  // output, independent of where the repository lives, and --check catches a stale file.
  const here = generateProofs('.');
  const scratch = mkdtempSync(join(tmpdir(), 'bantam-proofs-'));
  cpSync('spec', join(scratch, 'spec'), { recursive: true });
  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await main(['proofs', ...argv, '--root', scratch], { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') });
    return { code, out, err };
  };

  test('writes every artifact, byte-identical to an independent generation, with no absolute path or timestamp', async () => {
    const w = await run('--write');
    expect(w.code).toBe(0);
    for (const a of here.artifacts) {
      expect(readFileSync(join(scratch, a.path), 'utf8'), a.path).toBe(a.content);
      expect(a.content.includes(process.cwd()), a.path).toBe(false);
      expect(a.content.includes(scratch), a.path).toBe(false);
      expect(a.content, a.path).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/);
    }
    const paths = here.artifacts.map((a) => a.path);
    for (const p of ['proofs/emr-printed.md', 'proofs/emr-printed.tex', 'proofs/emr-corrected.md', 'proofs/emr-corrected.tex', 'docs/errata-table.md', 'proofs/classic/kerberos.md', 'proofs/README.md']) {
      expect(paths).toContain(p);
    }
    expect(here.summaries.every((s) => s.ok), JSON.stringify(here.summaries.filter((s) => !s.ok))).toBe(true);
  });

  test('--check exits 1 on a stale file and names it (JSON); bad flags exit 2', async () => {
    writeFileSync(join(scratch, 'proofs/README.md'), 'edited by hand\n');
    const c = await run('--check', '--json');
    expect(c.code).toBe(1);
    const j = JSON.parse(c.out) as { ok: boolean; files: { path: string; status: string }[] };
    expect(j.ok).toBe(false);
    expect(j.files.filter((f) => f.status !== 'same').map((f) => f.path)).toEqual(['proofs/README.md']);
    expect((await run('--write', '--check')).code).toBe(2);
    rmSync(scratch, { recursive: true, force: true });
  });

  test('the committed transcripts are current (else: npx tsx src/cli/main.ts proofs --write, and commit)', () => {
    const stale = here.artifacts.filter((a) => !existsSync(a.path) || readFileSync(a.path, 'utf8') !== a.content).map((a) => a.path);
    expect(stale).toEqual([]);
  });

  test('the errata table is generated from the engine: its summary counts match the analyses', () => {
    const table = here.artifacts.find((a) => a.path === 'docs/errata-table.md')!.content;
    expect(table).toContain("(spec/emr-printed.ban): **0 of 24**");
    expect(table).toContain('(spec/emr-corrected.ban): **24 of 24**');
    expect(table).toMatch(/\| S3 \| .* \| message meaning from S1, A4 \| \*\*invalid\*\* \|/);
  });
});
