// The "This Window" view: the processes descended from this window's terminals, tasks, debug
// sessions and extension host, grouped under their owner with family totals. Visible only: its
// tick subscription carries the owners' pids as a view, so their subtrees come with each tick
// (an agent from before subscribed views is asked for them after each tick instead).
import * as vscode from 'vscode';
import { withoutOwnedDescendants } from '../../shared/processTree';
import { ProcessesRequest, type ProcessTreeNode, type SubscribedView } from '../../shared/protocol';
import type { AgentClient } from '../agentClient';
import { config } from '../config';
import type { LiveFeed, PushedTick } from '../subscription';
import { pushedView } from './pushedView';
import type { WindowOwners } from '../owners';
import { resolveTooltip, toTreeItem, type Annotate, type Node } from './nodes';
import { treeNode } from './processes';

export const THIS_WINDOW_VIEW = 'processTracker.thisWindow';

export class ThisWindowView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private roots: Node[] = [];
  private inFlight: Promise<void> | undefined;
  private lastRefresh = 0;
  private ownerMissed = false;

  constructor(
    private readonly agent: AgentClient,
    private readonly live: LiveFeed,
    private readonly owners: WindowOwners,
    private readonly annotate: Annotate,
  ) {
    this.view = vscode.window.createTreeView(THIS_WINDOW_VIEW, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility(() => this.onVisibility()),
      live.onTick((tick) => this.onTick(tick)),
      owners.onDidChange(() => {
        // A new subscription (new roots) brings the owners' rows with its first tick.
        if (this.view.visible) this.subscribe();
        if (this.view.visible) void this.refresh();
      }),
      agent.onDidChangeState((state) => {
        if (state === 'connected' && this.view.visible) void this.refresh();
      }),
    );
    this.onVisibility();
  }

  current(): Node[] {
    return this.roots;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    return resolveTooltip(item, node);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots;
    return node.kind === 'message' ? [] : node.children;
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
      if (this.ownerMissed && this.view.visible) void this.refresh();
    });
    return this.inFlight;
  }

  private onVisibility(): void {
    this.subscribe();
    if (this.view.visible && this.agent.state === 'connected') void this.refresh();
  }

  private subscribe(): void {
    this.live.set(
      'thisWindow',
      this.view.visible ? { top: 1, sort: 'cpu', views: [this.wanted()] } : undefined,
    );
  }

  /** Only the owners' subtrees: the whole machine's tree was the view's largest cost per tick. */
  private wanted(): SubscribedView {
    const asked = this.owners.roots().map((owned) => owned.pid);
    // More owners than an agent takes (never seen): the whole tree, which the lookup in show() handles.
    const roots = asked.length <= ProcessesRequest.MAX_ROOTS ? asked : undefined;
    return { id: 'thisWindow', grouping: 'tree', sort: 'cpu', ...(roots ? { roots } : {}) };
  }

  private onTick(tick: PushedTick): void {
    if (!this.view.visible || Date.now() - this.lastRefresh < config.minRefreshMs()) return;
    const view = this.wanted();
    const pushed = pushedView(tick, view);
    if (!pushed) return void this.refresh();
    this.lastRefresh = Date.now();
    this.show(
      pushed,
      this.owners.roots().map((owned) => owned.pid),
    );
  }

  private async load(): Promise<void> {
    this.lastRefresh = Date.now();
    this.ownerMissed = false;
    if (this.agent.state !== 'connected') return;
    const asked = this.owners.roots().map((owned) => owned.pid);
    const { id: _id, ...params } = this.wanted();
    let result;
    try {
      result = await this.agent.request(ProcessesRequest.type, params);
    } catch {
      return;
    }
    this.show(result, asked);
  }

  /** The owners' rows from a tree answer (pushed or asked for) that covered the pids `asked`. */
  private show(result: ProcessesRequest.Result, asked: number[]): void {
    if (result.grouping !== 'tree') return;
    // Looked up by pid, not taken as the roots: an agent older than `roots` answers with the whole
    // machine's tree, and a listed pid inside another's subtree is shown only there.
    const byPid = new Map<number, ProcessTreeNode>();
    const index = (node: ProcessTreeNode) => {
      byPid.set(node.row.pid, node);
      node.children.forEach(index);
    };
    result.roots.forEach(index);
    const topN = config.topN();
    const ownerRoots = this.owners.roots();
    // An owner that came while the request was out was not asked for: load once more for it.
    const askedPids = new Set(asked);
    this.ownerMissed = ownerRoots.some((owned) => !askedPids.has(owned.pid));
    const ownedPids = new Set(ownerRoots.map((owned) => owned.pid));
    this.roots = ownerRoots.flatMap<Node>((owned) => {
      const found = byPid.get(owned.pid);
      if (!found) return [];
      const node = withoutOwnedDescendants(found, ownedPids);
      return [
        {
          kind: 'group',
          id: `w:${owned.key}:${node.row.startTime}`,
          label: owned.label,
          icon: owned.icon,
          totals: node.family,
          row: node.row,
          owner: owned.owner,
          children: node.children
            .slice(0, topN)
            .map((child) => treeNode(child, topN, `w:${owned.key}`, false, this.annotate)),
        },
      ];
    });
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.live.set('thisWindow', undefined);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
