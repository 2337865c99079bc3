/**
 * Drift tests for `bantam conform` (src/conform): an altered copy of the model (src/model and
 * src/net/messages.ts copied into a temp folder, one edit applied) must fail with the finding
 * that names the edit. The unaltered copy must pass, so each failure below is caused by its edit.
 * Every edit asserts that it matched exactly once, so a test cannot pass on an edit that did nothing.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conform, type ConformReport, type Finding } from '../src/conform/index.js';

const ROOT = join(import.meta.dirname, '..');
const SPEC = join(ROOT, 'spec/emr-flow.ban');
let base: string;
let n = 0;

interface Edit {
  file: 'src/model/protocol.ts' | 'src/model/equations.ts' | 'src/net/messages.ts';
  find: RegExp;
  replace: string;
}

/** A fresh copy of the model with the edits applied; each edit must match exactly once. */
function mutant(...edits: Edit[]): string {
  const dir = join(base, `m${n++}`);
  mkdirSync(join(dir, 'src/net'), { recursive: true });
  cpSync(join(ROOT, 'src/model'), join(dir, 'src/model'), { recursive: true });
  cpSync(join(ROOT, 'src/net/messages.ts'), join(dir, 'src/net/messages.ts'));
  for (const e of edits) {
    const p = join(dir, e.file);
    const text = readFileSync(p, 'utf8');
    const hits = text.match(new RegExp(e.find.source, `${e.find.flags.replace('g', '')}g`)) ?? [];
    expect(hits.length, `edit ${e.find} must match exactly once in ${e.file}`).toBe(1);
    writeFileSync(p, text.replace(e.find, e.replace));
  }
  return dir;
}

function check(dir: string, spec = SPEC): ConformReport {
  return conform({ spec, src: join(dir, 'src/model'), messages: join(dir, 'src/net/messages.ts'), tests: null });
}

const codes = (r: ConformReport) => r.findings.map((f) => f.code);
function only(r: ConformReport, code: string): Finding[] {
  return r.findings.filter((f) => f.code === code);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'bantam-conform-'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('conform: an unaltered copy of the model is conformant', () => {
  test('no findings on the copy (so every finding below comes from its edit)', () => {
    const r = check(mutant());
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.counts.equations).toBe(73);
    expect(r.equations.every((e) => e.tags.length === 1)).toBe(true);
  });
});

describe('conform: tags', () => {
  test('a removed @eq tag is reported as the equation missing its site', () => {
    const r = check(mutant({ file: 'src/model/equations.ts', find: /\/\*\* @eq 25 [^\n]*\*\/\n/, replace: '' }));
    const f = only(r, 'tag.missing');
    expect(f).toHaveLength(1);
    expect(f[0]!.eq).toBe(25);
    expect(f[0]!.message).toContain('(25) CHK_PA =? H3(SEK_AP, T_PAT)');
    expect(r.ok).toBe(false);
  });

  test('a second site tagged with the same equation is a duplicate', () => {
    const r = check(mutant({ file: 'src/model/equations.ts', find: /\/\*\* @eq 18 /, replace: '/** @eq 17 */\n/** @eq 18 ' }));
    const f = only(r, 'tag.duplicate');
    expect(f).toHaveLength(1);
    expect(f[0]!.eq).toBe(17);
    expect(f[0]!.message).toMatch(/tagged 2 times: .*eq17_K_AP1.*eq18_K_AP2/);
  });

  test('two tags with their numbers swapped: the tag text no longer matches the spec, and the order breaks', () => {
    const r = check(
      mutant(
        { file: 'src/model/equations.ts', find: /\/\*\* @eq 17 K_AP1/, replace: '/** @eq 18 K_AP1' },
        { file: 'src/model/equations.ts', find: /\/\*\* @eq 18 K_AP2/, replace: '/** @eq 17 K_AP2' },
      ),
    );
    expect(only(r, 'tag.text').map((f) => f.eq).sort()).toEqual([17, 18]);
    expect(only(r, 'tag.text').find((f) => f.eq === 18)!.message).toBe(
      "@eq 18 on eq17_K_AP1 says 'K_AP1 = S_HPA·T_PAT + b·PK_PAT'; the spec's (18) is 'K_AP2 = b·T_PAT' — is the number wrong?",
    );
    expect(only(r, 'flow.order').map((f) => f.eq)).toEqual([18]);
  });

  test('a tag naming an equation the spec lacks, and a malformed tag', () => {
    const r = check(
      mutant(
        { file: 'src/model/equations.ts', find: /\/\*\* @eq 1 PK = s·P/, replace: '/** @eq 74 */\n/** @eq 1 PK = s·P' },
        { file: 'src/model/equations.ts', find: /\/\*\* @eq 14 T_PAT/, replace: '/** @eq fourteen */\n/** @eq 14 T_PAT' },
      ),
    );
    expect(only(r, 'tag.unknown').map((f) => f.eq)).toEqual([74]);
    expect(only(r, 'tag.malformed')[0]!.message).toContain("'@eq fourteen'");
  });

  test('an @eq in a line comment is reported, not counted', () => {
    const r = check(mutant({ file: 'src/model/equations.ts', find: /\/\*\* @eq 2 R_PAT = r_PAT·P \*\//, replace: '// @eq 2 R_PAT = r_PAT·P' }));
    expect(codes(r)).toContain('tag.not-jsdoc');
    expect(only(r, 'tag.missing').map((f) => f.eq)).toEqual([2]);
  });

  test('a JSDoc @eq attached to nothing is reported, not counted', () => {
    const r = check(mutant({ file: 'src/model/equations.ts', find: /(export const eq73_[^\n]*\n)/, replace: '$1\n/** @eq 74 floating */\n' }));
    expect(only(r, 'tag.detached').map((f) => f.message)).toEqual(["'/** @eq 74 floating */': a JSDoc @eq attached to no declaration or statement is not counted"]);
    expect(only(r, 'tag.unknown')).toEqual([]);
  });
});

describe('conform: messages', () => {
  test('a reordered schema field (initial.2: T_HPA before R_HPA)', () => {
    const r = check(mutant({ file: 'src/net/messages.ts', find: /f\('R_HPA', 'point'\), f\('T_HPA', 'point'\)/, replace: "f('T_HPA', 'point'), f('R_HPA', 'point')" }));
    const f = only(r, 'schema.field-order');
    expect(f).toHaveLength(1);
    expect(f[0]!.step).toBe('initial.2');
    expect(f[0]!.message).toContain('spec (ID_HPA, R_HPA, T_HPA, CHK_PA), MESSAGE_SCHEMAS (ID_HPA, T_HPA, R_HPA, CHK_PA)');
  });

  test('a registration message moved off the secure channel', () => {
    const r = check(mutant({ file: 'src/net/messages.ts', find: /(from: 'X', to: 'CENTER', channel: )'secure'/, replace: "$1'public'" }));
    expect(only(r, 'schema.channel').map((f) => f.message)).toEqual([
      'registration.1 (registration-patient): travels on the public channel in MESSAGE_SCHEMAS, the secure channel in the spec',
      'registration.1 (registration-hpa): travels on the public channel in MESSAGE_SCHEMAS, the secure channel in the spec',
      'registration.1 (registration-hpb): travels on the public channel in MESSAGE_SCHEMAS, the secure channel in the spec',
    ]);
  });

  test('a field of the wrong type, and a registration field renamed (role placeholder X)', () => {
    const r = check(
      mutant(
        { file: 'src/net/messages.ts', find: /f\('CHK_PA', 'check'\)/, replace: "f('CHK_PA', 'bytes')" },
        { file: 'src/net/messages.ts', find: /f\('S_X', 'scalar'\)/, replace: "f('S_Y', 'scalar')" },
      ),
    );
    expect(only(r, 'schema.field-type')[0]!.message).toBe("initial.2 (initial): field CHK_PA is 'bytes' in MESSAGE_SCHEMAS, 'check' in the spec");
    // once per registration variant: patient, hospital A, hospital B
    expect(only(r, 'schema.fields').map((f) => f.message)).toEqual([
      expect.stringContaining('missing S_PAT; not in the spec S_Y'),
      expect.stringContaining('missing S_HPA; not in the spec S_Y'),
      expect.stringContaining('missing S_HPB; not in the spec S_Y'),
    ]);
    // the code still builds registration.2 with S_X, which the schema no longer has
    expect(only(r, 'send.fields')[0]!.message).toContain('missing S_Y; unknown S_X');
  });
});

describe('conform: checks before guarded uses', () => {
  test('a missing check: the verdict of (25) is computed but never enforced', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /requireEq\((E\.eq25_\w+\([^)]*\)), 25,[^\n]*\);/, replace: '$1;' }));
    const f = only(r, 'guard.unenforced');
    expect(f).toHaveLength(1);
    expect(f[0]!.eq).toBe(25);
    expect(f[0]!.message).toMatch(/check \(25\) CHK_PA =\? H3\(SEK_AP, T_PAT\) is evaluated in onInitial2 .* reaches no abort guard/);
  });

  test('a check whose abort is swallowed by a try/catch that does not rethrow; a rethrowing catch is fine', () => {
    const swallow = check(mutant({ file: 'src/model/protocol.ts', find: /(requireEq\(E\.eq25_\w+\([^)]*\), 25,[^\n]*\);)/, replace: 'try { $1 } catch { /* ignore */ }' }));
    expect(codes(swallow)).toEqual(['guard.swallowed']);
    expect(only(swallow, 'guard.swallowed')[0]!.message).toMatch(/^check \(25\) CHK_PA =\? H3\(SEK_AP, T_PAT\) is enforced in onInitial2 inside a try \(line \d+\) whose catch does not rethrow/);
    const partial = check(mutant({ file: 'src/model/protocol.ts', find: /(requireEq\(E\.eq25_\w+\([^)]*\), 25,[^\n]*\);)/, replace: 'try { $1 } catch (e) { if (!(e instanceof Error)) throw e; }' }));
    expect(codes(partial)).toEqual(['guard.swallowed']);
    const rethrow = check(mutant({ file: 'src/model/protocol.ts', find: /(requireEq\(E\.eq25_\w+\([^)]*\), 25,[^\n]*\);)/, replace: 'try { $1 } catch (e) { throw e; }' }));
    expect(rethrow.findings).toEqual([]);
    // an unnumbered check of the spec (named by its text) swallowed the same way
    const named = check(mutant({ file: 'src/model/protocol.ts', find: /(requireCheck\(env, 'valid\(ID_X\): enrolled'[^\n]*\);)/, replace: 'try { $1 } catch { /* ignore */ }' }));
    expect(new Set(codes(named))).toEqual(new Set(['guard.swallowed']));
    expect(only(named, 'guard.swallowed').map((f) => /^check 'valid\((\w+)\)'/.exec(f.message)?.[1])).toEqual(['ID_PAT', 'ID_HPA', 'ID_HPB']);
  });

  test('a missing smart-contract look-up (hachk) is reported at the handler that should call it', () => {
    const r = check(
      mutant(
        { file: 'src/model/protocol.ts', find: /^.*= hachk\(env\.ledger.*\n/m, replace: '' },
        { file: 'src/model/protocol.ts', find: /^.*requireContract\(env, 'hachk'.*\n/m, replace: '' },
      ),
    );
    const f = only(r, 'guard.missing');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^P calls hachk\(ID_HPA, R_HPA\) \[spec .*emr-flow\.ban:\d+\] is not called in onInitial2/);
  });

  test('a look-up whose result is ignored (ptchk queried, verdict never enforced)', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /^(.*)requireContract\(env, 'ptchk', pc\.exists,[^\n]*\n(\s*const plain = E\.eq29)/m, replace: '$2' }));
    const f = only(r, 'guard.unenforced');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^contract look-up ptchk is evaluated in onInitial3 .* reaches no abort guard/)]);
  });

  test('a send moved before a check: HB forwards to HA (inter.5) before checking CHK_BP (48)', () => {
    const r = check(
      mutant({
        file: 'src/model/protocol.ts',
        find: /^(\s*)(requireEq\(E\.eq48_)/m,
        replace: "$1sendAll(env.sys, p.id, [{ message: { step: 'inter.5', fields: { ID_HPB: p.id, R_HPB: c.R, T_HPB2: s.T_HPB } }, to: s.peer, session: s.label }]);\n$1$2",
      }),
    );
    const late = only(r, 'guard.late');
    expect(late.some((f) => f.eq === 48 && /^message inter\.5 \(line \d+\) is not guarded by check \(48\)/.test(f.message))).toBe(true);
    expect(only(r, 'flow.send-early').some((f) => f.step === 'inter.5' && f.eq === 48)).toBe(true);
  });

  test('state written before a check: the patient stores credentials before checking (5)/(9)/(13)', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /^(\s*)(const \{ ok, SP \} = check\()/m, replace: '$1p.store = { ...p.store, credentials: { R: f.R_X, S: f.S_X, PK: f.PK_X, SK: f.SK_X } };\n$1$2' }));
    const late = only(r, 'guard.late');
    expect(late.map((f) => f.eq).sort((a, b) => a! - b!)).toEqual([5, 9, 13]);
    expect(late[0]!.message).toMatch(/^state write `p\.store = \{ \.\.\.p\.store, credentials: \{ R` \(line \d+\) is not guarded by check \(\d+\)/);
  });

  test('a check moved after the value it guards: (28) after decrypting c_PAT (29)', () => {
    const r = check(
      mutant(
        { file: 'src/model/protocol.ts', find: /^(\s*requireEq\(E\.eq28_[^\n]*\n)/m, replace: '' },
        {
          file: 'src/model/protocol.ts',
          find: /^(\s*requireEq\(plain !== null, 29,[^\n]*\n)/m,
          replace: "$1  requireEq(E.eq28_checkCHK_AP(C, f.CHK_AP, s.SEK, s.T_HPA), 28, 'check-failed', 'CHK_AP (28)', 'moved');\n",
        },
      ),
    );
    const late = only(r, 'guard.late').filter((f) => f.eq === 28);
    expect(late.map((f) => f.message.split(' (line')[0])).toEqual(expect.arrayContaining(['ptchk', '(29)']));
    expect(only(r, 'flow.order').some((f) => /\(28\) \(line \d+\) runs before|runs before \(28\)/.test(f.message) || f.eq === 28 || f.eq === 29)).toBe(true);
  });
});

describe('conform: the spec can drift too', () => {
  test('a flow that no longer lists (50) and sends inter.6 fields in another order', () => {
    const dir = mutant();
    const text = readFileSync(SPEC, 'utf8');
    const edited = text
      .replace(/^\s*HB computes T_HPB2 = e·P\s+\(50\)\n/m, '')
      .replace('(ID_HPA: id, R_HPA: point, T_HPA2: point, CHK_BA: check)', '(ID_HPA: id, T_HPA2: point, R_HPA: point, CHK_BA: check)');
    expect(edited.length).toBeLessThan(text.length);
    expect(edited).toContain('T_HPA2: point, R_HPA: point');
    writeFileSync(join(dir, 'flow.ban'), edited);
    const r = check(dir, join(dir, 'flow.ban'));
    expect(only(r, 'tag.unknown').map((f) => f.message)).toEqual([expect.stringMatching(/^@eq 50 on eq50_T_HPB2: the spec's flow has no equation \(50\)$/)]);
    expect(only(r, 'schema.eqs').map((f) => f.message)).toEqual(['inter.5: MESSAGE_SCHEMAS lists equations (48, 49, 50), the spec\'s step has (48, 49)']);
    expect(only(r, 'schema.field-order').map((f) => f.step)).toEqual(['inter.6']);
  });
});

describe('conform: flow order', () => {
  test('two computations swapped: (27) before (26) in the patient step', () => {
    const r = check(
      mutant({
        file: 'src/model/protocol.ts',
        find: /^(\s*const c_PAT = E\.eq26_[^\n]*\n)(\s*const CHK_AP = E\.eq27_[^\n]*\n)/m,
        replace: '$2$1',
      }),
    );
    const f = only(r, 'flow.order');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^onInitial2 \(the handler of initial\.2 at P \(initial\)\): \(27\) \(line \d+\) runs before \(26\)/);
  });

  test('a dispatch table that routes a step to the handler of another step', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /handler: onInitial3 as Handler<'initial\.3'/, replace: "handler: onInitial4 as Handler<'initial.3'" }));
    expect(only(r, 'flow.route').map((f) => f.message)).toEqual(['ROUTES routes initial.3 to onInitial4, which handles initial.4']);
  });

  test('a session left waiting for the wrong message', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /awaiting: 'initial\.4', SEK/, replace: "awaiting: 'initial.2', SEK" }));
    expect(only(r, 'flow.awaits').map((f) => f.message)).toEqual([
      'onInitial2 (the handler of initial.2 at P (initial)) leaves P awaiting initial.2; in the spec the next message P receives is initial.4',
    ]);
  });

  test('a handler nothing dispatches to', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /handler: onInter10 as Handler<'inter\.10', never>/, replace: 'handler: null' }));
    expect(only(r, 'flow.unreferenced').map((f) => f.message)).toEqual([
      'onInter10 (the handler of inter.10 at P (inter)) is referenced by no other code in the checked folder: nothing dispatches to it',
    ]);
  });

  test('a handler that answers with the wrong message', () => {
    const r = check(mutant({ file: 'src/model/protocol.ts', find: /step: 'inter\.7', fields/, replace: "step: 'inter.8', fields" }));
    expect(codes(r)).toEqual(expect.arrayContaining(['flow.send-missing', 'flow.send-unexpected', 'send.fields']));
    expect(only(r, 'flow.send-unexpected')[0]!.message).toMatch(/^onInter6 .* sends inter\.8; the spec sends inter\.7 next/);
  });
});
