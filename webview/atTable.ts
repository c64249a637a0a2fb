// "What was running at 14:32": the agent's at-time snapshot as a table, a page of rows at a time,
// with a button that closes it (the panel closes it too when the range changes).

import type { AtResult } from '../shared/model';
import type { ProcessTarget } from '../shared/webviewProtocol';
import { button, el } from './dom';
import { formatBytes, formatCount, formatPercent, formatTime, resolutionText } from './format';
import { t } from './i18n';

/** Rows per page: the section must not push the range table a screen down. */
export const AT_PAGE_ROWS = 15;

export interface AtTableCallbacks {
  onOpenProcess(target: ProcessTarget): void;
  onClose(): void;
}

export function renderAtTable(
  element: HTMLElement,
  at: AtResult,
  callbacks: AtTableCallbacks,
  page = 0,
): void {
  const pageCount = Math.max(1, Math.ceil(at.rows.length / AT_PAGE_ROWS));
  const shown = Math.min(Math.max(0, page), pageCount - 1);
  const heading = el(
    'header',
    { className: 'at-header' },
    el('h2', { text: t('atTitle', { time: formatTime(at.ts) }) }),
    button('✕', () => callbacks.onClose(), {
      className: 'at-close',
      title: t('close'),
      attrs: { 'aria-label': t('closeAt', { time: formatTime(at.ts) }) },
    }),
  );
  const note = el('p', {
    className: 'note',
    text:
      at.sampleTs === null
        ? t('atNothing')
        : at.machine
          ? t('atFiguresMachine', {
              time: formatTime(at.sampleTs),
              resolution: resolutionText(at.resolution),
              cpu: at.machine.cpu === null ? '–' : formatPercent(at.machine.cpu).replace(/ %$/, ''),
              unit: t('percentOfMachine'),
              used: formatBytes(at.machine.memUsed),
              total: formatBytes(at.machine.memTotal),
            })
          : t('atFigures', { time: formatTime(at.sampleTs), resolution: resolutionText(at.resolution) }),
  });
  // A process's CPU is a share of one core; the note above gives the machine's, a share of all.
  const columns = [
    t('colName'),
    t('colPid'),
    t('colCpuOfCore', { unit: t('percentOfCore') }),
    t('colMemory'),
    t('colThreads'),
    t('colUser'),
    t('colCommandLine'),
  ];
  const rows = at.rows.slice(shown * AT_PAGE_ROWS, (shown + 1) * AT_PAGE_ROWS);
  const table = el(
    'table',
    { className: 'data-table at-table' },
    el('caption', { className: 'visually-hidden', text: t('atCaption', { time: formatTime(at.ts) }) }),
    el(
      'thead',
      {},
      el('tr', {}, ...columns.map((title) => el('th', { text: title, attrs: { scope: 'col' } }))),
    ),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el(
          'tr',
          {},
          el(
            'td',
            {},
            button(
              row.name,
              () =>
                callbacks.onOpenProcess({
                  identity: { pid: row.pid, startTime: row.startTime },
                  name: row.name,
                }),
              { className: 'link-button' },
            ),
          ),
          el('td', { className: 'numeric', text: String(row.pid) }),
          el('td', { className: 'numeric', text: formatPercent(row.cpu) }),
          el('td', { className: 'numeric', text: formatBytes(row.rss) }),
          el('td', { className: 'numeric', text: formatCount(row.threads) }),
          el('td', { text: row.user ?? '–' }),
          el('td', { className: 'cmdline', text: row.cmdline, title: row.cmdline }),
        ),
      ),
    ),
  );
  const turn = (to: number) => renderAtTable(element, at, callbacks, to);
  const pager =
    pageCount > 1
      ? el(
          'div',
          { className: 'pager at-pager' },
          button(t('previous'), () => turn(shown - 1), { className: 'page-prev' }),
          el('span', {
            className: 'page-status',
            text: t('atPageStatus', { page: shown + 1, pages: pageCount, count: at.rows.length }),
            attrs: { 'aria-live': 'polite' },
          }),
          button(t('next'), () => turn(shown + 1), { className: 'page-next' }),
        )
      : null;
  if (pager) {
    (pager.querySelector('.page-prev') as HTMLButtonElement).disabled = shown === 0;
    (pager.querySelector('.page-next') as HTMLButtonElement).disabled = shown >= pageCount - 1;
  }
  element.replaceChildren(heading, note, table, ...(pager ? [pager] : []));
  element.hidden = false;
}
