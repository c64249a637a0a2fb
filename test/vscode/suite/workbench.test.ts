// The workbench surfaces as a person reads them (issue 18, points 7–9): the status bar's text,
// tooltip and accessible label agree; the palette's titles, menus and reports say what they are.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { AlertRulesStatusRequest } from '../../../shared/protocol';
import {
  connectedApi,
  EXTENSION_ID,
  flatten,
  killStarted,
  startSleeper,
  stopTestAgent,
  waitFor,
} from './helpers';

/** The parent pid /proc gives (undefined once the process is gone). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The open tabs, as (kind, label, uri or view type). */
function tabs(): { kind: string; label: string; target: string }[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.map((tab) => {
      const input = tab.input;
      if (input instanceof vscode.TabInputText)
        return { kind: 'text', label: tab.label, target: input.uri.toString() };
      if (input instanceof vscode.TabInputWebview)
        return { kind: 'webview', label: tab.label, target: input.viewType };
      return { kind: 'other', label: tab.label, target: '' };
    }),
  );
}

describe('the workbench surfaces, as a person reads them', () => {
  let pt: ProcessTrackerApi;

  before(async function () {
    // The suite before this one stops its agent on purpose: a new one starts here.
    this.timeout(90_000);
    pt = await connectedApi();
  });

  after(async () => {
    killStarted();
    if (pt) await stopTestAgent(pt);
  });

  it("the status bar's text, tooltip and accessible label show the same sample", async function () {
    this.timeout(90_000);
    // Several ticks in a row: the tooltip must never lag the text (it used to be re-read on its own timer).
    let checked = 0;
    await waitFor(
      'five ticks whose status bar text and tooltip agree',
      () => {
        const { text, tooltip, accessibilityLabel } = pt.statusBar();
        const figures = /CPU (\d+|–)%? · Mem ([\d.]+)\/([\d.]+ GiB)/.exec(text);
        if (!figures || !tooltip.includes('Top by CPU')) throw new Error(`not ready: "${text}"`);
        const [, cpu, used, total] = figures;
        const machineLine = tooltip.split('\n')[0]!;
        assert.ok(
          machineLine.includes(`Machine CPU ${cpu}%`) && machineLine.includes(`Memory ${used} of ${total}`),
          `the text says "${text}" but the tooltip says "${machineLine}"`,
        );
        // A sentence for a screen reader: no icon syntax, no markdown, the same figures.
        assert.doesNotMatch(accessibilityLabel, /\$\(|\*\*|\|/, accessibilityLabel);
        assert.match(accessibilityLabel, new RegExp(`CPU ${cpu} percent, memory ${used} of ${total} used`));
        checked++;
        return checked >= 5 ? true : undefined;
      },
      75_000,
    );
  });

  it('every command in the palette says what it acts on (no bare "CPU", "Name", "None (Flat List)")', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: {
        commands: { command: string; title: string }[];
        menus: { commandPalette?: { command: string; when?: string }[] };
      };
    };
    const nls = JSON.parse(
      readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8'),
    ) as Record<string, string>;
    const hidden = new Set(
      (manifest.contributes.menus.commandPalette ?? [])
        .filter((m) => m.when === 'false')
        .map((m) => m.command),
    );
    const bare = manifest.contributes.commands
      .filter((c) => !hidden.has(c.command))
      .map((c) => ({ command: c.command, title: nls[c.title.replace(/^%|%$/g, '')] ?? c.title }))
      // One word (or a word and a parenthesis) reads as nothing after "Process Tracker: ".
      .filter(
        ({ title }) =>
          title
            .replace(/\(.*\)|…/g, '')
            .trim()
            .split(/\s+/).length < 2 || /^None\b/.test(title),
      );
    assert.deepEqual(bare, [], 'palette titles without context');
  });

  it('a kill is confirmed afterwards in a notification', async function () {
    this.timeout(60_000);
    const sleeper = startSleeper();
    await pt.processes.setGrouping('flat');
    await pt.processes.setFilter(`pid:${sleeper.pid}`);
    const row = await waitFor('the sleeper in the agent', async () => {
      const rows = (await pt.processes.refresh()).flatMap(function all(r): (typeof r)[] {
        return [r, ...r.children.flatMap(all)];
      });
      return rows.find((r) => r.pid === sleeper.pid);
    });
    const before = pt.shownMessages().infos.length;
    pt.scriptAnswers('Kill');
    await vscode.commands.executeCommand('processTracker.kill', {
      pid: sleeper.pid,
      startTime: row.startTime,
      name: 'sleep',
      cmdline: '',
    });
    const infos = await waitFor('the confirmation', () => {
      const shown = pt.shownMessages().infos.slice(before);
      return shown.length ? shown : undefined;
    });
    assert.match(infos.join('\n'), new RegExp(`sleep \\(PID ${sleeper.pid}\\) ended`));
    await pt.processes.setFilter('');
  });

  it('kernel threads are hidden by default, and the toggle shows them', async function () {
    this.timeout(90_000);
    // kthreadd's children, as /proc says (Linux); none elsewhere, and then there is nothing to hide.
    const kernel = (pid: number) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return pid === 2 || ppid === 2;
      } catch {
        return false;
      }
    };
    const kernelRows = async () => (await pt.processes.refresh()).filter((r) => r.pid && kernel(r.pid));
    await pt.processes.setGrouping('flat');
    await pt.processes.setSort('name');
    await pt.processes.setFilter('');
    const hidden = await kernelRows();
    assert.deepEqual(
      hidden.map((r) => r.label),
      [],
      'kernel threads in the Processes view by default',
    );
    if (!kernel(2)) return; // not Linux, or no kthreadd visible: no kernel threads to show
    await vscode.commands.executeCommand('processTracker.toggleKernelThreads');
    try {
      await waitFor('kernel threads after the toggle', async () =>
        (await kernelRows()).length ? true : undefined,
      );
    } finally {
      await vscode.commands.executeCommand('processTracker.toggleKernelThreads');
      await pt.processes.setSort('cpu');
    }
  });

  it('rule diagnostics follow unsaved edits and reverts, not only saves', async function () {
    this.timeout(120_000);
    const { file } = await pt.request(AlertRulesStatusRequest.type, {});
    // Saved broken (written as a person's earlier save would have): the agent's verdict is on line 4.
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      ['rules:', '  - name: broken', '    metric: cpu', '    threshold: lots', ''].join('\n'),
      {
        mode: 0o600,
      },
    );
    await waitFor("the saved file's diagnostic", async () => {
      // Opens the file and shows the agent's verdict on it (once the agent has re-read it).
      await vscode.commands.executeCommand('processTracker.manageAlertRules');
      return pt.alerts.diagnostics().find((d) => /threshold: expected a number/.test(d.message));
    });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    // Fixed in the editor, not saved: the diagnostic goes.
    const fix = new vscode.WorkspaceEdit();
    fix.replace(document.uri, new vscode.Range(3, 0, 4, 0), '    threshold: 90\n');
    assert.ok(await vscode.workspace.applyEdit(fix));
    await waitFor('the diagnostic to go while the fix is unsaved', () =>
      pt.alerts.diagnostics().length === 0 ? true : undefined,
    );
    // An indentation slip, unsaved: one diagnostic naming the line.
    const slip = new vscode.WorkspaceEdit();
    slip.replace(document.uri, new vscode.Range(3, 0, 4, 0), '   threshold: 90\n    for: 30s\n');
    assert.ok(await vscode.workspace.applyEdit(slip));
    const shown = await waitFor('one diagnostic for the slip', () => {
      const list = pt.alerts.diagnostics();
      return list.length ? list : undefined;
    });
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0]!.line, 4);
    assert.match(shown[0]!.message, /indent/);
    // Reverted to the saved (broken) file: the agent's verdict on it is back, on its line.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const reverted = await waitFor("the saved file's diagnostic after the revert", () =>
      pt.alerts.diagnostics().find((d) => /threshold: expected a number/.test(d.message)),
    );
    assert.equal(reverted.line, 4);
    assert.equal(pt.alerts.diagnostics().length, 1, JSON.stringify(pt.alerts.diagnostics()));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  it("This Window names the extension host's children by role (language server, agent), not node, node", async function () {
    this.timeout(120_000);
    // A JSON document starts VS Code's JSON language server: a node child of this extension host.
    const json = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "a": 1 }\n' });
    await vscode.window.showTextDocument(json);
    const rows = await waitFor(
      "the JSON language server under This Window's extension host",
      async () => {
        const host = (await pt.thisWindow.refresh()).find((r) => r.pid === process.pid);
        const all = host ? flatten(host.children) : [];
        return all.some((r) => r.label === 'JSON language server') ? all : undefined;
      },
      90_000,
    );
    const server = rows.find((r) => r.label === 'JSON language server')!;
    assert.equal(parentOf(server.pid!), process.pid);
    // The process name stays in view: it leads the description.
    assert.match(server.description, /^node · /);
    const agent = pt.agentPid();
    if (agent && parentOf(agent) === process.pid) {
      const row = rows.find((r) => r.pid === agent);
      assert.equal(row?.label, 'Process Tracker agent', JSON.stringify(row));
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Show Details opens a rendered preview with times, not epoch ms', async function () {
    this.timeout(60_000);
    const sleeper = startSleeper();
    const row = await waitFor('the sleeper in the agent', async () => {
      await pt.processes.setFilter(`pid:${sleeper.pid}`);
      return flatten(await pt.processes.refresh()).find((r) => r.pid === sleeper.pid);
    });
    await pt.processes.setFilter('');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('processTracker.showDetails', {
      pid: sleeper.pid,
      startTime: row.startTime,
      name: 'sleep',
    });
    const preview = await waitFor('a markdown preview of the details', () =>
      tabs().find((t) => t.kind === 'webview' && /markdown\.preview/.test(t.target)),
    );
    assert.match(preview.label, new RegExp(`${sleeper.pid}`), JSON.stringify(tabs()));
    // The markdown source is not what the person reads: no text editor on it.
    assert.deepEqual(
      tabs().filter((t) => t.kind === 'text' && t.target.startsWith('process-tracker:')),
      [],
      'the details opened as markdown source',
    );
    const source = vscode.workspace.textDocuments.find(
      (d) => d.uri.scheme === 'process-tracker' && d.uri.query.includes(`pid=${sleeper.pid}`),
    );
    assert.ok(source, 'no details document');
    assert.doesNotMatch(source.getText(), /\b\d{13}\b/, 'epoch ms in the details');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an open finding is a badge on its row, with its summary in the row and status bar tooltips', async function () {
    this.timeout(180_000);
    // A program that exits and starts again every 4 s: a restart loop (≥ 5 restarts in a minute).
    const marker = `4.${Math.floor(Math.random() * 1e6)}`;
    const loop = spawn('sh', ['-c', `while :; do sleep ${marker}; done`], { stdio: 'ignore' });
    try {
      await pt.processes.setGrouping('flat');
      await pt.processes.setFilter(`sleep ${marker.replace('.', '\\.')}`);
      const row = await waitFor(
        'a badge on the looping program',
        async () =>
          (await pt.processes.refresh()).find(
            (r) => /restart loop/.test(r.description) && /restarted \d+ times/.test(r.tooltip ?? ''),
          ),
        150_000,
      );
      assert.match(row.label, /^sleep/);
      await waitFor(
        "the finding in the status bar's tooltip",
        () => /restart loop.*sleep.*restarted \d+ times/i.test(pt.statusBar().tooltip) || undefined,
        60_000,
      );
    } finally {
      if (loop.pid) process.kill(loop.pid, 'SIGKILL');
      await pt.processes.setFilter('');
    }
  });
});
