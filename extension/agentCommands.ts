// The agent's own life cycle from the palette and the status bar: its status report, stop,
// restart, and installing it as a login service (`process-tracker service install`).
import { execFile } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import { AgentStatusRequest } from '../shared/protocol';
import type { Ctx } from './ctx';
import { agentStatusMarkdown } from './format';

export async function showAgentStatus(ctx: Ctx): Promise<void> {
  const status = await ctx.agent.request(AgentStatusRequest.type, {});
  await ctx.documents.showReport('agent status', agentStatusMarkdown(status, vscode.l10n.t));
}

export async function stopAgent(ctx: Ctx): Promise<void> {
  const pid = await ctx.agent.stopAgent();
  await ctx.ui.info(
    pid === undefined
      ? vscode.l10n.t('Disconnected from the Process Tracker agent.')
      : vscode.l10n.t(
          'The Process Tracker agent (PID {0}) stopped; history is no longer recorded until it starts again.',
          pid,
        ),
  );
}

export async function restartAgent(ctx: Ctx): Promise<void> {
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Window,
      title: vscode.l10n.t('Restarting the Process Tracker agent'),
    },
    () => ctx.agent.restart(),
  );
}

/** Runs `process-tracker service install` with this extension's agent, and shows what it said. */
export async function installService(ctx: Ctx): Promise<void> {
  const script = path.join(ctx.extension.extensionPath, 'dist', 'agent.js');
  const args = [script, 'service', 'install', '--data-dir', ctx.agent.dataDir()];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        ctx.log.info(`service install: ${stdout}${stderr}`);
        if (error) reject(new Error(stderr.trim() || error.message));
        else resolve(stdout.trim());
      },
    );
  });
  await ctx.ui.info(output || vscode.l10n.t('The agent is installed as a login service.'));
}
