// The range bar: presets, a custom from–to, live tail, what the top-N chart shows, and the
// resolution the store answered with ("1-minute averages").

import type { Resolution, SeriesMetric, SortKey } from '../shared/model';
import { RANGE_PRESETS, type PanelState, type RangePreset } from '../shared/webviewProtocol';
import { button, el } from './dom';
import { fromDateTimeLocal, toDateTimeLocal } from './format';
import { PRESET_LABELS } from './state';

export interface RangeBarCallbacks {
  onPreset(preset: RangePreset): void;
  onCustomRange(from: number, to: number): void;
  onLiveTail(enabled: boolean): void;
  onTopOptions(patch: Pick<PanelState, 'metric' | 'sort' | 'n' | 'chartMode'>): void;
}

export const METRIC_LABELS: Partial<Record<SeriesMetric, string>> = {
  cpu: 'CPU',
  rss: 'Memory',
  readBps: 'Disk read',
  writeBps: 'Disk write',
};

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
    { className: 'presets', attrs: { role: 'group', 'aria-label': 'Time range' } },
    ...RANGE_PRESETS.map((preset) =>
      button(PRESET_LABELS[preset], () => callbacks.onPreset(preset), {
        className: 'preset',
        attrs: { 'aria-pressed': String(state.preset === preset), 'data-preset': preset },
      }),
    ),
  );

  const from = el('input', {
    className: 'range-from',
    attrs: { type: 'datetime-local', 'aria-label': 'From' },
  });
  const to = el('input', { className: 'range-to', attrs: { type: 'datetime-local', 'aria-label': 'To' } });
  from.value = toDateTimeLocal(state.from);
  to.value = toDateTimeLocal(state.to);
  const custom = el(
    'form',
    { className: 'custom-range', attrs: { 'aria-label': 'Custom range' } },
    el('label', { text: 'From ' }, from),
    el('label', { text: 'to ' }, to),
    el('button', { text: 'Apply', attrs: { type: 'submit' } }),
  );
  custom.addEventListener('submit', (event) => {
    event.preventDefault();
    const start = fromDateTimeLocal(from.value);
    const end = fromDateTimeLocal(to.value);
    if (start < end) callbacks.onCustomRange(start, end);
    else to.setCustomValidity('The end must come after the start.');
    to.reportValidity();
  });
  to.addEventListener('input', () => to.setCustomValidity(''));

  const live = el('input', { className: 'live-tail', attrs: { type: 'checkbox' } });
  live.checked = state.liveTail;
  live.disabled = state.preset === 'custom';
  live.addEventListener('change', () => callbacks.onLiveTail(live.checked));
  const liveLabel = el(
    'label',
    {
      className: 'live-label',
      title:
        state.preset === 'custom'
          ? 'Live tail follows a preset range'
          : 'Keep the range moving with the clock',
    },
    live,
    ' Live tail',
  );

  const metric = select(
    'Top processes by',
    state.metric,
    Object.entries(METRIC_LABELS).map(([key, text]) => [key as SeriesMetric, text!]),
    'top-metric',
  );
  const count = el('input', {
    className: 'top-n',
    attrs: { type: 'number', min: '1', max: '50', 'aria-label': 'Number of top processes' },
  });
  count.value = String(state.n);
  const mode = select(
    'Chart style',
    state.chartMode,
    [
      ['lines', 'Lines'],
      ['stacked', 'Stacked area'],
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
    text: resolution ? resolution.label : 'Loading…',
    attrs: { 'aria-live': 'polite', title: 'Resolution of the stored data for this range' },
  });

  element.replaceChildren(
    presets,
    custom,
    liveLabel,
    el(
      'span',
      { className: 'top-options' },
      el('span', { text: 'Top ' }),
      count,
      el('span', { text: ' by ' }),
      metric,
      mode,
    ),
    resolutionLabel,
  );
}
