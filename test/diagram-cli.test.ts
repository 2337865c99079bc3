import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../src/cli/args.js';
import { main } from '../src/cli/main.js';
import { resolveBrowser } from '../src/diagrams/render.js';
import { attackedInitialTrace } from '../src/diagrams/trace-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'bantam-diagram-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => join(root, `o${++n}`);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(['diagram', ...argv], io);
  return { code, out, err };
}

describe('bantam diagram (no browser needed)', () => {
  test('--render none writes one .mmd per phase; --json lists them', async () => {
    const o = dir();
    const r = await run('spec/emr-flow.ban', '--out', o, '--render', 'none', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { format: string; diagrams: { name: string; mmd: string; image: null }[]; goals: { unplaced: unknown[] } };
    expect(j.format).toBe('none');
    expect(j.diagrams.map((d) => d.name)).toEqual(['setup-block', 'setup', 'registration-patient', 'registration-hpa', 'registration-hpb', 'initial', 'inter']);
    expect(readdirSync(o).sort()).toEqual(j.diagrams.map((d) => `${d.name}.mmd`).sort());
    expect(j.diagrams.every((d) => d.image === null)).toBe(true);
  });

  test('human output names each diagram and says rendering was skipped', async () => {
    const r = await run('spec/emr-flow.ban', '--out', dir(), '--render', 'none', '--phase', 'inter');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  inter  Inter-hospital authentication and communication (§3.7)  [');
    expect(r.out).toContain('rendering skipped (--render none)');
  });

  test('no browser: the .mmd files are written, the fix is printed, exit 3', async () => {
    const o = dir();
    const r = await run('spec/emr-flow.ban', '--out', o, '--browser', join(root, 'no-such-chromium'), '--phase', 'initial');
    expect(r.code).toBe(3);
    expect(r.err).toContain('apt-get install -y chromium');
    expect(r.err).toContain('from --browser');
    expect(readdirSync(o)).toEqual(['initial.mmd']);
    const j = await run('spec/emr-flow.ban', '--out', dir(), '--browser', join(root, 'nope'), '--json');
    expect(j.code).toBe(3);
    const e = (JSON.parse(j.out) as { ok: boolean; error: { code: string; exitCode: number; message: string } });
    expect(e).toMatchObject({ ok: false, error: { code: 'environment', exitCode: 3 } });
    expect(e.error.message).toContain('no usable browser');
  });

  test('a classic spec without a flow draws its idealised messages and goals (kerberos)', async () => {
    const d = dir();
    const r = await run('spec/classic/kerberos.ban', '--render', 'none', '--out', d, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.diagrams.map((x: { name: string }) => x.name)).toEqual(['messages']);
    expect(j.goals.placed).toEqual({ messages: ['G1', 'G2', 'G3', 'G4', 'N1', 'N2'] });
    const mmd = readFileSync(join(d, 'messages.mmd'), 'utf8');
    expect(mmd).toContain('title: "Kerberos: idealised messages (BAN)"');
    expect(mmd).toContain('S->>A: M2: {Ts, A ↔Kab B, {Ts, A ↔Kab B}_Kbs from S}_Kas from S');
    expect(mmd).toMatch(/Note over S,B: BAN goals \(spec Kerberos\):<br\/>G1: A \|≡ A ↔Kab B/);
  });

  test('bad input exits 2 with a message: flags, phase, spec without messages or flow, spec errors', async () => {
    expect((await run('spec/emr-flow.ban', '--render', 'gif')).code).toBe(2);
    const p = await run('spec/emr-flow.ban', '--render', 'none', '--out', dir(), '--phase', 'nope');
    expect(p.code).toBe(2);
    expect(p.err).toContain("no phase 'nope'");
    const noFlow = join(root, 'noflow.ban');
    writeFileSync(noFlow, 'protocol X\nprincipals A, B\n');
    const nf = await run(noFlow, '--render', 'none', '--out', dir());
    expect(nf.code).toBe(2);
    expect(nf.err).toContain('neither a flow section with a phase nor idealised messages');
    const bad = join(root, 'bad.ban');
    writeFileSync(bad, 'protocol X\nflow\n  phase p "x"\n    p.1: A -> B : (X: nope)\n');
    const b = await run(bad, '--render', 'none', '--out', dir());
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/bad\.ban:4:23: error: unknown field type 'nope' \(flow\.field-type\)/);
    expect(b.err).toContain('^^^^');
    expect((await run()).code).toBe(2);
  });

  test('an --out that cannot be created is bad input, not a crash', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = await run('spec/emr-flow.ban', '--render', 'none', '--out', join(file, 'sub'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write output directory');
  });

  test('--trace draws a run trace per phase; a damaged trace exits 2', async () => {
    const t = join(root, 'trace.json');
    writeFileSync(t, JSON.stringify(attackedInitialTrace()));
    const o = dir();
    const r = await run('--trace', t, '--out', o, '--render', 'none');
    expect(r.code).toBe(0);
    expect(readdirSync(o)).toEqual(['trace-initial.mmd']);
    writeFileSync(t, '{"suite":"x","seed":"1","events":[{"kind":"send"}]}');
    const bad = await run('--trace', t, '--render', 'none', '--out', dir());
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('event 1');
  });

  test('the browser path comes from --browser, then BANTAM_CHROMIUM, then /usr/bin/chromium', () => {
    const saved = process.env.BANTAM_CHROMIUM;
    try {
      delete process.env.BANTAM_CHROMIUM;
      expect(resolveBrowser()).toEqual({ path: '/usr/bin/chromium', from: 'default' });
      process.env.BANTAM_CHROMIUM = '/opt/chrome';
      expect(resolveBrowser()).toEqual({ path: '/opt/chrome', from: 'env' });
      expect(resolveBrowser('/x/chromium')).toEqual({ path: '/x/chromium', from: 'option' });
    } finally {
      if (saved === undefined) delete process.env.BANTAM_CHROMIUM;
      else process.env.BANTAM_CHROMIUM = saved;
    }
    expect(existsSync(root)).toBe(true);
  });
});
