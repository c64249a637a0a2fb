// Reads the alerts file: rules, channels, silences and maintenance windows (see README.md).
// Every problem names where it is ("alerts.yaml:12 rules[2].threshold: …") and how to fix it; a
// broken rule or channel is reported and skipped, the rest keep working. The parts, one job each,
// are in config/: the YAML positions, the rule schema, silences and windows, `${secret:…}`
// substitution, settings rules and their merge; each channel's schema is in its notifier.
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { alertRuleMessages } from '../../shared/i18n/alertRules';
import { refText, type MessageRef } from '../../shared/i18n/catalogue';
import type { ConfigProblem } from '../../shared/validate';
import { checkChannelRefs, emptyConfig, readConfig, type ReadOptions } from './config/document';
import { FieldReader } from './config/fieldReader';
import { parsePositionedYaml } from './config/yamlPosition';
import { secretFileModeRef } from './secrets';
import { checkFileTrust } from './trust';
import type { AlertConfig } from './types';

export { formatProblem, type ConfigProblem } from '../../shared/validate';
export { emptyConfig, type ReadOptions } from './config/document';
export { mergeRules, rulesFromSettings } from './config/merge';
export { DEFAULT_KEEP_FIRING_MS } from './config/ruleSchema';

export interface LoadResult {
  config: AlertConfig;
  problems: ConfigProblem[];
  /** Channels left out because a `${secret:NAME}` they use has not been given (yet). */
  waitingForSecrets?: { channel: string; secrets: string[] }[];
  /** Set when others could write the file: its actions and channels were dropped (trust.ts). */
  untrusted?: ConfigProblem;
}

const { ref } = alertRuleMessages;

/** A problem of the file as a whole (its syntax, mode or owner), in English and as a reference. */
function fileProblem(
  level: ConfigProblem['level'],
  where: string,
  field: string,
  messageRef: MessageRef,
  line?: number,
): ConfigProblem {
  return {
    level,
    where,
    ...(line === undefined ? {} : { line }),
    field,
    message: refText(messageRef, 'en')!,
    messageRef,
  };
}

/** Parses the text of an alerts YAML file. `file` is how messages name it. */
export function parseAlertsYaml(text: string, file: string, options: ReadOptions): LoadResult {
  const yaml = parsePositionedYaml(text, ['rules', 'silences', 'maintenance']);
  const { lineOf } = yaml;
  const r = new FieldReader(file, [], lineOf);
  for (const error of yaml.syntaxErrors)
    r.problems.push(fileProblem('error', file, '(syntax)', error.message, error.line));
  if (yaml.unreadable !== undefined) {
    r.problem('error', [], ref('unreadable', { detail: yaml.unreadable }));
    return { config: emptyConfig(), problems: r.problems };
  }

  const waiting: { channel: string; secrets: string[] }[] = [];
  const indexes: number[] = [];
  const config = readConfig(
    r,
    yaml.root,
    (path) => `${file}:${lineOf(path) ?? '?'}`,
    options,
    waiting,
    indexes,
  );
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
      problems: [fileProblem('error', file, '(file)', ref('fileUnreadable', { code: String(code) }))],
    };
  }
  const result = parseAlertsYaml(text, file, options);
  const untrusted = checkFileTrust(file, stat, options.uid === undefined ? {} : { uid: options.uid });
  // chmod 600 fixes both at once: one line about the file's mode, not two.
  const modeWarning = untrusted?.file ? undefined : secretFileModeRef(file);
  if (modeWarning) result.problems.unshift(fileProblem('warning', file, '(file)', modeWarning));
  if (untrusted) {
    disarm(result.config);
    delete result.waitingForSecrets;
    result.untrusted = fileProblem('error', file, '(file)', untrusted.messageRef);
    result.problems.unshift(result.untrusted);
  }
  return result;
}
