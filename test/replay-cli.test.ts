/**
 * Replay a person can read (issue 14, item 3): `bantam props --save-attack FILE` writes each
 * counterexample as an attack file; `bantam replay FILE` runs it again on real crypto and says
 * whether it reproduces — computed from the run (an edited, harmless attack no longer works).
 * The props table defines its columns under it. The kept campaigns hold on the real protocol, so the
 * counterexamples here come from the scripted mutants' hunts (`--only mutant:NAME`, src/adversary/mutants.ts),
 * which replay against the same mutant.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describe as describeAction } from '../src/adversary/actions.js';
import type { AttackFile } from '../src/adversary/attack-file.js';
import { attackPath } from '../src/cli/save-attack.js';
import { cli } from './helpers/cli.js';

const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of ['common', 'replay', 'attack-file', 'props']) ajv.addSchema(JSON.parse(readFileSync(join('schemas', `${f}.schema.json`), 'utf8')) as object);
const valid = (name: string, v: unknown) => {
  const check = ajv.getSchema(`https://bantam.dev/schemas/${name}.schema.json`)!;
  const ok = check(v);
  if (!ok) throw new Error(`${name}: ${JSON.stringify(check.errors)}`);
};

const dir = mkdtempSync(join(tmpdir(), 'bantam-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let props: { code: number; out: string; err: string };
const EPH = 'mutant:reused-ephemeral';
const CHK = 'mutant:skip-chk-check';
const EPH_FILE = join(dir, 'attack.mutant-reused-ephemeral.json');
const file = join(dir, 'attack.json');

beforeAll(async () => {
  // Two refuted experiments (two mutants' hunts): two files.
  props = await cli('props', '--only', `${EPH},${CHK}`, '--runs', '10', '--workers', '1', '--save-attack', file);
}, 120_000);

describe('bantam props --save-attack', () => {
  test('each refuted experiment is saved; the output names the files and the replay command', () => {
    expect(props.code).toBe(1);
    for (const e of [EPH, CHK]) {
      const f = join(dir, `attack.${e.replace(':', '-')}.json`);
      expect(existsSync(f)).toBe(true);
      expect(props.out).toContain(`attack of ${e} saved to ${f} (run it again: bantam replay ${f})`);
    }
  });

  test('the file is readable: actions with their sentences, the trace, the short form; it matches its schema', () => {
    const a = JSON.parse(readFileSync(EPH_FILE, 'utf8')) as AttackFile;
    valid('attack-file', a);
    expect(a).toMatchObject({ format: 'bantam-attack', version: 1, experiment: EPH, property: 'agreement', seed: 1, runs: 10 });
    expect(a.steps.length).toBeGreaterThan(0);
    for (const s of a.steps) expect(s.text).toBe(describeAction(s.action));
    expect(a.trace[0]).toMatch(/^0\. setup/);
    expect(a.command).toBe(`bantam props --only ${EPH} --suite ${a.suite} --seed 1 --runs 10 --path ${a.path}${a.replayPath ? ` --replay-path '${a.replayPath}'` : ''} --backend ${a.backend}`);
    expect(props.out).toContain(`replay: ${a.command}`);
  });

  test('the table defines every column it prints', () => {
    const header = props.out.split('\n').find((l) => l.startsWith('experiment '))!;
    for (const col of header.trim().split(/\s+/).filter((c) => c !== 'experiment' && c !== 'verdict')) {
      expect(props.out, col).toMatch(new RegExp(`(columns: |\\s)${col} = `));
    }
  });

  test('--json lists the saved files and still matches the props schema', async () => {
    const r = await cli('props', '--only', EPH, '--runs', '10', '--workers', '1', '--save-attack', join(dir, 'one.json'), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    valid('props', j);
    expect(j.savedAttacks).toEqual([{ experiment: EPH, file: join(dir, 'one.json') }]);
  }, 120_000);

  test('--force without --save-attack, and an unwritable target, are bad input (exit 2)', async () => {
    const f = await cli('props', '--only', 'honest-runs', '--runs', '1', '--workers', '1', '--force');
    expect(f.code).toBe(2);
    expect(f.err).toContain('--force goes with --save-attack FILE');
    const d = await cli('props', '--only', EPH, '--runs', '10', '--workers', '1', '--save-attack', dir);
    expect(d.code).toBe(2);
    expect(d.err).toContain('not a regular file');
    expect(d.err).not.toContain('bantam props: seed'); // refused before the campaign ran
    expect(d.err).not.toMatch(/\n\s+at /);
    const nodir = await cli('props', '--only', 'honest-runs', '--runs', '1', '--workers', '1', '--save-attack', join(dir, 'no-such-dir', 'a.json'));
    expect(nodir.code).toBe(2);
    expect(nodir.err).toContain('no such directory');
  }, 120_000);

  test('file names: one refuted experiment → FILE; several → FILE with the experiment before the extension', () => {
    expect(attackPath('a/attack.json', 'reports', 1)).toBe('a/attack.json');
    expect(attackPath('a/attack.json', 'reports', 2)).toBe(join('a', 'attack.reports.json'));
    expect(attackPath('attack', 'compromise', 3)).toBe('attack.compromise.json');
    expect(attackPath('attack.json', 'mutant:h1-omitted', 2)).toBe('attack.mutant-h1-omitted.json');
  });
});

describe('bantam replay FILE', () => {
  test('a command-suite attack replays from its actions and reproduces (exit 1), with its trace', async () => {
    const f = EPH_FILE;
    const a = JSON.parse(readFileSync(f, 'utf8')) as AttackFile;
    const r = await cli('replay', f);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain(`replayed from the file's ${a.steps.length} action(s)`);
    for (const line of a.trace) expect(r.out).toContain(`  ${line}`);
    expect(r.out).toContain('REPRODUCED  agreement: ');
    expect(r.out).toContain(`short form: ${a.command}`);
    const j = JSON.parse((await cli('replay', f, '--json')).out);
    valid('replay', j);
    valid('common', j);
    expect(j).toMatchObject({ command: 'replay', ok: false, reproduced: true, mode: 'actions', property: 'agreement', trace: a.trace });
    expect(j.verdicts).toEqual([{ name: `${EPH}/agreement`, verdict: 'reproduced', ok: false }]);
  });

  test('the verdict is computed by the run: an edited, harmless attack no longer works (exit 0)', async () => {
    const a = JSON.parse(readFileSync(EPH_FILE, 'utf8')) as AttackFile;
    // Reveal one ephemeral only and start no session: the reused ephemeral never meets a second session.
    const edited = { ...a, steps: [{ action: { k: 'reveal-eph', i: 0 }, text: 'reveal ephemeral of keyed session [0]' }] };
    const f = join(dir, 'harmless.json');
    writeFileSync(f, JSON.stringify(edited));
    const r = await cli('replay', f, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    valid('replay', j);
    expect(j).toMatchObject({ ok: true, reproduced: false, mode: 'actions' });
    expect(j.verdicts[0].verdict).toBe('no-longer-works');
  });

  test('an attack without actions (as a custom experiment saves it) replays by its fast-check seed and path', async () => {
    const a = JSON.parse(readFileSync(join(dir, 'attack.mutant-skip-chk-check.json'), 'utf8')) as AttackFile;
    const f = join(dir, 'by-path.json');
    writeFileSync(f, JSON.stringify({ ...a, steps: [] }));
    const r = await cli('replay', f, '--json');
    expect(r.code, r.err).toBe(1);
    const j = JSON.parse(r.out);
    valid('replay', j);
    expect(j).toMatchObject({ reproduced: true, mode: 'path', property: a.property });
    expect(j.trace.length).toBeGreaterThan(0);
  });

  test('bad input is exit 2 with a message naming the file and the field, never a stack trace', async () => {
    const a = JSON.parse(readFileSync(EPH_FILE, 'utf8')) as AttackFile;
    const cases: [string, string, RegExp][] = [
      ['notjson.json', '{', /not JSON/],
      ['format.json', JSON.stringify({ ...a, format: 'x' }), /"format" must be "bantam-attack"/],
      ['version.json', JSON.stringify({ ...a, version: 9 }), /"version" 9 is not supported/],
      ['seed.json', JSON.stringify({ ...a, seed: '1' }), /"seed" must be an integer/],
      ['action.json', JSON.stringify({ ...a, steps: [{ action: { k: 'reveal-eph', i: { x: 1 } }, text: '' }] }), /steps\[0\]\.action is not a valid action/],
      ['suite.json', JSON.stringify({ ...a, suite: 'curve9' }), /curve9/],
      // an attack file of a retired suite says where its claim went
      ['retired.json', JSON.stringify({ ...a, experiment: 'records', steps: [] }), /unknown experiment 'records' in the attack file \('records' is retired: bantam claims decides its claim by the access-control query/],
    ];
    for (const [name, body, message] of cases) {
      const f = join(dir, name);
      writeFileSync(f, body);
      const r = await cli('replay', f);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(message);
      expect(r.err, name).not.toMatch(/\n\s+at /);
    }
    expect((await cli('replay', join(dir, 'missing.json'))).code).toBe(2);
    expect((await cli('replay')).code).toBe(2);
    const j = JSON.parse((await cli('replay', join(dir, 'format.json'), '--json')).out);
    expect(j).toMatchObject({ command: 'replay', ok: false, error: { code: 'bad-input', exitCode: 2 } });
  });
});
