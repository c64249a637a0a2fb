// Runs in a real VS Code (code-server) with the real agent: a task run and a command in a
// shell-integrated terminal each become a run in the agent — their exit codes as VS Code reported
// them and the peak memory of their process subtree — and a row in the Runs view. The process holds
// its memory until the agent has seen it (a flag file), then exits with a code of its own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import type { RunListing } from '../../../shared/model';
import { RunsRequest } from '../../../shared/protocol';
import { api, stopTestAgent, waitFor } from './helpers';

const MB = 1024 * 1024;

// node holder.js MB FLAG CODE: MB MiB resident and a second of CPU, until FLAG exists; exit CODE.
const HOLDER = `
const [mb, flag, code] = process.argv.slice(2);
const b = Buffer.alloc(Number(mb) * 1024 * 1024, 1);
while (process.cpuUsage().user < 1e6) {}
setInterval(() => { b[0]++; if (require('node:fs').existsSync(flag)) process.exit(Number(code)); }, 100);
`;

describe('Runs: task runs and terminal commands', () => {
  let pt: ProcessTrackerApi;
  let tmp: string;
  let holder: string;
  const terminals: vscode.Terminal[] = [];

  before(async function () {
    this.timeout(90_000);
    pt = await api();
    // Earlier suites stop their agent on purpose.
    if (pt.agentState() !== 'connected') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pt-runs-'));
    holder = path.join(tmp, 'holder.js');
    writeFileSync(holder, HOLDER);
  });

  after(async function () {
    this.timeout(30_000);
    for (const terminal of terminals) terminal.dispose();
    // Any holder still running sees its flag and exits.
    for (const name of ['task', 'terminal']) writeFileSync(path.join(tmp, `${name}.flag`), '');
    await stopTestAgent(pt);
    rmSync(tmp, { recursive: true, force: true });
  });

  const runOf = async (marker: string): Promise<RunListing | undefined> =>
    (await pt.request(RunsRequest.type, { n: 200 })).runs.find((r) => r.command.includes(marker));

  /** Waits until the agent has seen the run's subtree hold `mb` MiB, then lets it exit. */
  async function holdThenRelease(marker: string, mb: number, flag: string): Promise<void> {
    await waitFor(
      `the agent to see ${marker}'s run hold ${mb} MiB`,
      async () => ((await runOf(marker))?.peakRss ?? 0) >= mb * MB * 0.8 || undefined,
      90_000,
    );
    writeFileSync(flag, '');
  }

  async function ended(marker: string): Promise<RunListing> {
    return waitFor(
      `${marker}'s run to end`,
      async () => {
        const run = await runOf(marker);
        return run?.end !== null ? run : undefined;
      },
      60_000,
    );
  }

  it('a task run: its exit code and peak memory, and a row in the Runs view', async function () {
    this.timeout(180_000);
    const marker = `pt-run-task-${process.pid}`;
    const flag = path.join(tmp, 'task.flag');
    const task = new vscode.Task(
      { type: 'pt-test' },
      vscode.TaskScope.Workspace,
      marker,
      'pt-test',
      new vscode.ShellExecution(`'${process.execPath}' '${holder}' 160 '${flag}' 4 # ${marker}`, {
        executable: '/bin/bash',
        shellArgs: ['-c'],
      }),
    );
    await vscode.tasks.executeTask(task);
    await holdThenRelease(marker, 160, flag);
    const run = await ended(marker);
    assert.equal(run.source, 'task');
    assert.equal(run.exitCode, 4);
    assert.ok(run.peakRss! >= 128 * MB, `peak ${run.peakRss}`);
    assert.ok(run.cpuSeconds! > 0, `cpu ${run.cpuSeconds}`);
    // The view lists the run while it runs too: wait for its ended line.
    const line = await waitFor(
      'the Runs view to list the task run, ended',
      () => pt.runLines().find((l) => l.includes(marker) && l.endsWith('exit 4')),
      30_000,
    );
    assert.match(line, /· peak \d+(\.\d)? MiB ·/);
  });

  it('a command in a shell-integrated terminal: its exit code and peak memory', async function () {
    this.timeout(180_000);
    const marker = `pt-run-term-${process.pid}`;
    const flag = path.join(tmp, 'terminal.flag');
    const terminal = vscode.window.createTerminal({ name: marker, shellPath: '/bin/bash' });
    terminals.push(terminal);
    const integration = await waitFor(
      "VS Code's shell integration in a bash terminal",
      () => terminal.shellIntegration,
      60_000,
    );
    integration.executeCommand(`'${process.execPath}' '${holder}' 96 '${flag}' 5 # ${marker}`);
    await holdThenRelease(marker, 96, flag);
    const run = await ended(marker);
    assert.equal(run.source, 'terminal');
    assert.equal(run.exitCode, 5);
    assert.ok(run.peakRss! >= 80 * MB, `peak ${run.peakRss}`);
    assert.ok(run.peakRss! < 200 * MB, `peak ${run.peakRss}: more than the command (the shell counted?)`);
    await waitFor(
      'the Runs view to list the terminal command',
      () => pt.runLines().find((l) => l.includes(marker) && l.endsWith('exit 5')),
      30_000,
    );
  });
});
