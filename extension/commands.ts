// The one table of commands. Each entry says whether it needs the agent; while the agent is not
// connected those run their "disabled" variant: one message saying so, with the ways out.
import * as vscode from 'vscode';
import { UserInputError, userErrorText } from '../shared/errors';
import { langOf } from '../shared/i18n/catalogue';
import type { ProcessRow } from '../shared/model';
import { AgentErrorCodes } from '../shared/protocol';
import { copyCommandLine, copyPid, kill, showDetails } from './actions';
import { AgentNotConnectedError } from './agentClient';
import { ALERT_COMMANDS } from './alerts/commands';
import { MACHINE_COMMANDS } from './fleet/commands';
import { config } from './config';
import type { Ctx } from './ctx';
import { revealOwner } from './owners';
import { HistoryPanels } from './panel/historyPanels';
import * as agentCommands from './agentCommands';
import * as q from './queries';
import { rowOf, type GroupNode } from './tree/nodes';

interface CommandSpec {
  needsAgent: boolean;
  run: (ctx: Ctx, ...args: unknown[]) => unknown;
}

function withRow(action: (ctx: Ctx, row: ProcessRow) => Promise<void>): CommandSpec['run'] {
  return async (ctx, node) => {
    const row = rowOf(node) ?? rowOf(ctx.processes.view.selection[0]);
    if (!row) throw new UserInputError(vscode.l10n.t('Select a process in the Processes view first.'));
    await action(ctx, row);
  };
}

export const COMMANDS: Record<string, CommandSpec> = {
  'processTracker.showTopByCpu': { needsAgent: true, run: (ctx) => q.showTop(ctx, 'cpu') },
  'processTracker.showTopByMemory': { needsAgent: true, run: (ctx) => q.showTop(ctx, 'mem') },
  'processTracker.showTopByIo': { needsAgent: true, run: (ctx) => q.showTop(ctx, 'io') },
  'processTracker.findProcess': { needsAgent: true, run: (ctx) => q.findProcess(ctx) },
  'processTracker.statsToday': { needsAgent: true, run: (ctx) => q.stats(ctx, 'today') },
  'processTracker.statsWeek': { needsAgent: true, run: (ctx) => q.stats(ctx, 'week') },
  'processTracker.statsMonth': { needsAgent: true, run: (ctx) => q.stats(ctx, 'month') },
  'processTracker.processesInCategory': { needsAgent: true, run: (ctx) => q.processesInCategory(ctx) },
  'processTracker.whatWasRunningAt': { needsAgent: true, run: (ctx) => q.whatWasRunningAt(ctx) },
  'processTracker.export': { needsAgent: true, run: (ctx) => q.exportHistory(ctx) },
  'processTracker.killProcess': { needsAgent: true, run: (ctx) => q.killFromPalette(ctx) },
  'processTracker.showAgentStatus': { needsAgent: true, run: (ctx) => agentCommands.showAgentStatus(ctx) },
  'processTracker.restartAgent': { needsAgent: false, run: (ctx) => agentCommands.restartAgent(ctx) },
  'processTracker.stopAgent': { needsAgent: true, run: (ctx) => agentCommands.stopAgent(ctx) },
  'processTracker.showLog': { needsAgent: false, run: (ctx) => ctx.log.show() },
  'processTracker.installService': { needsAgent: false, run: (ctx) => agentCommands.installService(ctx) },
  'processTracker.showDetails': { needsAgent: true, run: withRow(showDetails) },
  'processTracker.copyPid': { needsAgent: false, run: withRow(copyPid) },
  'processTracker.copyCommandLine': { needsAgent: false, run: withRow(copyCommandLine) },
  'processTracker.revealOwner': {
    needsAgent: false,
    run: async (_ctx, node) => {
      const owner = (node as Partial<GroupNode> | undefined)?.owner;
      if (owner) await revealOwner(owner);
    },
  },
  'processTracker.kill': { needsAgent: true, run: withRow(kill) },
  // The panel waits for the agent itself and says in its status line when it is down.
  'processTracker.openHistory': { needsAgent: false, run: (ctx) => ctx.history.open() },
  'processTracker.showHistory': {
    needsAgent: false,
    run: (ctx, arg) => {
      const target = HistoryPanels.targetOf(arg) ?? HistoryPanels.targetOf(ctx.processes.view.selection[0]);
      if (!target) throw new UserInputError(vscode.l10n.t('Select a process in the Processes view first.'));
      ctx.history.open(target);
    },
  },
  'processTracker.setFilter': {
    needsAgent: false,
    run: async (ctx) => {
      const text = await ctx.ui.input({
        title: vscode.l10n.t('Filter Processes'),
        prompt: vscode.l10n.t(
          'A regular expression on the name or command line; also pid:123, cat:browser, user:root',
        ),
        value: ctx.processes.filterInput,
        validateInput: (value) => {
          try {
            ctx.processes.checkFilter(value);
            return undefined;
          } catch (error) {
            return (error as Error).message;
          }
        },
      });
      if (text !== undefined) await ctx.processes.setFilter(text);
    },
  },
  'processTracker.clearFilter': { needsAgent: false, run: (ctx) => ctx.processes.setFilter('') },
  'processTracker.sortByCpu': { needsAgent: false, run: (ctx) => ctx.processes.setSort('cpu') },
  'processTracker.sortByMemory': { needsAgent: false, run: (ctx) => ctx.processes.setSort('mem') },
  'processTracker.sortByIo': { needsAgent: false, run: (ctx) => ctx.processes.setSort('io') },
  'processTracker.sortByName': { needsAgent: false, run: (ctx) => ctx.processes.setSort('name') },
  'processTracker.groupFlat': { needsAgent: false, run: (ctx) => ctx.processes.setGrouping('flat') },
  'processTracker.groupByCategory': {
    needsAgent: false,
    run: (ctx) => ctx.processes.setGrouping('category'),
  },
  'processTracker.groupAsTree': { needsAgent: false, run: (ctx) => ctx.processes.setGrouping('tree') },
  'processTracker.toggleKernelThreads': {
    needsAgent: false,
    run: async () => {
      await vscode.workspace
        .getConfiguration('processTracker')
        .update(
          'processes.showKernelThreads',
          !config.showKernelThreads(),
          vscode.ConfigurationTarget.Global,
        );
    },
  },
  'processTracker.refresh': {
    needsAgent: true,
    run: async (ctx) => {
      await Promise.all([ctx.processes.refresh(), ctx.thisWindow.refresh(), ctx.alerts.view.refresh()]);
    },
  },
  ...ALERT_COMMANDS,
  ...MACHINE_COMMANDS,
};

// VS Code's menus check an item only for its own commands (`toggled` is not read from an
// extension's command contributions), so each Sort and Group choice has a twin titled "✓ …" that
// its menu shows instead while it is the current choice (package.json's `when`s on the keys
// ProcessesView sets). The twin does what the choice does.
for (const id of [
  'sortByCpu',
  'sortByMemory',
  'sortByIo',
  'sortByName',
  'groupFlat',
  'groupByCategory',
  'groupAsTree',
])
  COMMANDS[`processTracker.${id}Checked`] = COMMANDS[`processTracker.${id}`]!;

export function registerCommands(ctx: Ctx): void {
  for (const [id, spec] of Object.entries(COMMANDS)) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        // Messages are not awaited: a command must not hang until a toast is dismissed.
        if (spec.needsAgent && ctx.agent.state !== 'connected') return void agentDown(ctx);
        try {
          return await spec.run(ctx, ...args);
        } catch (error) {
          void showFailure(ctx, id, error);
        }
      }),
    );
  }
}

/** The disabled variant: the agent is not connected. */
async function agentDown(ctx: Ctx): Promise<void> {
  const restart = vscode.l10n.t('Restart Agent');
  const log = vscode.l10n.t('Show Log');
  const choice = await ctx.ui.error(
    ctx.agent.state === 'stopped'
      ? vscode.l10n.t('The Process Tracker agent is stopped: restart it to use this command.')
      : vscode.l10n.t('The Process Tracker agent is not connected yet: wait a moment, or restart it.'),
    restart,
    log,
  );
  if (choice === restart) await vscode.commands.executeCommand('processTracker.restartAgent');
  if (choice === log) ctx.log.show();
}

async function showFailure(ctx: Ctx, id: string, error: unknown): Promise<void> {
  if (error instanceof AgentNotConnectedError) return agentDown(ctx);
  const code = (error as { code?: number })?.code;
  // The agent's refusal, or our own parser's, in VS Code's language when it is a catalogue message.
  const message = userErrorText(error, langOf(vscode.env.language));
  // A user's mistake (here or as judged by the agent) is one plain message; anything else is logged too.
  if (
    error instanceof UserInputError ||
    code === AgentErrorCodes.BadInput ||
    code === AgentErrorCodes.NotFound
  ) {
    await ctx.ui.error(message);
    return;
  }
  ctx.log.error(`${id} failed: ${(error as Error)?.stack ?? message}`);
  await ctx.ui.error(vscode.l10n.t('Process Tracker: {0}', message));
}
