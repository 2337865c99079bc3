#!/usr/bin/env node
// Packaging test (CI: .ci/run → npm run test:pack). Builds and packs bantam as npm would publish
// it, installs the tarball into an empty folder from the registry only (no browser download, no
// environment help), and uses it the way a new user would:
//   - the tarball holds only what a user needs (dist, specs, schemas, README; no tests, benches, proofs);
//   - the install is small: the optional rendering stack (puppeteer, mermaid-cli) is not installed;
//   - `npx bantam --version`, `derive` on a shipped spec, `demo` and `conform` work from that folder;
//   - `diagram` without the rendering packages exits 3 and names the packages to install;
//   - `import` from a plain node ESM script, and `tsc` of a consumer .ts file against the package types.
// Exits 1 on the first failure (with what failed), 0 when every check passed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'bantam-pack-'));
const app = join(work, 'app');
mkdirSync(app);
// A local npm cache (reused across runs when BANTAM_NPM_CACHE is set); registry only.
const cache = process.env.BANTAM_NPM_CACHE ?? join(tmpdir(), 'bantam-npm-cache');
// Nothing from the calling npm (`npm run test:pack` sets npm_config_local_prefix=this repo, ...) or
// from puppeteer's settings may help or redirect the install: the consumer starts clean.
const env = { ...process.env };
for (const k of Object.keys(env)) if (/^(PUPPETEER_|npm_)/i.test(k)) delete env[k];
Object.assign(env, { npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1' });

let passed = 0;
let failed = 0;
const t0 = performance.now();
function check(name, fn) {
  const t = performance.now();
  try {
    fn();
    passed++;
    console.log(`ok   ${name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: app, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}
const tail = (s) => (s ?? '').trim().split('\n').slice(-8).join('\n');

let tarball;
check('npm pack (after a build)', () => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repo, env, encoding: 'utf8' });
  const [info] = JSON.parse(out);
  tarball = join(work, info.filename);
  const files = info.files.map((f) => f.path);
  for (const need of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/bin/bantam.cjs', 'dist/bin/bantam.js', 'dist/bin/fast-derive.cjs', 'dist/adversary/worker.js', 'spec/emr-corrected.ban', 'spec/emr-printed.ban', 'spec/emr-flow.ban', 'schemas/common.schema.json', 'schemas/derive.schema.json', 'src/model/index.ts', 'src/net/messages.ts']) {
    assert(files.includes(need), `the tarball lacks ${need}`);
  }
  const stray = files.filter((f) => /^(test|bench|proofs|properties|\.ci|node_modules)\//.test(f) || (f.startsWith('docs/') && f !== 'docs/cli.md') || f.endsWith('.test.ts'));
  assert(stray.length === 0, `the tarball ships what a user does not need: ${stray.slice(0, 8).join(', ')}`);
  console.log(`     ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(0)} KiB packed`);
});

check('install the tarball into an empty folder (registry only, no browser download)', () => {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bantam-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const r = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  assert(r.status === 0, `npm install failed (exit ${r.status}):\n${tail(r.stderr)}`);
  for (const absent of ['puppeteer', '@mermaid-js/mermaid-cli', 'tsx', 'vitest', 'mermaid']) {
    assert(!existsSync(join(app, 'node_modules', absent)), `${absent} was installed: it must be optional (rendering) or development-only`);
  }
  assert(existsSync(join(app, 'node_modules', '.bin', 'bantam')), 'no node_modules/.bin/bantam');
  console.log(`     node_modules: ${(du(join(app, 'node_modules')) / 2 ** 20).toFixed(0)} MiB`);
});

check('npx bantam --version', () => {
  const r = run('npx', ['--no-install', 'bantam', '--version']);
  assert(r.status === 0 && r.stdout.trim() === pkg.version, `exit ${r.status}, stdout '${r.stdout.trim()}', expected '${pkg.version}'\n${tail(r.stderr)}`);
});

check('npx bantam (no arguments): help, exit 2', () => {
  const r = run('npx', ['--no-install', 'bantam']);
  assert(r.status === 2 && /usage: bantam <command>/.test(r.stderr), `exit ${r.status}\n${tail(r.stderr)}`);
});

check('npx bantam derive on a shipped spec', () => {
  const r = run('npx', ['--no-install', 'bantam', 'derive', 'node_modules/bantam/spec/emr-corrected.ban']);
  assert(r.status === 0, `exit ${r.status}\n${tail(r.stderr)}`);
  assert(/(\d+) of \1 goals derived/.test(r.stdout), `no "N of N goals derived" line:\n${tail(r.stdout)}`);
  const j = run('npx', ['--no-install', 'bantam', 'derive', 'node_modules/bantam/spec/emr-printed.ban', '--json', '--no-why']);
  assert(j.status === 1, `the printed spec should not derive its goals (exit 1), got ${j.status}`);
  const out = JSON.parse(j.stdout);
  assert(out.command === 'derive' && out.ok === false && out.seed === null && Array.isArray(out.verdicts), 'derive --json lacks the common fields');
});

check('npx bantam check and why (their single-file builds, dist/bin/fast-*.cjs)', () => {
  const c = run('npx', ['--no-install', 'bantam', 'check', 'node_modules/bantam/spec/emr-printed.ban']);
  assert(c.status === 1 && /^S1: (valid|INVALID) /m.test(c.stdout), `check: exit ${c.status}\n${tail(c.stdout)}\n${tail(c.stderr)}`);
  const w = run('npx', ['--no-install', 'bantam', 'why', 'node_modules/bantam/spec/emr-corrected.ban', 'G99']);
  assert(w.status === 2 && /no goal labelled 'G99'/.test(w.stderr), `why: exit ${w.status}\n${tail(w.stderr)}`);
});

check('npx bantam demo from the empty folder (default specs from the package)', () => {
  const r = run('npx', ['--no-install', 'bantam', 'demo', '--runs', '2', '--json', '--accept-findings']);
  assert(r.status === 0, `exit ${r.status}\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  const d = JSON.parse(r.stdout);
  assert(d.command === 'demo' && d.toolExpectationsHeld === true && d.ok === true, `demo: the tool's own expectations did not hold\n${tail(r.stdout)}`);
  assert(d.ban.derived === d.ban.goals && d.ban.goals >= 24, 'demo: the corrected spec did not derive every goal');
  assert(d.seed === 1 && d.runs === 2 && typeof d.suite === 'string', 'demo: seed, suite and runs are not printed as given');
});

check('npx bantam conform from the empty folder (the shipped model against the shipped spec)', () => {
  const r = run('npx', ['--no-install', 'bantam', 'conform']);
  assert(r.status === 0, `exit ${r.status}\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  assert(/tests: skipped/.test(r.stdout), 'conform should say the tests check was skipped (no tests ship)');
});

check('npx bantam diagram without the rendering packages: exit 3, names what to install', () => {
  const r = run('npx', ['--no-install', 'bantam', 'diagram', 'node_modules/bantam/spec/emr-flow.ban', '--out', 'diagrams', '--phase', 'initial']);
  assert(r.status === 3, `exit ${r.status}\n${tail(r.stderr)}`);
  assert(/npm install puppeteer@\S+ @mermaid-js\/mermaid-cli@\S+/.test(r.stderr), `the message does not name the packages:\n${tail(r.stderr)}`);
  assert(existsSync(join(app, 'diagrams', 'initial.mmd')), 'the .mmd file was not written');
  const n = run('npx', ['--no-install', 'bantam', 'diagram', 'node_modules/bantam/spec/emr-flow.ban', '--out', 'diagrams', '--render', 'none']);
  assert(n.status === 0, `--render none: exit ${n.status}`);
});

check('import bantam from a plain node ESM script and derive through the library API', () => {
  writeFileSync(
    join(app, 'use.mjs'),
    [
      "import { loadSpec, analyse, parseSpec, runScenario, SUITE_NAMES } from 'bantam';",
      "import { createRequire } from 'node:module';",
      "const specPath = createRequire(import.meta.url).resolve('bantam/package.json').replace(/package\\.json$/, 'spec/emr-corrected.ban');",
      'const a = analyse(loadSpec(specPath));',
      "if (!a.goals.length || !a.goals.every((g) => g.derived)) throw new Error('not every goal derived');",
      "const tiny = analyse(parseSpec('t.ban', 'protocol T\\nprincipals A, B\\natoms\\n  nonce N\\nassumptions\\n  A1: A |= #(N)\\ngoals\\n  G1: A |= #(N)\\n'));",
      "if (!tiny.goals[0].derived) throw new Error('tiny spec');",
      "const r = runScenario({ suite: SUITE_NAMES[0], seed: '1' });",
      "if (!r.ok) throw new Error('scenario');",
      "console.log(`derived ${a.goals.length} goals; run ok`);",
    ].join('\n'),
  );
  const r = run(process.execPath, ['use.mjs']);
  assert(r.status === 0 && /derived \d+ goals; run ok/.test(r.stdout), `exit ${r.status}\n${tail(r.stdout)}\n${tail(r.stderr)}`);
});

check('tsc: a consumer .ts file type-checks against the package types', () => {
  writeFileSync(
    join(app, 'consumer.ts'),
    [
      "import { analyse, loadSpec, getSuite, type Analysis, type Spec, type GoalResult, type ScenarioResult, runScenario } from 'bantam';",
      "const spec: Spec = loadSpec('node_modules/bantam/spec/emr-corrected.ban');",
      'const a: Analysis = analyse(spec, { keyAgreement: true });',
      'const first: GoalResult | undefined = a.goals[0];',
      'const derived: boolean = first?.derived ?? false;',
      "const r: ScenarioResult = runScenario({ suite: getSuite('ristretto255'), seed: '1' });",
      'export const summary = { derived, ok: r.ok };',
      '// @ts-expect-error: the API is typed (a number is not a spec)',
      'analyse(42);',
    ].join('\n'),
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')] }, files: ['consumer.ts'] }, null, 2),
  );
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = run(process.execPath, [tsc, '-p', 'tsconfig.json']);
  assert(r.status === 0, `tsc exit ${r.status}\n${tail(r.stdout)}\n${tail(r.stderr)}`);
});

function du(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

if (!process.env.BANTAM_KEEP_PACK_DIR) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
console.log(`packaging test: ${passed} passed, ${failed} failed (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
