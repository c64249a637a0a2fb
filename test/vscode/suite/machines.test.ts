// The Machines view in a real VS Code: a real agent serving /metrics and a real Prometheus
// (Debian's) scraping it, both started here on 127.0.0.1 with their own folders and ended by PID.
// A Prometheus URL in the workspace's settings is ignored; in the user's, the view lists the
// machine, and "Show Machine History" fills the panel from Prometheus, not from the local agent.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import type { DataParams } from '../../../shared/webviewProtocol';
import { freePort } from '../../harness/codeServer';
import { endByPid } from '../../integration/agentHarness';
import { api, EXTENSION_ID, waitFor } from './helpers';

const SETTING = 'processTracker.fleet.prometheusUrl';
const INSTANCE = 'vscode-test-box';

describe('Machines view (Prometheus) in a real VS Code', () => {
  let pt: ProcessTrackerApi;
  let dir = '';
  let agent: ChildProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';

  before(async function () {
    this.timeout(120_000);
    pt = await api();
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-vscode-machines-'));
    const script = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'agent.js');
    const metricsPort = await freePort();
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_RUNTIME_DIR: dir };
    agent = spawn(
      process.execPath,
      [
        script,
        'run',
        '--quiet',
        '--data-dir',
        path.join(dir, 'data'),
        '--interval',
        '500ms',
        '--metrics',
        `127.0.0.1:${metricsPort}`,
      ],
      { env, stdio: 'ignore' },
    );
    mkdirSync(path.join(dir, 'prom'));
    const config = path.join(dir, 'prom', 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        '  - job_name: process-tracker',
        `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'], labels: { instance: ${INSTANCE} } }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'prom', 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
  });

  after(async function () {
    this.timeout(60_000);
    await vscode.workspace.getConfiguration().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    pt?.history.close();
    await endByPid(prometheus, 'SIGTERM');
    await endByPid(agent, 'SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes the URL from user or machine settings only: machine scope, restricted when untrusted', () => {
    // VS Code itself refuses a machine-scoped setting in a workspace's settings (it can be written
    // only into user settings), and the view reads inspect().globalValue besides.
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(manifest.contributes.configuration.properties[SETTING]?.scope, 'machine');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(SETTING));
  });

  it('without a URL: one row saying where to set it', async () => {
    const rows = await pt.machines.refresh();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0]!.label, /Prometheus URL/);
  });

  it('lists the machine from the user setting and opens its history from Prometheus', async function () {
    this.timeout(150_000);
    await vscode.workspace.getConfiguration().update(SETTING, promUrl, vscode.ConfigurationTarget.Global);
    const row = await waitFor(
      'the machine in the view with its CPU',
      async () =>
        (await pt.machines.refresh()).find((r) => r.label === INSTANCE && /^CPU \d+%/.test(r.description)),
      90_000,
    );
    assert.match(row.description, /^CPU \d+% · Mem \S+ \S+\/\S+ \S+$/);
    const agentRequestsBefore = pt.history.snapshot().agentRequests.length;
    await pt.machines.open(INSTANCE);
    // The first answer may come before Prometheus holds two scrapes inside the range's last
    // step: wait for one that has machine CPU points, and say what came if none does.
    // The panel answers once per opening, so an answer without points is followed by opening the
    // machine again (a user would), every 5 s.
    let last: DataParams | undefined;
    let openedAt = Date.now();
    const data = await waitFor(
      'the panel to get machine CPU points from Prometheus',
      async () => {
        last = pt.history.snapshot().lastPosted['history/data'] as DataParams | undefined;
        const cpu = last?.overview.find((s) => s.metric === 'machineCpu');
        if (last?.resolution.tier === 'prometheus' && cpu?.points.some((p) => p.value !== null)) return last;
        if (Date.now() - openedAt > 5000) {
          openedAt = Date.now();
          await pt.machines.open(INSTANCE);
        }
        return undefined;
      },
      60_000,
    ).catch((error: Error) => {
      const range = last ? `${new Date(last.from).toISOString()}–${new Date(last.to).toISOString()}` : 'none';
      throw new Error(`${error.message}; last answer ${last?.resolution.tier} ${range}`);
    });
    assert.ok(data.top.length > 0, 'top names from Prometheus');
    const requests = pt.history
      .snapshot()
      .agentRequests.slice(agentRequestsBefore)
      .map((r) => r.method);
    assert.ok(
      !requests.some((m) => /dataset|history|stats|warm/i.test(m)),
      `the local agent was asked: ${requests}`,
    );
  });
});
