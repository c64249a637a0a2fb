// Over 400 lines on purpose: every command's arguments and their one-line errors, checked by one parser.
// Turns argv into a validated command. Every mistake becomes one UserInputError that names the
// thing and the fix; nothing here touches the store.
import { parseArgs } from 'node:util';
import { parseDuration } from '../../shared/duration';
import { UserInputError } from '../../shared/errors';
import { cliText } from './i18n/cli';
import { checkCategory, compileFilter, compileRegex } from '../../shared/filter';
import {
  EXPORT_FORMATS,
  isExportFormat,
  isSortKey,
  SORT_KEYS,
  type ExportFormat,
  type ProcessFilter,
  type SortKey,
} from '../../shared/model';
import { MIN_INTERVAL_MS } from '../../shared/settings';
import { namedRange, parseTime, type NamedRange } from '../../shared/time';
import { parseListen } from '../metrics/config';
import { WASTE_IDLE_FOR_MAX_MS, WASTE_IDLE_FOR_MIN_MS } from '../analytics/report';

export interface QueryOptions {
  dataDir?: string;
  json: boolean;
  n: number;
  sort: SortKey;
  filter: ProcessFilter;
}

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | {
      kind: 'run';
      dataDir?: string;
      intervalMs?: number;
      quiet: boolean;
      alertsFile?: string;
      /** Stop this long after the last client left; 0 = never. */
      stopAfterIdleMinutes: number;
      /** `--metrics ADDR`: serve /metrics there (checked against metrics.yaml's auth when run). */
      metrics?: string;
      /** `--metrics-config FILE`: instead of `<config dir>/metrics.yaml`. */
      metricsConfig?: string;
      /** `--influx URL`: push to InfluxDB there (the rest from influx.yaml; agent/influx). */
      influx?: string;
      /** `--influx-config FILE`: instead of `<config dir>/influx.yaml`. */
      influxConfig?: string;
      /** `--http ADDR` (`--http-cert`, `--http-key`): the history panel in a browser (agent/http). */
      http?: string;
      httpCert?: string;
      httpKey?: string;
    }
  | ({ kind: 'top' } & QueryOptions)
  /** The full-screen view (agent/cli/tui); `--interval` is its refresh, `--ascii` drops Unicode. */
  | ({ kind: 'live'; intervalMs?: number; ascii: boolean } & QueryOptions)
  | ({ kind: 'stats'; range: NamedRange; from: number; to: number } & QueryOptions)
  | ({ kind: 'at'; ts: number } & QueryOptions)
  | ({ kind: 'export'; format: ExportFormat; from: number; to: number; out?: string } & QueryOptions)
  | {
      kind: 'report';
      range: NamedRange | 'range';
      from: number;
      to: number;
      dataDir?: string;
      json: boolean;
      n: number;
      /** `--idle-for`: waste's "large and idle for" (default 2 days, the agent's). */
      idleForMs?: number;
      /** `--container ID|NAME`: only the findings and efficiency rows about that container. */
      container?: string;
    }
  | { kind: 'explain'; ts: number; dataDir?: string; json: boolean; n: number }
  /** VS Code task runs and terminal commands (agent/runs), newest first. */
  | { kind: 'runs'; from?: number; to?: number; dataDir?: string; json: boolean; n: number }
  | { kind: 'status'; dataDir?: string; json: boolean }
  | { kind: 'stop'; dataDir?: string }
  | { kind: 'service'; action: 'install' | 'uninstall'; dataDir?: string }
  | {
      kind: 'alerts';
      action: AlertsAction;
      /** validate: the file to check; test: the rule's name. */
      target?: string;
      dataDir?: string;
      /** `--alerts FILE`: the rule file when no running agent answers (test) or no FILE is given (validate). */
      alertsFile?: string;
      json: boolean;
      /** history: how many events, newest first (`-n`). */
      n?: number;
    };

const ALERTS_ACTIONS = ['validate', 'test', 'history'] as const;
type AlertsAction = (typeof ALERTS_ACTIONS)[number];

const OPTIONS = {
  'data-dir': { type: 'string' },
  interval: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  ascii: { type: 'boolean' },
  alerts: { type: 'string' },
  'stop-after-idle': { type: 'string' },
  'idle-for': { type: 'string' },
  metrics: { type: 'string' },
  'metrics-config': { type: 'string' },
  influx: { type: 'string' },
  'influx-config': { type: 'string' },
  http: { type: 'string' },
  'http-cert': { type: 'string' },
  'http-key': { type: 'string' },
  json: { type: 'boolean' },
  n: { type: 'string', short: 'n' },
  sort: { type: 'string' },
  filter: { type: 'string' },
  pid: { type: 'string' },
  category: { type: 'string' },
  user: { type: 'string' },
  container: { type: 'string' },
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type OptionName = keyof typeof OPTIONS;

const FILTER_OPTIONS = ['filter', 'pid', 'category', 'user', 'container'] as const;
const LISTING_OPTIONS = ['n', 'sort', 'json', ...FILTER_OPTIONS] as const;

/**
 * The options each command reads (besides --data-dir and --help). One parser serves every command,
 * so without this an option another command takes was accepted and ignored — `report --filter x`
 * reported everything, as if the filter held.
 */
const COMMAND_OPTIONS: Record<string, readonly OptionName[]> = {
  run: [
    'interval',
    'quiet',
    'alerts',
    'stop-after-idle',
    'metrics',
    'metrics-config',
    'influx',
    'influx-config',
    'http',
    'http-cert',
    'http-key',
  ],
  top: LISTING_OPTIONS,
  live: ['n', 'sort', 'interval', 'ascii', ...FILTER_OPTIONS],
  today: LISTING_OPTIONS,
  week: LISTING_OPTIONS,
  month: LISTING_OPTIONS,
  at: LISTING_OPTIONS,
  export: ['format', 'from', 'to', 'out', ...FILTER_OPTIONS],
  report: ['from', 'to', 'n', 'idle-for', 'container', 'json'],
  explain: ['n', 'json'],
  runs: ['from', 'to', 'n', 'json'],
  status: ['json'],
  stop: [],
  service: [],
  alerts: ['alerts', 'json', 'n'],
};

/** One line for an option the command does not read, naming both. */
function onlyOwnOptions(command: string, values: Values): void {
  const own = COMMAND_OPTIONS[command];
  if (!own) return;
  for (const [option, value] of Object.entries(values)) {
    if (value === undefined || option === 'data-dir' || option === 'help' || option === 'version') continue;
    if (!(own as readonly string[]).includes(option)) {
      const flag = (OPTIONS[option as OptionName] as { short?: string }).short === 'n' ? '-n' : `--${option}`;
      throw new UserInputError(cliText()('optionNotForCommand', { command, option: flag }));
    }
  }
}

/** What each value-taking option looks like, for "needs a value" messages. */
const EXAMPLES: Partial<Record<OptionName, string>> = {
  'data-dir': '--data-dir ~/process-history',
  interval: '--interval 2s',
  alerts: '--alerts alerts.yaml',
  'stop-after-idle': '--stop-after-idle 30m',
  'idle-for': '--idle-for 2d',
  influx: '--influx http://127.0.0.1:8086',
  http: '--http 127.0.0.1:8765',
  'http-cert': '--http-cert cert.pem',
  'http-key': '--http-key key.pem',
  n: '-n 10',
  sort: '--sort mem',
  filter: '--filter node',
  pid: '--pid 1234',
  category: '--category shell',
  user: '--user alice',
  container: '--container 3f2a',
  format: '--format csv',
  from: '--from "2h ago"',
  to: '--to now',
  out: '--out processes.csv',
};

/** The option a token names (`--from`, `--from=x`, `-n`, `-qn5`: by its first letter), if any. */
function optionOf(token: string): OptionName | undefined {
  const long = /^--([^=]+)/.exec(token);
  if (long) return long[1]! in OPTIONS ? (long[1] as OptionName) : undefined;
  const short = /^-([A-Za-z])/.exec(token);
  if (!short) return undefined;
  return (Object.keys(OPTIONS) as OptionName[]).find(
    (name) => (OPTIONS[name] as { short?: string }).short === short[1],
  );
}

/**
 * Lets values begin with a dash — "-30m" is a time, "-5" a number — which node's parser would take
 * for options: a value-taking option swallows the next word unless that word is itself one of our
 * options, and a dash-digit word elsewhere is a positional (`at -30m`). A missing value is one line.
 */
function dashValues(argv: string[]): string[] {
  const out: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const name = /^(--[^=]+|-[A-Za-z])$/.test(token) ? optionOf(token) : undefined;
    if (name && OPTIONS[name].type === 'string') {
      const value = argv[i + 1];
      const example = EXAMPLES[name] ?? `${token} VALUE`;
      if (value === undefined) throw new UserInputError(cliText()('needsValue', { option: token, example }));
      if (value.startsWith('-') && optionOf(value)) {
        const long = token.startsWith('--') ? token : `--${name}`;
        throw new UserInputError(cliText()('needsValueBefore', { option: token, value, example, long }));
      }
      out.push(`--${name}=${value}`);
      i++;
    } else if (/^-[\d.]/.test(token)) positionals.push(token);
    else out.push(token);
  }
  return positionals.length > 0 ? [...out, '--', ...positionals] : out;
}

function parse(argv: string[]) {
  const args = dashValues(argv);
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const t = cliText();
    // Node's messages run to three lines; the first names the problem (and, for an unknown
    // option, the option in quotes, which our own line names in the user's language).
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/s, '');
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    throw new UserInputError(
      unknown !== undefined
        ? t('unknownOption', { option: unknown })
        : t('badArguments', { problem: message }),
    );
  }
}

type Values = ReturnType<typeof parse>['values'];

/** `report --idle-for`: from a minute (less is per-tick noise) to a year (the minute tier's reach). */
function idleForOf(values: Values): number | undefined {
  const text = values['idle-for'];
  if (text === undefined) return undefined;
  const ms = parseDuration(text, '--idle-for');
  if (ms < WASTE_IDLE_FOR_MIN_MS || ms > WASTE_IDLE_FOR_MAX_MS)
    throw new UserInputError(cliText()('idleForRange', { value: text }));
  return ms;
}

function queryOptions(values: Values, defaultN: number): QueryOptions {
  const n = values.n === undefined ? defaultN : Number(values.n);
  if (!Number.isInteger(n) || n < 1) {
    throw new UserInputError(cliText()('notCount', { value: String(values.n) }));
  }
  const sort = values.sort ?? 'cpu';
  if (!isSortKey(sort)) {
    throw new UserInputError(cliText()('notSortKey', { value: sort, keys: SORT_KEYS.join(', ') }));
  }
  const filter: ProcessFilter = {};
  if (values.filter !== undefined) {
    // Compiled here first so that a bad pattern's error names the flag the user typed.
    compileRegex(values.filter, '--filter');
    filter.regex = values.filter;
  }
  if (values.pid !== undefined) {
    const pid = Number(values.pid);
    if (!/^\d+$/.test(values.pid) || !Number.isSafeInteger(pid)) {
      throw new UserInputError(cliText()('notPid', { value: values.pid }));
    }
    filter.pid = pid;
  }
  if (values.category !== undefined) filter.category = checkCategory(values.category);
  if (values.user !== undefined) filter.user = values.user;
  if (values.container !== undefined) filter.container = values.container;
  compileFilter(filter);
  return { dataDir: values['data-dir'], json: values.json ?? false, n, sort, filter };
}

/** `--interval`, at least the agent's shortest; undefined when not given. */
function intervalOf(values: Values): number | undefined {
  if (values.interval === undefined) return undefined;
  const intervalMs = parseDuration(values.interval, '--interval');
  if (intervalMs < MIN_INTERVAL_MS) {
    throw new UserInputError(
      cliText()('intervalTooShort', { value: String(values.interval), min: MIN_INTERVAL_MS }),
    );
  }
  return intervalMs;
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 1) {
    throw new UserInputError(cliText()('noArgument', { command, argument: String(positionals[1]) }));
  }
}

export function parseCommand(argv: string[], now = Date.now()): Command {
  const { values, positionals } = parse(argv);
  if (values.version) return { kind: 'version' };
  const name = positionals[0];
  if (values.help || name === undefined || name === 'help')
    return { kind: 'help', topic: positionals[1] ?? name };

  onlyOwnOptions(name, values);
  switch (name) {
    case 'run': {
      noPositionals(name, positionals);
      const intervalMs = intervalOf(values);
      let stopAfterIdleMinutes = 0;
      if (values['stop-after-idle'] !== undefined) {
        stopAfterIdleMinutes = parseDuration(values['stop-after-idle'], '--stop-after-idle') / 60_000;
      }
      if (values.metrics !== undefined) parseListen(values.metrics, '--metrics');
      if (values.http !== undefined) parseListen(values.http, '--http');
      return {
        kind: 'run',
        dataDir: values['data-dir'],
        intervalMs,
        quiet: values.quiet ?? false,
        alertsFile: values.alerts,
        stopAfterIdleMinutes,
        // Only when given, so a plain `run` is the same command it always was.
        ...(values.metrics !== undefined ? { metrics: values.metrics } : {}),
        ...(values['metrics-config'] !== undefined ? { metricsConfig: values['metrics-config'] } : {}),
        ...(values.influx !== undefined ? { influx: values.influx } : {}),
        ...(values['influx-config'] !== undefined ? { influxConfig: values['influx-config'] } : {}),
        ...(values.http !== undefined ? { http: values.http } : {}),
        ...(values['http-cert'] !== undefined ? { httpCert: values['http-cert'] } : {}),
        ...(values['http-key'] !== undefined ? { httpKey: values['http-key'] } : {}),
      };
    }
    case 'top':
      noPositionals(name, positionals);
      return { kind: 'top', ...queryOptions(values, 10) };
    case 'live':
      noPositionals(name, positionals);
      return {
        kind: 'live',
        intervalMs: intervalOf(values),
        ascii: values.ascii ?? false,
        ...queryOptions(values, Number.MAX_SAFE_INTEGER),
      };
    case 'today':
    case 'week':
    case 'month': {
      noPositionals(name, positionals);
      return { kind: 'stats', range: name, ...namedRange(name, now), ...queryOptions(values, 20) };
    }
    case 'at': {
      const when = positionals.slice(1).join(' ');
      if (!when) throw new UserInputError(cliText()('atNeedsTime'));
      const ts = parseTime(when, now);
      if (ts > now + 60_000) throw new UserInputError(cliText()('inFuture', { time: when }));
      return { kind: 'at', ts, ...queryOptions(values, 10) };
    }
    case 'export': {
      noPositionals(name, positionals);
      const format = values.format ?? 'csv';
      if (!isExportFormat(format)) {
        throw new UserInputError(
          cliText()('notExportFormat', { value: String(format), formats: EXPORT_FORMATS.join(', ') }),
        );
      }
      const to = values.to === undefined ? now : parseTime(values.to, now);
      const from = values.from === undefined ? to - 3_600_000 : parseTime(values.from, now);
      if (from >= to) throw new UserInputError(cliText()('fromBeforeTo'));
      return {
        kind: 'export',
        format,
        from,
        to,
        out: values.out,
        ...queryOptions(values, Number.MAX_SAFE_INTEGER),
      };
    }
    case 'report': {
      // report [today|week|month] or report --from T [--to T]; today by default.
      const named = positionals[1] ?? (values.from === undefined ? 'today' : undefined);
      noPositionals(name, positionals.slice(1));
      const { dataDir, json, n, filter } = queryOptions(values, 20);
      const idleForMs = idleForOf(values);
      const { container } = filter;
      if (named !== undefined) {
        if (named !== 'today' && named !== 'week' && named !== 'month')
          throw new UserInputError(cliText()('notRange', { value: named }));
        if (values.from !== undefined || values.to !== undefined)
          throw new UserInputError(cliText()('rangeAndFromTo', { range: named }));
        return {
          kind: 'report',
          range: named,
          ...namedRange(named, now),
          dataDir,
          json,
          n,
          idleForMs,
          container,
        };
      }
      const to = values.to === undefined ? now : parseTime(values.to, now);
      const from = parseTime(values.from!, now);
      if (from >= to) throw new UserInputError(cliText()('fromBeforeTo'));
      return { kind: 'report', range: 'range', from, to, dataDir, json, n, idleForMs, container };
    }
    case 'explain': {
      const when = positionals.slice(1).join(' ');
      if (!when) throw new UserInputError(cliText()('explainNeedsTime'));
      const ts = parseTime(when, now);
      if (ts > now + 60_000) throw new UserInputError(cliText()('inFuture', { time: when }));
      const { dataDir, json, n } = queryOptions(values, 10);
      return { kind: 'explain', ts, dataDir, json, n };
    }
    case 'runs': {
      noPositionals(name, positionals);
      const { dataDir, json, n } = queryOptions(values, 20);
      const to = values.to === undefined ? undefined : parseTime(values.to, now);
      const from = values.from === undefined ? undefined : parseTime(values.from, now);
      if (from !== undefined && to !== undefined && from >= to)
        throw new UserInputError(cliText()('fromBeforeTo'));
      return { kind: 'runs', from, to, dataDir, json, n };
    }
    case 'status':
      noPositionals(name, positionals);
      return { kind: 'status', dataDir: values['data-dir'], json: values.json ?? false };
    case 'stop':
      noPositionals(name, positionals);
      return { kind: 'stop', dataDir: values['data-dir'] };
    case 'service': {
      const action = positionals[1];
      if (action !== 'install' && action !== 'uninstall') {
        throw new UserInputError(cliText()('serviceNeedsAction'));
      }
      return { kind: 'service', action, dataDir: values['data-dir'] };
    }
    case 'alerts': {
      const action = positionals[1];
      if (action === undefined) throw new UserInputError(cliText()('alertsNeedsAction'));
      if (!(ALERTS_ACTIONS as readonly string[]).includes(action)) {
        throw new UserInputError(cliText()('unknownAlertsAction', { action }));
      }
      if (action === 'test' && !positionals[2]) {
        throw new UserInputError(cliText()('alertsTestNeedsRule'));
      }
      if (action === 'history') {
        noPositionals('alerts history', positionals.slice(1));
        const n = values.n === undefined ? undefined : Number(values.n);
        if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
          throw new UserInputError(cliText()('notCountEvents', { value: String(values.n) }));
        }
        return {
          kind: 'alerts',
          action,
          target: undefined,
          dataDir: values['data-dir'],
          alertsFile: values.alerts,
          json: values.json ?? false,
          ...(n === undefined ? {} : { n }),
        };
      }
      if (positionals.length > 3) {
        throw new UserInputError(
          cliText()('alertsOneArgument', { action, argument: String(positionals[3]) }),
        );
      }
      return {
        kind: 'alerts',
        action: action as AlertsAction,
        target: positionals[2],
        dataDir: values['data-dir'],
        alertsFile: values.alerts,
        json: values.json ?? false,
      };
    }
    default:
      throw new UserInputError(cliText()('unknownCommand', { name }));
  }
}
