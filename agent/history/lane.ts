// One worker thread that answers history calls one at a time, started on demand and ended after
// `idleMs` without a call: its sql.js wasm heap and its malloc arena go with it, which is how the
// agent gives back what a heavy query took (wasm memory never shrinks while its thread lives).
// A worker that crashes, or says nothing for `stallMs` (it sends a heartbeat every second while
// its event loop turns), fails the call it had with one clear error; the next call starts a fresh
// worker. Nothing here can take the agent down.
import { Worker } from 'node:worker_threads';
import { UserInputError } from '../../shared/errors';
import type { Logger } from '../log';
import type { FromWorker, ToWorker } from './protocol';

export interface LaneOptions {
  /** The worker's entry file (see entry.ts), or with `eval` the code that loads it. */
  entry: string;
  eval?: boolean;
  idleMs: number;
  stallMs: number;
  log: Logger;
  /** What the lane answers, for messages ("history query", "export"). */
  label: string;
  /** A closed file the worker found damaged. */
  onDamaged: (file: string, reason: string) => void;
}

interface Job {
  /** Built when the job starts, not when it is queued: the hand-over is the state at that instant. */
  message: () => { message: ToWorker; transfer: ArrayBuffer[] };
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerLane {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LaneOptions) {}

  /** Whether a worker thread is running now (status, tests). */
  get running(): boolean {
    return this.worker !== null;
  }

  run<T>(message: Job['message']): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.options.label}: the agent is stopping`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      this.armIdle();
      return;
    }
    clearTimeout(this.idleTimer);
    let built;
    try {
      built = job.message();
    } catch (error) {
      job.reject(error as Error);
      return this.pump();
    }
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    this.current = { id, job };
    this.armStall();
    worker.postMessage({ ...built.message, id }, built.transfer);
  }

  private start(): Worker {
    const worker = new Worker(this.options.entry, {
      eval: this.options.eval,
      // A small young generation: the worker's garbage is collected sooner and its peak is lower
      // (a 30-day panel's agent peak 176-177 → 148-153 MB, and no slower; two runs each, load ~11).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      // Its own stdout/stderr would be piped through this thread: it logs through messages instead.
      stdout: false,
      stderr: false,
    });
    // An idle worker never keeps the agent alive; its timers end it anyway.
    worker.unref();
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (error) => this.lost(worker, `failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (worker !== this.worker) return;
    if (message.type === 'log') {
      this.options.log[message.level](message.text);
      return;
    }
    if (message.type === 'damaged') {
      this.options.onDamaged(message.file, message.reason);
      return;
    }
    if (!this.current || message.id !== this.current.id) return;
    this.armStall();
    if (message.type === 'alive') return;
    const { job } = this.current;
    this.current = null;
    clearTimeout(this.stallTimer);
    if (message.type === 'done') job.resolve(message.result);
    else job.reject(message.userInput ? new UserInputError(message.message) : new Error(message.message));
    this.pump();
  }

  /** The worker ended or failed: its call (if any) gets one error, the next call a fresh worker. */
  private lost(worker: Worker, how: string): void {
    if (worker !== this.worker) return;
    this.worker = null;
    clearTimeout(this.stallTimer);
    void worker.terminate();
    const current = this.current;
    this.current = null;
    const text = `${this.options.label}: the query worker ${how}; the next request starts a fresh one`;
    // The failed request's error is logged where it is answered (one line per request).
    if (current) current.job.reject(new Error(text));
    else this.options.log.error(text);
    this.pump();
  }

  private armStall(): void {
    clearTimeout(this.stallTimer);
    const worker = this.worker;
    this.stallTimer = setTimeout(() => {
      if (worker)
        this.lost(worker, `did not answer for ${Math.round(this.options.stallMs / 1000)} s and was stopped`);
    }, this.options.stallMs);
    this.stallTimer.unref();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.worker) return;
    const worker = this.worker;
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.current) return;
      this.worker = null;
      void worker.terminate();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Ends the worker; calls still waiting get an error. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.stallTimer);
    const worker = this.worker;
    this.worker = null;
    const waiting = [...(this.current ? [this.current.job] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of waiting) job.reject(new Error(`${this.options.label}: the agent is stopping`));
    await worker?.terminate();
  }
}
