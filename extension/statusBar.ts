// The status bar item: machine CPU and memory from each tick, coloured past the thresholds, with a
// tooltip of the top processes by CPU and by memory; a click opens the top-processes quick pick.
// The text, the tooltip's machine line and the accessible label come from the same tick.
import * as vscode from 'vscode';
import type { MachineSample, ProcessRow } from '../shared/model';
import { TopRequest } from '../shared/protocol';
import type { AgentClient, AgentState } from './agentClient';
import { config } from './config';
import { statusAccessibleLabel, statusBarText, statusLevel, statusTooltip, type FindingNote } from './format';
import type { LiveFeed, PushedTick } from './subscription';

/** The tooltip's top-5 tables are re-queried at most this often (nobody can hover every tick). */
const TOOLTIP_REFRESH_MS = 15_000;

const BACKGROUNDS = {
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private tooltipAt = 0;
  private tooltipInFlight = false;
  private tooltipMarkdown = '';
  /** The machine figures the text shows now, and the last top-5 tables (with when they were asked). */
  private machine: MachineSample | undefined;
  private top: { byCpu: ProcessRow[]; byMemory: ProcessRow[]; at: number } | undefined;

  constructor(
    private readonly agent: AgentClient,
    private readonly live: LiveFeed,
    /** The open findings, named in the tooltip while there are any. */
    private readonly findings: () => FindingNote[],
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

  /** Text, tooltip source and accessible label as the window has them (the VS Code suite). */
  snapshot(): { text: string; tooltip: string; accessibilityLabel: string } {
    const tooltip = this.item.tooltip;
    return {
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      accessibilityLabel: this.item.accessibilityInformation?.label ?? '',
    };
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
      // Until the first tick fills in the figures (and, at once, the tooltip).
      this.tooltipAt = 0;
      this.machine = undefined;
      this.top = undefined;
      this.tooltipMarkdown = '';
      this.item.text = vscode.l10n.t('$(pulse) CPU – · Mem –');
      this.item.accessibilityInformation = {
        label: vscode.l10n.t('Process Tracker: waiting for the first sample'),
      };
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
    this.item.accessibilityInformation = { label: text[state].replace(/^\$\([\w~-]+\)\s*/, '') };
    this.item.tooltip = vscode.l10n.t('Click to start the agent and connect');
    this.item.command = state === 'starting' ? 'processTracker.showLog' : 'processTracker.restartAgent';
    this.item.backgroundColor = state === 'disconnected' ? BACKGROUNDS.warning : undefined;
  }

  private onTick(tick: PushedTick): void {
    if (!config.statusBarEnabled()) return;
    // Every property set sends the whole item (tooltip included) to the window again, where the
    // markdown tooltip is parsed anew: only what changed is set (the extension host sends the
    // properties set in one turn together).
    this.machine = tick.machine;
    this.set('text', statusBarText(config.statusBarFormat(), tick.machine));
    const level = statusLevel(tick.machine, config.thresholds());
    this.set('backgroundColor', level === 'normal' ? undefined : BACKGROUNDS[level]);
    this.set('command', 'processTracker.showTopByCpu');
    const label = statusAccessibleLabel(tick.machine, vscode.l10n.t);
    if (this.item.accessibilityInformation?.label !== label) this.item.accessibilityInformation = { label };
    this.showTooltip();
    if (Date.now() - this.tooltipAt >= TOOLTIP_REFRESH_MS) void this.refreshTop();
  }

  private set<K extends 'text' | 'backgroundColor' | 'command'>(
    key: K,
    value: vscode.StatusBarItem[K],
  ): void {
    if (this.item[key] !== value) this.item[key] = value;
  }

  /** The tooltip for the figures the text shows now and the last top-5 tables; set only when it changed. */
  private showTooltip(): void {
    if (!this.machine) return;
    const markdown = statusTooltip(
      this.machine,
      this.top?.byCpu ?? [],
      this.top?.byMemory ?? [],
      vscode.l10n.t,
      this.top?.at,
      this.findings(),
    );
    if (markdown === this.tooltipMarkdown && this.item.tooltip instanceof vscode.MarkdownString) return;
    this.tooltipMarkdown = markdown;
    const tooltip = new vscode.MarkdownString(markdown);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    this.item.tooltip = tooltip;
  }

  /** Two small top-5 queries, at most every few seconds: a tooltip nobody hovers costs little. */
  private async refreshTop(): Promise<void> {
    if (this.tooltipInFlight) return;
    this.tooltipInFlight = true;
    this.tooltipAt = Date.now();
    try {
      const [byCpu, byMemory] = await Promise.all([
        this.agent.request(TopRequest.type, { sort: 'cpu', n: 5 }),
        this.agent.request(TopRequest.type, { sort: 'mem', n: 5 }),
      ]);
      this.top = { byCpu: byCpu.rows, byMemory: byMemory.rows, at: Date.now() };
      if (this.agent.state === 'connected') this.showTooltip();
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
