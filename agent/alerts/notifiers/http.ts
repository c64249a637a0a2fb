// The one HTTP sender every webhook channel uses: node:http(s), a hard timeout, a capped body.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResult {
  status: number;
  /** Retry-After as sent, when present. */
  retryAfter?: string;
  /** The response body, first 64 KB (provider errors come back in it). */
  body: string;
}

const MAX_BODY = 64 * 1024;

/** POSTs and resolves with any status; rejects on network errors and on the timeout. */
export function postHttp(request: HttpRequest, timeoutMs: number): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const client = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(request.body);
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-length': String(body.length), ...request.headers },
        // The agent is long-lived: no pooled sockets to outlive a delivery.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            ...(retryAfter ? { retryAfter } : {}),
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms to wait,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
