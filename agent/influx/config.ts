// Where the InfluxDB push's settings come from: the URL from `run --influx URL` (or the file's
// `url`), everything else — the database or bucket, and the secrets above all — from the user's
// own influx.yaml in their config folder. Nothing here can come from a workspace. Every mistake
// is one UserInputError naming the thing and the fix.
import { parseDuration } from '../../shared/duration';
import { UserInputError } from '../../shared/errors';
import { field, isBoolean, isString, readSettingsFile } from '../settingsFile';
import { checkSecretFileMode } from '../alerts/secrets';
import { isLoopback } from '../metrics/config';

export type InfluxTarget =
  | {
      api: 'v1';
      database: string;
      retentionPolicy?: string;
      username?: string;
      password?: string;
    }
  | { api: 'v2'; org: string; bucket: string; token: string };

export interface InfluxSettings {
  /** The server's base URL, without credentials; /write or /api/v2/write goes after its path. */
  url: string;
  target: InfluxTarget;
  /** How many ticks go into one batch (one POST, one outbox file). */
  batchTicks: number;
  /** Above this the outbox drops its oldest batches (and says so in the log). */
  maxOutboxBytes: number;
  /** Longest wait between two attempts; the wait doubles from 1 s up to this. */
  maxBackoffMs: number;
  /** Command lines carry secrets: off unless the user turns them on. */
  commandLines: boolean;
}

export const DEFAULT_INFLUX = {
  batchTicks: 5,
  maxOutboxMb: 64,
  maxBackoff: '60s',
} as const;

const KEYS = [
  'url',
  'database',
  'retention_policy',
  'username',
  'password',
  'org',
  'bucket',
  'token',
  'batch_ticks',
  'max_outbox_mb',
  'max_backoff',
  'command_lines',
  'allow_insecure_http',
];

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * An http(s) URL with no credentials in it (they would end up in logs and process lists); plain
 * http only to this machine unless the file allows it in so many words.
 */
export function checkInfluxUrl(text: string, what: string, allowInsecure: boolean, file: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserInputError(`${what} "${text}" is not a URL: give one, e.g. http://127.0.0.1:8086`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserInputError(`${what} "${text}": use http:// or https://, e.g. https://influx.example:8086`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UserInputError(
      `${what}: give the server's address only; put username/password or token in ${file}`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && !isLoopback(host) && !allowInsecure) {
    throw new UserInputError(
      `${what} ${url.origin} is not this machine and not https: use https://, or set allow_insecure_http: true in ${file}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

export interface LoadedInflux {
  /** undefined: the push stays off. */
  settings?: InfluxSettings;
  /** Lines for the log (a secret-holding file others can read). */
  warnings: string[];
  /** What the agent's log must never show. */
  secrets: string[];
}

/**
 * The settings for `run`: `flag` is `--influx URL` (or undefined), `file` the influx.yaml to read;
 * `explicit` when the user named the file, so a missing one is a mistake, not "none".
 */
export function loadInfluxSettings(flag: string | undefined, file: string, explicit: boolean): LoadedInflux {
  const raw = readSettingsFile(file, {
    explicit,
    option: '--influx-config',
    keys: KEYS,
    example: 'database: process_tracker',
  });
  const warnings: string[] = [];
  const text = flag ?? field(raw, 'url', file, isString, 'a URL, e.g. http://127.0.0.1:8086');
  if (text === undefined) return { warnings, secrets: [] };
  const allowInsecure = field(raw, 'allow_insecure_http', file, isBoolean, 'true or false') ?? false;
  const url = checkInfluxUrl(text, flag !== undefined ? '--influx' : `${file} url`, allowInsecure, file);

  const s = (key: string, expected: string) => field(raw, key, file, isString, expected);
  const database = s('database', 'a database name');
  const org = s('org', 'an organization name');
  const bucket = s('bucket', 'a bucket name');
  const token = s('token', 'an API token (text)');
  let target: InfluxTarget;
  if (org || bucket || token) {
    if (database) {
      throw new UserInputError(`${file}: database is InfluxDB 1.x, org/bucket/token are 2.x: keep one set`);
    }
    if (!org || !bucket || !token) {
      throw new UserInputError(`${file}: InfluxDB 2.x needs org, bucket and token: set all three`);
    }
    target = { api: 'v2', org, bucket, token };
  } else {
    if (!database) {
      throw new UserInputError(
        `${file}: say where to write: database (InfluxDB 1.x) or org, bucket and token (2.x)`,
      );
    }
    const username = s('username', 'a user name');
    const password = s('password', 'a password');
    if (Boolean(username) !== Boolean(password)) {
      throw new UserInputError(`${file}: username and password go together: set both or neither`);
    }
    const retentionPolicy = s('retention_policy', 'a retention policy name');
    target = {
      api: 'v1',
      database,
      ...(retentionPolicy ? { retentionPolicy } : {}),
      ...(username && password ? { username, password } : {}),
    };
  }
  const maxBackoffText = s('max_backoff', 'a duration, e.g. 60s') ?? DEFAULT_INFLUX.maxBackoff;
  const maxBackoffMs = parseDuration(maxBackoffText, `${file} max_backoff`);
  if (maxBackoffMs < 100) throw new UserInputError(`${file} max_backoff: use at least 100ms, e.g. 60s`);
  const maxOutboxMb =
    field(raw, 'max_outbox_mb', file, isCount, 'a whole number of megabytes, e.g. 64') ??
    DEFAULT_INFLUX.maxOutboxMb;
  const settings: InfluxSettings = {
    url,
    target,
    batchTicks:
      field(raw, 'batch_ticks', file, isCount, 'a whole number, e.g. 5') ?? DEFAULT_INFLUX.batchTicks,
    maxOutboxBytes: maxOutboxMb * 1024 * 1024,
    maxBackoffMs,
    commandLines: field(raw, 'command_lines', file, isBoolean, 'true or false') ?? false,
  };
  const secrets = target.api === 'v2' ? [target.token] : target.password ? [target.password] : [];
  if (secrets.length > 0) {
    const mode = checkSecretFileMode(file);
    if (mode) warnings.push(`influx: ${file} ${mode}`);
  }
  return { settings, warnings, secrets };
}
