// Read-only virtual documents: a process's details (asked from the agent each time the document
// is opened or refreshed) and reports (stats, at-time, agent status) held in memory.
import * as vscode from 'vscode';
import type { ProcessIdentity, ProcessRow } from '../shared/model';
import { ProcessDetailsRequest, TopRequest } from '../shared/protocol';
import type { AgentClient } from './agentClient';
import { detailsMarkdown } from './format';

export const SCHEME = 'process-tracker';

export class Documents implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changedEmitter.event;
  private readonly reports = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly agent: AgentClient) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.path.startsWith('/report/')) return this.reports.get(uri.path) ?? '';
    const query = new URLSearchParams(uri.query);
    const identity = { pid: Number(query.get('pid')), startTime: Number(query.get('start')) };
    try {
      return await this.details(identity);
    } catch (error) {
      return `# PID ${identity.pid}\n\n${vscode.l10n.t('The agent cannot say more: {0}', (error as Error).message)}\n`;
    }
  }

  private async details(identity: ProcessIdentity): Promise<string> {
    const [details, top] = await Promise.all([
      this.agent.request(ProcessDetailsRequest.type, { identity }),
      this.agent.request(TopRequest.type, { n: 1, filter: { pid: identity.pid } }),
    ]);
    const row: ProcessRow | undefined = top.rows.find((r) => r.startTime === identity.startTime);
    return detailsMarkdown(row, details, Date.now(), vscode.l10n.t);
  }

  /** Opens a process's details beside the editor, as a markdown preview when available. */
  async showDetails(row: Pick<ProcessRow, 'pid' | 'startTime' | 'name'>): Promise<vscode.Uri> {
    const name = row.name.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'process';
    const uri = vscode.Uri.from({
      scheme: SCHEME,
      path: `/details/${name} (${row.pid}).md`,
      query: `pid=${row.pid}&start=${row.startTime}`,
    });
    this.changedEmitter.fire(uri);
    await open(uri);
    return uri;
  }

  /** Opens a markdown report (stats, at-time, agent status). */
  async showReport(title: string, markdown: string): Promise<vscode.Uri> {
    const path = `/report/${title.replace(/[^\w.-]+/g, ' ').trim() || 'report'}.md`;
    this.reports.set(path, markdown);
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    this.changedEmitter.fire(uri);
    await open(uri);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changedEmitter.dispose();
  }
}

async function open(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  // Executed, not looked up first: getCommands() lists only the commands of activated extensions,
  // and the built-in Markdown extension activates on this very command, so a lookup made before it
  // ran (a window's first Show Details) opened the markdown source instead of the preview.
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // A VS Code without the Markdown extension: the source, read-only.
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
