// Over 400 lines on purpose: every headless command's dispatch, a few lines each over shared readers.
// The headless commands. Query commands ask the running agent (live data) and read the store
// files, read-only, only when no agent serves the data dir.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../../shared/duration';
import { errorRef, UserInputError, userErrorText } from '../../shared/errors';
import { compileFilter } from '../../shared/filter';
import {
  AgentErrorCodes,
  AgentStatusRequest,
  AtRequest,
  ExportRequest,
  StatsRequest,
  StopRequest,
  TopRequest,
  type AgentStatus,
} from '../../shared/protocol';
import { sortRows } from '../../shared/rowOrder';
import { DEFAULT_SETTINGS, type AgentSettings } from '../../shared/settings';
import { startAgent } from '../agent';
import { createCategorizer } from '../categories';
import { createCollector } from '../collect';
import { createFileLogger } from '../logfile';
import { silentLogger } from '../log';
import { loadInfluxSettings } from '../influx';
import { loadMetricsSettings } from '../metrics';
import { cliLang } from './i18n';
import { cliText } from './i18n/cli';
import { statusMessages } from './i18n/status';
import { loadHttpSettings } from '../http';
import { checkDataDir, defaultConfigDir, defaultDataDir } from '../../client/paths';
import { Sampler } from '../sampler';
import { ResponseError } from 'vscode-jsonrpc/node';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { Store } from '../store';
import * as alerts from './alerts';
import * as analytics from './analytics';
import { fleet } from './fleet';
import { demoData, parseDemoData } from './demoData';
import { parseCommand, type Command, type QueryOptions } from './args';
import { atTable, helpText, machineLine, processTable, statsTable, statusText } from './format';
import { printLive } from './runScreen';
import { installService, uninstallService } from './loginUnit';
import { runsCommand } from './runs';
import { runLive } from './tui/app';
import { VERSION } from './version';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>;

const print = (io: CliIo, text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (io: CliIo, value: unknown) => print(io, JSON.stringify(value, null, 2));

function resolveDataDir(dataDir: string | undefined, create: boolean): string {
  return checkDataDir(dataDir ?? defaultDataDir(), create);
}

/** The agent answered a request with an error that is not the user's mistake (a query that failed). */
class AgentAnswerError extends Error {
  constructor(readonly answer: ResponseError<unknown>) {
    super(answer.message);
  }
}

/** The agent serving this data dir, or undefined when none runs. */
async function agentFor(dataDir: string): Promise<AgentConnection | undefined> {
  return connectToAgent({ dataDir }, { clientName: 'process-tracker-cli', clientVersion: VERSION });
}

async function withAgent<T>(
  dataDir: string,
  use: (agent: AgentConnection) => Promise<T>,
): Promise<T | undefined> {
  const agent = await agentFor(dataDir);
  if (!agent) return undefined;
  try {
    return await use(agent);
  } catch (error) {
    // The agent judged our request a user's mistake: one line and exit 2, as if we had (its
    // catalogue reference kept, so the line is said in the user's language).
    if ((error as { code?: unknown }).code === AgentErrorCodes.BadInput) {
      throw new UserInputError((error as Error).message, errorRef(error));
    }
    // Any other refusal is the agent's answer, not our bug: its stack (vscode-jsonrpc's
    // handleResponse) helps nobody.
    if (error instanceof ResponseError) throw new AgentAnswerError(error);
    throw error;
  } finally {
    await agent.close();
  }
}

/** `--out FILE` as an absolute path whose folder exists; a folder or a missing folder is the user's to fix. */
function checkOutFile(out: string): string {
  const file = path.resolve(out);
  // Only what can be named plainly is checked here; any other failure (a name too long, no
  // permission) comes back from the writer as one line too.
  const kind = (p: string) => {
    try {
      const stat = statSync(p, { throwIfNoEntry: false });
      return stat === undefined ? 'missing' : stat.isDirectory() ? 'folder' : 'file';
    } catch {
      return 'unknown';
    }
  };
  if (kind(file) === 'folder') {
    throw new UserInputError(cliText()('outIsFolder', { file, example: path.join(file, 'processes.csv') }));
  }
  const folder = path.dirname(file);
  const folderKind = kind(folder);
  if (folderKind === 'missing' || folderKind === 'file') {
    const id = folderKind === 'file' ? 'outFolderIsFile' : 'outFolderMissing';
    throw new UserInputError(cliText()(id, { file, folder }));
  }
  return file;
}

/** Live figures without an agent: two readings one second apart. */
async function sampleLocally(options: QueryOptions) {
  const sampler = new Sampler(createCollector(), createCategorizer([]));
  try {
    await sampler.sample();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const tick = await sampler.sample();
    const matches = compileFilter(options.filter);
    const rows = sortRows(tick.processes.filter(matches), options.sort).slice(0, options.n);
    return { ts: tick.ts, machine: tick.machine, rows };
  } finally {
    sampler.close();
  }
}

async function top(io: CliIo, command: Of<'top'>): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, false);
  const { filter, sort, n } = command;
  const result =
    (await withAgent(dataDir, (agent) => agent.request(TopRequest.type, { filter, sort, n }))) ??
    (await sampleLocally(command));
  if (command.json) printJson(io, result);
  else print(io, `${result.machine ? `${machineLine(result.machine)}\n` : ''}${processTable(result.rows)}`);
  return 0;
}

/** PROCESS_TRACKER_LEAK_WINDOW (e.g. "1m"): the fast-leak window (README "Findings"; default 3m). */
function leakWindowFromEnv(): number | undefined {
  const value = process.env.PROCESS_TRACKER_LEAK_WINDOW;
  return value ? parseDuration(value, 'PROCESS_TRACKER_LEAK_WINDOW') : undefined;
}

/** PROCESS_TRACKER_BASELINE_MINUTES (e.g. "1"): a process's own history before its baseline (default 3). */
function baselineMinutesFromEnv(): number | undefined {
  const value = process.env.PROCESS_TRACKER_BASELINE_MINUTES;
  if (!value) return undefined;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new UserInputError(
      `PROCESS_TRACKER_BASELINE_MINUTES "${value}" is not a whole number of minutes from 1 to 60: e.g. 3`,
    );
  }
  return minutes;
}

/** PROCESS_TRACKER_QUERY_WORKER_IDLE (e.g. "2s"): how long a history worker waits before it ends (default 20 s). */
function queryWorkerIdleFromEnv(): number | undefined {
  const value = process.env.PROCESS_TRACKER_QUERY_WORKER_IDLE;
  return value ? parseDuration(value, 'PROCESS_TRACKER_QUERY_WORKER_IDLE') : undefined;
}

/** PROCESS_TRACKER_QUERY_WORKER_STALL (e.g. "10s"): a history worker silent this long is taken for hung (default 120 s). */
function queryWorkerStallFromEnv(): number | undefined {
  const value = process.env.PROCESS_TRACKER_QUERY_WORKER_STALL;
  return value ? parseDuration(value, 'PROCESS_TRACKER_QUERY_WORKER_STALL') : undefined;
}

/** PROCESS_TRACKER_FLUSH_INTERVAL (e.g. "30s") tunes how often whole files are written. */
function flushIntervalFromEnv(): number {
  const value = process.env.PROCESS_TRACKER_FLUSH_INTERVAL;
  return value ? parseDuration(value, 'PROCESS_TRACKER_FLUSH_INTERVAL') : DEFAULT_SETTINGS.flushIntervalMs;
}

async function run(io: CliIo, command: Of<'run'>): Promise<number> {
  // Before the data dir is touched: a refused address (not loopback, no auth) is exit 2, nothing started.
  const metrics = loadMetricsSettings(
    command.metrics,
    path.resolve(command.metricsConfig ?? path.join(defaultConfigDir(), 'metrics.yaml')),
    command.metricsConfig !== undefined,
  );
  const influx = loadInfluxSettings(
    command.influx,
    path.resolve(command.influxConfig ?? path.join(defaultConfigDir(), 'influx.yaml')),
    command.influxConfig !== undefined,
  );
  const http = loadHttpSettings(command);
  const dataDir = resolveDataDir(command.dataDir, true);
  const settings: AgentSettings = {
    ...DEFAULT_SETTINGS,
    dataDir,
    intervalMs: command.intervalMs ?? DEFAULT_SETTINGS.intervalMs,
    flushIntervalMs: flushIntervalFromEnv(),
    ...(metrics.settings ? { metrics: metrics.settings } : {}),
    ...(http ? { http } : {}),
  };
  const log = createFileLogger({ dataDir, tee: true });
  for (const warning of [...metrics.warnings, ...influx.warnings]) log.warn(warning);
  // Handlers go in before start-up, so a signal during it still ends in a clean stop. They stay in:
  // Ctrl-C reaches every process of the terminal's group and wrappers forward it too (npm start,
  // timeout), so the same signal often comes twice, and with no handler left Node would die of the
  // second one halfway through flushing the store. The stop is short; SIGKILL is there for a hang.
  let stopRequested: string | undefined;
  let stopNow: (() => void) | undefined;
  let repeatHeard = false;
  const onSignal = (signal: string) => {
    if (stopRequested !== undefined) {
      if (!repeatHeard) log.info(`${signal}: already stopping`);
      repeatHeard = true;
      return;
    }
    log.info(`${signal}: stopping`);
    stopRequested = signal;
    stopNow?.();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const outcome = await startAgent({
    settings,
    log,
    version: VERSION,
    stopAfterIdleMinutes: command.stopAfterIdleMinutes,
    leakWindowMs: leakWindowFromEnv(),
    baselineMinutes: baselineMinutesFromEnv(),
    queryWorker: { idleMs: queryWorkerIdleFromEnv(), stallMs: queryWorkerStallFromEnv() },
    ...(influx.settings ? { influx: { settings: influx.settings, secrets: influx.secrets } } : {}),
    alertsFile: command.alertsFile === undefined ? undefined : path.resolve(command.alertsFile),
    onTick: command.quiet ? undefined : (tick) => printLive(io.stdout as NodeJS.WriteStream, tick, 10),
  });
  if (outcome.kind === 'alreadyServing') {
    print(
      io,
      statusMessages(cliLang())('alreadyRecording', {
        dir: dataDir,
        pid: outcome.pid,
        version: outcome.version,
        socket: outcome.socketPath,
      }),
    );
    return 0;
  }
  stopNow = () => void outcome.stop();
  if (stopRequested) stopNow();
  // Once, here, on stdout: the log (agent.log, stderr) names only the token's file.
  if (outcome.httpOpenUrl) print(io, statusMessages(cliLang())('openPanel', { url: outcome.httpOpenUrl }));
  await outcome.stopped;
  return 0;
}

async function openFiles(io: CliIo, dataDir: string): Promise<Store | undefined> {
  if (!existsSync(dataDir)) return undefined;
  // A damaged file is skipped (left in place) with one line naming it; the rest is answered.
  const warn = (message: string) => io.stderr.write(`process-tracker: ${message.replace(/^store: /, '')}\n`);
  const log = { ...silentLogger, warn, error: warn };
  return Store.open({ ...DEFAULT_SETTINGS, dataDir, readOnly: true, log });
}

async function query(io: CliIo, command: Of<'stats' | 'at' | 'export'>): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, false);
  const { filter, sort, n } = command;
  if (command.kind === 'export' && command.out) {
    // The agent writes the file, so the path must mean the same to it as to us.
    command.out = checkOutFile(command.out);
  }
  const fromAgent = await withAgent(dataDir, async (agent) => {
    if (command.kind === 'stats') {
      return agent.request(StatsRequest.type, { from: command.from, to: command.to, filter, sort, n });
    }
    if (command.kind === 'at') return agent.request(AtRequest.type, { ts: command.ts, filter, sort, n });
    if (!command.out) return undefined; // to stdout: read the files ourselves
    const { format, from, to, out } = command;
    return agent.request(ExportRequest.type, { format, from, to, filter, file: out });
  });
  if (fromAgent) return printQuery(io, command, fromAgent);

  const store = await openFiles(io, dataDir);
  if (!store) {
    io.stderr.write(`${statusMessages(cliLang())('noHistory', { dir: dataDir })}\n`);
    if (command.json) printJson(io, { rows: [] });
    return 0;
  }
  try {
    if (command.kind === 'stats')
      return printQuery(io, command, store.stats({ from: command.from, to: command.to, filter, sort, n }));
    if (command.kind === 'at') return printQuery(io, command, store.at({ ts: command.ts, filter, sort, n }));
    const { format, from, to, out } = command;
    const { rows } = await store.exportTo({ format, from, to, filter }, out ?? io.stdout);
    return printQuery(io, command, { file: out ?? '-', rows });
  } finally {
    await store.close();
  }
}

function printQuery(io: CliIo, command: Of<'stats' | 'at' | 'export'>, result: unknown): number {
  if (command.kind === 'stats') {
    const stats = result as ReturnType<Store['stats']>;
    if (command.json) printJson(io, { range: command.range, ...stats });
    else print(io, statsTable(stats));
  } else if (command.kind === 'at') {
    const at = result as ReturnType<Store['at']>;
    if (command.json) printJson(io, at);
    else print(io, atTable(at));
  } else {
    const { file, rows } = result as ExportRequest.Result;
    if (file !== '-') io.stderr.write(`exported ${rows} rows to ${file}\n`);
  }
  return 0;
}

async function status(io: CliIo, command: Of<'status'>): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, false);
  const result: AgentStatus | undefined = await withAgent(dataDir, (agent) =>
    agent.request(AgentStatusRequest.type, {}),
  );
  // The count is of the agent's other clients: this command's own connection is no user's.
  if (result) result.clients = Math.max(0, result.clients - 1);
  if (command.json) printJson(io, result ? { running: true, ...result } : { running: false, dataDir });
  else
    print(
      io,
      result ? statusText(result, cliLang()) : statusMessages(cliLang())('notRecording', { dir: dataDir }),
    );
  return result ? 0 : 3;
}

const STOP_WAIT_MS = 30_000;

async function stop(io: CliIo, command: Of<'stop'>): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, false);
  const agent = await agentFor(dataDir);
  if (!agent) {
    print(io, statusMessages(cliLang())('noAgent', { dir: dataDir }));
    return 0;
  }
  const closed = new Promise<void>((resolve) => agent.onClose(resolve));
  const { pid } = await agent.request(StopRequest.type, {});
  // The agent answers first, then flushes and exits; its leaving closes our connection.
  let timer: NodeJS.Timeout | undefined;
  const left = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_WAIT_MS))),
  ]);
  clearTimeout(timer);
  await agent.close();
  if (!left) {
    print(io, statusMessages(cliLang())('stillFlushing', { pid, seconds: STOP_WAIT_MS / 1000 }));
    return 1;
  }
  print(io, statusMessages(cliLang())('stopped', { pid }));
  return 0;
}

export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    if (argv[0] === 'fleet') return await fleet(argv.slice(1), io);
    // Its options are its own (agent/cli/demoData.ts), so it is parsed there.
    if (argv[0] === 'demo-data')
      return await demoData(parseDemoData(argv.slice(1)), (line) => print(io, line));
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        print(io, helpText());
        return 0;
      case 'version':
        print(io, VERSION);
        return 0;
      case 'run':
        return await run(io, command);
      case 'top':
        return await top(io, command);
      case 'live':
        return await runLive({
          ...command,
          dataDir: resolveDataDir(command.dataDir, true),
          script: path.resolve(process.argv[1] ?? 'dist/agent.js'),
        });
      case 'stats':
      case 'at':
      case 'export':
        return await query(io, command);
      case 'report':
      case 'explain': {
        const dataDir = resolveDataDir(command.dataDir, false);
        const output: analytics.AnalyticsIo = {
          out: (text) => print(io, text),
          err: (text) => io.stderr.write(`${text}\n`),
          withAgent: (use) => withAgent(dataDir, use),
          openFiles: () => openFiles(io, dataDir),
        };
        return command.kind === 'report'
          ? await analytics.report(output, dataDir, command)
          : await analytics.explainCommand(output, dataDir, command);
      }
      case 'runs': {
        const dataDir = resolveDataDir(command.dataDir, false);
        const output = {
          out: (text: string) => print(io, text),
          withAgent: <T>(use: (agent: AgentConnection) => Promise<T>) => withAgent(dataDir, use),
        };
        return await runsCommand(output, dataDir, command);
      }
      case 'status':
        return await status(io, command);
      case 'stop':
        return await stop(io, command);
      case 'service': {
        const script = path.resolve(process.argv[1] ?? 'dist/agent.js');
        const outcome =
          command.action === 'install'
            ? installService(script, resolveDataDir(command.dataDir, false))
            : uninstallService();
        print(io, outcome.lines.join('\n'));
        if (!outcome.refused) return 0;
        io.stderr.write(`process-tracker: ${outcome.refused}\n`);
        return 1;
      }
      case 'alerts': {
        const output = {
          out: (text: string) => print(io, text),
          err: (text: string) => io.stderr.write(`${text}\n`),
        };
        if (command.action === 'validate') return alerts.validate(command, output);
        if (command.action === 'history')
          return await alerts.history(command, resolveDataDir(command.dataDir, false), output);
        return await alerts.test(command, resolveDataDir(command.dataDir, false), output);
      }
    }
  } catch (error) {
    if (error instanceof UserInputError) {
      // A shared parser's error carries its catalogue id: said again in the user's language.
      io.stderr.write(`process-tracker: ${userErrorText(error, cliLang())}\n`);
      return 2;
    }
    if (error instanceof AgentAnswerError) {
      io.stderr.write(
        `process-tracker: ${cliText()('agentCouldNotAnswer', { reason: userErrorText(error.answer, cliLang()) })}\n`,
      );
      return 1;
    }
    io.stderr.write(`process-tracker: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
