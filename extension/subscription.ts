// One tick subscription per connection, shaped by who is looking: the Processes view (its sort,
// filter and top N) while it is visible, else just the status bar's few rows; nothing at all when
// no view is visible and the status bar is off. A second subscribe replaces the first, so this is
// the only place that sends SubscribeRequest.
import * as vscode from 'vscode';
import type { ProcessFilter, SortKey } from '../shared/model';
import {
  DidSampleNotification,
  SubscribeRequest,
  UnsubscribeRequest,
  type SubscribedView,
} from '../shared/protocol';
import type { AgentClient } from './agentClient';

export interface Demand {
  top: number;
  sort: SortKey;
  filter?: ProcessFilter;
  /** Grouped rows pushed with each tick (every owner's views are subscribed together). */
  views?: SubscribedView[];
}

export interface PushedTick extends DidSampleNotification.Params {
  /** What the `top` rows are: the subscription they were computed for. */
  demand: Demand;
}

/** The agent caps rows per notification at this. */
export const MAX_SUBSCRIBED_ROWS = 200;

export class LiveFeed implements vscode.Disposable {
  private readonly tickEmitter = new vscode.EventEmitter<PushedTick>();
  readonly onTick = this.tickEmitter.event;
  private readonly demands = new Map<string, Demand>();
  private active: Demand | undefined;
  private sentKey = '';
  private lastTick: PushedTick | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly agent: AgentClient,
    private readonly minIntervalMs: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      agent.onNotification(DidSampleNotification.type, (params) => {
        if (!this.active) return;
        this.lastTick = { ...params, demand: this.active };
        this.tickEmitter.fire(this.lastTick);
      }),
      agent.onDidChangeState((state) => {
        if (state === 'connected') {
          this.sentKey = '';
          void this.update();
        }
      }),
    );
  }

  latest(): PushedTick | undefined {
    return this.lastTick;
  }

  /** `owner` wants ticks shaped like `demand`, or none (undefined). The first demand in insertion order that is a view wins. */
  set(owner: string, demand: Demand | undefined): void {
    if (demand) this.demands.set(owner, demand);
    else this.demands.delete(owner);
    void this.update();
  }

  /** Re-sends the subscription (after a settings change). */
  refresh(): void {
    this.sentKey = '';
    void this.update();
  }

  private choose(): Demand | undefined {
    // The view's rows are the widest need; the status bar only needs the machine line.
    let best: Demand | undefined;
    for (const demand of this.demands.values()) if (!best || demand.top > best.top) best = demand;
    if (!best) return undefined;
    const { views: _own, ...top } = best;
    const views = [...this.demands.values()].flatMap((demand) => demand.views ?? []);
    return views.length ? { ...top, views } : top;
  }

  private async update(): Promise<void> {
    if (this.agent.state !== 'connected') return;
    const demand = this.choose();
    const key = JSON.stringify([demand, this.minIntervalMs()]);
    if (key === this.sentKey) return;
    this.sentKey = key;
    try {
      if (!demand) {
        this.active = undefined;
        await this.agent.request(UnsubscribeRequest.type, {});
        this.log.debug('unsubscribed from ticks');
        return;
      }
      await this.agent.request(SubscribeRequest.type, {
        top: Math.min(MAX_SUBSCRIBED_ROWS, demand.top),
        sort: demand.sort,
        ...(demand.filter ? { filter: demand.filter } : {}),
        ...(demand.views ? { views: demand.views } : {}),
        minIntervalMs: this.minIntervalMs(),
      });
      this.active = demand;
      this.log.debug(`subscribed to ticks: ${key}`);
    } catch (error) {
      this.sentKey = '';
      this.log.warn(`subscribing to ticks failed: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.tickEmitter.dispose();
  }
}
