// Entry point: activate wires the context, the commands and the connection, and returns the
// extension's API; deactivate returns the client's stop promise (this window's connection only:
// the agent keeps recording).
import * as vscode from 'vscode';
import { createApi, type ProcessTrackerApi } from './api';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerRuns } from './runs';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): ProcessTrackerApi {
  const started = performance.now();
  ctx = new Ctx(context);
  registerCommands(ctx);
  registerRuns(ctx);
  void vscode.commands.executeCommand('setContext', 'processTracker.canKill', ctx.canKill());
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      vscode.commands.executeCommand('setContext', 'processTracker.canKill', true),
    ),
  );
  // Not awaited: connecting (maybe starting the agent) must not hold up the window.
  void ctx.agent.start();
  const activationMs = performance.now() - started;
  ctx.log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return createApi(ctx, activationMs);
}

export function deactivate(): Promise<void> | undefined {
  return ctx?.agent.dispose();
}
