// Series styles: a colour class (the colours live in styles.css as --vscode-charts-* variables,
// so they follow the theme) *and* a dash pattern, so that colour is never the only signal.

export const SERIES_STYLES = 10;

const DASHES = ['', '6 3', '2 3', '10 3 2 3', '1 3', '12 4', '4 2 1 2', '8 2', '3 6', '14 3 3 3'];

export function seriesClass(index: number): string {
  return `series series-${index % SERIES_STYLES}`;
}

export function seriesDash(index: number): string {
  return DASHES[index % DASHES.length]!;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A short sample of a series' line, for legends and tooltips. */
export function swatch(index: number): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'swatch');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('x1', '1');
  line.setAttribute('x2', '27');
  line.setAttribute('y1', '5');
  line.setAttribute('y2', '5');
  line.setAttribute('class', seriesClass(index));
  const dash = seriesDash(index);
  if (dash) line.setAttribute('stroke-dasharray', dash);
  svg.append(line);
  return svg;
}
