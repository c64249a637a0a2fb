// `process-tracker alerts validate [FILE]`, `alerts test RULE` and `alerts history [-n N]`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { errorRef, UserInputError } from '../../shared/errors';
import type { AlertEvent } from '../../shared/model';
import {
  AgentErrorCodes,
  AlertHistoryRequest,
  AlertsTestRequest,
  type AlertChannelResult,
} from '../../shared/protocol';
import { alertMessage } from '../../shared/alertText';
import { formatLocalTime } from '../../shared/time';
import { Delivery } from '../alerts/delivery';
import { loadJson } from '../alerts/outbox';
import { formatProblem, loadAlertsFile } from '../alerts/rules';
import { formatProblemIn } from '../../shared/problems';
import { Journal } from '../alerts/journal';
import { queryHistory } from '../alerts/history';
import { alertsDir, resultStatus, testRule } from '../alerts/runtime';
import { Redactor } from '../alerts/secrets';
import { RuleSource } from '../alerts/source';
import { silentLogger } from '../log';
import { defaultConfigDir } from '../../client/paths';
import { connectToAgent } from '../../client/connection';
import type { Command } from './args';
import { safeText } from './format';
import { fit } from './tui/text';
import { cliLang } from './i18n';
import { alertsMessages } from './i18n/alerts';
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
    io.err(alertsMessages(cliLang())(given ? 'noFile' : 'noDefaultFile', { file }));
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
    const lang = cliLang();
    const t = alertsMessages(lang);
    for (const p of problems) {
      const line = formatProblemIn(lang, p);
      io.out(p.level === 'warning' ? t('warning', { problem: line }) : line);
    }
    io.out(
      t('usable', {
        file,
        rules: config.rules.length,
        channels: Object.keys(config.channels).length,
        errors,
        warnings: problems.length - errors,
      }),
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
      how = alertsMessages(cliLang())('throughAgent', { pid: agent.agent.pid });
    } catch (error) {
      if (error instanceof ResponseError && error.code === AgentErrorCodes.BadInput)
        throw new UserInputError(error.message, errorRef(error));
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
    const t = alertsMessages(cliLang());
    io.out(t('testHeader', { rule, how }));
    if (!results.length) io.out(t('noChannels'));
    for (const r of results) io.out(`  ${r.channel} (${r.type}): ${resultText(r)}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

/** "delivered (HTTP 200) in 42 ms" in the user's language (the agent logs describeResult's English). */
function resultText(r: AlertChannelResult): string {
  const t = alertsMessages(cliLang());
  const status = resultStatus(r);
  return r.ok
    ? t('delivered', { status, ms: r.durationMs })
    : t('failed', { status, error: r.error ?? 'unknown error' });
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
  const delivery = new Delivery({
    channels: source.config.channels,
    log: silentLogger,
    redactor,
    language: () => source.config.language ?? cliLang(),
  });
  const { result } = await testRule(source.config, rule, delivery, Date.now(), source.waitingChannels);
  return { results: result.results, how: alertsMessages(cliLang())('fromFile', { file }) };
}

/** The history file the agent writes; read as it is when no agent runs. */
const historyFile = (dataDir: string) => path.join(alertsDir(dataDir), 'history.jsonl');

/**
 * The newest alert events (all the agent keeps, newest first): through the running agent when one
 * serves the data dir, else read from its history file (read-only).
 */
export async function history(command: AlertsCommand, dataDir: string, io: Output): Promise<number> {
  const query = { from: 0, to: Date.now(), limit: command.n ?? 20, offset: 0 };
  const agent = await connectToAgent(
    { dataDir },
    { clientName: 'process-tracker-cli', clientVersion: VERSION },
  );
  let result: AlertHistoryRequest.Result;
  let how: string;
  if (agent) {
    try {
      result = await agent.request(AlertHistoryRequest.type, query);
      how = alertsMessages(cliLang())('fromAgent', { pid: agent.agent.pid });
    } finally {
      await agent.close();
    }
  } else {
    const file = historyFile(dataDir);
    result = queryHistory(new Journal<AlertEvent>(file).read(), query);
    how = alertsMessages(cliLang())('fromFile', { file });
  }
  if (command.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  for (const e of result.events) io.out(historyLine(e));
  const t = alertsMessages(cliLang());
  const counts = { shown: result.events.length, total: result.total, how };
  io.out(
    result.total === 0
      ? t('noEvents', { how })
      : result.events.length < result.total
        ? t('eventsCut', counts)
        : t('events', counts),
  );
  return 0;
}

/** "2026-12-07 01:39:30  firing    node-cpu: node (pid 4242) cpu 93.2% > 80%". */
const KIND_IDS = {
  firing: 'kindFiring',
  resolved: 'kindResolved',
  repeat: 'kindRepeat',
  escalated: 'kindEscalated',
} as const satisfies Record<AlertEvent['kind'], string>;
const HELD_IDS = {
  silence: 'heldSilence',
  maintenance: 'heldMaintenance',
} as const satisfies Record<NonNullable<AlertEvent['suppressed']>, string>;

function historyLine(e: AlertEvent): string {
  const t = alertsMessages(cliLang());
  const held = e.suppressed ? t(HELD_IDS[e.suppressed]) : '';
  // The kind in a column of 9 terminal cells (a Chinese character takes two).
  const kind = fit(t(KIND_IDS[e.kind]), 9);
  // The message holds process names and command lines: printed as data, never as control codes.
  // The stored `message` is the agent's English line; another language makes it again from the
  // event's fields (extension/alerts/text.ts eventMessage does the same for VS Code).
  const lang = cliLang();
  const message = lang === 'en' ? e.message : alertMessage(e, lang);
  return `${formatLocalTime(e.ts)}  ${kind} ${safeText(message)}${held}`;
}
