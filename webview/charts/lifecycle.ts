// A process's lifecycle over the range: one lane per instance (identity), a bar while it lived,
// a triangle where it started, a cross where it exited and a diamond where the same command line
// started again after an exit (a restart). Shapes, not colours, tell the events apart.

import { axisBottom, scaleTime, select, symbol, symbolCross, symbolDiamond, symbolTriangle } from 'd3';
import { identityKey } from '../../shared/model';
import type { LifecycleEvent } from '../../shared/webviewProtocol';
import { formatTick, formatTime } from '../format';
import { t } from '../i18n';

export interface LifecycleData {
  from: number;
  to: number;
  events: LifecycleEvent[];
}

interface Lane {
  key: string;
  pid: number;
  start: number | null;
  exit: number | null;
  restart: boolean;
}

const MAX_LANES = 12;
const LANE_HEIGHT = 18;
const MARGIN = { top: 6, right: 16, bottom: 24, left: 84 };

/** Groups events into instances; a start whose command line matches the last exit is a restart. */
export function lanesOf(events: readonly LifecycleEvent[]): Lane[] {
  const lanes = new Map<string, Lane>();
  let lastExitCmdline: string | null = null;
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    const key = identityKey(event.identity.pid, event.identity.startTime);
    const lane = lanes.get(key) ?? { key, pid: event.identity.pid, start: null, exit: null, restart: false };
    if (event.kind === 'start') {
      lane.start = event.ts;
      lane.restart = lastExitCmdline === event.cmdline;
    } else {
      lane.exit = event.ts;
      lastExitCmdline = event.cmdline;
    }
    lanes.set(key, lane);
  }
  return [...lanes.values()];
}

export function renderLifecycle(element: HTMLElement, data: LifecycleData, title: string): void {
  element.replaceChildren();
  const lanes = lanesOf(data.events);
  const shown = lanes.slice(-MAX_LANES);
  const width = Math.max(240, Math.floor(element.clientWidth || 800));
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, shown.length) * LANE_HEIGHT;
  const x = scaleTime().domain([data.from, data.to]).range([0, plotWidth]).clamp(true);
  const starts = lanes.filter((lane) => lane.start !== null).length;
  const exits = lanes.filter((lane) => lane.exit !== null).length;
  const restarts = lanes.filter((lane) => lane.restart).length;

  const svg = select(element)
    .append('svg')
    .attr('class', 'lifecycle-svg')
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr('aria-label', t('lifecycleAria', { title, instances: lanes.length, starts, exits, restarts }));
  svg.append('title').text(title);
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  plot
    .append('g')
    .attr('class', 'axis axis-x')
    .attr('transform', `translate(0,${shown.length * LANE_HEIGHT})`)
    .call(
      axisBottom(x)
        .ticks(Math.max(2, Math.floor(plotWidth / 110)))
        // d3's default tick format is English ("Dec 07"): the panel's locale formats instead.
        .tickFormat((value) => formatTick(value instanceof Date ? value.getTime() : Number(value))),
    );

  shown.forEach((lane, index) => {
    const middle = index * LANE_HEIGHT + LANE_HEIGHT / 2;
    const group = plot.append('g').attr('class', 'lane');
    group
      .append('text')
      .attr('class', 'lane-label')
      .attr('x', -8)
      .attr('y', middle)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .text(t('lanePid', { pid: lane.pid }));
    const begin = x(lane.start ?? data.from);
    const end = x(lane.exit ?? data.to);
    group
      .append('line')
      .attr('class', 'lane-bar')
      .attr('x1', begin)
      .attr('x2', Math.max(begin + 1, end))
      .attr('y1', middle)
      .attr('y2', middle);
    const mark = (ts: number, kind: string, shape: typeof symbolCross, label: (time: string) => string) =>
      group
        .append('path')
        .attr('class', `mark mark-${kind}`)
        .attr('transform', `translate(${x(ts)},${middle})`)
        .attr('d', symbol(shape, 60)())
        .append('title')
        .text(label(formatTime(ts)));
    if (lane.start !== null) {
      mark(
        lane.start,
        lane.restart ? 'restart' : 'start',
        lane.restart ? symbolDiamond : symbolTriangle,
        (time) => (lane.restart ? t('restarted', { time }) : t('started', { time })),
      );
    }
    if (lane.exit !== null) mark(lane.exit, 'exit', symbolCross, (time) => t('exited', { time }));
  });

  const legend = document.createElement('p');
  legend.className = 'lifecycle-legend';
  const counts = { starts: starts - restarts, restarts, exits };
  legend.textContent =
    lanes.length > shown.length
      ? t('lifecycleLegendCut', { ...counts, shown: shown.length, total: lanes.length })
      : t('lifecycleLegend', counts);
  element.append(legend);
}
