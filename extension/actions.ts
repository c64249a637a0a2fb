// What a user can do with one process: details, history, copy, kill. Shared by the tree's row
// actions and the quick picks.
import * as vscode from 'vscode';
import { formatBytes } from '../shared/duration';
import type { ProcessRow } from '../shared/model';
import { KillRequest, ProcessDetailsRequest, type KillSignal } from '../shared/protocol';
import type { Ctx } from './ctx';
import { percent, rowDescription } from './format';
import { categoryIcon } from './tree/nodes';

const STILL_ALIVE_AFTER_MS = 3000;

export async function showDetails(ctx: Ctx, row: ProcessRow): Promise<void> {
  await ctx.documents.showDetails(row);
}

/** The history panel registers processTracker.showHistory; until it exists, details stand in. */
export async function showHistory(ctx: Ctx, row: ProcessRow): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('processTracker.showHistory')) {
    await vscode.commands.executeCommand('processTracker.showHistory', row);
  } else await showDetails(ctx, row);
}

export async function copyPid(_ctx: Ctx, row: ProcessRow): Promise<void> {
  await vscode.env.clipboard.writeText(String(row.pid));
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied PID {0}', row.pid), 2000);
}

export async function copyCommandLine(_ctx: Ctx, row: ProcessRow): Promise<void> {
  await vscode.env.clipboard.writeText(row.cmdline || row.name);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the command line of {0}', row.name), 2000);
}

/**
 * Confirms, sends SIGTERM, and when the process is still there after 3 s offers SIGKILL. The agent
 * re-checks (pid, start time) right before each signal, so a pid reused meanwhile is refused.
 */
export async function kill(ctx: Ctx, row: ProcessRow): Promise<void> {
  if (!ctx.canKill()) {
    await ctx.ui.error(
      vscode.l10n.t(
        'Killing processes is not available in Restricted Mode: trust this workspace to kill processes.',
      ),
    );
    return;
  }
  const confirmed = await ctx.ui.confirm(
    vscode.l10n.t('Kill "{0}" (PID {1})?', row.name, row.pid),
    vscode.l10n.t(
      '{0}\nUser {1} · CPU {2} · memory {3}\nProcess Tracker sends SIGTERM, then offers SIGKILL if it is still running after 3 seconds.',
      row.cmdline || row.name,
      row.user ?? '?',
      percent(row.cpu ?? null),
      formatBytes(row.rss ?? null),
    ),
    vscode.l10n.t('Kill'),
  );
  if (!confirmed) return;
  if (!(await signal(ctx, row, 'SIGTERM'))) return;
  // Said in a notification, not the status bar's corner: the person asked and waits for the answer.
  const ended = vscode.l10n.t('{0} (PID {1}) ended', row.name, row.pid);
  if (!(await stillAlive(ctx, row, STILL_ALIVE_AFTER_MS))) {
    void ctx.ui.info(ended);
    return;
  }
  const force = await ctx.ui.confirm(
    vscode.l10n.t(
      '"{0}" (PID {1}) is still running after SIGTERM. Force it with SIGKILL?',
      row.name,
      row.pid,
    ),
    vscode.l10n.t('SIGKILL cannot be caught: the process gets no chance to save its work.'),
    vscode.l10n.t('Force Kill'),
  );
  if (force && (await signal(ctx, row, 'SIGKILL')) && !(await stillAlive(ctx, row, STILL_ALIVE_AFTER_MS)))
    void ctx.ui.info(ended);
}

async function signal(ctx: Ctx, row: ProcessRow, sig: KillSignal): Promise<boolean> {
  const result = await ctx.agent.request(KillRequest.type, {
    identity: { pid: row.pid, startTime: row.startTime },
    signal: sig,
  });
  if (result.ok) {
    ctx.log.info(`sent ${sig} to ${row.name} (pid ${row.pid})`);
    return true;
  }
  const reasons: Record<typeof result.reason, string> = {
    gone: vscode.l10n.t('{0} (PID {1}) is no longer running.', row.name, row.pid),
    changed: vscode.l10n.t(
      'PID {0} now belongs to a different process than "{1}": nothing was killed.',
      row.pid,
      row.name,
    ),
    denied: vscode.l10n.t('Not allowed to kill {0} (PID {1}): {2}', row.name, row.pid, result.message),
    refused: vscode.l10n.t(
      'Process Tracker will not kill {0} (PID {1}): {2}',
      row.name,
      row.pid,
      result.message,
    ),
  };
  await ctx.ui.error(reasons[result.reason]);
  return false;
}

async function stillAlive(ctx: Ctx, row: ProcessRow, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    try {
      await ctx.agent.request(ProcessDetailsRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime },
      });
    } catch {
      return false; // NotFound: gone (or its pid reused)
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return true;
}

interface RowPick extends vscode.QuickPickItem {
  row: ProcessRow;
}

/** A quick pick of processes; resolves the chosen row. */
export async function pickProcess(
  ctx: Ctx,
  rows: ProcessRow[],
  title: string,
): Promise<ProcessRow | undefined> {
  const items: RowPick[] = rows.map((row) => ({
    label: `$(${categoryIcon(row.category)}) ${row.name}`,
    description: `PID ${row.pid} · ${rowDescription(row)}`,
    detail: row.cmdline,
    row,
  }));
  const picked = await ctx.ui.pick(items, {
    title,
    matchOnDescription: true,
    matchOnDetail: true,
    placeHolder: title,
  });
  return picked?.row;
}

/** After picking a process: what to do with it. */
export async function pickAction(ctx: Ctx, row: ProcessRow): Promise<void> {
  type ActionPick = vscode.QuickPickItem & { run: () => Promise<void> };
  const actions: ActionPick[] = [
    { label: `$(info) ${vscode.l10n.t('Show Details')}`, run: () => showDetails(ctx, row) },
    { label: `$(history) ${vscode.l10n.t('Show History')}`, run: () => showHistory(ctx, row) },
    { label: `$(copy) ${vscode.l10n.t('Copy PID')}`, run: () => copyPid(ctx, row) },
    { label: `$(terminal) ${vscode.l10n.t('Copy Command Line')}`, run: () => copyCommandLine(ctx, row) },
    ...(ctx.canKill() ? [{ label: `$(close) ${vscode.l10n.t('Kill…')}`, run: () => kill(ctx, row) }] : []),
  ];
  const action = await ctx.ui.pick(actions, { title: `${row.name} (PID ${row.pid})` });
  await action?.run();
}
