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

  /**
   * A quick pick whose items follow what the person types: `search` runs shortly after each change
   * (the newest answer wins; a thrown error becomes the one item, saying what is wrong). Resolves
   * the accepted item, or the item and the button pressed on it. Scripted: the answer is the text
   * typed, the first item found is accepted, and a thrown error is thrown.
   */
  async livePick<T extends vscode.QuickPickItem>(options: {
    title: string;
    placeholder: string;
    search: (text: string) => Promise<T[]>;
  }): Promise<{ item: T; button?: vscode.QuickInputButton } | undefined> {
    const next = this.scripted();
    if (next.answered) {
      if (next.value === undefined) return undefined;
      const [first] = await options.search(next.value);
      return first && { item: first };
    }
    const pick = vscode.window.createQuickPick<T | vscode.QuickPickItem>();
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    // The agent filters (re2js regexes, PIDs): VS Code's own fuzzy filter must not hide its matches.
    pick.matchOnDescription = false;
    let asked = 0;
    let timer: NodeJS.Timeout | undefined;
    const search = (text: string) => {
      const ask = ++asked;
      pick.busy = true;
      options.search(text).then(
        (items) => {
          if (ask !== asked) return;
          pick.items = items.map((item) => ({ ...item, alwaysShow: true }));
          pick.busy = false;
        },
        (error: unknown) => {
          if (ask !== asked) return;
          pick.items = [
            { label: `$(error) ${(error as Error)?.message ?? String(error)}`, alwaysShow: true },
          ];
          pick.busy = false;
        },
      );
    };
    return new Promise((resolve) => {
      let done = false;
      const finish = (value: { item: T; button?: vscode.QuickInputButton } | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
        pick.hide();
      };
      // The items shown are copies of search's (with alwaysShow set): the same fields.
      const original = (item: vscode.QuickPickItem) => item as T;
      pick.onDidChangeValue((text) => {
        clearTimeout(timer);
        timer = setTimeout(() => search(text), 120);
      });
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen && !chosen.label.startsWith('$(error)')) finish({ item: original(chosen) });
      });
      pick.onDidTriggerItemButton((event) => finish({ item: original(event.item), button: event.button }));
      pick.onDidHide(() => {
        finish(undefined);
        pick.dispose();
      });
      pick.show();
      search('');
    });
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
