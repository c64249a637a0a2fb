// Findings as alert conditions (issue 16 item 7): `metric: leak | restart_loop | anomaly` fires on
// an open finding of that kind about a matching process, names the culprit, and resolves when the
// finding closes; the rule file accepts them without a threshold.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlertEngine } from '../../../../agent/alerts/engine';
import { alertMessage } from '../../../../agent/alerts/notifiers/text';
import { parseAlertsYaml } from '../../../../agent/alerts/rules';
import type { Finding } from '../../../../shared/model';
import { rule, tick } from '../../../fixtures/alerts';

const T0 = Date.UTC(2026, 0, 5, 12);

const leak = (name: string, pid: number, open = true): Finding => ({
  kind: 'leak',
  subject: { name, cmdline: `${name} --serve`, identities: [{ pid, startTime: 1000 }], container: null },
  from: T0 - 60_000,
  to: T0,
  open,
  evidence: {},
  summary: { en: `${name} leaks`, zh: `${name} 泄漏` },
});

describe('alerts on findings', () => {
  test('an open leak about a matching process fires, naming it; it resolves when the finding closes', () => {
    const engine = new AlertEngine([
      rule({
        name: 'leaks',
        metric: 'leak',
        threshold: 0,
        groupBy: 'process',
        match: { name: '^api' },
        keepFiringForMs: 0,
      }),
    ]);
    const other = leak('postgres', 7);
    const fired = engine.evaluate(tick(T0, []), T0, [leak('api-server', 42), other]);
    assert.deepEqual(
      fired.map((t) => `${t.kind}:${t.key}`),
      ['firing:leaks|pid:42@1000'],
    );
    assert.equal(fired[0]!.process!.name, 'api-server');
    assert.equal(alertMessage(fired[0]!), 'leaks: api-server (pid 42): memory leak found');
    assert.deepEqual(engine.evaluate(tick(T0 + 1000, []), T0 + 1000, [leak('api-server', 42)]), []);
    const resolved = engine.evaluate(tick(T0 + 2000, []), T0 + 2000, [leak('api-server', 42, false)]);
    assert.deepEqual(
      resolved.map((t) => `${t.kind}:${t.key}`),
      ['resolved:leaks|pid:42@1000'],
    );
  });

  test('another kind of finding does not fire a leak rule; the rule file takes the metric without threshold', () => {
    const engine = new AlertEngine([rule({ name: 'loops', metric: 'restart_loop', threshold: 0 })]);
    assert.deepEqual(engine.evaluate(tick(T0, []), T0, [leak('api', 1)]), []);
    const loop = { ...leak('worker', 9), kind: 'restart_loop' as const };
    const fired = engine.evaluate(tick(T0, []), T0, [loop]);
    assert.equal(fired[0]?.subject, 'worker');
    const parsed = parseAlertsYaml('rules:\n  - name: loops\n    metric: restart_loop\n', 'alerts.yaml', {
      allowActions: false,
      now: T0,
    });
    assert.deepEqual(
      parsed.problems.filter((p) => p.level === 'error'),
      [],
    );
    assert.equal(parsed.config.rules[0]!.metric, 'restart_loop');
    assert.equal(engine.hasFindingRules(), true);
  });
});
