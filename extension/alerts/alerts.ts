// Alerts in this window: a toast per alert notification (severity-styled, with actions), the
// Alerts view, the rules file's diagnostics, and what the agent needs from VS Code on every
// connect — the user's settings rules and the secrets in SecretStorage.
import { userErrorText } from '../../shared/errors';
import { langOf } from '../../shared/i18n/catalogue';
import * as vscode from 'vscode';
import type { AlertEvent } from '../../shared/model';
import {
  AlertNotification,
  AlertSecretsRequest,
  AlertSettingsRulesRequest,
  type AlertRulesStatus,
} from '../../shared/protocol';
import { config } from '../config';
import type { Ctx } from '../ctx';
import {
  killAlertProcess,
  openAlertHistory,
  showAlertProcess,
  silenceAlert,
  type AlertTarget,
} from './actions';
import { RulesFile } from './rulesFile';
import { AlertSecrets } from './secrets';
import {
  actionTitle,
  shouldToast,
  toastActions,
  toastLevel,
  toastMessage,
  type ToastAction,
  type ToastLevel,
} from './text';
import { AlertsView } from './view';

/** A toast as shown (tests read these: the Ui layer keeps text only). */
export interface ShownToast {
  level: ToastLevel;
  message: string;
  actions: string[];
  rule: string;
  kind: AlertEvent['kind'];
  test: boolean;
  ts: number;
}

const MAX_REMEMBERED = 50;

export class Alerts implements vscode.Disposable {
  readonly view: AlertsView;
  readonly rules: RulesFile;
  readonly secrets: AlertSecrets;
  private readonly shown: ShownToast[] = [];
  /** What this window last sent as settings rules (tests check no workspace value got in). */
  private sentSettingsRules: unknown[] | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.view = new AlertsView(ctx.agent, ctx.log);
    this.rules = new RulesFile(ctx.agent, ctx.ui, ctx.log);
    this.secrets = new AlertSecrets(ctx.extension.secrets);
    this.disposables.push(
      this.view,
      this.rules,
      this.rules.onDidReadStatus((status) => this.view.setProblemCount(status.problems.length)),
      ctx.agent.onNotification(AlertNotification.type, (event) => this.onAlert(event)),
      ctx.agent.onDidChangeState((state) => {
        if (state === 'connected') void this.onConnected();
        else this.view.clear();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'alerts.rules')) void this.sendSettingsRules();
      }),
      this.secrets.onDidChange((event) => {
        // Another window (or this one) changed a secret: the agent holds the set this window sends.
        if (this.secrets.isOurs(event.key)) void this.sendSecrets(true);
      }),
    );
  }

  toasts(): ShownToast[] {
    return [...this.shown];
  }

  lastSentSettingsRules(): unknown[] | undefined {
    return this.sentSettingsRules;
  }

  private async onConnected(): Promise<void> {
    // The agent forgets secrets on restart, and settings may have changed while no window was open.
    await this.sendSettingsRules();
    await this.sendSecrets(false);
    await this.view.refresh();
  }

  /** The setting's user and machine values only: a repository's settings never reach the agent. */
  async sendSettingsRules(): Promise<AlertRulesStatus | undefined> {
    if (this.ctx.agent.state !== 'connected') return undefined;
    const rules = config.alertSettingsRules();
    try {
      const status = await this.ctx.agent.request(AlertSettingsRulesRequest.type, { rules });
      this.sentSettingsRules = rules;
      this.rules.apply(status);
      return status;
    } catch (error) {
      this.ctx.log.warn(`sending the alert rules from settings failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Sends every stored secret. `evenNone`: also when there are none (after a delete); on connect an
   * empty set is not sent, so that a window without secrets does not wipe another window's.
   */
  async sendSecrets(evenNone: boolean): Promise<AlertRulesStatus | undefined> {
    if (this.ctx.agent.state !== 'connected') return undefined;
    const secrets = await this.secrets.all();
    if (!evenNone && Object.keys(secrets).length === 0) return undefined;
    try {
      const status = await this.ctx.agent.request(AlertSecretsRequest.type, { secrets });
      this.ctx.log.info(`sent ${Object.keys(secrets).length} alert secret(s) to the agent`);
      this.rules.apply(status);
      return status;
    } catch (error) {
      // The agent never echoes a value in its errors, so the message is safe to log.
      this.ctx.log.warn(`sending alert secrets failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private onAlert(event: AlertEvent): void {
    this.ctx.log.info(
      `alert ${event.kind}${event.suppressed ? ` (held back: ${event.suppressed})` : ''}: ${event.message}`,
    );
    if (!event.test) this.view.scheduleRefresh();
    if (!shouldToast(event)) return;
    const level = toastLevel(event);
    const actions = toastActions(event, this.ctx.canKill());
    const titles = actions.map((action) => actionTitle(action, vscode.l10n.t));
    const message = toastMessage(event, vscode.l10n.t, langOf(vscode.env.language));
    this.shown.push({
      level,
      message,
      actions: titles,
      rule: event.rule,
      kind: event.kind,
      test: event.test === true,
      ts: Date.now(),
    });
    if (this.shown.length > MAX_REMEMBERED) this.shown.shift();
    const show =
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called as show.call(this.ctx.ui, …) below
      level === 'error' ? this.ctx.ui.error : level === 'warning' ? this.ctx.ui.warn : this.ctx.ui.info;
    // Not awaited: a toast stays until dismissed, and the next alert must not wait for it.
    void show.call(this.ctx.ui, message, ...titles).then((choice) => {
      const action = actions[titles.indexOf(choice ?? '')];
      if (action) void this.run(action, event);
    });
  }

  /** Runs a toast's or a row's action; a failure is one message, never an unhandled rejection. */
  async run(action: ToastAction, target: AlertTarget): Promise<void> {
    try {
      if (action === 'showProcess') await showAlertProcess(this.ctx, target);
      else if (action === 'openHistory') await openAlertHistory(this.ctx, target);
      else if (action === 'silence') await silenceAlert(this.ctx, target);
      else await killAlertProcess(this.ctx, target);
    } catch (error) {
      this.ctx.log.error(`alert action ${action} failed: ${(error as Error)?.stack ?? String(error)}`);
      await this.ctx.ui.error(
        vscode.l10n.t('Process Tracker: {0}', userErrorText(error, langOf(vscode.env.language))),
      );
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
