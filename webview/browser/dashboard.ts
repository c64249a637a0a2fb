// The plan's dashboard (1.1 Web Dashboard), above the panel in the browser: "now" (the newest
// tick, every 2 s while the page is shown) and today / this week / this month (machine CPU and the
// processes that used the most CPU time, every minute). Everything from a process goes in as
// text (webview/dom.ts). Its words are the panel's catalogue's (shared/i18n/panel.ts).
import type { RequestType } from 'vscode-jsonrpc';
import type { StatsRow } from '../../shared/model';
import { HistoryRequest, StatsRequest, TopRequest } from '../../shared/protocol';
import { namedRange, type NamedRange } from '../../shared/time';
import { el, fill } from '../dom';
import { formatBytes, formatPercent, formatSeconds } from '../format';
import { t } from '../i18n';

type Request = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;
const LIVE_MS = 2000;
const PERIOD_MS = 60_000;
const PERIODS: NamedRange[] = ['today', 'week', 'month'];

/**
 * `panelDrawn` resolves when the panel drew its first chart: the period cards (a month's stats is
 * the heaviest query here) ask only then, so they never hold up the first chart in the agent.
 */
export function startDashboard(parent: HTMLElement, request: Request, panelDrawn: Promise<void>): void {
  const card = (id: string, title: string) => {
    const body = el('div', { className: 'card-body' }, el('p', { className: 'note', text: t('loading') }));
    const article = el(
      'article',
      { className: `card card-${id}`, attrs: { 'aria-label': title } },
      el('h2', { text: title }),
      body,
    );
    return { article, body };
  };
  const now = card('now', t('now'));
  const periods = PERIODS.map((period) => ({ period, ...card(period, t(period)) }));
  parent.prepend(
    el(
      'section',
      { className: 'dashboard', attrs: { 'aria-label': t('dashboard') } },
      now.article,
      ...periods.map((p) => p.article),
    ),
  );

  const drawNow = async () => {
    const top = await request(TopRequest.type, { n: 5, sort: 'cpu' });
    const m = top.machine;
    if (!m) return now.body.replaceChildren(el('p', { className: 'note', text: t('nothingYet') }));
    now.body.replaceChildren(
      el(
        'p',
        { className: 'figure' },
        ...fill(t.text('cpu'), { value: el('strong', { text: formatPercent(m.cpu) }) }),
      ),
      el('p', { text: t('memoryOf', { used: formatBytes(m.memUsed), total: formatBytes(m.memTotal) }) }),
      el('p', { text: t('loadProcesses', { load: m.load1.toFixed(2), count: m.processCount }) }),
      el(
        'ol',
        {},
        ...top.rows.map((row) =>
          el(
            'li',
            {},
            el('span', { className: 'name', text: row.name }),
            el('span', { text: formatPercent(row.cpu) }),
          ),
        ),
      ),
    );
  };

  const drawPeriod = async (period: NamedRange, body: HTMLElement) => {
    const { from, to } = namedRange(period, Date.now());
    const [stats, cpu] = await Promise.all([
      request(StatsRequest.type, { from, to, sort: 'cpu', n: 3 }),
      request(HistoryRequest.type, { metric: 'machineCpu', from, to, maxPoints: 200 }),
    ]);
    const points = (cpu.series[0]?.points ?? []).filter((p) => p.value !== null);
    if (!points.length && !stats.rows.length)
      return body.replaceChildren(el('p', { className: 'note', text: t('nothingYet') }));
    const avg = points.reduce((sum, p) => sum + p.value!, 0) / (points.length || 1);
    const peak = points.reduce((most, p) => Math.max(most, p.max ?? p.value!), 0);
    body.replaceChildren(
      el('p', {
        text: t('cpuAvgPeak', {
          avg: formatPercent(points.length ? avg : null),
          peak: formatPercent(points.length ? peak : null),
        }),
      }),
      el('h3', { text: t('topByCpuTime') }),
      el(
        'ol',
        {},
        ...stats.rows.map((row: StatsRow) =>
          el(
            'li',
            {},
            el('span', { className: 'name', text: row.name }),
            el('span', { text: formatSeconds(row.cpuSeconds) }),
          ),
        ),
      ),
    );
  };

  const shown = () => document.visibilityState === 'visible';
  const fail = (body: HTMLElement) => (error: Error) =>
    body.replaceChildren(el('p', { className: 'note error', text: error.message }));
  const refreshNow = () => void drawNow().catch(fail(now.body));
  const refreshPeriods = () => {
    for (const { period, body } of periods) void drawPeriod(period, body).catch(fail(body));
  };
  refreshNow();
  void panelDrawn.then(refreshPeriods);
  setInterval(() => shown() && refreshNow(), LIVE_MS);
  setInterval(() => shown() && refreshPeriods(), PERIOD_MS);
}
