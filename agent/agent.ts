// The agent's life cycle: claim the socket (one agent per user and data dir), then open the
// store, then sample. Claiming first means a second starter never opens the store for writing.
import type { Tick } from '../shared/model';
import type { AgentSettings } from '../shared/settings';
import type { Logger } from './log';
import { startRecorder, type Recorder } from './run';
import { killProcess, readProcessDetails, startService, type AgentCore, type ServiceHandle } from './service';

export interface AgentOptions {
  settings: AgentSettings;
  log: Logger;
  version: string;
  stopAfterIdleMinutes?: number;
  socketPath?: string;
  /** Called on every tick (the foreground live top). */
  onTick?: (tick: Tick) => void;
}

export type AgentOutcome =
  | { kind: 'serving'; stopped: Promise<void>; stop: () => Promise<void>; socketPath: string }
  | { kind: 'alreadyServing'; pid: number; socketPath: string; version: string };

/** An AgentCore over a recorder that exists only once the socket is ours. */
function coreOver(get: () => Recorder | undefined, intervalMs: number): AgentCore {
  return {
    latest: () => get()?.latest(),
    onTick: (listener) => get()?.onTick(listener) ?? (() => undefined),
    get queries() {
      return get()?.store ?? null;
    },
    details: readProcessDetails,
    kill: killProcess,
    status: () => ({ intervalMs, lastError: get()?.store.status().lastError ?? null }),
  };
}

export async function startAgent(options: AgentOptions): Promise<AgentOutcome> {
  const { settings, log } = options;
  let recorder: Recorder | undefined;
  let service: ServiceHandle | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await recorder?.stop();
      await service?.close();
      resolveStopped();
    })());

  const result = await startService({
    core: coreOver(() => recorder, settings.intervalMs),
    dataDir: settings.dataDir,
    socketPath: options.socketPath,
    log,
    version: options.version,
    stopAfterIdleMinutes: options.stopAfterIdleMinutes,
    onStopRequested: stop,
    onHandover: async () => {
      const last = recorder?.latest()?.ts ?? null;
      await recorder?.stop();
      return { lastSampleTs: last };
    },
  });
  if ('alreadyServing' in result) return { kind: 'alreadyServing', ...result.alreadyServing };
  service = result;
  if (result.tookOverFrom) {
    log.info(`took over from agent ${result.tookOverFrom.pid} (version ${result.tookOverFrom.agentVersion})`);
  }
  try {
    recorder = await startRecorder(settings, log);
  } catch (error) {
    await service.close();
    throw error;
  }
  if (options.onTick) recorder.onTick(options.onTick);
  log.info(`serving on ${result.socketPath} (pid ${process.pid})`);
  return { kind: 'serving', stopped, stop, socketPath: result.socketPath };
}
