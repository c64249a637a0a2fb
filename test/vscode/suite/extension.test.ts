import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { AgentStatusRequest } from '../../../shared/protocol';
import {
  alive,
  api,
  connectedApi,
  EXTENSION_ID,
  flatten,
  killStarted,
  startSleeper,
  stopTestAgent,
  waitFor,
} from './helpers';

describe('Process Tracker in a real VS Code', () => {
  let pt: ProcessTrackerApi;

  before(async () => {
    pt = await connectedApi();
    // The Processes view visible, as a user would have it.
    await vscode.commands.executeCommand('processTracker.processes.focus');
  });

  after(async () => {
    killStarted();
    if (pt) await stopTestAgent(pt);
  });

  it('activates and returns its API', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    assert.equal(typeof (await api()).statusBarText, 'function');
    assert.ok(pt.activationMs >= 0);
  });

  it('registers every command in package.json, and no other processTracker command', async () => {
    const declared = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as Array<{
        command: string;
      }>
    )
      .map((c) => c.command)
      .sort();
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => /^processTracker\.[^.]+$/.test(id) && !id.endsWith('.focus'))
      .sort();
    const missing = declared.filter((id) => !registered.includes(id));
    const undeclared = registered.filter((id) => !declared.includes(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
    assert.deepEqual(undeclared, [], `registered but not declared: ${undeclared.join(', ')}`);
  });

  it('connects to an isolated agent, not the real user one', () => {
    assert.equal(pt.agentState(), 'connected');
    assert.ok(pt.agentPid(), 'no agent pid');
    assert.match(pt.dataDir(), /pt-code-server-|pt-vscode/, `data dir ${pt.dataDir()} is not the test's`);
  });

  it('shows machine CPU and memory in the status bar once ticks arrive', async function () {
    this.timeout(60_000);
    const text = await waitFor(
      'status bar CPU and memory',
      () => {
        const current = pt.statusBarText();
        if (/CPU \d+% · Mem \d+(\.\d)?\/\d+(\.\d)? GiB/.test(current)) return current;
        throw new Error(`the status bar says "${current}"`);
      },
      45_000,
    );
    assert.match(text, /^\$\(pulse\) CPU/);
  });

  it("the Processes tree's rows come from the agent and include a process this test started", async () => {
    const sleeper = startSleeper();
    await pt.processes.setGrouping('flat');
    await pt.processes.setFilter(`sleep ${sleeper.marker.replace('.', '\\.')}`);
    const row = await waitFor('the sleeper in the Processes view', async () =>
      (await pt.processes.refresh()).find((r) => r.pid === sleeper.pid),
    );
    assert.equal(row.label, 'sleep');
    assert.match(row.description, /^(–|[\d.]+%) · .+ · /);
    assert.equal(row.id, `p:${row.pid}:${row.startTime}`);
  });

  it('grouping and filter change the children', async () => {
    await pt.processes.setFilter('');
    await pt.processes.setGrouping('category');
    const categories = await pt.processes.refresh();
    assert.ok(
      categories.length > 0 && categories.every((r) => r.id.startsWith('cat:')),
      JSON.stringify(categories.map((r) => r.id)),
    );
    assert.ok(categories.some((group) => group.children.length > 0));

    await pt.processes.setGrouping('tree');
    const roots = await pt.processes.refresh();
    assert.ok(roots.every((r) => r.id.startsWith('t:')));
    assert.ok(flatten(roots).length > roots.length, 'the process tree has no children');
    assert.match(roots.find((r) => r.children.length)!.description, /Σ .* processes/);

    await pt.processes.setGrouping('flat');
    await pt.processes.setFilter(`pid:${process.pid}`);
    const one = await pt.processes.refresh();
    assert.deepEqual(
      one.map((r) => r.pid),
      [process.pid],
    );

    await pt.processes.setFilter('no-such-process-name-[0-9]{40}');
    const none = await pt.processes.refresh();
    assert.equal(none.length, 1);
    assert.equal(none[0]!.contextValue, 'message');

    await assert.rejects(pt.processes.setFilter('(['), /not a valid regular expression/);
    await pt.processes.setFilter('');
  });

  it('kill refuses a changed identity, and kills the real one after confirmation', async () => {
    const sleeper = startSleeper();
    await pt.processes.setFilter(`pid:${sleeper.pid}`);
    const row = await waitFor('the sleeper', async () =>
      (await pt.processes.refresh()).find((r) => r.pid === sleeper.pid),
    );
    const before = pt.shownMessages().errors.length;

    pt.scriptAnswers('Kill');
    await vscode.commands.executeCommand('processTracker.kill', {
      pid: sleeper.pid,
      startTime: row.startTime! - 5000,
      name: 'sleep',
      cmdline: `sleep ${sleeper.marker}`,
    });
    const errors = pt.shownMessages().errors.slice(before);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0]!, /different process/);
    assert.ok(alive(sleeper.pid), 'the process was killed despite the changed identity');

    pt.scriptAnswers('Kill');
    await vscode.commands.executeCommand('processTracker.kill', {
      pid: sleeper.pid,
      startTime: row.startTime,
      name: 'sleep',
      cmdline: '',
    });
    await waitFor(
      'the sleeper to exit',
      () => sleeper.child.exitCode !== null || sleeper.child.signalCode !== null || undefined,
      10_000,
    );
    assert.equal(sleeper.child.signalCode, 'SIGTERM');
    await pt.processes.setFilter('');
  });

  it('Find Process with a broken regex shows an error message', async () => {
    const before = pt.shownMessages().errors.length;
    pt.scriptAnswers('([');
    await vscode.commands.executeCommand('processTracker.findProcess');
    const errors = pt.shownMessages().errors.slice(before);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0]!, /not a valid regular expression/);
  });

  it('Find Process by PID reveals that process in the Processes view', async () => {
    const sleeper = startSleeper();
    await waitFor('the sleeper in the agent', async () => {
      await pt.processes.setFilter(`pid:${sleeper.pid}`);
      return (await pt.processes.refresh()).some((r) => r.pid === sleeper.pid) || undefined;
    });
    await pt.processes.setFilter('');
    pt.scriptAnswers(String(sleeper.pid));
    await vscode.commands.executeCommand('processTracker.findProcess');
    assert.deepEqual(
      pt.processes.selection().map((r) => r.pid),
      [sleeper.pid],
      'the found process is not the selected row',
    );
    await pt.processes.setFilter('');
  });

  it('This Window groups the extension host and a terminal under their owners', async () => {
    const terminal = vscode.window.createTerminal({
      name: 'pt-test',
      shellPath: 'sleep',
      shellArgs: ['600.5'],
    });
    try {
      const pid = await waitFor('the terminal pid', () => Promise.resolve(terminal.processId));
      const rows = await waitFor('This Window rows', async () => {
        const current = await pt.thisWindow.refresh();
        return current.some((r) => r.pid === pid) && current.some((r) => r.pid === process.pid)
          ? current
          : undefined;
      });
      const owner = rows.find((r) => r.pid === pid)!;
      assert.match(owner.label, /Terminal \d+: pt-test/);
      assert.equal(owner.contextValue, 'process.owner.terminal');
      assert.match(rows.find((r) => r.pid === process.pid)!.label, /Extension host/);
    } finally {
      terminal.dispose();
    }
  });

  it('kill is available in a trusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(pt.canKill(), true);
  });
});

describe('Process Tracker cost in the extension host', () => {
  it('measures activation and extension-host CPU with the Processes view visible and hidden (~600 processes)', async function () {
    this.timeout(180_000);
    const pt = await api();
    // The suite above stopped its agent on purpose: start one again, and stop it after.
    if (pt.agentState() !== 'connected') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
    after(() => stopTestAgent(pt));
    // About 600 processes, as in the budget: 500 sleepers on top of what runs here.
    const extra = 500;
    for (let i = 0; i < extra; i++) startSleeper();
    const measure = async (ms: number) => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      const used = process.cpuUsage(cpu);
      return ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100;
    };
    const round = (value: number) => Math.round(value * 100) / 100;
    await pt.processes.setGrouping('flat');
    await pt.processes.setFilter('');
    await vscode.commands.executeCommand('processTracker.processes.focus');
    await waitFor('the Processes view to be visible', () => pt.processes.visible() || undefined);
    const processCount = await waitFor('a tick counting the sleepers', async () => {
      const status = await pt.request(AgentStatusRequest.type, {});
      return (status.processCount ?? 0) >= extra ? status.processCount : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const visible = await measure(20_000);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the Processes view to be hidden', () => !pt.processes.visible() || undefined);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const hidden = await measure(20_000);
    // Baseline: the same extension host with this extension idle (no agent connection, no ticks),
    // since the host also runs other extensions and VS Code's own work.
    await stopTestAgent(pt);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const baseline = await measure(20_000);
    killStarted();
    const figures = {
      activationMs: Math.round(pt.activationMs * 10) / 10,
      processCount,
      extensionHostCpuPercentViewVisible: round(visible),
      extensionHostCpuPercentViewHidden: round(hidden),
      extensionHostCpuPercentBaselineDisconnected: round(baseline),
      ourCpuPercentViewVisible: round(visible - baseline),
      ourCpuPercentViewHidden: round(hidden - baseline),
      extraSleepers: extra,
      note: 'whole extension host, percent of one core, 20 s per phase, 2 s ticks; ours = phase - baseline (agent disconnected)',
    };
    const out = path.join(
      vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath,
      'test',
      '.tmp',
      'vscode-perf.json',
    );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`extension-host cost: ${JSON.stringify(figures)}`);
    assert.ok(Number.isFinite(visible) && Number.isFinite(hidden) && Number.isFinite(baseline));
  });
});
