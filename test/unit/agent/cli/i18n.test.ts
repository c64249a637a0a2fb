// The CLI's language from the locale, and `status` in Chinese. Every catalogue's two languages are
// checked by test/unit/shared/i18n.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliLang } from '../../../../agent/cli/i18n';
import { statusText } from '../../../../agent/cli/format';
import type { AgentStatus } from '../../../../shared/protocol';

test('the language comes from LC_ALL, then LC_MESSAGES, then LANG', () => {
  assert.equal(cliLang({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LANG: 'zh_TW.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(cliLang({}), 'en');
  assert.equal(cliLang({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(cliLang({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'zh-cn');
});

test('LANGUAGE comes first, as in gettext, unless the locale is C', () => {
  assert.equal(cliLang({ LANGUAGE: 'zh_CN:en', LANG: 'en_US.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LANGUAGE: 'en:zh_CN', LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(cliLang({ LANGUAGE: 'zh_CN', LANG: 'C.UTF-8' }), 'en');
  assert.equal(cliLang({ LANGUAGE: 'zh_CN' }), 'en');
});

test('status in Chinese names the same figures', () => {
  const status: AgentStatus = {
    pid: 42,
    version: '0.1.0',
    protocolVersion: 9,
    startedAt: 0,
    uptimeMs: 3_600_000,
    socketPath: '/run/s.sock',
    dataDir: '/data',
    intervalMs: 2000,
    clients: 1,
    processCount: 300,
    lastSampleTs: null,
    sampling: null,
    store: null,
    lastError: null,
    http: { url: 'http://127.0.0.1:8765/', tokenFile: '/data/http-token' },
  };
  const zh = statusText(status, 'zh-cn');
  assert.match(zh, /^代理 42，版本 0\.1\.0（协议 9）$/m);
  assert.match(zh, /历史面板 http:\/\/127\.0\.0\.1:8765\/（令牌在 \/data\/http-token）/);
  assert.match(zh, /存储：未打开/);
  assert.match(statusText(status), /^agent 42, version 0\.1\.0 \(protocol 9\)$/m);
});
