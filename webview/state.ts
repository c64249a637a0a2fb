// The panel's state: what the user chose (range, metric, N, table view, open process page).
// Kept with the webview API's setState so a reload restores it, and sent to the host so
// WebviewPanelSerializer can restore it after a window reload.

import { t } from './i18n';
import { isPanelState, type PanelState, type RangePreset } from '../shared/webviewProtocol';

const HOUR = 3_600_000;
export const PRESET_MS: Record<RangePreset, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

const PRESET_IDS = {
  '1h': 'preset1h',
  '6h': 'preset6h',
  '24h': 'preset24h',
  '7d': 'preset7d',
  '30d': 'preset30d',
} as const;

/** A preset's button text, "24 h" / "24 小时". */
export const presetLabel = (preset: RangePreset): string => t(PRESET_IDS[preset]);

export function defaultState(now: number): PanelState {
  return {
    view: 'overview',
    preset: '1h',
    from: now - PRESET_MS['1h'],
    to: now,
    liveTail: false,
    metric: 'cpu',
    sort: 'cpu',
    n: 10,
    chartMode: 'lines',
    table: { sortKey: 'cpuAvg', descending: true, search: '', page: 0, pageSize: 25 },
  };
}

/**
 * The state to start from: a saved one when valid (a preset range moves on to "now", since a
 * reload a day later means "the last hour" again), else the default. Saved state is web storage
 * and may come from an older version of the panel, so it is validated like any message.
 */
export function restoreState(saved: unknown, now: number): PanelState {
  if (!isPanelState(saved)) return defaultState(now);
  return saved.preset === 'custom' ? saved : { ...saved, ...presetRange(saved.preset, now) };
}

export function presetRange(preset: RangePreset, now: number): { from: number; to: number } {
  return { from: now - PRESET_MS[preset], to: now };
}

export function withPreset(state: PanelState, preset: RangePreset, now: number): PanelState {
  return { ...state, preset, ...presetRange(preset, now), table: { ...state.table, page: 0 } };
}

/** A brush zoom or a typed range; rejects empty or reversed ranges by keeping the old state. */
export function withCustomRange(state: PanelState, from: number, to: number): PanelState {
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) return state;
  return { ...state, preset: 'custom', liveTail: false, from, to, table: { ...state.table, page: 0 } };
}
