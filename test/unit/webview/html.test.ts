import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { panelHtml } from '../../../webview/html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'N0nceN0nceN0nceN0nce1234',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
};

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('panelHtml', () => {
  test("speaks VS Code's display language: <html lang> from vscode.env.language", () => {
    assert.match(panelHtml(options), /<html lang="en">/);
    assert.match(panelHtml({ ...options, language: 'zh-cn' }), /<html lang="zh-CN">/);
    assert.match(panelHtml({ ...options, language: 'zh-tw' }), /<html lang="zh-CN">/);
    assert.match(panelHtml({ ...options, language: 'de' }), /<html lang="en">/);
  });

  test('sets the nonce CSP with nothing allowed by default', () => {
    const html = panelHtml(options);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src 'none'; img-src ${options.cspSource} data:; style-src ${options.cspSource} 'nonce-${options.nonce}'; ` +
        `script-src 'nonce-${options.nonce}'; font-src ${options.cspSource}`,
    );
  });

  test('loads exactly one script, by URI with the nonce, and no inline code or handlers', () => {
    const html = panelHtml(options);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![0], new RegExp(literal(`src="${options.scriptUri}" nonce="${options.nonce}"`)));
    assert.equal(scripts[0]![1], '', 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /<style/);
    assert.match(html, new RegExp(literal(`<link rel="stylesheet" href="${options.styleUri}"`)));
  });

  test('escapes attribute values and refuses a weak nonce', () => {
    const html = panelHtml({ ...options, scriptUri: 'x" onload="alert(1)' });
    assert.doesNotMatch(html, /" onload="/);
    assert.throws(() => panelHtml({ ...options, nonce: 'short' }), /nonce/);
    assert.throws(() => panelHtml({ ...options, nonce: "abc'; script-src *; x-abcdefgh" }), /nonce/);
  });
});
