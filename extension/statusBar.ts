// The status bar item: machine CPU and memory from each tick, coloured past the thresholds, with a
// tooltip of the top processes by CPU and by memory; a click opens the top-processes quick pick.
import * as vscode from 'vscode';
import { TopRequest } from '../shared/protocol';
import type { AgentClient, AgentState } from './agentClient';
import { config } from './config';
import { statusBarText, statusLevel, statusTooltip } from './format';
import type { LiveFeed, Tick } from './live';

const TOOLTIP_REFRESH_MS = 5000;

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private tooltipAt = 0;
  private tooltipInFlight = false;

  constructor(
    private readonly agent: AgentClient,
    private readonly live: LiveFeed,
  ) {
    this.item = vscode.window.createStatusBarItem(
      'processTracker.status',
      vscode.StatusBarAlignment.Right,
      100,
    );
    this.item.name = vscode.l10n.t('Process Tracker');
    this.disposables.push(
      this.item,
      live.onTick((tick) => this.onTick(tick)),
      agent.onDidChangeState((state) => this.onState(state)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'statusBar')) this.applyEnablement();
      }),
    );
    this.onState(agent.state);
    this.applyEnablement();
  }

  /** What the item shows now (the VS Code suite reads it through the extension's API). */
  text(): string {
    return this.item.text;
  }

  private applyEnablement(): void {
    const enabled = config.statusBarEnabled();
    this.live.set('statusBar', enabled ? { top: 1, sort: 'cpu' } : undefined);
    if (enabled) this.item.show();
    else this.item.hide();
    const latest = this.live.latest();
    if (latest) this.onTick(latest);
  }

  private onState(state: AgentState): void {
    if (state === 'connected') {
      // Until the first tick fills in the figures.
      this.item.text = '$(pulse) CPU – · Mem –';
      this.item.tooltip = vscode.l10n.t('Click for the top processes');
      this.item.command = 'processTracker.showTopByCpu';
      this.item.backgroundColor = undefined;
      return;
    }
    const text: Record<Exclude<AgentState, 'connected'>, string> = {
      starting: `$(sync~spin) ${vscode.l10n.t('Process Tracker: connecting…')}`,
      disconnected: `$(debug-disconnect) ${vscode.l10n.t('Process Tracker: agent not connected')}`,
      stopped: `$(circle-slash) ${vscode.l10n.t('Process Tracker: agent stopped')}`,
    };
    this.item.text = text[state];
    this.item.tooltip = vscode.l10n.t('Click to start the agent and connect');
    this.item.command = state === 'starting' ? 'processTracker.showLog' : 'processTracker.restartAgent';
    this.item.backgroundColor =
      state === 'disconnected' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  private onTick(tick: Tick): void {
    if (!config.statusBarEnabled()) return;
    this.item.text = statusBarText(config.statusBarFormat(), tick.machine);
    const level = statusLevel(tick.machine, config.thresholds());
    this.item.backgroundColor =
      level === 'normal' ? undefined : new vscode.ThemeColor(`statusBarItem.${level}Background`);
    this.item.command = 'processTracker.showTopByCpu';
    if (Date.now() - this.tooltipAt >= TOOLTIP_REFRESH_MS) void this.refreshTooltip(tick);
  }

  /** Two small top-5 queries, at most every few seconds: a tooltip nobody hovers costs little. */
  private async refreshTooltip(tick: Tick): Promise<void> {
    if (this.tooltipInFlight) return;
    this.tooltipInFlight = true;
    this.tooltipAt = Date.now();
    try {
      const [byCpu, byMemory] = await Promise.all([
        this.agent.request(TopRequest.type, { sort: 'cpu', n: 5 }),
        this.agent.request(TopRequest.type, { sort: 'mem', n: 5 }),
      ]);
      const tooltip = new vscode.MarkdownString(
        statusTooltip(tick.machine, byCpu.rows, byMemory.rows, vscode.l10n.t),
      );
      tooltip.isTrusted = false;
      tooltip.supportHtml = false;
      this.item.tooltip = tooltip;
    } catch {
      // disconnected meanwhile: the state handler shows that
    } finally {
      this.tooltipInFlight = false;
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
