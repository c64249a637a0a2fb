// The "Machines" view: every machine that the user's Prometheus scrapes an agent on, with its CPU,
// memory and top processes (client/prometheus/fleet.ts), refreshed every 15 s while the view is
// visible. Choosing a machine opens its history in the panel from Prometheus range queries.
//
// The Prometheus URL is the user's or the machine's setting only (`inspect().globalValue`, and
// restricted in untrusted workspaces): a repository's settings must never point the extension at a
// server to query.
import * as vscode from 'vscode';
import { formatBytes } from '../../shared/duration';
import { errorText, UserInputError } from '../../shared/errors';
import { checkPrometheusUrl, PrometheusApi } from '../../client/prometheus/api';
import {
  listMachines,
  machineKey,
  type FleetProcess,
  type MachineSummary,
} from '../../client/prometheus/fleet';

export const MACHINES_VIEW = 'processTracker.machines';
const SETTING = 'processTracker.fleet.prometheusUrl';
const REFRESH_MS = 15_000;
const TOP = 5;

export type MachineNode =
  | { kind: 'machine'; machine: MachineSummary }
  | { kind: 'process'; machine: MachineSummary; process: FleetProcess }
  | { kind: 'message'; label: string; command?: vscode.Command };

/** The user's Prometheus URL, or undefined when unset. Throws UserInputError when it is not one. */
export function prometheusApi(): PrometheusApi | undefined {
  const value = vscode.workspace.getConfiguration().inspect<unknown>(SETTING)?.globalValue;
  if (typeof value !== 'string' || !value.trim()) return undefined;
  return new PrometheusApi(checkPrometheusUrl(value.trim(), SETTING));
}

const percent = (ratio: number | null) => (ratio === null ? '–' : `${(ratio * 100).toFixed(0)}%`);

export class MachinesView implements vscode.TreeDataProvider<MachineNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MachineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<MachineNode>;
  private roots: MachineNode[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView(MACHINES_VIEW, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTING)) void this.refresh();
      }),
    );
    this.schedule();
  }

  /** Polls only while the view is visible: an unseen list costs no queries. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.view.visible) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const roots = await this.load();
    if (generation !== this.generation) return; // a newer refresh answered first
    this.roots = roots;
    this.changed.fire(undefined);
  }

  /** The machines as they are now (tests read them). */
  machines(): MachineSummary[] {
    return this.roots.flatMap((node) => (node.kind === 'machine' ? [node.machine] : []));
  }

  private async load(): Promise<MachineNode[]> {
    let api: PrometheusApi | undefined;
    try {
      api = prometheusApi();
    } catch (error) {
      return [this.settingMessage((error as UserInputError).message)];
    }
    if (!api) {
      return [
        this.settingMessage(
          vscode.l10n.t('Set "Prometheus URL" in your user settings to list the machines it scrapes'),
        ),
      ];
    }
    try {
      const machines = await listMachines(api, { top: TOP });
      if (!machines.length) {
        return [{ kind: 'message', label: vscode.l10n.t('Prometheus scrapes no Process Tracker agent yet') }];
      }
      return machines.map((machine) => ({ kind: 'machine', machine }));
    } catch (error) {
      this.log.warn(`machines: ${errorText(error)}`);
      return [{ kind: 'message', label: errorText(error) }];
    }
  }

  private settingMessage(label: string): MachineNode {
    return {
      kind: 'message',
      label,
      command: {
        command: 'workbench.action.openSettings',
        title: vscode.l10n.t('Open Settings'),
        arguments: [SETTING],
      },
    };
  }

  getChildren(node?: MachineNode): MachineNode[] {
    if (!node) return this.roots;
    if (node.kind !== 'machine') return [];
    const { machine } = node;
    const seen = new Set<number>();
    return [...machine.topCpu, ...machine.topMemory]
      .filter((p) => !seen.has(p.pid) && seen.add(p.pid))
      .map((process) => ({ kind: 'process', machine, process }));
  }

  getTreeItem(node: MachineNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label);
      item.iconPath = new vscode.ThemeIcon('info');
      if (node.command) item.command = node.command;
      return item;
    }
    if (node.kind === 'process') {
      const p = node.process;
      // Text only: a process name is data, never markup.
      const item = new vscode.TreeItem(`${p.name} (${p.pid})`);
      item.id = `${machineKey(node.machine)}\n${p.pid}`;
      item.description = `${percent(p.cpuRatio)} · ${formatBytes(p.residentBytes)}`;
      item.contextValue = 'machineProcess';
      return item;
    }
    const m = node.machine;
    const item = new vscode.TreeItem(m.instance, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = machineKey(m);
    item.description = m.up
      ? vscode.l10n.t(
          'CPU {0} · Mem {1}/{2}',
          percent(m.cpuRatio),
          formatBytes(m.memUsed),
          formatBytes(m.memTotal),
        )
      : vscode.l10n.t('down');
    item.tooltip = `${m.instance} (job ${m.job})${m.version ? ` · agent ${m.version}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(m.up ? 'vm-running' : 'vm-outline');
    item.contextValue = 'machine';
    item.command = {
      command: 'processTracker.openMachine',
      title: vscode.l10n.t('Show Machine History'),
      arguments: [node],
    };
    return item;
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
