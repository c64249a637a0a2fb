// Minimal entry point so the real-VS-Code suites have something to activate; the extension issue
// replaces this body with the status bar, views and commands.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('processTracker.showAgentStatus', () => {
      void vscode.window.showInformationMessage('Process Tracker agent: not connected yet');
    }),
  );
}

export function deactivate(): undefined {
  return undefined;
}
