// The optional push to InfluxDB (`run --influx URL`, settings in influx.yaml; config.ts). Every
// tick's points (points.ts) gather into a batch; every `batch_ticks` ticks the batch goes into the
// durable outbox (outbox.ts) and the sender posts the outbox oldest first: InfluxDB 1.x /write or
// 2.x /api/v2/write. A failure waits 1 s, 2 s, 4 s… up to max_backoff and tries again; nothing is
// removed before a 2xx, so nothing is lost while InfluxDB is down, and the next agent resumes.
import path from 'node:path';
import type { ProcessRow, Tick } from '../../shared/model';
import { postHttp } from '../alerts/notifiers/http';
import type { Logger } from '../log';
import type { InfluxSettings } from './config';
import { InfluxOutbox } from './outbox';
import { processLine } from './points';

export { loadInfluxSettings, type InfluxSettings } from './config';

const BASE_BACKOFF_MS = 1000;
const TIMEOUT_MS = 15_000;

export interface InfluxPusher {
  onTick(tick: Tick): void;
  /** Keeps what is not sent yet in the outbox (the batch in progress too) and stops sending. */
  close(): Promise<void>;
}

/** Where and how to POST; no secret in the URL (it may be logged). */
export function writeRequest(settings: InfluxSettings): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  const t = settings.target;
  if (t.api === 'v2') {
    const query = new URLSearchParams({ org: t.org, bucket: t.bucket, precision: 'ns' });
    headers.authorization = `Token ${t.token}`;
    return { url: `${settings.url}/api/v2/write?${query.toString()}`, headers };
  }
  const query = new URLSearchParams({ db: t.database, precision: 'ns' });
  if (t.retentionPolicy) query.set('rp', t.retentionPolicy);
  if (t.username && t.password) {
    headers.authorization = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  }
  return { url: `${settings.url}/write?${query.toString()}`, headers };
}

/** The batch is at fault (a line InfluxDB refuses, too large): sending it again cannot help. */
const refusedForGood = (status: number) => status === 400 || status === 413 || status === 422;

export function startInflux(settings: InfluxSettings, dataDir: string, log: Logger): InfluxPusher {
  const outbox = new InfluxOutbox(path.join(dataDir, 'influx-outbox'), settings.maxOutboxBytes, log);
  const request = writeRequest(settings);
  const where = `InfluxDB at ${new URL(settings.url).origin}`;
  let pending: string[] = [];
  let ticks = 0;
  let previous = new Set<ProcessRow>();
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;
  let pumping: Promise<void> | undefined;
  let closed = false;

  if (outbox.size > 0) log.info(`influx: ${outbox.size} batch(es) left from before; sending them first`);

  const point = (row: ProcessRow, ts: number) =>
    processLine({ ...row, ts, cmdline: settings.commandLines ? row.cmdline : undefined });

  function persist(): void {
    if (pending.length === 0) return;
    try {
      outbox.add(`${pending.join('\n')}\n`);
    } catch (error) {
      // A full disk: recording goes on; this batch is what is lost, and the log says so.
      log.error(
        `influx: cannot keep a batch of ${pending.length} points in ${outbox.dir}: ${(error as Error).message}`,
      );
    }
    pending = [];
  }

  async function sendOldest(): Promise<boolean> {
    const batch = outbox.oldest();
    if (!batch) return false;
    let outcome: string;
    try {
      const result = await postHttp({ ...request, body: batch.body }, TIMEOUT_MS);
      if (result.status >= 200 && result.status < 300) {
        outbox.remove(batch.seq);
        if (attempts > 0) log.info(`influx: ${where} takes points again after ${attempts} failed attempt(s)`);
        attempts = 0;
        return true;
      }
      const detail = result.body.trim().slice(0, 300);
      if (refusedForGood(result.status)) {
        outbox.remove(batch.seq);
        log.error(`influx: ${where} refused a batch for good (HTTP ${result.status}: ${detail}); dropped it`);
        return true;
      }
      outcome = `HTTP ${result.status}${detail ? `: ${detail}` : ''}`;
    } catch (error) {
      outcome = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    }
    attempts++;
    const delay = Math.min(settings.maxBackoffMs, BASE_BACKOFF_MS * 2 ** (attempts - 1));
    // The first failure of a run, then every tenth: a long outage does not flood the log.
    if (attempts === 1 || attempts % 10 === 0) {
      log.warn(
        `influx: ${where} did not take a batch (${outcome}); ${outbox.size} batch(es) kept in the outbox, next attempt in ${Math.round(delay / 100) / 10} s`,
      );
    }
    if (!closed) timer = setTimeout(() => ((timer = undefined), kick()), delay);
    return false;
  }

  function kick(): void {
    if (pumping || timer || closed) return;
    pumping = (async () => {
      while (!closed && (await sendOldest()));
    })().finally(() => (pumping = undefined));
  }

  kick();
  return {
    onTick(tick) {
      if (closed) return;
      // Sparse, as the store's rows: a row object unchanged since the last tick means nothing
      // happened (no CPU, no IO, same memory), and gets no new point.
      for (const row of tick.processes) if (!previous.has(row)) pending.push(point(row, tick.ts));
      previous = new Set(tick.processes);
      if (++ticks < settings.batchTicks) return;
      ticks = 0;
      persist();
      kick();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      persist();
      await pumping;
    },
  };
}
