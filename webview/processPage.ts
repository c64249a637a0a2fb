// One process's page: its CPU / memory / IO series, its lifecycle (starts, exits, restarts), its
// children, and — while it runs — command line, open files, connections, threads and container.
// CPU reads as % of one core (as recorded) or, when the cores are known, % of the machine. When
// the host fitted the range to the process's life, or there is nothing to draw, the page says so.
// Every string here comes from a process and is set as text only.

import {
  METRIC_UNITS,
  PERCENT_OF,
  type ProcessIdentity,
  type Series,
  type SeriesMetric,
} from '../shared/model';
import type { CpuScale, LiveDetails, ProcessPageParams, ProcessTarget } from '../shared/webviewProtocol';
import { renderLifecycle } from './charts/lifecycle';
import { renderTimeline } from './charts/timeline';
import { button, el } from './dom';
import { formatBytes, formatCount, formatPercent, formatTime, pointTiming } from './format';

export interface ProcessPageCallbacks {
  onBack(): void;
  onCpuScale(scale: CpuScale): void;
  onBrush(from: number, to: number): void;
  onOpenProcess(target: ProcessTarget): void;
  /** The host's own row actions (details, copy, kill with its confirmation). */
  onActions(identity: ProcessIdentity, name: string): void;
}

/** The charts, each of one unit (METRIC_UNITS); a chart of two metrics labels each series by it. */
const CHARTS: Array<{ title: string; metrics: Array<[SeriesMetric, string]> }> = [
  { title: 'CPU', metrics: [['cpu', 'CPU']] },
  { title: 'Memory', metrics: [['rss', 'Memory']] },
  {
    title: 'Disk IO',
    metrics: [
      ['readBps', 'read'],
      ['writeBps', 'write'],
    ],
  },
];

/** CPU in % of one core divided over the cores: the share of the whole machine. */
function asShareOfMachine(series: Series, cores: number): Series {
  return {
    ...series,
    points: series.points.map((point) => ({
      ts: point.ts,
      value: point.value === null ? null : point.value / cores,
      max: point.max === null ? null : point.max / cores,
    })),
  };
}

function liveDetails(live: LiveDetails): HTMLElement {
  const list = (items: string[] | null, empty: string) =>
    items === null
      ? el('p', { className: 'note', text: 'Not readable (another user’s process, or not supported here).' })
      : items.length === 0
        ? el('p', { className: 'note', text: empty })
        : el('ul', { className: 'plain-list' }, ...items.map((item) => el('li', { text: item })));
  return el(
    'section',
    { className: 'live-details', attrs: { 'aria-label': 'While it runs' } },
    el('h3', { text: 'While it runs' }),
    el(
      'dl',
      {},
      el('dt', { text: 'Command line' }),
      el('dd', { className: 'cmdline', text: live.cmdline || '–' }),
      el('dt', { text: 'Working folder' }),
      el('dd', { text: live.cwd ?? '–' }),
      el('dt', { text: 'User' }),
      el('dd', { text: live.user ?? '–' }),
      el('dt', { text: 'Threads' }),
      el('dd', { text: formatCount(live.threads) }),
      el('dt', { text: 'Container' }),
      el('dd', { text: live.container ?? 'none (host)' }),
    ),
    el('h4', { text: `Open files${live.openFiles ? ` (${live.openFiles.length})` : ''}` }),
    list(live.openFiles, 'No open files.'),
    el('h4', { text: `Network connections${live.connections ? ` (${live.connections.length})` : ''}` }),
    list(
      live.connections &&
        live.connections.map((c) => `${c.protocol} ${c.local} → ${c.remote || '*'} ${c.state}`),
      'No network connections.',
    ),
  );
}

export function renderProcessPage(
  element: HTMLElement,
  data: ProcessPageParams,
  cpuScale: CpuScale,
  callbacks: ProcessPageCallbacks,
): void {
  const cores = data.cores ?? null;
  const scale: CpuScale = cores ? cpuScale : 'core';
  const identity = data.target.identity;
  const subtitle = identity
    ? `PID ${identity.pid}, started ${formatTime(identity.startTime, false)}`
    : `All processes named “${data.name}”`;
  const header = el(
    'header',
    { className: 'process-header' },
    button('‹ Overview', () => callbacks.onBack(), { className: 'back-button' }),
    el('h2', { className: 'process-name', text: data.name }),
    el('span', { className: 'note', text: `${subtitle} · ${data.resolution.label}` }),
    identity
      ? button('Actions…', () => callbacks.onActions(identity, data.name), { className: 'actions-button' })
      : null,
  );

  const charts = CHARTS.map(({ title, metrics }) => {
    const container = el('div', { className: 'chart' });
    const [first] = metrics[0]!;
    const machine = first === 'cpu' && scale === 'machine' && cores !== null;
    return {
      container,
      title,
      unit: machine ? ('percentOfMachine' as const) : METRIC_UNITS[first],
      series: metrics.flatMap(([metric, label]) =>
        data.series
          .filter((series) => series.metric === metric)
          .map((series) => ({
            ...(machine ? asShareOfMachine(series, cores) : series),
            // Read and write of one process would both be called by its name: name the metric.
            label: metrics.length > 1 ? label : series.label,
          })),
      ),
    };
  });
  const drawable = data.series.some((series) => series.points.some((point) => point.value !== null));
  const range = `${formatTime(data.from, false)} – ${formatTime(data.to, false)}`;
  const notes = [
    data.fitted
      ? el('p', {
          className: 'note fitted-note',
          text: `Range fitted to the life of ${data.name}: ${range} (${data.resolution.label}); the overview's range had no points for it at its resolution.`,
        })
      : null,
    drawable
      ? null
      : el('p', {
          className: 'note empty-note',
          attrs: { role: 'status' },
          text: `Nothing recorded for ${data.name} between ${range}: it did not run then, or ran between two ${data.resolution.label.replace(/s$/, '')} points. Pick a shorter range to see finer points.`,
        }),
  ];
  const scaleSelect = el('select', {
    className: 'cpu-scale',
    attrs: { 'aria-label': 'CPU as' },
  });
  for (const [value, text] of [
    ['core', PERCENT_OF.percentOfCore!],
    ['machine', cores ? `${PERCENT_OF.percentOfMachine!} (${cores} cores)` : PERCENT_OF.percentOfMachine!],
  ] as const)
    scaleSelect.append(el('option', { text, attrs: { value } }));
  scaleSelect.value = scale;
  scaleSelect.disabled = cores === null;
  scaleSelect.addEventListener('change', () => callbacks.onCpuScale(scaleSelect.value as CpuScale));

  const lifecycle = el('div', { className: 'chart lifecycle' });
  const childrenSection = el(
    'section',
    { attrs: { 'aria-label': 'Children' } },
    el('h3', { text: `Children (${data.children.length})` }),
    data.children.length === 0
      ? el('p', { className: 'note', text: 'No child processes in this range.' })
      : el(
          'table',
          { className: 'data-table children-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Name', 'PID', 'CPU', 'Memory', 'Command line'].map((t) =>
                el('th', { text: t, attrs: { scope: 'col' } }),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            ...data.children.map((child) =>
              el(
                'tr',
                {},
                el(
                  'td',
                  {},
                  button(
                    child.name,
                    () =>
                      callbacks.onOpenProcess({
                        identity: { pid: child.pid, startTime: child.startTime },
                        name: child.name,
                      }),
                    { className: 'link-button' },
                  ),
                ),
                el('td', { className: 'numeric', text: String(child.pid) }),
                el('td', { className: 'numeric', text: formatPercent(child.cpu) }),
                el('td', { className: 'numeric', text: formatBytes(child.rss) }),
                el('td', { className: 'cmdline', text: child.cmdline, title: child.cmdline }),
              ),
            ),
          ),
        ),
  );

  element.replaceChildren(
    header,
    ...notes.filter((note): note is HTMLParagraphElement => note !== null),
    ...charts.flatMap((chart) => [
      chart.title === 'CPU'
        ? el(
            'div',
            { className: 'chart-heading' },
            el('h3', { text: chart.title }),
            el('label', { className: 'cpu-scale-label', text: 'as ' }, scaleSelect),
          )
        : el('h3', { text: chart.title }),
      chart.container,
    ]),
    el('h3', { text: 'Lifecycle' }),
    lifecycle,
    childrenSection,
    data.live
      ? liveDetails(data.live)
      : el('p', { className: 'note', text: 'Not running now: live details are shown while it runs.' }),
  );

  // Charts measure their container, so they are drawn once the page is in the document.
  const width = element.clientWidth;
  for (const chart of charts) {
    renderTimeline(
      chart.container,
      {
        from: data.from,
        to: data.to,
        series: chart.series,
        unit: chart.unit,
        ...pointTiming(data.resolution),
      },
      {
        title: `${chart.title} of ${data.name}`,
        mode: 'lines',
        width,
        height: 160,
        onBrush: (from, to) => callbacks.onBrush(from, to),
      },
    );
  }
  renderLifecycle(
    lifecycle,
    { from: data.from, to: data.to, events: data.lifecycle },
    `Lifecycle of ${data.name}`,
  );
}
