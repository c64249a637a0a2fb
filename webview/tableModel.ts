// The range table's model: search, sort, paging and export of what is shown. Pure and DOM-free
// (unit-tested in node); webview/table.ts draws it.

import type { ExportFormat, StatsRow } from '../shared/model';
import { formatSum, isPartial } from '../shared/partial';
import type { TableSortKey, TableState } from '../shared/webviewProtocol';
import { formatBytes, formatCount, formatPercent, formatSeconds } from './format';
import { commonMessages } from '../shared/i18n/common';
import { lang, t } from './i18n';

export interface Column {
  key: TableSortKey;
  title: string;
  /** What the figures are in, under the title ("% of one core"), where the title does not say. */
  unit?: string;
  /** The header's tooltip. */
  help?: string;
  numeric: boolean;
  /** The text shown in a cell. */
  format(row: StatsRow): string;
  /** The cell's tooltip, where its text needs one. */
  note?(row: StatsRow): string | undefined;
}

/** An IO sum: "≥ …" with a tooltip saying why when it leaves unreadable processes out. */
const ioColumn = (key: 'readBytes' | 'writeBytes', title: string): Column => ({
  key,
  title,
  numeric: true,
  format: (row) => formatSum(row, key, formatBytes),
  note: (row) => (isPartial(row, key) ? commonMessages(lang)('partialNote') : undefined),
});

export const COLUMNS: readonly Column[] = [
  { key: 'name', title: t('colName'), numeric: false, format: (row) => row.name },
  { key: 'category', title: t('colCategory'), numeric: false, format: (row) => row.category },
  {
    key: 'cpuAvg',
    title: t('colCpuAvg'),
    unit: t('percentOfCore'),
    help: t('colCpuAvgHelp'),
    numeric: true,
    format: (row) => formatPercent(row.cpuAvg),
  },
  {
    key: 'cpuPeak',
    title: t('colCpuPeak'),
    unit: t('percentOfCore'),
    numeric: true,
    format: (row) => formatPercent(row.cpuPeak),
  },
  {
    key: 'cpuSeconds',
    title: t('colCpuTime'),
    numeric: true,
    format: (row) => formatSeconds(row.cpuSeconds),
  },
  { key: 'memAvg', title: t('colMemAvg'), numeric: true, format: (row) => formatBytes(row.memAvg) },
  { key: 'memPeak', title: t('colMemPeak'), numeric: true, format: (row) => formatBytes(row.memPeak) },
  ioColumn('readBytes', t('colRead')),
  ioColumn('writeBytes', t('colWritten')),
  {
    key: 'activeSeconds',
    title: t('colActive'),
    help: t('colActiveHelp'),
    numeric: true,
    format: (row) => formatSeconds(row.activeSeconds),
  },
  {
    key: 'instances',
    title: t('colInstances'),
    help: t('colInstancesHelp'),
    numeric: true,
    format: (row) => formatCount(row.instances),
  },
  { key: 'starts', title: t('colStarts'), numeric: true, format: (row) => formatCount(row.starts) },
];

export interface TableView {
  /** Every row matching the search, in the chosen order: what Export writes. */
  matching: StatsRow[];
  /** The current page of `matching`. */
  page: StatsRow[];
  /** The page actually shown (clamped when the search shrank the result). */
  pageIndex: number;
  pageCount: number;
}

export function matchesSearch(row: StatsRow, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return (
    row.name.toLowerCase().includes(needle) ||
    row.category.includes(needle) ||
    (row.identity !== undefined && String(row.identity.pid) === needle)
  );
}

/** Unknown values sort last whichever the direction; equal values fall back to the name. */
export function compareRows(key: TableSortKey, descending: boolean): (a: StatsRow, b: StatsRow) => number {
  const byName = (a: StatsRow, b: StatsRow) => a.name.localeCompare(b.name);
  return (a, b) => {
    const left = a[key];
    const right = b[key];
    if (left === right) return byName(a, b);
    if (left === null) return 1;
    if (right === null) return -1;
    const order = typeof left === 'string' ? left.localeCompare(right as string) : left - (right as number);
    return (descending ? -order : order) || byName(a, b);
  };
}

export function tableView(rows: readonly StatsRow[], state: TableState): TableView {
  const matching = rows
    .filter((row) => matchesSearch(row, state.search))
    .sort(compareRows(state.sortKey, state.descending));
  const pageCount = Math.max(1, Math.ceil(matching.length / state.pageSize));
  const pageIndex = Math.min(Math.max(0, state.page), pageCount - 1);
  const start = pageIndex * state.pageSize;
  return { matching, page: matching.slice(start, start + state.pageSize), pageIndex, pageCount };
}

/** A spreadsheet runs a cell that starts like a formula; a process name must not become one. */
function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const EXPORT_FIELDS = [
  'name',
  'pid',
  'startTime',
  'category',
  'cpuAvg',
  'cpuPeak',
  'cpuSeconds',
  'memAvg',
  'memPeak',
  'readBytes',
  'writeBytes',
  'activeSeconds',
  'starts',
  'instances',
  'partial',
] as const;

function exportRecord(row: StatsRow): Record<(typeof EXPORT_FIELDS)[number], string | number | null> {
  return {
    name: row.name,
    pid: row.identity?.pid ?? null,
    startTime: row.identity?.startTime ?? null,
    category: row.category,
    cpuAvg: row.cpuAvg,
    cpuPeak: row.cpuPeak,
    cpuSeconds: row.cpuSeconds,
    memAvg: row.memAvg,
    memPeak: row.memPeak,
    readBytes: row.readBytes,
    writeBytes: row.writeBytes,
    activeSeconds: row.activeSeconds,
    starts: row.starts,
    instances: row.instances,
    // The sums that are lower bounds ("≥" in the table), space-separated: a file computed on must
    // not take them for complete totals.
    partial: row.partial?.length ? row.partial.join(' ') : null,
  };
}

/**
 * The file Export writes: the rows as shown (search and sort applied, every page), with raw
 * figures (bytes, percent, seconds) rather than the rounded text, so the file can be computed on.
 */
export function exportContent(format: ExportFormat, rows: readonly StatsRow[]): string {
  const records = rows.map(exportRecord);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const lines = [EXPORT_FIELDS.join(',')];
  for (const record of records) lines.push(EXPORT_FIELDS.map((field) => csvCell(record[field])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function exportFileName(format: ExportFormat, from: number, to: number): string {
  const stamp = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return `process-history_${stamp(from)}_${stamp(to)}.${format}`;
}
