// Export from the history panel in a real workbench (code-server) with the real agent: Export CSV /
// JSON opens VS Code's save dialog (in code-server the "simple file dialog", a quick input taking a
// path), the file lands on disk, and what it holds is what the table shows — every row of every
// page, in the table's order, and a process name full of markup and CSV syntax as plain text.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { silentLogger } from '../../agent/log';
import { generateHistory, Store } from '../../agent/store';
import type { ExportFormat, StatsRow } from '../../shared/model';
import { DEFAULT_RETENTION } from '../../shared/settings';
import { COLUMNS } from '../../webview/tableModel';
import { openWorkbench, panelFrame, runCommand, type Workbench } from './workbench';

/**
 * A process name that is markup if rendered as HTML, and needs quoting in CSV (comma, quotes). It is
 * the file name of a copied `sleep`, so the kernel reports it as the process's comm (< 15 bytes).
 */
const ODD_NAME = '<b>pt,"q"&lt;';
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
];
const TEXT_FIELDS = new Set(['name', 'category']);
/** Text that may be absent: an empty CSV cell is JSON's null. */
const OPTIONAL_TEXT_FIELDS = new Set(['partial']);

type ExportRecord = Record<string, string | number | null>;

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(quoted, false, 'the CSV has no unterminated quote');
  assert.equal(cell + row.join(''), '', 'the CSV ends with a line break');
  return rows;
}

function csvRecords(text: string): ExportRecord[] {
  const [header, ...lines] = parseCsv(text);
  assert.deepEqual(header, EXPORT_FIELDS, 'the CSV header names every exported field, in order');
  return lines.map((cells) => {
    assert.equal(cells.length, EXPORT_FIELDS.length, `a CSV line has ${EXPORT_FIELDS.length} cells`);
    return Object.fromEntries(
      EXPORT_FIELDS.map((field, i) => {
        const cell = cells[i]!;
        if (TEXT_FIELDS.has(field)) return [field, cell];
        if (OPTIONAL_TEXT_FIELDS.has(field)) return [field, cell === '' ? null : cell];
        return [field, cell === '' ? null : Number(cell)];
      }),
    );
  });
}

/** The cells a table row shows for an exported record (the table's own column formats). */
function shownCells(record: ExportRecord): string[] {
  const partial = typeof record.partial === 'string' ? record.partial.split(' ') : undefined;
  const row = { ...record, partial } as unknown as StatsRow;
  return COLUMNS.map((column) => column.format(row));
}

/** Every row of every page, as the cells' text; leaves the table on its last page. */
async function tableCells(frame: FrameLocator): Promise<string[][]> {
  const all: string[][] = [];
  const first = frame.locator('.table-section .page-prev');
  while (!(await first.isDisabled())) await first.click();
  for (;;) {
    const rows = frame.locator('.range-table tbody tr');
    const count = await rows.count();
    for (let i = 0; i < count; i++) all.push(await rows.nth(i).locator('td').allTextContents());
    const next = frame.locator('.table-section .page-next');
    if (await next.isDisabled()) return all;
    const status = await frame.locator('.table-section .page-status').textContent();
    await next.click();
    await frame
      .locator('.table-section .page-status')
      .filter({ hasNotText: status ?? '' })
      .waitFor();
  }
}

/** "N of M processes" in the pager: N rows match the search. */
async function matchingCount(frame: FrameLocator): Promise<number> {
  const status = (await frame.locator('.table-section .page-status').textContent()) ?? '';
  const match = /· (\d+) of \d+ processes/.exec(status);
  assert.ok(match, `the pager says how many rows match: "${status}"`);
  return Number(match[1]);
}

/**
 * Presses Enter until the save dialog takes the typed path. The simple file dialog ignores Enter
 * while it is still reading the folder the new value points into (busy), with no sign of it in the
 * DOM that is reliable across versions: so ask again, as a user would, until it closes.
 */
async function acceptDialog(page: Page, dialog: Locator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Enter');
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch {
      if (Date.now() > deadline) {
        const message = await dialog.locator('.quick-input-message').textContent();
        throw new Error(`the save dialog did not take the path within ${timeoutMs} ms: "${message}"`);
      }
    }
  }
}

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Written in one go by the extension; a size above zero is the whole file.
    if (existsSync(file) && statSync(file).size > 0) return readFileSync(file, 'utf8');
    if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('History panel export in code-server', () => {
  let workbench: Workbench;
  let dataDir: string;
  let oddDir: string;
  let oddProcess: ChildProcess | undefined;

  before(async () => {
    // A few hours of generated history, so the table has many rows (and pages) from the start.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pt-export-data-'));
    const store = await Store.open({
      dataDir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
    });
    await generateHistory(store, { days: 0.125, processes: 40, activeShare: 0.2, rawHours: 1 });
    await store.close();

    oddDir = mkdtempSync(path.join(os.tmpdir(), 'pt-export-bin-'));
    const oddBinary = path.join(oddDir, ODD_NAME);
    copyFileSync('/bin/sleep', oddBinary);
    oddProcess = spawn(oddBinary, ['600'], { stdio: 'ignore' });

    workbench = await openWorkbench({ env: { PROCESS_TRACKER_DATA_DIR: dataDir } });
  });

  after(async () => {
    // close() also stops the agent the extension started (its environment names the server's temp dir).
    await workbench?.close();
    if (oddProcess?.pid && oddProcess.exitCode === null) process.kill(oddProcess.pid, 'SIGKILL');
    for (const dir of [dataDir, oddDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Waits for a notification saying `text`: as a toast, else in the notification centre — the CI run
   * on 2e9c73d wrote the second export's file but saw no toast for it within 30 s (a toast can be
   * hidden behind another or hide itself; the centre lists every notification).
   */
  async function notified(page: Page, text: string): Promise<void> {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    if (
      await toast.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
    await runCommand(page, 'Notifications: Show Notifications');
    await page
      .locator('.notifications-center .notification-list-item', { hasText: text })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Escape');
  }

  /** Clicks Export, answers the save dialog with `file`, and returns what was written there. */
  async function exportThroughDialog(format: ExportFormat, file: string, rows: number): Promise<string> {
    const { page } = workbench;
    await panelFrame(page).locator(`.table-section .export-${format}`).click();
    const dialog = page.locator('.quick-input-widget', { hasText: 'Export Process History' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const input = dialog.locator('input.input');
    // It offers the workspace folder and a file name naming the range and the format.
    // It fills the input in steps (the folder, then the file name): wait for the whole of it.
    await page.waitForFunction(
      ([element, suffix]) => (element as unknown as { value: string }).value.endsWith(suffix as string),
      [await input.elementHandle(), `.${format}`] as const,
      { timeout: 15_000 },
    );
    const offered = await input.inputValue();
    assert.equal(path.dirname(offered), workbench.workspace, 'the dialog starts in the workspace folder');
    assert.match(path.basename(offered), new RegExp(`^process-history_[\\d-]+_[\\d-]+\\.${format}$`));
    await input.fill(file);
    await acceptDialog(page, dialog, 30_000);
    const content = await waitForFile(file, 30_000);
    await notified(page, `Exported ${rows} rows to ${file}`);
    return content;
  }

  test('Export CSV and JSON through the save dialog write every row the table shows, in its order', async () => {
    const { page } = workbench;
    // Into the folder the dialog offers (the workspace): typing another folder makes the simple
    // file dialog read it first and ignore Enter meanwhile, which under CI load outlasted 30 s.
    const exportDir = workbench.workspace;
    await runCommand(page, 'Process Tracker: Open History');
    const frame = panelFrame(page);
    const search = frame.locator('.table-section .table-search');
    await search.waitFor({ timeout: 60_000 });

    // The odd process is recorded from the agent's first tick; a query may have come before it.
    await search.fill('<b>pt');
    const deadline = Date.now() + 90_000;
    while ((await frame.locator('.range-table tbody tr').count()) === 0) {
      assert.ok(Date.now() < deadline, `${ODD_NAME} shows up in the table within 90 s`);
      await page.waitForTimeout(2000);
      await frame.locator('.range-bar button.preset[data-preset="1h"]').click();
    }
    await search.fill('');
    await frame.locator('.table-section .page-next:not([disabled])').waitFor();

    const shown = await tableCells(frame);
    assert.ok(shown.length > 25, `the table has more than one page (${shown.length} rows)`);
    assert.equal(shown.length, await matchingCount(frame), 'the pages together hold every matching row');
    assert.ok(
      shown.some((cells) => cells[0] === ODD_NAME),
      'the odd name is a row, as text',
    );

    const csvFile = path.join(exportDir, 'all processes.csv');
    const csv = csvRecords(await exportThroughDialog('csv', csvFile, shown.length));
    assert.deepEqual(csv.map(shownCells), shown, 'the CSV holds the table’s rows and figures, in order');

    const jsonFile = path.join(exportDir, 'all processes.json');
    const json = JSON.parse(await exportThroughDialog('json', jsonFile, shown.length)) as ExportRecord[];
    assert.ok(Array.isArray(json));
    assert.deepEqual(
      json.map((record) => Object.keys(record)),
      json.map(() => EXPORT_FIELDS),
    );
    assert.deepEqual(json.map(shownCells), shown, 'the JSON holds the table’s rows and figures, in order');
    assert.deepEqual(json, csv, 'CSV and JSON hold the same figures');

    // A search narrows what is shown, and so what is exported.
    await search.fill('<b>pt');
    await frame.locator('.table-section .page-status', { hasText: '· 1 of' }).waitFor();
    const nameCell = frame.locator('.range-table tbody tr td:first-child');
    assert.equal(await nameCell.textContent(), ODD_NAME);
    assert.equal(await frame.locator('.range-table b').count(), 0, 'the name made no <b> element');
    const oddCsv = await exportThroughDialog('csv', path.join(exportDir, 'odd.csv'), 1);
    assert.ok(oddCsv.includes('\r\n"<b>pt,""q""&lt;",'), 'the name is one quoted CSV cell, quotes doubled');
    assert.deepEqual(
      csvRecords(oddCsv).map((record) => record.name),
      [ODD_NAME],
    );
    const oddJson = JSON.parse(
      await exportThroughDialog('json', path.join(exportDir, 'odd.json'), 1),
    ) as ExportRecord[];
    assert.deepEqual(
      oddJson.map((record) => record.name),
      [ODD_NAME],
    );
  });
});
