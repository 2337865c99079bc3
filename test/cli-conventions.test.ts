/**
 * The CLI conventions every command follows (docs/cli.md): one flag parser with options as data,
 * --version / help CMD / CMD --help, no arguments = help + exit 2, the same seed/suite/runs
 * defaults, one JSON shape checked against the published JSON Schemas (schemas/, ajv), errors as
 * JSON under --json, the same rejection of contradictory flags, colour rules, and a quiet exit
 * on a closed output pipe. Small run counts: the commands' own suites test what they compute.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, test } from 'vitest';
import { COMMANDS, main } from '../src/cli/main.js';
import { commandHelp, parseArgs, type CliIo } from '../src/cli/args.js';
import { DEFAULT_CLI_SUITE, DEFAULT_RUNS, DEFAULT_SEED } from '../src/cli/defaults.js';
import { colourEnabled, colourVerdicts, progressBar } from '../src/cli/terminal.js';
import { packageVersion } from '../src/cli/package-files.js';
import { UserError } from '../src/spec/diagnostics.js';
import { cli } from './helpers/cli.js';


const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of readdirSync('schemas')) ajv.addSchema(JSON.parse(readFileSync(join('schemas', f), 'utf8')) as object);
function schema(name: string): ValidateFunction {
  const v = ajv.getSchema(`https://bantam.dev/schemas/${name}.schema.json`);
  if (!v) throw new Error(`no schema ${name}`);
  return v;
}
function expectValid(name: string, json: unknown): void {
  const v = schema(name);
  expect(v(json), JSON.stringify(v.errors, null, 1)).toBe(true);
}

describe('entry points', () => {
  test('--version prints the package version, exit 0', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(packageVersion());
    expect(r.out.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  test('no arguments: the help on stderr, exit 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: bantam <command>/);
    expect(r.out).toBe('');
  });

  test('help CMD and CMD --help print the same command help, built from the option table', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const a = await cli('help', name);
      const b = await cli(name, '--help');
      expect(a.code, name).toBe(0);
      expect(b.code, name).toBe(0);
      expect(a.out).toBe(b.out);
      expect(a.out, name).toMatch(new RegExp(`^bantam ${name} — `));
      const { command } = await COMMANDS[name]!();
      for (const opt of Object.keys(command.options ?? {})) expect(a.out, `${name} --${opt}`).toContain(`--${opt}`);
      expect(a.out).toContain('--json');
      expect(a.out).toMatch(/^exit: 0 /m);
    }
    expect((await cli('help', 'nope')).code).toBe(2);
  });

  test('one option line per table entry, with its default', async () => {
    const { command } = await COMMANDS.run!();
    const help = commandHelp(command);
    expect(help).toMatch(new RegExp(`--seed N\\s+.*\\(default ${DEFAULT_SEED}\\)`));
    expect(help).toMatch(new RegExp(`--suite NAME\\s+.*\\(default ${DEFAULT_CLI_SUITE}\\)`));
  });
});

describe('flags', () => {
  const table = { seed: { type: 'string', help: '' }, 'key-agreement': { type: 'boolean', help: '' }, 'no-key-agreement': { type: 'boolean', help: '' }, a: { type: 'boolean', help: '', conflicts: ['b'] }, b: { type: 'boolean', help: '' } } as const;

  test('values, --x=v, positionals after --', () => {
    const p = parseArgs(['f.ban', '--seed=5', '--', '--json'], table);
    expect(p.values.get('seed')).toBe('5');
    expect(p.positional).toEqual(['f.ban', '--json']);
    expect(p.booleans.has('json')).toBe(false);
  });

  test.each([
    [['--nope'], /unknown option --nope/],
    [['--seed'], /--seed needs a value/],
    [['--seed', '--json'], /--seed needs a value/],
    [['--json=1'], /--json takes no value/],
    [['--key-agreement', '--no-key-agreement'], /--key-agreement and --no-key-agreement contradict each other/],
    [['--a', '--b'], /--a and --b exclude each other/],
    [['--seed', '1', '--seed', '2'], /--seed given twice with different values/],
  ])('%j is a UserError: %s', (argv, message) => {
    expect(() => parseArgs(argv, table)).toThrow(UserError);
    expect(() => parseArgs(argv, table)).toThrow(message);
  });

  test('contradictory flags are rejected the same way on every command that has them (exit 2)', async () => {
    for (const argv of [
      ['derive', 'spec/emr-corrected.ban', '--key-agreement', '--no-key-agreement'],
      ['check', 'spec/emr-printed.ban', '--key-agreement', '--no-key-agreement'],
      ['why', 'spec/emr-corrected.ban', 'G1', '--no-key-agreement', '--key-agreement'],
      ['conform', '--tests', 'test', '--no-tests'],
      ['proofs', '--write', '--check'],
      ['costs', '--json', '--markdown'],
      ['run', '--seed', '1', '--seed', '2'],
      ['derive', 'spec/emr-corrected.ban', '--format', 'md', '--json'],
      ['check', 'spec/emr-printed.ban', '--json', '--format', 'md'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err, argv.join(' ')).toMatch(/contradict each other|exclude each other|given twice/);
    }
  });

  test('the same seed, suite and run-count rules on every command that takes them', async () => {
    for (const c of ['run', 'costs', 'props', 'claims', 'demo']) {
      expect((await cli(c, '--seed', 'abc')).err, c).toMatch(/--seed takes an integer/);
      expect((await cli(c, '--suite', 'curve25519')).err, c).toMatch(/unknown crypto suite 'curve25519'/);
    }
    for (const c of ['props', 'claims', 'demo', 'costs']) expect((await cli(c, '--runs', '0')).code, c).toBe(2);
  });
});

describe('JSON output: one shape, a published schema per command, checked against real outputs', () => {
  const cases: [string, string[]][] = [
    ['derive', ['derive', 'spec/emr-printed.ban', '--goal', 'G1,G2', '--no-why']],
    ['why', ['why', 'spec/emr-corrected.ban', 'G3']],
    ['check', ['check', 'spec/emr-printed.ban']],
    ['run', ['run', '--suite', 'ristretto255', '--seed', '3']],
    ['costs', ['costs', '--runs', '1']],
    ['props', ['props', '--only', 'honest-runs', '--runs', '2', '--workers', '1', '--suite', 'ristretto255']],
    ['claims', ['claims', '--quick', '--runs', '1', '--workers', '2', '--suite', 'ristretto255']],
    ['demo', ['demo', '--runs', '1', '--suite', 'ristretto255']],
    ['proofs', ['proofs']],
    ['run', ['run', 'spec/protocols/sts.ban', '--suite', 'p256']],
    ['costs', ['costs', 'spec/protocols/otway-rees.ban']],
    ['demo', ['demo', 'spec/protocols/nsl.ban']],
    ['claims', ['claims', 'spec/protocols/nspk.ban']],
  ];
  test.each(cases)('%s', async (name, argv) => {
    const r = await cli(...argv, '--json');
    expect([0, 1]).toContain(r.code);
    const j = JSON.parse(r.out) as { ok: boolean; command: string; seed: unknown; verdicts: unknown[] };
    expectValid(name, j);
    expectValid('common', j);
    expect(j.ok).toBe(r.code === 0);
    expect(j.verdicts.length).toBeGreaterThan(0);
  });

  test('the schemas reject what breaks the common shape (a string seed, a missing verdict list, ok beside an error)', async () => {
    const j = JSON.parse((await cli('run', '--suite', 'ristretto255', '--json')).out) as Record<string, unknown>;
    expectValid('run', j);
    expect(schema('run')({ ...j, seed: String(j.seed) })).toBe(false);
    expect(schema('common')({ ...j, verdicts: undefined })).toBe(false);
    expect(schema('common')({ ...j, suite: 'curve25519' })).toBe(false);
    expect(schema('derive')(j)).toBe(false);
    expect(schema('error')({ command: 'run', bantam: '0', ok: true, error: { code: 'bad-input', exitCode: 2, message: 'x', diagnostics: [] } })).toBe(false);
  });

  test('diagram and ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-schema-'));
    const d = await cli('diagram', 'spec/emr-flow.ban', '--render', 'none', '--out', dir, '--json');
    expect(d.code).toBe(0);
    expectValid('diagram', JSON.parse(d.out));
    const file = join(dir, 'l.jsonl');
    expect((await cli('run', '--save-ledger', file)).code).toBe(0);
    for (const sub of ['verify', 'show']) {
      const l = await cli('ledger', sub, file, '--json');
      expect(l.code).toBe(0);
      expectValid('ledger', JSON.parse(l.out));
    }
  });

  test('conform', async () => {
    const r = await cli('conform', '--no-tests', '--json');
    expect(r.code).toBe(0);
    expectValid('conform', JSON.parse(r.out));
  });

  test('the defaults are the same and printed: seed, suite, runs', async () => {
    const run = JSON.parse((await cli('run', '--json')).out) as { seed: number; suite: string };
    expect(run).toMatchObject({ seed: DEFAULT_SEED, suite: DEFAULT_CLI_SUITE });
    const props = JSON.parse((await cli('props', '--only', 'honest-runs', '--workers', '1', '--runs', '1', '--json')).out) as { seed: number; suite: string };
    expect(props).toMatchObject({ seed: DEFAULT_SEED, suite: DEFAULT_CLI_SUITE, runs: 1 });
    const text = (await cli('run')).out;
    expect(text).toContain(`seed ${DEFAULT_SEED}`);
    expect(text).toContain(`suite ${DEFAULT_CLI_SUITE}`);
    const { command } = await COMMANDS.claims!();
    expect(commandHelp(command)).toContain(`(default ${DEFAULT_RUNS})`);
  });

  test.each([
    [['derive', 'no-such.ban', '--json'], 2],
    [['derive', '--json', '--nope'], 2],
    [['run', '--suite', 'x', '--json'], 2],
    [['frobnicate', '--json'], 2],
    [['diagram', 'spec/emr-flow.ban', '--browser', '/nonexistent/chromium', '--out', join(tmpdir(), 'bantam-schema-err'), '--json'], 3],
  ])('errors are JSON too: %j', async (argv, code) => {
    const r = await cli(...argv);
    expect(r.code).toBe(code);
    const j = JSON.parse(r.out) as { ok: boolean; error: { exitCode: number } };
    expectValid('error', j);
    expect(j.error.exitCode).toBe(code);
  });
});

describe('terminal', () => {
  test('colour: off with NO_COLOR, off when not a terminal, on for a TTY, FORCE_COLOR for a pipe', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  test('colouring changes no word of the output', () => {
    const text = 'REFUTED user-untraceability\nok   24/24 goals derived\n  FAIL (5) check\nG1: NOT derived  P |= x\nG2: derived  y';
    const coloured = colourVerdicts(text);
    expect(coloured).not.toBe(text);
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(text);
  });

  test('the real binary writes no colour and no progress bar into a pipe', () => {
    const r = spawnSync(process.execPath, ['bin/bantam.js', 'derive', 'spec/emr-printed.ban', '--no-why'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/G1: NOT derived/);
    expect(r.stdout + r.stderr).not.toMatch(/\x1b\[/);
  });

  // `script` (util-linux) runs the CLI on a pseudo-terminal: what a user at a terminal sees.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  test.skipIf(!hasScript)('on a terminal: a progress bar on stderr and coloured verdicts; NO_COLOR switches colour off', () => {
    const onTty = (cmd: string, env: Record<string, string> = {}) => {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR', 'TERM', 'CI'].includes(k)));
      return spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...base, TERM: 'xterm', ...env } }).stdout;
    };
    const props = onTty('node bin/bantam.js props --only honest-runs --runs 3 --workers 1 --suite ristretto255');
    expect(props).toMatch(/props \[[█░]+\] 3\/3 runs/);
    expect(props).toMatch(/\x1b\[32mholds\x1b\[39m/);
    const derive = onTty('node bin/bantam.js derive spec/emr-printed.ban --no-why');
    expect(derive).toMatch(/\x1b\[31mNOT derived\x1b\[39m/);
    expect(onTty('node bin/bantam.js derive spec/emr-printed.ban --no-why', { NO_COLOR: '1' })).not.toMatch(/\x1b\[3\dm/);
  });

  test('a disabled progress bar writes nothing', () => {
    const write = process.stderr.write;
    let wrote = '';
    process.stderr.write = ((s: string) => ((wrote += s), true)) as typeof process.stderr.write;
    try {
      const p = progressBar('x', false);
      p.update(1, 2, 'half');
      p.stop();
    } finally {
      process.stderr.write = write;
    }
    expect(wrote).toBe('');
  });

  test('a closed output pipe (EPIPE) ends the command quietly with the verdict exit code', () => {
    // `bantam derive … --json | head -c 100`: the reader closes after 100 bytes
    for (const [spec, code] of [['spec/emr-corrected.ban', 0], ['spec/emr-printed.ban', 1]] as const) {
      const r = spawnSync('bash', ['-c', `node bin/bantam.js derive ${spec} --json | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
      expect(r.stderr, spec).toBe('');
      expect(r.status, spec).toBe(code);
    }
    for (const [argv, code] of [['run', 0], ['check spec/emr-printed.ban --json', 1], ['props --only honest-runs --runs 1 --workers 1 --suite ristretto255', 0]] as const) {
      const t = spawnSync('bash', ['-c', `node bin/bantam.js ${argv} | head -c 10 >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
      expect(t.stderr.replace(/^bantam props: seed.*\n/, ''), argv).toBe('');
      expect(t.status, argv).toBe(code);
    }
  });
});
