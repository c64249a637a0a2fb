// The agent dies under the window (kill -9): the extension's connection brings up a new agent
// without a window reload, and the history recorded before the kill is still there — the tree
// finds a process started before the kill, and today's stats count it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { StatsRequest } from '../../../shared/protocol';
import { alive, api, killStarted, startSleeper, stopTestAgent, waitFor } from './helpers';

describe('Reconnect after the agent is killed', () => {
  let pt: ProcessTrackerApi;

  before(async function () {
    this.timeout(90_000);
    pt = await api();
    if (pt.agentState() === 'stopped') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
  });

  after(async function () {
    this.timeout(30_000);
    killStarted();
    await pt.processes.setFilter('');
    await stopTestAgent(pt);
  });

  it('kill -9 of the agent: a new agent serves this window, with the history from before', async function () {
    this.timeout(150_000);
    const sleeper = startSleeper();
    const pattern = `sleep ${sleeper.marker.replace('.', '\\.')}`;
    await pt.processes.setGrouping('flat');
    await pt.processes.setFilter(pattern);
    const before = await waitFor('the sleeper in the tree before the kill', async () =>
      (await pt.processes.refresh()).find((r) => r.pid === sleeper.pid),
    );
    // Make sure it is in the store, not only in the agent's memory: stats read the store.
    const statsToday = async () => {
      const now = Date.now();
      const midnight = new Date(now).setHours(0, 0, 0, 0);
      const result = await pt.request(StatsRequest.type, {
        from: midnight,
        to: now,
        filter: { pid: sleeper.pid },
        groupBy: 'identity',
      });
      return result.rows.find((r) => r.identity?.startTime === before.startTime && r.activeSeconds > 0);
    };
    const statsBefore = await waitFor("the sleeper in today's stats before the kill", statsToday, 60_000);

    const oldPid = pt.agentPid();
    assert.ok(oldPid && alive(oldPid), 'no running agent to kill');
    process.kill(oldPid, 'SIGKILL');
    await waitFor('the old agent to be gone', () => !alive(oldPid) || undefined, 10_000);

    const newPid = await waitFor(
      'a new agent to serve this window',
      () => {
        const pid = pt.agentState() === 'connected' ? pt.agentPid() : undefined;
        return pid && pid !== oldPid ? pid : undefined;
      },
      90_000,
    );
    assert.ok(alive(newPid));

    const after = await waitFor('the sleeper in the tree after the reconnect', async () =>
      (await pt.processes.refresh()).find((r) => r.pid === sleeper.pid),
    );
    assert.equal(after.startTime, before.startTime, 'the same process identity');
    const stats = await waitFor("the sleeper in today's stats after the reconnect", statsToday, 30_000);
    // The time recorded before the kill is still counted: the new agent reads the old one's history.
    assert.ok(
      stats.activeSeconds >= statsBefore.activeSeconds,
      `active ${stats.activeSeconds} s after the reconnect < ${statsBefore.activeSeconds} s before`,
    );
  });
});
