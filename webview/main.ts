// The history panel's entry: acquires the VS Code API once, posts `ready`, asks for its range,
// and dispatches the host's messages — each validated by its guard before anything is drawn.

import './styles.css';
import { METRIC_UNITS, type ExportFormat, type MachineMetric, type StatsRow } from '../shared/model';
import {
  AtNotification,
  DataNotification,
  ErrorNotification,
  ExportCommand,
  OpenProcessRowCommand,
  ProcessPageNotification,
  ReadyCommand,
  RenderedCommand,
  RequestAtCommand,
  RequestProcessCommand,
  RequestRangeCommand,
  SaveStateCommand,
  StateNotification,
  type DataParams,
  type IpcCommandType,
  type PanelState,
  type ProcessPageParams,
  type ProcessTarget,
} from '../shared/webviewProtocol';
import { renderAtTable } from './atTable';
import { renderTimeline } from './charts/timeline';
import { el } from './dom';
import { formatTime, pointTiming } from './format';
import { t } from './i18n';
import { renderProcessPage } from './processPage';
import { metricLabel, renderRangeBar } from './rangeBar';
import { PRESET_MS, presetLabel, presetRange, restoreState, withCustomRange, withPreset } from './state';
import { renderTable } from './table';
import { exportFileName } from './tableModel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// VS Code allows one acquisition per page; everything below shares this one.
const vscode = acquireVsCodeApi();
let state: PanelState = restoreState(vscode.getState(), Date.now());
let data: DataParams | null = null;
let processData: ProcessPageParams | null = null;
let messageCount = 0;
let liveTimer: ReturnType<typeof setInterval> | undefined;

function post<P>(type: IpcCommandType<P>, params: P): void {
  vscode.postMessage(type.create(`panel-${++messageCount}`, params));
}

// ── Layout ──────────────────────────────────────────────────────────────────────────────────

const rangeBar = el('nav', { className: 'range-bar', attrs: { 'aria-label': t('rangeNav') } });
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const cpuChart = el('div', { className: 'chart chart-machine-cpu' });
const memChart = el('div', { className: 'chart chart-machine-mem' });
const topChart = el('div', { className: 'chart chart-top' });
const topHeading = el('h2');
const atSection = el('section', { className: 'at-section', attrs: { 'aria-label': t('whatWasRunning') } });
atSection.hidden = true;
const tableSection = el('section', {
  className: 'table-section',
  attrs: { 'aria-label': t('processesOfRange') },
});
const overview = el(
  'main',
  { className: 'overview' },
  el('h2', { text: t('machineCpu') }),
  cpuChart,
  el('h2', { text: t('machineMemory') }),
  memChart,
  topHeading,
  topChart,
  atSection,
  el('h2', { text: t('processes') }),
  tableSection,
);
const processSection = el('main', { className: 'process-page' });
processSection.hidden = true;
document.body.append(rangeBar, status, overview, processSection);

// ── State ───────────────────────────────────────────────────────────────────────────────────

function setState(next: PanelState): void {
  state = next;
  vscode.setState(state);
  post(SaveStateCommand, { state });
  scheduleLiveTail();
}

function chartWidth(): number {
  return Math.max(100, Math.min(10_000, Math.round(topChart.clientWidth || 800)));
}

function requestRange(): void {
  if (state.preset !== 'custom') state = { ...state, ...presetRange(state.preset, Date.now()) };
  post(RequestRangeCommand, {
    from: state.from,
    to: state.to,
    metric: state.metric,
    n: state.n,
    sort: state.sort,
    live: state.liveTail,
    maxPoints: chartWidth(),
  });
  drawRangeBar();
}

function requestProcess(): void {
  if (!state.process) return;
  post(RequestProcessCommand, { ...state.process, from: state.from, to: state.to, maxPoints: chartWidth() });
}

function requestCurrent(): void {
  if (state.view === 'process') requestProcess();
  else requestRange();
}

function scheduleLiveTail(): void {
  clearInterval(liveTimer);
  liveTimer = undefined;
  if (!state.liveTail || state.preset === 'custom') return;
  // Refresh about once per pixel of the chart, but never more often than every 2 s.
  const every = Math.max(2000, PRESET_MS[state.preset] / chartWidth());
  liveTimer = setInterval(requestCurrent, every);
}

/** The moment section belongs to the range it was picked in: a new range closes it. */
function closeMoment(): void {
  atSection.hidden = true;
  atSection.replaceChildren();
}

function zoomTo(from: number, to: number): void {
  closeMoment();
  // Measure before any write (the request's chart width too, so it is asked first): a read after
  // the range bar's or the charts' writes forces a layout (~4 ms) that the next frame does anyway.
  const width = overview.clientWidth;
  setState(withCustomRange(state, from, to));
  requestCurrent();
  // Redraw what we have for the zoomed range at once; the finer data replaces it when it comes.
  if (state.view === 'process' && processData) {
    processData = { ...processData, from: state.from, to: state.to };
    drawProcessPage();
  } else if (data) {
    // The table keeps the old range's rows until the new ones come; only the charts move now.
    data = { ...data, from: state.from, to: state.to };
    drawCharts(width);
  }
}

function openProcess(target: ProcessTarget): void {
  setState({ ...state, view: 'process', process: target });
  processData = null;
  overview.hidden = true;
  processSection.hidden = false;
  processSection.replaceChildren(
    el('p', {
      className: 'note',
      text: target.name ? t('loadingProcess', { name: target.name }) : t('loadingAnyProcess'),
    }),
  );
  requestProcess();
}

function showOverview(): void {
  const { process: _closed, ...rest } = state;
  setState({ ...rest, view: 'overview' });
  processSection.hidden = true;
  overview.hidden = false;
  requestRange();
}

// ── Drawing ─────────────────────────────────────────────────────────────────────────────────

function drawRangeBar(): void {
  renderRangeBar(rangeBar, state, (state.view === 'process' ? processData : data)?.resolution ?? null, {
    onPreset: (preset) => {
      closeMoment();
      setState(withPreset(state, preset, Date.now()));
      requestCurrent();
    },
    onCustomRange: (from, to) => {
      closeMoment();
      setState(withCustomRange(state, from, to));
      requestCurrent();
    },
    onLiveTail: (enabled) => {
      setState({ ...state, liveTail: enabled });
      requestCurrent();
    },
    onTopOptions: (patch) => {
      setState({ ...state, ...patch });
      requestRange();
    },
  });
}

function rangeText(): string {
  return state.preset === 'custom'
    ? t('rangeFromTo', { from: formatTime(state.from), to: formatTime(state.to) })
    : t('lastPreset', { preset: presetLabel(state.preset) });
}

function drawOverview(): void {
  drawCharts();
  drawTable();
}

/** The three overview charts; measured once, so drawing one does not force a layout for the next. */
function drawCharts(width = overview.clientWidth): void {
  if (!data) return;
  const { from, to } = data;
  const timing = { ...pointTiming(data.resolution), historyStart: data.historyStart ?? null };
  const onBrush = zoomTo;
  const onPick = (ts: number) => {
    post(RequestAtCommand, { ts });
    atSection.hidden = false;
    atSection.replaceChildren(el('p', { className: 'note', text: t('loadingAt', { time: formatTime(ts) }) }));
  };
  const d = data;
  // The machine's series are named by the panel, in its language (the host's label is English).
  const machineChart = (
    chart: HTMLElement,
    metric: MachineMetric,
    label: string,
    title: string,
    minTop: number,
  ) =>
    renderTimeline(
      chart,
      {
        from,
        to,
        ...timing,
        unit: METRIC_UNITS[metric],
        minTop,
        series: d.overview.filter((s) => s.metric === metric).map((s) => ({ ...s, label })),
      },
      { title, mode: 'lines', width, height: 160, onBrush, onPick },
    );
  machineChart(cpuChart, 'machineCpu', t('machineCpu'), t('machineCpuOver', { range: rangeText() }), 100);
  machineChart(
    memChart,
    'machineMem',
    t('machineMemory'),
    t('machineMemoryOver', { range: rangeText() }),
    data.memTotal ?? 0,
  );
  const metric = metricLabel(state.metric);
  topHeading.textContent = t('topBy', { count: data.top.length, metric });
  renderTimeline(
    topChart,
    { from, to, ...timing, unit: METRIC_UNITS[state.metric], cores: data.cores ?? null, series: data.top },
    {
      title: t('topByOver', { count: data.top.length, metric, range: rangeText() }),
      mode: state.chartMode,
      width,
      height: 260,
      onBrush,
      onPick,
      toggles: true,
      onSeriesActivate: (series) =>
        openProcess(
          series.identity ? { identity: series.identity, name: series.label } : { name: series.label },
        ),
    },
  );
}

function drawTable(): void {
  if (!data) return;
  renderTable(tableSection, data.rows, state.table, {
    onStateChange: (table) => {
      setState({ ...state, table });
      drawTable();
    },
    onExport: (format: ExportFormat, rows: StatsRow[], content: string) =>
      post(ExportCommand, { format, rows, content, fileName: exportFileName(format, state.from, state.to) }),
    onOpenProcess: openProcess,
  });
}

function drawProcessPage(): void {
  if (!processData) return;
  renderProcessPage(processSection, processData, state.cpuScale ?? 'core', {
    onBack: showOverview,
    onCpuScale: (cpuScale) => {
      setState({ ...state, cpuScale });
      drawProcessPage();
    },
    onBrush: zoomTo,
    onOpenProcess: openProcess,
    onActions: (identity, name) => post(OpenProcessRowCommand, { identity, name }),
  });
}

/** Tells the host what the last draw put on screen (its tests and timings read it). */
function reportRendered(
  view: 'overview' | 'process',
  range: { from: number; to: number },
  series: number,
): void {
  const root = view === 'process' ? processSection : overview;
  const paths = [...root.querySelectorAll('path.series-line, path.series-area')];
  // Each chart's SVG carries the number of points it drew (after downsampling).
  const points = [...root.querySelectorAll('svg[data-points]')].reduce(
    (sum, svg) => sum + Number(svg.getAttribute('data-points') ?? 0),
    0,
  );
  const sinceReadyMs = Math.round((performance.now() - readyAt) * 10) / 10;
  const { from, to } = range;
  post(RenderedCommand, { view, from, to, series, paths: paths.length, points, sinceReadyMs });
}

// ── Messages from the host ──────────────────────────────────────────────────────────────────

function dispatch(message: unknown): void {
  if (DataNotification.is(message)) {
    data = message.params;
    status.textContent = '';
    drawRangeBar();
    if (state.view === 'overview') {
      drawOverview();
      reportRendered('overview', data, data.overview.length + data.top.length);
    }
  } else if (AtNotification.is(message)) {
    renderAtTable(atSection, message.params.at, { onOpenProcess: openProcess, onClose: closeMoment });
  } else if (ProcessPageNotification.is(message)) {
    processData = message.params;
    status.textContent = '';
    drawRangeBar();
    if (state.view === 'process') {
      drawProcessPage();
      reportRendered('process', processData, processData.series.length);
    }
  } else if (StateNotification.is(message)) {
    const restored = restoreState(message.params.state, Date.now());
    setState(restored);
    overview.hidden = restored.view === 'process';
    processSection.hidden = restored.view !== 'process';
    requestCurrent();
  } else if (ErrorNotification.is(message)) {
    status.textContent = message.params.message;
  } else {
    // Never draw what failed validation; say so once in the developer tools.
    console.warn('Process Tracker panel: ignored a malformed message', message);
  }
}

window.addEventListener('message', (event: MessageEvent) => dispatch(event.data));

// Redraw at the new width when the panel is resized (once per frame at most).
let resizeFrame = 0;
let lastWidth = 0;
new ResizeObserver(() => {
  const width = document.body.clientWidth;
  if (width === lastWidth) return;
  lastWidth = width;
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => (state.view === 'process' ? drawProcessPage() : drawOverview()));
}).observe(document.body);

overview.hidden = state.view === 'process';
processSection.hidden = state.view !== 'process';
drawRangeBar();
const readyAt = performance.now();
post(ReadyCommand, {});
requestCurrent();
scheduleLiveTail();
