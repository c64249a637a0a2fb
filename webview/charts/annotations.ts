// What a time chart draws besides its series: the part of the range before history began, shaded
// and named ("history starts Nov 29") rather than left blank, and on stacked CPU in % of one core
// the line all the machine's cores make ("4 cores = 400 %"). Each redraw replaces its group's content.

import { t } from '../i18n';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

/** Shades [0, `edge`) px of the plot when `start` is set; the label sits inside when it fits. */
export function drawBeforeHistory(
  group: SVGGElement,
  start: number | null,
  text: string,
  edge: number,
  plotHeight: number,
): void {
  group.replaceChildren();
  if (start === null) return;
  const inside = edge > 130;
  const label = svg('text', {
    x: inside ? edge - 6 : edge + 6,
    y: 14,
    'text-anchor': inside ? 'end' : 'start',
  });
  label.textContent = text;
  group.append(svg('rect', { x: 0, y: 0, width: edge, height: plotHeight }), label);
}

/** A dashed rule at `limit` (cores × 100 %), labelled at its right end; nothing when null. */
export function drawCoreLimit(
  group: SVGGElement,
  limit: number | null,
  cores: number,
  y: (value: number) => number,
  plotWidth: number,
): void {
  group.replaceChildren();
  if (limit === null) return;
  const label = svg('text', { x: plotWidth - 4, y: y(limit) - 4, 'text-anchor': 'end' });
  label.textContent = t('coreLimit', { count: cores, limit });
  group.append(svg('line', { x1: 0, x2: plotWidth, y1: y(limit), y2: y(limit) }), label);
}
