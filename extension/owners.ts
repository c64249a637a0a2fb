// What this window started: its integrated terminals (Terminal.processId), task processes
// (tasks.onDidStartTaskProcess), debug sessions and its extension host. Debug sessions carry no
// pid in the API; the Debug Adapter Protocol's `process` event does (`systemProcessId`), so a
// tracker on every debug type records it, with `processId` of attach configurations as a fallback.
// js-debug (the built-in node/chrome debugger) sends no `process` event: it starts one child
// session per debugged process, marked by `__pendingTargetId` and named "script.js [pid]".
import * as vscode from 'vscode';
import type { ProcessRow } from '../shared/model';
import type { Owner } from './tree/nodes';
import { serverRole } from './tree/roles';

export interface OwnedRoot {
  key: string;
  label: string;
  icon: string;
  pid: number;
  owner: Owner;
}

/** Task executions' process ids, for Reveal Owner (the API maps no execution to its terminal). */
const taskProcessIds = new WeakMap<vscode.TaskExecution, number>();

/**
 * The pid in a js-debug child session's name ("app.js [1234]", "[1234]"), if it is one. The
 * configuration keeps the bare name; the session's own may carry its parent's (" « parent").
 */
export function jsDebugTargetPid(configuration: vscode.DebugConfiguration, name: string): number | undefined {
  if (!('__pendingTargetId' in configuration)) return undefined;
  for (const candidate of [String(configuration.name ?? ''), name.split(' « ')[0] ?? '']) {
    const match = /\[(\d+)\]$/.exec(candidate.trim());
    if (match && Number(match[1]) > 0) return Number(match[1]);
  }
  return undefined;
}

/** The session the user started: js-debug's per-process sessions hang below it. */
function rootSession(session: vscode.DebugSession): vscode.DebugSession {
  let root = session;
  while (root.parentSession) root = root.parentSession;
  return root;
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
        taskProcessIds.set(event.execution, event.processId);
        changed();
      }),
      vscode.tasks.onDidEndTaskProcess((event) => {
        this.tasks.delete(event.execution);
        changed();
      }),
      vscode.debug.onDidStartDebugSession((session) => {
        const attached = Number(session.configuration.processId);
        const pid =
          Number.isInteger(attached) && attached > 0
            ? attached
            : jsDebugTargetPid(session.configuration, session.name);
        if (pid) this.recordDebugPid(session, pid);
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

  private hasRecordedAncestor(session: vscode.DebugSession): boolean {
    for (let parent = session.parentSession; parent; parent = parent.parentSession)
      if (this.debugPids.has(parent.id)) return true;
    return false;
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
      // A process forked by a debugged one gets its own session below it; it shows in its parent's family.
      if (this.hasRecordedAncestor(session)) continue;
      roots.push({
        key: `debug:${session.id}`,
        label: vscode.l10n.t('Debug "{0}"', rootSession(session).name),
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

  /**
   * What a process is to this window, where VS Code says it (this extension host, a terminal's
   * shell) or we do (the agent), else by a command line naming a known server; undefined: its name
   * says all we know.
   */
  roleOf(row: Pick<ProcessRow, 'pid' | 'cmdline'>, agentPid: number | undefined): string | undefined {
    if (row.pid === process.pid) return vscode.l10n.t('Extension host');
    if (row.pid === agentPid) return vscode.l10n.t('Process Tracker agent');
    const terminals = vscode.window.terminals;
    for (const [terminal, pid] of this.terminalPids) {
      if (pid === row.pid)
        return vscode.l10n.t('Terminal {0}: {1}', terminals.indexOf(terminal) + 1, terminal.name);
    }
    return serverRole(row.cmdline, vscode.l10n.t);
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
      const terminal = await taskTerminal(owner.execution);
      if (terminal) terminal.show();
      else await vscode.commands.executeCommand('workbench.action.tasks.showTasks');
      return;
    }
    case 'debug':
      if (vscode.debug.activeDebugSession !== owner.session)
        await vscode.commands.executeCommand('workbench.debug.action.focusCallStackView');
      await vscode.commands.executeCommand('workbench.view.debug');
      return;
    case 'extensionHost':
      await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  }
}

/** The terminal running the task's process; by name only when its pid is unknown or matches none. */
async function taskTerminal(execution: vscode.TaskExecution): Promise<vscode.Terminal | undefined> {
  const pid = taskProcessIds.get(execution);
  const terminals = vscode.window.terminals;
  if (pid !== undefined) {
    const pids = await Promise.all(terminals.map((terminal) => terminal.processId));
    const index = pids.indexOf(pid);
    if (index >= 0) return terminals[index];
  }
  return terminals.find((terminal) => terminal.name.includes(execution.task.name));
}
