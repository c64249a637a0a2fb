// Delivery against real servers on 127.0.0.1: templates, retries, Retry-After, permanent errors,
// grouping, rate limits, SMTP, suppression, and secrets kept out of logs and records.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Delivery, type DeliveryRecord, type DeliveryState } from '../../agent/alerts/delivery';
import { AlertEngine } from '../../agent/alerts/engine';
import { parseAlertsYaml } from '../../agent/alerts/rules';
import { redactingLogger, Redactor } from '../../agent/alerts/secrets';
import type { AlertTransition, ChannelConfig } from '../../agent/alerts/types';
import { streamLogger } from '../../agent/log';
import { proc, rule, tick } from '../fixtures/alerts';
import { startHook, startSmtp, waitFor } from './alerts-helpers';

const FAST = { baseMs: 50, maxMs: 200, deadlineMs: 20_000, timeoutMs: 2000 };
const T0 = Date.now();

function logSink() {
  const lines: string[] = [];
  return { lines, log: streamLogger((l) => lines.push(l), 'debug') };
}

function newDelivery(
  channels: Record<string, ChannelConfig>,
  extra: Partial<ConstructorParameters<typeof Delivery>[0]> = {},
) {
  const records: DeliveryRecord[] = [];
  const sink = logSink();
  const delivery = new Delivery({
    channels,
    log: sink.log,
    retry: FAST,
    host: 'test-host',
    onRecord: (r) => records.push(r),
    ...extra,
  });
  delivery.start();
  return { delivery, records, lines: sink.lines };
}

/** A cpu rule firing on its first tick, as the engine would emit it. */
function fire(channels: string[], name = 'node-cpu'): AlertTransition[] {
  const engine = new AlertEngine([rule({ name, metric: 'cpu', channels })]);
  return engine.evaluate(tick(T0, [proc(4242, { name: 'node', cmdline: 'node server.js', cpu: 93.5 })]));
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

describe('alert delivery over real sockets', () => {
  test('the generic webhook body comes from the template', async () => {
    const hook = await startHook();
    cleanups.push(hook.close);
    const yaml = `channels:
  team-hook:
    type: webhook
    url: ${hook.url}/hook
    template: '{"text": "{{rule}}: {{process}} at {{value}}", "pid": {{pid}}, "severity": "{{severity}}", "status": "{{status}}"}'
`;
    const { config, problems } = parseAlertsYaml(yaml, 'alerts.yaml', { allowActions: true });
    assert.deepEqual(problems, []);
    const { delivery, records } = newDelivery(config.channels);
    delivery.enqueue(fire(['team-hook']));
    await delivery.idle();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]!.url, '/hook');
    assert.match(String(hook.received[0]!.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(hook.received[0]!.body), {
      text: 'node-cpu: node at 93.5',
      pid: 4242,
      severity: 'warning',
      status: 'firing',
    });
    assert.equal(records.length, 1);
    assert.equal(records[0]!.outcome, 'delivered');
    await delivery.stop();
  });

  test('a hook answering 500 for a while, then 200, gets the message exactly once', async () => {
    const hook = await startHook((_r, i) => ({ status: i < 3 ? 500 : 200 }));
    cleanups.push(hook.close);
    const { delivery, records } = newDelivery({ h: { type: 'webhook', url: hook.url } });
    delivery.enqueue(fire(['h']));
    await delivery.idle();
    assert.deepEqual(
      hook.received.map((r) => r.status),
      [500, 500, 500, 200],
    );
    assert.equal(
      new Set(hook.received.map((r) => r.headers['idempotency-key'])).size,
      1,
      'one idempotency id for every attempt',
    );
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['retry', 'retry', 'retry', 'delivered'],
    );
    // Backoff grows: the gaps between attempts are not all equal to the first.
    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i]!.at);
    assert.ok(
      gaps.every((g) => g >= 20),
      `gaps ${gaps}`,
    );
    await delivery.stop();
  });

  test('429 with Retry-After is honoured (seconds and HTTP date)', async () => {
    for (const retryAfter of ['1', () => new Date(Date.now() + 2000).toUTCString()]) {
      const hook = await startHook((_r, i) =>
        i === 0
          ? {
              status: 429,
              headers: { 'retry-after': typeof retryAfter === 'string' ? retryAfter : retryAfter() },
            }
          : { status: 204 },
      );
      cleanups.push(hook.close);
      const { delivery } = newDelivery({ h: { type: 'slack', url: hook.url } });
      delivery.enqueue(fire(['h']));
      await delivery.idle();
      assert.equal(hook.received.length, 2);
      const gap = hook.received[1]!.at - hook.received[0]!.at;
      // HTTP dates have whole seconds: the date form waits at least one second.
      assert.ok(gap >= 950, `waited only ${gap} ms (backoff alone would be ≤ 200 ms)`);
      await delivery.stop();
    }
  });

  test('400 is permanent: one attempt, recorded as failed', async () => {
    const hook = await startHook(() => ({ status: 400, body: 'bad payload' }));
    cleanups.push(hook.close);
    const { delivery, records, lines } = newDelivery({ h: { type: 'discord', url: hook.url } });
    delivery.enqueue(fire(['h']));
    await delivery.idle();
    assert.equal(hook.received.length, 1);
    assert.deepEqual(
      records.map((r) => [r.outcome, r.status]),
      [['failed', 400]],
    );
    assert.match(lines.join(''), /\(not retried\): HTTP 400: bad payload/);
    await delivery.stop();
  });

  test('network errors are retried until the deadline, then given up', async () => {
    const hook = await startHook();
    const deadUrl = hook.url;
    await hook.close();
    const { delivery, records } = newDelivery(
      { h: { type: 'webhook', url: deadUrl } },
      { retry: { ...FAST, deadlineMs: 600 } },
    );
    delivery.enqueue(fire(['h']));
    await delivery.idle();
    assert.ok(records.length >= 2);
    assert.equal(records.at(-1)!.outcome, 'failed');
    assert.match(records.at(-1)!.error!, /ECONNREFUSED/);
    await delivery.stop();
  });

  test('100 processes dying at once: one grouped notification per channel', async () => {
    const hook = await startHook();
    cleanups.push(hook.close);
    const channels: Record<string, ChannelConfig> = {
      generic: { type: 'webhook', url: `${hook.url}/generic` },
      ding: { type: 'dingtalk', url: `${hook.url}/ding?access_token=t0ken-123456`, secret: 'SECsecret' },
      fs: { type: 'feishu', url: `${hook.url}/feishu` },
    };
    const engine = new AlertEngine([
      rule({
        name: 'worker-died',
        metric: 'absent',
        groupBy: 'process',
        match: { name: '^worker$' },
        channels: ['generic', 'ding', 'fs'],
      }),
    ]);
    const workers = Array.from({ length: 100 }, (_, i) => proc(5000 + i, { name: 'worker' }));
    engine.evaluate(tick(T0, workers));
    const deaths = engine.evaluate(
      tick(
        T0 + 1000,
        [],
        {},
        workers.map(({ pid, startTime }) => ({ pid, startTime })),
      ),
    );
    assert.equal(deaths.length, 100);
    const { delivery } = newDelivery(channels);
    delivery.enqueue(deaths);
    await delivery.idle();
    assert.deepEqual(hook.received.map((r) => r.url.split('?')[0]).sort(), ['/ding', '/feishu', '/generic']);
    const generic = JSON.parse(hook.received.find((r) => r.url === '/generic')!.body);
    assert.equal(generic.alerts.length, 100);
    const ding = hook.received.find((r) => r.url.startsWith('/ding'))!;
    assert.match(JSON.parse(ding.body).markdown.text, /… and 80 more/);
    assert.match(ding.url, /timestamp=\d{13}&sign=/);
    await delivery.stop();
  });

  test('per-channel rate limit: over the limit waits, and the waiting messages merge into one', async () => {
    const hook = await startHook(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    cleanups.push(hook.close);
    const { delivery } = newDelivery({
      ding: { type: 'dingtalk', url: `${hook.url}/robot/send?access_token=x`, ratePerMinute: 2 },
    });
    delivery.enqueue(fire(['ding'], 'r1'));
    await waitFor(() => hook.received.length === 1, 'first message');
    delivery.enqueue(fire(['ding'], 'r2'));
    await waitFor(() => hook.received.length === 2, 'second message');
    delivery.enqueue(fire(['ding'], 'r3'));
    delivery.enqueue(fire(['ding'], 'r4'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(hook.received.length, 2, 'the third message waits for the minute to pass');
    assert.equal(delivery.pending().length, 2);
    const saved = delivery.state();
    await delivery.stop();
    // A new instance (say, after a restart) without the old send history sends both, merged into one.
    const second = newDelivery({
      ding: { type: 'dingtalk', url: `${hook.url}/robot/send?access_token=x`, ratePerMinute: 2 },
    });
    second.delivery.restore(saved);
    await second.delivery.idle();
    assert.equal(hook.received.length, 3);
    assert.match(JSON.parse(hook.received[2]!.body).markdown.text, /r3[\s\S]*r4/);
    await second.delivery.stop();
  });

  test('DingTalk answering 200 with errcode "send too fast" is retried', async () => {
    const hook = await startHook((_r, i) => ({
      status: 200,
      body: i === 0 ? '{"errcode":130101,"errmsg":"send too fast"}' : '{"errcode":0,"errmsg":"ok"}',
    }));
    cleanups.push(hook.close);
    const { delivery, records } = newDelivery({
      ding: { type: 'dingtalk', url: `${hook.url}/?access_token=x` },
    });
    delivery.enqueue(fire(['ding']));
    await delivery.idle();
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['retry', 'delivered'],
    );
    await delivery.stop();
  });

  test('email over a local SMTP server, with authentication', async () => {
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const yaml = `channels:
  mail:
    type: email
    smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false, user: alerts, password: smtp-CANARY-pass }
    from: alerts@example.com
    to: [ops@example.com, me@example.com]
`;
    const { config, problems } = parseAlertsYaml(yaml, 'alerts.yaml', { allowActions: true });
    assert.deepEqual(problems, []);
    const { delivery, records, lines } = newDelivery(config.channels);
    delivery.enqueue(fire(['mail']));
    await delivery.idle();
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['delivered'],
    );
    assert.equal(smtp.messages.length, 1);
    const [m] = smtp.messages;
    assert.equal(m!.from, 'alerts@example.com');
    assert.deepEqual(m!.to, ['ops@example.com', 'me@example.com']);
    assert.equal(m!.user, 'alerts');
    assert.match(m!.data, /Subject: \[FIRING\] node-cpu on test-host/);
    assert.match(
      m!.data.replace(/=\r\n/g, ''),
      /node-cpu: node \(pid 4242\) cpu 93\.5% > 80%/,
      'quoted-printable body, soft breaks removed',
    );
    assert.match(m!.data, /Message-ID:\s*<pt-/i);
    assert.doesNotMatch(lines.join(''), /CANARY/);
  });

  test('silenced and maintenance-suppressed alerts send nothing', async () => {
    const hook = await startHook();
    cleanups.push(hook.close);
    const engine = new AlertEngine(
      [
        rule({ name: 'silenced', metric: 'cpu', channels: ['h'] }),
        rule({ name: 'maint', metric: 'cpu', channels: ['h'] }),
      ],
      {
        silences: [{ rule: 'silenced', until: T0 + 3_600_000 }],
        maintenance: [{ name: 'always', from: '00:00', to: '24:00', rules: ['maint'] }],
      },
    );
    const out = engine.evaluate(tick(T0, [proc(1, { cpu: 99 })]));
    assert.deepEqual(
      out.map((t) => t.suppressed),
      ['silence', 'maintenance'],
    );
    const { delivery } = newDelivery({ h: { type: 'webhook', url: hook.url } });
    assert.deepEqual(delivery.enqueue(out), []);
    await delivery.idle();
    assert.equal(hook.received.length, 0);
    await delivery.stop();
  });

  test('a canary secret never appears in logs, delivery records or the persisted outbox', async () => {
    const canaryToken = 'CANARY-tok-9f8e7d6c5b4a';
    const hook = await startHook((_r, i) =>
      i === 0 ? { status: 503, body: `upstream said access_token=${canaryToken}` } : { status: 200 },
    );
    cleanups.push(hook.close);
    const channels: Record<string, ChannelConfig> = {
      ding: {
        type: 'dingtalk',
        url: `${hook.url}/robot/send?access_token=${canaryToken}`,
        secret: 'SEC-CANARY-signing',
      },
      dead: { type: 'webhook', url: `http://127.0.0.1:1/${canaryToken}` },
    };
    const redactor = Redactor.forChannels(channels);
    const sink = logSink();
    const saved: string[] = [];
    const records: DeliveryRecord[] = [];
    const delivery = new Delivery({
      channels,
      log: redactingLogger(sink.log, redactor),
      redactor,
      retry: { ...FAST, deadlineMs: 400 },
      persist: (s: DeliveryState) => saved.push(JSON.stringify(s)),
      onRecord: (r) => records.push(r),
    });
    delivery.start();
    delivery.enqueue(fire(['ding', 'dead']));
    await delivery.idle();
    assert.ok(
      hook.received.length === 2 && hook.received[1]!.url.includes(canaryToken),
      'the token is really used on the wire',
    );
    const everything = [sink.lines.join(''), JSON.stringify(records), saved.join('')].join('\n');
    assert.ok(sink.lines.length > 0 && records.length > 0 && saved.length > 0);
    assert.doesNotMatch(everything, /CANARY/);
    await delivery.stop();
  });
});
