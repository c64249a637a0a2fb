// Alerts in a real VS Code with the real agent: a rule in the user's alerts file (opened through
// Manage Alert Rules) fires on a CPU burner this test starts → a severity-styled toast with its
// actions, a row in the Alerts view, a webhook on a local HTTP server; the toast's Silence 1 h
// silences it; a broken rule becomes a diagnostic on its line; and a workspace's
// .vscode/settings.json cannot add rules (no webhook, no restart command), while the same rules in
// user settings do reach the agent (so the check can fail).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { ActiveAlertsRequest, AlertRulesStatusRequest } from '../../../shared/protocol';
import { api, waitFor } from './helpers';

interface Received {
  path: string;
  body: string;
}

function startHookServer(): Promise<{ server: http.Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, received }),
    ),
  );
}

function startBurner(marker: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}', marker], { stdio: 'ignore' });
  if (!child.pid) throw new Error('the burner could not be started');
  return child;
}

function killChild(child: ChildProcess | undefined): void {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function replaceDocument(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the rules file could not be edited');
  assert.ok(await document.save(), 'the rules file could not be saved');
}

describe('Alerts in a real VS Code', () => {
  let pt: ProcessTrackerApi;
  let hook: Awaited<ReturnType<typeof startHookServer>>;
  let burner: ChildProcess | undefined;
  let rulesFile = '';
  const id = Math.floor(Math.random() * 1e6);
  const marker = `pt-burner-${id}`;
  const rule = `burner-cpu-${id}`;

  before(async function () {
    this.timeout(90_000);
    pt = await api();
    if (pt.agentState() === 'stopped') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
    hook = await startHookServer();
  });

  after(async function () {
    this.timeout(30_000);
    killChild(burner);
    hook?.server.close();
    // Later suites must not see these rules: empty the file and wait for the agent to drop them.
    if (rulesFile) {
      writeFileSync(rulesFile, 'rules: []\n', { mode: 0o600 });
      await waitFor('the agent to drop the test rules', async () => {
        const status = await pt.request(AlertRulesStatusRequest.type, {});
        return status.rules.length === 0 || undefined;
      }).catch(() => undefined);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Manage Alert Rules creates the rules file (private, with a commented example) and opens it', async () => {
    const status = await pt.request(AlertRulesStatusRequest.type, {});
    rulesFile = status.file;
    assert.ok(rulesFile.includes(os.tmpdir()), `the rules file ${rulesFile} is not the test's`);
    rmSync(rulesFile, { force: true });
    await vscode.commands.executeCommand('processTracker.manageAlertRules');
    assert.ok(existsSync(rulesFile), `${rulesFile} was not created`);
    assert.equal(statSync(rulesFile).mode & 0o777, 0o600);
    const editor = await waitFor('the rules file in the editor', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === rulesFile
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.match(editor.document.getText(), /# rules:\n#\s+- name: node-cpu/);
  });

  it('a rule firing on a CPU burner shows a toast with its actions, lists the alert and delivers the webhook', async function () {
    this.timeout(120_000);
    burner = startBurner(marker);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(rulesFile));
    // The toast's answer: it is the next prompt with actions in this window.
    pt.scriptAnswers('Silence 1 h');
    await replaceDocument(
      document,
      [
        'rules:',
        `  - name: ${rule}`,
        '    metric: cpu',
        `    match: { command: '${marker}' }`,
        '    group_by: process',
        "    operator: '>'",
        '    threshold: 10',
        '    severity: critical',
        '    channels: [local-hook]',
        'channels:',
        '  local-hook:',
        '    type: webhook',
        `    url: http://127.0.0.1:${hook.port}/hook`,
        `    template: '{"text": "{{rule}}: {{process}} at {{value}} ({{status}})"}'`,
        '',
      ].join('\n'),
    );

    const toast = await waitFor(
      'the firing toast',
      () => pt.alerts.toasts().find((t) => t.rule === rule && t.kind === 'firing'),
      60_000,
    );
    assert.equal(toast.level, 'error', 'a critical rule gives an error toast');
    assert.match(toast.message, new RegExp(`^Process Tracker alert: ${rule}: .*\\d+(\\.\\d)?% > 10%`));
    assert.deepEqual(toast.actions, ['Show Process', 'Open History', 'Silence 1 h', 'Kill']);
    assert.ok(pt.shownMessages().errors.includes(toast.message), 'the toast did not go through the Ui layer');

    // The Alerts view lists it, on the burner's process.
    const row = await waitFor('the alert in the Alerts view', async () => {
      await pt.alerts.refresh();
      return pt.alerts.rows().find((r) => r.label === rule);
    });
    assert.equal(row.pid, burner.pid);

    // The toast's Silence 1 h reached the agent.
    const silenced = await waitFor('the alert to be silenced', async () => {
      const { alerts } = await pt.request(ActiveAlertsRequest.type, {});
      return alerts.find((a) => a.rule === rule && a.suppressed === 'silence');
    });
    assert.equal(silenced.state, 'firing');

    const delivered = await waitFor(
      'the webhook',
      () => hook.received.find((r) => r.path === '/hook' && r.body.includes(rule)),
      30_000,
    );
    assert.equal(JSON.parse(delivered.body).text.startsWith(`${rule}: node`), true, delivered.body);
  });

  it("Test Alert Rule sends a test through the rule's channel and reports it", async function () {
    this.timeout(60_000);
    const before = hook.received.length;
    await vscode.commands.executeCommand('processTracker.testAlertRule', rule);
    const report = await waitFor('the test report', () =>
      pt.shownMessages().infos.find((m) => m.startsWith(`Test of "${rule}"`)),
    );
    assert.match(report, /local-hook \(webhook\): delivered \(200\)/);
    assert.ok(
      hook.received.slice(before).some((r) => r.body.includes(rule)),
      'the hook got no test',
    );
    const toast = await waitFor('the test toast', () =>
      pt.alerts.toasts().find((t) => t.rule === rule && t.test),
    );
    assert.match(toast.message, /\[test\]/);
    assert.ok(
      !toast.actions.includes('Kill') && !toast.actions.includes('Silence 1 h'),
      toast.actions.join(),
    );
  });

  it('Alert History lists the firing', async () => {
    await vscode.commands.executeCommand('processTracker.alertHistory');
    const document = await waitFor('the alert history report', () =>
      vscode.workspace.textDocuments.find(
        (d) => d.uri.scheme === 'process-tracker' && d.uri.path.includes('Alert History'),
      ),
    );
    assert.match(document.getText(), new RegExp(`\\| ${rule} \\| 1 \\|`));
  });

  it('Kill from the Alerts view goes through the confirmation, ends the burner, and the alert clears', async function () {
    this.timeout(60_000);
    const { alerts } = await pt.request(ActiveAlertsRequest.type, {});
    const alert = alerts.find((a) => a.rule === rule);
    assert.ok(alert, 'the alert is gone before the kill');
    pt.scriptAnswers('Kill');
    await vscode.commands.executeCommand('processTracker.killAlertProcess', { kind: 'alert', alert });
    const exited = burner!;
    await waitFor('the burner to exit', () => exited.signalCode ?? undefined, 15_000);
    assert.equal(exited.signalCode, 'SIGTERM');
    await waitFor(
      'the alert to leave the Alerts view',
      () => (pt.alerts.rows().some((r) => r.label === rule) ? undefined : true),
      30_000,
    );
    // A resolve notice, when the agent sends one for a silenced alert, is good news: info, nothing to act on.
    for (const resolved of pt.alerts.toasts().filter((t) => t.rule === rule && t.kind === 'resolved')) {
      assert.equal(resolved.level, 'info');
      assert.deepEqual(resolved.actions, ['Show Process', 'Open History']);
    }
  });

  it('Set Alert Secret stores a secret for a ${secret:NAME} channel and hands it to the agent', async function () {
    this.timeout(60_000);
    const name = `pt-test-url-${id}`;
    // Through the editor, where the file is open: a write behind its back would make the next save conflict.
    await replaceDocument(
      await vscode.workspace.openTextDocument(vscode.Uri.file(rulesFile)),
      [
        'rules:',
        `  - name: secret-rule-${id}`,
        '    metric: cpu',
        `    match: { command: 'pt-never-${id}' }`,
        '    threshold: 50',
        '    channels: [secret-hook]',
        'channels:',
        '  secret-hook:',
        '    type: webhook',
        `    url: '\${secret:${name}}'`,
        '',
      ].join('\n'),
    );
    await waitFor('the channel to wait for its secret', async () => {
      const status = await pt.request(AlertRulesStatusRequest.type, {});
      return status.waitingForSecrets.some((w) => w.secrets.includes(name)) || undefined;
    });
    pt.scriptAnswers(name, `http://127.0.0.1:${hook.port}/secret`);
    await vscode.commands.executeCommand('processTracker.setAlertSecret');
    await waitFor('the agent to have the secret', async () => {
      const status = await pt.request(AlertRulesStatusRequest.type, {});
      return status.waitingForSecrets.length === 0 || undefined;
    });
    await vscode.commands.executeCommand('processTracker.testAlertRule', `secret-rule-${id}`);
    await waitFor('the test through the secret URL', () => hook.received.find((r) => r.path === '/secret'));
    pt.scriptAnswers(name);
    await vscode.commands.executeCommand('processTracker.deleteAlertSecret');
    await waitFor('the channel to wait again after the delete', async () => {
      const status = await pt.request(AlertRulesStatusRequest.type, {});
      return status.waitingForSecrets.some((w) => w.secrets.includes(name)) || undefined;
    });
  });

  it('a broken rule becomes a diagnostic on its line in the rules file', async function () {
    this.timeout(60_000);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(rulesFile));
    await replaceDocument(
      document,
      ['rules:', '  - name: broken', '    metric: cpu', '    threshold: lots', ''].join('\n'),
    );
    const diagnostic = await waitFor('the diagnostic', () =>
      pt.alerts.diagnostics().find((d) => d.severity === 'error'),
    );
    assert.equal(diagnostic.line, 4);
    assert.match(diagnostic.message, /rules\[0\]\.threshold: expected a number/);
  });
});

describe('Alert rules from a workspace settings file are ignored', () => {
  let pt: ProcessTrackerApi;
  let hook: Awaited<ReturnType<typeof startHookServer>>;
  let settingsDir = '';
  const id = Math.floor(Math.random() * 1e6);
  const restartMarker = path.join(os.tmpdir(), `pt-restart-${id}`);
  const rules = [
    {
      name: `ws-everything-${id}`,
      metric: 'cpu',
      operator: '>=',
      threshold: 0,
      severity: 'critical',
      channels: ['local-hook'],
    },
    {
      name: `ws-restart-${id}`,
      metric: 'absent',
      match: { name: `^pt-no-such-process-${id}$` },
      channels: ['local-hook'],
      action: { restart: ['touch', restartMarker] },
    },
  ];
  const names = rules.map((r) => r.name);

  before(async function () {
    this.timeout(90_000);
    pt = await api();
    if (pt.agentState() === 'stopped') await vscode.commands.executeCommand('processTracker.restartAgent');
    await pt.whenConnected(60_000);
    hook = await startHookServer();
    // The user's file defines the channel the workspace's rules name.
    const status = await pt.request(AlertRulesStatusRequest.type, {});
    mkdirSync(path.dirname(status.file), { recursive: true });
    writeFileSync(
      status.file,
      `rules: []\nchannels:\n  local-hook:\n    type: webhook\n    url: http://127.0.0.1:${hook.port}/hook\n`,
      { mode: 0o600 },
    );
    await waitFor(
      'the agent to read the channel',
      async () =>
        (await pt.request(AlertRulesStatusRequest.type, {})).channels.includes('local-hook') || undefined,
    );
  });

  after(async function () {
    this.timeout(30_000);
    await vscode.workspace
      .getConfiguration('processTracker')
      .update('alerts.rules', undefined, vscode.ConfigurationTarget.Global);
    if (settingsDir) rmSync(settingsDir, { recursive: true, force: true });
    const status = await pt.request(AlertRulesStatusRequest.type, {});
    writeFileSync(status.file, 'rules: []\n', { mode: 0o600 });
    await waitFor(
      'the rules to be gone',
      async () => (await pt.request(AlertRulesStatusRequest.type, {})).rules.length === 0 || undefined,
    ).catch(() => undefined);
    hook?.server.close();
    rmSync(restartMarker, { force: true });
  });

  it('a webhook channel and a restart command in .vscode/settings.json never reach the agent', async function () {
    this.timeout(90_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    settingsDir = path.join(folder, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(
      path.join(settingsDir, 'settings.json'),
      JSON.stringify({ 'processTracker.alerts.rules': rules, 'ptTest.marker': id }, null, 2),
    );
    // VS Code drops a machine-scoped setting's workspace value when it reads the file, so a
    // harmless key beside it says when the file has been read.
    await waitFor(
      'VS Code to read the workspace settings',
      () => vscode.workspace.getConfiguration('ptTest').get('marker') === id || undefined,
    );
    // Absence needs time to show: a few of the agent's 2 s ticks, in which a rule at threshold 0
    // would have fired and the restart would have run.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const status = await pt.request(AlertRulesStatusRequest.type, {});
    assert.deepEqual(
      status.rules.filter((r) => names.includes(r.name)),
      [],
      'a workspace rule reached the agent',
    );
    assert.ok(
      !(pt.alerts.lastSentSettingsRules() ?? []).some((r) => JSON.stringify(r).includes(`-${id}`)),
      'the extension sent a workspace value',
    );
    assert.deepEqual(
      hook.received.filter((r) => names.some((n) => r.body.includes(n))),
      [],
      'the hook received a workspace rule',
    );
    assert.ok(!pt.alerts.toasts().some((t) => names.includes(t.rule)), 'a workspace rule toasted');
    assert.equal(existsSync(restartMarker), false, 'the restart command ran');
  });

  it('the same rules in user settings do reach the agent (without their restart action)', async function () {
    this.timeout(90_000);
    await vscode.workspace
      .getConfiguration('processTracker')
      .update('alerts.rules', rules, vscode.ConfigurationTarget.Global);
    const status = await waitFor('the user rules in the agent', async () => {
      const current = await pt.request(AlertRulesStatusRequest.type, {});
      return names.every((n) => current.rules.some((r) => r.name === n)) ? current : undefined;
    });
    assert.equal(status.rules.find((r) => r.name === names[1])!.hasAction, false);
    assert.ok(
      status.problems.some((p) => p.where === 'settings' && /action/.test(p.text)),
      JSON.stringify(status.problems),
    );
    await waitFor(
      'the user rule to notify the hook',
      () => hook.received.find((r) => r.body.includes(names[0]!)),
      45_000,
    );
    assert.equal(existsSync(restartMarker), false, 'a restart command from settings ran');
  });
});
