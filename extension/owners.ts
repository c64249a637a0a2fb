// What this window started: its integrated terminals (Terminal.processId), task processes
// (tasks.onDidStartTaskProcess), debug sessions and its extension host. Debug sessions carry no
// pid in the API; the Debug Adapter Protocol's `process` event does (`systemProcessId`), so a
// tracker on every debug type records it, with `processId` of attach configurations as a fallback.
import * as vscode from 'vscode';
import type { Owner } from './tree/nodes';

export interface OwnedRoot {
  key: string;
  label: string;
  icon: string;
  pid: number;
  owner: Owner;
}

export class WindowOwners implements vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changedEmitter.event;
  private readonly tasks = new Map<vscode.TaskExecution, number>();
  private readonly debugPids = new Map<string, { session: vscode.DebugSession; pid: number }>();
  private readonly terminalPids = new Map<vscode.Terminal, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const changed = () => this.changedEmitter.fire();
    this.disposables.push(
      this.changedEmitter,
      vscode.window.onDidOpenTerminal((terminal) => void this.trackTerminal(terminal)),
      vscode.window.onDidCloseTerminal((terminal) => {
        this.terminalPids.delete(terminal);
        changed();
      }),
      vscode.tasks.onDidStartTaskProcess((event) => {
        this.tasks.set(event.execution, event.processId);
        changed();
      }),
      vscode.tasks.onDidEndTaskProcess((event) => {
        this.tasks.delete(event.execution);
        changed();
      }),
      vscode.debug.onDidStartDebugSession((session) => {
        const pid = Number(session.configuration.processId);
        if (Number.isInteger(pid) && pid > 0) this.recordDebugPid(session, pid);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (this.debugPids.delete(session.id)) changed();
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: {
            type?: string;
            event?: string;
            body?: { systemProcessId?: unknown };
          }) => {
            const pid =
              message?.type === 'event' && message.event === 'process'
                ? message.body?.systemProcessId
                : undefined;
            if (typeof pid === 'number' && pid > 0) this.recordDebugPid(session, pid);
          },
        }),
      }),
    );
    for (const terminal of vscode.window.terminals) void this.trackTerminal(terminal);
  }

  private recordDebugPid(session: vscode.DebugSession, pid: number): void {
    this.debugPids.set(session.id, { session, pid });
    this.changedEmitter.fire();
  }

  private async trackTerminal(terminal: vscode.Terminal): Promise<void> {
    const pid = await terminal.processId;
    if (pid && vscode.window.terminals.includes(terminal)) {
      this.terminalPids.set(terminal, pid);
      this.changedEmitter.fire();
    }
  }

  /** Owners in display order; a task's terminal shows once, as the task. */
  roots(): OwnedRoot[] {
    const taskPids = new Set(this.tasks.values());
    const roots: OwnedRoot[] = [];
    for (const [execution, pid] of this.tasks) {
      roots.push({
        key: `task:${pid}`,
        label: vscode.l10n.t('Task "{0}"', execution.task.name),
        icon: 'tools',
        pid,
        owner: { kind: 'task', execution },
      });
    }
    vscode.window.terminals.forEach((terminal, index) => {
      const pid = this.terminalPids.get(terminal);
      if (pid === undefined || taskPids.has(pid)) return;
      roots.push({
        key: `terminal:${pid}`,
        label: vscode.l10n.t('Terminal {0}: {1}', index + 1, terminal.name),
        icon: 'terminal',
        pid,
        owner: { kind: 'terminal', terminal },
      });
    });
    for (const { session, pid } of this.debugPids.values()) {
      roots.push({
        key: `debug:${session.id}`,
        label: vscode.l10n.t('Debug "{0}"', session.name),
        icon: 'debug-alt',
        pid,
        owner: { kind: 'debug', session },
      });
    }
    roots.push({
      key: 'exthost',
      label: vscode.l10n.t('Extension host'),
      icon: 'extensions',
      pid: process.pid,
      owner: { kind: 'extensionHost' },
    });
    return roots;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Brings the owner forward: the terminal, the task's terminal, the debug view. */
export async function revealOwner(owner: Owner): Promise<void> {
  switch (owner.kind) {
    case 'terminal':
      owner.terminal.show();
      return;
    case 'task': {
      const terminal = vscode.window.terminals.find((t) => t.name.includes(owner.execution.task.name));
      if (terminal) terminal.show();
      else await vscode.commands.executeCommand('workbench.action.tasks.showTasks');
      return;
    }
    case 'debug':
      vscode.debug.activeDebugSession !== owner.session &&
        (await vscode.commands.executeCommand('workbench.debug.action.focusCallStackView'));
      await vscode.commands.executeCommand('workbench.view.debug');
      return;
    case 'extensionHost':
      await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  }
}
