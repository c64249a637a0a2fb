// The read schedule: what the /proc collector reads for a process on a tick, and what it skips.
// Cost model, measured on a ~570 process machine:
// - /proc/[pid]/stat stays open and is re-read at offset 0 each tick (no open/close per process);
// - when those bytes are the same as last tick's, nothing is parsed and the previous RawProcess
//   object is returned as is: an idle process costs one pread and one memcmp;
// - what never changes for an identity (cmdline, user, cgroup) is read once;
// - io is re-read whenever the process may have run since the last tick, not only when its CPU
//   ticks moved (a writer blocked in fdatasync runs a few µs a second; its ticks stay put for many
//   ticks): when its schedstat moved (single-threaded), or on every reading when it has none
//   (several threads: the leader's schedstat misses the others) — then /proc/[pid]/io stays open
//   too (a pread is 2.2 µs, open + read + close 8.8 µs). A process that did not run cannot have
//   done IO: write_bytes is charged when a page is dirtied, by the task dirtying it (an mmap'd
//   page on its write fault), and read_bytes when a read is submitted — never at writeback. An
//   io file refused once (another user's process) is not tried again for that identity;
// - /proc is listed only when a pid was handed out since the last listing (the last pid is in
//   /proc/loadavg, read anyway), else the processes of the last tick are re-read: listing /proc
//   cost ~1.3 µs per process, as much as a quarter of a tick on a quiet machine; a listing at
//   least every LIST_EVERY_MS bounds what an odd pid namespace set-up could hide;
// - a single-threaded process also keeps /proc/[pid]/schedstat open: the CPU time of its one
//   thread, which the kernel formats in a third of the time of stat. While it stays the same the
//   process has not run — so it cannot have changed its CPU time, threads, io or fds — and stat
//   is not read at all; stat is still read every STAT_REFRESH_MS (plus a per-pid offset, so the
//   refreshes spread out) for what can change without running: RSS shrunk by reclaim, a new
//   parent after the old one died. (On a nohz_full CPU a task running without a break would not
//   move schedstat between ticks; the refresh bounds that too.)
// - a process that has not used CPU for IDLE_AFTER_MS (most of a machine's processes, most of the
//   time) is read only once its last reading is IDLE_REREAD_MS old: every other tick at 2 s, every
//   tick from 2.5 s up. That halves the reads of sleepers; the price is that its wake-up, exit or
//   pid reuse is seen up to one tick late, and its first figures after waking cover the ticks
//   since its last reading — derive attributes them to the tick that saw them (CPU-seconds stay
//   whole) within one core per thread;
// - the fd count is read at first sight and then at most every FD_RECOUNT_MS, and only when the
//   process ran since its last count (fds change slowly; counting them was the collector's biggest
//   cost after the stat reads).
// Every decision here is a pure function of a process's Tracked state and the monotonic time.
import type { Tracked } from './tracked';

/** How stale a running process's fd count may get. */
export const FD_RECOUNT_MS = 30_000;
/** How stale stat may get for a single-threaded process whose schedstat did not move. */
export const STAT_REFRESH_MS = 30_000;
/** A process that has not run for this long is read only when its last reading is IDLE_REREAD_MS old. */
export const IDLE_AFTER_MS = 30_000;
export const IDLE_REREAD_MS = 2_500;
/** The longest stretch without listing /proc, even when no pid was handed out. */
export const LIST_EVERY_MS = 10_000;

export interface IdlePolicy {
  afterMs: number;
  rereadMs: number;
}

/** When /proc was last listed: the last pid handed out then, and the monotonic time. */
export interface Listing {
  lastPid: number;
  ms: number;
}

/** /proc must be listed: a pid was handed out since the last listing, or it is LIST_EVERY_MS old. */
export function mustList(lastPid: number, listed: Listing, now: number): boolean {
  return !Number.isInteger(lastPid) || lastPid !== listed.lastPid || now - listed.ms >= LIST_EVERY_MS;
}

/** Long idle and read recently: the last reading stands this tick without a read. */
export function restsIdle(tracked: Tracked, now: number, idle: IdlePolicy): boolean {
  return (
    tracked.last !== null &&
    tracked.settled &&
    now - tracked.ranAt >= idle.afterMs &&
    now - tracked.readAt < idle.rereadMs
  );
}

/** The fd count is stale: the process ran since it was counted FD_RECOUNT_MS ago. */
export function fdsDue(tracked: Tracked, now: number): boolean {
  return tracked.ranSinceFds && now - tracked.fdsAt >= FD_RECOUNT_MS;
}

/** Nothing but the bytes can make last tick's reading wrong: identity settled, no fd count due. */
export function readingMayStand(tracked: Tracked, now: number): boolean {
  return tracked.last !== null && tracked.settled && !fdsDue(tracked, now);
}

/**
 * What schedstat says, given whether its bytes are the same as when stat was last read after them.
 * 'holds': it did not move and nothing else is due, so last tick's reading stands. 'still': it did
 * not move, but stat is due anyway. 'moved' (or 'unknown': nothing to compare with yet): the
 * process may have run.
 */
export type GateVerdict = 'holds' | 'still' | 'moved' | 'unknown';

export function gateVerdict(tracked: Tracked, same: boolean, now: number): GateVerdict {
  if (same && now < tracked.statDueAt && readingMayStand(tracked, now)) return 'holds';
  return same ? 'still' : tracked.gateLength > 0 ? 'moved' : 'unknown';
}

/**
 * Whether io must be read with this stat reading: whenever the process may have run, whatever its
 * CPU ticks say. Without schedstat (several threads) there is no cheaper sign: always.
 */
export function mayHaveRun(verdict: GateVerdict | null): boolean {
  return verdict !== 'still';
}

/** When stat is due again regardless of schedstat; the per-pid offset spreads the refreshes out. */
export function statDueAt(pid: number, now: number): number {
  return now + STAT_REFRESH_MS + (pid % 10) * 1000;
}

/** schedstat is the CPU time of one thread: a gate only for a single-threaded process. */
export function wantsGate(threads: number): boolean {
  return threads === 1;
}

/** io is kept open only when it is read on every reading: no schedstat gate. */
export function wantsIoKept(tracked: Tracked): boolean {
  return tracked.ioFd === null && tracked.gateFd === null && tracked.fd !== null;
}
