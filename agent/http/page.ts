// The page the browser loads: the webview bundle (dist/webview/main.{js,css}) after its browser
// host adapter (browser.{js,css}), under the webview's own CSP with 'self' for the webview's
// resource origin, plus `connect-src 'self'` (the adapter's API calls) and nothing else.
import { localeOf, type Lang } from '../../shared/i18n/catalogue';
import { panelMessages } from '../../shared/i18n/panel';
import { panelCsp } from '../../webview/html';

export function browserCsp(nonce: string): string {
  return [
    panelCsp("'self'", nonce),
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `nonce` is base64 (no quotes or angle brackets), so it goes into attributes as it is. */
export function browserPage(nonce: string, lang: Lang): string {
  return `<!DOCTYPE html>
<html lang="${localeOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${panelMessages(lang)('pageTitle')}</title>
<link rel="stylesheet" nonce="${nonce}" href="/assets/browser.css">
<link rel="stylesheet" nonce="${nonce}" href="/assets/main.css">
<script nonce="${nonce}" defer src="/assets/browser.js"></script>
<script nonce="${nonce}" defer src="/assets/main.js"></script>
</head>
<body class="browser-host"></body>
</html>
`;
}
