// Silences and maintenance windows as configured: what they hold back and when. Times may be
// relative ("until: 2h" is two hours from `now`) or absolute; windows are cron or weekly.
import { parseDuration } from '../../../shared/duration';
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import { parseTime } from '../../../shared/time';
import { MAX_WINDOW_MS, parseClock, parseCron, parseWeekday } from '../schedule';
import type { MaintenanceWindow, Silence } from '../types';
import type { FieldReader, Obj, Path } from './fieldReader';

const { ref } = alertRuleMessages;

function readTime(r: FieldReader, obj: Obj, key: string, path: Path, now: number): number {
  const value = obj[key];
  if (value === undefined || value === null)
    r.fail([...path, key], ref('required', { example: `${key}: "2026-12-01 09:00"` }));
  if (typeof value === 'string' && /^\d+(\.\d+)?(ms|s|m|h|d|w)/.test(value.trim())) {
    // "until: 2h" reads naturally as two hours from now.
    try {
      return now + parseDuration(value, key);
    } catch {
      // fall through to absolute times
    }
  }
  try {
    // An end time: "until: 18:00" is the next 18:00, never one already past.
    return parseTime(String(value), now, 'next');
  } catch (error) {
    return r.failWith([...path, key], error);
  }
}

export function readSilence(r: FieldReader, value: unknown, path: Path, now: number): Silence {
  const obj = r.map(value, path, '- rule: node-cpu\n    until: "2026-12-01 09:00"');
  r.knownKeys(obj, path, ['rule', 'scope', 'process', 'until', 'comment']);
  const silence: Silence = { until: readTime(r, obj, 'until', path, now) };
  const rule = r.string(obj, 'rule', path, 'rule: node-cpu');
  const scope = r.string(obj, 'scope', path, 'scope: "name:nginx"');
  const processName = r.regex(obj, 'process', path);
  const comment = r.string(obj, 'comment', path, 'comment: deploying');
  if (rule) silence.rule = rule;
  if (scope) silence.scope = scope;
  if (processName) silence.process = processName;
  if (comment) silence.comment = comment;
  if (!rule && !scope && !processName) {
    r.fail(path, ref('silencesNothing'));
  }
  return silence;
}

export function readWindow(r: FieldReader, value: unknown, path: Path, index: number): MaintenanceWindow {
  const obj = r.map(value, path, '- cron: "0 2 * * *"\n    duration: 1h');
  r.knownKeys(obj, path, ['name', 'cron', 'duration', 'days', 'from', 'to', 'rules']);
  const window: MaintenanceWindow = {
    name: r.string(obj, 'name', path, 'name: backups') ?? `window ${index}`,
  };
  const cron = r.string(obj, 'cron', path, 'cron: "0 2 * * *"');
  if (cron !== undefined) {
    try {
      parseCron(cron);
    } catch (error) {
      r.failWith([...path, 'cron'], error);
    }
    if (obj.days !== undefined || obj.from !== undefined || obj.to !== undefined) {
      r.fail(path, ref('cronAndDays'));
    }
    const durationMs = r.duration(obj, 'duration', path, NaN);
    if (Number.isNaN(durationMs)) r.fail([...path, 'duration'], ref('durationWithCron'));
    if (durationMs <= 0 || durationMs > MAX_WINDOW_MS) r.fail([...path, 'duration'], ref('windowLength'));
    window.cron = cron;
    window.durationMs = durationMs;
  } else {
    if (obj.from === undefined && obj.to === undefined && obj.days === undefined) {
      r.fail(path, ref('windowNeither'));
    }
    const days = r.strings(obj, 'days', path, 'days: [sat, sun]');
    if (days) {
      window.days = days.map((d, i) => {
        try {
          return parseWeekday(d);
        } catch (error) {
          return r.failWith([...path, 'days', i], error);
        }
      });
    }
    for (const key of ['from', 'to'] as const) {
      const clock = r.string(obj, key, path, `${key}: "22:00"`);
      if (clock === undefined) continue;
      try {
        parseClock(clock);
      } catch (error) {
        r.failWith([...path, key], error);
      }
      window[key] = clock;
    }
  }
  const rules = r.strings(obj, 'rules', path, 'rules: [node-cpu]');
  if (rules) window.rules = rules;
  return window;
}
