import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  actionTitle,
  alertHistoryMarkdown,
  alertRowDescription,
  problemLine,
  problemsOfFile,
  shouldToast,
  toastActions,
  toastLevel,
  toastMessage,
} from '../../../extension/alerts/text';
import type { ActiveAlert, AlertEvent } from '../../../shared/model';
import type { AlertRulesStatus } from '../../../shared/protocol';

const event = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  kind: 'firing',
  key: 'node-cpu|pid:42@1',
  rule: 'node-cpu',
  scope: 'pid:42@1',
  metric: 'cpu',
  severity: 'warning',
  subject: 'node',
  process: { pid: 42, startTime: 1, name: 'node', cmdline: 'node server.js' },
  value: 93,
  threshold: 80,
  operator: '>',
  unit: '%',
  firedAt: 0,
  ts: 0,
  message: 'node-cpu: node cpu 93% > 80%',
  ...over,
});

describe('alert toasts', () => {
  test('severity picks the toast level; a resolve is always info', () => {
    assert.equal(toastLevel(event({ severity: 'critical' })), 'error');
    assert.equal(toastLevel(event({ severity: 'warning' })), 'warning');
    assert.equal(toastLevel(event({ severity: 'info' })), 'info');
    assert.equal(toastLevel(event({ severity: 'critical', kind: 'resolved' })), 'info');
  });

  test('a held-back transition is listed, not toasted', () => {
    assert.equal(shouldToast(event({ suppressed: 'silence' })), false);
    assert.equal(shouldToast(event()), true);
  });

  test('actions: Kill only for a firing process alert in a trusted workspace; no silence for tests or resolves', () => {
    const titles = (e: AlertEvent, canKill: boolean) => toastActions(e, canKill).map((a) => actionTitle(a));
    assert.deepEqual(titles(event(), true), ['Show Process', 'Open History', 'Silence 1 h', 'Kill']);
    assert.deepEqual(titles(event(), false), ['Show Process', 'Open History', 'Silence 1 h']);
    assert.deepEqual(titles(event({ process: undefined, scope: 'machine' }), true), [
      'Open History',
      'Silence 1 h',
    ]);
    assert.deepEqual(titles(event({ kind: 'resolved' }), true), ['Show Process', 'Open History']);
    assert.deepEqual(titles(event({ test: true }), true), ['Show Process', 'Open History']);
  });

  test('in a Chinese VS Code the alert line is made again in Chinese from the event (the agent sends English)', () => {
    // The frame ("Process Tracker alert: {0}") is vscode.l10n's; the line is shared/alertText.ts'.
    assert.equal(
      toastMessage(event(), undefined, 'zh-cn'),
      'Process Tracker alert: node-cpu：node（pid 42） 的 CPU 使用率 93% > 80%',
    );
    assert.equal(
      toastMessage(event(), undefined, 'en'),
      'Process Tracker alert: node-cpu: node (pid 42) cpu 93% > 80%',
    );
    assert.match(toastMessage(event({ kind: 'resolved', value: 12 }), undefined, 'zh-cn'), /已回到 12%$/);
    assert.match(toastMessage(event({ test: true }), undefined, 'zh-cn'), /: \[测试\] node-cpu：/);
    const report = alertHistoryMarkdown(
      {
        from: 0,
        to: 1,
        total: 1,
        counts: [],
        events: [event({ metric: 'absent', value: null })],
        oldestKept: null,
      },
      undefined,
      'zh-cn',
    );
    assert.match(report, /node-cpu：node（pid 42） 没有在运行/);
  });

  test('the message says what happened', () => {
    assert.equal(toastMessage(event()), 'Process Tracker alert: node-cpu: node cpu 93% > 80%');
    assert.match(toastMessage(event({ kind: 'resolved' })), /^Process Tracker: resolved: /);
    assert.match(toastMessage(event({ kind: 'repeat' })), /still firing/);
  });
});

describe('the Alerts view and the reports', () => {
  const active: ActiveAlert = {
    key: 'k',
    rule: 'node-cpu',
    scope: 'pid:42@1',
    metric: 'cpu',
    severity: 'warning',
    subject: 'node',
    process: { pid: 42, startTime: 1, name: 'node', cmdline: '' },
    state: 'firing',
    since: new Date(2026, 0, 2, 14, 32).getTime(),
    value: 93.25,
    threshold: 80,
    unit: '%',
  };

  test('a row names the process, the value against the threshold and since when', () => {
    assert.equal(
      alertRowDescription(active),
      'node (PID 42) · 93.3% / 80% · firing since 2026-01-02 14:32:00',
    );
    assert.match(alertRowDescription({ ...active, suppressed: 'silence' }), / · silenced$/);
    assert.match(
      alertRowDescription({ ...active, metric: 'absent', process: undefined }),
      /^node · not running/,
    );
  });

  test('history report escapes what a process could put in a table', () => {
    const text = alertHistoryMarkdown({
      from: 0,
      to: 1,
      events: [event({ message: 'x | <img src=x onerror=alert(1)>' })],
      total: 3,
      counts: [{ rule: 'node-cpu', firing: 1, resolved: 0, reminders: 0, suppressed: 0 }],
      oldestKept: null,
    });
    assert.match(text, /\| node-cpu \| 1 \| 0 \| 0 \| 0 \|/);
    assert.ok(!text.includes('x | <img'), text);
    assert.match(text, /Showing the newest 1 of 3/);
  });

  test("problems map to the file's lines; settings problems stay off the file", () => {
    const status = {
      file: '/home/u/.config/process-tracker/alerts.yaml',
      problems: [
        {
          level: 'error',
          where: '/home/u/.config/process-tracker/alerts.yaml',
          line: 12,
          field: 'rules[2].threshold',
          message: 'm',
          text: 't',
        },
        {
          level: 'warning',
          where: '/home/u/.config/process-tracker/alerts.yaml',
          field: '(file)',
          message: 'mode',
          text: 't',
        },
        { level: 'warning', where: 'settings', field: 'rules[0].action', message: 'ignored', text: 't' },
      ],
    } as AlertRulesStatus;
    const problems = problemsOfFile(status, status.file);
    assert.deepEqual(
      problems.map((p) => problemLine(p)),
      [11, 0],
    );
  });
});
