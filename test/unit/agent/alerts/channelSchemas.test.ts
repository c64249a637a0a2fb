// Each notifier owns its channel's config schema beside its sender; the rules reader takes them
// from one registry (notifiers/index.ts), so a new channel is one module plus one registry line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNEL_SCHEMAS, CHANNEL_TYPES } from '../../../../agent/alerts/notifiers';
import { parseAlertsYaml } from '../../../../agent/alerts/rules';

const opts = { allowActions: true, now: 0 };

test('the registry holds each notifier module’s own schema', async () => {
  assert.deepEqual(CHANNEL_TYPES, [
    'webhook',
    'slack',
    'discord',
    'dingtalk',
    'wecom',
    'feishu',
    'telegram',
    'email',
    'pagerduty',
  ]);
  for (const type of CHANNEL_TYPES) {
    const module = (await import(`../../../../agent/alerts/notifiers/${type}`)) as { schema: unknown };
    assert.equal(CHANNEL_SCHEMAS[type], module.schema, type);
  }
});

test('a channel is read by its schema: own fields, rate_per_minute for all, unknown fields named', () => {
  const { config, problems } = parseAlertsYaml(
    [
      'channels:',
      '  bot:',
      '    type: dingtalk',
      '    url: https://oapi.dingtalk.com/robot/send?access_token=abc',
      '    secret: SECabc',
      '    rate_per_minute: 5',
      '    chat_id: 1',
      '  nope:',
      '    type: pager',
    ].join('\n'),
    'alerts.yaml',
    opts,
  );
  assert.deepEqual(config.channels.bot, {
    type: 'dingtalk',
    url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
    secret: 'SECabc',
    ratePerMinute: 5,
  });
  assert.deepEqual(
    problems.map((p) => `${p.line} ${p.field} ${p.level}`),
    ['7 channels.bot.chat_id warning', '9 channels.nope.type error'],
  );
  assert.match(
    problems[1]!.message,
    /is not one of webhook, slack, discord, dingtalk, wecom, feishu, telegram, email, pagerduty/,
  );
});
