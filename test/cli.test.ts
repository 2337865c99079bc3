import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/args.js';

function recorder(): CliIo & { stdout: string; stderr: string } {
  const r = { stdout: '', stderr: '', out: (t: string) => void (r.stdout += `${t}\n`), err: (t: string) => void (r.stderr += `${t}\n`) };
  return r;
}

describe('bantam CLI dispatcher', () => {
  test('unknown command: exit 2 and the list of commands, no stack trace', async () => {
    const io = recorder();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(io.stderr).toMatch(/derive/);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });

  test('unknown flag: exit 2 with a one-line message', async () => {
    const io = recorder();
    expect(await main(['derive', 'spec/emr-corrected.ban', '--nope'], io)).toBe(2);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(io.stderr).toMatch(/unknown option --nope/);
  });

  test('help lists every command with its summary', async () => {
    const io = recorder();
    expect(await main(['--help'], io)).toBe(0);
    for (const c of ['demo', 'run', 'derive', 'check', 'why', 'props', 'claims', 'diagram', 'costs', 'conform', 'proofs', 'ledger']) {
      expect(io.stdout).toMatch(new RegExp(`^  ${c}\\s+\\S`, 'm'));
    }
    expect(io.stdout).not.toMatch(/not available/);
  });

  test('a spec error is printed as file:line:col with a caret (exit 2)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'bantam-cli-')), 'bad.ban');
    writeFileSync(f, 'protocol Bad\nprincipals A, B\natoms\n  nonce N\ngoals\n  G1: A |= #(N\n');
    const io = recorder();
    expect(await main(['derive', f], io)).toBe(2);
    expect(io.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:\\d+: error:`));
    expect(io.stderr).toMatch(/\^/);
  });

  test('the real binary writes complete JSON into a pipe (no truncation at 64 KiB)', () => {
    const r = spawnSync(process.execPath, ['bin/bantam.js', 'derive', 'spec/emr-corrected.ban', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(65536);
    const parsed = JSON.parse(r.stdout) as { goals: { derived: boolean }[] };
    expect(parsed.goals.length).toBeGreaterThanOrEqual(24);
  });

  test('run --trace-out + --diagram DIR --render none: the trace round-trips into per-phase Mermaid files', async () => {
    const { mkdtempSync, readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bantam-run-'));
    const io = recorder();
    expect(await main(['run', '--seed', '5', '--trace-out', join(dir, 't.json'), '--diagram', join(dir, 'd'), '--render', 'none'], io)).toBe(0);
    const trace = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { seed: string; events: { kind: string }[] };
    expect(trace.seed).toBe('5');
    expect(trace.events.filter((e) => e.kind === 'send').length).toBeGreaterThanOrEqual(14);
    const files = readdirSync(join(dir, 'd')).sort();
    expect(files).toEqual(['trace-initial.mmd', 'trace-inter.mmd', 'trace-registration.mmd', 'trace-setup.mmd']);
    const inter = readFileSync(join(dir, 'd', 'trace-inter.mmd'), 'utf8');
    expect(inter).toMatch(/sequenceDiagram/);
    expect(inter).toMatch(/inter\.8 \(ID_HPA/);
  });

  test('run: --render without --diagram is bad input (exit 2)', async () => {
    const io = recorder();
    expect(await main(['run', '--render', 'svg'], io)).toBe(2);
    expect(io.stderr).toMatch(/go with --diagram/);
  });
});
