// Each provider's payload against its documented shape (see the comments in each notifier for the
// source). Signatures are checked against values computed independently with Python's hmac.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as dingtalk from '../../../../agent/alerts/notifiers/dingtalk';
import * as discord from '../../../../agent/alerts/notifiers/discord';
import * as email from '../../../../agent/alerts/notifiers/email';
import * as feishu from '../../../../agent/alerts/notifiers/feishu';
import { parseRetryAfter } from '../../../../agent/alerts/notifiers/http';
import * as slack from '../../../../agent/alerts/notifiers/slack';
import * as telegram from '../../../../agent/alerts/notifiers/telegram';
import { alertMessage } from '../../../../agent/alerts/notifiers/text';
import * as webhook from '../../../../agent/alerts/notifiers/webhook';
import * as wecom from '../../../../agent/alerts/notifiers/wecom';
import { sampleTransition } from '../../../../agent/alerts/runtime';
import type { AlertTransition } from '../../../../agent/alerts/types';
import { rule } from '../../../fixtures/alerts';

const ctx = { now: 1_700_000_000_000, host: 'web-1' };

function alert(fields: Partial<AlertTransition> = {}): AlertTransition {
  return { ...webhook.SAMPLE_ALERT, ts: ctx.now, firedAt: ctx.now - 300_000, channels: ['x'], ...fields };
}

describe('notifier payloads', () => {
  test('generic webhook: template values are JSON-escaped, so a hostile name stays a string', () => {
    const evil = alert({
      process: { pid: 66, startTime: 0, name: 'x", "admin": true, "y": "\n', cmdline: '' },
    });
    const body = webhook.renderTemplate(
      '{"text": "{{rule}}: {{process}} ({{pid}}) at {{value}} > {{threshold}} [{{severity}}/{{status}}] {{time}}", "n": {{count}}}',
      [evil],
      'web-1',
    );
    const parsed = JSON.parse(body);
    assert.deepEqual(Object.keys(parsed), ['text', 'n']);
    assert.equal(
      parsed.text,
      `sample-rule: x", "admin": true, "y": "\n (66) at 93.5 > 80 [info/firing] ${new Date(ctx.now).toISOString()}`,
    );
    assert.equal(parsed.n, 1);
    assert.equal(
      webhook.renderTemplate('{"a": {{alerts}}}', [alert(), alert({ kind: 'resolved' })]).length > 0,
      true,
    );
    assert.equal(
      JSON.parse(webhook.renderTemplate('{"a": {{alerts}}}', [alert(), alert({ kind: 'resolved' })])).a[1]
        .status,
      'resolved',
    );
  });

  test('generic webhook without template: a versioned body with every alert', () => {
    const req = webhook.format(
      { type: 'webhook', url: 'http://h/x', headers: { authorization: 'Bearer t' } },
      [alert()],
      ctx,
    );
    const body = JSON.parse(req.body);
    assert.equal(req.headers.authorization, 'Bearer t');
    assert.equal(body.version, 1);
    assert.equal(body.status, 'firing');
    assert.equal(body.host, 'web-1');
    assert.equal(body.alerts[0].process.pid, 4242);
    assert.equal(body.alerts[0].message, 'sample-rule: node (pid 4242) cpu 93.5% > 80%');
  });

  test('in Chinese (the rule file or the agent says zh-cn): every provider speaks it; codes stay', () => {
    const zh = { ...ctx, lang: 'zh-cn' as const };
    const two = [alert(), alert({ kind: 'resolved', value: 12 })];
    const mail = email.format(
      { type: 'email', smtp: { host: 'h', port: 25, secure: false }, from: 'a@b', to: ['c@d'] },
      two,
      zh,
      'id-1',
    );
    assert.equal(mail.subject, 'web-1 上的 Process Tracker：1 个告警，1 个已恢复');
    assert.match(mail.text, /^\[告警\] sample-rule：node（pid 4242） 的 CPU 使用率 93\.5% > 80% — 信息$/m);
    assert.match(
      mail.text,
      /^\[已恢复\] sample-rule：node（pid 4242） 的 CPU 使用率 已回到 12% — 信息（自 .* 起，持续 5m）$/m,
    );
    assert.match(mail.text, /^由 web-1 上的 Process Tracker 于 .* 发送。$/m);
    const hook = JSON.parse(webhook.format({ type: 'webhook', url: 'http://h/x' }, two, zh).body);
    assert.equal(hook.status, 'firing');
    assert.deepEqual(
      hook.alerts.map((a: { status: string }) => a.status),
      ['firing', 'resolved'],
    );
    assert.match(hook.alerts[0].message, /CPU 使用率 93\.5% > 80%$/);
    for (const [name, format] of [
      [
        'dingtalk',
        () =>
          dingtalk.format(
            { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x' },
            two,
            zh,
          ).body,
      ],
      [
        'wecom',
        () =>
          wecom.format(
            { type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' },
            two,
            zh,
          ).body,
      ],
      [
        'feishu',
        () =>
          feishu.format({ type: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' }, two, zh)
            .body,
      ],
    ] as const)
      assert.match(format(), /1 个告警，1 个已恢复/, name);
  });

  test('slack: text fallback plus header and mrkdwn section blocks, with &<> escaped', () => {
    const req = slack.format(
      { type: 'slack', url: 'https://hooks.slack.com/services/T/B/x' },
      [alert({ subject: '<b>', process: { pid: 1, startTime: 0, name: '<script>&', cmdline: '' } })],
      ctx,
    );
    const body = JSON.parse(req.body);
    assert.equal(typeof body.text, 'string');
    assert.equal(body.blocks[0].type, 'header');
    assert.equal(body.blocks[0].text.type, 'plain_text');
    assert.ok(body.blocks[0].text.text.length <= 150);
    assert.equal(body.blocks[1].type, 'section');
    assert.equal(body.blocks[1].text.type, 'mrkdwn');
    assert.match(body.blocks[1].text.text, /&lt;script&gt;&amp;/);
    assert.doesNotMatch(body.blocks[1].text.text, /<script>/);
  });

  test('discord: content ≤ 2000, one embed ≤ 4096, no mentions parsed', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      alert({ key: `k${i}`, process: { pid: i, startTime: 0, name: '@everyone'.repeat(5), cmdline: '' } }),
    );
    const body = JSON.parse(
      discord.format({ type: 'discord', url: 'https://discord.com/api/webhooks/1/t' }, many, ctx).body,
    );
    assert.ok(body.content.length <= 2000);
    assert.equal(body.embeds.length, 1);
    assert.ok(body.embeds[0].description.length <= 4096);
    assert.ok(body.embeds[0].title.length <= 256);
    assert.equal(typeof body.embeds[0].color, 'number');
    assert.deepEqual(body.allowed_mentions, { parse: [] });
  });

  test('dingtalk: markdown msgtype, signed with timestamp (ms) and HmacSHA256 of "ts\\nsecret"', () => {
    assert.equal(
      encodeURIComponent(dingtalk.sign('SECtest', 1_700_000_000_000)),
      'aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D',
    );
    const req = dingtalk.format(
      { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: 'SECtest' },
      [alert()],
      ctx,
    );
    const url = new URL(req.url);
    assert.equal(url.searchParams.get('access_token'), 'abc');
    assert.equal(url.searchParams.get('timestamp'), '1700000000000');
    assert.equal(url.searchParams.get('sign'), dingtalk.sign('SECtest', 1_700_000_000_000));
    const body = JSON.parse(req.body);
    assert.equal(body.msgtype, 'markdown');
    assert.equal(typeof body.markdown.title, 'string');
    assert.match(body.markdown.text, /sample-rule/);
    assert.deepEqual(dingtalk.check({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }), { ok: true });
    assert.deepEqual(dingtalk.check({ status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' }), {
      ok: false,
      retry: true,
      error: 'errcode 130101: send too fast',
    });
    assert.equal(
      dingtalk.check({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' })!.ok,
      false,
    );
  });

  test('wecom: markdown content within 4096 bytes; errcode answers', () => {
    const many = Array.from({ length: 500 }, (_, i) => alert({ key: `k${i}`, rule: '告警规则' }));
    const body = JSON.parse(
      wecom.format(
        { type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
        many,
        ctx,
      ).body,
    );
    assert.equal(body.msgtype, 'markdown');
    assert.ok(Buffer.byteLength(body.markdown.content) <= 4096);
    assert.deepEqual(wecom.check({ status: 200, body: '{"errcode":45009,"errmsg":"freq"}' }), {
      ok: false,
      retry: true,
      error: 'errcode 45009: freq',
    });
  });

  test('feishu: text msg_type; timestamp in seconds and sign = HmacSHA256(key "ts\\nsecret", empty)', () => {
    assert.equal(feishu.sign('SECtest', 1_700_000_000), 'G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=');
    const body = JSON.parse(
      feishu.format(
        { type: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: 'SECtest' },
        [alert()],
        ctx,
      ).body,
    );
    assert.deepEqual(Object.keys(body).sort(), ['content', 'msg_type', 'sign', 'timestamp']);
    assert.equal(body.msg_type, 'text');
    assert.equal(typeof body.content.text, 'string');
    assert.equal(body.timestamp, '1700000000');
    assert.equal(body.sign, 'G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=');
    const unsigned = JSON.parse(feishu.format({ type: 'feishu', url: 'https://x/y' }, [alert()], ctx).body);
    assert.equal(unsigned.sign, undefined);
    assert.deepEqual(feishu.check({ status: 200, body: '{"code":0,"msg":"success"}' }), { ok: true });
    assert.equal(feishu.check({ status: 200, body: '{"code":19021,"msg":"sign match fail"}' })!.ok, false);
  });

  test('telegram: POST bot<token>/sendMessage with chat_id and 1–4096 characters of text', () => {
    const many = Array.from({ length: 500 }, (_, i) => alert({ key: `k${i}` }));
    const req = telegram.format(
      { type: 'telegram', token: '123:ABC', chatId: '-100', apiUrl: 'https://api.telegram.org' },
      many,
      ctx,
    );
    assert.equal(req.url, 'https://api.telegram.org/bot123:ABC/sendMessage');
    const body = JSON.parse(req.body);
    assert.equal(body.chat_id, '-100');
    assert.ok(body.text.length >= 1 && body.text.length <= 4096);
    assert.equal(body.parse_mode, undefined);
    assert.deepEqual(telegram.check({ status: 200, body: '{"ok":false,"description":"chat not found"}' }), {
      ok: false,
      retry: false,
      error: 'chat not found',
    });
  });

  test('email: subject, text and a Message-ID from the idempotency id', () => {
    const m = email.format(
      { type: 'email', smtp: { host: 'h', port: 25, secure: false }, from: 'a@b.c', to: ['d@e.f'] },
      [alert()],
      ctx,
      'pt-1:x',
    );
    assert.equal(m.messageId, '<pt-1-x@process-tracker>');
    assert.match(m.subject, /sample-rule on web-1/);
    assert.match(m.text, /\[FIRING\] sample-rule: node \(pid 4242\) cpu 93\.5% > 80%/);
  });

  test('messages read well for each kind', () => {
    assert.equal(
      alertMessage(alert({ kind: 'resolved', value: 12 })),
      'sample-rule: node (pid 4242) cpu back to 12%',
    );
    assert.equal(
      alertMessage(alert({ metric: 'absent', process: undefined, subject: 'nginx' })),
      'sample-rule: nginx is not running',
    );
  });

  test('a value next to the threshold is shown precisely enough to read on its side of it', () => {
    const at = (kind: AlertTransition['kind'], value: number) =>
      alertMessage(alert({ kind, value, threshold: 50 }));
    assert.equal(at('resolved', 49.99), 'sample-rule: node (pid 4242) cpu back to 49.99%');
    assert.equal(at('firing', 50.04), 'sample-rule: node (pid 4242) cpu 50.04% > 50%');
    assert.equal(at('resolved', 49.99999999), 'sample-rule: node (pid 4242) cpu back to 49.99999999%');
    assert.equal(
      at('resolved', 12.34),
      'sample-rule: node (pid 4242) cpu back to 12.3%',
      'far off: as before',
    );
    assert.equal(
      alertMessage(alert({ kind: 'resolved', value: 149.6, threshold: 150, unit: 'MiB', metric: 'memory' })),
      'sample-rule: node (pid 4242) memory back to 149.6 MiB',
    );
  });

  test('the test notification’s sample value crosses the threshold', () => {
    for (const [operator, expected] of [
      ['>', 'cpu 55% > 50%'],
      ['>=', 'cpu 55% >= 50%'],
      ['<', 'cpu 45% < 50%'],
      ['<=', 'cpu 45% <= 50%'],
    ] as const) {
      const sample = sampleTransition(rule({ name: 'r', metric: 'cpu', threshold: 50, operator }), ctx.now);
      assert.equal(alertMessage(sample), `r: test notification ${expected}`);
    }
  });

  test('Retry-After: seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter(new Date(ctx.now + 5000).toUTCString(), ctx.now), 5000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
  });
});
