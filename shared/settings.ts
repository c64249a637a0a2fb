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
  /** Where the store lives; resolved by agent/paths.ts when empty. */
  dataDir: string;
  retention: RetentionSettings;
  /**
   * How often the in-memory tier files are written out whole. The write-ahead log bounds what a
   * crash loses whatever this is; shorter means more disk writes.
   */
  flushIntervalMs: number;
  categories: UserCategoryRule[];
}

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
