// Tells the agent about this window's runs: each task's process (tasks' onDidStartTaskProcess /
// onDidEndTaskProcess, which carry its pid and exit code) and each command a shell-integrated
// terminal runs (onDidStart/EndTerminalShellExecution; the shell's pid is the subtree's root). The
// agent follows the subtree; the end carries everything again, so a run whose start was not heard
// (the agent restarted) is still kept — and ends that found no agent are sent once it is back.
import * as vscode from 'vscode';
import { RunEndedRequest, RunStartedRequest, type RunStart } from '../../shared/protocol';
import type { AgentClient } from '../agentClient';

/** Ends waiting for an agent, at most (the oldest are dropped). */
const MAX_PENDING_ENDS = 50;
/** The agent refuses longer commands; a pasted script is cut here. */
const MAX_COMMAND_CHARS = 4096;

export class RunRecorder implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly open = new Map<object, RunStart>();
  private readonly pendingEnds: RunEndedRequest.Params[] = [];
  private readonly ended = new vscode.EventEmitter<void>();
  private readonly session = `${vscode.env.sessionId}-${Date.now().toString(36)}`;
  private counter = 0;
  /** Fires when a run started or ended (the Runs view refreshes). */
  readonly onDidChange = this.ended.event;

  constructor(
    private readonly agent: AgentClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.ended,
      vscode.tasks.onDidStartTaskProcess((e) =>
        this.started(e.execution, {
          source: 'task',
          command: taskCommand(e.execution.task),
          folder: taskFolder(e.execution.task),
          pid: e.processId,
        }),
      ),
      vscode.tasks.onDidEndTaskProcess((e) => this.finished(e.execution, e.exitCode ?? null)),
      vscode.window.onDidStartTerminalShellExecution((e) => {
        // Kept at once, so an end that comes before the shell's pid is known still finds it.
        const run = this.started(
          e.execution,
          {
            source: 'terminal',
            command: e.execution.commandLine.value,
            folder: e.execution.cwd?.fsPath ?? null,
            pid: null,
          },
          false,
        );
        void Promise.resolve(e.terminal.processId).then(
          (pid) => run && ((run.pid = pid ?? null), this.announce(run)),
          () => run && this.announce(run),
        );
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => this.finished(e.execution, e.exitCode ?? null)),
      agent.onDidChangeState((state) => {
        if (state === 'connected') void this.flush();
      }),
    );
  }

  private started(key: object, what: Omit<RunStart, 'id' | 'start'>, announce = true): RunStart | undefined {
    const command = what.command.trim().slice(0, MAX_COMMAND_CHARS);
    if (!command) return undefined;
    const run: RunStart = { ...what, command, id: `${this.session}-${++this.counter}`, start: Date.now() };
    this.open.set(key, run);
    if (announce) this.announce(run);
    return run;
  }

  private announce(run: RunStart): void {
    // The shell's pid can come after the command already ended (and its end was sent).
    if (![...this.open.values()].includes(run)) return;
    this.agent.request(RunStartedRequest.type, run).then(
      () => this.ended.fire(),
      // Not connected: the end will carry the run.
      (error: Error) => this.log.debug(`run start not sent: ${error.message}`),
    );
  }

  private finished(key: object, exitCode: number | null): void {
    const run = this.open.get(key);
    if (!run) return;
    this.open.delete(key);
    this.pendingEnds.push({ ...run, end: Math.max(Date.now(), run.start), exitCode });
    if (this.pendingEnds.length > MAX_PENDING_ENDS) this.pendingEnds.shift();
    void this.flush();
  }

  private async flush(): Promise<void> {
    while (this.pendingEnds.length > 0 && this.agent.state === 'connected') {
      const end = this.pendingEnds[0]!;
      try {
        await this.agent.request(RunEndedRequest.type, end);
      } catch (error) {
        this.log.warn(`run end not sent (${end.command}): ${(error as Error).message}`);
        if (this.agent.state === 'connected') this.pendingEnds.shift(); // refused: do not retry
        continue;
      }
      this.pendingEnds.shift();
      this.ended.fire();
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** What a task ran: its command line when VS Code knows it, else its name. */
export function taskCommand(task: vscode.Task): string {
  const execution = task.execution;
  if (execution instanceof vscode.ShellExecution) {
    if (execution.commandLine) return execution.commandLine;
    const command = typeof execution.command === 'string' ? execution.command : execution.command?.value;
    const args = (execution.args ?? []).map((a) => (typeof a === 'string' ? a : a.value));
    if (command) return [command, ...args].join(' ');
  }
  if (execution instanceof vscode.ProcessExecution) return [execution.process, ...execution.args].join(' ');
  return task.name;
}

function taskFolder(task: vscode.Task): string | null {
  const scope = task.scope;
  return scope && typeof scope === 'object' && 'uri' in scope ? scope.uri.fsPath : null;
}
