/**
 * Geometry of a rendered Mermaid SVG, measured in Chromium (the SVG carries x/y, but only the
 * browser knows how wide a text is): every box that holds text — notes, participant boxes — must
 * contain its texts' bounding boxes, every highlight block (Mermaid `rect`) the notes drawn in it,
 * the title must be horizontally centred in the drawing, and a self-message's label (the text
 * just before its loop path) must not straddle its lifeline.
 */
import type { Browser } from 'puppeteer';

export interface BoxOverflow {
  /** The box's class (note, actor, ...), and the text that runs past it. */
  box: string;
  text: string;
  /** How far the text runs past the box, in SVG units, on each side (positive = outside). */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface SvgGeometry {
  /** Boxes checked (so a test can tell the check was not vacuous). */
  boxes: number;
  overflows: BoxOverflow[];
  /** The title's horizontal centre minus the drawing's (viewBox) centre; null without a title. */
  titleOffset: number | null;
  /** The title's bounding box lies inside the viewBox. */
  titleInside: boolean | null;
  /** Self-messages (a loop on one lifeline) measured, and the labels the lifeline runs through. */
  selfMessages: number;
  selfLabelCrossings: { text: string; lifeline: number; left: number; right: number }[];
}

/**
 * `panel` picks the n-th (0-based) of two diagrams drawn side by side in one SVG (an attack and
 * its honest run, class `bantam-beside`); each is measured as a diagram of its own.
 */
export async function measureSvg(browser: Browser, svg: string, panel?: number): Promise<SvgGeometry> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return (await page.evaluate(`(${MEASURE})(${panel === undefined ? 'undefined' : panel})`)) as SvgGeometry;
  } finally {
    await page.close();
  }
}

/** Runs in the page (plain JavaScript: the project compiles without the DOM library). */
const MEASURE = `(panel) => {
      const outer = document.querySelector('svg');
      const root = panel === undefined ? outer : Array.from(outer.children).filter((c) => c.tagName.toLowerCase() === 'svg')[panel];
      const overflows = [];
      let boxes = 0;
      for (const rect of Array.from(root.querySelectorAll('rect'))) {
        const g = rect.parentElement;
        if (!g || g.tagName.toLowerCase() !== 'g') continue;
        const texts = Array.from(g.children).filter((c) => c.tagName.toLowerCase() === 'text');
        if (texts.length === 0) continue;
        boxes++;
        const r = rect.getBBox();
        for (const t of texts) {
          const b = t.getBBox();
          if (b.width === 0) continue;
          const o = { left: r.x - b.x, right: b.x + b.width - (r.x + r.width), top: r.y - b.y, bottom: b.y + b.height - (r.y + r.height) };
          if (Math.max(o.left, o.right, o.top, o.bottom) > 1) overflows.push({ box: rect.getAttribute('class') ?? 'rect', text: t.textContent ?? '', ...o });
        }
      }
      // Highlight blocks (class rect) hold the notes drawn in them.
      const noteBoxes = Array.from(root.querySelectorAll('rect.note')).map((n) => ({ b: n.getBBox(), text: n.parentElement ? n.parentElement.textContent : '' }));
      for (const block of Array.from(root.querySelectorAll('rect.rect'))) {
        const r = block.getBBox();
        boxes++;
        for (const n of noteBoxes) {
          const b = n.b;
          if (!(b.y >= r.y - 0.5 && b.y + b.height <= r.y + r.height + 0.5 && b.x < r.x + r.width && b.x + b.width > r.x)) continue;
          const o = { left: r.x - b.x, right: b.x + b.width - (r.x + r.width), top: 0, bottom: 0 };
          if (Math.max(o.left, o.right) > 1) overflows.push({ box: 'rect (highlight block)', text: n.text, ...o });
        }
      }
      const vb = root.viewBox.baseVal;
      const title = (root.querySelector(':scope > text.bantam-title') ?? Array.from(root.children).find((c) => c.tagName.toLowerCase() === 'text' && c.getAttribute('y') === '-25'));
      let titleOffset = null;
      let titleInside = null;
      if (title) {
        const b = title.getBBox();
        titleOffset = b.x + b.width / 2 - (vb.x + vb.width / 2);
        titleInside = b.x >= vb.x && b.x + b.width <= vb.x + vb.width && b.y >= vb.y;
      }
      // Self-messages: a loop path from a lifeline back to it; its label is the text just before it.
      // The lifeline's x is where the loop starts (its path's first point).
      let selfMessages = 0;
      const selfLabelCrossings = [];
      for (const loop of Array.from(root.querySelectorAll('path[data-et="message"]'))) {
        if (!loop.getAttribute('data-from') || loop.getAttribute('data-from') !== loop.getAttribute('data-to')) continue;
        const label = loop.previousElementSibling;
        if (!label || label.tagName.toLowerCase() !== 'text') continue;
        selfMessages++;
        const x = Number((/^M\\s*([-\\d.]+)/.exec(loop.getAttribute('d') || '') || [])[1]);
        const b = label.getBBox();
        if (b.x < x - 0.5 && b.x + b.width > x + 0.5) selfLabelCrossings.push({ text: label.textContent || '', lifeline: x, left: b.x, right: b.x + b.width });
      }
      return { boxes, overflows, titleOffset, titleInside, selfMessages, selfLabelCrossings };
    }`;
