// A chart's legend: every series named beside its swatch (colour and dash). With `toggles`, each
// entry's swatch is a button that hides or shows its series and an "only" button isolates it (a
// second press shows all again); hovering an entry highlights its series on the chart.
//
// Labels come from processes and are set as text only.

import type { Series } from '../../shared/model';
import { t } from '../i18n';
import { swatch } from './palette';

export interface LegendOptions {
  /** The legend's accessible name. */
  title: string;
  /** Hidden series keys (the chart keeps the set; the legend changes it through `onHidden`). */
  hidden: ReadonlySet<string>;
  toggles: boolean;
  onHidden(hidden: Set<string>): void;
  /** Highlights a series (null: none) while its entry is hovered or focused. */
  onHighlight(key: string | null): void;
  /** The label opens the series' page when given and the series has an identity. */
  onActivate?: (series: Series) => void;
}

export function renderLegend(
  legend: HTMLUListElement,
  series: readonly Series[],
  options: LegendOptions,
): void {
  legend.setAttribute('aria-label', t('legendAria', { title: options.title }));
  legend.replaceChildren();
  const all = series.map((one) => one.key);
  series.forEach((one, index) => {
    const item = document.createElement('li');
    item.dataset.series = one.key;
    const hidden = options.hidden.has(one.key);
    item.classList.toggle('legend-hidden', hidden);
    const mark = swatch(index);
    let toggle: Node = mark;
    if (options.toggles) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'legend-toggle';
      button.setAttribute('aria-pressed', String(!hidden));
      button.title = hidden ? t('showSeries', { name: one.label }) : t('hideSeries', { name: one.label });
      button.setAttribute('aria-label', button.title);
      button.append(mark);
      button.addEventListener('click', () => {
        const next = new Set(options.hidden);
        if (hidden) next.delete(one.key);
        else next.add(one.key);
        options.onHidden(next);
      });
      toggle = button;
    }
    const links = options.onActivate && one.identity;
    const label = document.createElement(links ? 'button' : 'span');
    label.className = label instanceof HTMLButtonElement ? 'legend-label link-button' : 'legend-label';
    label.textContent = one.label;
    if (label instanceof HTMLButtonElement) {
      label.type = 'button';
      label.title = t('openPage', { name: one.label });
      label.addEventListener('click', () => options.onActivate?.(one));
    }
    item.append(toggle, label);
    if (options.toggles && series.length > 1) {
      const isolated = !hidden && all.every((key) => key === one.key || options.hidden.has(key));
      const only = document.createElement('button');
      only.type = 'button';
      only.className = 'legend-only';
      only.textContent = isolated ? t('legendAll') : t('legendOnly');
      only.title = isolated ? t('showEverySeries') : t('showOnly', { name: one.label });
      only.addEventListener('click', () =>
        options.onHidden(isolated ? new Set() : new Set(all.filter((key) => key !== one.key))),
      );
      item.append(only);
    }
    item.addEventListener('pointerenter', () => options.onHighlight(hidden ? null : one.key));
    item.addEventListener('pointerleave', () => options.onHighlight(null));
    item.addEventListener('focusin', () => options.onHighlight(hidden ? null : one.key));
    item.addEventListener('focusout', () => options.onHighlight(null));
    legend.append(item);
  });
  if (series.length === 0) {
    const empty = document.createElement('li');
    empty.textContent = t('noData');
    legend.append(empty);
  }
}
