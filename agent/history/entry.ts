// The history worker's entry (bundled as dist/history-worker.js), run as a child process of the
// agent (lane.ts): answers one call at a time with the store's own query functions over the
// writer's hand-over (agent/store/handover.ts) and the closed files on disk, which it opens
// read-only. It never writes a store file (an export writes the user's file, streaming).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { UserInputError, errorText } from '../../shared/errors';
import type { Logger } from '../log';
import { HandoverReader } from '../store/handover';
import { at } from '../store/queries/at';
import type { QueryContext } from '../store/queries/context';
import { exportTo } from '../store/queries/export';
import { lifecycle } from '../store/queries/lifecycle';
import { series } from '../store/queries/series';
import { stats } from '../store/queries/stats';
import { panelDataset } from '../service/panel';
import type { CoreQueries } from '../service/core';
import { AGENT_PID_ENV, type FromWorker, type HistoryCall, type ToWorker } from './protocol';

const agentPid = Number(process.env[AGENT_PID_ENV]);
if (!process.send || !agentPid)
  throw new Error('history worker: the agent starts me (child_process.fork), not a shell');
const toAgent = process.send.bind(process);

/** The agent is gone (its end closes the channel) or is no longer our parent: nothing to answer. */
const orphaned = () => !process.connected || process.ppid !== agentPid;
process.on('disconnect', () => process.exit(0));
// 'disconnect' covers the agent's end, however it ends; this covers anything it might miss.
setInterval(() => orphaned() && process.exit(0), 5000).unref();

const send = (message: FromWorker) => {
  if (orphaned()) process.exit(0);
  toAgent(message);
};
const log: Logger = {
  debug: (text) => send({ type: 'log', level: 'debug', text }),
  info: (text) => send({ type: 'log', level: 'info', text }),
  warn: (text) => send({ type: 'log', level: 'warn', text }),
  error: (text) => send({ type: 'log', level: 'error', text }),
};

/**
 * A month's panel reads each day file once per series (the past-file LRU holds 3): ~300 files of
 * ~1 MB whose buffers V8 collects late, since they live outside its heap. A full collection after
 * every 16 MB read keeps that garbage from piling up: the agent's peak during a 30-day panel fell
 * from 212 to 178 MB (one run each, load ~10). lane.ts starts this process with --expose-gc.
 */
const GC_EVERY_BYTES = 16 * 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
let readSinceGc = 0;
const reader = HandoverReader.create(log, {
  onRead: (bytes) => {
    readSinceGc += bytes;
    if (readSinceGc < GC_EVERY_BYTES) return;
    readSinceGc = 0;
    gc();
  },
  // The writer sets a damaged file aside, as it does when its own query meets one.
  onDamaged: (file, reason) => send({ type: 'damaged', file, reason }),
});

/** The store's queries over one hand-over: what panelDataset composes, as on the agent's thread. */
function localQueries(ctx: QueryContext, status: CoreQueries['status']): CoreQueries {
  return {
    stats: (q) => stats(ctx, q),
    at: (q) => at(ctx, q),
    series: (q) => series(ctx, q),
    lifecycle: (q) => lifecycle(ctx, q),
    exportTo: (q, file) => exportTo(ctx, q, file),
    status,
  };
}

async function answer(ctx: QueryContext, call: HistoryCall): Promise<unknown> {
  switch (call.kind) {
    case 'stats':
      return stats(ctx, call.query);
    case 'at':
      return at(ctx, call.query);
    case 'series':
      return series(ctx, call.query);
    case 'lifecycle':
      return lifecycle(ctx, call.query);
    case 'export':
      return exportTo(ctx, call.query, call.file);
    case 'panelDataset':
      return panelDataset(
        localQueries(ctx, () => call.status),
        call.machine && { machine: call.machine },
        call.query,
      );
  }
}

/**
 * For the agent's tests only: PROCESS_TRACKER_QUERY_WORKER_FAULT names a file; when it exists at
 * a call, the worker removes it and crashes (file says "crash") or hangs ("hang") — the one way to
 * fail a real worker process inside a real agent at a known moment from outside.
 */
function injectedFault(): void {
  const file = process.env.PROCESS_TRACKER_QUERY_WORKER_FAULT;
  if (!file || !existsSync(file)) return;
  const fault = readFileSync(file, 'utf8').trim();
  rmSync(file, { force: true });
  if (fault === 'hang') for (;;);
  if (fault === 'crash') process.exit(70);
}

process.on('message', (message: ToWorker) => {
  const { id, call, handover } = message;
  // A heartbeat while this process's event loop turns: a hung worker stops sending it.
  const alive = setInterval(() => send({ type: 'alive', id }), 1000);
  void (async () => {
    try {
      injectedFault();
      const ctx = (await reader).adopt(handover);
      send({ type: 'done', id, result: await answer(ctx, call) });
    } catch (error) {
      send({ type: 'failed', id, message: errorText(error), userInput: error instanceof UserInputError });
    } finally {
      clearInterval(alive);
    }
  })();
});
