// The range table: the processes of the range with sort (column headers), search, paging and
// Export CSV / JSON of what is shown. The model (webview/tableModel.ts) is pure; this draws it.

import type { ExportFormat, StatsRow } from '../shared/model';
import type { ProcessTarget, TableSortKey, TableState } from '../shared/webviewProtocol';
import { button, el } from './dom';
import { t } from './i18n';
import { COLUMNS, exportContent, tableView } from './tableModel';

export interface TableCallbacks {
  onStateChange(table: TableState): void;
  onExport(format: ExportFormat, rows: StatsRow[], content: string): void;
  onOpenProcess(target: ProcessTarget): void;
}

export function renderTable(
  element: HTMLElement,
  rows: StatsRow[],
  state: TableState,
  callbacks: TableCallbacks,
): void {
  const view = tableView(rows, state);
  const change = (patch: Partial<TableState>) => callbacks.onStateChange({ ...state, ...patch });

  const search = el('input', {
    className: 'table-search',
    attrs: { type: 'search', placeholder: t('searchPlaceholder'), 'aria-label': t('searchAria') },
  });
  search.value = state.search;
  search.addEventListener('input', () => change({ search: search.value, page: 0 }));

  const exportButtons = (['csv', 'json'] as const).map((format) =>
    button(
      t('exportAs', { format: format.toUpperCase() }),
      () => callbacks.onExport(format, view.matching, exportContent(format, view.matching)),
      {
        className: `export-${format}`,
        title: t('exportHelp', { count: view.matching.length, format: format.toUpperCase() }),
      },
    ),
  );

  const header = el(
    'tr',
    {},
    ...COLUMNS.map((column) => {
      const active = column.key === state.sortKey;
      const th = el('th', {
        className: column.numeric ? 'numeric' : '',
        attrs: {
          scope: 'col',
          'aria-sort': active ? (state.descending ? 'descending' : 'ascending') : 'none',
        },
      });
      const arrow = active ? (state.descending ? ' ▼' : ' ▲') : '';
      const sort = button(`${column.title}${arrow}`, () => sortBy(column.key), {
        className: 'sort-button',
        attrs: { 'data-sort': column.key },
        ...(column.help ? { title: column.help } : {}),
      });
      if (column.unit) sort.append(el('span', { className: 'column-unit', text: column.unit }));
      th.append(sort);
      return th;
    }),
  );

  function sortBy(key: TableSortKey): void {
    // A new column starts with the largest first, except text columns, which read A→Z.
    const textColumn = key === 'name' || key === 'category';
    change({ sortKey: key, descending: key === state.sortKey ? !state.descending : !textColumn, page: 0 });
  }

  const body = el(
    'tbody',
    {},
    ...view.page.map((row) => {
      const tr = el(
        'tr',
        {},
        ...COLUMNS.map((column) => {
          const note = column.note?.(row);
          return el('td', {
            className: column.numeric ? 'numeric' : '',
            text: column.format(row),
            ...(note === undefined ? {} : { title: note }),
          });
        }),
      );
      const nameCell = tr.firstElementChild as HTMLElement;
      const target: ProcessTarget = row.identity
        ? { identity: row.identity, name: row.name }
        : { name: row.name };
      nameCell.replaceChildren(
        button(row.name, () => callbacks.onOpenProcess(target), {
          className: 'link-button',
          title: t('openPage', { name: row.name }),
        }),
      );
      return tr;
    }),
  );

  const table = el(
    'table',
    { className: 'data-table range-table' },
    el('caption', { className: 'visually-hidden', text: t('processesOfRange') }),
    el('thead', {}, header),
    body,
  );

  const pager = el(
    'div',
    { className: 'pager' },
    button(t('previous'), () => change({ page: view.pageIndex - 1 }), { className: 'page-prev' }),
    el('span', {
      className: 'page-status',
      text: t('pageStatus', {
        page: view.pageIndex + 1,
        pages: view.pageCount,
        shown: view.matching.length,
        count: rows.length,
      }),
      attrs: { 'aria-live': 'polite' },
    }),
    button(t('next'), () => change({ page: view.pageIndex + 1 }), { className: 'page-next' }),
  );
  (pager.querySelector('.page-prev') as HTMLButtonElement).disabled = view.pageIndex === 0;
  (pager.querySelector('.page-next') as HTMLButtonElement).disabled = view.pageIndex >= view.pageCount - 1;

  const focused = document.activeElement === element.querySelector('.table-search');
  element.replaceChildren(el('div', { className: 'table-toolbar' }, search, ...exportButtons), table, pager);
  // Re-rendering on every keystroke must not steal the caret from the search box.
  if (focused) {
    search.focus();
    search.setSelectionRange(search.value.length, search.value.length);
  }
}
