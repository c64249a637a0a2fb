// Signals a process only if it is still the one the user chose: (pid, start time) is re-checked
// right before the signal. Between that check and kill(2) there remains a window of microseconds
// that only pidfd_send_signal could close; Node offers no pidfd.
import type { ProcessIdentity } from '../../shared/model';
import { KILL_SIGNALS, type KillResult, type KillSignal } from '../../shared/protocol';
import { currentStartTime } from './procStat';

export type StartTimeReader = (pid: number) => Promise<number | null>;

/** Reads start times from /proc on Linux; elsewhere the caller supplies a reader (e.g. ps-list). */
export async function killProcess(
  identity: ProcessIdentity,
  signal: KillSignal,
  readStartTime: StartTimeReader = currentStartTime,
): Promise<KillResult> {
  const { pid } = identity;
  if (!KILL_SIGNALS.includes(signal)) {
    return {
      ok: false,
      reason: 'refused',
      message: `signal ${String(signal)} is not one of ${KILL_SIGNALS.join(', ')}`,
    };
  }
  if (!Number.isInteger(pid) || pid <= 1) {
    return {
      ok: false,
      reason: 'refused',
      message: `pid ${pid} cannot be signalled from here: pick a single process other than init`,
    };
  }
  if (pid === process.pid) {
    return {
      ok: false,
      reason: 'refused',
      message: `pid ${pid} is the agent itself: use \`process-tracker stop\``,
    };
  }
  const now = await readStartTime(pid);
  if (now === null) return { ok: false, reason: 'gone', message: `process ${pid} has already exited` };
  // Exact: the identity's start time was derived from the same start ticks and boot time
  // (agent/collect/bootTime.ts), so any difference is another process — even one started 10 ms later.
  if (now !== identity.startTime) {
    return {
      ok: false,
      reason: 'changed',
      message: `pid ${pid} now belongs to another process (started ${new Date(now).toISOString()}, not ${new Date(identity.startTime).toISOString()}): nothing was signalled`,
    };
  }
  try {
    process.kill(pid, signal);
    return { ok: true, pid, signal };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { ok: false, reason: 'gone', message: `process ${pid} has already exited` };
    if (code === 'EPERM') {
      return {
        ok: false,
        reason: 'denied',
        message: `not permitted to send ${signal} to process ${pid} (EPERM: it belongs to another user)`,
      };
    }
    return {
      ok: false,
      reason: 'denied',
      message: `sending ${signal} to process ${pid} failed: ${(error as Error).message}`,
    };
  }
}
