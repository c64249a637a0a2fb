import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor, redactingLogger, secretsOf } from '../../../../agent/alerts/secrets';
import { streamLogger } from '../../../../agent/log';

describe('secret redaction', () => {
  test('URLs, their tokens, signing secrets, bot tokens and SMTP passwords are redacted in every form', () => {
    const redactor = Redactor.forChannels({
      a: {
        type: 'dingtalk',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=CANARYtoken123',
        secret: 'SECcanary+/=42',
      },
      b: { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/CANARYslackPath1234' },
      c: { type: 'telegram', token: '123456:CANARY-bot', chatId: '1', apiUrl: 'https://api.telegram.org' },
      d: {
        type: 'email',
        smtp: { host: 'h', port: 25, secure: false, user: 'u', password: 'CANARYpass' },
        from: 'a@b.c',
        to: ['d@e.f'],
      },
      e: {
        type: 'webhook',
        url: 'https://x.example/hook',
        headers: { Authorization: 'Bearer CANARYbearer' },
      },
    });
    const text = [
      'POST https://oapi.dingtalk.com/robot/send?access_token=CANARYtoken123 failed',
      'token=CANARYtoken123',
      `sign with ${encodeURIComponent('SECcanary+/=42')}`,
      'path /services/T000/B000/CANARYslackPath1234',
      'https://api.telegram.org/bot123456:CANARY-bot/sendMessage',
      'auth CANARYpass',
      'Bearer CANARYbearer',
    ].join('\n');
    const out = redactor.redact(text);
    assert.doesNotMatch(out, /CANARY/);
    assert.match(out, /\[redacted\]/);
    assert.equal(redactor.redact('ordinary words stay'), 'ordinary words stay');
  });

  test('short values are not treated as secrets (they would redact ordinary text)', () => {
    assert.equal(new Redactor(['ab']).redact('ab cd'), 'ab cd');
    assert.deepEqual(
      secretsOf({ type: 'wecom', url: 'https://q/send?key=KEY123456' }).includes('KEY123456'),
      true,
    );
  });

  test('a redacting logger never writes the canary', () => {
    const lines: string[] = [];
    const log = redactingLogger(
      streamLogger((l) => lines.push(l), 'debug'),
      new Redactor(['CANARY-secret-1']),
    );
    log.error('delivery to https://h/CANARY-secret-1 failed');
    log.debug('CANARY-secret-1');
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => !l.includes('CANARY-secret-1')));
  });
});
