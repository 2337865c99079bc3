/**
 * The finishing pass over a Mermaid sequence diagram, run in the same headless Chromium that drew
 * it (only the browser knows how wide a text is). Mermaid 11 leaves three layout faults that the
 * rendered SVGs showed (test/diagram-geometry.test.ts measures them):
 *
 * - a note spanning several lanes is as wide as the lanes, whatever its text (`buildNoteModel`),
 *   and a one-lane note is sized with a font measurement that can come out narrower than the
 *   text as drawn — so text ran past its note box;
 * - the title is placed at `(box width)/2 − 2·diagramMarginX`, left-anchored, ignoring where the
 *   drawing starts — so titles sat right of centre, and a long one ran past the picture;
 * - a message from a party to itself (a contract call by the ledger's own party, a principal
 *   playing two roles) is a loop on its lifeline with the label centred ON the lifeline, so the
 *   lifeline ran through the text.
 *
 * The pass moves each self-message label right of its loop (left-aligned, level with the loop),
 * widens each note box (about its centre, where Mermaid centres the text) to hold its
 * text plus padding, widens each highlight block (green goals, red failures, orange attacker) to
 * hold the notes drawn in it, grows the viewBox to hold everything drawn, then centres the title in it
 * (`text-anchor: middle`, class `bantam-title`). Nothing else moves, so the output stays
 * deterministic: the same Mermaid text gives the same SVG.
 */
import type { Page } from 'puppeteer';

/** Space kept between a note's text and its border, and around the drawing (SVG units). */
export const NOTE_PADDING = 10;
export const DRAWING_MARGIN = 20;

/** Loads `svg` into `page`, fixes note widths and the title in place; returns the SVG text. */
export async function finishSvg(page: Page, svg: string): Promise<string> {
  await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${svg}</body></html>`);
  return (await page.evaluate(`(${FINISH})(${NOTE_PADDING}, ${DRAWING_MARGIN})`)) as string;
}

/**
 * Runs in the page (plain JavaScript: the project compiles without the DOM library).
 * (pad, margin) => the finished SVG text.
 */
const FINISH = `(pad, margin) => {
      const root = document.querySelector('svg');
      if (!root) return '';
      // 0. Self-messages (a party to itself: a loop on its lifeline, a path with data-from = data-to).
      //    Mermaid centres the label on the lifeline, so the line runs through the text; move the
      //    label right of the loop, left-aligned, its middle level with the loop's.
      for (const loop of Array.from(root.querySelectorAll('path[data-et="message"]'))) {
        if (!loop.getAttribute('data-from') || loop.getAttribute('data-from') !== loop.getAttribute('data-to')) continue;
        const label = loop.previousElementSibling;
        if (!label || label.tagName.toLowerCase() !== 'text' || !(label.getAttribute('class') || '').includes('messageText')) continue;
        const l = loop.getBBox();
        label.setAttribute('text-anchor', 'start');
        label.setAttribute('x', String(Math.round((l.x + l.width + pad / 2) * 100) / 100));
        const t = label.getBBox();
        const dy = l.y + l.height / 2 - (t.y + t.height / 2);
        label.setAttribute('y', String(Math.round((Number(label.getAttribute('y')) + dy) * 100) / 100));
        label.setAttribute('class', (label.getAttribute('class') || '') + ' bantam-self-label');
      }
      // 1. Notes: the rect and its texts share a <g>; widen the rect to the texts.
      for (const rect of Array.from(root.querySelectorAll('rect.note'))) {
        const g = rect.parentElement;
        if (!g) continue;
        const texts = Array.from(g.children).filter((c) => c.tagName.toLowerCase() === 'text');
        if (texts.length === 0) continue;
        let left = Infinity;
        let right = -Infinity;
        for (const t of texts) {
          const b = t.getBBox();
          if (b.width === 0) continue;
          left = Math.min(left, b.x);
          right = Math.max(right, b.x + b.width);
        }
        if (!Number.isFinite(left)) continue;
        const r = (rect).getBBox();
        const need = right - left + 2 * pad;
        if (r.width >= need && left - r.x >= pad / 2 && r.x + r.width - right >= pad / 2) continue;
        const centre = (left + right) / 2;
        const width = Math.max(r.width, need);
        rect.setAttribute('x', String(Math.round((centre - width / 2) * 100) / 100));
        rect.setAttribute('width', String(Math.round(width * 100) / 100));
      }
      // 1b. Highlight blocks (Mermaid 'rect', class rect): grow each to hold the notes (and moved self-message labels) drawn in it.
      const notes = Array.from(root.querySelectorAll('rect.note, text.bantam-self-label')).map((n) => n.getBBox());
      for (const block of Array.from(root.querySelectorAll('rect.rect'))) {
        const r = block.getBBox();
        let x0 = r.x;
        let x1 = r.x + r.width;
        for (const n of notes) {
          const inside = n.y >= r.y - 0.5 && n.y + n.height <= r.y + r.height + 0.5 && n.x < r.x + r.width && n.x + n.width > r.x;
          if (!inside) continue;
          x0 = Math.min(x0, n.x - pad);
          x1 = Math.max(x1, n.x + n.width + pad);
        }
        if (x0 === r.x && x1 === r.x + r.width) continue;
        block.setAttribute('x', String(Math.round(x0 * 100) / 100));
        block.setAttribute('width', String(Math.round((x1 - x0) * 100) / 100));
      }
      // 2. The title: Mermaid's is the <text> child of the <svg> at y=-25, without a class.
      const title = Array.from(root.children).find((c) => c.tagName.toLowerCase() === 'text' && c.getAttribute('y') === '-25' && !c.getAttribute('class'));
      if (title) {
        title.setAttribute('class', 'bantam-title');
        title.setAttribute('text-anchor', 'middle');
      }
      // 3. The viewBox holds everything drawn (the title measured centred on the drawing).
      const vb = root.viewBox.baseVal;
      let x0 = vb.x;
      let x1 = vb.x + vb.width;
      let y0 = vb.y;
      let y1 = vb.y + vb.height;
      for (const el of Array.from(root.children)) {
        if (el === title || typeof el.getBBox !== 'function') continue;
        const tag = el.tagName.toLowerCase();
        if (tag === 'defs' || tag === 'style' || tag === 'title' || tag === 'desc') continue;
        const b = el.getBBox();
        if (b.width === 0 && b.height === 0) continue;
        x0 = Math.min(x0, b.x - margin);
        x1 = Math.max(x1, b.x + b.width + margin);
        y0 = Math.min(y0, b.y - margin);
        y1 = Math.max(y1, b.y + b.height + margin);
      }
      if (title) {
        const w = title.getBBox().width;
        const centre = (x0 + x1) / 2;
        x0 = Math.min(x0, centre - w / 2 - margin);
        x1 = Math.max(x1, centre + w / 2 + margin);
        title.setAttribute('x', String(Math.round(((x0 + x1) / 2) * 100) / 100));
      }
      const round = (v) => Math.round(v * 100) / 100;
      root.setAttribute('viewBox', \`\${round(x0)} \${round(y0)} \${round(x1 - x0)} \${round(y1 - y0)}\`);
      root.style.maxWidth = \`\${round(x1 - x0)}px\`;
      return new XMLSerializer().serializeToString(root);
    }`;

/** A PNG of the SVG already loaded by `finishSvg`, at its natural width and device scale `scale`. */
export async function screenshotSvg(page: Page, scale: number): Promise<Uint8Array> {
  const width = (await page.evaluate('Math.ceil(document.querySelector("svg").viewBox.baseVal.width)')) as number;
  await page.setViewport({ width: Math.max(width, 1), height: 800, deviceScaleFactor: scale });
  const el = await page.$('svg');
  if (!el) throw new Error('no <svg> in the page');
  return el.screenshot({ type: 'png' });
}

/** Space between two diagrams drawn side by side, with a grey rule in its middle (SVG units). */
export const BESIDE_GAP = 60;

/**
 * Two finished SVGs drawn side by side in one SVG (an attack and the honest run it deviates from):
 * each keeps its own drawing, title and styles (their Mermaid ids must differ), placed at its
 * natural size, tops aligned, with a grey rule between them. Loads the result into `page` (so a PNG
 * can be taken of it with `screenshotSvg`) and returns its text.
 */
export async function besideSvg(page: Page, left: string, right: string): Promise<string> {
  await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${left}${right}</body></html>`);
  const svg = (await page.evaluate(`(${BESIDE})(${BESIDE_GAP})`)) as string;
  await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${svg}</body></html>`);
  return svg;
}

const BESIDE = `(gap) => {
      const NS = 'http://www.w3.org/2000/svg';
      const [a, b] = Array.from(document.body.children).filter((c) => c.tagName.toLowerCase() === 'svg');
      const size = (s) => { const vb = s.viewBox.baseVal; return { w: vb.width, h: vb.height }; };
      const sa = size(a);
      const sb = size(b);
      const round = (v) => Math.round(v * 100) / 100;
      const width = round(sa.w + gap + sb.w);
      const height = round(Math.max(sa.h, sb.h));
      const root = document.createElementNS(NS, 'svg');
      root.setAttribute('xmlns', NS);
      root.setAttribute('class', 'bantam-beside');
      root.setAttribute('viewBox', \`0 0 \${width} \${height}\`);
      root.setAttribute('width', String(width));
      root.setAttribute('style', \`max-width: \${width}px; background-color: white;\`);
      const place = (s, x, sz) => {
        s.setAttribute('x', String(round(x)));
        s.setAttribute('y', '0');
        s.setAttribute('width', String(round(sz.w)));
        s.setAttribute('height', String(round(sz.h)));
        s.style.maxWidth = '';
        root.appendChild(s);
      };
      place(a, 0, sa);
      const rule = document.createElementNS(NS, 'line');
      const mid = round(sa.w + gap / 2);
      rule.setAttribute('x1', String(mid));
      rule.setAttribute('x2', String(mid));
      rule.setAttribute('y1', '10');
      rule.setAttribute('y2', String(round(height - 10)));
      rule.setAttribute('stroke', '#bbbbbb');
      rule.setAttribute('stroke-width', '2');
      rule.setAttribute('stroke-dasharray', '6 6');
      root.appendChild(rule);
      place(b, sa.w + gap, sb);
      return new XMLSerializer().serializeToString(root);
    }`;
