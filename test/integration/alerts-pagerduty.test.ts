// PagerDuty (Events API v2) as an alert channel, against a real HTTP server on 127.0.0.1 that
// answers as PagerDuty documents: one event per alert, trigger then resolve with the same
// dedup_key, 400 not retried, 429 retried, and the routing key in no log line or record.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Delivery, type DeliveryRecord } from '../../agent/alerts/delivery';
import { AlertEngine } from '../../agent/alerts/engine';
import { parseAlertsYaml } from '../../agent/alerts/rules';
import type { ChannelConfig } from '../../agent/alerts/types';
import { streamLogger } from '../../agent/log';
import { proc, rule, tick } from '../fixtures/alerts';
import { startHook, type Responder } from './alerts-helpers';

const ROUTING_KEY = 'R0UT1NGKEYCANARY0123456789abcdef';
const FAST = { baseMs: 50, maxMs: 200, deadlineMs: 20_000, timeoutMs: 2000 };
const T0 = Date.now();

interface PdEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  client?: string;
  payload?: { summary: string; source: string; severity: string; timestamp: string; component: string };
}

/** PagerDuty's documented answers: 202 success, or 400 for an event it cannot read. */
const accepted: Responder = (req) => ({
  status: 202,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    status: 'success',
    message: 'Event processed',
    dedup_key: (JSON.parse(req.body) as PdEvent).dedup_key,
  }),
});

async function pagerDuty(respond: Responder = accepted) {
  const server = await startHook(respond);
  cleanups.push(server.close);
  const yaml = `channels:
  oncall:
    type: pagerduty
    routing_key: ${ROUTING_KEY}
    api_url: ${server.url}/
`;
  const { config, problems } = parseAlertsYaml(yaml, 'alerts.yaml', { allowActions: false });
  assert.deepEqual(problems, []);
  const lines: string[] = [];
  const records: DeliveryRecord[] = [];
  const delivery = new Delivery({
    channels: config.channels,
    log: streamLogger((l) => lines.push(l), 'debug'),
    retry: FAST,
    host: 'web-1',
    onRecord: (r) => records.push(r),
  });
  delivery.start();
  const events = () => server.received.map((r) => JSON.parse(r.body) as PdEvent);
  return { server, delivery, lines, records, events, channels: config.channels };
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A per-process cpu rule over two busy processes: two alerts from one tick. */
function twoAlerts() {
  const engine = new AlertEngine([
    rule({ name: 'hot', metric: 'cpu', groupBy: 'process', severity: 'critical', channels: ['oncall'] }),
  ]);
  const busy = [proc(101, { name: 'api', cpu: 95 }), proc(102, { name: 'worker', cpu: 97 })];
  const fired = engine.evaluate(tick(T0, busy));
  const calm = busy.map((p) => ({ ...p, cpu: 1 }));
  return { fired, resolve: () => engine.evaluate(tick(T0 + 1000, calm)) };
}

describe('PagerDuty Events API v2', () => {
  test('one trigger per alert, then resolves with the same dedup keys; nothing grouped', async () => {
    const pd = await pagerDuty();
    const { fired, resolve } = twoAlerts();
    assert.equal(fired.length, 2);
    pd.delivery.enqueue(fired);
    await pd.delivery.idle();
    const resolved = resolve();
    assert.deepEqual(
      resolved.map((t) => t.kind),
      ['resolved', 'resolved'],
    );
    pd.delivery.enqueue(resolved);
    await pd.delivery.idle();
    const events = pd.events();
    assert.deepEqual(
      pd.server.received.map((r) => [r.url, r.headers['content-type']]),
      Array(4).fill(['/v2/enqueue', 'application/json; charset=utf-8']),
    );
    assert.deepEqual(
      events.map((e) => e.event_action),
      ['trigger', 'trigger', 'resolve', 'resolve'],
    );
    assert.ok(events.every((e) => e.routing_key === ROUTING_KEY));
    const [a, b, ra, rb] = events as [PdEvent, PdEvent, PdEvent, PdEvent];
    assert.notEqual(a.dedup_key, b.dedup_key, 'one incident per alert');
    assert.deepEqual(
      new Set([ra.dedup_key, rb.dedup_key]),
      new Set([a.dedup_key, b.dedup_key]),
      'a resolve carries its trigger key',
    );
    assert.ok(a.dedup_key.length <= 255);
    for (const trigger of [a, b]) {
      assert.equal(trigger.payload!.severity, 'critical');
      assert.equal(trigger.payload!.source, 'web-1');
      assert.ok(trigger.payload!.summary.length <= 1024);
      assert.ok(!Number.isNaN(Date.parse(trigger.payload!.timestamp)));
    }
    assert.deepEqual(new Set([a.payload!.component, b.payload!.component]), new Set(['api', 'worker']));
    assert.equal(ra.payload, undefined, 'a resolve needs no payload');
    assert.deepEqual(
      pd.records.map((r) => r.outcome),
      ['delivered', 'delivered', 'delivered', 'delivered'],
    );
    await pd.delivery.stop();
  });

  test('400 (invalid event) is not retried and 429 is; the routing key is in no log line or record', async () => {
    const invalid = await pagerDuty(() => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: [`'routing_key' ${ROUTING_KEY} is invalid`],
      }),
    }));
    invalid.delivery.enqueue(twoAlerts().fired.slice(0, 1));
    await invalid.delivery.idle();
    assert.equal(invalid.server.received.length, 1);
    assert.deepEqual(
      invalid.records.map((r) => [r.outcome, r.status]),
      [['failed', 400]],
    );
    assert.match(invalid.lines.join('\n'), /HTTP 400/);
    const limited = await pagerDuty((req, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : accepted(req, i),
    );
    limited.delivery.enqueue(twoAlerts().fired.slice(0, 1));
    await limited.delivery.idle();
    assert.deepEqual(
      limited.server.received.map((r) => r.status),
      [429, 202],
    );
    for (const pd of [invalid, limited]) {
      const written = pd.lines.join('\n') + JSON.stringify(pd.records) + JSON.stringify(pd.delivery.state());
      assert.ok(!written.includes(ROUTING_KEY), `the routing key leaked: ${written}`);
      await pd.delivery.stop();
    }
  });

  test('the channel schema: routing_key is required, api_url must be http(s)', () => {
    const read = (fields: string) =>
      parseAlertsYaml(`channels:\n  pd:\n    type: pagerduty\n${fields}`, 'alerts.yaml', {
        allowActions: false,
      });
    assert.match(
      read('')
        .problems.map((p) => p.message)
        .join('\n'),
      /routing_key/,
    );
    assert.match(
      read(`    routing_key: x\n    api_url: ftp://example.com\n`)
        .problems.map((p) => p.message)
        .join('\n'),
      /api_url/,
    );
    const ok = read(`    routing_key: abc\n`);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.config.channels.pd as ChannelConfig, {
      type: 'pagerduty',
      routingKey: 'abc',
      apiUrl: 'https://events.pagerduty.com',
    });
  });
});
