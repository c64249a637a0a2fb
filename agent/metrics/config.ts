// Where /metrics' settings come from: the listen address from `--metrics` (which the VS Code
// setting turns into), everything else from the user's own metrics.yaml. Nothing here can come
// from a workspace: the file lives in the user's config folder, and the flag only carries an
// address. Every mistake is one UserInputError naming the thing and the fix.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { UserInputError } from '../../shared/errors';
import { field, isBoolean, isObject, isString, readSettingsFile } from '../settingsFile';
import { DEFAULT_METRICS, type MetricsSettings } from '../../shared/settings';
import { checkSecretFileMode } from '../alerts/secrets';
import { fixedSeries, seriesPerGroup, seriesPerTopProcess } from './collector';

export const DEFAULT_METRICS_PORT = 9464;

/** `HOST:PORT`, `[IPv6]:PORT` or a bare `PORT` (on 127.0.0.1); port 0 picks a free one. */
export function parseListen(text: string, what: string): { host: string; port: number } {
  const trimmed = text.trim();
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(trimmed) ?? /^()()(\d{1,5})$/.exec(trimmed);
  const port = match ? Number(match[3]) : NaN;
  const host = match ? (match[1] ?? match[2] ?? '') : '';
  if (!match || port > 65535) {
    throw new UserInputError(
      `${what} "${text}" is not an address: give HOST:PORT, e.g. 127.0.0.1:${DEFAULT_METRICS_PORT}`,
    );
  }
  // ":9464" means every interface, as it does to Prometheus' own --web.listen-address.
  if (match[0].startsWith(':')) return { host: '::', port };
  if (!/^\d+$/.test(trimmed) && host !== 'localhost' && !net.isIP(host)) {
    throw new UserInputError(
      `${what} "${text}": "${host}" is not an IP address: give one, e.g. 127.0.0.1:${port} (a name could resolve to anything)`,
    );
  }
  return { host: host || '127.0.0.1', port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

export function formatListen(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

const KEYS = [
  'listen',
  'max_series',
  'top_processes',
  'command_line_labels',
  'bearer_token',
  'basic_auth',
  'tls',
];

/** A certificate or key file's text; `what` names where the path came from (a flag, a file's key). */
export function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserInputError(
      `${what}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): give a readable PEM file`,
    );
  }
}

export interface LoadedMetrics {
  /** undefined: /metrics stays off. */
  settings?: MetricsSettings;
  /** Lines for the log (a secret-holding file others can read). */
  warnings: string[];
}

/**
 * The settings for `run`: `flag` is `--metrics ADDR` (or undefined), `file` the metrics.yaml to
 * read; `explicit` when the user named the file, so a missing one is a mistake, not "none".
 */
export function loadMetricsSettings(
  flag: string | undefined,
  file: string,
  explicit: boolean,
): LoadedMetrics {
  const raw = readSettingsFile(file, {
    explicit,
    option: '--metrics-config',
    keys: KEYS,
    example: 'listen: 127.0.0.1:9464',
  });
  const warnings: string[] = [];

  const listenText = flag ?? field(raw, 'listen', file, isString, 'an address, e.g. 127.0.0.1:9464');
  if (listenText === undefined) return { warnings };
  const { host, port } = parseListen(listenText, flag !== undefined ? '--metrics' : `${file} listen`);

  const topProcesses =
    field(raw, 'top_processes', file, isCount, 'a whole number, e.g. 10') ?? DEFAULT_METRICS.topProcesses;
  const maxSeries =
    field(raw, 'max_series', file, isCount, 'a whole number, e.g. 500') ?? DEFAULT_METRICS.maxSeries;
  // Room for the fixed series, the top processes and at least one group (`other`).
  const least = fixedSeries + topProcesses * seriesPerTopProcess + seriesPerGroup;
  if (maxSeries < least) {
    throw new UserInputError(
      `${file} max_series ${maxSeries} leaves no room for process groups with top_processes ${topProcesses}: use at least ${least}`,
    );
  }
  const settings: MetricsSettings = {
    host,
    port,
    maxSeries,
    topProcesses,
    commandLineLabels:
      field(raw, 'command_line_labels', file, isBoolean, 'true or false') ??
      DEFAULT_METRICS.commandLineLabels,
  };
  const token = field(raw, 'bearer_token', file, isString, 'a token (text)');
  if (token !== undefined) settings.bearerToken = token;
  const basic = field(raw, 'basic_auth', file, isObject, 'a mapping with username and password');
  if (basic) {
    const username = field(basic, 'username', `${file} basic_auth`, isString, 'a user name');
    const password = field(basic, 'password', `${file} basic_auth`, isString, 'a password');
    if (!username || !password) {
      throw new UserInputError(`${file} basic_auth: needs both username and password`);
    }
    settings.basicAuth = { username, password };
  }
  const tls = field(raw, 'tls', file, isObject, 'a mapping with cert_file and key_file');
  if (tls) {
    const cert = field(tls, 'cert_file', `${file} tls`, isString, 'a PEM file path');
    const key = field(tls, 'key_file', `${file} tls`, isString, 'a PEM file path');
    if (!cert || !key) throw new UserInputError(`${file} tls: needs both cert_file and key_file`);
    settings.tls = {
      cert: readPem(cert, `${file} tls.cert_file`),
      key: readPem(key, `${file} tls.key_file`),
    };
  }
  const where = formatListen(host, port);
  if (!isLoopback(host) && !settings.bearerToken && !settings.basicAuth) {
    throw new UserInputError(
      `metrics address ${where} is not loopback and has no authentication: set bearer_token or basic_auth in ${file}, or listen on 127.0.0.1`,
    );
  }
  if (settings.bearerToken || settings.basicAuth) {
    const mode = checkSecretFileMode(file);
    if (mode) warnings.push(`metrics: ${file} ${mode}`);
  }
  return { settings, warnings };
}
