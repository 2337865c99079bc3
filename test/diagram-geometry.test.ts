/**
 * Diagram quality, checked on the rendered SVG's geometry in Chromium (issue 14, item 4): for
 * every box that holds text (notes, goal notes, participant boxes) each text's bounding box lies
 * inside the box, and the title is centred on the drawing and inside it. Representative diagrams:
 * EMR spec phases (with BAN-goal notes), a run trace drawn by `bantam run --diagram`, a classic
 * spec's idealised messages, an executable spec from spec/protocols/, and the attack images of
 * `claims SPEC --diagram` panel by panel (the attack and its honest run beside it). No label of a
 * self-message (a loop on one lifeline) may straddle that lifeline. Controls show the checks can
 * fail: Mermaid's own SVG (before bantam's finishing pass) overflows a spanning goal note, puts the
 * title off centre and centres self-message labels on their lifeline. Skipped only when no
 * Chromium is installed AND not in CI.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagramsForSpec } from '../src/diagrams/from-flow.js';
import { CHROMIUM_ARGS, renderDiagrams, resolveBrowser } from '../src/diagrams/render.js';
import { loadSpec } from '../src/spec/load.js';
import { cli } from './helpers/cli.js';
import { measureSvg, type SvgGeometry } from './helpers/svg-geometry.js';

const chromium = resolveBrowser();
const available = existsSync(chromium.path);
const inCi = process.env.CI === 'true';
/** Title centre vs drawing centre, in SVG units (a character is ~8). */
const CENTRE_TOLERANCE = 2;

const out = mkdtempSync(join(tmpdir(), 'bantam-geometry-'));
let browser: Browser;

beforeAll(async () => {
  if (!available && !inCi) return;
  const { default: puppeteer } = await import('puppeteer');
  browser = await puppeteer.launch({ executablePath: chromium.path, headless: true, args: [...CHROMIUM_ARGS] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

function expectClean(name: string, g: SvgGeometry): void {
  expect(g.boxes, `${name}: boxes measured`).toBeGreaterThan(0);
  expect(g.overflows, `${name}: text past its box`).toEqual([]);
  expect(g.titleOffset, `${name}: has a title`).not.toBeNull();
  expect(Math.abs(g.titleOffset!), `${name}: title centred`).toBeLessThanOrEqual(CENTRE_TOLERANCE);
  expect(g.titleInside, `${name}: title inside the drawing`).toBe(true);
  expect(g.selfLabelCrossings, `${name}: a self-message's label crossed by its lifeline`).toEqual([]);
}

async function renderAndMeasure(dir: string, specs: readonly string[], pick?: (name: string) => boolean): Promise<Map<string, SvgGeometry>> {
  const list = specs.flatMap((f) => diagramsForSpec(loadSpec(f)).map((d) => ({ ...d, name: `${f.replace(/\W+/g, '_')}-${d.name}` })));
  const chosen = pick ? list.filter((d) => pick(d.name)) : list;
  const r = await renderDiagrams(chosen, { out: join(out, dir), format: 'svg', browser: chromium.path });
  expect(r.failures).toEqual([]);
  const m = new Map<string, SvgGeometry>();
  for (const d of r.diagrams) m.set(d.name, await measureSvg(browser, readFileSync(d.image!, 'utf8')));
  return m;
}

describe.skipIf(!available && !inCi)('rendered SVG geometry', () => {
  test('EMR spec phases with their BAN-goal notes: text inside every box, title centred', async () => {
    const m = await renderAndMeasure('emr', ['spec/emr-corrected.ban'], (n) => /registration-hpa|initial|inter$/.test(n));
    expect(m.size).toBe(3);
    for (const [name, g] of m) expectClean(name, g);
  }, 120_000);

  test('a run trace drawn by `bantam run --diagram`', async () => {
    const dir = join(out, 'run');
    const r = await cli('run', '--diagram', dir, '--render', 'svg', '--browser', chromium.path);
    expect(r.code, r.err).toBe(0);
    const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
    expect(svgs).toEqual(expect.arrayContaining(['trace-initial.svg', 'trace-inter.svg', 'trace-registration.svg']));
    for (const f of svgs) expectClean(f, await measureSvg(browser, readFileSync(join(dir, f), 'utf8')));
  }, 180_000);

  test('classic specs without a flow draw their idealised messages (kerberos, x509, wide-mouthed frog)', async () => {
    const m = await renderAndMeasure('classic', ['spec/classic/kerberos.ban', 'spec/classic/x509.ban', 'spec/classic/wide-mouthed-frog.ban']);
    expect(m.size).toBe(3);
    for (const [name, g] of m) expectClean(name, g);
  }, 120_000);

  test('an executable spec from spec/protocols/ (NSPK: flow phase with goals, setup block)', async () => {
    const m = await renderAndMeasure('nspk', ['spec/protocols/nspk.ban']);
    expect(m.size).toBe(2);
    for (const [name, g] of m) expectClean(name, g);
  }, 120_000);

  test('a self-message (the center calling its own contract) has its label off its lifeline', async () => {
    const dir = join(out, 'self');
    const r = await cli('run', 'spec/emr-flow.ban', '--diagram', dir, '--render', 'svg', '--browser', chromium.path);
    expect(r.code, r.err).toBe(0);
    const g = await measureSvg(browser, readFileSync(join(dir, 'trace-registration-patient.svg'), 'utf8'));
    expect(g.selfMessages).toBeGreaterThan(0);
    expectClean('trace-registration-patient.svg', g);
  }, 120_000);

  test("control: Mermaid's own SVG draws a self-message's label across its lifeline", async () => {
    const { renderMermaid } = await import('@mermaid-js/mermaid-cli');
    const { diagramsForTrace } = await import('../src/diagrams/from-trace.js');
    const { runFlow } = await import('../src/interpret/run.js');
    const { loadExecutable } = await import('../src/interpret/load.js');
    const trace = runFlow(loadExecutable('spec/emr-flow.ban').protocol, { seed: 1 }).trace;
    const d = diagramsForTrace(trace).find((x) => x.name === 'trace-registration-patient')!;
    const { data } = await renderMermaid(browser, d.mermaid, 'svg', { mermaidConfig: { theme: 'default', sequence: { showSequenceNumbers: false, wrap: false } } });
    const g = await measureSvg(browser, new TextDecoder().decode(data));
    expect(g.selfMessages).toBeGreaterThan(0);
    expect(g.selfLabelCrossings.length).toBe(g.selfMessages);
  }, 60_000);

  test('attack diagrams with the honest run beside them (claims SPEC --diagram): both panels clean', async () => {
    const dir = join(out, 'attacks');
    const r = await cli('claims', 'spec/protocols/nspk.ban', '--diagram', dir, '--render', 'svg', '--browser', chromium.path);
    expect(r.code, r.err).toBe(1);
    const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
    expect(svgs.sort()).toEqual(['attack-1.svg', 'attack-2.svg', 'attack-3.svg']);
    let panels = 0;
    for (const f of svgs) {
      const svg = readFileSync(join(dir, f), 'utf8');
      expect(svg).toContain('class="bantam-beside"');
      for (const panel of [0, 1]) {
        const g = await measureSvg(browser, svg, panel);
        expectClean(`${f} panel ${panel}`, g);
        panels++;
      }
    }
    // every attack and every honest run beside it was measured (self-message labels are checked on
    // EMR's registration run above: NSPK's attacks now bind each role to its own principal)
    expect(panels).toBe(6);
  }, 180_000);

  test("control: Mermaid's own SVG, before the finishing pass, fails the check", async () => {
    const { renderMermaid } = await import('@mermaid-js/mermaid-cli');
    const ns = diagramsForSpec(loadSpec('spec/protocols/nspk.ban')).find((d) => d.name === 'ns')!;
    const { data } = await renderMermaid(browser, ns.mermaid, 'svg', { mermaidConfig: { theme: 'default', sequence: { showSequenceNumbers: false, wrap: false } } });
    const g = await measureSvg(browser, new TextDecoder().decode(data));
    expect(g.overflows.some((o) => o.box === 'note' && o.text.startsWith('BAN goals of this phase'))).toBe(true);
    expect(Math.abs(g.titleOffset!)).toBeGreaterThan(CENTRE_TOLERANCE);
  }, 60_000);

  test('control: the checker finds text past a note, a note past its highlight block, an off-centre title', async () => {
    const svg = [
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 -50 400 200" width="400">',
      '<rect x="100" y="0" width="100" height="100" class="rect" fill="green"/>',
      '<g><rect x="90" y="10" width="60" height="30" class="note"/><text x="120" y="30" text-anchor="middle" style="font-size: 16px">a text far wider than its box</text></g>',
      '<text x="300" y="-25">Title</text>',
      '</svg>',
    ].join('');
    const g = await measureSvg(browser, svg);
    expect(g.overflows.map((o) => o.box).sort()).toEqual(['note', 'rect (highlight block)']);
    expect(g.titleOffset!).toBeGreaterThan(50);
  }, 60_000);
});
