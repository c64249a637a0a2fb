// One process's page: its CPU / memory / IO series, its lifecycle (starts, exits, restarts), its
// children, and — while it runs — command line, open files, connections, threads and container.
// Every string here comes from a process and is set as text only.

import type { ProcessIdentity, Series } from '../shared/model';
import type { LiveDetails, ProcessPageParams, ProcessTarget } from '../shared/webviewProtocol';
import { renderLifecycle } from './charts/lifecycle';
import { renderTimeline, type ValueUnit } from './charts/timeline';
import { button, el } from './dom';
import { formatBytes, formatCount, formatPercent, formatTime } from './format';

export interface ProcessPageCallbacks {
  onBack(): void;
  onBrush(from: number, to: number): void;
  onOpenProcess(target: ProcessTarget): void;
  /** The host's own row actions (details, copy, kill with its confirmation). */
  onActions(identity: ProcessIdentity, name: string): void;
}

const CHARTS: Array<{ title: string; unit: ValueUnit; metrics: Series['metric'][] }> = [
  { title: 'CPU', unit: 'percent', metrics: ['cpu'] },
  { title: 'Memory', unit: 'bytes', metrics: ['rss'] },
  { title: 'Disk IO', unit: 'bytesPerSecond', metrics: ['readBps', 'writeBps'] },
];

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
  callbacks: ProcessPageCallbacks,
): void {
  const identity = data.target.identity;
  const subtitle = identity
    ? `PID ${identity.pid}, started ${formatTime(identity.startTime)}`
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

  const charts = CHARTS.map(({ title, unit, metrics }) => {
    const container = el('div', { className: 'chart' });
    return {
      container,
      title,
      unit,
      series: data.series.filter((series) => metrics.includes(series.metric)),
    };
  });

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
    ...charts.flatMap((chart) => [el('h3', { text: chart.title }), chart.container]),
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
      { from: data.from, to: data.to, series: chart.series, unit: chart.unit },
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
