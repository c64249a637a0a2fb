// The alert commands, merged into the one command table (extension/commands.ts).
import { langOf, refText } from '../../shared/i18n/catalogue';
import * as vscode from 'vscode';
import { UserInputError } from '../../shared/errors';
import type { ActiveAlert } from '../../shared/model';
import { AlertHistoryRequest, AlertsTestRequest } from '../../shared/protocol';
import type { Ctx } from '../ctx';
import { alertHistoryMarkdown } from './text';
import { checkSecretName, SECRET_NAME } from './secrets';
import type { AlertNode } from './view';
import { killAlertProcess, silenceAlert } from './actions';

interface CommandSpec {
  needsAgent: boolean;
  run: (ctx: Ctx, ...args: unknown[]) => unknown;
}

const HISTORY_PAGE = 200;

function alertOf(ctx: Ctx, node: unknown): ActiveAlert {
  const given =
    (node as Partial<AlertNode> | undefined)?.kind === 'alert'
      ? (node as { alert: ActiveAlert }).alert
      : undefined;
  const selected = ctx.alerts.view.view.selection[0];
  const alert = given ?? (selected?.kind === 'alert' ? selected.alert : undefined);
  if (!alert) throw new UserInputError(vscode.l10n.t('Select an alert in the Alerts view first.'));
  return alert;
}

async function alertHistory(ctx: Ctx): Promise<void> {
  const result = await ctx.agent.request(AlertHistoryRequest.type, { limit: HISTORY_PAGE });
  await ctx.documents.showReport(
    vscode.l10n.t('Alert History'),
    alertHistoryMarkdown(result, vscode.l10n.t, langOf(vscode.env.language)),
  );
}

async function testAlertRule(ctx: Ctx, ruleArg: unknown): Promise<void> {
  let rule = typeof ruleArg === 'string' ? ruleArg : undefined;
  if (!rule) {
    const status = await ctx.alerts.rules.readStatus();
    if (!status.rules.length) {
      const manage = vscode.l10n.t('Manage Alert Rules');
      const choice = await ctx.ui.info(vscode.l10n.t('There are no alert rules to test yet.'), manage);
      if (choice === manage) await ctx.alerts.rules.open();
      return;
    }
    const picked = await ctx.ui.pick(
      status.rules.map((r) => ({
        label: r.name,
        description: (r.summaryRef && refText(r.summaryRef, langOf(vscode.env.language))) ?? r.summary,
        detail: r.channels.length
          ? vscode.l10n.t('Channels: {0}', r.channels.join(', '))
          : vscode.l10n.t('No channels: a test toast only'),
      })),
      {
        title: vscode.l10n.t('Test Alert Rule'),
        placeHolder: vscode.l10n.t('The rule to send a test notification for'),
      },
    );
    if (!picked) return;
    rule = picked.label;
  }
  const result = await ctx.agent.request(AlertsTestRequest.type, { rule });
  const lines = result.results.map((r) =>
    r.ok
      ? vscode.l10n.t(
          '{0} ({1}): delivered{2} in {3} ms',
          r.channel,
          r.type,
          r.status ? ` (${r.status})` : '',
          r.durationMs,
        )
      : vscode.l10n.t(
          '{0} ({1}): failed{2}: {3}',
          r.channel,
          r.type,
          r.status ? ` (${r.status})` : '',
          r.error ?? '?',
        ),
  );
  ctx.log.info(`alert test ${rule}: ${lines.join('; ') || 'no channels'}`);
  const summary = lines.length
    ? vscode.l10n.t('Test of "{0}": {1}', rule, lines.join('; '))
    : vscode.l10n.t('Test of "{0}": the rule has no channels; a test toast was shown.', rule);
  if (result.results.every((r) => r.ok)) void ctx.ui.info(summary);
  else void ctx.ui.error(summary);
}

async function setAlertSecret(ctx: Ctx): Promise<void> {
  const status = ctx.agent.state === 'connected' ? await ctx.alerts.rules.readStatus() : undefined;
  const waiting = [...new Set(status?.waitingForSecrets.flatMap((w) => w.secrets) ?? [])];
  const name = await ctx.ui.input({
    title: vscode.l10n.t('Set Alert Secret (1/2)'),
    prompt: waiting.length
      ? vscode.l10n.t('The secret name; the alerts file waits for: {0}', waiting.join(', '))
      : vscode.l10n.t('The secret name NAME, as written in the alerts file: {0}', 'url: "${secret:NAME}"'),
    value: waiting[0] ?? '',
    validateInput: (value) =>
      SECRET_NAME.test(value.trim()) ? undefined : vscode.l10n.t('1-100 letters, digits, _ . or -'),
  });
  if (name === undefined) return;
  checkSecretName(name.trim());
  const value = await ctx.ui.input({
    title: vscode.l10n.t('Set Alert Secret (2/2)'),
    prompt: vscode.l10n.t(
      'The value of "{0}" (kept in VS Code\'s secret storage, sent to the agent only)',
      name.trim(),
    ),
    password: true,
    validateInput: (v) =>
      v.length === 0 || v.length > 8192 ? vscode.l10n.t('1-8192 characters') : undefined,
  });
  if (!value) return;
  await ctx.alerts.secrets.set(name.trim(), value);
  await ctx.alerts.sendSecrets(true);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Alert secret "{0}" saved', name.trim()), 5000);
}

async function deleteAlertSecret(ctx: Ctx): Promise<void> {
  const names = await ctx.alerts.secrets.names();
  if (!names.length) {
    void ctx.ui.info(vscode.l10n.t('There are no alert secrets stored.'));
    return;
  }
  const picked = await ctx.ui.pick(
    names.map((label) => ({ label })),
    { title: vscode.l10n.t('Delete Alert Secret') },
  );
  if (!picked) return;
  await ctx.alerts.secrets.delete(picked.label);
  await ctx.alerts.sendSecrets(true);
}

export const ALERT_COMMANDS: Record<string, CommandSpec> = {
  'processTracker.alertHistory': { needsAgent: true, run: (ctx) => alertHistory(ctx) },
  'processTracker.manageAlertRules': {
    needsAgent: true,
    run: async (ctx) => {
      await ctx.alerts.rules.open();
    },
  },
  'processTracker.testAlertRule': { needsAgent: true, run: (ctx, rule) => testAlertRule(ctx, rule) },
  'processTracker.setAlertSecret': { needsAgent: false, run: (ctx) => setAlertSecret(ctx) },
  'processTracker.deleteAlertSecret': { needsAgent: false, run: (ctx) => deleteAlertSecret(ctx) },
  'processTracker.silenceAlert': {
    needsAgent: true,
    run: (ctx, node) => silenceAlert(ctx, alertOf(ctx, node)),
  },
  'processTracker.killAlertProcess': {
    needsAgent: true,
    run: (ctx, node) => killAlertProcess(ctx, alertOf(ctx, node)),
  },
};
