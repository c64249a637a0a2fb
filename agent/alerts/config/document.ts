// Reads a whole alert configuration — channels, rules, silences, maintenance windows — from a
// parsed object (the YAML file's, or settings rules shaped the same way). Each part is read by
// its own schema; a broken item is reported at its place and skipped, the rest are kept.
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import { LANGS, type Lang } from '../../../shared/i18n/catalogue';
import { isRecord } from '../../../shared/validate';
import { CHANNEL_SCHEMAS, CHANNEL_TYPES } from '../notifiers';
import type { AlertConfig, ChannelConfig } from '../types';
import { describeRef, type FieldReader, type Path } from './fieldReader';
import { readRule } from './ruleSchema';
import { resolveSecrets } from './secretsSubst';
import { readSilence, readWindow } from './silences';

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

const { ref } = alertRuleMessages;

export const emptyConfig = (): AlertConfig => ({ rules: [], channels: {}, silences: [], maintenance: [] });

/** One channel: its type picks the schema (notifiers/index.ts); rate_per_minute is common to all. */
function readChannel(r: FieldReader, value: unknown, path: Path): ChannelConfig {
  const obj = r.map(value, path, 'team-hook: { type: webhook, url: "https://…" }');
  const type = r.oneOf(obj, 'type', path, CHANNEL_TYPES);
  const schema = CHANNEL_SCHEMAS[type];
  r.knownKeys(obj, path, ['type', 'rate_per_minute', ...schema.keys]);
  const rate = r.number(obj, 'rate_per_minute', path, 'rate_per_minute: 20');
  if (rate !== undefined && !(rate > 0)) r.fail([...path, 'rate_per_minute'], ref('ratePerMinute'));
  const channel: ChannelConfig = schema.read(r, obj, path);
  return rate === undefined ? channel : { ...channel, ratePerMinute: rate };
}

/**
 * `language: zh-cn` (or en): the language of the notifications the channels send. The file's
 * owner writes for whoever reads the channel, so it wins over the agent's LANG.
 */
function readLanguage(r: FieldReader, value: unknown): Lang | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (LANGS as readonly string[]).includes(value.toLowerCase()))
    return value.toLowerCase() as Lang;
  return r.fail(['language'], ref('language', { got: describeRef(value) }));
}

/** Validates a whole configuration object (the parsed file, or settings shaped the same way). */
export function readConfig(
  r: FieldReader,
  root: unknown,
  source: (path: Path) => string,
  options: ReadOptions,
  waiting: { channel: string; secrets: string[] }[] = [],
  ruleIndexes: number[] = [],
): AlertConfig {
  const config = emptyConfig();
  if (root === undefined || root === null) return config;
  if (!isRecord(root)) {
    r.problem('error', [], ref('topNotMap'));
    return config;
  }
  const obj = root;
  r.knownKeys(obj, [], ['rules', 'channels', 'silences', 'maintenance', 'language']);
  const language = r.item(() => readLanguage(r, obj.language));
  if (language) config.language = language;
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
        r.problem('warning', ['channels', name], ref('waitsForSecret', { names }));
        waiting.push({ channel: name, secrets: [...missing] });
        continue;
      }
      const channel = r.item(() => readChannel(r, resolved, ['channels', name]));
      if (channel) config.channels[name] = channel;
    }
  }

  const seen = new Set<string>();
  config.rules = r.list(
    obj.rules,
    'rules',
    (value, path) => {
      const rule = readRule(r, value, path, source(path), options.allowActions);
      if (seen.has(rule.name)) r.fail([...path, 'name'], ref('nameUsed', { name: rule.name }));
      seen.add(rule.name);
      return rule;
    },
    ruleIndexes,
  );

  config.silences = r.list(obj.silences, 'silences', (v, path) => readSilence(r, v, path, now));
  config.maintenance = r.list(obj.maintenance, 'maintenance', (v, path, i) => readWindow(r, v, path, i));
  return config;
}

/** Drops references to channels that do not exist (each reported once), keeping the rule for toasts. */
export function checkChannelRefs(
  r: FieldReader,
  config: AlertConfig,
  pathOf: (ruleIndex: number) => Path,
  known: Set<string>,
): void {
  config.rules.forEach((rule, i) => {
    const check = (names: string[], path: Path): string[] =>
      names.filter((name, j) => {
        if (known.has(name)) return true;
        r.problem('warning', [...path, j], ref('noSuchChannel', { name }));
        return false;
      });
    rule.channels = check(rule.channels, [...pathOf(i), 'channels']);
    if (rule.escalate)
      rule.escalate.channels = check(rule.escalate.channels, [...pathOf(i), 'escalate', 'channels']);
  });
}
