// The panel's HTML, built by the extension host for its webview. Pure: the host passes the
// webview's cspSource, a fresh nonce and the webview URIs of dist/webview/main.{js,css}.
//
// `default-src 'none'` shuts everything not listed; scripts run only with the nonce (no inline
// handlers anywhere in the panel); styles come from the extension's own files.

export interface PanelHtmlOptions {
  /** `webview.cspSource` */
  cspSource: string;
  /** A fresh random nonce per page load (base64 or hex). */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/main.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/main.css)` as a string. */
  styleUri: string;
  /** Document title; the panel's own tab title is set by the host. */
  title?: string;
  /** VS Code's display language (`vscode.env.language`): the panel speaks it (webview/i18n.ts). */
  language?: string;
}

import { langOf, localeOf } from '../shared/i18n/catalogue';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** For double-quoted attribute values and text (single quotes may stay: the CSP is full of them). */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, (character) => HTML_ESCAPES[character]!);
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml({
  cspSource,
  nonce,
  scriptUri,
  styleUri,
  title = 'Process history',
  language = 'en',
}: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
    throw new Error('panelHtml: the nonce must be at least 16 random base64 or hex characters');
  }
  const csp = escapeAttribute(panelCsp(cspSource, nonce));
  return `<!DOCTYPE html>
<html lang="${localeOf(langOf(language))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}" nonce="${nonce}">
<title>${escapeAttribute(title)}</title>
</head>
<body>
<script src="${escapeAttribute(scriptUri)}" nonce="${nonce}"></script>
</body>
</html>
`;
}
