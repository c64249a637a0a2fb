// Reads alert rules, channels, silences and maintenance windows from the YAML file and from
// settings. Every problem names where it is ("alerts.yaml:12 rules[2].threshold: …") and how to
// fix it; a broken rule or channel is reported and skipped, the rest keep working.
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseDuration } from '../../shared/duration';
import { UserInputError } from '../../shared/errors';
import { checkCategory, compileRegex } from '../../shared/filter';
import { ALERT_METRICS } from '../../shared/model';
import { parseTime } from '../../shared/time';
import { renderTemplate, SAMPLE_ALERT } from './notifiers/webhook';
import { MAX_WINDOW_MS, parseClock, parseCron, parseWeekday } from './schedule';
import { checkSecretFileMode } from './secrets';
import { checkFileTrust } from './trust';
import {
  AGGREGATES,
  CHANNEL_TYPES,
  GROUPINGS,
  OPERATORS,
  SEVERITIES,
  type AlertConfig,
  type AlertRule,
  type ChannelConfig,
  type MaintenanceWindow,
  type Metric,
  type RestartAction,
  type RuleMatch,
  type Silence,
} from './types';

export interface ConfigProblem {
  level: 'error' | 'warning';
  /** The file, or "settings". */
  where: string;
  line?: number;
  /** "rules[2].threshold" */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.where}${p.line ? `:${p.line}` : ''} ${p.path}: ${p.message}`;
}

export interface LoadResult {
  config: AlertConfig;
  problems: ConfigProblem[];
  /** Channels left out because a `${secret:NAME}` they use has not been given (yet). */
  waitingForSecrets?: { channel: string; secrets: string[] }[];
  /** Set when others could write the file: its actions and channels were dropped (trust.ts). */
  untrusted?: ConfigProblem;
}

export interface ReadOptions {
  /** Restart actions are honoured only from the user's own file, never from settings. */
  allowActions: boolean;
  /** Whose file it must be for its actions and channels to count; default this process's user. */
  uid?: number;
  /** Clock for relative silence times ("2h" from now). */
  now?: number;
  /**
   * Values for `${secret:NAME}` in channel fields, sent by VS Code from its SecretStorage
   * (AlertSecretsRequest). Kept in memory only; without them such a channel waits.
   */
  secrets?: Readonly<Record<string, string>>;
}

const SECRET_REF = /\$\{secret:([A-Za-z0-9_.-]+)\}/g;

/** Replaces `${secret:NAME}` in every text of a channel; collects the names it lacks. */
function resolveSecrets(
  value: unknown,
  secrets: Readonly<Record<string, string>>,
  missing: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(SECRET_REF, (ref, name: string) => {
      if (Object.prototype.hasOwnProperty.call(secrets, name)) return secrets[name]!;
      missing.add(name);
      return ref;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, secrets, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, secrets, missing)]),
    );
  }
  return value;
}

export const emptyConfig = (): AlertConfig => ({ rules: [], channels: {}, silences: [], maintenance: [] });

type Path = (string | number)[];
type Obj = Record<string, unknown>;

const MACHINE_METRICS: ReadonlySet<Metric> = new Set(['system_cpu', 'system_memory']);

/** Thrown inside one item's reader; caught per item so the others are still read. */
class ItemError extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}

function pathText(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const best = candidates.map((c) => [c, distance(word, c)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** Field readers that know where they are; `fail` aborts the current item. */
class Reader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly where: string,
    private readonly prefix: Path,
    private readonly lineOf: (path: Path) => number | undefined,
  ) {}

  problem(level: ConfigProblem['level'], path: Path, message: string): void {
    const full = [...this.prefix, ...path];
    this.problems.push({ level, where: this.where, line: this.lineOf(path), path: pathText(full), message });
  }

  fail(path: Path, message: string): never {
    throw new ItemError(path, message);
  }

  /** Runs `read` for one item; on failure records the error and returns undefined. */
  item<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof ItemError) this.problem('error', error.path, error.message);
      else throw error;
      return undefined;
    }
  }

  map(value: unknown, path: Path, example: string): Obj {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `expected a map of fields, got ${describe(value)}, e.g. ${example}`);
    }
    return value as Obj;
  }

  knownKeys(obj: Obj, path: Path, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      this.problem(
        'warning',
        [...path, key],
        `unknown field, ignored${guess ? `: did you mean ${guess}?` : `; known fields: ${known.join(', ')}`}`,
      );
    }
  }

  string(obj: Obj, key: string, path: Path, example: string, required: true): string;
  string(obj: Obj, key: string, path: Path, example: string, required?: false): string | undefined;
  string(obj: Obj, key: string, path: Path, example: string, required = false): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], `is required, e.g. ${example}`);
      return undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail([...path, key], `expected text, got ${describe(value)}, e.g. ${example}`);
    }
    return value;
  }

  number(obj: Obj, key: string, path: Path, example: string, required = false): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], `is required, e.g. ${example}`);
      return undefined;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.fail([...path, key], `expected a number, e.g. ${example}`);
    }
    return n;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: Path, options: readonly T[], fallback?: T): T {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail([...path, key], `is required: one of ${options.join(', ')}`);
    }
    if (typeof value !== 'string' || !options.includes(value as T)) {
      const guess = typeof value === 'string' ? closest(value, options) : undefined;
      this.fail(
        [...path, key],
        `${describe(value)} is not one of ${options.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
      );
    }
    return value as T;
  }

  duration(obj: Obj, key: string, path: Path, fallback: number): number {
    const value = obj[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.fail([...path, key], `expected a duration, e.g. ${key}: 5m`);
    }
    try {
      return parseDuration(String(value), key);
    } catch (error) {
      return this.fail([...path, key], (error as Error).message);
    }
  }

  strings(obj: Obj, key: string, path: Path, example: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') {
        this.fail(
          Array.isArray(value) ? [...path, key, i] : [...path, key],
          `expected text, e.g. ${example}`,
        );
      }
    });
    return list as string[];
  }

  regex(obj: Obj, key: string, path: Path): string | undefined {
    const source = this.string(obj, key, path, `${key}: "node .*server"`);
    if (source === undefined) return undefined;
    try {
      compileRegex(source, key);
    } catch (error) {
      this.fail([...path, key], (error as Error).message);
    }
    return source;
  }
}

const RULE_KEYS = [
  'name',
  'metric',
  'match',
  'aggregate',
  'group_by',
  'operator',
  'threshold',
  'resolve_below',
  'resolve_above',
  'for',
  'keep_firing_for',
  'severity',
  'repeat',
  'channels',
  'escalate',
  'action',
  'window',
  'description',
] as const;

function readMatch(r: Reader, value: unknown, path: Path): RuleMatch {
  const obj = r.map(value, path, 'match: { name: "^nginx$" }');
  r.knownKeys(obj, path, ['name', 'command', 'category', 'pid', 'user']);
  const match: RuleMatch = {};
  const name = r.regex(obj, 'name', path);
  const command = r.regex(obj, 'command', path);
  if (name !== undefined) match.name = name;
  if (command !== undefined) match.command = command;
  const category = r.string(obj, 'category', path, 'category: browser');
  if (category !== undefined) {
    try {
      match.category = checkCategory(category);
    } catch (error) {
      r.fail([...path, 'category'], (error as Error).message);
    }
  }
  const pid = r.number(obj, 'pid', path, 'pid: 1234');
  if (pid !== undefined) {
    if (!Number.isInteger(pid) || pid < 0)
      r.fail([...path, 'pid'], 'expected a whole number, e.g. pid: 1234');
    match.pid = pid;
  }
  const user = r.string(obj, 'user', path, 'user: www-data');
  if (user !== undefined) match.user = user;
  if (Object.keys(match).length === 0) {
    r.fail(path, 'matches nothing in particular: give name, command, category, pid or user, or remove match');
  }
  return match;
}

function readAction(r: Reader, value: unknown, path: Path): RestartAction {
  const obj = r.map(value, path, 'action: { restart: [systemctl, --user, restart, app] }');
  r.knownKeys(obj, path, ['restart', 'max_per_hour', 'detach']);
  const command = obj.restart;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some((c) => typeof c !== 'string' || c === '')
  ) {
    r.fail(
      [...path, 'restart'],
      'expected a list: the program then its arguments (run without a shell), e.g. restart: [systemctl, --user, restart, app]',
    );
  }
  const maxPerHour = r.number(obj, 'max_per_hour', path, 'max_per_hour: 3') ?? 3;
  if (!Number.isInteger(maxPerHour) || maxPerHour < 1 || maxPerHour > 60) {
    r.fail([...path, 'max_per_hour'], 'expected a whole number from 1 to 60, e.g. max_per_hour: 3');
  }
  const detach = obj.detach ?? false;
  if (typeof detach !== 'boolean') r.fail([...path, 'detach'], 'expected true or false');
  return { restart: command as string[], maxPerHour, detach };
}

/** How long a rule without resolve_below / resolve_above keeps firing after its value is back. */
export const DEFAULT_KEEP_FIRING_MS = 60_000;

const THRESHOLD_EXAMPLE: Record<Metric, string> = {
  cpu: 'threshold: 80 (percent of one core)',
  memory: 'threshold: 1024 (MiB of resident memory)',
  io_read: 'threshold: 50 (MiB/s)',
  io_write: 'threshold: 50 (MiB/s)',
  process_count: 'threshold: 20 (processes)',
  absent: '',
  memory_growth: 'threshold: 100 (MiB per hour)',
  system_cpu: 'threshold: 90 (percent of the machine)',
  system_memory: 'threshold: 90 (percent of memory in use)',
};

function readRule(r: Reader, value: unknown, path: Path, source: string, options: ReadOptions): AlertRule {
  const obj = r.map(value, path, '- name: node-cpu\n    metric: cpu\n    threshold: 80');
  r.knownKeys(obj, path, RULE_KEYS);
  const name = r.string(obj, 'name', path, 'name: node-cpu', true);
  const metric = r.oneOf(obj, 'metric', path, ALERT_METRICS);
  const machine = MACHINE_METRICS.has(metric);

  let match: RuleMatch | undefined;
  if (obj.match !== undefined && obj.match !== null) {
    if (machine) {
      r.fail(
        [...path, 'match'],
        `${metric} is machine-wide and takes no match: remove match, or use a process metric`,
      );
    }
    match = readMatch(r, obj.match, [...path, 'match']);
  } else if (metric === 'absent') {
    r.fail([...path, 'match'], 'absent needs a match naming the process, e.g. match: { name: "^nginx$" }');
  }

  const aggregate = r.oneOf(obj, 'aggregate', path, AGGREGATES, metric === 'memory_growth' ? 'sum' : 'max');
  const groupBy = r.oneOf(obj, 'group_by', path, GROUPINGS, 'all');
  if (machine && groupBy !== 'all')
    r.fail([...path, 'group_by'], `${metric} is machine-wide: remove group_by`);
  if (metric === 'absent' && groupBy === 'name') {
    r.fail([...path, 'group_by'], 'absent takes group_by all (no match running) or process (each death)');
  }

  const operator = r.oneOf(obj, 'operator', path, OPERATORS, '>');
  let threshold = 0;
  if (metric === 'absent') {
    if (obj.threshold !== undefined)
      r.problem('warning', [...path, 'threshold'], 'absent takes no threshold: ignored');
  } else {
    threshold = r.number(obj, 'threshold', path, THRESHOLD_EXAMPLE[metric], true)!;
  }

  const below = r.number(obj, 'resolve_below', path, 'resolve_below: 70');
  const above = r.number(obj, 'resolve_above', path, 'resolve_above: 5');
  let resolveAt: number | undefined;
  if (below !== undefined) {
    if (operator !== '>' && operator !== '>=') {
      r.fail([...path, 'resolve_below'], `goes with operator > or >=; with ${operator} use resolve_above`);
    }
    if (below > threshold)
      r.fail([...path, 'resolve_below'], `must be at or below the threshold (${threshold})`);
    resolveAt = below;
  }
  if (above !== undefined) {
    if (operator !== '<' && operator !== '<=') {
      r.fail([...path, 'resolve_above'], `goes with operator < or <=; with ${operator} use resolve_below`);
    }
    if (above < threshold)
      r.fail([...path, 'resolve_above'], `must be at or above the threshold (${threshold})`);
    resolveAt = above;
  }

  const forMs = r.duration(obj, 'for', path, 0);
  // Without a resolve line a value hovering at the threshold would fire and resolve on every
  // tick; holding the resolve for a minute turns that into one firing alert (issue 13, item 8).
  // `absent` is left out: a process that is back is back, and its restart logic counts on it.
  const keepFiringForMs = r.duration(
    obj,
    'keep_firing_for',
    path,
    resolveAt === undefined && metric !== 'absent' ? DEFAULT_KEEP_FIRING_MS : 0,
  );
  const repeatMs = r.duration(obj, 'repeat', path, 0);
  if (repeatMs > 0 && repeatMs < 60_000) r.fail([...path, 'repeat'], 'must be at least 1m, e.g. repeat: 1h');
  const windowMs = r.duration(obj, 'window', path, 30 * 60_000);
  if (metric === 'memory_growth' && windowMs < 60_000) {
    r.fail([...path, 'window'], 'must be at least 1m for a growth rate, e.g. window: 30m');
  }
  const severity = r.oneOf(obj, 'severity', path, SEVERITIES, 'warning');
  const channels = r.strings(obj, 'channels', path, 'channels: [team-hook]') ?? [];

  let escalate: AlertRule['escalate'];
  if (obj.escalate !== undefined && obj.escalate !== null) {
    const e = r.map(obj.escalate, [...path, 'escalate'], 'escalate: { after: 30m, channels: [oncall] }');
    r.knownKeys(e, [...path, 'escalate'], ['after', 'channels']);
    const afterMs = r.duration(e, 'after', [...path, 'escalate'], NaN);
    if (Number.isNaN(afterMs)) r.fail([...path, 'escalate', 'after'], 'is required, e.g. after: 30m');
    const more = r.strings(e, 'channels', [...path, 'escalate'], 'channels: [oncall]');
    if (!more?.length) r.fail([...path, 'escalate', 'channels'], 'is required, e.g. channels: [oncall]');
    escalate = { afterMs, channels: more };
  }

  let action: RestartAction | undefined;
  if (obj.action !== undefined && obj.action !== null) {
    if (!options.allowActions) {
      r.problem(
        'warning',
        [...path, 'action'],
        'restart actions are only taken from your own alerts.yaml, never from settings: ignored here',
      );
    } else {
      if (metric !== 'absent') r.fail([...path, 'action'], 'a restart action goes with metric: absent');
      action = readAction(r, obj.action, [...path, 'action']);
    }
  }

  const rule: AlertRule = {
    name,
    metric,
    aggregate,
    groupBy,
    operator,
    threshold,
    forMs,
    severity,
    repeatMs,
    channels,
    windowMs,
    source,
  };
  if (match) rule.match = match;
  if (resolveAt !== undefined) rule.resolveAt = resolveAt;
  if (keepFiringForMs > 0) rule.keepFiringForMs = keepFiringForMs;
  if (escalate) rule.escalate = escalate;
  if (action) rule.action = action;
  return rule;
}

function checkUrl(r: Reader, obj: Obj, key: string, path: Path, example: string): string {
  const url = r.string(obj, key, path, example, true);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return r.fail([...path, key], `is not a URL, e.g. ${example}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    r.fail([...path, key], `must be an http or https URL, e.g. ${example}`);
  }
  return url;
}

const CHANNEL_KEYS: Record<ChannelConfig['type'], readonly string[]> = {
  webhook: ['url', 'template', 'headers'],
  slack: ['url'],
  discord: ['url'],
  wecom: ['url'],
  dingtalk: ['url', 'secret'],
  feishu: ['url', 'secret'],
  telegram: ['token', 'chat_id', 'api_url'],
  email: ['smtp', 'from', 'to'],
};

function readChannel(r: Reader, value: unknown, path: Path): ChannelConfig {
  const obj = r.map(value, path, 'team-hook: { type: webhook, url: "https://…" }');
  const type = r.oneOf(obj, 'type', path, CHANNEL_TYPES);
  r.knownKeys(obj, path, ['type', 'rate_per_minute', ...CHANNEL_KEYS[type]]);
  const rate = r.number(obj, 'rate_per_minute', path, 'rate_per_minute: 20');
  if (rate !== undefined && !(rate > 0)) r.fail([...path, 'rate_per_minute'], 'must be above 0, e.g. 20');
  const extra = rate === undefined ? {} : { ratePerMinute: rate };

  switch (type) {
    case 'webhook': {
      const url = checkUrl(r, obj, 'url', path, 'url: https://example.com/hook');
      const template = r.string(obj, 'template', path, `template: '{"text": "{{rule}}: {{value}}"}'`);
      if (template !== undefined) {
        try {
          JSON.parse(renderTemplate(template, [SAMPLE_ALERT]));
        } catch (error) {
          r.fail(
            [...path, 'template'],
            `does not give JSON once filled in (${(error as Error).message}): put {{…}} inside quotes, e.g. '{"text": "{{rule}} at {{value}}"}'`,
          );
        }
      }
      let headers: Record<string, string> | undefined;
      if (obj.headers !== undefined) {
        const h = r.map(obj.headers, [...path, 'headers'], 'headers: { Authorization: "Bearer …" }');
        for (const [k, v] of Object.entries(h)) {
          if (typeof v !== 'string') r.fail([...path, 'headers', k], 'expected text');
        }
        headers = h as Record<string, string>;
      }
      return { type, url, ...(template ? { template } : {}), ...(headers ? { headers } : {}), ...extra };
    }
    case 'dingtalk':
    case 'feishu': {
      const url = checkUrl(r, obj, 'url', path, 'url: https://…');
      const secret = r.string(obj, 'secret', path, 'secret: SEC…');
      return { type, url, ...(secret ? { secret } : {}), ...extra };
    }
    case 'slack':
    case 'discord':
    case 'wecom':
      return { type, url: checkUrl(r, obj, 'url', path, 'url: https://…'), ...extra };
    case 'telegram': {
      const token = r.string(obj, 'token', path, 'token: "123456:ABC…"', true);
      const chatId = r.string(obj, 'chat_id', path, 'chat_id: "-1001234567890"', true);
      const apiUrl =
        obj.api_url === undefined
          ? 'https://api.telegram.org'
          : checkUrl(r, obj, 'api_url', path, 'api_url: https://api.telegram.org');
      return { type, token, chatId, apiUrl: apiUrl.replace(/\/+$/, ''), ...extra };
    }
    case 'email': {
      const smtpPath = [...path, 'smtp'];
      const smtp = r.map(obj.smtp, smtpPath, 'smtp: { host: smtp.example.com, port: 587 }');
      r.knownKeys(smtp, smtpPath, ['host', 'port', 'secure', 'user', 'password']);
      const host = r.string(smtp, 'host', smtpPath, 'host: smtp.example.com', true);
      const secure = smtp.secure ?? false;
      if (typeof secure !== 'boolean') r.fail([...smtpPath, 'secure'], 'expected true or false');
      const port = r.number(smtp, 'port', smtpPath, 'port: 587') ?? (secure ? 465 : 587);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        r.fail([...smtpPath, 'port'], 'expected a port number from 1 to 65535, e.g. port: 587');
      }
      const user = r.string(smtp, 'user', smtpPath, 'user: alerts@example.com');
      const password = r.string(smtp, 'password', smtpPath, 'password: …');
      const from = r.string(obj, 'from', path, 'from: alerts@example.com', true);
      const to = r.strings(obj, 'to', path, 'to: [me@example.com]');
      if (!to?.length) r.fail([...path, 'to'], 'is required, e.g. to: [me@example.com]');
      for (const [i, address] of [from, ...to].entries()) {
        if (!/^[^\s@]+@[^\s@]+$/.test(address.replace(/^.*<(.+)>\s*$/, '$1'))) {
          r.fail(
            i === 0 ? [...path, 'from'] : [...path, 'to', i - 1],
            `"${address}" is not an email address`,
          );
        }
      }
      return {
        type,
        smtp: { host, port, secure, ...(user ? { user } : {}), ...(password ? { password } : {}) },
        from,
        to,
        ...extra,
      };
    }
  }
}

function readTime(r: Reader, obj: Obj, key: string, path: Path, now: number): number {
  const value = obj[key];
  if (value === undefined || value === null)
    r.fail([...path, key], `is required, e.g. ${key}: "2026-12-01 09:00"`);
  if (typeof value === 'string' && /^\d+(\.\d+)?(ms|s|m|h|d|w)/.test(value.trim())) {
    // "until: 2h" reads naturally as two hours from now.
    try {
      return now + parseDuration(value, key);
    } catch {
      // fall through to absolute times
    }
  }
  try {
    // An end time: "until: 18:00" is the next 18:00, never one already past.
    return parseTime(String(value), now, 'next');
  } catch (error) {
    return r.fail([...path, key], (error as Error).message);
  }
}

function readSilence(r: Reader, value: unknown, path: Path, now: number): Silence {
  const obj = r.map(value, path, '- rule: node-cpu\n    until: "2026-12-01 09:00"');
  r.knownKeys(obj, path, ['rule', 'scope', 'process', 'until', 'comment']);
  const silence: Silence = { until: readTime(r, obj, 'until', path, now) };
  const rule = r.string(obj, 'rule', path, 'rule: node-cpu');
  const scope = r.string(obj, 'scope', path, 'scope: "name:nginx"');
  const processName = r.regex(obj, 'process', path);
  const comment = r.string(obj, 'comment', path, 'comment: deploying');
  if (rule) silence.rule = rule;
  if (scope) silence.scope = scope;
  if (processName) silence.process = processName;
  if (comment) silence.comment = comment;
  if (!rule && !scope && !processName) {
    r.fail(
      path,
      'silences nothing in particular: give rule, scope or process (a silence of everything is a maintenance window)',
    );
  }
  return silence;
}

function readWindow(r: Reader, value: unknown, path: Path, index: number): MaintenanceWindow {
  const obj = r.map(value, path, '- cron: "0 2 * * *"\n    duration: 1h');
  r.knownKeys(obj, path, ['name', 'cron', 'duration', 'days', 'from', 'to', 'rules']);
  const window: MaintenanceWindow = {
    name: r.string(obj, 'name', path, 'name: backups') ?? `window ${index}`,
  };
  const cron = r.string(obj, 'cron', path, 'cron: "0 2 * * *"');
  if (cron !== undefined) {
    try {
      parseCron(cron);
    } catch (error) {
      r.fail([...path, 'cron'], (error as Error).message);
    }
    if (obj.days !== undefined || obj.from !== undefined || obj.to !== undefined) {
      r.fail(path, 'give either cron + duration, or days + from + to, not both');
    }
    const durationMs = r.duration(obj, 'duration', path, NaN);
    if (Number.isNaN(durationMs)) r.fail([...path, 'duration'], 'is required with cron, e.g. duration: 1h');
    if (durationMs <= 0 || durationMs > MAX_WINDOW_MS)
      r.fail([...path, 'duration'], 'must be between 1m and 7d');
    window.cron = cron;
    window.durationMs = durationMs;
  } else {
    if (obj.from === undefined && obj.to === undefined && obj.days === undefined) {
      r.fail(path, 'give cron + duration (e.g. cron: "0 2 * * *", duration: 1h) or days + from + to');
    }
    const days = r.strings(obj, 'days', path, 'days: [sat, sun]');
    if (days) {
      window.days = days.map((d, i) => {
        try {
          return parseWeekday(d);
        } catch (error) {
          return r.fail([...path, 'days', i], (error as Error).message);
        }
      });
    }
    for (const key of ['from', 'to'] as const) {
      const clock = r.string(obj, key, path, `${key}: "22:00"`);
      if (clock === undefined) continue;
      try {
        parseClock(clock);
      } catch (error) {
        r.fail([...path, key], (error as Error).message);
      }
      window[key] = clock;
    }
  }
  const rules = r.strings(obj, 'rules', path, 'rules: [node-cpu]');
  if (rules) window.rules = rules;
  return window;
}

function readList<T>(
  r: Reader,
  value: unknown,
  key: string,
  read: (v: unknown, path: Path, i: number) => T,
  /** Receives each kept item's index in the list: skipped items shift the later ones. */
  indexes: number[] = [],
): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    r.problem('error', [key], `expected a list (each entry starting with "- "), got ${describe(value)}`);
    return [];
  }
  const out: T[] = [];
  value.forEach((v, i) => {
    const item = r.item(() => read(v, [key, i], i));
    if (item === undefined) return;
    out.push(item);
    indexes.push(i);
  });
  return out;
}

/** Validates a whole configuration object (the parsed file, or settings shaped the same way). */
function readConfig(
  r: Reader,
  root: unknown,
  source: (path: Path) => string,
  options: ReadOptions,
  waiting: { channel: string; secrets: string[] }[] = [],
  ruleIndexes: number[] = [],
): AlertConfig {
  const config = emptyConfig();
  if (root === undefined || root === null) return config;
  if (typeof root !== 'object' || Array.isArray(root)) {
    r.problem('error', [], 'expected a map with rules:, channels:, silences:, maintenance:');
    return config;
  }
  const obj = root as Obj;
  r.knownKeys(obj, [], ['rules', 'channels', 'silences', 'maintenance']);
  const now = options.now ?? Date.now();

  if (obj.channels !== undefined && obj.channels !== null) {
    const channels = r.item(() =>
      r.map(obj.channels, ['channels'], 'channels: { team-hook: { type: webhook, url: … } }'),
    );
    for (const [name, value] of Object.entries(channels ?? {})) {
      const missing = new Set<string>();
      const resolved = resolveSecrets(value, options.secrets ?? {}, missing);
      if (missing.size) {
        // Not an error: the file is fine, the value lives in VS Code's secret storage.
        const names = [...missing].join(', ');
        r.problem(
          'warning',
          ['channels', name],
          `waits for the secret ${names} from VS Code ("Process Tracker: Set Alert Secret"); until then it sends nothing`,
        );
        waiting.push({ channel: name, secrets: [...missing] });
        continue;
      }
      const channel = r.item(() => readChannel(r, resolved, ['channels', name]));
      if (channel) config.channels[name] = channel;
    }
  }

  const seen = new Set<string>();
  config.rules = readList(
    r,
    obj.rules,
    'rules',
    (value, path) => {
      const rule = readRule(r, value, path, source(path), options);
      if (seen.has(rule.name))
        r.fail([...path, 'name'], `"${rule.name}" is used by an earlier rule: give each rule its own name`);
      seen.add(rule.name);
      return rule;
    },
    ruleIndexes,
  );

  config.silences = readList(r, obj.silences, 'silences', (v, path) => readSilence(r, v, path, now));
  config.maintenance = readList(r, obj.maintenance, 'maintenance', (v, path, i) => readWindow(r, v, path, i));
  return config;
}

/** Drops references to channels that do not exist (each reported once), keeping the rule for toasts. */
function checkChannelRefs(
  r: Reader,
  config: AlertConfig,
  pathOf: (ruleIndex: number) => Path,
  known: Set<string>,
): void {
  config.rules.forEach((rule, i) => {
    const check = (names: string[], path: Path): string[] =>
      names.filter((name, j) => {
        if (known.has(name)) return true;
        r.problem(
          'warning',
          [...path, j],
          `no channel "${name}" is defined (or it has an error): define it under channels:, or remove it; the rule still shows in VS Code`,
        );
        return false;
      });
    rule.channels = check(rule.channels, [...pathOf(i), 'channels']);
    if (rule.escalate)
      rule.escalate.channels = check(rule.escalate.channels, [...pathOf(i), 'escalate', 'channels']);
  });
}

/** Parses the text of an alerts YAML file. `file` is how messages name it. */
export function parseAlertsYaml(text: string, file: string, options: ReadOptions): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: Path): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
      if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
  const r = new Reader(file, [], lineOf);
  for (const error of doc.errors) {
    r.problems.push({
      level: 'error',
      where: file,
      line: lineAt(error.pos[0]),
      path: '(syntax)',
      message: `${error.message.split('\n')[0]}: fix the YAML here; entries around it are skipped`,
    });
  }

  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    r.problem('error', [], `cannot be read (${(error as Error).message})`);
    return { config: emptyConfig(), problems: r.problems };
  }

  // A syntax error inside a rule may leave it half-read: skip every list entry the error touches.
  if (doc.errors.length && root && typeof root === 'object' && isMap(doc.contents)) {
    for (const key of ['rules', 'silences', 'maintenance']) {
      const seq = doc.get(key, true);
      const list = (root as Obj)[key];
      if (!isSeq(seq) || !Array.isArray(list)) continue;
      for (let i = seq.items.length - 1; i >= 0; i--) {
        const range = (seq.items[i] as Node | null)?.range;
        if (range && doc.errors.some((e) => e.pos[0] >= range[0] && e.pos[0] <= range[2] + 1))
          list.splice(i, 1, null);
      }
      (root as Obj)[key] = list.filter((entry) => entry !== null);
    }
  }

  const waiting: { channel: string; secrets: string[] }[] = [];
  const indexes: number[] = [];
  const config = readConfig(r, root, (path) => `${file}:${lineOf(path) ?? '?'}`, options, waiting, indexes);
  // A channel waiting for its secret stays in its rules: its notifications queue until it comes.
  checkChannelRefs(
    r,
    config,
    (i) => ['rules', indexes[i]!],
    new Set([...Object.keys(config.channels), ...waiting.map((w) => w.channel)]),
  );
  return { config, problems: r.problems, ...(waiting.length ? { waitingForSecrets: waiting } : {}) };
}

/**
 * Takes out everything of a configuration that runs a command or sends data off the machine:
 * restart actions and channels (and the rules' references to them). What stays — rules as VS
 * Code toasts and history, silences, maintenance windows — acts on this machine's screen only.
 */
export function disarm(config: AlertConfig): void {
  config.channels = {};
  for (const rule of config.rules) {
    delete rule.action;
    delete rule.escalate;
    rule.channels = [];
  }
}

/** Reads an alerts file. A missing file is an empty configuration, not an error. */
export function loadAlertsFile(file: string, options: ReadOptions): LoadResult {
  let text: string;
  let stat: Stats;
  try {
    // Stat and read through one descriptor: the file judged is the file read.
    const fd = openSync(file, 'r');
    try {
      stat = fstatSync(fd);
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: emptyConfig(), problems: [] };
    return {
      config: emptyConfig(),
      problems: [
        {
          level: 'error',
          where: file,
          path: '(file)',
          message: `cannot be read (${code}): fix its permissions`,
        },
      ],
    };
  }
  const result = parseAlertsYaml(text, file, options);
  const untrusted = checkFileTrust(file, stat, options.uid === undefined ? {} : { uid: options.uid });
  // chmod 600 fixes both at once: one line about the file's mode, not two.
  const modeWarning = untrusted?.file ? undefined : checkSecretFileMode(file);
  if (modeWarning)
    result.problems.unshift({ level: 'warning', where: file, path: '(file)', message: modeWarning });
  if (untrusted) {
    disarm(result.config);
    delete result.waitingForSecrets;
    result.untrusted = { level: 'error', where: file, path: '(file)', message: untrusted.message };
    result.problems.unshift(result.untrusted);
  }
  return result;
}

/**
 * Validates rules given as plain objects (the `processTracker.alerts.rules` setting), same fields
 * as the file. `channelNames` are the channels they may use (from the file and SecretStorage).
 */
export function rulesFromSettings(
  value: unknown,
  channelNames: Iterable<string>,
  options: ReadOptions & { settingName?: string },
): { rules: AlertRule[]; problems: ConfigProblem[] } {
  const name = options.settingName ?? 'processTracker.alerts.rules';
  const r = new Reader('settings', [name], () => undefined);
  if (value === undefined || value === null) return { rules: [], problems: [] };
  if (!Array.isArray(value)) {
    r.problem('error', [], `expected a list of rules, got ${describe(value)}`);
    return { rules: [], problems: r.problems };
  }
  const indexes: number[] = [];
  const config = readConfig(
    r,
    { rules: value },
    (path) => `settings ${name}[${path[1]}]`,
    options,
    [],
    indexes,
  );
  const problems = r.problems.map((p) => ({ ...p, path: p.path.replace(`${name}.rules`, name) }));
  const refs = new Reader('settings', [name], () => undefined);
  checkChannelRefs(refs, config, (i) => [indexes[i]!], new Set(channelNames));
  return { rules: config.rules, problems: [...problems, ...refs.problems] };
}

/** Merges file and settings; on a name used by both, the file's rule wins and the other is reported. */
export function mergeRules(
  file: AlertConfig,
  settingsRules: AlertRule[],
): { config: AlertConfig; problems: ConfigProblem[] } {
  const names = new Set(file.rules.map((r) => r.name));
  const problems: ConfigProblem[] = [];
  const extra = settingsRules.filter((rule) => {
    if (!names.has(rule.name)) return true;
    problems.push({
      level: 'warning',
      where: 'settings',
      path: rule.source.replace(/^settings /, ''),
      message: `rule "${rule.name}" is also in the alerts file, which wins: rename one of them`,
    });
    return false;
  });
  return { config: { ...file, rules: [...file.rules, ...extra] }, problems };
}

/** For callers that want to throw on a single string field (the CLI's `--alerts` flag). */
export function assertNoErrors(result: LoadResult): void {
  const errors = result.problems.filter((p) => p.level === 'error');
  if (errors.length) throw new UserInputError(errors.map(formatProblem).join('\n'));
}
