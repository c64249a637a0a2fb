// The user's alerts file in the editor: "Manage Alert Rules" opens it (creating it, private, with
// a commented example), and the agent's verdict on it (AlertRulesStatus.problems) becomes
// diagnostics on its lines, renewed after each save once the agent has re-read it. While the file
// has unsaved edits, the agent checks its text as it is typed (AlertRulesCheckRequest: the verdict a
// save would get); a revert shows the agent's verdict on the file again.
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  AlertRulesCheckRequest,
  AlertRulesStatusRequest,
  type AlertRulesStatus,
} from '../../shared/protocol';
import { langOf } from '../../shared/i18n/catalogue';
import { problemMessage } from '../../shared/problems';
import type { ConfigProblem } from '../../shared/validate';
import type { AgentClient } from '../agentClient';
import type { Ui } from '../ui';
import { EXAMPLE_RULES_FILE, problemLine, problemsOfFile } from './text';

/** How long the agent may take to notice a save and re-read the file (it debounces 200 ms). */
const RELOAD_WAIT_MS = 20_000;
/** Typing pauses this long before the edited text is checked. */
const EDIT_CHECK_MS = 300;

export class RulesFile implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('processTracker.alerts');
  private file: string | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<AlertRulesStatus>();
  /** Fires with every rules status read or returned by the agent. */
  readonly onDidReadStatus = this.statusEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.statusEmitter];
  private editTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly agent: AgentClient,
    private readonly ui: Ui,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.isRulesFile(document)) void this.afterSave();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.isRulesFile(event.document) && event.contentChanges.length) this.afterEdit(event.document);
      }),
    );
  }

  /** Opens the rules file the agent reads, creating it first when missing. */
  async open(): Promise<vscode.TextEditor> {
    const status = await this.readStatus();
    const file = status.file;
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // 'wx': never overwrite a file that appeared meanwhile.
      writeFileSync(file, EXAMPLE_RULES_FILE, { mode: 0o600, flag: 'wx' });
      this.log.info(`created ${file}`);
    } else await this.checkPrivate(file);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    return editor;
  }

  /** The file may hold webhook URLs and passwords: offer to make it private when others can read it. */
  private async checkPrivate(file: string): Promise<void> {
    if (process.platform === 'win32') return;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    const fix = vscode.l10n.t('Make Private');
    const choice = await this.ui.warn(
      vscode.l10n.t(
        '{0} can be read by other users (mode {1}) and may hold webhook URLs or passwords.',
        file,
        mode.toString(8),
      ),
      fix,
    );
    if (choice === fix) chmodSync(file, 0o600);
  }

  async readStatus(): Promise<AlertRulesStatus> {
    const status = await this.agent.request(AlertRulesStatusRequest.type, {});
    this.apply(status);
    return status;
  }

  private isRulesFile(document: vscode.TextDocument): boolean {
    return this.file !== undefined && document.uri.scheme === 'file' && document.uri.fsPath === this.file;
  }

  /**
   * After an edit: unsaved text is checked here; text back as on disk (a revert, an undo to the
   * saved state) gets the agent's verdict on the file again.
   */
  private afterEdit(document: vscode.TextDocument): void {
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      if (document.isClosed) return;
      if (!document.isDirty) {
        void this.readStatus().catch((error: Error) =>
          this.log.warn(`reading the alert rules status failed: ${error.message}`),
        );
        return;
      }
      const text = document.getText();
      this.agent
        .request(AlertRulesCheckRequest.type, { text })
        .then(({ problems }) => {
          // Typed on meanwhile: the newer text's check shows instead.
          if (document.getText() === text && document.isDirty) this.show(document.uri, problems);
        })
        .catch((error: Error) => this.log.warn(`checking the alert rules failed: ${error.message}`));
    }, EDIT_CHECK_MS);
  }

  /** Shows a status the agent returned (to any alert request) as diagnostics on the file. */
  apply(status: AlertRulesStatus): void {
    this.file = status.file;
    const uri = vscode.Uri.file(status.file);
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === status.file);
    // The agent read the file on disk: its verdict does not describe unsaved edits.
    if (!open?.isDirty) this.show(uri, problemsOfFile(status, status.file));
    for (const problem of status.problems) if (problem.where === 'settings') this.log.warn(problem.text);
    this.statusEmitter.fire(status);
  }

  private show(uri: vscode.Uri, problems: ConfigProblem[]): void {
    // The agent sends each problem's catalogue reference: said in VS Code's language.
    const lang = langOf(vscode.env.language);
    this.diagnostics.set(
      uri,
      problems.map((problem) => {
        const line = problemLine(problem);
        const message = problemMessage(problem, lang);
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
          problem.field ? `${problem.field}: ${message}` : message,
          problem.level === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = 'Process Tracker';
        return diagnostic;
      }),
    );
  }

  /** Tests: the diagnostics on the rules file now. */
  current(): { line: number; message: string; severity: 'error' | 'warning' }[] {
    if (!this.file) return [];
    return (this.diagnostics.get(vscode.Uri.file(this.file)) ?? []).map((d) => ({
      line: d.range.start.line + 1,
      message: d.message,
      severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning',
    }));
  }

  clear(): void {
    this.diagnostics.clear();
  }

  /** After a save: wait until the agent has re-read the file, then show its verdict. */
  private async afterSave(): Promise<void> {
    const savedAt = Date.now();
    const deadline = savedAt + RELOAD_WAIT_MS;
    try {
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const status = await this.agent.request(AlertRulesStatusRequest.type, {});
        if (status.loadedAt >= savedAt - 50 || Date.now() + 300 >= deadline) {
          this.apply(status);
          return;
        }
      }
    } catch (error) {
      this.log.warn(`reading the alert rules status failed: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
