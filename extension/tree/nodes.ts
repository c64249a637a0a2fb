// The rows both views show. Ids come from the process identity (pid + start time), prefixed by
// where the row sits, so that selection and expansion survive a refresh and a reused pid is a
// new row.
import * as vscode from 'vscode';
import type { Category, ProcessRow } from '../../shared/model';
import type { FamilyTotals } from '../../shared/protocol';
import { findingBadge, rowDescription, rowTooltip, totalsDescription, type FindingNote } from '../format';

export type Owner =
  | { kind: 'terminal'; terminal: vscode.Terminal }
  | { kind: 'task'; execution: vscode.TaskExecution }
  | { kind: 'debug'; session: vscode.DebugSession }
  | { kind: 'extensionHost' };

export interface ProcessNode {
  kind: 'process';
  id: string;
  row: ProcessRow;
  family?: FamilyTotals;
  children: ProcessNode[];
  expanded?: boolean;
  /** What it is to this window or to VS Code ("JSON language server"), when known: its label. */
  role?: string;
  /** Open findings about it: a badge on the row, their summaries in its tooltip. */
  findings?: FindingNote[];
}

/** What the views know of a row beyond the agent's figures (WindowOwners.roleOf, OpenFindings). */
export type Annotate = (row: ProcessRow) => Pick<ProcessNode, 'role' | 'findings'>;

export interface GroupNode {
  kind: 'group';
  id: string;
  label: string;
  icon: string;
  totals: FamilyTotals;
  children: Node[];
  /** This Window's owner rows: the owner's own process, when known. */
  row?: ProcessRow;
  owner?: Owner;
}

export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  icon: string;
}

export type Node = ProcessNode | GroupNode | MessageNode;

const CATEGORY_ICONS: Record<Category, string> = {
  development: 'code',
  browser: 'globe',
  database: 'database',
  container: 'package',
  shell: 'terminal',
  system: 'server-process',
  other: 'circle-outline',
};

export function categoryIcon(category: Category): string {
  return CATEGORY_ICONS[category];
}

/** The row a command received: a tree node, or the process itself (quick picks, tests). */
export function rowOf(node: unknown): ProcessRow | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const candidate = node as { row?: ProcessRow };
  if (candidate.row) return candidate.row;
  const row = node as Partial<ProcessRow>;
  return typeof row.pid === 'number' && typeof row.startTime === 'number' ? (row as ProcessRow) : undefined;
}

export function toTreeItem(node: Node): vscode.TreeItem {
  if (node.kind === 'message') {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.contextValue = 'message';
    return item;
  }
  if (node.kind === 'group') {
    const item = new vscode.TreeItem(
      node.label,
      node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = totalsDescription(node.totals, vscode.l10n.t);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.contextValue = node.row ? `process.owner.${node.owner?.kind ?? 'none'}` : 'group';
    return item;
  }
  const { row } = node;
  const state = node.children.length
    ? node.expanded
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed
    : vscode.TreeItemCollapsibleState.None;
  const name = row.name || `[${row.pid}]`;
  const item = new vscode.TreeItem(node.role ?? name, state);
  item.id = node.id;
  const badge = findingBadge(node.findings ?? [], vscode.l10n.t);
  // A role takes the label: the process's own name (`node`) then leads the description.
  const figures =
    node.family && node.children.length
      ? `${rowDescription(row)}  ${totalsDescription(node.family, vscode.l10n.t)}`
      : rowDescription(row);
  item.description = [badge, node.role ? name : '', figures].filter(Boolean).join(' · ');
  item.iconPath = badge
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon(categoryIcon(row.category));
  item.contextValue = 'process';
  const said = [node.role, row.name, `PID ${row.pid}`, badge.replace(/^⚠ /, ''), rowDescription(row)];
  item.accessibilityInformation = { label: said.filter(Boolean).join(', ') };
  return item;
}

/**
 * A row's tooltip, built when it is hovered (TreeDataProvider.resolveTreeItem), not for every row
 * on every refresh: the window parses each markdown tooltip it is sent.
 */
export function resolveTooltip(item: vscode.TreeItem, node: Node): vscode.TreeItem {
  const row = node.kind === 'message' ? undefined : node.row;
  if (row) item.tooltip = tooltip(row, node.kind === 'process' ? node : {});
  return item;
}

function tooltip(row: ProcessRow, extra: Pick<ProcessNode, 'role' | 'findings'>): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(rowTooltip(row, Date.now(), vscode.l10n.t, extra));
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
