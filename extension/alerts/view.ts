// The "Alerts" view: pending and firing alerts as the agent holds them now (ActiveAlertsRequest),
// rebuilt after every alert notification and on reconnect. Alerts change rarely, so it asks
// only then (and when it becomes visible), never per tick.
import * as vscode from 'vscode';
import type { ActiveAlert, ProcessRow } from '../../shared/model';
import { ActiveAlertsRequest } from '../../shared/protocol';
import type { AgentClient } from '../agentClient';
import { alertIcon, alertRowDescription } from './text';

export const ALERTS_VIEW = 'processTracker.alerts';

export type AlertNode =
  | {
      kind: 'alert';
      alert: ActiveAlert;
      /** The alert's process as a row, so the process commands (details, history) take this node. */
      row?: ProcessRow;
    }
  | { kind: 'message'; id: string; label: string; icon: string; command?: vscode.Command };

/** The alert's process as the process commands expect it: figures unknown, identity exact. */
export function rowOfAlert(alert: Pick<ActiveAlert, 'process'>): ProcessRow | undefined {
  const p = alert.process;
  if (!p) return undefined;
  return {
    pid: p.pid,
    startTime: p.startTime,
    name: p.name,
    cmdline: p.cmdline,
    ppid: 0,
    user: null,
    category: 'other',
    container: null,
    cpu: null,
    rss: null,
    readBps: null,
    writeBps: null,
    threads: null,
    fds: null,
  };
}

export class AlertsView implements vscode.TreeDataProvider<AlertNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AlertNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<AlertNode>;
  private nodes: AlertNode[] = [];
  private alerts: ActiveAlert[] = [];
  /** Rule problems worth a row (count), set by whoever last read the rules status. */
  private problems = 0;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly agent: AgentClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(ALERTS_VIEW, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((event) => {
        if (event.visible) this.scheduleRefresh(0);
      }),
    );
  }

  current(): ActiveAlert[] {
    return this.alerts;
  }

  nodesShown(): AlertNode[] {
    return this.nodes;
  }

  setProblemCount(count: number): void {
    if (count === this.problems) return;
    this.problems = count;
    this.rebuild();
  }

  /** Coalesces bursts (a hundred alerts resolving at once is one request). */
  scheduleRefresh(delayMs = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  /** Asks the agent now; resolves when the view holds the answer. */
  async refresh(): Promise<ActiveAlert[]> {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    if (this.agent.state !== 'connected') {
      this.alerts = [];
      this.rebuild();
      return this.alerts;
    }
    try {
      const result = await this.agent.request(ActiveAlertsRequest.type, {});
      // An older answer arriving late must not replace a newer one.
      if (generation === this.generation) {
        this.alerts = result.alerts;
        this.rebuild();
      }
    } catch (error) {
      this.log.warn(`reading active alerts failed: ${(error as Error).message}`);
    }
    return this.alerts;
  }

  clear(): void {
    this.generation++;
    this.alerts = [];
    this.rebuild();
  }

  private rebuild(): void {
    const nodes: AlertNode[] = this.alerts.map((alert) => {
      const row = rowOfAlert(alert);
      return { kind: 'alert', alert, ...(row ? { row } : {}) };
    });
    if (this.problems > 0) {
      nodes.push({
        kind: 'message',
        id: 'problems',
        label: vscode.l10n.t('{0} problem(s) in the alert rules', this.problems),
        icon: 'warning',
        command: { command: 'processTracker.manageAlertRules', title: vscode.l10n.t('Manage Alert Rules') },
      });
    }
    if (!this.alerts.length) {
      nodes.unshift({
        kind: 'message',
        id: 'none',
        label:
          this.agent.state === 'connected'
            ? vscode.l10n.t('No alerts firing')
            : vscode.l10n.t('Not connected to the agent'),
        icon: 'pass',
      });
    }
    this.nodes = nodes;
    const firing = this.alerts.filter((a) => a.state === 'firing' && !a.suppressed).length;
    this.view.badge = firing
      ? { value: firing, tooltip: vscode.l10n.t('{0} alert(s) firing', firing) }
      : undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: AlertNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = `alerts:${node.id}`;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'message';
      if (node.command) item.command = node.command;
      return item;
    }
    const { alert } = node;
    const item = new vscode.TreeItem(alert.rule, vscode.TreeItemCollapsibleState.None);
    item.id = `alert:${alert.key}`;
    item.description = alertRowDescription(alert, vscode.l10n.t);
    const { icon, color } = alertIcon(alert);
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = new vscode.MarkdownString().appendText(
      `${alert.rule} (${alert.severity}, ${alert.metric})\n${item.description}\n${alert.scope}`,
    );
    item.contextValue = alert.process ? 'alert.process' : 'alert';
    if (alert.process)
      item.command = {
        command: 'processTracker.showDetails',
        title: vscode.l10n.t('Show Details'),
        arguments: [node],
      };
    return item;
  }

  getChildren(node?: AlertNode): AlertNode[] {
    return node ? [] : this.nodes;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
