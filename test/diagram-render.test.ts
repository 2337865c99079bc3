/**
 * The tests that launch a browser: render flow and trace diagrams to SVG and PNG in Chromium,
 * through the same `renderDiagrams` the CLI uses (one launch per call, for the whole list).
 * Skipped only when no Chromium is installed AND not in CI; in CI (CI=true) it must run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { diagramsForSpec } from '../src/diagrams/from-flow.js';
import { diagramForTrace } from '../src/diagrams/from-trace.js';
import { renderDiagrams, resolveBrowser, type RenderProgress } from '../src/diagrams/render.js';
import { attackedInitialTrace } from '../src/diagrams/trace-fixtures.js';
import { loadSpec } from '../src/spec/load.js';

const browser = resolveBrowser();
const available = existsSync(browser.path);
const inCi = process.env.CI === 'true';
if (!available && !inCi) {
  console.warn(`diagram-render: SKIPPED — no Chromium at ${browser.path} (install: apt-get install -y chromium, or set BANTAM_CHROMIUM). In CI this test runs.`);
}

const out = mkdtempSync(join(tmpdir(), 'bantam-render-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!available && !inCi)('rendering in Chromium', () => {
  test('SVGs of a flow phase and an attacked trace; a broken diagram is refused by name, without a stack', async () => {
    const initial = diagramsForSpec(loadSpec('spec/emr-flow.ban')).find((d) => d.name === 'initial')!;
    const trace = diagramForTrace(attackedInitialTrace(), { name: 'attacked' });
    const broken = { name: 'broken', title: 'broken', mermaid: 'sequenceDiagram\n  A->>: no receiver\n' };
    const progress: RenderProgress[] = [];
    const r = await renderDiagrams([initial, broken, trace], { out, format: 'svg', onProgress: (p) => progress.push(p) });

    expect(progress.map((p) => [p.index, p.total, p.name, p.status])).toEqual([
      [1, 3, 'initial', 'done'],
      [2, 3, 'broken', 'failed'],
      [3, 3, 'attacked', 'done'],
    ]);
    const svg = readFileSync(join(out, 'initial.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Real drawn text: participant titles, fields, equations.
    for (const s of ['Patient (mobile device)', 'Blockchain center', '(ID_PAT, R_PAT, T_PAT)', 'CHK_PA = H3(SEK_AP, T_PAT)', '(25)', 'smart contract ptchk(ID_PAT)']) {
      expect(svg, s).toContain(s);
    }
    const tsvg = readFileSync(join(out, 'attacked.svg'), 'utf8');
    // Entity codes come out as the characters they stand for.
    expect(tsvg).toContain('swapped with message #19');
    expect(tsvg).toContain('Adversary');
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.name).toBe('broken');
    expect(r.failures[0]!.message).toMatch(/^Parse error on line 2/);
    expect(r.failures[0]!.message).not.toMatch(/\n\s+at |\.mjs:\d+/);
    expect(existsSync(join(out, 'broken.mmd'))).toBe(true);
    expect(existsSync(join(out, 'broken.svg'))).toBe(false);
  });

  test('PNG of a phase with its BAN-goal note: a real PNG at device scale 2', async () => {
    const initial = diagramsForSpec(loadSpec('spec/emr-corrected.ban')).find((d) => d.name === 'initial')!;
    expect(initial.mermaid).toMatch(/Note over P,BC: BAN goals of this phase/); // the note spans every lane
    const r = await renderDiagrams([initial], { out, format: 'png' });
    expect(r.failures).toEqual([]);
    const png = readFileSync(join(out, 'initial.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    // three lanes and 25 lines of goals at deviceScaleFactor 2: a few thousand pixels each way
    expect(width).toBeGreaterThan(1500);
    expect(height).toBeGreaterThan(2000);
  });

  test('a diagram with another beside it: both in one SVG (their own ids and titles) and one PNG as wide as both', async () => {
    const left = diagramForTrace(attackedInitialTrace(), { name: 'left', title: 'Left: a run under attack' });
    const right = diagramsForSpec(loadSpec('spec/protocols/nspk.ban')).find((d) => d.name === 'ns')!;
    const pair = { ...left, name: 'pair', beside: { ...right, name: 'pair-beside' } };
    const dir = join(out, 'beside');
    const svg = await renderDiagrams([pair], { out: dir, format: 'svg' });
    expect(svg.failures).toEqual([]);
    expect(svg.diagrams[0]!.besideMmd).toBe(join(dir, 'pair-beside.mmd'));
    expect(readFileSync(join(dir, 'pair-beside.mmd'), 'utf8')).toBe(right.mermaid);
    const text = readFileSync(join(dir, 'pair.svg'), 'utf8');
    expect(text).toMatch(/^<svg [^>]*class="bantam-beside"/);
    expect(text).toContain('id="my-svg"');
    expect(text).toContain('id="my-svg-beside"');
    expect(text).toContain('Left: a run under attack');
    expect(text).toContain(right.title.split(':')[0]!);
    // the PNG holds both: wider than the left diagram drawn alone
    const png = await renderDiagrams([pair], { out: join(dir, 'png'), format: 'png' });
    const alone = await renderDiagrams([left], { out: join(dir, 'alone'), format: 'png' });
    const width = (f: string) => readFileSync(f).readUInt32BE(16);
    expect(width(png.diagrams[0]!.image!)).toBeGreaterThan(width(alone.diagrams[0]!.image!) + 400);
  }, 120_000);
});
