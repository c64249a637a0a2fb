// The range bar: presets, a custom from–to, live tail, what the top-N chart shows, and the
// resolution the store answered with ("1-minute averages").

import type { Resolution, SeriesMetric, SortKey } from '../shared/model';
import { RANGE_PRESETS, type PanelState, type RangePreset } from '../shared/webviewProtocol';
import { button, el, fill } from './dom';
import { formatDateTimeInput, parseDateTimeInput, resolutionText } from './format';
import { t } from './i18n';
import { presetLabel } from './state';

export interface RangeBarCallbacks {
  onPreset(preset: RangePreset): void;
  onCustomRange(from: number, to: number): void;
  onLiveTail(enabled: boolean): void;
  onTopOptions(patch: Pick<PanelState, 'metric' | 'sort' | 'n' | 'chartMode'>): void;
}

const METRIC_IDS = {
  cpu: 'metricCpu',
  rss: 'metricMemory',
  readBps: 'metricDiskRead',
  writeBps: 'metricDiskWrite',
} as const satisfies Partial<Record<SeriesMetric, string>>;

/** The top-N metrics the range bar offers, in its order. */
const TOP_METRICS = Object.keys(METRIC_IDS) as Array<keyof typeof METRIC_IDS>;

/** A metric's name in the panel's language ("Memory" / "内存"); the id itself for others. */
export function metricLabel(metric: SeriesMetric): string {
  return metric in METRIC_IDS ? t(METRIC_IDS[metric as keyof typeof METRIC_IDS]) : metric;
}

export function sortForMetric(metric: SeriesMetric): SortKey {
  return metric === 'cpu' ? 'cpu' : metric === 'rss' ? 'mem' : 'io';
}

function select<T extends string>(
  label: string,
  value: T,
  options: Array<[T, string]>,
  className: string,
): HTMLSelectElement {
  const element = el('select', { className, attrs: { 'aria-label': label } });
  for (const [optionValue, text] of options)
    element.append(el('option', { text, attrs: { value: optionValue } }));
  element.value = value;
  return element;
}

export function renderRangeBar(
  element: HTMLElement,
  state: PanelState,
  resolution: Resolution | null,
  callbacks: RangeBarCallbacks,
): void {
  const presets = el(
    'div',
    { className: 'presets', attrs: { role: 'group', 'aria-label': t('timeRange') } },
    ...RANGE_PRESETS.map((preset) =>
      button(presetLabel(preset), () => callbacks.onPreset(preset), {
        className: 'preset',
        attrs: { 'aria-pressed': String(state.preset === preset), 'data-preset': preset },
      }),
    ),
  );

  // Text boxes in the panel's own time format (the axis's), not datetime-local: see
  // formatDateTimeInput. The hint shows the format with a time the user can read.
  const hint = t('dateTimeHint', { example: formatDateTimeInput(state.to) });
  const timeBox = (className: string, label: string, ts: number) => {
    const box = el('input', {
      className,
      title: hint,
      attrs: { type: 'text', 'aria-label': label, autocomplete: 'off', spellcheck: 'false' },
    });
    box.value = formatDateTimeInput(ts);
    box.addEventListener('input', () => box.setCustomValidity(''));
    return box;
  };
  const from = timeBox('range-from', t('from'), state.from);
  const to = timeBox('range-to', t('toAria'), state.to);
  const custom = el(
    'form',
    { className: 'custom-range', attrs: { 'aria-label': t('customRange') } },
    el('label', { text: `${t('from')} ` }, from),
    el('label', { text: `${t('to')} ` }, to),
    el('button', { text: t('apply'), attrs: { type: 'submit' } }),
  );
  custom.addEventListener('submit', (event) => {
    event.preventDefault();
    const start = parseDateTimeInput(from.value);
    const end = parseDateTimeInput(to.value);
    for (const [box, ts] of [
      [from, start],
      [to, end],
    ] as const)
      if (Number.isNaN(ts))
        box.setCustomValidity(t('notATime', { text: box.value, example: formatDateTimeInput(Date.now()) }));
    if (Number.isNaN(start)) return void from.reportValidity();
    if (Number.isNaN(end)) return void to.reportValidity();
    if (start < end) callbacks.onCustomRange(start, end);
    else to.setCustomValidity(t('endAfterStart'));
    to.reportValidity();
  });

  const live = el('input', { className: 'live-tail', attrs: { type: 'checkbox' } });
  live.checked = state.liveTail;
  live.disabled = state.preset === 'custom';
  live.addEventListener('change', () => callbacks.onLiveTail(live.checked));
  const liveLabel = el(
    'label',
    {
      className: 'live-label',
      title: state.preset === 'custom' ? t('liveTailFollowsPreset') : t('liveTailHelp'),
    },
    live,
    ` ${t('liveTail')}`,
  );

  const metric = select(
    t('topProcessesBy'),
    state.metric,
    TOP_METRICS.map((key) => [key, metricLabel(key)]),
    'top-metric',
  );
  const count = el('input', {
    className: 'top-n',
    attrs: { type: 'number', min: '1', max: '50', 'aria-label': t('topCount') },
  });
  count.value = String(state.n);
  const mode = select(
    t('chartStyle'),
    state.chartMode,
    [
      ['lines', t('lines')],
      ['stacked', t('stacked')],
    ],
    'chart-mode',
  );
  const emitTop = () => {
    const n = Math.min(50, Math.max(1, Math.round(Number(count.value)) || state.n));
    const chosen = metric.value as SeriesMetric;
    callbacks.onTopOptions({
      metric: chosen,
      sort: sortForMetric(chosen),
      n,
      chartMode: mode.value as 'lines' | 'stacked',
    });
  };
  metric.addEventListener('change', emitTop);
  count.addEventListener('change', emitTop);
  mode.addEventListener('change', emitTop);

  const resolutionLabel = el('span', {
    className: 'resolution',
    text: resolution ? resolutionText(resolution) : t('loading'),
    attrs: { 'aria-live': 'polite', title: t('resolutionHelp') },
  });

  element.replaceChildren(
    presets,
    custom,
    liveLabel,
    el('span', { className: 'top-options' }, ...fill(t.text('topControls'), { count, metric, mode })),
    resolutionLabel,
  );
}
