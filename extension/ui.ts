// Every prompt and message the extension shows goes through here, so that the VS Code suite can
// answer prompts and read the errors shown (modal dialogs and quick picks cannot be clicked from
// the extension host). Outside tests the scripted queue is always empty.
import * as vscode from 'vscode';

/** A scripted answer: an item label (or part of it) for picks and confirmations, text for inputs; undefined = dismissed. */
export type ScriptedAnswer = string | undefined;

export class Ui {
  private readonly answers: ScriptedAnswer[] = [];
  private readonly errors: string[] = [];
  private readonly infos: string[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Tests: the next prompt takes this answer instead of waiting for a person. */
  script(...answers: ScriptedAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Tests: the messages shown so far (newest last, at most 50). */
  shown(): { errors: string[]; infos: string[] } {
    return { errors: [...this.errors], infos: [...this.infos] };
  }

  private scripted(): { answered: true; value: ScriptedAnswer } | { answered: false } {
    return this.answers.length ? { answered: true, value: this.answers.shift() } : { answered: false };
  }

  private remember(list: string[], message: string): void {
    list.push(message);
    if (list.length > 50) list.shift();
  }

  /**
   * Shows an error. Without actions it resolves at once: a toast stays until dismissed, and no
   * command should hang on it.
   */
  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(this.errors, message);
    this.log.error(message);
    return this.show(vscode.window.showErrorMessage, message, actions);
  }

  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(this.infos, message);
    return this.show(vscode.window.showWarningMessage, message, actions);
  }

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(this.infos, message);
    return this.show(vscode.window.showInformationMessage, message, actions);
  }

  private show(
    show: (message: string, ...items: string[]) => Thenable<string | undefined>,
    message: string,
    actions: string[],
  ): Thenable<string | undefined> {
    if (!actions.length) {
      void show(message);
      return Promise.resolve(undefined);
    }
    const next = this.scripted();
    if (next.answered) return Promise.resolve(next.value);
    return show(message, ...actions);
  }

  /**
   * Asks before something that cannot be undone (a kill); true only when the person chose `action`.
   * A quick pick, not a modal dialog: a dialog focuses its action button, so Enter would kill;
   * here Cancel is the first, focused item, and Enter or Escape keeps the process.
   */
  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    const next = this.scripted();
    if (next.answered) return next.value === action;
    const cancel: vscode.QuickPickItem = { label: `$(circle-slash) ${vscode.l10n.t('Cancel')}` };
    const confirm: vscode.QuickPickItem = {
      label: `$(warning) ${action}`,
      detail: detail.replace(/\n/g, ' · '),
    };
    const picked = await vscode.window.showQuickPick([cancel, confirm], {
      title: message,
      placeHolder: message,
      ignoreFocusOut: true,
    });
    return picked === confirm;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const next = this.scripted();
    if (next.answered) return next.value;
    return vscode.window.showInputBox(options);
  }

  async pick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const next = this.scripted();
    if (next.answered) {
      const resolved = await items;
      return next.value === undefined ? undefined : resolved.find((item) => item.label.includes(next.value!));
    }
    return vscode.window.showQuickPick(items, options);
  }
}
