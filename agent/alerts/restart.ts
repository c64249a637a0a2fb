// The restart action of `absent` rules: execFile without a shell, capped per rule per hour,
// backed off between consecutive runs, and every run (or refusal) logged and reported.
import { execFile, spawn } from 'node:child_process';
import type { Logger } from '../log';
import type { Redactor } from './secrets';
import type { AlertTransition, RestartAction } from './types';

export interface RestartRecord {
  rule: string;
  key: string;
  command: string[];
  ts: number;
  outcome: 'ok' | 'failed' | 'capped' | 'backoff';
  /** Exit code, or the error / refusal reason. */
  detail: string;
}

export interface RestartState {
  version: 1;
  /** Run times per rule within the last hour. */
  runs: Record<string, number[]>;
}

export interface RestartOptions {
  log: Logger;
  redactor?: Redactor;
  onRecord?: (record: RestartRecord) => void;
  now?: () => number;
  /** The first back-off step; doubles with each run in the hour (default 10 s). */
  backoffMs?: number;
  /** How long a non-detached command may run (default 60 s). */
  timeoutMs?: number;
}

const HOUR = 3_600_000;

export class RestartRunner {
  private runs = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: RestartOptions) {
    this.now = options.now ?? Date.now;
    this.backoffMs = options.backoffMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Runs the transition's restart action if it has one and is not suppressed. */
  async handle(transition: AlertTransition): Promise<RestartRecord | undefined> {
    if (!transition.action || transition.suppressed) return undefined;
    if (transition.kind !== 'firing' && transition.kind !== 'repeat') return undefined;
    return this.run(transition.rule, transition.key, transition.action);
  }

  async run(rule: string, key: string, action: RestartAction): Promise<RestartRecord> {
    const now = this.now();
    const recent = (this.runs.get(rule) ?? []).filter((t) => t > now - HOUR);
    this.runs.set(rule, recent);
    const base = { rule, key, command: action.restart, ts: now };
    if (recent.length >= action.maxPerHour) {
      return this.record({
        ...base,
        outcome: 'capped',
        detail: `already ran ${recent.length} times in the last hour (max_per_hour: ${action.maxPerHour})`,
      });
    }
    const last = recent[recent.length - 1];
    // Back off exponentially within the hour: a crash-looping service is not restarted in a tight loop.
    const wait = recent.length === 0 ? 0 : this.backoffMs * 2 ** (recent.length - 1);
    if (last !== undefined && now - last < wait) {
      return this.record({
        ...base,
        outcome: 'backoff',
        detail: `next restart allowed in ${Math.ceil((last + wait - now) / 1000)} s`,
      });
    }
    recent.push(now);
    const [file, ...args] = action.restart;
    const detail = await (action.detach ? this.spawnDetached(file!, args) : this.execute(file!, args));
    return this.record({ ...base, outcome: detail.ok ? 'ok' : 'failed', detail: detail.text });
  }

  state(): RestartState {
    return { version: 1, runs: Object.fromEntries(this.runs) };
  }

  restore(state: RestartState): void {
    if (state?.version !== 1) return;
    this.runs = new Map(Object.entries(state.runs ?? {}).map(([k, v]) => [k, [...v]]));
  }

  private execute(file: string, args: string[]): Promise<{ ok: boolean; text: string }> {
    return new Promise((resolve) => {
      execFile(
        file,
        args,
        { shell: false, timeout: this.timeoutMs, maxBuffer: 64 * 1024, windowsHide: true },
        (error, _stdout, stderr) => {
          if (!error) return resolve({ ok: true, text: 'exit 0' });
          const code = (error as { code?: unknown }).code; // a number (exit code) or a string (ENOENT…)
          const why = typeof code === 'number' ? `exit ${code}` : String(code ?? error.message);
          resolve({
            ok: false,
            text: `${why}${stderr ? `: ${stderr.toString().trim().slice(0, 500)}` : ''}`,
          });
        },
      );
    });
  }

  private spawnDetached(file: string, args: string[]): Promise<{ ok: boolean; text: string }> {
    return new Promise((resolve) => {
      const child = spawn(file, args, { shell: false, detached: true, stdio: 'ignore', windowsHide: true });
      child.once('error', (error) =>
        resolve({ ok: false, text: (error as NodeJS.ErrnoException).code ?? error.message }),
      );
      child.once('spawn', () => {
        child.unref();
        resolve({ ok: true, text: `started pid ${child.pid}` });
      });
    });
  }

  private record(record: RestartRecord): RestartRecord {
    const redact = (s: string) => this.options.redactor?.redact(s) ?? s;
    const line = `alert ${record.rule}: restart ${JSON.stringify(record.command)} → ${record.outcome} (${record.detail})`;
    if (record.outcome === 'ok') this.options.log.info(redact(line));
    else this.options.log.warn(redact(line));
    this.options.onRecord?.(record);
    return record;
  }
}
