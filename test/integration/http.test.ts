// `run --http`: the real agent (dist/agent.js) serving the history panel on a free loopback port,
// asked with Node's own fetch and https: the token (printed once, a 0600 file, never logged or on a
// command line), 401 without it, the cookie's attributes, GET only, the page's CSP, the API's
// answers and errors (the socket's own), TLS with a certificate made here by openssl, and the
// refusals that exit 2 before anything starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { connectToAgent } from '../../client/connection';
import { TopRequest } from '../../shared/protocol';
import {
  cli,
  requireBuild,
  serveHttp as serve,
  tempDir,
  waitFor,
  type HttpAgent as Served,
} from './agentHarness';

requireBuild();

const work = tempDir('pt-http-');
const env = { XDG_RUNTIME_DIR: path.join(work.dir, 'run') };
const dataDir = path.join(work.dir, 'data');
let served: Served;

before(async () => {
  spawnSync('mkdir', ['-p', '-m', '700', env.XDG_RUNTIME_DIR]);
  served = await serve(dataDir, env, ['--http', '127.0.0.1:0']);
});

after(async () => {
  await served?.stop();
  work.remove();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, redirect: 'manual' });

describe('run --http: the token', () => {
  test('printed once on stdout; a 0600 file that status --json names; never in the log or a command line', async () => {
    assert.equal(served.stdout().match(/history panel:/g)?.length, 1);
    assert.match(served.token, /^[A-Za-z0-9_-]{43}$/);
    const status = await cli(['status', '--json', '--data-dir', dataDir], env);
    assert.equal(status.status, 0, status.stderr);
    const http = (JSON.parse(status.stdout) as { http: { url: string; tokenFile: string } }).http;
    assert.equal(http.url, `${served.base}/`);
    assert.equal(http.tokenFile, path.join(dataDir, 'http-token'));
    assert.equal(readFileSync(http.tokenFile, 'utf8').trim(), served.token);
    assert.equal(statSync(http.tokenFile).mode & 0o777, 0o600);
    assert.ok(!status.stdout.includes(served.token), 'status names the file, not the token');
    const human = await cli(['status', '--data-dir', dataDir], env);
    assert.match(human.stdout, /history panel http:\/\/127\.0\.0\.1:\d+\/ \(token in .*http-token\)/);
    assert.ok(!human.stdout.includes(served.token));
    // Some requests first, so anything that would log them has had its chance.
    await get(`${served.base}/`);
    await get(`${served.base}/?token=wrong`);
    await get(`${served.base}/api/processTracker/top`, { authorization: `Bearer ${served.token}` });
    assert.ok(!served.stderr().includes(served.token), 'not on stderr');
    assert.ok(
      !readFileSync(path.join(dataDir, 'agent.log'), 'utf8').includes(served.token),
      'not in agent.log',
    );
    const cmdline = readFileSync(`/proc/${served.child.pid}/cmdline`, 'utf8');
    assert.ok(!cmdline.includes(served.token), 'not on the command line');
  });

  test('every path answers 401 without the token or with a wrong one', async () => {
    for (const url of ['/', '/assets/main.js', '/api/processTracker/top', '/nothing']) {
      const response = await get(`${served.base}${url}`);
      assert.equal(response.status, 401, url);
      assert.ok(!(await response.text()).includes(served.token));
    }
    assert.equal((await get(`${served.base}/?token=${served.token}x`)).status, 401);
    assert.equal((await get(`${served.base}/`, { authorization: 'Bearer nope' })).status, 401);
    assert.equal((await get(`${served.base}/`, { cookie: `pt-token-1=${served.token}` })).status, 401);
  });

  test('the URL with the token sets an HttpOnly SameSite=Strict cookie and takes the token out of the address', async () => {
    const response = await get(`${served.base}/?token=${served.token}&lang=zh-cn`);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/?lang=zh-cn');
    const cookie = response.headers.get('set-cookie')!;
    const port = new URL(served.base).port;
    assert.match(cookie, new RegExp(`^pt-token-${port}=${served.token}; `));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP on loopback');
    const page = await get(`${served.base}/?lang=zh-cn`, { cookie: cookie.split(';')[0]! });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="zh-CN">/);
  });
});

describe('run --http: what it serves', () => {
  const auth = () => ({ authorization: `Bearer ${served.token}` });

  test('the page: the webview CSP with connect-src self, nonce on every script and style', async () => {
    const response = await get(`${served.base}/`, auth());
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'(;|$)`));
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const html = await response.text();
    // Scripts and stylesheets (the icon is an empty data: URL, which img-src allows).
    const tags = html.match(/<(script\b|link rel="stylesheet")[^>]*>/g)!;
    assert.equal(tags.length, 4);
    for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
    // A fresh nonce on each load.
    const again = (await get(`${served.base}/`, auth())).headers.get('content-security-policy')!;
    assert.notEqual(again, csp);
  });

  test('the four bundle files, nothing else from disk', async () => {
    for (const [file, type] of [
      ['main.js', 'text/javascript'],
      ['browser.js', 'text/javascript'],
      ['main.css', 'text/css'],
      ['browser.css', 'text/css'],
    ] as const) {
      const response = await get(`${served.base}/assets/${file}`, auth());
      assert.equal(response.status, 200, file);
      assert.match(response.headers.get('content-type')!, new RegExp(`^${type}`));
      assert.ok((await response.arrayBuffer()).byteLength > 1000);
    }
    for (const url of [
      '/assets/main.js.map',
      '/assets/../agent.js',
      '/assets/%2e%2e/agent.js',
      '/agent.js',
    ]) {
      assert.equal((await get(`${served.base}${url}`, auth())).status, 404, url);
    }
  });

  test('only GET: every other method is 405, with or without the token', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      for (const headers of [auth(), {}]) {
        const response = await fetch(`${served.base}/api/processTracker/top`, { method, headers });
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.get('allow'), 'GET');
      }
    }
  });

  test('the API answers as the socket does, errors included; acting requests are not there', async () => {
    const top = await get(
      `${served.base}/api/processTracker/top?params=${encodeURIComponent('{"n":3}')}`,
      auth(),
    );
    assert.equal(top.status, 200);
    assert.equal(top.headers.get('content-type'), 'application/json; charset=utf-8');
    await waitFor(
      async () =>
        ((await (await get(`${served.base}/api/processTracker/top`, auth())).json()) as TopRequest.Result)
          .ts !== null,
      60_000,
    );
    const bad = { n: 0 };
    const http = await get(
      `${served.base}/api/processTracker/top?params=${encodeURIComponent(JSON.stringify(bad))}`,
      auth(),
    );
    assert.equal(http.status, 400);
    const status = await cli(['status', '--json', '--data-dir', dataDir], env);
    const { socketPath } = JSON.parse(status.stdout) as { socketPath: string };
    const socket = await connectToAgent({ socketPath });
    assert.ok(socket);
    try {
      const error = await socket.request(TopRequest.type, bad).then(
        () => assert.fail('the socket took n: 0'),
        (e: ResponseError<{ text: unknown }>) => e,
      );
      // The same answer, the message's catalogue reference included (for the page's language).
      assert.ok(error.data?.text, 'the socket answer carries the reference');
      assert.deepEqual(await http.json(), {
        code: error.code,
        message: error.message,
        text: error.data.text,
      });
    } finally {
      await socket.close();
    }
    const range = await get(
      `${served.base}/api/processTracker/stats?params=${encodeURIComponent(JSON.stringify({ from: 2000, to: 1000 }))}`,
      auth(),
    );
    assert.equal(range.status, 400);
    assert.match(((await range.json()) as { message: string }).message, /before "from": swap them/);
    const notJson = await get(`${served.base}/api/processTracker/top?params=%7Bn`, auth());
    assert.equal(notJson.status, 400);
    for (const method of ['kill', 'stop', 'export', 'silence', 'processDetails', 'handover', 'status']) {
      const response = await get(`${served.base}/api/processTracker/${method}`, auth());
      assert.equal(response.status, 404, method);
    }
  });
});

describe('run --http: refusals and TLS', () => {
  test('off loopback without TLS, a lone --http-cert, an unreadable key: exit 2, one line, nothing started', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--http', '0.0.0.0:0'],
        /--http 0\.0\.0\.0:0 is not loopback: give --http-cert and --http-key \(TLS\)/,
      ],
      [['--http', '127.0.0.1:0', '--http-cert', '/x.pem'], /--http-cert and --http-key go together/],
      [
        ['--http', '127.0.0.1:0', '--http-cert', '/nonexistent/c.pem', '--http-key', '/nonexistent/k.pem'],
        /--http-cert: \/nonexistent\/c\.pem cannot be read \(ENOENT\)/,
      ],
      [['--http', 'example.org:80'], /"example\.org" is not an IP address/],
    ];
    for (const [args, message] of cases) {
      const other = path.join(work.dir, 'refused');
      const result = await cli(['run', '--quiet', '--data-dir', other, ...args], env);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.throws(() => statSync(other), 'the data dir was not made');
    }
  });

  test('with --http-cert and --http-key: HTTPS, and the cookie is Secure', async () => {
    const key = path.join(work.dir, 'key.pem');
    const cert = path.join(work.dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    const tlsDir = path.join(work.dir, 'tls-data');
    const tlsEnv = { XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR };
    const secure = await serve(tlsDir, tlsEnv, [
      '--http',
      '127.0.0.1:0',
      '--http-cert',
      cert,
      '--http-key',
      key,
    ]);
    try {
      assert.match(secure.openUrl, /^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const answer = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        https
          .get(secure.openUrl, { ca: readFileSync(cert) }, (response) => {
            response.resume();
            resolve({ status: response.statusCode!, cookie: String(response.headers['set-cookie']) });
          })
          .on('error', reject);
      });
      assert.equal(answer.status, 303);
      assert.match(answer.cookie, /; HttpOnly; SameSite=Strict; Secure$/);
      // Plain HTTP to the TLS port gets no page.
      await assert.rejects(fetch(`http://${new URL(secure.base).host}/`).then((r) => r.text()));
    } finally {
      await secure.stop();
    }
  });
});
