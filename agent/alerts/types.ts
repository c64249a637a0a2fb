// The alerting core's data types: validated rules and channels (from config/), what the engine
// emits (AlertTransition); what clients are sent (AlertEvent, ActiveAlert) lives in
// shared/model.ts. Plain JSON throughout, so every piece can be persisted and sent as is.
import type { Lang } from '../../shared/i18n/catalogue';
import {
  ALERT_OPERATORS,
  ALERT_SEVERITIES,
  type AlertMetric,
  type AlertOperator,
  type AlertProcess,
  type AlertSeverity,
  type AlertTransitionKind,
  type Category,
} from '../../shared/model';
import type { DingTalkChannel } from './notifiers/dingtalk';
import type { DiscordChannel } from './notifiers/discord';
import type { EmailChannel } from './notifiers/email';
import type { FeishuChannel } from './notifiers/feishu';
import type { PagerDutyChannel } from './notifiers/pagerduty';
import type { SlackChannel } from './notifiers/slack';
import type { TelegramChannel } from './notifiers/telegram';
import type { WebhookChannel } from './notifiers/webhook';
import type { WeComChannel } from './notifiers/wecom';

export type { ActiveAlert, AlertEvent, AlertProcess } from '../../shared/model';

/** The metrics' list is shared/model.ts's ALERT_METRICS (the settings schema and VS Code read it). */
export type Metric = AlertMetric;

/** Declared once in shared/model.ts (the events every window sees carry them). */
export const SEVERITIES = ALERT_SEVERITIES;
export type Severity = AlertSeverity;
export const OPERATORS = ALERT_OPERATORS;
export type Operator = AlertOperator;

export const AGGREGATES = ['max', 'avg', 'sum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/**
 * A rule's `group_by`: how matching processes are split into alerts (one for all, one per name,
 * one per process). Not the processes view's Grouping (shared/model.ts), hence its own name.
 */
export const GROUP_BYS = ['all', 'name', 'process'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Which processes a rule looks at; every given field must match. */
export interface RuleMatch {
  /** Regular expression on the process name. */
  name?: string;
  /** Regular expression on the full command line. */
  command?: string;
  category?: Category;
  pid?: number;
  user?: string;
}

export interface RestartAction {
  /** Program and arguments, run with execFile: no shell, so no quoting or globbing. */
  restart: string[];
  maxPerHour: number;
  /** Start the command detached and do not wait for it (for commands that *are* the service). */
  detach: boolean;
}

export interface AlertRule {
  name: string;
  metric: Metric;
  /** Undefined for machine metrics; for process metrics undefined means every process. */
  match?: RuleMatch;
  aggregate: Aggregate;
  groupBy: GroupBy;
  operator: Operator;
  threshold: number;
  /** Hysteresis: the value at which a firing alert clears (resolve_below / resolve_above). */
  resolveAt?: number;
  forMs: number;
  /**
   * A firing alert clears only once its resolve condition has held this long (keep_firing_for),
   * so a value hovering at the threshold does not send a fire/resolve pair on every tick.
   * Undefined or 0: clears at once.
   */
  keepFiringForMs?: number;
  severity: Severity;
  /** Reminder interval while firing; 0 = none. */
  repeatMs: number;
  channels: string[];
  escalate?: { afterMs: number; channels: string[] };
  action?: RestartAction;
  /** memory_growth only: the window the slope is fitted over. */
  windowMs: number;
  /** Where the rule came from, for messages: "alerts.yaml:12" or "settings". */
  source: string;
}

/** What every channel may set: its own rate limit (rate_per_minute). */
export interface ChannelBase {
  ratePerMinute?: number;
}

/**
 * A channel as configured; each notifier declares its own fields and schema beside its sender
 * (notifiers/index.ts is the registry). Secrets live in here; never log or persist this object.
 */
export type ChannelConfig =
  | WebhookChannel
  | SlackChannel
  | DiscordChannel
  | WeComChannel
  | DingTalkChannel
  | FeishuChannel
  | TelegramChannel
  | EmailChannel
  | PagerDutyChannel;

export type ChannelType = ChannelConfig['type'];

/** Mutes notifications (not evaluation) for a rule, a scope, or processes by name, until a time. */
export interface Silence {
  rule?: string;
  /** An alert's scope, as shown in its event, e.g. "name:nginx" or "pid:123@1700000000000". */
  scope?: string;
  /** Regular expression on the process name. */
  process?: string;
  until: number;
  comment?: string;
}

/** A recurring window in local time during which notifications are held back. */
export interface MaintenanceWindow {
  name: string;
  /** Five-field cron expression for the window's start (minute hour day-of-month month weekday)… */
  cron?: string;
  durationMs?: number;
  /** …or weekly: days (0 = Sunday) and a from–to clock range, which may wrap past midnight. */
  days?: number[];
  from?: string;
  to?: string;
  /** Rules it applies to; every rule when undefined. */
  rules?: string[];
}

export interface AlertConfig {
  rules: AlertRule[];
  channels: Record<string, ChannelConfig>;
  silences: Silence[];
  maintenance: MaintenanceWindow[];
  /** `language:` of the file: what the channels' notifications are written in (else the agent's LANG). */
  language?: Lang;
}

export type TransitionKind = AlertTransitionKind;

/** What the engine emits when an alert changes or needs a reminder. */
export interface AlertTransition {
  kind: TransitionKind;
  /** De-duplication key: rule + scope. The same key never has two live alerts. */
  key: string;
  rule: string;
  /** "all", "machine", "name:nginx" or "pid:123@1700000000000". */
  scope: string;
  metric: Metric;
  severity: Severity;
  /** Human label of what is alerting: a process name, "3 × node", or "machine". */
  subject: string;
  process?: AlertProcess;
  value: number | null;
  threshold: number;
  operator: Operator;
  /** Unit of value and threshold: "%", "MiB", "MiB/s", "MiB/h", "" for counts (ALERT_UNITS). */
  unit: string;
  /** When the alert started firing (for `resolved`, the fire time of the alert that cleared). */
  firedAt: number;
  ts: number;
  /** Channels to notify; empty when the transition is suppressed. */
  channels: string[];
  /** Set when a silence or maintenance window holds the notification back. */
  suppressed?: 'silence' | 'maintenance';
  /** The rule's restart action, on an `absent` rule's `firing` transition. */
  action?: RestartAction;
}

// The wire types in shared/model.ts must stay those of the engine: a drift breaks `tsc`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type ModelMatchesEngine = [Assert<Same<Severity, AlertSeverity>>];
