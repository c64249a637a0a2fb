import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StatsRow } from '../../../shared/model';
import type { TableState } from '../../../shared/webviewProtocol';
import { formatBytes } from '../../../webview/format';
import { COLUMNS, exportContent, exportFileName, tableView } from '../../../webview/tableModel';

function row(name: string, cpuAvg: number | null, memAvg: number | null = 1024): StatsRow {
  return {
    name,
    category: 'development',
    activeSeconds: 60,
    cpuAvg,
    cpuPeak: cpuAvg,
    cpuSeconds: 6,
    memAvg,
    memPeak: memAvg,
    readBytes: null,
    writeBytes: 0,
    starts: 1,
    instances: 1,
  };
}

const state = (patch: Partial<TableState> = {}): TableState => ({
  sortKey: 'cpuAvg',
  descending: true,
  search: '',
  page: 0,
  pageSize: 2,
  ...patch,
});

const rows = [row('node', 5), row('code', 40), row('bash', null), row('chrome', 12), row('nodemon', 1)];

describe('tableView', () => {
  test('sorts descending with unknown values last', () => {
    const view = tableView(rows, state({ pageSize: 10 }));
    assert.deepEqual(
      view.matching.map((r) => r.name),
      ['code', 'chrome', 'node', 'nodemon', 'bash'],
    );
  });

  test('sorts ascending, still with unknown values last', () => {
    const view = tableView(rows, state({ pageSize: 10, descending: false }));
    assert.deepEqual(
      view.matching.map((r) => r.name),
      ['nodemon', 'node', 'chrome', 'code', 'bash'],
    );
  });

  test('sorts by name', () => {
    const view = tableView(rows, state({ pageSize: 10, sortKey: 'name', descending: false }));
    assert.deepEqual(
      view.matching.map((r) => r.name),
      ['bash', 'chrome', 'code', 'node', 'nodemon'],
    );
  });

  test('pages, and clamps a page beyond the end', () => {
    assert.deepEqual(
      tableView(rows, state({ page: 1 })).page.map((r) => r.name),
      ['node', 'nodemon'],
    );
    const clamped = tableView(rows, state({ page: 9 }));
    assert.equal(clamped.pageIndex, 2);
    assert.equal(clamped.pageCount, 3);
    assert.deepEqual(
      clamped.page.map((r) => r.name),
      ['bash'],
    );
  });

  test('searches names case-insensitively', () => {
    const view = tableView(rows, state({ search: 'NODE', pageSize: 10 }));
    assert.deepEqual(
      view.matching.map((r) => r.name),
      ['node', 'nodemon'],
    );
  });
});

describe('IO columns', () => {
  const cell = (key: string, r: StatsRow) => {
    const column = COLUMNS.find((c) => c.key === key);
    assert.ok(column, `the table has a ${key} column`);
    return column.format(r);
  };
  // One name, a readable and an unreadable process: the sums hold only the readable one's IO.
  const mixed: StatsRow = {
    ...row('worker', 1),
    readBytes: 4096,
    writeBytes: 0,
    partial: ['readBytes', 'writeBytes'],
  };
  const unknown: StatsRow = { ...row('hidden', 1), readBytes: null, writeBytes: null };
  const complete: StatsRow = { ...row('plain', 1), readBytes: 2048, writeBytes: 0 };

  test('a partial sum reads as a lower bound, never as a complete figure', () => {
    assert.equal(cell('readBytes', mixed), `≥ ${formatBytes(4096)}`);
    assert.equal(cell('writeBytes', mixed), `≥ ${formatBytes(0)}`);
    assert.notEqual(cell('readBytes', mixed), cell('readBytes', { ...mixed, partial: undefined }));
  });

  test('a sum of unknown figures only reads as unknown, a complete one as it is', () => {
    assert.equal(cell('readBytes', unknown), '–');
    assert.equal(cell('writeBytes', unknown), '–');
    assert.equal(cell('readBytes', complete), formatBytes(2048));
  });

  test('sorts by bytes read, unknown last', () => {
    const view = tableView([unknown, complete, mixed], state({ sortKey: 'readBytes', pageSize: 10 }));
    assert.deepEqual(
      view.matching.map((r) => r.name),
      ['worker', 'plain', 'hidden'],
    );
  });
});

describe('exportContent', () => {
  test('CSV has a header and one line per row, in the order shown', () => {
    const view = tableView(rows, state({ search: 'o', pageSize: 10 }));
    const lines = exportContent('csv', view.matching).trimEnd().split('\r\n');
    assert.equal(lines[0]!.split(',')[0], 'name');
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',')[0]),
      view.matching.map((r) => r.name),
    );
  });

  test('CSV keeps unknown values empty, not zero', () => {
    const [, line] = exportContent('csv', [row('bash', null)]).split('\r\n');
    const header = exportContent('csv', []).trimEnd().split(',');
    const cells = line!.split(',');
    assert.equal(cells[header.indexOf('cpuAvg')], '');
    assert.equal(cells[header.indexOf('writeBytes')], '0');
  });

  test('CSV quotes commas and quotes, and defuses formula-like names', () => {
    const content = exportContent('csv', [row('a,"b"', 1), row('=HYPERLINK("x")', 1), row('<img src=x>', 1)]);
    const lines = content.split('\r\n');
    assert.ok(lines[1]!.startsWith('"a,""b"""'));
    assert.ok(lines[2]!.startsWith(`"'=HYPERLINK(""x"")"`));
    assert.ok(lines[3]!.startsWith('<img src=x>,'));
  });

  test('JSON round-trips the raw figures', () => {
    const parsed = JSON.parse(exportContent('json', [row('node', 5.25, 2048)]));
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0].name, 'node');
    assert.equal(parsed[0].cpuAvg, 5.25);
    assert.equal(parsed[0].memAvg, 2048);
    assert.equal(parsed[0].readBytes, null);
  });

  test('file names are plain and carry the format', () => {
    const name = exportFileName('csv', Date.UTC(2026, 10, 24, 14, 0), Date.UTC(2026, 10, 24, 15, 30));
    assert.equal(name, 'process-history_2026-11-24-14-00_2026-11-24-15-30.csv');
  });
});
