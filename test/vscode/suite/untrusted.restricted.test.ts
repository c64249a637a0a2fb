// Runs in a window with Workspace Trust on and the folder not trusted (Restricted Mode).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { alive, connectedApi, killStarted, startSleeper, stopTestAgent, waitFor } from './helpers';

describe('Process Tracker in Restricted Mode', () => {
  let pt: ProcessTrackerApi;

  before(async () => {
    pt = await connectedApi();
  });

  after(async () => {
    killStarted();
    if (pt) await stopTestAgent(pt);
  });

  it('runs in an untrusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still shows processes (read-only)', async () => {
    await pt.processes.setFilter(`pid:${process.pid}`);
    const rows = await waitFor('the extension host row', async () => {
      const current = await pt.processes.refresh();
      return current.some((r) => r.pid === process.pid) ? current : undefined;
    });
    assert.equal(rows.length, 1);
  });

  it('kill is unavailable: the command refuses and the process lives', async () => {
    assert.equal(pt.canKill(), false);
    const sleeper = startSleeper();
    await pt.processes.setFilter(`pid:${sleeper.pid}`);
    const row = await waitFor('the sleeper', async () =>
      (await pt.processes.refresh()).find((r) => r.pid === sleeper.pid),
    );
    const before = pt.shownMessages().errors.length;
    pt.scriptAnswers('Kill');
    await vscode.commands.executeCommand('processTracker.kill', {
      pid: sleeper.pid,
      startTime: row.startTime,
      name: 'sleep',
      cmdline: '',
    });
    const errors = pt.shownMessages().errors.slice(before);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0]!, /Restricted Mode/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(alive(sleeper.pid), 'the process was killed in Restricted Mode');
    pt.scriptAnswers(undefined); // the unused answer must not leak into later prompts
    await pt.processes.setFilter('');
  });

  it('hides kill from menus: its enablement needs a trusted workspace', () => {
    const commands = vscode.extensions.getExtension('process-tracker.process-tracker')!.packageJSON
      .contributes.commands as Array<{
      command: string;
      enablement?: string;
    }>;
    for (const id of ['processTracker.kill', 'processTracker.killProcess']) {
      assert.equal(commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    }
  });
});
