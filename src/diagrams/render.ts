/**
 * Writes diagrams to disk: always the Mermaid text (`NAME.mmd`), and on request an SVG or PNG
 * drawn by mermaid-cli's Node API (`renderMermaid`) in ONE headless Chromium launched for the
 * whole list (browser start costs ~5 s; each further diagram ~1.5 s — docs/diagrams.md).
 *
 * The browser is the system Chromium (`/usr/bin/chromium`, Debian package `chromium`), or the
 * executable given by `browser` / env BANTAM_CHROMIUM. Without one, the `.mmd` files are still
 * written and a `BrowserMissing` UserError (exit code 3) says how to install one.
 */
import { existsSync } from 'node:fs';
import { ensureOutputDir, safeWriteFile } from '../io/safe-write.js';
import { join } from 'node:path';
import { UserError } from '../spec/diagnostics.js';
import type { Diagram } from './mermaid.js';
import { besideSvg, finishSvg, screenshotSvg } from './svg-finish.js';

export type RenderFormat = 'svg' | 'png' | 'none';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Launch flags that work as root in containers (see /work/shared/notes/stack.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export interface RenderProgress {
  index: number; // 1-based
  total: number;
  name: string;
  status: 'done' | 'failed';
  file?: string;
  ms: number;
  error?: string;
}

export interface RenderOptions {
  /** Output directory (created if missing). */
  out: string;
  format: RenderFormat;
  /** Chromium executable; default env BANTAM_CHROMIUM, then /usr/bin/chromium. */
  browser?: string;
  onProgress?: (p: RenderProgress) => void;
  /** Write through symbolic links to regular files (src/io/safe-write.ts). */
  force?: boolean;
}

export interface RenderedDiagram {
  name: string;
  mmd: string;
  /** The `.mmd` of the diagram drawn beside this one in the same image, if any. */
  besideMmd?: string;
  image?: string;
  error?: string;
}

export interface RenderResult {
  format: RenderFormat;
  browser?: string;
  diagrams: RenderedDiagram[];
  /** Diagrams Mermaid refused (syntax errors), by name. */
  failures: { name: string; message: string }[];
}

/** The Chromium executable to use, and where the choice came from. */
export function resolveBrowser(explicit?: string): { path: string; from: 'option' | 'env' | 'default' } {
  if (explicit) return { path: explicit, from: 'option' };
  const env = process.env.BANTAM_CHROMIUM;
  if (env) return { path: env, from: 'env' };
  return { path: DEFAULT_CHROMIUM, from: 'default' };
}

export function browserMissing(path: string, from: string, cause?: string): UserError {
  return new UserError(
    [
      `no usable browser for rendering: ${path} (${from === 'default' ? 'default path' : from === 'env' ? 'from BANTAM_CHROMIUM' : 'from --browser'})${cause ? `: ${cause}` : ''}`,
      'The .mmd files were written. To render SVG/PNG, install Chromium:',
      '  apt-get install -y chromium',
      'or point to a Chromium/Chrome executable with --browser PATH or env BANTAM_CHROMIUM=PATH.',
    ].join('\n'),
    [],
    3,
  );
}

/**
 * The browser stack is an optional peer dependency of bantam (package.json): an install that never
 * renders does not download it. Missing, it is an environment problem (exit 3) that names the
 * exact packages to add; the .mmd files are written before this point.
 */
export const RENDER_PACKAGES = ['puppeteer@24.43.1', '@mermaid-js/mermaid-cli@11.17.0'] as const;

async function loadRenderer() {
  try {
    return await Promise.all([import('puppeteer'), import('@mermaid-js/mermaid-cli')]);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
    throw rendererMissing((e as Error).message.split('\n')[0] ?? '');
  }
}

export function rendererMissing(cause: string): UserError {
  return new UserError(
    [
      `rendering needs the optional packages puppeteer and @mermaid-js/mermaid-cli, which are not installed (${cause})`,
      'The .mmd files were written. To render SVG/PNG, install them next to bantam (no browser download; the system Chromium is used):',
      `  PUPPETEER_SKIP_DOWNLOAD=1 npm install ${RENDER_PACKAGES.join(' ')}`,
      'and a Chromium: apt-get install -y chromium (or --browser PATH / env BANTAM_CHROMIUM=PATH).',
      'Or write Mermaid text only: --render none.',
    ].join('\n'),
    [],
    3,
  );
}

/** First lines of a Mermaid error, without the puppeteer stack. */
export function mermaidMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')
    .filter((l) => !/^\s+at\s/.test(l) && !/\(\S+:\d+:\d+\)\s*$/.test(l))
    .slice(0, 6)
    .join('\n')
    .trim();
}

export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'diagram';
}

/** Write `.mmd` for every diagram, then render all of them in one browser (unless format is 'none'). */
export async function renderDiagrams(list: readonly Diagram[], opts: RenderOptions): Promise<RenderResult> {
  ensureOutputDir(opts.out); // refuses a non-directory and /proc, /sys (writing there can hang)
  const names = new Set<string>();
  const writeMmd = (d: Diagram) => {
    const name = safeFileName(d.name);
    if (names.has(name)) throw new UserError(`two diagrams are named '${name}'`);
    names.add(name);
    const mmd = join(opts.out, `${name}.mmd`);
    safeWriteFile(mmd, d.mermaid, { force: opts.force ?? false });
    return { name, mmd };
  };
  const diagrams: RenderedDiagram[] = list.map((d) => {
    const own = writeMmd(d);
    return d.beside ? { ...own, besideMmd: writeMmd(d.beside).mmd } : own;
  });
  const result: RenderResult = { format: opts.format, diagrams, failures: [] };
  if (opts.format === 'none' || list.length === 0) return result;

  const { path, from } = resolveBrowser(opts.browser);
  if (!existsSync(path)) throw browserMissing(path, from, 'not found');
  result.browser = path;
  const [{ default: puppeteer }, { renderMermaid }] = await loadRenderer();
  let browser;
  try {
    browser = await puppeteer.launch({ executablePath: path, headless: true, args: [...CHROMIUM_ARGS] });
  } catch (e) {
    throw browserMissing(path, from, mermaidMessage(e).split('\n')[0]);
  }
  try {
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      const out = diagrams[i]!;
      const t0 = performance.now();
      try {
        // Mermaid draws the SVG; the finishing pass fixes note widths and the title (svg-finish.ts);
        // a PNG is a screenshot of the finished SVG at device scale 2.
        // A diagram with another beside it: both drawn and finished apart (distinct Mermaid ids,
        // so their styles do not mix), then placed side by side in one SVG (svg-finish.ts).
        const draw = async (text: string, svgId: string) =>
          new TextDecoder().decode(
            (
              await renderMermaid(browser, text, 'svg', {
                backgroundColor: 'white',
                svgId,
                mermaidConfig: { theme: 'default', sequence: { showSequenceNumbers: false, wrap: false } },
              })
            ).data,
          );
        const raw = await draw(d.mermaid, 'my-svg');
        const rawBeside = d.beside ? await draw(d.beside.mermaid, 'my-svg-beside') : undefined;
        const page = await browser.newPage();
        let data: Uint8Array | string;
        try {
          data = await finishSvg(page, raw);
          if (rawBeside !== undefined) data = await besideSvg(page, data, await finishSvg(page, rawBeside));
          if (opts.format === 'png') data = await screenshotSvg(page, 2);
        } finally {
          await page.close();
        }
        const image = join(opts.out, `${out.name}.${opts.format}`);
        safeWriteFile(image, data, { force: opts.force ?? false });
        out.image = image;
        opts.onProgress?.({ index: i + 1, total: list.length, name: out.name, status: 'done', file: out.image, ms: performance.now() - t0 });
      } catch (e) {
        if (e instanceof UserError) throw e;
        const message = mermaidMessage(e);
        out.error = message;
        result.failures.push({ name: out.name, message });
        opts.onProgress?.({ index: i + 1, total: list.length, name: out.name, status: 'failed', ms: performance.now() - t0, error: message });
      }
    }
  } finally {
    await browser.close();
  }
  return result;
}
