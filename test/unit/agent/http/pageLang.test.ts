// The browser page's language: ?lang= first, else Accept-Language by preference (q-values).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageLang } from '../../../../agent/http/server';

const ask = (query: string, header?: string) => pageLang(new URLSearchParams(query), header);

test('?lang= decides, whatever the browser asks', () => {
  assert.equal(ask('lang=zh-cn', 'en-US'), 'zh-cn');
  assert.equal(ask('lang=en', 'zh-CN'), 'en');
});

test('Accept-Language: the most preferred language the panel speaks', () => {
  assert.equal(ask('', 'zh-CN,zh;q=0.9,en;q=0.8'), 'zh-cn');
  assert.equal(ask('', 'fr-FR, zh-CN;q=0.8, en;q=0.5'), 'zh-cn');
  assert.equal(ask('', 'en;q=0.5, zh-TW;q=0.9'), 'zh-cn');
  assert.equal(ask('', 'en-US,en;q=0.9,zh-CN;q=0.8'), 'en');
  assert.equal(ask('', 'zh;q=0, en'), 'en');
  assert.equal(ask('', 'de'), 'en');
  assert.equal(ask(''), 'en');
});
