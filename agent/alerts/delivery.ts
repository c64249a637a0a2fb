// Over 400 lines on purpose: one outbox (queue, retries, rate limits, sends) over one persisted list.
// Delivery of alert notifications through an outbox.
//
//   enqueue → persist the outbox → send → 2xx: remove + persist → onRecord('delivered')
//                                      → 5xx / 429 / 408 / network: back off (Retry-After wins), persist
//                                      → other 4xx, or past the deadline: remove + persist → 'failed'
//
// Because an entry is persisted before its first attempt and removed only after a success, a
// kill -9 at any point leaves it in the saved outbox, and a new Delivery restored from that state
// sends it again. The one window for a duplicate — killed after the receiver answered 2xx but
// before the removal was persisted — is covered by the idempotency id sent with every attempt
// (Idempotency-Key header, email Message-ID), which stays the same across attempts and restarts.
//
// Alerts of one enqueue call are grouped into one message per channel, and entries still waiting
// for their first attempt (e.g. behind a rate limit) are merged, so a hundred deaths are one
// message. Per-channel rate limits default to the providers' documented ones (DingTalk 20/min).
import type { Lang } from '../../shared/i18n/catalogue';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../log';
import * as email from './notifiers/email';
import { postHttp, parseRetryAfter } from './notifiers/http';
import {
  checkAnswer,
  DEFAULT_RATE_PER_MINUTE,
  formatRequest,
  ONE_ALERT_PER_MESSAGE,
  type ProviderVerdict,
} from './notifiers/index';
import { Redactor } from './secrets';
import type { AlertTransition, ChannelConfig, ChannelType } from './types';

export interface OutboxEntry {
  /** Idempotency id: the same for every attempt of this message, before and after restarts. */
  id: string;
  channel: string;
  alerts: AlertTransition[];
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** After this, a still-failing entry is given up. */
  deadline: number;
  lastError?: string;
}

/** What must be persisted (the outbox). Holds no secrets: channels are referred to by name. */
export interface DeliveryState {
  version: 1;
  entries: OutboxEntry[];
}

/** One line of the delivery log (the store keeps these). Error texts are already redacted. */
export interface DeliveryRecord {
  id: string;
  channel: string;
  type: ChannelType | 'unknown';
  ts: number;
  attempt: number;
  outcome: 'delivered' | 'retry' | 'failed';
  /** HTTP status, or SMTP reply code when known. */
  status?: number;
  error?: string;
  durationMs: number;
  /** When outcome is 'retry'. */
  nextAttemptAt?: number;
  alerts: { key: string; rule: string; kind: AlertTransition['kind'] }[];
}

export interface RetryPolicy {
  /** First back-off step (default 1 s); doubles per attempt, with jitter. */
  baseMs: number;
  /** Longest back-off step (default 5 min). */
  maxMs: number;
  /** How long an entry is retried before it is given up (default 1 h). */
  deadlineMs: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 1000,
  maxMs: 300_000,
  deadlineMs: 3_600_000,
  timeoutMs: 10_000,
};

export interface DeliveryOptions {
  channels: Record<string, ChannelConfig>;
  /** Channels whose secret has not arrived yet: their messages wait (retried) instead of failing. */
  waiting?: Iterable<string>;
  log: Logger;
  /** Built from `channels` when not given. */
  redactor?: Redactor;
  /** Saves the outbox; called before every first attempt and after every outcome. */
  persist?: (state: DeliveryState) => void;
  onRecord?: (record: DeliveryRecord) => void;
  retry?: Partial<RetryPolicy>;
  /** The machine name shown in messages (default os.hostname()). */
  host?: string;
  /** The language of the notifications, asked at each send (the rule file may change it); en if not given. */
  language?: () => Lang;
  now?: () => number;
  random?: () => number;
}

type Attempt =
  | { ok: true; status?: number }
  | { ok: false; retry: boolean; error: string; status?: number; retryAfterMs?: number };

export class Delivery {
  private entries: OutboxEntry[] = [];
  private channels: Record<string, ChannelConfig>;
  private waiting: Set<string>;
  private redactor: Redactor;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly host: string;
  private readonly inFlight = new Set<string>();
  private readonly sentAt = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DeliveryOptions) {
    this.channels = options.channels;
    this.waiting = new Set(options.waiting ?? []);
    this.redactor = options.redactor ?? Redactor.forChannels(options.channels);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.host = options.host ?? os.hostname();
  }

  /** Channels reloaded: entries for channels that are gone fail on their next attempt. */
  setChannels(
    channels: Record<string, ChannelConfig>,
    redactor?: Redactor,
    waiting: Iterable<string> = [],
  ): void {
    const arrived = [...this.waiting].filter((name) => name in channels);
    this.channels = channels;
    this.waiting = new Set(waiting);
    // A channel whose secret just came: send what waited for it now, not at its next back-off.
    const now = this.now();
    for (const entry of this.entries) if (arrived.includes(entry.channel)) entry.nextAttemptAt = now;
    this.redactor = redactor ?? Redactor.forChannels(channels);
    this.pump();
  }

  /** Starts sending (restored entries first). */
  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops scheduling; entries stay in the outbox. Resolves when attempts in flight are done. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    while (this.inFlight.size) await new Promise((r) => setTimeout(r, 10));
  }

  /** Groups the transitions' notifications per channel and queues them. Returns the new entries. */
  enqueue(transitions: AlertTransition[]): OutboxEntry[] {
    const now = this.now();
    const byChannel = new Map<string, AlertTransition[]>();
    for (const t of transitions) {
      if (t.suppressed) continue;
      const { action: _action, ...alert } = t; // commands are not notification content
      for (const channel of t.channels) {
        const list = byChannel.get(channel) ?? [];
        list.push(alert);
        byChannel.set(channel, list);
      }
    }
    const created: OutboxEntry[] = [];
    for (const [channel, alerts] of byChannel) {
      const fresh = alerts.filter((a) => !this.isQueued(channel, a));
      if (!fresh.length) continue;
      const groups = this.onePerMessage(channel) ? fresh.map((a) => [a]) : [fresh];
      for (const group of groups) {
        const entry: OutboxEntry = {
          id: `pt-${now.toString(36)}-${randomUUID()}`,
          channel,
          alerts: group,
          createdAt: now,
          attempts: 0,
          nextAttemptAt: now,
          deadline: now + this.retry.deadlineMs,
        };
        this.entries.push(entry);
        created.push(entry);
      }
    }
    if (created.length) {
      this.save();
      this.pump();
    }
    return created;
  }

  state(): DeliveryState {
    return { version: 1, entries: this.entries.map((e) => ({ ...e, alerts: [...e.alerts] })) };
  }

  /** Loads a saved outbox (call before start()). Entries that were in flight are retried. */
  restore(state: DeliveryState | undefined): void {
    if (!state || state.version !== 1 || !Array.isArray(state.entries)) return;
    const known = new Set(this.entries.map((e) => e.id));
    for (const entry of state.entries) if (!known.has(entry.id)) this.entries.push({ ...entry });
    this.pump();
  }

  pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** Resolves when nothing is queued or in flight (for the CLI and tests). */
  idle(): Promise<void> {
    if (!this.entries.length && !this.inFlight.size) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** One attempt, no outbox, no retries: `process-tracker alerts test`. */
  async sendOnce(channelName: string, alerts: AlertTransition[]): Promise<DeliveryRecord> {
    const entry: OutboxEntry = {
      id: `pt-test-${randomUUID()}`,
      channel: channelName,
      alerts,
      createdAt: this.now(),
      attempts: 1,
      nextAttemptAt: 0,
      deadline: 0,
    };
    const started = this.now();
    const result = await this.attempt(entry);
    return this.recordOf(entry, result.ok ? 'delivered' : 'failed', result, started);
  }

  // --- scheduling -----------------------------------------------------------------------------

  private isQueued(channel: string, alert: AlertTransition): boolean {
    return this.entries.some(
      (e) =>
        e.channel === channel &&
        e.alerts.some(
          (a) =>
            a.key === alert.key && a.kind === alert.kind && a.firedAt === alert.firedAt && a.ts === alert.ts,
        ),
    );
  }

  private onePerMessage(channel: string): boolean {
    const type = this.channels[channel]?.type;
    return type !== undefined && ONE_ALERT_PER_MESSAGE.has(type);
  }

  private rateLimit(channel: string): number {
    const config = this.channels[channel];
    if (!config) return Infinity;
    return config.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE[config.type];
  }

  /** When the channel may send next under its per-minute limit. */
  private nextSlot(channel: string, now: number): number {
    const limit = this.rateLimit(channel);
    const recent = (this.sentAt.get(channel) ?? []).filter((t) => t > now - 60_000);
    this.sentAt.set(channel, recent);
    if (recent.length < limit) return now;
    return recent[recent.length - limit]! + 60_000;
  }

  private pump(): void {
    if (!this.running) return;
    const now = this.now();
    let wakeAt = Infinity;
    const channels = new Set(this.entries.map((e) => e.channel));
    for (const channel of channels) {
      if (this.inFlight.has(channel)) continue;
      // One message at a time per channel keeps order and makes the rate limit exact.
      const queue = this.entries
        .filter((e) => e.channel === channel)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
      const head = queue[0]!;
      const at = Math.max(head.nextAttemptAt, this.nextSlot(channel, now));
      if (at > now) {
        wakeAt = Math.min(wakeAt, at);
        continue;
      }
      if (head.attempts === 0 && !this.onePerMessage(channel)) this.mergeWaiting(head, queue);
      void this.send(head);
    }
    this.schedule(wakeAt);
  }

  /** Folds other not-yet-attempted entries of the channel into `head`: one message, not many. */
  private mergeWaiting(head: OutboxEntry, queue: OutboxEntry[]): void {
    const others = queue.filter((e) => e !== head && e.attempts === 0);
    if (!others.length) return;
    for (const other of others) head.alerts.push(...other.alerts);
    head.deadline = Math.max(head.deadline, ...others.map((e) => e.deadline));
    this.entries = this.entries.filter((e) => !others.includes(e));
    this.save();
  }

  private schedule(at: number): void {
    if (at === Infinity || !this.running) return;
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private async send(entry: OutboxEntry): Promise<void> {
    this.inFlight.add(entry.channel);
    const started = this.now();
    entry.attempts++;
    (this.sentAt.get(entry.channel) ?? this.sentAt.set(entry.channel, []).get(entry.channel)!).push(started);
    let result: Attempt;
    try {
      result = await this.attempt(entry);
    } catch (error) {
      result = { ok: false, retry: true, error: (error as Error).message };
    }
    const now = this.now();
    if (result.ok) {
      this.remove(entry);
      this.options.onRecord?.(this.recordOf(entry, 'delivered', result, started));
    } else {
      entry.lastError = this.redactor.redact(result.error);
      const delay = result.retryAfterMs ?? this.backoff(entry.attempts);
      if (result.retry && now + delay <= entry.deadline) {
        entry.nextAttemptAt = now + delay;
        this.save();
        this.options.log.warn(
          `alert delivery ${entry.id} to ${entry.channel}: ${entry.lastError}; retry in ${Math.round(delay / 1000)} s`,
        );
        this.options.onRecord?.(this.recordOf(entry, 'retry', result, started));
      } else {
        this.remove(entry);
        const why = result.retry ? `gave up after ${entry.attempts} attempts` : 'not retried';
        this.options.log.error(
          `alert delivery ${entry.id} to ${entry.channel} failed (${why}): ${entry.lastError}`,
        );
        this.options.onRecord?.(this.recordOf(entry, 'failed', result, started));
      }
    }
    this.inFlight.delete(entry.channel);
    this.pump();
    this.notifyIdle();
  }

  /** Exponential back-off with "equal jitter": half fixed, half random, so many agents spread out. */
  private backoff(attempts: number): number {
    const step = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempts - 1));
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  private async attempt(entry: OutboxEntry): Promise<Attempt> {
    const channel = this.channels[entry.channel];
    if (!channel && this.waiting.has(entry.channel))
      return {
        ok: false,
        retry: true,
        error: `channel "${entry.channel}" waits for its secret from VS Code`,
      };
    if (!channel)
      return { ok: false, retry: false, error: `channel "${entry.channel}" is no longer configured` };
    const ctx = { now: this.now(), host: this.host, lang: this.options.language?.() ?? 'en' };
    if (channel.type === 'email') {
      const verdict = await email.send(
        channel,
        email.format(channel, entry.alerts, ctx, entry.id),
        this.retry.timeoutMs,
      );
      return verdict.ok ? { ok: true } : verdict;
    }
    const request = formatRequest(channel, entry.alerts, ctx)!;
    request.headers['idempotency-key'] = entry.id;
    request.headers['user-agent'] = 'process-tracker';
    let result;
    try {
      result = await postHttp(request, this.retry.timeoutMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        ok: false,
        retry: true,
        error: `network error: ${code ? `${code} ` : ''}${(error as Error).message}`,
      };
    }
    const { status } = result;
    if (status >= 200 && status < 300) {
      const verdict: ProviderVerdict | undefined = checkAnswer(channel.type, result);
      if (!verdict || verdict.ok) return { ok: true, status };
      return { ...verdict, status };
    }
    const retryable = status === 429 || status === 408 || status >= 500;
    const retryAfterMs = parseRetryAfter(result.retryAfter, this.now());
    return {
      ok: false,
      retry: retryable,
      status,
      error: `HTTP ${status}${result.body ? `: ${result.body.slice(0, 200)}` : ''}`,
      ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }

  private remove(entry: OutboxEntry): void {
    this.entries = this.entries.filter((e) => e !== entry);
    this.save();
  }

  private save(): void {
    if (!this.options.persist) return;
    try {
      this.options.persist(this.state());
    } catch (error) {
      // Sending anyway: a lost notification is worse than a possible duplicate after a crash.
      this.options.log.error(
        `alert outbox could not be saved: ${this.redactor.redact((error as Error).message)}`,
      );
    }
  }

  private notifyIdle(): void {
    if (this.entries.length || this.inFlight.size) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private recordOf(
    entry: OutboxEntry,
    outcome: DeliveryRecord['outcome'],
    result: Attempt,
    started: number,
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      id: entry.id,
      channel: entry.channel,
      type: this.channels[entry.channel]?.type ?? 'unknown',
      ts: started,
      attempt: entry.attempts,
      outcome,
      durationMs: this.now() - started,
      alerts: entry.alerts.map((a) => ({ key: a.key, rule: a.rule, kind: a.kind })),
    };
    if (result.status !== undefined) record.status = result.status;
    if (!result.ok) record.error = this.redactor.redact(result.error);
    if (outcome === 'retry') record.nextAttemptAt = entry.nextAttemptAt;
    return record;
  }
}
