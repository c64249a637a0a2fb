// The Machines view's commands, merged into the one command table (extension/commands.ts). None
// needs the local agent: the data comes from the user's Prometheus.
import * as vscode from 'vscode';
import { UserInputError } from '../../shared/errors';
import { machineRange } from '../../client/prometheus/history';
import type { Ctx } from '../ctx';
import { prometheusApi, type MachineNode } from './machines';

interface CommandSpec {
  needsAgent: boolean;
  run: (ctx: Ctx, ...args: unknown[]) => unknown;
}

function machineOf(ctx: Ctx, node: unknown): MachineNode & { kind: 'machine' | 'process' } {
  const given = node as Partial<MachineNode> | undefined;
  const chosen =
    given?.kind === 'machine' || given?.kind === 'process' ? given : ctx.machines.view.selection[0];
  if (chosen?.kind !== 'machine' && chosen?.kind !== 'process')
    throw new UserInputError(vscode.l10n.t('Select a machine in the Machines view first.'));
  return chosen as MachineNode & { kind: 'machine' | 'process' };
}

export const MACHINE_COMMANDS: Record<string, CommandSpec> = {
  'processTracker.openMachine': {
    needsAgent: false,
    run: (ctx, node) => {
      const { machine } = machineOf(ctx, node);
      const api = prometheusApi();
      if (!api) throw new UserInputError(vscode.l10n.t('Set "Prometheus URL" in your user settings first.'));
      const target = { job: machine.job, instance: machine.instance };
      ctx.history.openSource({
        title: vscode.l10n.t('History of {0}', machine.instance),
        range: (params) => machineRange(api, target, params),
      });
    },
  },
  'processTracker.refreshMachines': { needsAgent: false, run: (ctx) => ctx.machines.refresh() },
};
