// Over 400 lines because one chart's build, draw and pointer handling share its ChartView state;
// the legend (legend.ts) and the annotations (annotations.ts) live beside it.
// A time chart of several series — lines or a stacked area — with axes named by unit ("% of one
// core"), a legend that names every series (and can hide or isolate them), a hover crosshair whose
// tooltip lists the series by value with the point's bucket ("1:00–2:00 PM"), the hovered series
// highlighted, the part of the range before history began shaded and named, the machine's cores
// drawn on stacked CPU, a brush to zoom and a click to ask what was running at that moment.
// Keyboard: arrows move the crosshair, Enter picks the moment, + / - zoom around it.
//
// Everything from a process (series labels) is set with textContent / .text(), never as HTML.

import {
  area,
  axisBottom,
  axisLeft,
  brushX,
  line,
  pointer,
  scaleLinear,
  scaleTime,
  select,
  stack,
  ticks,
  type ScaleTime,
  type Selection,
} from 'd3';
import type { Series, ValueUnit } from '../../shared/model';
import { percentUnit, t } from '../i18n';
import { bucketPoint, meanPerBucket, minMaxPerBucket, nearestPoint, type DrawPoint } from '../downsample';
import { formatBucket, formatBytes, formatDay, formatPercent, formatRate, formatTick } from '../format';
import { drawBeforeHistory, drawCoreLimit } from './annotations';
import { renderLegend } from './legend';
import { seriesClass, seriesDash, swatch } from './palette';

export interface TimelineData {
  from: number;
  to: number;
  series: Series[];
  unit: ValueUnit;
  /** Lowest top of the value axis (e.g. 100 for machine CPU), so a quiet range is not magnified. */
  minTop?: number;
  /** The points' step, and whether they are averages over it (then tooltips name the bucket). */
  stepMs?: number;
  averaged?: boolean;
  /** The machine's cores: a stacked chart in % of one core draws the line all cores make. */
  cores?: number | null;
  /** When the range begins before anything was recorded: the first recorded moment. */
  historyStart?: number | null;
}

export interface TimelineOptions {
  /** The chart's accessible name, e.g. "Machine CPU, last 24 h". */
  title: string;
  mode: 'lines' | 'stacked';
  /** Width in pixels; measured from `element` when not given (which forces a layout). */
  width?: number;
  height?: number;
  /** Called with the brushed range (ms); the caller re-queries it at a finer resolution. */
  onBrush?: (from: number, to: number) => void;
  /** Called with the clicked instant (ms). */
  onPick?: (ts: number) => void;
  /** Called when a legend entry is activated (e.g. to open the process page). */
  onSeriesActivate?: (series: Series) => void;
  /** The legend can hide and isolate series (the chart keeps which, across redraws). */
  toggles?: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN = { top: 20, right: 16, bottom: 24, left: 64 };

export function formatValue(unit: ValueUnit, value: number | null): string {
  if (value === null) return '–';
  switch (unit) {
    case 'percentOfCore':
    case 'percentOfMachine':
      return formatPercent(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return formatRate(value);
    case 'count':
      return String(Math.round(value));
  }
}

function axisFormat(unit: ValueUnit): (value: number) => string {
  if (percentUnit(unit)) return (value) => `${value}%`;
  if (unit === 'count') return (value) => String(value);
  return (value) => formatValue(unit, value);
}

function byteUnit(top: number): number {
  let unit = 1;
  while (top / (unit * 1024) >= 1) unit *= 1024;
  return unit;
}

/** The typical spacing of a series' points, to tell "no value near here" from a value. */
function typicalStep(series: readonly Series[]): number {
  let step = 0;
  for (const one of series) {
    const n = one.points.length;
    if (n > 1) step = Math.max(step, (one.points[n - 1]!.ts - one.points[0]!.ts) / (n - 1));
  }
  return step;
}

/** What one draw put on a chart; the chart's event handlers always read the latest one. */
interface Drawn {
  data: TimelineData;
  options: TimelineOptions;
  x: ScaleTime<number, number>;
  y: (value: number) => number;
  buckets: number;
  step: number;
}

/** A chart's elements, built once per size and mode and updated in place by later draws. */
interface ChartView {
  width: number;
  height: number;
  mode: TimelineOptions['mode'];
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  title: Selection<SVGTitleElement, unknown, null, undefined>;
  plot: Selection<SVGGElement, unknown, null, undefined>;
  seriesGroup: Selection<SVGGElement, unknown, null, undefined>;
  tooltip: HTMLDivElement;
  legend: HTMLUListElement;
  legendKey: string;
  /** Series keys the legend hid; kept across redraws of the same chart. */
  hidden: Set<string>;
  highlighted: string | null;
  hideCursor(): void;
  drawn: Drawn;
}

const views = new WeakMap<HTMLElement, ChartView>();

/**
 * Draws `data` into `element`. A redraw of the same size and mode (a brush zoom, new data)
 * updates the chart in place — axes, paths and labels — instead of rebuilding its elements,
 * brush and legend: the zoom's redraw is on the user's hand.
 */
export function renderTimeline(element: HTMLElement, data: TimelineData, options: TimelineOptions): void {
  const width = Math.max(240, Math.floor(options.width || element.clientWidth || 800));
  const height = options.height ?? 220;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const buckets = Math.max(1, Math.round(plotWidth));
  const drawn: Drawn = {
    data,
    options,
    x: scaleTime().domain([data.from, data.to]).range([0, plotWidth]),
    y: (value) => value,
    buckets,
    step: typicalStep(data.series),
  };
  let view = views.get(element);
  const reusable =
    view &&
    view.width === width &&
    view.height === height &&
    view.mode === options.mode &&
    view.svg.node()!.parentNode === element &&
    view.legend.parentNode === element;
  if (!view || !reusable) {
    const hidden = view?.hidden;
    view = buildChart(element, width, height, options.mode, drawn);
    if (hidden) view.hidden = hidden;
    views.set(element, view);
  }
  view.drawn = drawn;
  view.hideCursor();
  drawData(view, drawn);
  updateLegend(view, drawn);
}

/** The series not hidden by the legend, each with its index (its colour and dash). */
function visibleSeries(view: ChartView, data: TimelineData): Array<{ one: Series; index: number }> {
  return data.series.map((one, index) => ({ one, index })).filter(({ one }) => !view.hidden.has(one.key));
}

/** Marks one series' path as highlighted and dims the others; null clears. */
function highlight(view: ChartView, key: string | null): void {
  if (view.highlighted === key) return;
  view.highlighted = key;
  for (const path of view.seriesGroup.node()!.children) {
    const mine = path.getAttribute('data-series') === key;
    path.classList.toggle('highlighted', key !== null && mine);
    path.classList.toggle('dimmed', key !== null && !mine);
  }
}

/** The value of `one` at the cursor: the point whose bucket holds it (averages), else the nearest. */
function valueAt(one: Series, ts: number, data: TimelineData, tolerance: number, pixelMs: number) {
  if (data.averaged && data.stepMs) return bucketPoint(one.points, ts + pixelMs / 2, data.stepMs);
  const nearest = nearestPoint(one.points, ts);
  return nearest && Math.abs(nearest.ts - ts) <= tolerance ? nearest : undefined;
}

function buildChart(
  element: HTMLElement,
  width: number,
  height: number,
  mode: TimelineOptions['mode'],
  first: Drawn,
): ChartView {
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;

  element.replaceChildren();
  element.classList.add('timeline');

  const figure = select(element);
  const svg = figure
    .append('svg')
    .attr('class', 'timeline-svg')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('tabindex', 0);
  const title = svg.append<SVGTitleElement>('title');

  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  plot.append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${plotHeight})`);
  plot.append('g').attr('class', 'axis axis-y');
  plot.append('g').attr('class', 'grid');
  plot.append('g').attr('class', 'before-history');
  plot
    .append('text')
    .attr('class', 'axis-unit')
    .attr('x', -MARGIN.left + 4)
    .attr('y', -8);
  const seriesGroup = plot.append('g').attr('class', 'series-group');

  plot.append('g').attr('class', 'core-limit');
  const crosshair = plot
    .append('line')
    .attr('class', 'crosshair')
    .attr('y1', 0)
    .attr('y2', plotHeight)
    .attr('visibility', 'hidden');

  const tooltip = document.createElement('div');
  tooltip.className = 'tooltip';
  tooltip.hidden = true;
  tooltip.setAttribute('role', 'status');

  let cursorTs: number | null = null;

  function showCursor(ts: number, pointerY?: number): void {
    const { data, x, y, buckets, step } = view.drawn;
    const { from, to } = data;
    cursorTs = Math.min(to, Math.max(from, ts));
    const px = x(cursorTs);
    crosshair.attr('x1', px).attr('x2', px).attr('visibility', 'visible');
    const tolerance = Math.max(step * 1.5, (to - from) / buckets);
    const rows = visibleSeries(view, data).map(({ one, index }) => ({
      one,
      index,
      point: valueAt(one, cursorTs!, data, tolerance, (to - from) / buckets),
    }));
    // The series under the pointer: the nearest line, or the stacked layer that holds it.
    if (pointerY !== undefined) {
      let best: string | null = null;
      let bestDistance = 12;
      let below = 0;
      for (const { one, point } of rows) {
        const value = point?.value;
        if (value === null || value === undefined) continue;
        if (view.mode === 'stacked') {
          if (pointerY <= y(below) && pointerY >= y(below + value)) best = one.key;
          below += value;
        } else if (Math.abs(y(value) - pointerY) < bestDistance) {
          bestDistance = Math.abs(y(value) - pointerY);
          best = one.key;
        }
      }
      highlight(view, best);
    }
    const heading = document.createElement('div');
    heading.className = 'tooltip-time';
    const shown = rows.find((row) => row.point)?.point;
    // The moment (a point's start, or the cursor's) for tests and tools; the text is the locale's.
    heading.dataset.ts = String(shown?.ts ?? Math.round(cursorTs));
    heading.textContent = formatBucket(
      shown?.ts ?? cursorTs,
      data.stepMs ?? 0,
      Boolean(data.averaged && shown),
    );
    const unit = percentUnit(data.unit);
    const list = document.createElement('ul');
    // Largest first: the order a reader looks for, not the legend's.
    rows.sort((a, b) => (b.point?.value ?? -Infinity) - (a.point?.value ?? -Infinity));
    for (const { one, index, point } of rows) {
      const item = document.createElement('li');
      if (one.key === view.highlighted) item.className = 'current';
      const label = document.createElement('span');
      label.className = 'tooltip-label';
      label.textContent = one.label;
      const value = document.createElement('span');
      value.className = 'tooltip-value';
      value.textContent = formatValue(data.unit, point?.value ?? null);
      item.append(swatch(index), label, value);
      list.append(item);
    }
    const parts: HTMLElement[] = [heading];
    if (unit) {
      const note = document.createElement('div');
      note.className = 'tooltip-unit';
      note.textContent = unit;
      parts.push(note);
    }
    tooltip.replaceChildren(...parts, list);
    tooltip.hidden = false;
    const left = MARGIN.left + px;
    // Keep the tooltip inside the chart: flip it to the cursor's left on the right half.
    tooltip.classList.toggle('flip', px > plotWidth / 2);
    tooltip.style.left = `${left}px`;
  }

  function hideCursor(): void {
    cursorTs = null;
    crosshair.attr('visibility', 'hidden');
    tooltip.hidden = true;
    highlight(view, null);
  }

  const brush = brushX()
    .extent([
      [0, 0],
      [plotWidth, plotHeight],
    ])
    .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => {
      if (!event.sourceEvent) return; // our own brush.move(null) below
      const { x, options } = view.drawn;
      const selection = event.selection;
      if (selection && selection[1] - selection[0] >= 3) {
        brush.move(brushGroup, null);
        options.onBrush?.(x.invert(selection[0]).getTime(), x.invert(selection[1]).getTime());
        return;
      }
      if (selection) brush.move(brushGroup, null);
      const [px] = pointer(event.sourceEvent, plot.node());
      options.onPick?.(x.invert(Math.min(plotWidth, Math.max(0, px))).getTime());
    });
  const brushGroup = plot.append('g').attr('class', 'brush').call(brush);
  brushGroup
    .on('pointermove.crosshair', (event: PointerEvent) => {
      const [px, py] = pointer(event, plot.node());
      showCursor(view.drawn.x.invert(px).getTime(), py);
    })
    .on('pointerleave.crosshair', hideCursor);

  svg.on('keydown', (event: KeyboardEvent) => {
    const { data, options } = view.drawn;
    const { from, to } = data;
    const span = to - from;
    const current = cursorTs ?? from + span / 2;
    const nudge = (event.shiftKey ? 0.1 : 0.01) * span;
    if (event.key === 'ArrowLeft') showCursor(current - nudge);
    else if (event.key === 'ArrowRight') showCursor(current + nudge);
    else if (event.key === 'Enter' || event.key === ' ') options.onPick?.(current);
    else if (event.key === '+' || event.key === '=')
      options.onBrush?.(current - span / 4, current + span / 4);
    else if (event.key === '-') options.onBrush?.(current - span, current + span);
    else if (event.key === 'Escape') return hideCursor();
    else return;
    event.preventDefault();
  });
  svg.on('blur', hideCursor);

  const legend = document.createElement('ul');
  legend.className = 'legend';
  element.append(tooltip, legend);

  const view: ChartView = {
    width,
    height,
    mode,
    svg,
    title,
    plot,
    seriesGroup,
    tooltip,
    legend,
    legendKey: '',
    hidden: new Set(),
    highlighted: null,
    hideCursor,
    drawn: first,
  };
  return view;
}

/** Downsamples the series to the chart's width and draws axes and paths for the drawn range. */
function drawData(view: ChartView, drawn: Drawn): void {
  const { data, options, x, buckets } = drawn;
  const { from, to } = data;
  const plotWidth = view.width - MARGIN.left - MARGIN.right;
  const plotHeight = view.height - MARGIN.top - MARGIN.bottom;
  const shown = visibleSeries(view, data);
  const keys = shown.map(({ index }) => `s${index}`);

  // Downsample first: the DOM cost is bounded by the width, whatever the range.
  let lines: DrawPoint[][] = [];
  let stackedLayers: Array<Array<[number, number, number]>> = [];
  let top = data.minTop ?? 0;
  if (view.mode === 'stacked') {
    const rowsByTs = new Map<number, Record<string, number>>();
    shown.forEach(({ one }, index) => {
      for (const point of meanPerBucket(one.points, from, to, buckets)) {
        const row = rowsByTs.get(point.ts) ?? { ts: point.ts };
        row[keys[index]!] = point.value ?? 0;
        rowsByTs.set(point.ts, row);
      }
    });
    const rows = [...rowsByTs.values()].sort((a, b) => a.ts! - b.ts!);
    const layers = stack<Record<string, number>>()
      .keys(keys)
      .value((row, key) => row[key] ?? 0)(rows);
    stackedLayers = layers.map((layer) =>
      layer.map((d) => [d.data.ts!, d[0], d[1]] as [number, number, number]),
    );
    for (const layer of stackedLayers) for (const [, , high] of layer) top = Math.max(top, high);
  } else {
    lines = shown.map(({ one }) => minMaxPerBucket(one.points, from, to, buckets));
    for (const line of lines)
      for (const point of line) if (point.value !== null) top = Math.max(top, point.value);
  }
  // Stacked processes in % of one core add up to at most cores × 100 %: draw that line.
  const coreLimit =
    view.mode === 'stacked' && data.unit === 'percentOfCore' && data.cores ? data.cores * 100 : null;
  if (coreLimit !== null) top = Math.max(top, coreLimit);
  // Byte axes step in powers of 1024 (1 GiB, 2 GiB…), not in decimal fractions of a gibibyte.
  const tickUnit = data.unit === 'bytes' || data.unit === 'bytesPerSecond' ? byteUnit(top) : 1;
  const tickValues = ticks(0, (top > 0 ? top : 1) / tickUnit, 5).map((tick) => tick * tickUnit);
  const last = tickValues[tickValues.length - 1] ?? 1;
  const y = scaleLinear()
    .domain([0, last >= top ? last : last + (tickValues[1] ?? last)])
    .range([plotHeight, 0]);
  if (last < top) tickValues.push(y.domain()[1]!);

  drawn.y = (value) => y(value);
  const unitName = percentUnit(data.unit);
  const historyStart =
    data.historyStart !== null && data.historyStart !== undefined && data.historyStart > from
      ? Math.min(data.historyStart, to)
      : null;
  const historyText = historyStart === null ? '' : t('historyStarts', { day: formatDay(historyStart) });
  view.svg.attr(
    'aria-label',
    t('chartAria', {
      name: [options.title, unitName, historyText].filter(Boolean).join(t('listSeparator')),
      count: shown.length,
    }),
  );
  view.title.text(options.title);

  const { plot } = view;
  plot.select('.axis-unit').text(unitName ?? '');
  plot.select<SVGGElement>('.axis-x').call(
    axisBottom(x)
      .ticks(Math.max(2, Math.floor(plotWidth / 110)))
      .tickFormat((value) => formatTick(value instanceof Date ? value.getTime() : Number(value))),
  );
  drawBeforeHistory(
    plot.select<SVGGElement>('.before-history').node()!,
    historyStart,
    historyText,
    x(historyStart ?? from),
    plotHeight,
  );
  drawCoreLimit(plot.select<SVGGElement>('.core-limit').node()!, coreLimit, data.cores ?? 0, y, plotWidth);
  plot.select<SVGGElement>('.axis-y').call(
    axisLeft(y)
      .tickValues(tickValues)
      .tickFormat((value) => axisFormat(data.unit)(Number(value))),
  );
  plot.select<SVGGElement>('.grid').call(
    axisLeft(y)
      .tickValues(tickValues)
      .tickSize(-plotWidth)
      .tickFormat(() => ''),
  );

  let pointCount = 0;
  let paths: Array<{ className: string; d: string | null }>;
  if (view.mode === 'stacked') {
    const shape = area<[number, number, number]>()
      .x((d) => x(d[0]))
      .y0((d) => y(d[1]))
      .y1((d) => y(d[2]));
    paths = stackedLayers.map((layer, index) => {
      pointCount += layer.length;
      return { className: `${seriesClass(shown[index]!.index)} series-area`, d: shape(layer) };
    });
  } else {
    const shape = line<DrawPoint>()
      .defined((d) => d.value !== null)
      .x((d) => x(d.ts))
      .y((d) => y(d.value ?? 0));
    paths = lines.map((points, index) => {
      pointCount += points.length;
      return { className: `${seriesClass(shown[index]!.index)} series-line`, d: shape(points) };
    });
  }
  // New path elements rather than a new `d` on the drawn ones: changing the shape of a path that
  // is already laid out costs Chromium more than laying out a fresh one (traced on a brush zoom).
  view.seriesGroup.node()!.replaceChildren(
    ...paths.map((path, index) => {
      const element = document.createElementNS(SVG_NS, 'path');
      element.setAttribute('class', path.className);
      element.setAttribute('data-series', shown[index]!.one.key);
      const dash = seriesDash(shown[index]!.index);
      if (dash) element.setAttribute('stroke-dasharray', dash);
      if (path.d !== null) element.setAttribute('d', path.d);
      return element;
    }),
  );
  view.svg.attr('data-points', pointCount);
  view.highlighted = null;
}

/** The legend names every series; rebuilt only when the series, their links or the hidden ones change. */
function updateLegend(view: ChartView, drawn: Drawn): void {
  const { data, options } = drawn;
  const key = JSON.stringify([
    options.title,
    Boolean(options.onSeriesActivate),
    Boolean(options.toggles),
    data.series.map((one) => [one.key, one.label, Boolean(one.identity)]),
    [...view.hidden],
  ]);
  if (view.legendKey === key && view.legend.childElementCount > 0) return;
  view.legendKey = key;
  renderLegend(view.legend, data.series, {
    title: options.title,
    hidden: view.hidden,
    toggles: Boolean(options.toggles),
    // The latest draw's callback: the caller makes a new one each time.
    onActivate: options.onSeriesActivate && ((one) => view.drawn.options.onSeriesActivate?.(one)),
    onHighlight: (series) => highlight(view, series),
    onHidden: (hidden) => {
      view.hidden = hidden;
      drawData(view, view.drawn);
      updateLegend(view, view.drawn);
    },
  });
}
