// This Window beyond terminals: a task started with vscode.tasks.executeTask and a debug session
// started with vscode.debug.startDebugging (code-server's built-in js-debug) each show up under an
// owner row named after them, with their processes beneath and family totals, and disappear when
// they end. Reveal Owner brings the task's terminal forward and the Run and Debug view.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi, RowSnapshot } from '../../../extension/api';
import { alive, api, flatten, stopTestAgent, waitFor } from './helpers';

/** The command line of a live process, NULs as spaces ('' once it is gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The family count the owner row's description states ("… · 3 processes"). */
function familyCount(row: RowSnapshot): number {
  const match = /(\d+) processes?/.exec(row.description);
  assert.ok(match, `no family totals in the owner row's description "${row.description}"`);
  return Number(match[1]);
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The first task process start this window reports for `execution`. */
function taskProcessStart(name: string): Promise<{ execution: vscode.TaskExecution; pid: number }> {
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidStartTaskProcess((event) => {
      if (event.execution.task.name !== name) return;
      listener.dispose();
      resolve({ execution: event.execution, pid: event.processId });
    });
  });
}

function taskProcessEnd(execution: vscode.TaskExecution): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution !== execution) return;
      listener.dispose();
      resolve();
    });
  });
}

describe('This Window: tasks and debug sessions', () => {
  let pt: ProcessTrackerApi;
  let tmp: string;
  // Every pid the tests saw in a family they started, killed by pid at the end should one outlive its owner.
  const seen = new Set<number>();

  before(async function () {
    this.timeout(90_000);
    pt = await api();
    // Earlier suites stop their agent on purpose.
    if (pt.agentState() !== 'connected') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pt-this-window-'));
  });

  after(async function () {
    this.timeout(30_000);
    for (const pid of seen) killIfAlive(pid);
    rmSync(tmp, { recursive: true, force: true });
    await stopTestAgent(pt);
  });

  /**
   * Waits for This Window to show an owner row for `pid` with a process beneath it for each command
   * line fragment in `beneath` (a tick can catch a child between fork and exec, still named node).
   */
  async function ownerRow(pid: number, what: string, beneath: string[] = []): Promise<RowSnapshot> {
    return waitFor(
      `This Window's row for ${what} (pid ${pid}) with ${JSON.stringify(beneath)} beneath it`,
      async () => {
        const row = (await pt.thisWindow.refresh()).find((r) => r.pid === pid);
        const lines = row ? flatten(row.children).map((child) => commandLine(child.pid!)) : [];
        return row && beneath.every((part) => lines.some((line) => line.includes(part))) ? row : undefined;
      },
      60_000,
    );
  }

  async function gone(key: string, pid: number, what: string): Promise<void> {
    await waitFor(
      `${what} to leave This Window`,
      async () => {
        const rows = await pt.thisWindow.refresh();
        return !rows.some((r) => r.pid === pid || r.id.startsWith(`w:${key}`)) || undefined;
      },
      60_000,
    );
  }

  it('a shell task: owner row named after the task, its shell and both sleeps beneath, family totals; gone when it ends', async function () {
    this.timeout(150_000);
    const name = `pt-shell-task-${process.pid}`;
    const markers = [`600.${Math.floor(Math.random() * 1e6)}1`, `600.${Math.floor(Math.random() * 1e6)}2`];
    const task = new vscode.Task(
      { type: 'pt-test' },
      vscode.TaskScope.Workspace,
      name,
      'pt-test',
      // Two background sleeps and a wait: the shell stays, with two children (bash would exec a lone command).
      new vscode.ShellExecution(`sleep ${markers[0]} & sleep ${markers[1]} & wait`, {
        executable: '/bin/bash',
        shellArgs: ['-c'],
      }),
    );
    const started = taskProcessStart(name);
    const execution = await vscode.tasks.executeTask(task);
    const { pid } = await started;
    seen.add(pid);
    try {
      const owner = await ownerRow(
        pid,
        `task ${name}`,
        markers.map((marker) => `sleep ${marker}`),
      );
      for (const child of flatten(owner.children)) if (child.pid) seen.add(child.pid);
      assert.equal(owner.label, `Task "${name}"`);
      assert.equal(owner.contextValue, 'process.owner.task');
      assert.match(commandLine(pid), /bash/, `the owner's process ${pid} is not the task's shell`);
      const sleeps = flatten(owner.children).filter((child) =>
        markers.some((marker) => commandLine(child.pid!).includes(`sleep ${marker}`)),
      );
      assert.equal(
        sleeps.length,
        2,
        `both sleeps beneath the task: ${JSON.stringify(flatten(owner.children).map((c) => [c.pid, commandLine(c.pid!)]))}`,
      );
      assert.ok(
        sleeps.every((s) => s.id.startsWith(`w:task:${pid}`)),
        'child ids are not under the task owner',
      );
      assert.equal(familyCount(owner), 1 + flatten(owner.children).length);
      // Listed once, as the task, not again as the terminal it runs in.
      const rows = await pt.thisWindow.refresh();
      assert.equal(rows.filter((r) => r.pid === pid).length, 1, JSON.stringify(rows.map((r) => r.label)));

      const ended = taskProcessEnd(execution);
      execution.terminate();
      await ended;
      await gone(`task:${pid}`, pid, `task ${name}`);
    } finally {
      execution.terminate();
    }
  });

  it('a process task: a node script and the child it spawns, under the task; gone when it ends', async function () {
    this.timeout(150_000);
    const name = `pt-process-task-${process.pid}`;
    const marker = `600.${Math.floor(Math.random() * 1e6)}3`;
    const script = path.join(tmp, 'task.js');
    writeFileSync(
      script,
      [
        "const { spawn } = require('node:child_process');",
        `const child = spawn('sleep', ['${marker}'], { stdio: 'ignore' });`,
        "for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(signal, () => { child.kill('SIGKILL'); process.exit(0); });",
        'setInterval(() => {}, 60_000);',
      ].join('\n'),
    );
    const task = new vscode.Task(
      { type: 'pt-test' },
      vscode.TaskScope.Workspace,
      name,
      'pt-test',
      new vscode.ProcessExecution(process.execPath, [script]),
    );
    const started = taskProcessStart(name);
    const execution = await vscode.tasks.executeTask(task);
    const { pid } = await started;
    seen.add(pid);
    try {
      const owner = await ownerRow(pid, `task ${name}`, [`sleep ${marker}`]);
      const children = flatten(owner.children);
      for (const child of children) if (child.pid) seen.add(child.pid);
      assert.equal(owner.label, `Task "${name}"`);
      assert.ok(commandLine(pid).includes(script), `the owner's process ${pid} is not the task's node`);
      assert.ok(
        children.some((c) => commandLine(c.pid!).includes(`sleep ${marker}`)),
        `the script's sleep is not beneath the task: ${JSON.stringify(children.map((c) => [c.pid, c.label]))}`,
      );
      assert.equal(familyCount(owner), 1 + children.length);

      const ended = taskProcessEnd(execution);
      execution.terminate();
      await ended;
      await gone(`task:${pid}`, pid, `task ${name}`);
      await waitFor(`the task's node ${pid} to exit`, () => !alive(pid) || undefined);
    } finally {
      execution.terminate();
    }
  });

  it('Reveal Owner on a task row shows the terminal the task runs in', async function () {
    this.timeout(150_000);
    const name = `pt-reveal-task-${process.pid}`;
    const task = new vscode.Task(
      { type: 'pt-test' },
      vscode.TaskScope.Workspace,
      name,
      'pt-test',
      new vscode.ProcessExecution('sleep', [`600.${Math.floor(Math.random() * 1e6)}4`]),
    );
    // Another terminal, opened first and with the task's name in its own, in front: the reveal must
    // change the active terminal, and to the task's one (not the first whose name matches).
    const other = vscode.window.createTerminal({
      name: `${name} (other)`,
      shellPath: 'sleep',
      shellArgs: ['600.6'],
    });
    const started = taskProcessStart(name);
    const execution = await vscode.tasks.executeTask(task);
    const { pid } = await started;
    seen.add(pid);
    try {
      const otherPid = await waitFor('the other terminal pid', () => Promise.resolve(other.processId));
      seen.add(otherPid);
      other.show();
      await waitFor(
        'the other terminal to be active',
        () => vscode.window.activeTerminal === other || undefined,
      );
      const owner = await ownerRow(pid, `task ${name}`);
      assert.equal(owner.contextValue, 'process.owner.task');
      // What the tree hands the command for that row: the node, whose owner is the task.
      await vscode.commands.executeCommand('processTracker.revealOwner', {
        owner: { kind: 'task', execution },
      });
      await waitFor(
        `the task's terminal (pid ${pid}) to be the active one`,
        async () => (await vscode.window.activeTerminal?.processId) === pid || undefined,
        15_000,
      );
    } finally {
      other.dispose();
      execution.terminate();
    }
  });

  it('a node debug session (js-debug): the debuggee under an owner named after the session; Reveal Owner opens Run and Debug; gone when stopped', async function () {
    this.timeout(150_000);
    const jsDebug = vscode.extensions.getExtension('ms-vscode.js-debug');
    assert.ok(jsDebug, 'code-server ships no ms-vscode.js-debug: node debug sessions cannot run here');
    const name = `pt-debug-${process.pid}`;
    const script = path.join(tmp, 'debuggee.js');
    writeFileSync(
      script,
      [
        "const { spawn } = require('node:child_process');",
        "const child = spawn('sleep', ['600.7'], { stdio: 'ignore' });",
        "process.on('exit', () => child.kill('SIGKILL'));",
        "for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(signal, () => process.exit(0));",
        'setInterval(() => {}, 60_000);',
      ].join('\n'),
    );
    const sessions: vscode.DebugSession[] = [];
    const listener = vscode.debug.onDidStartDebugSession((session) => sessions.push(session));
    try {
      const ok = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
        type: 'node',
        request: 'launch',
        name,
        program: script,
        console: 'internalConsole',
      });
      assert.equal(ok, true, 'startDebugging returned false');
      const root = await waitFor('the debug session', () => sessions.find((s) => s.name === name));
      const debuggee = await waitFor(
        'the debuggee in This Window',
        async () =>
          (await pt.thisWindow.refresh()).find(
            (r) =>
              r.contextValue === 'process.owner.debug' &&
              // js-debug passes the program relative to its cwd ("./../../pt-this-window-x/debuggee.js").
              commandLine(r.pid!).includes(path.join(path.basename(tmp), 'debuggee.js')),
          ),
        60_000,
      ).catch(async (error: Error) => {
        // Say what the debugger started, so a failure tells which half (the session or the view) broke.
        const started = sessions.map((s) => ({
          name: s.name,
          type: s.type,
          config: Object.keys(s.configuration),
        }));
        const rows = (await pt.thisWindow.refresh()).map(
          (r) => `${r.label} (${r.pid}) ${commandLine(r.pid!)}`,
        );
        throw new Error(
          `${error.message}\nsessions: ${JSON.stringify(started)}\nrows: ${JSON.stringify(rows)}`,
        );
      });
      seen.add(debuggee.pid!);
      assert.equal(debuggee.label, `Debug "${name}"`);
      const owner = await ownerRow(debuggee.pid!, 'the debuggee', ['sleep 600.7']);
      for (const child of flatten(owner.children)) if (child.pid) seen.add(child.pid);
      assert.ok(
        flatten(owner.children).some((c) => commandLine(c.pid!).includes('sleep 600.7')),
        `the debuggee's sleep is not beneath it: ${JSON.stringify(flatten(owner.children).map((c) => [c.pid, c.label, commandLine(c.pid!)]))}`,
      );
      assert.equal(familyCount(owner), 1 + flatten(owner.children).length);
      const rows = await pt.thisWindow.refresh();
      // js-debug runs the program from the extension host: it shows (and counts) once, as the session.
      const extensionHost = rows.find((r) => r.pid === process.pid);
      assert.ok(extensionHost, 'no Extension host row');
      assert.ok(
        !flatten(extensionHost.children).some((c) => c.pid === debuggee.pid),
        `the debuggee ${debuggee.pid} shows again under the Extension host`,
      );
      assert.equal(
        rows.filter((r) => r.contextValue === 'process.owner.debug').length,
        1,
        `one owner per debugged program: ${JSON.stringify(rows.map((r) => r.label))}`,
      );

      // Reveal Owner: the Run and Debug view replaces the Process Tracker views in the side bar.
      await vscode.commands.executeCommand('processTracker.processes.focus');
      await waitFor('the Processes view to be visible', () => pt.processes.visible() || undefined);
      await vscode.commands.executeCommand('processTracker.revealOwner', {
        owner: { kind: 'debug', session: root },
      });
      await waitFor(
        'the Process Tracker views to give way to Run and Debug',
        () => !pt.processes.visible() || undefined,
      );

      await vscode.debug.stopDebugging(root);
      await gone(`debug:`, debuggee.pid!, 'the debug session');
      await waitFor(`the debuggee ${debuggee.pid} to exit`, () => !alive(debuggee.pid!) || undefined);
    } finally {
      listener.dispose();
      await vscode.debug.stopDebugging();
    }
  });
});
