// Where the running agent's alert configuration comes from: the user's alerts file (watched and
// re-read on every save) merged with the rules a VS Code window sends from its user / machine
// settings. A file with errors never takes working rules away: rules and channels that vanished
// from a broken file are kept from the last good read, since a broken rule cannot be told from a
// deleted one. Each problem is logged once, with file, line and field.
import { existsSync, readFileSync, watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ALERT_UNITS } from '../../shared/alertText';
import { formatDuration } from '../../shared/duration';
import { alertTextMessages } from '../../shared/i18n/alertText';
import { refText } from '../../shared/i18n/catalogue';
import type { AlertRuleProblem, AlertRuleSummary, AlertRulesStatus } from '../../shared/protocol';
import type { Logger } from '../log';
import {
  disarm,
  emptyConfig,
  formatProblem,
  loadAlertsFile,
  mergeRules,
  rulesFromSettings,
  type ConfigProblem,
} from './rules';
import { Redactor, secretsOf } from './secrets';
import { fileTrustKey } from './trust';
import type { AlertConfig, AlertRule } from './types';

export interface RuleSourceOptions {
  file: string;
  log: Logger;
  /** Learns every channel secret the file ever held, so logs can never show one. */
  redactor: Redactor;
  /** Saves settings rules so they keep working while no window is open. */
  settingsStore?: { load(): unknown[] | undefined; save(rules: unknown[]): void };
  /** Quiet time after a file event before re-reading (editors write in several steps). */
  debounceMs?: number;
  now?: () => number;
}

const hasErrors = (problems: ConfigProblem[]) => problems.some((p) => p.level === 'error');

export class RuleSource {
  /** The file's configuration as used: last good parts filled in while the file has errors. */
  private fileConfig: AlertConfig = emptyConfig();
  private fileProblems: ConfigProblem[] = [];
  private kept: string[] = [];
  private secrets: Record<string, string> = {};
  private waiting: { channel: string; secrets: string[] }[] = [];
  private fileText: string | undefined;
  /** Whether others could write the file, as last read: a chmod alone is a change too. */
  private fileTrust = '';
  private loadedAt = 0;
  private settingsValue: unknown[] = [];
  private settingsRules: AlertRule[] = [];
  private settingsProblems: ConfigProblem[] = [];
  private merged: AlertConfig = emptyConfig();
  private logged = new Set<string>();
  private watcher: FSWatcher | undefined;
  private polling = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: RuleSourceOptions) {
    this.now = options.now ?? Date.now;
    this.settingsValue = options.settingsStore?.load() ?? [];
  }

  get file(): string {
    return this.options.file;
  }

  /** The merged configuration (file + settings) the engine and delivery use. */
  get config(): AlertConfig {
    return this.merged;
  }

  /** Channels of the file that wait for a secret from VS Code. */
  get waitingChannels(): string[] {
    return this.waiting.map((w) => w.channel);
  }

  /** Values for `${secret:NAME}` from VS Code's SecretStorage; memory only. Re-reads the file. */
  setSecrets(secrets: Record<string, string>): void {
    this.secrets = { ...secrets };
    this.options.redactor.add(Object.values(secrets));
    this.reload(true);
  }

  /** Re-reads the file (unless its text is unchanged); returns true when the configuration changed. */
  reload(force = false): boolean {
    const file = this.options.file;
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined; // missing or unreadable: loadAlertsFile says which
    }
    const trust = fileTrustKey(file);
    const same = text !== undefined && text === this.fileText && trust === this.fileTrust;
    if (!force && this.loadedAt > 0 && same) return false;
    this.fileText = text;
    this.fileTrust = trust;
    this.loadedAt = this.now();
    const { config, problems, waitingForSecrets, untrusted } = loadAlertsFile(file, {
      allowActions: true,
      now: this.now(),
      secrets: this.secrets,
    });
    this.waiting = waitingForSecrets ?? [];
    this.options.redactor.add(Object.values(config.channels).flatMap(secretsOf));
    this.kept = [];
    // Others being able to write the file is no broken rule: nothing to keep from the last read.
    if (hasErrors(problems.filter((p) => p !== untrusted))) {
      const previous = this.fileConfig;
      for (const rule of previous.rules) {
        if (config.rules.some((r) => r.name === rule.name)) continue;
        config.rules.push(rule);
        this.kept.push(rule.name);
      }
      for (const [name, channel] of untrusted ? [] : Object.entries(previous.channels)) {
        if (name in config.channels || this.waiting.some((w) => w.channel === name)) continue;
        config.channels[name] = channel;
        this.kept.push(name);
      }
      const broken = (key: string) =>
        problems.some(
          (p) =>
            p.level === 'error' && (p.field.startsWith(key) || p.field.startsWith('(') || p.field === ''),
        );
      if (broken('silences')) config.silences = previous.silences;
      if (broken('maintenance')) config.maintenance = previous.maintenance;
      if (this.kept.length)
        this.options.log.warn(
          `alerts: ${file} has errors; kept from its last good read: ${this.kept.join(', ')}`,
        );
    }
    // Nor may the last good read bring back an action or a channel while others can write the file.
    if (untrusted) disarm(config);
    this.fileConfig = config;
    this.fileProblems = problems;
    this.applySettings();
    this.options.log.info(
      `alerts: ${existsSync(file) ? `read ${file}` : `no rule file at ${file}`}: ${this.merged.rules.length} rules, ${Object.keys(this.merged.channels).length} channels`,
    );
    return true;
  }

  /** Rules from a window's settings; they may name the file's channels but carry no URL or command. */
  setSettingsRules(value: unknown[]): void {
    this.settingsValue = value;
    this.options.settingsStore?.save(value);
    this.applySettings();
  }

  status(): AlertRulesStatus {
    const problems: AlertRuleProblem[] = [...this.fileProblems, ...this.settingsProblems].map((p) => ({
      level: p.level,
      where: p.where,
      ...(p.line ? { line: p.line } : {}),
      field: p.field,
      message: p.message,
      ...(p.messageRef ? { messageRef: p.messageRef } : {}),
      text: formatProblem(p),
    }));
    return {
      file: this.options.file,
      fileExists: existsSync(this.options.file),
      loadedAt: this.loadedAt,
      rules: this.merged.rules.map(summarize),
      channels: Object.keys(this.merged.channels),
      problems,
      keptFromLastGood: [...this.kept],
      waitingForSecrets: this.waiting.map((w) => ({ channel: w.channel, secrets: [...w.secrets] })),
    };
  }

  /** Calls `onChange` (debounced) after the file is saved, replaced, created or deleted. */
  watch(onChange: () => void): void {
    const fire = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        try {
          if (this.reload()) onChange();
        } catch (error) {
          this.options.log.error(
            `alerts: reloading ${this.options.file} failed: ${(error as Error).message}`,
          );
        }
      }, this.options.debounceMs ?? 200);
      this.timer.unref?.();
    };
    this.watchFolder(fire);
  }

  /**
   * The folder, not the file: editors save by writing a new file and renaming it over the old.
   * Until the folder exists, its nearest existing ancestor is watched for it to appear — not
   * polled: polling woke the agent every second for a file most users never create.
   */
  private watchFolder(fire: () => void): void {
    const dir = path.dirname(this.options.file);
    const base = path.basename(this.options.file);
    const watched = nearestExisting(dir);
    this.watcher?.close();
    this.watcher = undefined;
    try {
      this.watcher =
        watched === dir
          ? watch(dir, { persistent: false }, (_event, name) => {
              if (!existsSync(dir)) {
                this.watchFolder(fire); // the folder itself went away
                fire();
              } else if (!name || name.toString() === base) fire();
            })
          : watch(watched, { persistent: false }, () => {
              if (nearestExisting(dir) === watched) return;
              this.watchFolder(fire);
              fire(); // `mkdir -p … && cp …`: the file may have come with its folder
            });
      this.watcher.on('error', () => this.pollInstead(fire));
      if (watched !== dir && nearestExisting(dir) !== watched) {
        this.watchFolder(fire); // it appeared before the watch was set
        fire();
      }
    } catch {
      this.pollInstead(fire); // no inotify watch to be had (limit reached)
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
    if (this.polling) unwatchFile(this.options.file);
    this.polling = false;
  }

  private pollInstead(fire: () => void): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.polling) return;
    this.polling = true;
    watchFile(this.options.file, { interval: 1000, persistent: false }, fire);
  }

  private applySettings(): void {
    const channelNames = [...Object.keys(this.fileConfig.channels), ...this.waitingChannels];
    const { rules, problems } = rulesFromSettings(this.settingsValue, channelNames, {
      allowActions: false,
      now: this.now(),
    });
    this.settingsRules = rules;
    const merged = mergeRules(this.fileConfig, this.settingsRules);
    this.settingsProblems = [...problems, ...merged.problems];
    this.merged = merged.config;
    this.logProblems([...this.fileProblems, ...this.settingsProblems]);
  }

  /** Logs each problem once per distinct text, so a reload of the same broken file stays quiet. */
  private logProblems(problems: ConfigProblem[]): void {
    const now = new Set<string>();
    for (const p of problems) {
      const text = formatProblem(p);
      now.add(text);
      if (this.logged.has(text)) continue;
      if (p.level === 'error') this.options.log.error(`alerts: ${text}`);
      else this.options.log.warn(`alerts: ${text}`);
    }
    // Forget fixed problems, so they are logged again if they come back.
    this.logged = now;
  }
}

function summarize(rule: AlertRule): AlertRuleSummary {
  const unit = ALERT_UNITS[rule.metric];
  const condition =
    rule.metric === 'absent'
      ? ''
      : rule.metric === 'system_cpu' || rule.metric === 'system_memory'
        ? `${rule.operator} ${rule.threshold}${unit}`
        : `${rule.aggregate} ${rule.operator} ${rule.threshold}${unit ? (unit === '%' ? unit : ` ${unit}`) : ''}`;
  const metric = rule.metric;
  const duration = formatDuration(rule.forMs);
  const { ref } = alertTextMessages;
  const summaryRef =
    rule.metric === 'absent'
      ? rule.forMs
        ? ref('summaryAbsentFor', { metric, duration })
        : ref('summaryAbsent', { metric })
      : rule.forMs
        ? ref('summaryValueFor', { metric, condition, duration })
        : ref('summaryValue', { metric, condition });
  return {
    name: rule.name,
    metric: rule.metric,
    severity: rule.severity,
    source: rule.source,
    channels: [...rule.channels, ...(rule.escalate?.channels ?? [])],
    hasAction: rule.action !== undefined,
    summary: refText(summaryRef, 'en')!,
    summaryRef,
  };
}

function nearestExisting(dir: string): string {
  let at = dir;
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}
