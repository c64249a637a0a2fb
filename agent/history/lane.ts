// One child process that answers history calls one at a time, started on demand and ended after
// `idleMs` without a call. Everything a heavy query took — its sql.js wasm heap, V8's heap, glibc's
// malloc arena, the node binary's pages its code touched — leaves with the process. A worker
// thread (what this was before) took its wasm heap with it, but the agent's RSS still stayed
// +6.5…+9.8 MB above steady after each query: glibc keeps a dead thread's arena pages, and only
// the end of a process gives them all back (bench/RESULTS.md, issue 14, "candidate (b)").
// A child that crashes, is killed, or says nothing for `stallMs` (it sends a heartbeat every second
// while its event loop turns) fails the call it had with one clear error; the next call starts a
// fresh child. Nothing here can take the agent down, and the child ends when the agent does (its
// IPC channel closes: entry.ts exits on 'disconnect').
import { fork, type ChildProcess } from 'node:child_process';
import { UserInputError, errorText } from '../../shared/errors';
import { withAgentMallocEnv } from '../../shared/mallocEnv';
import type { Logger } from '../log';
import { AGENT_PID_ENV, type FromWorker, type ToWorker } from './protocol';

export interface LaneOptions {
  /** The child's entry file (see entry.ts). */
  entry: string;
  /** Node options the child starts with (a TypeScript loader under tests). */
  execArgv?: string[];
  idleMs: number;
  stallMs: number;
  log: Logger;
  /** What the lane answers, for messages ("history query", "export"). */
  label: string;
  /** A closed file the child found damaged. */
  onDamaged: (file: string, reason: string) => void;
  /** The child was ended for having nothing to do: the calls it answered are over. */
  onIdleEnd?: () => void;
}

/**
 * The child's V8: `gc` for entry.ts's collection after every 16 MB of files read, and a small young
 * generation (the worker thread had maxYoungGenerationSizeMb 4: a 30-day panel's peak 176-177 →
 * 148-153 MB, two runs each, load ~11; 1 MB semi-spaces are the same 3-4 MB young generation).
 */
const CHILD_V8_FLAGS = ['--expose-gc', '--max-semi-space-size=1'];

interface Job {
  /** Built when the job starts, not when it is queued: the hand-over is the state at that instant. */
  message: () => ToWorker;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerLane {
  private child: ChildProcess | null = null;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LaneOptions) {}

  /** Whether a child process is running now (status, tests). */
  get running(): boolean {
    return this.child !== null;
  }

  /** Whether a call is being answered or waits for its turn. */
  get busy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** The running child's PID (tests, the memory bench). */
  get pid(): number | undefined {
    return this.child?.pid;
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
    let message;
    try {
      message = job.message();
    } catch (error) {
      job.reject(error as Error);
      return this.pump();
    }
    let child: ChildProcess;
    try {
      child = this.child ?? this.start();
    } catch (error) {
      // What fork() throws at once (most failures come later, as 'error'): this call fails alone.
      job.reject(new Error(`${this.options.label}: the query worker could not start (${errorText(error)})`));
      return this.pump();
    }
    const id = this.nextId++;
    this.current = { id, job };
    // While a call is out its channel keeps the agent's loop alive (the answer is awaited).
    hold(child, true);
    this.armStall();
    // The hand-over's live files are copied into the message (V8's serializer): a few MB.
    try {
      child.send({ ...message, id }, (error) => {
        // A channel closed under the send is a child ending: its 'exit' names how, so this one
        // speaks only if that has not come a second later.
        if (error)
          setTimeout(() => this.lost(child, `could not be reached (${error.message})`), 1000).unref();
      });
    } catch (error) {
      // A value the serializer refuses: a bug in this call, not in the child, which stays.
      this.current = null;
      clearTimeout(this.stallTimer);
      job.reject(error as Error);
      this.pump();
    }
  }

  private start(): ChildProcess {
    const child = fork(this.options.entry, [], {
      execArgv: [...(this.options.execArgv ?? []), ...CHILD_V8_FLAGS],
      // Typed arrays, -Infinity, undefined, Maps go through as they are (JSON would not).
      serialization: 'advanced',
      // No terminal stdin for it to hold; nothing on stdout (it logs through messages); its stderr
      // is the agent's, for what only a dying process can say (a V8 fatal error).
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // glibc reads these at a process's start (shared/mallocEnv.ts); the agent's PID lets the child
      // check that its parent is the agent it was started by.
      env: withAgentMallocEnv({ ...process.env, [AGENT_PID_ENV]: String(process.pid) }),
    });
    child.on('message', (message: FromWorker) => this.onMessage(child, message));
    child.on('error', (error) => this.lost(child, `failed: ${error.message}`));
    child.on('exit', (code, signal) =>
      this.lost(child, signal ? `was killed (${signal})` : `stopped (exit code ${code})`),
    );
    this.child = child;
    return child;
  }

  private onMessage(child: ChildProcess, message: FromWorker): void {
    if (child !== this.child) return;
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

  /** The child ended or failed: its call (if any) gets one error, the next call a fresh child. */
  private lost(child: ChildProcess, how: string): void {
    if (child !== this.child) return;
    this.child = null;
    clearTimeout(this.stallTimer);
    end(child);
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
    const child = this.child;
    this.stallTimer = setTimeout(() => {
      if (child)
        this.lost(child, `did not answer for ${Math.round(this.options.stallMs / 1000)} s and was stopped`);
    }, this.options.stallMs);
    this.stallTimer.unref();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.child) return;
    const child = this.child;
    // An idle child never keeps the agent alive; this timer ends it anyway.
    hold(child, false);
    this.idleTimer = setTimeout(() => {
      if (this.child !== child || this.current) return;
      this.child = null;
      end(child);
      this.options.onIdleEnd?.();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Ends the child; calls still waiting get an error. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.stallTimer);
    const child = this.child;
    this.child = null;
    const waiting = [...(this.current ? [this.current.job] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of waiting) job.reject(new Error(`${this.options.label}: the agent is stopping`));
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      end(child);
      // Whoever awaits this close waits for the exit, even in a loop with nothing else to do.
      child.ref();
      await exited;
    }
  }
}

/** Whether the child (and its IPC channel) keeps the agent's event loop alive. */
function hold(child: ChildProcess, on: boolean): void {
  if (on) {
    child.ref();
    child.channel?.ref();
  } else {
    child.unref();
    child.channel?.unref();
  }
}

/** Ends a child for good: SIGKILL, since a hung one would not run a SIGTERM handler either. */
function end(child: ChildProcess): void {
  hold(child, false);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
