// One history panel's webview: its HTML (fresh nonce per load, CSP from webview/html.ts), and its
// message loop. Every message from the webview passes a PANEL_COMMANDS guard or is dropped: a
// webview is web content, and the most it can ask for is data, a save dialog the user answers, or
// the extension's own row actions (where kill has its own confirmation).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc';
import { errorText, userErrorText } from '../../shared/errors';
import { langOf } from '../../shared/i18n/catalogue';
import { TopRequest } from '../../shared/protocol';
import {
  AtNotification,
  DataNotification,
  ErrorNotification,
  ExportCommand,
  OpenProcessRowCommand,
  ProcessPageNotification,
  ReadyCommand,
  RenderedCommand,
  RequestAtCommand,
  RequestProcessCommand,
  RequestRangeCommand,
  SaveStateCommand,
  StateNotification,
  PANEL_COMMANDS,
  type DataParams,
  type ExportParams,
  type IpcNotificationType,
  type OpenProcessRowParams,
  type PanelState,
  type RequestRangeParams,
} from '../../shared/webviewProtocol';
import { panelHtml } from '../../webview/html';
import { restoreState } from '../../webview/state';
import { pickAction } from '../actions';
import { AgentNotConnectedError } from '../agentClient';
import type { Ctx } from '../ctx';
import { atData, processPage, rangeData, type HeldData } from '../../shared/panelData';
import type { PanelTrace } from './trace';

/** How long a request waits for the agent to connect (a restored panel comes up with the window). */
const CONNECT_WAIT_MS = 20_000;

type Kind = 'range' | 'at' | 'process';

export interface SessionOptions {
  /** The state to hand the webview on `ready`: restored by the serializer, or a process to show. */
  pending?: PanelState;
  /** The last state the webview saved (the serializer's, or a previous session's). */
  saved?: PanelState;
  restored: boolean;
}

export class HistorySession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pending: PanelState | undefined;
  /** The webview's last saved state: what a hidden-then-shown tab or the serializer restores. */
  state: PanelState | undefined;
  readonly restored: boolean;
  loads = 0;
  private ready = false;
  private messageId = 0;
  private readonly issued: Record<Kind, number> = { range: 0, at: 0, process: 0 };
  /** Set by tests: the next save dialog answers this instead of asking. */
  nextSaveUri: vscode.Uri | undefined;
  /** The overview a live-tail refresh extends, and what the agent answers (panelData.ts). */
  private held: HeldData = {};
  /** Another source of the overview than the local agent (a fleet machine's Prometheus). */
  private rangeSource: ((params: RequestRangeParams) => Promise<DataParams>) | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    private readonly trace: PanelTrace,
    private readonly onSavedState: (state: PanelState) => void,
    options: SessionOptions,
  ) {
    this.pending = options.pending;
    this.state = options.saved;
    this.restored = options.restored;
    const root = webviewRoot(ctx.extension.extensionUri);
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icon.svg');
    panel.webview.onDidReceiveMessage((message) => this.receive(message), undefined, this.disposables);
    // Another agent may answer after a reconnect (newer, or older): ask it afresh.
    ctx.agent.onDidChangeState(() => (this.held = {}), undefined, this.disposables);
    // A hidden tab's webview is dropped (retainContextWhenHidden is off) and loads again when shown.
    panel.onDidChangeViewState(
      () => {
        if (panel.visible && !this.ready) this.render();
      },
      undefined,
      this.disposables,
    );
    this.render();
  }

  /** Shows a process page (or the overview) in this panel, now or once its webview is ready. */
  show(state: PanelState): void {
    if (this.ready) this.post(StateNotification, { state });
    else this.pending = state;
    this.panel.reveal();
  }

  /** A fresh page with a fresh nonce; the webview says `ready` when its script ran. */
  private render(): void {
    this.ready = false;
    this.loads++;
    const webview = this.panel.webview;
    const root = webviewRoot(this.ctx.extension.extensionUri);
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')).toString(),
      title: vscode.l10n.t('Process History'),
      // The panel speaks VS Code's display language (en, or zh-cn for any Chinese).
      language: vscode.env.language,
    });
  }

  private receive(message: unknown): void {
    if (!PANEL_COMMANDS.some((type) => type.is(message))) {
      this.trace.onIgnored();
      this.ctx.log.warn('history panel: ignored a malformed message from the webview');
      return;
    }
    this.trace.onReceived((message as { method: string }).method);
    if (ReadyCommand.is(message)) this.onReady();
    else if (RequestRangeCommand.is(message)) this.answerRange(message.params);
    else if (RequestAtCommand.is(message)) {
      const { ts } = message.params;
      this.answer('at', (request) => atData(request, ts), AtNotification);
    } else if (RequestProcessCommand.is(message)) {
      const params = message.params;
      this.answer('process', (request) => processPage(request, params, this.held), ProcessPageNotification);
    } else if (ExportCommand.is(message)) void this.export(message.params);
    else if (OpenProcessRowCommand.is(message)) void this.openRow(message.params);
    else if (SaveStateCommand.is(message)) {
      // Kept for the serializer and the next load; never echoed back.
      this.state = message.params.state;
      this.onSavedState(message.params.state);
    } else if (RenderedCommand.is(message)) this.trace.onRendered(message.params);
  }

  /**
   * The state first (restored, or the process asked for). The data then answers the requestRange
   * the panel posts right after `ready` (and again after applying the state), which carries its
   * chart's width: answering `ready` with data as well would run every query twice for nothing.
   */
  private onReady(): void {
    this.ready = true;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.post(StateNotification, { state: restoreState(pending, Date.now()) });
  }

  /** The overview from `source` under `title` from now on; without one, from the local agent. */
  useSource(source?: { title: string; range: (params: RequestRangeParams) => Promise<DataParams> }): void {
    this.rangeSource = source?.range;
    this.panel.title = source?.title ?? vscode.l10n.t('Process History');
  }

  private answerRange(params: RequestRangeParams): void {
    const source = this.rangeSource;
    if (source) return this.answer('range', () => source(params), DataNotification);
    this.answer('range', (request) => rangeData(request, params, Date.now(), this.held), DataNotification);
  }

  /**
   * Runs a query and posts its answer unless the panel asked again meanwhile: a superseded answer
   * (a brush zoom after a preset, a state applied after the first request) is never drawn.
   */
  private answer<T>(
    kind: Kind,
    query: (request: <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>) => Promise<T>,
    type: IpcNotificationType<T>,
  ): void {
    const seq = ++this.issued[kind];
    void (async () => {
      try {
        await this.connected();
        const result = await query((t, p) => {
          this.trace.onAgentRequest(t.method);
          return this.ctx.agent.request(t, p);
        });
        if (seq === this.issued[kind]) this.post(type, result);
      } catch (error) {
        if (seq === this.issued[kind]) this.postError(error);
      }
    })();
  }

  private connected(): Promise<void> {
    const agent = this.ctx.agent;
    if (agent.state === 'connected' || agent.state === 'stopped') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      };
      const timer = setTimeout(done, CONNECT_WAIT_MS);
      const listener = agent.onDidChangeState((state) => {
        if (state === 'connected' || state === 'stopped') done();
      });
    });
  }

  private postError(error: unknown): void {
    const message =
      error instanceof AgentNotConnectedError
        ? vscode.l10n.t(
            'The Process Tracker agent is not connected: run "Process Tracker: Restart Agent", then pick the range again.',
          )
        : userErrorText(error, langOf(vscode.env.language));
    if (!(error instanceof AgentNotConnectedError)) this.ctx.log.error(`history panel: ${errorText(error)}`);
    this.trace.onError(message);
    this.post(ErrorNotification, { message });
  }

  private post<P>(type: IpcNotificationType<P>, params: P): void {
    if (!this.ready) return; // a reloading webview asks again when ready
    this.trace.onPosted(type.method, params);
    void this.panel.webview.postMessage(type.create(`host-${++this.messageId}`, params));
  }

  /** The panel sends the content; the user picks the file. The panel never names a path. */
  private async export({ format, content, rows, fileName }: ExportParams): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const scripted = this.nextSaveUri;
    this.nextSaveUri = undefined;
    const uri =
      scripted ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Process History'),
        defaultUri: vscode.Uri.joinPath(folder, fileName),
        filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      }));
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    } catch (error) {
      await this.ctx.ui.error(
        vscode.l10n.t('Could not write {0}: {1}', uri.fsPath, (error as Error).message),
      );
      return;
    }
    void this.ctx.ui.info(vscode.l10n.t('Exported {0} rows to {1}', rows.length, uri.fsPath));
  }

  /** The extension's own row actions, for a process that still runs with the same identity. */
  private async openRow({ identity, name }: OpenProcessRowParams): Promise<void> {
    try {
      await this.connected();
      const { rows } = await this.ctx.agent.request(TopRequest.type, { n: 1, filter: { pid: identity.pid } });
      const row = rows.find((r) => r.pid === identity.pid && r.startTime === identity.startTime);
      if (!row) {
        await this.ctx.ui.info(
          vscode.l10n.t(
            '{0} (PID {1}) is no longer running: its history stays in the panel.',
            name,
            identity.pid,
          ),
        );
        return;
      }
      await pickAction(this.ctx, row);
    } catch (error) {
      this.postError(error);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** The only folder the webview may load from: the webview bundle. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}
