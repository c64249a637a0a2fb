// The history panel's owner: one panel per window (opening again reveals it), its serializer so
// that a window reload brings it back, and the arguments "Show History" may come with (a tree
// node, a process row, an alert's process).
import * as vscode from 'vscode';
import type { ProcessIdentity } from '../../shared/model';
import { isPanelState, type PanelState, type ProcessTarget } from '../../shared/webviewProtocol';
import { PanelWarmRequest } from '../../shared/protocol';
import { defaultState, restoreState } from '../../webview/state';
import type { Ctx } from '../ctx';
import { rowOf } from '../tree/nodes';
import { HistorySession } from './historySession';
import { PanelTrace, type PanelTraceSnapshot } from './trace';

export const HISTORY_VIEW_TYPE = 'processTracker.history';
const STATE_KEY = 'processTracker.history.state';

export class HistoryPanels implements vscode.Disposable {
  private session: HistorySession | undefined;
  private readonly trace = new PanelTrace();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(HISTORY_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          // The webview's own saved state first; else the last one this workspace's panel sent.
          const saved = isPanelState(state) ? state : this.savedState();
          this.warm(saved);
          this.adopt(panel, { pending: saved, saved, restored: true });
        },
      }),
    );
  }

  /**
   * Opens (or reveals) the panel; with a target, on that process's page; with a state, in it.
   * `warmAgent`: the panel's data will come from the local agent (not another source's).
   */
  open(target?: ProcessTarget, state?: PanelState, warmAgent = true): void {
    this.session?.useSource();
    const wanted = target ? this.withProcess(target, state) : state;
    if (this.session) {
      if (wanted) this.session.show(wanted);
      else this.session.panel.reveal();
      return;
    }
    const saved = this.savedState();
    if (warmAgent) this.warm(wanted ?? saved);
    const panel = vscode.window.createWebviewPanel(
      HISTORY_VIEW_TYPE,
      vscode.l10n.t('Process History'),
      vscode.ViewColumn.Active,
      { enableScripts: true, retainContextWhenHidden: false },
    );
    this.adopt(panel, {
      ...(wanted ? { pending: wanted } : {}),
      ...(saved ? { saved } : {}),
      restored: false,
    });
  }

  /** Opens the overview on another source's data than the local agent's (a fleet machine). */
  openSource(source: Parameters<HistorySession['useSource']>[0]): void {
    this.open(
      undefined,
      { ...(this.session?.state ?? this.savedState() ?? defaultState(Date.now())), view: 'overview' },
      false,
    );
    this.session?.useSource(source);
  }

  /** "Show History" from a tree row, a quick pick's row, or an alert: its process, or undefined. */
  static targetOf(arg: unknown): ProcessTarget | undefined {
    const row = rowOf(arg);
    if (row) return { identity: { pid: row.pid, startTime: row.startTime }, name: row.name };
    if (!arg || typeof arg !== 'object') return undefined;
    const candidate = arg as { process?: unknown; identity?: unknown; name?: unknown };
    const nested = HistoryPanels.targetOf(candidate.process);
    if (nested) return nested;
    const identity = candidate.identity as Partial<ProcessIdentity> | undefined;
    const name = typeof candidate.name === 'string' && candidate.name ? candidate.name : undefined;
    if (typeof identity?.pid === 'number' && typeof identity.startTime === 'number')
      return { identity: { pid: identity.pid, startTime: identity.startTime }, ...(name ? { name } : {}) };
    return name ? { name } : undefined;
  }

  /** Tests: what went between the host and the webview. */
  snapshot(): PanelTraceSnapshot {
    const panel = this.session?.panel;
    return this.trace.snapshot({
      open: !!panel,
      visible: panel?.visible ?? false,
      restored: this.session?.restored ?? false,
      loads: this.session?.loads ?? 0,
    });
  }

  /** Tests: the next export writes here instead of asking with a save dialog. */
  scriptSaveUri(uri: vscode.Uri): void {
    if (this.session) this.session.nextSaveUri = uri;
  }

  close(): void {
    this.session?.panel.dispose();
  }

  private withProcess(target: ProcessTarget, base = this.session?.state ?? this.savedState()): PanelState {
    return { ...(base ?? defaultState(Date.now())), view: 'process', process: target };
  }

  /**
   * Tells the agent which range the new panel will ask for first, while its page loads: the agent
   * starts its history worker for it (PanelWarmRequest). Nothing waits on the answer; an agent
   * that is not connected yet or predates the request is simply not warmed.
   */
  private warm(state: PanelState | undefined): void {
    const { from, to } = restoreState(state, Date.now());
    this.trace.onAgentRequest(PanelWarmRequest.method);
    this.ctx.agent.request(PanelWarmRequest.type, { from, to }).catch(() => undefined);
  }

  private savedState(): PanelState | undefined {
    const saved = this.ctx.extension.workspaceState.get<unknown>(STATE_KEY);
    return isPanelState(saved) ? saved : undefined;
  }

  private adopt(panel: vscode.WebviewPanel, options: ConstructorParameters<typeof HistorySession>[4]): void {
    this.session?.panel.dispose();
    const session = new HistorySession(
      panel,
      this.ctx,
      this.trace,
      (state) => void this.ctx.extension.workspaceState.update(STATE_KEY, state),
      options,
    );
    this.session = session;
    panel.onDidDispose(() => {
      session.dispose();
      if (this.session === session) this.session = undefined;
    });
  }

  dispose(): void {
    this.session?.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
