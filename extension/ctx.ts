// The extension's context: configuration, the agent client, the log channel, the surfaces, and
// two lifetimes of disposables — extension-long (the ExtensionContext's) and connection-long
// (cleared on every reconnect).
import * as vscode from 'vscode';
import type { Finding } from '../shared/model';
import { AgentEventNotification } from '../shared/protocol';
import { Alerts } from './alerts/alerts';
import { AgentClient } from './agentClient';
import { config } from './config';
import { Documents } from './documents';
import { OpenFindings } from './findings';
import type { FindingNote } from './format';
import { MachinesView } from './fleet/machines';
import { LiveFeed } from './subscription';
import { WindowOwners } from './owners';
import { HistoryPanels } from './panel/historyPanels';
import { StatusBar } from './statusBar';
import type { Annotate } from './tree/nodes';
import { ProcessesView } from './tree/processes';
import { ThisWindowView } from './tree/thisWindow';
import { Ui } from './ui';

export class Ctx {
  readonly log: vscode.LogOutputChannel;
  readonly ui: Ui;
  readonly agent: AgentClient;
  readonly live: LiveFeed;
  readonly documents: Documents;
  readonly owners: WindowOwners;
  readonly findings: OpenFindings;
  readonly processes: ProcessesView;
  readonly thisWindow: ThisWindowView;
  readonly statusBar: StatusBar;
  readonly history: HistoryPanels;
  readonly alerts: Alerts;
  readonly machines: MachinesView;

  constructor(readonly extension: vscode.ExtensionContext) {
    const own = <T extends vscode.Disposable>(disposable: T): T => {
      extension.subscriptions.push(disposable);
      return disposable;
    };
    this.log = own(vscode.window.createOutputChannel('Process Tracker', { log: true }));
    this.ui = new Ui(this.log);
    const version = String((extension.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
    this.agent = new AgentClient(extension.extensionPath, version, this.log);
    // The client's stop promise is returned by deactivate(); listed here only for the other resources.
    this.live = own(new LiveFeed(this.agent, () => config.minRefreshMs(), this.log));
    this.documents = own(new Documents(this.agent));
    this.owners = own(new WindowOwners());
    this.findings = own(new OpenFindings(this.agent));
    this.statusBar = own(new StatusBar(this.agent, this.live, () => this.findingNotes(this.findings.all())));
    const annotate: Annotate = (row) => {
      const role = this.owners.roleOf(row, this.agent.agent?.pid);
      const findings = this.findingNotes(this.findings.about(row));
      return { ...(role ? { role } : {}), ...(findings.length ? { findings } : {}) };
    };
    this.processes = own(new ProcessesView(this.agent, this.live, annotate));
    this.thisWindow = own(new ThisWindowView(this.agent, this.live, this.owners, annotate));
    this.history = own(new HistoryPanels(this));
    this.alerts = own(new Alerts(this));
    this.machines = own(new MachinesView(this.log));
    own(
      this.agent.onDidChangeState((state) => {
        void vscode.commands.executeCommand('setContext', 'processTracker.connected', state === 'connected');
      }),
    );
    own(this.agent.onNotification(AgentEventNotification.type, (event) => this.onAgentEvent(event)));
    own(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affectsConnection(event)) void this.agent.reconnect();
        if (config.affects(event, 'view.minRefreshSeconds')) this.live.refresh();
      }),
    );
  }

  /** Findings as the surfaces show them: the summary in the window's language. */
  findingNotes(findings: readonly Finding[]): FindingNote[] {
    const zh = vscode.env.language.toLowerCase().startsWith('zh');
    return findings.map((f) => ({ kind: f.kind, summary: zh ? f.summary.zh : f.summary.en }));
  }

  /** Kill and the other process-changing actions need a trusted workspace. */
  canKill(): boolean {
    return vscode.workspace.isTrusted;
  }

  private onAgentEvent(event: AgentEventNotification.Params): void {
    this.log.info(`agent event: ${JSON.stringify(event)}`);
    if (event.kind === 'storeError') {
      void this.ui.error(
        vscode.l10n.t('The Process Tracker agent cannot write its history: {0}', event.message),
      );
    }
  }
}
