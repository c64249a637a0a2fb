// A user's own settings file for an optional exporter (metrics.yaml, influx.yaml): read, checked to
// be a mapping of known keys, and its fields read one by one, each failure one line naming the file,
// the key and what it should be. One reader, so both files answer mistakes the same way.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { UserInputError } from '../shared/errors';

export type SettingsRecord = Record<string, unknown>;

export const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isObject = (v: unknown): v is SettingsRecord =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `raw[key]` when it passes `check`; undefined when absent; otherwise one line naming it. */
export function field<T>(
  raw: SettingsRecord,
  key: string,
  file: string,
  check: (v: unknown) => v is T,
  expected: string,
): T | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw new UserInputError(`${file} ${key}: expected ${expected}`);
  return value;
}

export interface SettingsFileOptions {
  /** The user named the file (`option FILE`): a missing one is a mistake, not "no settings". */
  explicit: boolean;
  /** The option that names it, for the message about a missing file (e.g. `--metrics-config`). */
  option: string;
  keys: readonly string[];
  /** One setting, as an example of a mapping (e.g. `listen: 127.0.0.1:9464`). */
  example: string;
}

/** The file's settings, or {} when there is none and none was asked for. */
export function readSettingsFile(file: string, o: SettingsFileOptions): SettingsRecord {
  if (!existsSync(file)) {
    if (o.explicit) throw new UserInputError(`${o.option} ${file} does not exist: give an existing file`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserInputError(
      `${file} is not valid YAML (${(error as Error).message.split('\n')[0]}): fix it`,
    );
  }
  if (parsed !== null && parsed !== undefined && !isObject(parsed)) {
    throw new UserInputError(`${file} must be a mapping of settings, e.g. "${o.example}"`);
  }
  const raw = parsed ?? {};
  const unknown = Object.keys(raw).find((key) => !o.keys.includes(key));
  if (unknown) {
    throw new UserInputError(`${file} ${unknown}: unknown setting; the settings are ${o.keys.join(', ')}`);
  }
  return raw;
}
