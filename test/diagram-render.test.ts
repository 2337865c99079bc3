/**
 * The one test that launches a browser: renders flow and trace diagrams to SVG in Chromium,
 * through the same `renderDiagrams` the CLI uses (one launch for the whole list).
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
});
