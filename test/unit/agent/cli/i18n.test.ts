// Every catalogue of the CLI's words (agent/cli/i18n/*.ts, and `live`'s agent/cli/tui/strings.ts)
// has each entry in English and Chinese: the same keys, no empty text, functions that answer text
// for sample arguments, and Chinese that is not the English left in place. The catalogue folder
// is read from disk, so a command's new file is checked without being listed here.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogues, cliLang } from '../../../../agent/cli/i18n';
import { statusText } from '../../../../agent/cli/format';
// `live`'s catalogue registers itself when loaded.
import '../../../../agent/cli/tui/strings';
import type { AgentStatus } from '../../../../shared/protocol';

const FOLDER = path.resolve(__dirname, '..', '..', '..', '..', 'agent', 'cli', 'i18n');

/** Every leaf as [path, text]: functions called with sample arguments of each kind. */
function leaves(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (typeof value === 'function') {
    const args = Array.from({ length: (value as (...a: unknown[]) => unknown).length }, (_, i) =>
      i % 2 ? 7 : 'x',
    );
    const text = (value as (...a: unknown[]) => unknown)(...args);
    assert.equal(typeof text, 'string', `${at}(…) answers text`);
    return [[`${at}()`, text as string]];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${at}[${i}]`));
  assert.ok(value && typeof value === 'object', `${at} is text, a function, a list or a group`);
  return Object.entries(value).flatMap(([key, item]) => leaves(item, at ? `${at}.${key}` : key));
}

/** Text that may read the same in both: units, acronyms, key names, punctuation, blank lines. */
const sameInBoth = (text: string) => !/[a-z]{3,}/.test(text.replace(/\b(pid|ms|x)\b/g, ''));

test('every catalogue entry exists in English and Chinese, Chinese where English has words', async () => {
  for (const file of readdirSync(FOLDER).filter((name) => name.endsWith('.ts')))
    await import(path.join(FOLDER, file));
  const names = catalogues().map((c) => c.name);
  assert.ok(names.includes('status') && names.includes('live'), names.join(', '));
  for (const catalogue of catalogues()) {
    const en = new Map(leaves(catalogue.en, ''));
    const zh = new Map(leaves(catalogue['zh-cn'], ''));
    assert.deepEqual([...zh.keys()], [...en.keys()], `${catalogue.name}: the same entries in both`);
    for (const [key, text] of en) {
      const chinese = zh.get(key)!;
      if (text.trim() === '') {
        assert.equal(chinese.trim(), '', `${catalogue.name}.${key}: a blank line in both`);
        continue;
      }
      assert.notEqual(chinese.trim(), '', `${catalogue.name}.${key} is empty in Chinese`);
      if (!sameInBoth(text))
        assert.match(chinese, /[\u4e00-\u9fff]/, `${catalogue.name}.${key} is not Chinese: "${chinese}"`);
    }
  }
});

test('the language comes from LC_ALL, then LC_MESSAGES, then LANG', () => {
  assert.equal(cliLang({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LANG: 'zh_TW.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(cliLang({}), 'en');
  assert.equal(cliLang({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(cliLang({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
  assert.equal(cliLang({ LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'zh-cn');
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
