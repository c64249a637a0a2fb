// The plan's dashboard (1.1 Web Dashboard), above the panel in the browser: "now" (the newest
// tick, every 2 s while the page is shown) and today / this week / this month (machine CPU and the
// processes that used the most CPU time, every minute). Everything from a process goes in as
// text (webview/dom.ts). Its words in English and Chinese, from the page's lang (agent/http/page.ts).
import type { RequestType } from 'vscode-jsonrpc';
import type { StatsRow } from '../../shared/model';
import { HistoryRequest, StatsRequest, TopRequest } from '../../shared/protocol';
import { namedRange, type NamedRange } from '../../shared/time';
import { el } from '../dom';
import { formatBytes, formatPercent, formatSeconds } from '../format';

type Request = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

const EN = {
  dashboard: 'Dashboard',
  now: 'Now',
  today: 'Today',
  week: 'This week',
  month: 'This month',
  cpu: 'CPU',
  memory: 'Memory',
  load: 'Load',
  processes: (n: number) => `${n} processes`,
  of: (used: string, total: string) => `${used} of ${total}`,
  cpuAvgPeak: (avg: string, peak: string) => `CPU average ${avg}, peak ${peak}`,
  topByCpuTime: 'Most CPU time',
  nothing: 'Nothing recorded yet',
  loading: 'Loading…',
};
const ZH_CN: typeof EN = {
  dashboard: '仪表板',
  now: '当前',
  today: '今天',
  week: '本周',
  month: '本月',
  cpu: 'CPU',
  memory: '内存',
  load: '负载',
  processes: (n) => `${n} 个进程`,
  of: (used, total) => `${used} / ${total}`,
  cpuAvgPeak: (avg, peak) => `CPU 平均 ${avg}，峰值 ${peak}`,
  topByCpuTime: 'CPU 时间最多',
  nothing: '尚无记录',
  loading: '加载中…',
};
export const DASHBOARD_STRINGS = { en: EN, 'zh-cn': ZH_CN } as const;

const LIVE_MS = 2000;
const PERIOD_MS = 60_000;
const PERIODS: NamedRange[] = ['today', 'week', 'month'];

/**
 * `panelDrawn` resolves when the panel drew its first chart: the period cards (a month's stats is
 * the heaviest query here) ask only then, so they never hold up the first chart in the agent.
 */
export function startDashboard(parent: HTMLElement, request: Request, panelDrawn: Promise<void>): void {
  const t = document.documentElement.lang.toLowerCase().startsWith('zh') ? ZH_CN : EN;
  const card = (id: string, title: string) => {
    const body = el('div', { className: 'card-body' }, el('p', { className: 'note', text: t.loading }));
    const article = el(
      'article',
      { className: `card card-${id}`, attrs: { 'aria-label': title } },
      el('h2', { text: title }),
      body,
    );
    return { article, body };
  };
  const now = card('now', t.now);
  const periods = PERIODS.map((period) => ({ period, ...card(period, t[period]) }));
  parent.prepend(
    el(
      'section',
      { className: 'dashboard', attrs: { 'aria-label': t.dashboard } },
      now.article,
      ...periods.map((p) => p.article),
    ),
  );

  const drawNow = async () => {
    const top = await request(TopRequest.type, { n: 5, sort: 'cpu' });
    const m = top.machine;
    if (!m) return now.body.replaceChildren(el('p', { className: 'note', text: t.nothing }));
    now.body.replaceChildren(
      el(
        'p',
        { className: 'figure' },
        el('span', { text: `${t.cpu} ` }),
        el('strong', { text: formatPercent(m.cpu) }),
      ),
      el('p', { text: `${t.memory} ${t.of(formatBytes(m.memUsed), formatBytes(m.memTotal))}` }),
      el('p', { text: `${t.load} ${m.load1.toFixed(2)} · ${t.processes(m.processCount)}` }),
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
      return body.replaceChildren(el('p', { className: 'note', text: t.nothing }));
    const avg = points.reduce((sum, p) => sum + p.value!, 0) / (points.length || 1);
    const peak = points.reduce((most, p) => Math.max(most, p.max ?? p.value!), 0);
    body.replaceChildren(
      el('p', {
        text: t.cpuAvgPeak(
          formatPercent(points.length ? avg : null),
          formatPercent(points.length ? peak : null),
        ),
      }),
      el('h3', { text: t.topByCpuTime }),
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
