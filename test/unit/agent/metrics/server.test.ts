// The /metrics HTTP(S) server on a real 127.0.0.1 socket: only GET /metrics, bearer and basic
// auth, TLS with a certificate made for the test, and OpenMetrics when the Accept header asks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_METRICS, type MetricsSettings } from '../../../../shared/settings';
import {
  METRICS_KEEP_ALIVE_MS,
  startMetricsServer,
  type MetricsServer,
} from '../../../../agent/metrics/server';

const base: MetricsSettings = { host: '127.0.0.1', port: 0, ...DEFAULT_METRICS };
const servers: MetricsServer[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-metrics-server-'));
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(settings: Partial<MetricsSettings> = {}): Promise<MetricsServer> {
  const server = await startMetricsServer(
    { ...base, ...settings },
    async (format) => ({ body: `format ${format}\n`, contentType: `type/${format}` }),
    () => undefined,
  );
  servers.push(server);
  return server;
}

test('GET /metrics; other paths 404, other methods 405; text unless OpenMetrics is asked for', async () => {
  const { url } = await serve();
  let response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'format text\n');
  response = await fetch(url, {
    headers: {
      accept:
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    },
  });
  assert.equal(response.headers.get('content-type'), 'type/openmetrics');
  assert.equal((await fetch(url.replace('/metrics', '/'))).status, 404);
  assert.equal((await fetch(url, { method: 'POST' })).status, 405);
});

test('bearer token: none or wrong is 401, right is 200', async () => {
  const { url } = await serve({ bearerToken: 'tok-123456' });
  assert.equal((await fetch(url)).status, 401);
  assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await fetch(url, { headers: { authorization: 'Bearer tok-123456' } })).status, 200);
});

test('basic auth', async () => {
  const { url } = await serve({ basicAuth: { username: 'prom', password: 'pw-123456' } });
  const basic = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });
  const denied = await fetch(url);
  assert.equal(denied.status, 401);
  assert.match(denied.headers.get('www-authenticate') ?? '', /^Basic/);
  assert.equal((await fetch(url, { headers: basic('prom:nope') })).status, 401);
  assert.equal((await fetch(url, { headers: basic('prom:pw-123456') })).status, 200);
});

test('TLS with a certificate and key', async () => {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
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
    { stdio: 'ignore' },
  );
  const ca = readFileSync(cert, 'utf8');
  const { url } = await serve({ tls: { cert: ca, key: readFileSync(key, 'utf8') } });
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const body = await new Promise<string>((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        let text = '';
        response.on('data', (d: Buffer) => (text += d.toString()));
        response.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  assert.equal(body, 'format text\n');
});

test('a scraper keeps its connection between scrapes, as Prometheus does (5 min idle)', async () => {
  const { url } = await serve();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const scrape = () =>
    new Promise<{ port: number; keepAlive: string }>((resolve, reject) => {
      http
        .get(url, { agent }, (response) => {
          const port = response.socket.localPort!;
          response.resume();
          response.on('end', () => resolve({ port, keepAlive: String(response.headers['keep-alive']) }));
        })
        .on('error', reject);
    });
  try {
    const first = await scrape();
    assert.equal(first.keepAlive, `timeout=${METRICS_KEEP_ALIVE_MS / 1000}`);
    assert.ok(METRICS_KEEP_ALIVE_MS >= 60_000, "longer than Prometheus' default interval (1 m)");
    // Idle for longer than Node's own default (5 s), after which it used to close the connection
    // and the next scrape paid for a new one: the time passing is what is tested, not a state.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    assert.equal((await scrape()).port, first.port, 'the same connection');
  } finally {
    agent.destroy();
  }
});

test('an address in use is an error to the caller, not a crash', async () => {
  const first = await serve();
  const port = Number(new URL(first.url).port);
  await assert.rejects(serve({ port }), /EADDRINUSE/);
});
