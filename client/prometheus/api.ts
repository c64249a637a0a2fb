// A small client of Prometheus' HTTP API (prometheus.io/docs/prometheus/latest/querying/api/):
// instant and range queries, nothing else. Used by `process-tracker fleet` and the extension's
// Machines view; the URL always comes from the user (a flag, or a machine-scoped setting that an
// untrusted workspace cannot set), never from a workspace.
import { errorText, UserInputError } from '../../shared/errors';

/** One series of an instant query (`resultType: vector`). */
export interface InstantSample {
  metric: Record<string, string>;
  /** [seconds since the epoch, value as text] as Prometheus sends it. */
  value: [number, string];
}

/** One series of a range query (`resultType: matrix`). */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: { resultType: string; result: T[] };
  errorType?: string;
  error?: string;
}

const TIMEOUT_MS = 15_000;

/** The base URL of a Prometheus server as the user gave it: http(s), no query or fragment. */
export function checkPrometheusUrl(text: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserInputError(`${source} "${text}" is not a URL: give e.g. http://127.0.0.1:9090`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserInputError(`${source} "${text}" is not http or https: give e.g. http://127.0.0.1:9090`);
  }
  if (url.username || url.password) {
    // fetch refuses credentials in a URL, and they would show in every message that names it.
    throw new UserInputError(`${source} "${url.host}" carries a user name or password: leave them out`);
  }
  if (url.search || url.hash) {
    throw new UserInputError(`${source} "${text}" has a query or fragment: give only the server's address`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Thrown when the server is unreachable or answers with an error; its message is one line. */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
}

export class PrometheusApi {
  constructor(
    private readonly base: URL,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  get url(): string {
    return this.base.href;
  }

  /** An instant query at `time` (ms since the epoch; now when absent). */
  query(expr: string, time?: number): Promise<InstantSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params.time = String(time / 1000);
    return this.get<InstantSample>('api/v1/query', params, 'vector');
  }

  /** A range query from `from` to `to` (ms) every `stepMs`. */
  queryRange(expr: string, from: number, to: number, stepMs: number): Promise<RangeSeries[]> {
    return this.get<RangeSeries>(
      'api/v1/query_range',
      { query: expr, start: String(from / 1000), end: String(to / 1000), step: `${stepMs / 1000}s` },
      'matrix',
    );
  }

  private async get<T>(endpoint: string, params: Record<string, string>, type: string): Promise<T[]> {
    const url = new URL(endpoint, this.base);
    // POST with a form body, as the API allows: long expressions stay out of URLs and logs.
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new PrometheusError(
        `Prometheus at ${this.base.host} did not answer: ${errorText(cause ?? error)}`,
      );
    }
    let body: ApiAnswer<T>;
    try {
      body = (await response.json()) as ApiAnswer<T>;
    } catch {
      throw new PrometheusError(
        `${this.base.host} answered ${endpoint} with HTTP ${response.status} and no JSON: is it Prometheus?`,
      );
    }
    if (body.status !== 'success' || !body.data || !Array.isArray(body.data.result)) {
      throw new PrometheusError(
        `Prometheus at ${this.base.host} refused a query (${body.errorType ?? response.status}): ${body.error ?? 'no reason given'}`,
      );
    }
    if (body.data.resultType !== type) {
      throw new PrometheusError(
        `Prometheus at ${this.base.host} answered a ${body.data.resultType}, not a ${type}`,
      );
    }
    return body.data.result;
  }
}

/** A sample's value as a number; NaN and ±Inf stay what they are. */
export const valueOf = (sample: InstantSample): number => Number(sample.value[1]);
