// What the history panel's host exchanged with its webview, kept small and in memory: the VS Code
// suite reads it through the extension's API (a webview's DOM cannot be reached from the extension
// host), and the timings it holds are the panel's "ready to first chart" figures.
import type { RenderedParams } from '../../shared/webviewProtocol';

const KEEP = 200;

export interface TracedMessage {
  method: string;
  /** Date.now() when sent or received. */
  at: number;
}

export interface PanelTraceSnapshot {
  /** A panel exists (open, maybe in a background tab). */
  open: boolean;
  visible: boolean;
  /** The panel was brought back by the serializer (after a window reload). */
  restored: boolean;
  /** Webviews (page loads) this panel had: a hidden tab's webview is reloaded when shown again. */
  loads: number;
  received: TracedMessage[];
  posted: TracedMessage[];
  /** Requests the panel's host sent the agent (method), for tests counting round trips per load. */
  agentRequests: TracedMessage[];
  /** Messages that failed every guard and were dropped. */
  ignored: number;
  /** The webview's draw acknowledgements, oldest first. */
  rendered: RenderedParams[];
  /** ErrorNotification messages sent to the panel. */
  errors: string[];
  /** The params of the last message of each method sent to the panel. */
  lastPosted: Record<string, unknown>;
}

export class PanelTrace {
  private received: TracedMessage[] = [];
  private posted: TracedMessage[] = [];
  private agentRequests: TracedMessage[] = [];
  private rendered: RenderedParams[] = [];
  private errors: string[] = [];
  private ignored = 0;
  private readonly lastPosted = new Map<string, unknown>();

  static push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > KEEP) list.shift();
  }

  onReceived(method: string): void {
    PanelTrace.push(this.received, { method, at: Date.now() });
  }

  onPosted(method: string, params: unknown): void {
    PanelTrace.push(this.posted, { method, at: Date.now() });
    this.lastPosted.set(method, params);
  }

  onAgentRequest(method: string): void {
    PanelTrace.push(this.agentRequests, { method, at: Date.now() });
  }

  onRendered(params: RenderedParams): void {
    PanelTrace.push(this.rendered, params);
  }

  onError(message: string): void {
    PanelTrace.push(this.errors, message);
  }

  onIgnored(): void {
    this.ignored++;
  }

  snapshot(panel: { open: boolean; visible: boolean; restored: boolean; loads: number }): PanelTraceSnapshot {
    return {
      ...panel,
      received: [...this.received],
      posted: [...this.posted],
      agentRequests: [...this.agentRequests],
      ignored: this.ignored,
      rendered: [...this.rendered],
      errors: [...this.errors],
      lastPosted: Object.fromEntries(this.lastPosted),
    };
  }
}
