// One process's page: its CPU / memory / IO series, its lifecycle (starts, exits, restarts), its
// children, and — while it runs — command line, open files, connections, threads and container.
// CPU reads as % of one core (as recorded) or, when the cores are known, % of the machine. When
// the host fitted the range to the process's life, or there is nothing to draw, the page says so.
// Every string here comes from a process and is set as text only.

import { METRIC_UNITS, type ProcessIdentity, type Series, type SeriesMetric } from '../shared/model';
import type { CpuScale, LiveDetails, ProcessPageParams, ProcessTarget } from '../shared/webviewProtocol';
import { renderLifecycle } from './charts/lifecycle';
import { renderTimeline } from './charts/timeline';
import { button, el } from './dom';
import { formatBytes, formatCount, formatPercent, formatTime, pointTiming, resolutionText } from './format';
import { t } from './i18n';

export interface ProcessPageCallbacks {
  onBack(): void;
  onCpuScale(scale: CpuScale): void;
  onBrush(from: number, to: number): void;
  onOpenProcess(target: ProcessTarget): void;
  /** The host's own row actions (details, copy, kill with its confirmation). */
  onActions(identity: ProcessIdentity, name: string): void;
}

/** The charts, each of one unit (METRIC_UNITS); a chart of two metrics labels each series by it. */
const CHARTS: Array<{
  title: string;
  of: (name: string) => string;
  metrics: Array<[SeriesMetric, string]>;
}> = [
  { title: t('chartCpu'), of: (name) => t('chartCpuOf', { name }), metrics: [['cpu', t('chartCpu')]] },
  {
    title: t('chartMemory'),
    of: (name) => t('chartMemoryOf', { name }),
    metrics: [['rss', t('chartMemory')]],
  },
  {
    title: t('chartDisk'),
    of: (name) => t('chartDiskOf', { name }),
    metrics: [
      ['readBps', t('seriesRead')],
      ['writeBps', t('seriesWrite')],
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
      ? el('p', { className: 'note', text: t('notReadable') })
      : items.length === 0
        ? el('p', { className: 'note', text: empty })
        : el('ul', { className: 'plain-list' }, ...items.map((item) => el('li', { text: item })));
  return el(
    'section',
    { className: 'live-details', attrs: { 'aria-label': t('whileRuns') } },
    el('h3', { text: t('whileRuns') }),
    el(
      'dl',
      {},
      el('dt', { text: t('colCommandLine') }),
      el('dd', { className: 'cmdline', text: live.cmdline || '–' }),
      el('dt', { text: t('workingFolder') }),
      el('dd', { text: live.cwd ?? '–' }),
      el('dt', { text: t('colUser') }),
      el('dd', { text: live.user ?? '–' }),
      el('dt', { text: t('colThreads') }),
      el('dd', { text: formatCount(live.threads) }),
      el('dt', { text: t('container') }),
      el('dd', { text: live.container ?? t('noContainer') }),
    ),
    el('h4', {
      text: live.openFiles ? t('openFilesCount', { count: live.openFiles.length }) : t('openFiles'),
    }),
    list(live.openFiles, t('noOpenFiles')),
    el('h4', {
      text: live.connections ? t('connectionsCount', { count: live.connections.length }) : t('connections'),
    }),
    list(
      live.connections &&
        live.connections.map((c) => `${c.protocol} ${c.local} → ${c.remote || '*'} ${c.state}`),
      t('noConnections'),
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
  const resolution = resolutionText(data.resolution);
  const subtitle = identity
    ? t('subtitlePid', { pid: identity.pid, time: formatTime(identity.startTime, false), resolution })
    : t('subtitleName', { name: data.name, resolution });
  const header = el(
    'header',
    { className: 'process-header' },
    button(t('overview'), () => callbacks.onBack(), { className: 'back-button' }),
    el('h2', { className: 'process-name', text: data.name }),
    el('span', { className: 'note', text: subtitle }),
    identity
      ? button(t('actions'), () => callbacks.onActions(identity, data.name), { className: 'actions-button' })
      : null,
  );

  const charts = CHARTS.map(({ title, of, metrics }) => {
    const container = el('div', { className: 'chart' });
    const [first] = metrics[0]!;
    const machine = first === 'cpu' && scale === 'machine' && cores !== null;
    return {
      container,
      title,
      of,
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
          text: t('fitted', { name: data.name, range, resolution }),
        })
      : null,
    drawable
      ? null
      : el('p', {
          className: 'note empty-note',
          attrs: { role: 'status' },
          text: t('nothingRecorded', { name: data.name, range, resolution }),
        }),
  ];
  const scaleSelect = el('select', {
    className: 'cpu-scale',
    attrs: { 'aria-label': t('cpuAs') },
  });
  for (const [value, text] of [
    ['core', t('percentOfCore')],
    ['machine', cores ? t('percentOfMachineCores', { count: cores }) : t('percentOfMachine')],
  ] as const)
    scaleSelect.append(el('option', { text, attrs: { value } }));
  scaleSelect.value = scale;
  scaleSelect.disabled = cores === null;
  scaleSelect.addEventListener('change', () => callbacks.onCpuScale(scaleSelect.value as CpuScale));

  const lifecycle = el('div', { className: 'chart lifecycle' });
  const childrenSection = el(
    'section',
    { attrs: { 'aria-label': t('children') } },
    el('h3', { text: t('childrenCount', { count: data.children.length }) }),
    data.children.length === 0
      ? el('p', { className: 'note', text: t('noChildren') })
      : el(
          'table',
          { className: 'data-table children-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...[t('colName'), t('colPid'), t('colCpu'), t('colMemory'), t('colCommandLine')].map((title) =>
                el('th', { text: title, attrs: { scope: 'col' } }),
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
      chart === charts[0]
        ? el(
            'div',
            { className: 'chart-heading' },
            el('h3', { text: chart.title }),
            el('label', { className: 'cpu-scale-label', text: `${t('as')} ` }, scaleSelect),
          )
        : el('h3', { text: chart.title }),
      chart.container,
    ]),
    el('h3', { text: t('lifecycle') }),
    lifecycle,
    childrenSection,
    data.live ? liveDetails(data.live) : el('p', { className: 'note', text: t('notRunning') }),
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
        title: chart.of(data.name),
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
    t('lifecycleOf', { name: data.name }),
  );
}
