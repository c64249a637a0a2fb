// The history panel's HTTP(S) server: GET only; every path needs the token (a cookie set from
// `/?token=…`, or `Authorization: Bearer …`); the page, four fixed bundle files and the API.
// Every answer carries nosniff, no-referrer and no-store; the page its strict CSP.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { langOf, type Lang } from '../../shared/i18n/catalogue';
import type { HttpSettings } from '../../shared/settings';
import { listenHttp, sameSecret, type Listening } from './listen';
import { browserCsp, browserPage } from './page';

export interface PanelServerOptions {
  settings: HttpSettings;
  token: string;
  /** dist/webview: main.{js,css} and browser.{js,css}. */
  assetsDir: string;
  api(method: string, paramsText: string | null): Promise<{ status: number; body: unknown }>;
  onError(message: string): void;
}

const ASSETS: Record<string, string> = {
  'main.js': 'text/javascript; charset=utf-8',
  'main.css': 'text/css; charset=utf-8',
  'browser.js': 'text/javascript; charset=utf-8',
  'browser.css': 'text/css; charset=utf-8',
};

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Cookies are not per port: the port in the name keeps two agents' tokens apart on one host. */
export function cookieName(port: number): string {
  return `pt-token-${port}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The language of the page: `?lang=`, else the browser's most preferred of the two it speaks
 * (Accept-Language's q-values: "fr;q=1, zh-CN;q=0.8, en;q=0.5" is Chinese); else English.
 */
export function pageLang(query: URLSearchParams, acceptLanguage: string | undefined): Lang {
  const asked = query.get('lang');
  if (asked !== null) return langOf(asked);
  const choices = (acceptLanguage ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...options] = entry.trim().split(';');
      const q = options.map((option) => /^\s*q=([\d.]+)\s*$/.exec(option)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ tag, q }) => q > 0 && /^(?:zh|en)(?:-|$)/i.test(tag))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return langOf(choices[0]?.tag);
}

export function startPanelServer(options: PanelServerOptions): Promise<Listening> {
  const { token, settings } = options;
  const assets = new Map<string, Buffer>();
  let cookie = '';

  const send = (
    response: http.ServerResponse,
    status: number,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, {
      ...COMMON_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      ...headers,
    });
    response.end(body);
  };

  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET') {
      send(response, 405, 'only GET\n', { allow: 'GET' });
      return;
    }
    const given = url.searchParams.get('token');
    if (url.pathname === '/' && given !== null) {
      if (!sameSecret(given, token)) {
        send(response, 401, 'unauthorized: the token is not this agent\'s (see "process-tracker status")\n');
        return;
      }
      // The token moves into a cookie and out of the address bar (and the browser's history).
      url.searchParams.delete('token');
      send(response, 303, '', { location: `/${url.search}`, 'set-cookie': cookie });
      return;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const presented = bearer ?? cookieValue(request.headers.cookie, cookieName(listening.port));
    if (presented === undefined || !sameSecret(presented, token)) {
      send(
        response,
        401,
        'unauthorized: open the URL with the token that "process-tracker run --http" printed (its file: "process-tracker status --json")\n',
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    if (url.pathname === '/') {
      const nonce = randomBytes(18).toString('base64');
      send(
        response,
        200,
        browserPage(nonce, pageLang(url.searchParams, request.headers['accept-language'])),
        {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': browserCsp(nonce),
          'x-frame-options': 'DENY',
        },
      );
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      options.api(method, url.searchParams.get('params')).then(
        ({ status, body }) =>
          send(response, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' }),
        (error: Error) => {
          options.onError(`http: ${method}: ${error.message}`);
          send(response, 500, 'internal error\n');
        },
      );
      return;
    }
    const asset = url.pathname.startsWith('/assets/') ? url.pathname.slice('/assets/'.length) : '';
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (!type) {
      send(response, 404, 'not found\n');
      return;
    }
    const cached = assets.get(asset);
    const read = cached ? Promise.resolve(cached) : readFile(path.join(options.assetsDir, asset));
    read.then(
      (body) => {
        assets.set(asset, body);
        send(response, 200, body, { 'content-type': type });
      },
      (error: NodeJS.ErrnoException) => {
        options.onError(`http: ${asset} cannot be read (${error.code}): rebuild with "npm run build"`);
        send(response, 500, `${asset} is missing from this install\n`);
      },
    );
  };

  let listening!: Listening;
  return listenHttp(settings, handler, (message) => options.onError(`http: ${message}`)).then((result) => {
    listening = result;
    const secure = settings.tls ? '; Secure' : '';
    cookie = `${cookieName(result.port)}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`;
    return result;
  });
}
