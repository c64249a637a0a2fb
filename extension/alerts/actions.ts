// What a person can do about one alert, from its toast or its row in the Alerts view: see the
// process, open its history, silence the alert for an hour, kill the process (through the usual
// confirmation, with the identity checked first here and again by the agent before the signal).
import * as vscode from 'vscode';
import type { AlertProcess, ProcessRow } from '../../shared/model';
import { SilenceRequest, TopRequest } from '../../shared/protocol';
import { kill } from '../actions';
import type { Ctx } from '../ctx';
import { rowOfAlert } from './view';

export const SILENCE_MS = 3_600_000;

export interface AlertTarget {
  rule: string;
  scope: string;
  process?: AlertProcess;
}

export async function showAlertProcess(ctx: Ctx, target: AlertTarget): Promise<void> {
  if (!target.process) return openAlertHistory(ctx, target);
  await ctx.documents.showDetails(target.process);
}

/** The history panel's command (the panel owns it), on the process when there is one. */
export async function openAlertHistory(_ctx: Ctx, target: AlertTarget): Promise<void> {
  const p = target.process;
  if (p)
    await vscode.commands.executeCommand('processTracker.showHistory', {
      identity: { pid: p.pid, startTime: p.startTime },
      name: p.name,
    });
  else await vscode.commands.executeCommand('processTracker.openHistory');
}

export async function silenceAlert(ctx: Ctx, target: AlertTarget): Promise<void> {
  const result = await ctx.agent.request(SilenceRequest.type, {
    rule: target.rule,
    scope: target.scope,
    durationMs: SILENCE_MS,
    comment: 'Silence 1 h from VS Code',
  });
  ctx.log.info(
    `silenced ${target.rule} (${target.scope}) until ${new Date(result.silence.until).toISOString()}`,
  );
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Silenced "{0}" for 1 hour', target.rule), 5000);
  ctx.alerts.view.scheduleRefresh(0);
}

/** The process as the agent sees it now, when it is still the same process (pid and start time). */
export async function liveRow(ctx: Ctx, process: AlertProcess): Promise<ProcessRow | undefined> {
  const top = await ctx.agent.request(TopRequest.type, { n: 5, filter: { pid: process.pid } });
  return top.rows.find((row) => row.pid === process.pid && row.startTime === process.startTime);
}

export async function killAlertProcess(ctx: Ctx, target: AlertTarget): Promise<void> {
  const p = target.process;
  if (!p) return;
  // kill() refuses in Restricted Mode itself, with the message the other kill paths show.
  if (!ctx.canKill()) return kill(ctx, rowOfAlert(target)!);
  const row = await liveRow(ctx, p);
  if (!row) {
    await ctx.ui.error(vscode.l10n.t('{0} (PID {1}) is no longer running.', p.name, p.pid));
    return;
  }
  await kill(ctx, row);
}
