// What activate() returns: a small read-mostly API, used by the VS Code suite to check the
// extension from the inside (status bar text, tree rows, messages shown) and to answer prompts.
import * as vscode from 'vscode';
import type { Grouping, SortKey } from '../shared/model';
import type { AgentState } from './agentClient';
import { runsViewLines } from './runs';
import type { Ctx } from './ctx';
import { resolveTooltip, toTreeItem, type Node } from './tree/nodes';
import type { PanelTraceSnapshot } from './panel/trace';
import type { PanelState, ProcessTarget } from '../shared/webviewProtocol';
import type { ScriptedAnswer } from './ui';
import { RequestType } from 'vscode-jsonrpc';
import type { ActiveAlert } from '../shared/model';
import type { ShownToast } from './alerts/alerts';

export interface RowSnapshot {
  id: string;
  label: string;
  description: string;
  contextValue: string;
  pid?: number;
  startTime?: number;
  /** The hover's markdown source (resolved as VS Code resolves it when the row is hovered). */
  tooltip?: string;
  children: RowSnapshot[];
}

export interface ProcessTrackerApi {
  /** ms from activate() being called to it returning. */
  readonly activationMs: number;
  agentState(): AgentState;
  /** Resolves once connected; rejects after timeoutMs. */
  whenConnected(timeoutMs: number): Promise<void>;
  /** The connected agent's pid. */
  agentPid(): number | undefined;
  /** The agent this window started, if it did (tests stop it by this pid). */
  spawnedAgentPid(): number | undefined;
  dataDir(): string;
  statusBarText(): string;
  /** The status bar item's text, tooltip (markdown source) and accessible label, as set now. */
  statusBar(): { text: string; tooltip: string; accessibilityLabel: string };
  processes: {
    /** Fetches now, then returns the rows (children included) as the tree shows them. */
    refresh(): Promise<RowSnapshot[]>;
    rows(): RowSnapshot[];
    /** The rows selected in the view (Find Process… reveals its choice there). */
    selection(): RowSnapshot[];
    visible(): boolean;
    setSort(sort: SortKey): Promise<void>;
    setGrouping(grouping: Grouping): Promise<void>;
    /** Throws UserInputError on a broken filter, like the filter box. */
    setFilter(text: string): Promise<void>;
  };
  thisWindow: {
    refresh(): Promise<RowSnapshot[]>;
  };
  /** The history panel: open it, and read what its host and webview exchanged. */
  history: {
    /** With a state: opened in it (a range preset, a process page). */
    open(target?: ProcessTarget, state?: PanelState): void;
    snapshot(): PanelTraceSnapshot;
    /** The next export writes to this file instead of showing a save dialog. */
    scriptSaveUri(uri: vscode.Uri): void;
    close(): void;
  };
  /** Alerts: the toasts shown, the Alerts view, the rules file's diagnostics. */
  alerts: {
    /** Alert toasts shown so far (level, text, action titles), newest last, at most 50. */
    toasts(): ShownToast[];
    /** Asks the agent now; resolves with what the Alerts view then shows. */
    refresh(): Promise<ActiveAlert[]>;
    /** The Alerts view's rows: alert rows by rule, and message rows. */
    rows(): { id: string; label: string; pid?: number }[];
    /** Diagnostics on the rules file (1-based lines). */
    diagnostics(): { line: number; message: string; severity: 'error' | 'warning' }[];
    /** What this window last sent as settings rules, if it did. */
    lastSentSettingsRules(): unknown[] | undefined;
  };
  /**
   * Sends one request to the connected agent (tests compare what the surfaces show with it). Only
   * `type.method` is used: a caller's bundle holds its own copy of vscode-jsonrpc's classes.
   */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  /** The Machines view (from the user's Prometheus). */
  machines: {
    /** Asks Prometheus now; resolves with the view's rows (label, description). */
    refresh(): Promise<{ label: string; description: string }[]>;
    /** Runs "Show Machine History" on the machine of this instance, as its row's click does. */
    open(instance: string): Promise<void>;
  };
  canKill(): boolean;
  /** The Runs view's rows as they read ("npm run build · 43s · peak 2.1 GiB · exit 0"), newest first. */
  runLines(): string[];
  /** Answers the next prompts (confirmations, picks, inputs) in order. */
  scriptAnswers(...answers: ScriptedAnswer[]): void;
  shownMessages(): { errors: string[]; infos: string[] };
}

function snapshot(node: Node): RowSnapshot {
  const item: vscode.TreeItem = resolveTooltip(toTreeItem(node), node);
  const row = node.kind === 'message' ? undefined : node.row;
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
  return {
    ...(tooltip === undefined ? {} : { tooltip }),
    id: item.id ?? '',
    label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
    description: typeof item.description === 'string' ? item.description : '',
    contextValue: item.contextValue ?? '',
    ...(row ? { pid: row.pid, startTime: row.startTime } : {}),
    children: node.kind === 'message' ? [] : node.children.map(snapshot),
  };
}

export function createApi(ctx: Ctx, activationMs: number): ProcessTrackerApi {
  return {
    activationMs,
    agentState: () => ctx.agent.state,
    whenConnected: (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (ctx.agent.state === 'connected') return resolve();
        const timer = setTimeout(() => {
          listener.dispose();
          reject(new Error(`the agent did not connect within ${timeoutMs} ms (state ${ctx.agent.state})`));
        }, timeoutMs);
        const listener = ctx.agent.onDidChangeState((state) => {
          if (state !== 'connected') return;
          clearTimeout(timer);
          listener.dispose();
          resolve();
        });
      }),
    agentPid: () => ctx.agent.agent?.pid,
    spawnedAgentPid: () => ctx.agent.spawnedPid,
    dataDir: () => ctx.agent.dataDir(),
    statusBarText: () => ctx.statusBar.text(),
    statusBar: () => ctx.statusBar.snapshot(),
    processes: {
      refresh: async () => {
        await ctx.processes.refresh();
        return ctx.processes.current().map(snapshot);
      },
      rows: () => ctx.processes.current().map(snapshot),
      selection: () => ctx.processes.view.selection.map(snapshot),
      visible: () => ctx.processes.view.visible,
      setSort: (sort) => ctx.processes.setSort(sort),
      setGrouping: (grouping) => ctx.processes.setGrouping(grouping),
      setFilter: (text) => ctx.processes.setFilter(text),
    },
    thisWindow: {
      refresh: async () => {
        await ctx.thisWindow.refresh();
        return ctx.thisWindow.current().map(snapshot);
      },
    },
    history: {
      open: (target, state) => ctx.history.open(target, state),
      snapshot: () => ctx.history.snapshot(),
      scriptSaveUri: (uri) => ctx.history.scriptSaveUri(uri),
      close: () => ctx.history.close(),
    },
    alerts: {
      toasts: () => ctx.alerts.toasts(),
      refresh: () => ctx.alerts.view.refresh(),
      rows: () =>
        ctx.alerts.view.nodesShown().map((node) =>
          node.kind === 'alert'
            ? {
                id: node.alert.key,
                label: node.alert.rule,
                ...(node.alert.process ? { pid: node.alert.process.pid } : {}),
              }
            : { id: node.id, label: node.label },
        ),
      diagnostics: () => ctx.alerts.rules.current(),
      lastSentSettingsRules: () => ctx.alerts.lastSentSettingsRules(),
    },
    runLines: () => runsViewLines(),
    request: <P, R>(type: { method: string }, params: P) =>
      ctx.agent.request(new RequestType<P, R, void>(type.method), params),
    machines: {
      refresh: async () => {
        await ctx.machines.refresh();
        return ctx.machines.getChildren().map((node) => {
          const item = ctx.machines.getTreeItem(node);
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          return { label, description: typeof item.description === 'string' ? item.description : '' };
        });
      },
      open: async (instance) => {
        const node = ctx.machines
          .getChildren()
          .find((n) => n.kind === 'machine' && n.machine.instance === instance);
        await vscode.commands.executeCommand('processTracker.openMachine', node);
      },
    },
    canKill: () => ctx.canKill(),
    scriptAnswers: (...answers) => ctx.ui.script(...answers),
    shownMessages: () => ctx.ui.shown(),
  };
}
