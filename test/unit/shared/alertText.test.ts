// The alert vocabulary is declared once in shared/: the metric list, its guard, the units and the
// value text. The manifest's setting schema, the agent and the extension all read that one list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ALERT_METRICS, isAlertMetric } from '../../../shared/model';
import { ALERT_UNITS, formatAlertValue } from '../../../shared/alertText';
import { alertMessage } from '../../../agent/alerts/notifiers/text';
import { alertRowDescription, EXAMPLE_RULES_FILE } from '../../../extension/alerts/text';
import { SAMPLE_ALERT } from '../../../agent/alerts/notifiers/webhook';

const root = path.resolve(__dirname, '..', '..', '..');

test("package.json's alerts.rules metric enum is the shared ALERT_METRICS", () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: {
      configuration: { properties: Record<string, any> } | { properties: Record<string, any> }[];
    };
  };
  const sections = [manifest.contributes.configuration].flat();
  const rules = sections.map((s) => s.properties['processTracker.alerts.rules']).find(Boolean);
  assert.deepEqual(rules.items.properties.metric.enum, [...ALERT_METRICS]);
});

test('isAlertMetric accepts exactly the listed metrics', () => {
  for (const metric of ALERT_METRICS) assert.ok(isAlertMetric(metric));
  for (const other of ['rss', 'CPU', '', null, undefined, 1, {}]) assert.equal(isAlertMetric(other), false);
});

test('memory units are binary (MiB), as their values are divided by 1024²', () => {
  assert.equal(ALERT_UNITS.memory, 'MiB');
  assert.equal(ALERT_UNITS.io_read, 'MiB/s');
  assert.equal(ALERT_UNITS.io_write, 'MiB/s');
  assert.equal(ALERT_UNITS.memory_growth, 'MiB/h');
  assert.equal(ALERT_UNITS.cpu, '%');
  assert.equal(ALERT_UNITS.process_count, '');
});

test('one value text for the agent and the extension, null included', () => {
  assert.equal(formatAlertValue(93.24, '%'), '93.2%');
  assert.equal(formatAlertValue(1234.5, 'MiB'), '1235 MiB');
  assert.equal(formatAlertValue(3, ''), '3');
  assert.equal(formatAlertValue(null, 'MiB'), 'unknown');
  const gone = { ...SAMPLE_ALERT, kind: 'resolved' as const, value: null, threshold: 80 };
  assert.equal(alertMessage(gone), 'sample-rule: node (pid 4242) cpu back to unknown');
  const row = alertRowDescription({
    key: 'k',
    rule: 'r',
    scope: 'all',
    metric: 'cpu',
    severity: 'info',
    subject: 'node',
    state: 'firing',
    since: 0,
    value: null,
    threshold: 80,
    unit: '%',
  });
  assert.match(row, /^node · unknown \/ 80% · firing since /);
});

test("the new rules file's example lists every metric, wrapped as before", () => {
  assert.ok(
    EXAMPLE_RULES_FILE.includes(
      '#     metric: cpu                 # cpu | memory | io_read | io_write | process_count | absent |\n' +
        '#                                 # memory_growth | system_cpu | system_memory | leak |\n' +
        '#                                 # restart_loop | anomaly\n',
    ),
  );
});
