// The schema of one alert rule: its fields, their defaults, and the checks between them
// (a machine metric takes no match, absent needs one, resolve_below goes with > …).
import { ALERT_METRICS, isFindingAlertMetric } from '../../../shared/model';
import { checkCategory } from '../../../shared/filter';
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import type { MessageRef } from '../../../shared/i18n/catalogue';
import {
  AGGREGATES,
  GROUP_BYS,
  OPERATORS,
  SEVERITIES,
  type AlertRule,
  type Metric,
  type RestartAction,
  type RuleMatch,
} from '../types';
import type { FieldReader, Path } from './fieldReader';

const { ref } = alertRuleMessages;

const MACHINE_METRICS: ReadonlySet<Metric> = new Set(['system_cpu', 'system_memory']);

const RULE_KEYS = [
  'name',
  'metric',
  'match',
  'aggregate',
  'group_by',
  'operator',
  'threshold',
  'resolve_below',
  'resolve_above',
  'for',
  'keep_firing_for',
  'severity',
  'repeat',
  'channels',
  'escalate',
  'action',
  'window',
  'description',
] as const;

function readMatch(r: FieldReader, value: unknown, path: Path): RuleMatch {
  const obj = r.map(value, path, 'match: { name: "^nginx$" }');
  r.knownKeys(obj, path, ['name', 'command', 'category', 'pid', 'user']);
  const match: RuleMatch = {};
  const name = r.regex(obj, 'name', path);
  const command = r.regex(obj, 'command', path);
  if (name !== undefined) match.name = name;
  if (command !== undefined) match.command = command;
  const category = r.string(obj, 'category', path, 'category: browser');
  if (category !== undefined) {
    try {
      match.category = checkCategory(category);
    } catch (error) {
      r.failWith([...path, 'category'], error);
    }
  }
  const pid = r.number(obj, 'pid', path, 'pid: 1234');
  if (pid !== undefined) {
    if (!Number.isInteger(pid) || pid < 0) r.fail([...path, 'pid'], ref('matchPid'));
    match.pid = pid;
  }
  const user = r.string(obj, 'user', path, 'user: www-data');
  if (user !== undefined) match.user = user;
  if (Object.keys(match).length === 0) {
    r.fail(path, ref('matchNothing'));
  }
  return match;
}

function readAction(r: FieldReader, value: unknown, path: Path): RestartAction {
  const obj = r.map(value, path, 'action: { restart: [systemctl, --user, restart, app] }');
  r.knownKeys(obj, path, ['restart', 'max_per_hour', 'detach']);
  const command = obj.restart;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some((c) => typeof c !== 'string' || c === '')
  ) {
    r.fail([...path, 'restart'], ref('restartList'));
  }
  const maxPerHour = r.number(obj, 'max_per_hour', path, 'max_per_hour: 3') ?? 3;
  if (!Number.isInteger(maxPerHour) || maxPerHour < 1 || maxPerHour > 60) {
    r.fail([...path, 'max_per_hour'], ref('maxPerHour'));
  }
  const detach = obj.detach ?? false;
  if (typeof detach !== 'boolean') r.fail([...path, 'detach'], ref('notBoolean'));
  return { restart: command as string[], maxPerHour, detach };
}

/** How long a rule without resolve_below / resolve_above keeps firing after its value is back. */
export const DEFAULT_KEEP_FIRING_MS = 60_000;

/** What a missing or non-numeric threshold says: an example with its unit in words. */
const THRESHOLD_EXAMPLE: Record<
  Exclude<Metric, 'absent' | 'leak' | 'restart_loop' | 'anomaly'>,
  { missing: MessageRef; notNumber: MessageRef }
> = {
  cpu: { missing: ref('thresholdCpu'), notNumber: ref('notNumberCpu') },
  memory: { missing: ref('thresholdMemory'), notNumber: ref('notNumberMemory') },
  io_read: { missing: ref('thresholdIo'), notNumber: ref('notNumberIo') },
  io_write: { missing: ref('thresholdIo'), notNumber: ref('notNumberIo') },
  process_count: { missing: ref('thresholdCount'), notNumber: ref('notNumberCount') },
  memory_growth: { missing: ref('thresholdGrowth'), notNumber: ref('notNumberGrowth') },
  system_cpu: { missing: ref('thresholdMachineCpu'), notNumber: ref('notNumberMachineCpu') },
  system_memory: { missing: ref('thresholdMachineMemory'), notNumber: ref('notNumberMachineMemory') },
};

/**
 * Validates one rule. `source` is where it came from, for messages; `allowActions` is false
 * for rules from settings, whose restart actions are reported and ignored.
 */
export function readRule(
  r: FieldReader,
  value: unknown,
  path: Path,
  source: string,
  allowActions: boolean,
): AlertRule {
  const obj = r.map(value, path, '- name: node-cpu\n    metric: cpu\n    threshold: 80');
  r.knownKeys(obj, path, RULE_KEYS);
  const name = r.string(obj, 'name', path, 'name: node-cpu', true);
  const metric = r.oneOf(obj, 'metric', path, ALERT_METRICS);
  const machine = MACHINE_METRICS.has(metric);

  let match: RuleMatch | undefined;
  if (obj.match !== undefined && obj.match !== null) {
    if (machine) {
      r.fail([...path, 'match'], ref('machineNoMatch', { metric }));
    }
    match = readMatch(r, obj.match, [...path, 'match']);
  } else if (metric === 'absent') {
    r.fail([...path, 'match'], ref('absentNeedsMatch', { example: 'match: { name: "^nginx$" }' }));
  }

  const aggregate = r.oneOf(obj, 'aggregate', path, AGGREGATES, metric === 'memory_growth' ? 'sum' : 'max');
  const groupBy = r.oneOf(obj, 'group_by', path, GROUP_BYS, 'all');
  if (machine && groupBy !== 'all') r.fail([...path, 'group_by'], ref('machineNoGroupBy', { metric }));
  if (metric === 'absent' && groupBy === 'name') {
    r.fail([...path, 'group_by'], ref('absentGroupBy'));
  }

  const operator = r.oneOf(obj, 'operator', path, OPERATORS, '>');
  let threshold = 0;
  if (metric === 'absent') {
    if (obj.threshold !== undefined) r.problem('warning', [...path, 'threshold'], ref('absentNoThreshold'));
  } else if (isFindingAlertMetric(metric)) {
    // How many open findings: any by default (operator > and threshold 0).
    threshold =
      r.number(obj, 'threshold', path, {
        missing: ref('notNumberFindings'),
        notNumber: ref('notNumberFindings'),
      }) ?? 0;
  } else {
    threshold = r.number(
      obj,
      'threshold',
      path,
      THRESHOLD_EXAMPLE[metric as keyof typeof THRESHOLD_EXAMPLE],
      true,
    )!;
  }

  const below = r.number(obj, 'resolve_below', path, 'resolve_below: 70');
  const above = r.number(obj, 'resolve_above', path, 'resolve_above: 5');
  let resolveAt: number | undefined;
  if (below !== undefined) {
    if (operator !== '>' && operator !== '>=') {
      r.fail([...path, 'resolve_below'], ref('resolveBelowOperator', { operator }));
    }
    if (below > threshold) r.fail([...path, 'resolve_below'], ref('resolveBelowThreshold', { threshold }));
    resolveAt = below;
  }
  if (above !== undefined) {
    if (operator !== '<' && operator !== '<=') {
      r.fail([...path, 'resolve_above'], ref('resolveAboveOperator', { operator }));
    }
    if (above < threshold) r.fail([...path, 'resolve_above'], ref('resolveAboveThreshold', { threshold }));
    resolveAt = above;
  }

  const forMs = r.duration(obj, 'for', path, 0);
  // Without a resolve line a value hovering at the threshold would fire and resolve on every
  // tick; holding the resolve for a minute turns that into one firing alert (issue 13, item 8).
  // `absent` is left out: a process that is back is back, and its restart logic counts on it.
  const keepFiringForMs = r.duration(
    obj,
    'keep_firing_for',
    path,
    resolveAt === undefined && metric !== 'absent' ? DEFAULT_KEEP_FIRING_MS : 0,
  );
  const repeatMs = r.duration(obj, 'repeat', path, 0);
  if (repeatMs > 0 && repeatMs < 60_000) r.fail([...path, 'repeat'], ref('repeatTooShort'));
  const windowMs = r.duration(obj, 'window', path, 30 * 60_000);
  if (metric === 'memory_growth' && windowMs < 60_000) {
    r.fail([...path, 'window'], ref('windowTooShort'));
  }
  const severity = r.oneOf(obj, 'severity', path, SEVERITIES, 'warning');
  const channels = r.strings(obj, 'channels', path, 'channels: [team-hook]') ?? [];

  let escalate: AlertRule['escalate'];
  if (obj.escalate !== undefined && obj.escalate !== null) {
    const e = r.map(obj.escalate, [...path, 'escalate'], 'escalate: { after: 30m, channels: [oncall] }');
    r.knownKeys(e, [...path, 'escalate'], ['after', 'channels']);
    const afterMs = r.duration(e, 'after', [...path, 'escalate'], NaN);
    if (Number.isNaN(afterMs))
      r.fail([...path, 'escalate', 'after'], ref('required', { example: 'after: 30m' }));
    const more = r.strings(e, 'channels', [...path, 'escalate'], 'channels: [oncall]');
    if (!more?.length)
      r.fail([...path, 'escalate', 'channels'], ref('required', { example: 'channels: [oncall]' }));
    escalate = { afterMs, channels: more };
  }

  let action: RestartAction | undefined;
  if (obj.action !== undefined && obj.action !== null) {
    if (!allowActions) {
      r.problem('warning', [...path, 'action'], ref('actionsFromSettings'));
    } else {
      if (metric !== 'absent') r.fail([...path, 'action'], ref('actionNeedsAbsent'));
      action = readAction(r, obj.action, [...path, 'action']);
    }
  }

  const rule: AlertRule = {
    name,
    metric,
    aggregate,
    groupBy,
    operator,
    threshold,
    forMs,
    severity,
    repeatMs,
    channels,
    windowMs,
    source,
  };
  if (match) rule.match = match;
  if (resolveAt !== undefined) rule.resolveAt = resolveAt;
  if (keepFiringForMs > 0) rule.keepFiringForMs = keepFiringForMs;
  if (escalate) rule.escalate = escalate;
  if (action) rule.action = action;
  return rule;
}
