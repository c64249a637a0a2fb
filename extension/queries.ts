// The command palette's questions to the agent: top processes, find, stats, category, at-time,
// export and kill (the agent's own life cycle is extension/agentCommands.ts).
import * as vscode from 'vscode';
import { UserInputError } from '../shared/errors';
import { compileRegex } from '../shared/filter';
import { CATEGORIES, type ExportFormat, type ProcessFilter, type SortKey } from '../shared/model';
import { AtRequest, ExportRequest, StatsRequest, TopRequest } from '../shared/protocol';
import { namedRange, parseTime, type NamedRange } from '../shared/time';
import { kill, pickAction, pickProcess } from './actions';
import type { Ctx } from './ctx';
import { atMarkdown, statsMarkdown } from './format';
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

export async function findProcess(ctx: Ctx): Promise<void> {
  const text = await ctx.ui.input({
    title: vscode.l10n.t('Find Process'),
    prompt: vscode.l10n.t('A PID, or a regular expression matched against the name and the command line'),
    placeHolder: 'node.*server | 1234',
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      try {
        findFilter(value);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  if (!text?.trim()) return;
  const filter = findFilter(text); // a broken regex throws UserInputError: the command runner shows it
  const result = await ctx.agent.request(TopRequest.type, { sort: 'cpu', n: 100, filter });
  if (result.rows.length === 0) {
    await ctx.ui.info(vscode.l10n.t('No running process matches "{0}".', text.trim()));
    return;
  }
  const row = await pickProcess(
    ctx,
    result.rows,
    vscode.l10n.t('{0} processes match "{1}"', result.matched, text.trim()),
  );
  if (row) await pickAction(ctx, row);
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
