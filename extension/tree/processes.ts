// Over 400 lines on purpose: sort, filter, grouping, frozen order and badges share the rows.
// The "Processes" view: top N by CPU / memory / IO / name, filtered, flat or grouped by category or
// as a process tree with family totals. It asks for data only while visible.
import * as vscode from 'vscode';
import { parseFilterText } from '../../shared/filter';
import {
  identityKey,
  type Grouping,
  type ProcessFilter,
  type ProcessRow,
  type SortKey,
} from '../../shared/model';
import {
  ProcessesRequest,
  TopRequest,
  type ProcessTreeNode,
  type SubscribedView,
} from '../../shared/protocol';
import type { AgentClient } from '../agentClient';
import { config } from '../config';
import { MAX_SUBSCRIBED_ROWS, type Demand, type LiveFeed, type PushedTick } from '../subscription';
import { pushedView } from './pushedView';
import {
  categoryIcon,
  resolveTooltip,
  toTreeItem,
  type Annotate,
  type Node,
  type ProcessNode,
} from './nodes';

export const PROCESSES_VIEW = 'processTracker.processes';

/**
 * After a row is hovered (VS Code resolves its tooltip) or selected, the order holds this long: the
 * figures keep updating, but no row moves, so the inline ✕ hits the process the person aimed at.
 * VS Code tells an extension when a hover starts, not when it ends: hence a time.
 */
const HOLD_ORDER_MS = 10_000;

const SORT_LABELS: Record<SortKey, string> = { cpu: 'CPU', mem: 'Memory', io: 'Disk IO', name: 'Name' };
const GROUPING_LABELS: Record<Grouping, string> = {
  flat: 'flat',
  category: 'by category',
  tree: 'process tree',
};

export class ProcessesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private roots: Node[] = [];
  /** Each shown node's parent by id (TreeView.reveal walks up through getParent). */
  private readonly parents = new Map<string, Node>();
  private sortKey: SortKey = config.sort();
  private groupingMode: Grouping = config.grouping();
  private filterText = '';
  private filter: ProcessFilter | undefined;
  private inFlight = false;
  private pending = false;
  private lastRefresh = 0;
  /** Until then rows keep their places (HOLD_ORDER_MS). */
  private holdUntil = 0;
  /** The sort and grouping last sent as context keys. */
  private announced = '';
  /** Resolves waiters after the next completed refresh (tests and commands wait on it). */
  private refreshed = new vscode.EventEmitter<void>();

  constructor(
    private readonly agent: AgentClient,
    private readonly live: LiveFeed,
    private readonly annotate: Annotate,
  ) {
    this.view = vscode.window.createTreeView(PROCESSES_VIEW, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.changed,
      this.refreshed,
      this.view.onDidChangeVisibility(() => this.onVisibility()),
      this.view.onDidChangeSelection(() => this.holdOrder()),
      live.onTick((tick) => this.onTick(tick)),
      agent.onDidChangeState((state) => {
        if (state === 'connected') void this.refresh();
        else this.setRoots([]);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'processes.sort')) this.sortKey = config.sort();
        if (config.affects(event, 'processes.grouping')) this.groupingMode = config.grouping();
        if (config.affects(event, 'processes') || config.affects(event, 'view')) this.onVisibility();
      }),
    );
    this.describe();
    this.onVisibility();
  }

  get sort(): SortKey {
    return this.sortKey;
  }

  get grouping(): Grouping {
    return this.groupingMode;
  }

  get filterInput(): string {
    return this.filterText;
  }

  setSort(sort: SortKey): Promise<void> {
    this.sortKey = sort;
    return this.changedShape();
  }

  setGrouping(grouping: Grouping): Promise<void> {
    this.groupingMode = grouping;
    return this.changedShape();
  }

  /** Throws UserInputError when the filter box's text cannot be a filter. */
  checkFilter(text: string): void {
    if (text.trim()) parseFilterText(text);
  }

  /** Parses the filter box's text; throws UserInputError (a broken regex, a bad pid) before changing anything. */
  async setFilter(text: string): Promise<void> {
    const filter = text.trim() ? parseFilterText(text) : undefined;
    this.filterText = text.trim();
    this.filter = filter;
    void vscode.commands.executeCommand('setContext', 'processTracker.filterActive', filter !== undefined);
    await this.changedShape();
  }

  /** The current top-level nodes (the VS Code suite reads them through the API). */
  current(): Node[] {
    return this.roots;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    // Called when the row is hovered: the person may be about to click its ✕.
    this.holdOrder();
    return resolveTooltip(item, node);
  }

  /** Keeps the rows where they are for a while (a hover, a selection); the API lets tests ask too. */
  holdOrder(): void {
    this.holdUntil = Date.now() + HOLD_ORDER_MS;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots;
    return node.kind === 'message' ? [] : node.children;
  }

  getParent(node: Node): Node | undefined {
    return this.parents.get(node.id);
  }

  /**
   * Shows the process's row selected and focused (Find Process…). A process the view does not list
   * (past the top N, or filtered out) is shown by filtering on its PID, which the view's message
   * names and Clear Filter undoes. False when the agent no longer has it.
   */
  async reveal(row: Pick<ProcessRow, 'pid' | 'startTime'>): Promise<boolean> {
    // Focusing the view makes it visible, so it loads (a hidden view asks the agent for nothing).
    await vscode.commands.executeCommand(`${PROCESSES_VIEW}.focus`);
    await this.refresh();
    let node = this.find(row);
    if (!node) {
      await this.setFilter(`pid:${row.pid}`);
      node = this.find(row);
    }
    if (!node) return false;
    this.holdOrder();
    await this.view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  }

  private find(row: Pick<ProcessRow, 'pid' | 'startTime'>): Node | undefined {
    const search = (nodes: readonly Node[]): Node | undefined => {
      for (const node of nodes) {
        if (node.kind === 'message') continue;
        if (node.row?.pid === row.pid && node.row.startTime === row.startTime) return node;
        const found = search(node.children);
        if (found) return found;
      }
      return undefined;
    };
    return search(this.roots);
  }

  /** Fetches fresh rows now; resolves when the view holds them. */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.pending = true;
      return new Promise((resolve) => {
        const once = this.refreshed.event(() => {
          once.dispose();
          resolve();
        });
      });
    }
    this.inFlight = true;
    try {
      do {
        this.pending = false;
        this.lastRefresh = Date.now();
        this.setRoots(await this.load(undefined));
      } while (this.pending);
    } catch (error) {
      this.setRoots([message('error', `${(error as Error).message}`, 'warning')]);
    } finally {
      this.inFlight = false;
      this.refreshed.fire();
    }
  }

  private demand(): Demand {
    const grouped = this.groupedView();
    return {
      top: grouped ? 1 : config.topN(),
      sort: this.sortKey,
      ...this.filterParam(),
      // Grouped rows come with each tick: no ProcessesRequest after it.
      ...(grouped ? { views: [grouped] } : {}),
    };
  }

  /** The category or tree grouping as a subscribed view; undefined when flat (the tick's top rows). */
  private groupedView(): SubscribedView | undefined {
    if (this.groupingMode === 'flat') return undefined;
    return { id: 'processes', grouping: this.groupingMode, sort: this.sortKey, ...this.filterParam() };
  }

  private onVisibility(): void {
    this.live.set('processes', this.view.visible ? this.demand() : undefined);
    if (this.view.visible && this.agent.state === 'connected') void this.refresh();
  }

  private async changedShape(): Promise<void> {
    // A new sort, grouping or filter asked for a new order: show it at once.
    this.holdUntil = 0;
    this.describe();
    if (this.view.visible) this.live.set('processes', this.demand());
    await this.refresh();
  }

  private onTick(tick: PushedTick): void {
    if (!this.view.visible) return;
    if (Date.now() - this.lastRefresh < config.minRefreshMs()) return;
    if (this.inFlight) return; // the next tick catches up
    this.inFlight = true;
    this.lastRefresh = Date.now();
    this.load(tick)
      .then((roots) => this.setRoots(roots))
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        this.refreshed.fire();
      });
  }

  /** Rows for the current shape; a flat view reuses the tick's own rows when they were computed for it. */
  private async load(tick: PushedTick | undefined): Promise<Node[]> {
    if (this.agent.state !== 'connected') return [];
    const topN = config.topN();
    if (this.groupingMode === 'flat') {
      let rows: ProcessRow[];
      let matched: number | undefined;
      if (tick && topN <= MAX_SUBSCRIBED_ROWS && sameDemand(tick.demand, this.demand())) rows = tick.top;
      else {
        const result = await this.agent.request(TopRequest.type, {
          sort: this.sortKey,
          n: topN,
          ...this.filterParam(),
        });
        rows = result.rows;
        matched = result.matched;
      }
      this.describe(matched);
      return rows.length ? rows.map((row) => processNode(row, 'p', this.annotate)) : this.emptyRoots();
    }
    const view = this.groupedView()!;
    const pushed = tick && pushedView(tick, view);
    const { id: _id, ...params } = view;
    const result = pushed ?? (await this.agent.request(ProcessesRequest.type, params));
    this.describe();
    if (result.grouping === 'category') {
      const groups = result.groups.map<Node>((group) => ({
        kind: 'group',
        id: `cat:${group.category}`,
        label: group.category,
        icon: categoryIcon(group.category),
        totals: group.totals,
        children: group.rows.slice(0, topN).map((row) => processNode(row, `c`, this.annotate)),
      }));
      return groups.length ? groups : this.emptyRoots();
    }
    if (result.grouping === 'tree') {
      const roots = result.roots
        .slice(0, topN)
        .map((root) => treeNode(root, topN, 't', result.roots.length <= 3, this.annotate));
      return roots.length ? roots : this.emptyRoots();
    }
    return [];
  }

  /** The filter box's filter, and kernel threads left out unless the person asked for them. */
  private filterParam(): { filter?: ProcessFilter } {
    const kernel = config.showKernelThreads() ? {} : { hideKernelThreads: true };
    const filter = { ...this.filter, ...kernel };
    return Object.keys(filter).length ? { filter } : {};
  }

  /**
   * No rows: a filter that matches nothing says so; otherwise the agent has no sample yet, which
   * the view's welcome text says (package.json).
   */
  private emptyRoots(): Node[] {
    return this.filter
      ? [message('empty', vscode.l10n.t('No process matches the filter "{0}"', this.filterText), 'filter')]
      : [];
  }

  private setRoots(roots: Node[]): void {
    // A refresh that changes nothing is not sent: VS Code holds back a tree's next refresh until
    // 200 ms after its last one, which delayed a new window's first live rows by up to that much.
    if (sameMessages(this.roots, roots)) return;
    this.roots = Date.now() < this.holdUntil ? keepPlaces(this.roots, roots) : roots;
    this.parents.clear();
    const index = (parent: Node) => {
      if (parent.kind === 'message') return;
      for (const child of parent.children) {
        this.parents.set(child.id, parent);
        index(child);
      }
    };
    this.roots.forEach(index);
    this.changed.fire(undefined);
  }

  private describe(matched?: number): void {
    this.announceShape();
    const description = `${vscode.l10n.t(SORT_LABELS[this.sortKey])} · ${vscode.l10n.t(GROUPING_LABELS[this.groupingMode])}`;
    const text = this.filter
      ? matched === undefined
        ? vscode.l10n.t('Filter: {0}', this.filterText)
        : vscode.l10n.t('Filter: {0} ({1} matching)', this.filterText, matched)
      : undefined;
    // Each set is sent to the window and counts as a refresh for VS Code's 200 ms hold (setRoots).
    if (this.view.description !== description) this.view.description = description;
    if (this.view.message !== text) this.view.message = text;
  }

  /** The Sort and Group menus' check marks follow these context keys (package.json, commands.ts). */
  private announceShape(): void {
    const shape = `${this.sortKey}/${this.groupingMode}`;
    if (shape === this.announced) return;
    this.announced = shape;
    void vscode.commands.executeCommand('setContext', 'processTracker.sort', this.sortKey);
    void vscode.commands.executeCommand('setContext', 'processTracker.grouping', this.groupingMode);
  }

  dispose(): void {
    this.live.set('processes', undefined);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Both lists hold only the same messages (or nothing): showing the second changes nothing. */
function sameMessages(a: readonly Node[], b: readonly Node[]): boolean {
  return (
    a.length === b.length &&
    a.every((node, i) => {
      const other = b[i]!;
      return (
        node.kind === 'message' &&
        other.kind === 'message' &&
        node.id === other.id &&
        node.label === other.label
      );
    })
  );
}

/**
 * `next` in the places `previous` had: each row stays where it was (with its new figures); a row
 * that left stays as it was last seen (removing it would move the rows below it up); new rows come
 * last. Children are kept in place the same way.
 */
export function keepPlaces(previous: readonly Node[], next: readonly Node[]): Node[] {
  if (previous.some((node) => node.kind === 'message') || next.some((node) => node.kind === 'message'))
    return [...next];
  const fresh = new Map(next.map((node) => [node.id, node]));
  const kept = previous.map((old) => {
    const node = fresh.get(old.id);
    fresh.delete(old.id);
    if (!node) return old;
    if (node.kind === 'message' || old.kind === 'message') return node;
    return { ...node, children: keepPlaces(old.children, node.children) } as Node;
  });
  return [...kept, ...fresh.values()];
}

function sameDemand(a: Demand, b: Demand): boolean {
  return (
    a.sort === b.sort &&
    a.top >= Math.min(b.top, MAX_SUBSCRIBED_ROWS) &&
    JSON.stringify(a.filter) === JSON.stringify(b.filter)
  );
}

function processNode(row: ProcessRow, prefix: string, annotate: Annotate): ProcessNode {
  return {
    kind: 'process',
    id: `${prefix}:${identityKey(row.pid, row.startTime)}`,
    row,
    children: [],
    ...annotate(row),
  };
}

export function treeNode(
  node: ProcessTreeNode,
  topN: number,
  prefix: string,
  expanded: boolean,
  annotate: Annotate,
): ProcessNode {
  return {
    kind: 'process',
    id: `${prefix}:${identityKey(node.row.pid, node.row.startTime)}`,
    row: node.row,
    family: node.family,
    children: node.children.slice(0, topN).map((child) => treeNode(child, topN, prefix, false, annotate)),
    expanded,
    ...annotate(node.row),
  };
}

function message(id: string, label: string, icon: string): Node {
  return { kind: 'message', id: `message:${id}`, label, icon };
}
