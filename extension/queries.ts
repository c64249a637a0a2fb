// The command palette's questions to the agent: top processes, find, stats, category, at-time,
// export and kill (the agent's own life cycle is extension/agentCommands.ts).
import * as vscode from 'vscode';
import { UserInputError } from '../shared/errors';
import { compileRegex } from '../shared/filter';
import {
  CATEGORIES,
  type ExportFormat,
  type ProcessFilter,
  type ProcessRow,
  type SortKey,
} from '../shared/model';
import { AtRequest, ExportRequest, StatsRequest, TopRequest } from '../shared/protocol';
import { namedRange, parseTime, type NamedRange } from '../shared/time';
import { kill, pickAction, pickProcess, showDetails, showHistory } from './actions';
import type { Ctx } from './ctx';
import { atMarkdown, rowDescription, statsMarkdown } from './format';
import { categoryIcon } from './tree/nodes';

const SORT_TITLES: Record<SortKey, string> = {
  cpu: 'Top processes by CPU',
  mem: 'Top processes by memory',
  io: 'Top processes by disk IO',
  name: 'Processes by name',
};

export async function showTop(ctx: Ctx, sort: SortKey): Promise<void> {
  const rows = ctx.agent.request(TopRequest.type, { sort, n: 30 }).then((result) => result.rows);
  const row = await pickProcess(ctx, await rows, vscode.l10n.t(SORT_TITLES[sort]));
  if (row) await pickAction(ctx, row);
}

/** Digits are a PID; anything else a regular expression on the name or command line. */
export function findFilter(text: string): ProcessFilter {
  const input = text.trim();
  if (/^\d+$/.test(input)) return { pid: Number(input) };
  compileRegex(input, 'search');
  return { regex: input };
}

interface FoundPick extends vscode.QuickPickItem {
  row: ProcessRow;
}

/**
 * Find Process…: matches listed as the person types (a PID, or a regular expression on the name and
 * command line, filtered by the agent). Enter reveals the process in the Processes view; the
 * buttons on a match show its details or history, or kill it.
 */
export async function findProcess(ctx: Ctx): Promise<void> {
  const details = { iconPath: new vscode.ThemeIcon('info'), tooltip: vscode.l10n.t('Show Details') };
  const history = { iconPath: new vscode.ThemeIcon('history'), tooltip: vscode.l10n.t('Show History') };
  const killButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: vscode.l10n.t('Kill…') };
  const buttons = ctx.canKill() ? [details, history, killButton] : [details, history];
  const chosen = await ctx.ui.livePick<FoundPick>({
    title: vscode.l10n.t('Find Process'),
    placeholder: vscode.l10n.t(
      'A PID, or a regular expression matched against the name and the command line',
    ),
    search: async (text) => {
      // Empty: the busiest processes, so the list is never blank. A broken regex throws UserInputError.
      const filter = text.trim() ? findFilter(text) : undefined;
      const result = await ctx.agent.request(TopRequest.type, {
        sort: 'cpu',
        n: 50,
        ...(filter ? { filter } : {}),
      });
      return result.rows.map((row) => ({
        label: `$(${categoryIcon(row.category)}) ${row.name}`,
        description: `PID ${row.pid} · ${rowDescription(row)}`,
        detail: row.cmdline,
        buttons,
        row,
      }));
    },
  });
  if (!chosen) return;
  const { item, button } = chosen;
  if (button === details) return showDetails(ctx, item.row);
  if (button === history) return showHistory(ctx, item.row);
  if (button === killButton) return kill(ctx, item.row);
  if (!(await ctx.processes.reveal(item.row)))
    await ctx.ui.info(vscode.l10n.t('{0} (PID {1}) is no longer running.', item.row.name, item.row.pid));
}

const RANGE_TITLES: Record<NamedRange, string> = {
  today: 'Process Tracker — today',
  week: 'Process Tracker — this week',
  month: 'Process Tracker — this month',
};

export async function stats(ctx: Ctx, range: NamedRange): Promise<void> {
  const { from, to } = namedRange(range);
  const result = await ctx.agent.request(StatsRequest.type, {
    from,
    to,
    sort: 'cpu',
    n: 100,
    groupBy: 'name',
  });
  const title = vscode.l10n.t(RANGE_TITLES[range]);
  await ctx.documents.showReport(title, statsMarkdown(title, result, vscode.l10n.t));
}

export async function processesInCategory(ctx: Ctx): Promise<void> {
  const category = await ctx.ui.pick(
    CATEGORIES.map((name) => ({ label: `$(${categoryIcon(name)}) ${name}`, name })),
    { title: vscode.l10n.t('Processes in Category') },
  );
  if (!category) return;
  const result = await ctx.agent.request(TopRequest.type, {
    sort: 'cpu',
    n: 200,
    filter: { category: category.name },
  });
  const row = await pickProcess(
    ctx,
    result.rows,
    vscode.l10n.t('{0} processes in {1}', result.matched, category.name),
  );
  if (row) await pickAction(ctx, row);
}

function validTime(value: string): string | undefined {
  try {
    parseTime(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function whatWasRunningAt(ctx: Ctx): Promise<void> {
  const text = await ctx.ui.input({
    title: vscode.l10n.t('What Was Running At…'),
    prompt: vscode.l10n.t('A time: "14:32", "yesterday 14:32", "2026-11-24 14:32", "2h ago"'),
    value: 'yesterday 14:30',
    validateInput: validTime,
  });
  if (!text) return;
  const ts = parseTime(text);
  const result = await ctx.agent.request(AtRequest.type, { ts, sort: 'cpu', n: 50 });
  await ctx.documents.showReport(`at ${text}`, atMarkdown(result, vscode.l10n.t));
}

export async function exportHistory(ctx: Ctx): Promise<void> {
  const format = await ctx.ui.pick(
    [
      { label: 'CSV', format: 'csv' as ExportFormat },
      { label: 'JSON', format: 'json' as ExportFormat },
      { label: 'InfluxDB', format: 'influx' as ExportFormat },
    ],
    { title: vscode.l10n.t('Export: format') },
  );
  if (!format) return;
  const ranges = [
    { label: vscode.l10n.t('Last hour'), from: () => Date.now() - 3_600_000 },
    { label: vscode.l10n.t('Today'), from: () => namedRange('today').from },
    { label: vscode.l10n.t('This week'), from: () => namedRange('week').from },
    { label: vscode.l10n.t('This month'), from: () => namedRange('month').from },
    { label: vscode.l10n.t('Since…'), from: () => undefined },
  ];
  const range = await ctx.ui.pick(ranges, { title: vscode.l10n.t('Export: range') });
  if (!range) return;
  let from = range.from();
  if (from === undefined) {
    const text = await ctx.ui.input({
      title: vscode.l10n.t('Export since'),
      value: '24h ago',
      validateInput: validTime,
    });
    if (!text) return;
    from = parseTime(text);
  }
  const to = Date.now();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(ctx.agent.dataDir());
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export process history'),
    defaultUri: vscode.Uri.joinPath(
      folder,
      `process-history-${new Date(to).toISOString().slice(0, 10)}.${format.format}`,
    ),
    filters: { [format.label]: [format.format] },
  });
  if (!target) return;
  if (target.scheme !== 'file')
    throw new UserInputError(vscode.l10n.t('Export needs a file on this machine: choose a local folder'));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting process history…') },
    () =>
      ctx.agent.request(ExportRequest.type, { format: format.format, from: from!, to, file: target.fsPath }),
  );
  const open = vscode.l10n.t('Open');
  if (
    (await ctx.ui.info(vscode.l10n.t('Exported {0} rows to {1}', result.rows, result.file), open)) === open
  ) {
    await vscode.window.showTextDocument(vscode.Uri.file(result.file));
  }
}

export async function killFromPalette(ctx: Ctx): Promise<void> {
  const result = await ctx.agent.request(TopRequest.type, { sort: 'cpu', n: 50 });
  const row = await pickProcess(ctx, result.rows, vscode.l10n.t('Kill which process?'));
  if (row) await kill(ctx, row);
}
