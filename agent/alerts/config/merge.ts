// Rules from VS Code settings (`processTracker.alerts.rules`): read with the file's schema, then
// merged with the file's configuration, whose rule wins on a shared name.
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import { refText } from '../../../shared/i18n/catalogue';
import type { ConfigProblem } from '../../../shared/validate';
import type { AlertConfig, AlertRule } from '../types';
import { checkChannelRefs, readConfig, type ReadOptions } from './document';
import { describeRef, FieldReader } from './fieldReader';

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
  const r = new FieldReader('settings', [name], () => undefined);
  if (value === undefined || value === null) return { rules: [], problems: [] };
  if (!Array.isArray(value)) {
    r.problem('error', [], alertRuleMessages.ref('settingsNotList', { got: describeRef(value) }));
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
  const problems = r.problems.map((p) => ({ ...p, field: p.field.replace(`${name}.rules`, name) }));
  const refs = new FieldReader('settings', [name], () => undefined);
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
    const messageRef = alertRuleMessages.ref('alsoInFile', { name: rule.name });
    problems.push({
      level: 'warning',
      where: 'settings',
      field: rule.source.replace(/^settings /, ''),
      message: refText(messageRef, 'en')!,
      messageRef,
    });
    return false;
  });
  return { config: { ...file, rules: [...file.rules, ...extra] }, problems };
}
