// `process-tracker alerts validate [FILE]` and `process-tracker alerts test RULE`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { UserInputError } from '../../shared/errors';
import { AgentErrorCodes, AlertsTestRequest, type AlertChannelResult } from '../../shared/protocol';
import { Delivery } from '../alerts/delivery';
import { loadJson } from '../alerts/outbox';
import { formatProblem, loadAlertsFile } from '../alerts/rules';
import { alertsDir, describeResult, testRule } from '../alerts/runtime';
import { Redactor } from '../alerts/secrets';
import { RuleSource } from '../alerts/source';
import { silentLogger } from '../log';
import { defaultConfigDir } from '../paths';
import { connectToAgent } from '../service';
import type { Command } from './args';
import { VERSION } from './version';

type AlertsCommand = Extract<Command, { kind: 'alerts' }>;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const defaultAlertsFile = () => path.join(defaultConfigDir(), 'alerts.yaml');

/** Prints every problem as `file:line field: message`; exit 2 when any is an error. */
export function validate(command: AlertsCommand, io: Output): number {
  const given = command.target ?? command.alertsFile;
  const file = path.resolve(given ?? defaultAlertsFile());
  if (!existsSync(file)) {
    io.err(
      `no alert rule file at ${file}: ${given ? 'check the path' : 'create it (see "Alerts" in the README) or pass FILE'}`,
    );
    return given ? 2 : 0;
  }
  const { config, problems } = loadAlertsFile(file, { allowActions: true });
  const errors = problems.filter((p) => p.level === 'error').length;
  if (command.json) {
    io.out(
      JSON.stringify(
        {
          file,
          ok: errors === 0,
          rules: config.rules.map((r) => r.name),
          channels: Object.keys(config.channels),
          problems: problems.map((p) => ({ ...p, text: formatProblem(p) })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const p of problems) io.out(`${formatProblem(p)}${p.level === 'warning' ? ' (warning)' : ''}`);
    io.out(
      `${file}: ${config.rules.length} rule(s) and ${Object.keys(config.channels).length} channel(s) usable; ${errors} error(s), ${problems.length - errors} warning(s)`,
    );
  }
  return errors ? 2 : 0;
}

/** Through the running agent when one serves the data dir, else locally from the file. */
export async function test(command: AlertsCommand, dataDir: string, io: Output): Promise<number> {
  const rule = command.target!;
  const agent = await connectToAgent(
    { dataDir },
    { clientName: 'process-tracker-cli', clientVersion: VERSION },
  );
  let results: AlertChannelResult[];
  let how: string;
  if (agent) {
    try {
      results = (await agent.request(AlertsTestRequest.type, { rule })).results;
      how = `through the running agent (pid ${agent.agent.pid})`;
    } catch (error) {
      if (error instanceof ResponseError && error.code === AgentErrorCodes.BadInput)
        throw new UserInputError(error.message);
      throw error;
    } finally {
      await agent.close();
    }
  } else {
    ({ results, how } = await testLocally(command, dataDir, rule));
  }
  if (command.json) {
    io.out(JSON.stringify({ rule, results }, null, 2));
  } else {
    io.out(`test notification for rule ${rule}, ${how}:`);
    if (!results.length) io.out('  the rule has no channels: only VS Code toasts would show it');
    for (const r of results) io.out(`  ${r.channel} (${r.type}): ${describeResult(r)}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

async function testLocally(command: AlertsCommand, dataDir: string, rule: string) {
  const file = path.resolve(command.alertsFile ?? defaultAlertsFile());
  const redactor = new Redactor();
  const settingsFile = path.join(alertsDir(dataDir), 'settings-rules.json');
  const source = new RuleSource({
    file,
    log: silentLogger,
    redactor,
    settingsStore: { load: () => loadJson<{ rules: unknown[] }>(settingsFile)?.rules, save: () => {} },
  });
  source.reload();
  const delivery = new Delivery({ channels: source.config.channels, log: silentLogger, redactor });
  const { result } = await testRule(source.config, rule, delivery, Date.now(), source.waitingChannels);
  return { results: result.results, how: `from ${file} (no agent is running)` };
}
