// The agent's settings. The agent never reads VS Code settings: the extension maps its own
// configuration onto this shape (extension/config.ts) and the CLI onto its flags.
import type { Category } from './model';

export interface UserCategoryRule {
  /** Regular expression tested against the process name and its command line. */
  match: string;
  category: Category;
}

export interface RetentionSettings {
  /** How long raw samples are kept, hours. */
  rawHours: number;
  /** How long 1-minute rollups are kept, days. */
  minuteDays: number;
  /** How long 1-hour rollups are kept, days. */
  hourDays: number;
}

export interface AgentSettings {
  /** Sampling interval, ms. */
  intervalMs: number;
  /** Where the store lives; resolved by client/paths.ts when empty. */
  dataDir: string;
  retention: RetentionSettings;
  /**
   * How often the in-memory tier files are written out whole. The write-ahead log bounds what a
   * crash loses whatever this is; shorter means more disk writes.
   */
  flushIntervalMs: number;
  categories: UserCategoryRule[];
  /** The Prometheus endpoint (agent/metrics); absent = off, the default. */
  metrics?: MetricsSettings;
  /** The history panel over HTTP (agent/http); absent = off, the default. */
  http?: HttpSettings;
}

/**
 * The history panel in a browser. Only the address and the certificate files come from flags (or
 * the address from a machine-scoped VS Code setting); the token is made by the agent at start.
 */
export interface HttpSettings {
  host: string;
  port: number;
  /** PEM text, read from --http-cert / --http-key; required off loopback. */
  tls?: { cert: string; key: string };
}

/**
 * `/metrics` for Prometheus. Only the listen address may come from a flag or a VS Code setting;
 * everything else, the secrets above all, comes from the user's own metrics.yaml.
 */
export interface MetricsSettings {
  host: string;
  port: number;
  /** Upper bound on the series one scrape returns; process names beyond it fold into `other`. */
  maxSeries: number;
  /** How many processes of the moment (by CPU and by memory) get series of their own. */
  topProcesses: number;
  /** Command lines carry secrets (tokens in arguments): off unless the user turns them on. */
  commandLineLabels: boolean;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** PEM text, read from the files the config names. */
  tls?: { cert: string; key: string };
}

export const DEFAULT_METRICS = { maxSeries: 500, topProcesses: 10, commandLineLabels: false } as const;

export const DEFAULT_RETENTION: RetentionSettings = { rawHours: 24, minuteDays: 31, hourDays: 366 };

export const DEFAULT_SETTINGS: AgentSettings = {
  intervalMs: 2000,
  dataDir: '',
  retention: DEFAULT_RETENTION,
  flushIntervalMs: 5 * 60_000,
  categories: [],
};

/** Intervals below this make the sampler cost more than the tools it replaces. */
export const MIN_INTERVAL_MS = 100;
