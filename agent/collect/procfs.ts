// The Linux collector: reads /proc synchronously, which is the cheapest way measured on a ~570
// process machine (fs.promises costs ~20x more CPU than sync reads). The cost model:
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
// A process that vanishes mid-read is normal and silent. Unreadable fields are null, never 0.
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { bootTimeMs, CLK_TCK, startTimeMs } from './bootTime';
import { containerFromCgroup } from './cgroup';
import type { Collector, RawMachine, RawProcess, RawSnapshot } from './types';

/** comm is cut to 15 bytes (TASK_COMM_LEN - 1). */
const COMM_MAX = 15;
/** How stale a running process's fd count may get. */
export const FD_RECOUNT_MS = 30_000;
/** How stale stat may get for a single-threaded process whose schedstat did not move. */
export const STAT_REFRESH_MS = 30_000;
/** A process that has not run for this long is read only when its last reading is IDLE_REREAD_MS old. */
export const IDLE_AFTER_MS = 30_000;
export const IDLE_REREAD_MS = 2_500;
/** The longest stretch without listing /proc, even when no pid was handed out. */
const LIST_EVERY_MS = 10_000;

interface Tracked {
  pid: number;
  /** Kept-open /proc/[pid]/stat, or null when the kept-fd budget is spent (then opened per read). */
  fd: number | null;
  startTicks: number;
  startTime: number;
  comm: string;
  /** False until identity fields were read on a second tick (see readIdentity). */
  settled: boolean;
  name: string;
  cmdline: string;
  user: string | null;
  container: string | null;
  /** utime + stime at the last reading, clock ticks; -1 before the first. */
  ticks: number;
  readBytes: number | null;
  writeBytes: number | null;
  fds: number | null;
  /** Monotonic time of the last fd count, and whether the process ran since. */
  fdsAt: number;
  ranSinceFds: boolean;
  generation: number;
  /** The stat bytes behind `last`: unchanged bytes mean an unchanged reading. */
  statBytes: Buffer | null;
  statLength: number;
  /** The reading returned last tick; returned again while nothing in it changed. */
  last: RawProcess | null;
  /** Kept-open /proc/[pid]/schedstat of a single-threaded process (see the cost model). */
  gateFd: number | null;
  /** Its bytes when stat was last read after them; length 0: not comparable yet. */
  gateBytes: Buffer | null;
  gateLength: number;
  /** No schedstat for this one (it could not be opened). */
  noGate: boolean;
  /**
   * Kept-open /proc/[pid]/io of a process without schedstat, whose io is read on every reading
   * (a pread costs a quarter of open + read + close).
   */
  ioFd: number | null;
  /** io was refused (another user's process): not tried again for this identity. */
  noIo: boolean;
  /** Monotonic time by which stat must be read again even if schedstat did not move. */
  statDueAt: number;
  /** Monotonic time of the last reading whose CPU time had moved, and of the last reading at all. */
  ranAt: number;
  readAt: number;
}

interface Stat {
  comm: string;
  ppid: number;
  ticks: number;
  threads: number;
  startTicks: number;
  rssPages: number;
}

/** uid → user name from /etc/passwd, re-read at most once a minute when an unknown uid shows up. */
export class UserNames {
  private names = new Map<number, string>();
  private loadedAt = -Infinity;

  constructor(private readonly passwdPath = '/etc/passwd') {}

  name(uid: number): string {
    let name = this.names.get(uid);
    if (name === undefined && performance.now() - this.loadedAt > 60_000) {
      this.load();
      name = this.names.get(uid);
    }
    return name ?? String(uid);
  }

  private load(): void {
    this.loadedAt = performance.now();
    try {
      const names = new Map<number, string>();
      for (const line of readFileSync(this.passwdPath, 'utf8').split('\n')) {
        const [user, , uid] = line.split(':');
        const id = Number(uid);
        if (user && uid !== '' && Number.isInteger(id) && !names.has(id)) names.set(id, user);
      }
      this.names = names;
    } catch {
      // No readable passwd file: uids are shown as numbers.
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

// Field positions counted from the one after comm (field 3, state, is 0), as in proc(5) minus 3.
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const NUM_THREADS = 17;
const STARTTIME = 19;
const RSS = 21;

/** Parses /proc/[pid]/stat straight from bytes: no string split, this runs for every process every tick. */
function parseStat(buffer: Buffer, length: number): Stat | null {
  const open = buffer.indexOf(0x28); // '('
  // comm may hold spaces and parentheses: it ends at the *last* ')'.
  let close = length - 1;
  while (close > open && buffer[close] !== 0x29) close--;
  if (open < 0 || close <= open) return null;
  const numbers = [0, 0, 0, 0, 0, 0];
  let field = 0;
  let value = 0;
  for (let at = close + 2; at < length && field <= RSS; at++) {
    const byte = buffer[at]!;
    if (byte === 0x20) {
      const slot = SLOTS[field];
      if (slot !== undefined) numbers[slot] = value;
      field++;
      value = 0;
    } else if (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + (byte - 0x30);
    }
  }
  if (field <= STARTTIME) return null;
  return {
    comm: buffer.toString('utf8', open + 1, close),
    ppid: numbers[0]!,
    ticks: numbers[1]! + numbers[2]!,
    threads: numbers[3]!,
    startTicks: numbers[4]!,
    rssPages: numbers[5]!,
  };
}

const SLOTS: Record<number, number> = {
  [PPID]: 0,
  [UTIME]: 1,
  [STIME]: 2,
  [NUM_THREADS]: 3,
  [STARTTIME]: 4,
  [RSS]: 5,
};

/** The value after `key` up to the end of its line, e.g. `\nwrite_bytes: `. */
function fieldAfter(text: string, key: string): string | undefined {
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at + key.length);
  return text.slice(at + key.length, end < 0 ? undefined : end).trim();
}

function kib(text: string, key: string): number {
  return Number(fieldAfter(text, key)?.split(' ')[0] ?? 0) * 1024;
}

function readPageSize(): number {
  try {
    const size = Number(
      fieldAfter(readFileSync('/proc/self/smaps', 'latin1').slice(0, 4096), 'KernelPageSize:')?.split(' ')[0],
    );
    return Number.isFinite(size) && size > 0 ? size * 1024 : 4096;
  } catch {
    return 4096;
  }
}

/** Half the soft limit on open files, so the agent keeps room for its store and sockets. */
function keptFdBudget(): number {
  try {
    const soft = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'latin1'))?.[1]);
    return Number.isFinite(soft) ? Math.max(0, Math.floor(soft / 2) - 64) : 256;
  } catch {
    return 256;
  }
}

export class ProcfsCollector implements Collector {
  readonly kind = 'procfs' as const;
  private readonly tracked = new Map<number, Tracked>();
  private readonly buffer = Buffer.allocUnsafe(16 * 1024);
  /** /proc/[pid]/io is seven short lines. */
  private readonly ioBuffer = Buffer.allocUnsafe(1024);
  private readonly users = new UserNames();
  private readonly bootTimeMs: number;
  private readonly pageSize = readPageSize();
  private readonly cores = Math.max(1, os.cpus().length);
  private readonly fdBudget = keptFdBudget();
  private keptFds = 0;
  /** Tracked processes whose stat could not be kept open (fd budget spent): they come first. */
  private unkept = 0;
  private readonly gates = hasSchedstat();
  private readonly gateBuffer = Buffer.allocUnsafe(256);
  private generation = 0;
  /** The last pid handed out (from /proc/loadavg), and its value when /proc was last listed. */
  private lastPid = NaN;
  private listedAt = { lastPid: NaN, ms: -Infinity };
  /** The pids read last tick, in order: re-read as they are when /proc need not be listed. */
  private pids: number[] = [];
  private machineFds: { stat: number; meminfo: number; loadavg: number } | null;
  private readonly idle: { afterMs: number; rereadMs: number };
  /** Readings of a long-idle process skipped so far (for tests and diagnostics). */
  idleSkips = 0;

  constructor(options: { idleAfterMs?: number; idleRereadMs?: number } = {}) {
    this.idle = {
      afterMs: options.idleAfterMs ?? IDLE_AFTER_MS,
      rereadMs: options.idleRereadMs ?? IDLE_REREAD_MS,
    };
    // Once per process, shared with the kill and details checks (see bootTime.ts).
    this.bootTimeMs = bootTimeMs();
    this.machineFds = {
      stat: openSync('/proc/stat', 'r'),
      meminfo: openSync('/proc/meminfo', 'r'),
      loadavg: openSync('/proc/loadavg', 'r'),
    };
  }

  async collect(): Promise<RawSnapshot> {
    return this.collectSync();
  }

  /** The whole reading is synchronous on purpose: see the cost model at the top of this file. */
  collectSync(): RawSnapshot {
    if (!this.machineFds) throw new Error('collector is closed');
    const wallMs = Date.now();
    const monotonicMs = performance.now();
    const machine = this.readMachine(this.machineFds);
    const generation = ++this.generation;
    const processes: RawProcess[] = [];
    const pids: number[] = [];
    const read = (pid: number) => {
      const process = this.readProcess(pid, generation, monotonicMs);
      if (process) {
        processes.push(process);
        pids.push(pid);
      }
    };
    if (this.mustList(monotonicMs)) {
      this.listedAt = { lastPid: this.lastPid, ms: monotonicMs };
      for (const entry of readdirSync('/proc')) {
        const first = entry.charCodeAt(0);
        if (first >= 48 && first <= 57) read(Number(entry));
      }
    } else {
      // No fork since the last listing: no new process; the gone ones fail their read.
      for (const pid of this.pids) read(pid);
    }
    this.pids = pids;
    for (const tracked of this.tracked.values()) {
      if (tracked.generation !== generation) this.forget(tracked);
    }
    return { monotonicMs, wallMs, machine, processes };
  }

  private mustList(now: number): boolean {
    return (
      !Number.isInteger(this.lastPid) ||
      this.lastPid !== this.listedAt.lastPid ||
      now - this.listedAt.ms >= LIST_EVERY_MS
    );
  }

  close(): void {
    for (const tracked of this.tracked.values()) this.forget(tracked);
    if (this.machineFds) {
      for (const fd of Object.values(this.machineFds)) closeSync(fd);
      this.machineFds = null;
    }
  }

  private readProcess(pid: number, generation: number, now: number): RawProcess | null {
    let tracked = this.tracked.get(pid);
    let stat: Stat | null = null;
    /** io was read this tick (see below) and had moved. */
    let ioMoved = false;
    if (tracked) {
      if (this.restsIdle(tracked, now)) {
        tracked.generation = generation;
        this.idleSkips++;
        return tracked.last;
      }
      tracked.readAt = now;
      // Whether it may have run since the last tick: then its io is read whatever its CPU ticks
      // say (a writer blocked in fdatasync runs a few µs a second). Without schedstat (several
      // threads: the leader's schedstat does not see the others) there is no cheaper sign: read.
      let ran = true;
      if (tracked.gateFd !== null) {
        const gate = this.gate(tracked, now);
        if (gate === 'holds') {
          tracked.generation = generation;
          return tracked.last;
        }
        ran = gate !== 'still';
      }
      const length = this.readStatBytes(tracked);
      tracked.statDueAt = now + STAT_REFRESH_MS + (pid % 10) * 1000;
      ioMoved = ran && length > 0 && this.readIo(tracked);
      if (length > 0 && !ioMoved && this.unchanged(tracked, length, now)) {
        tracked.generation = generation;
        return tracked.last;
      }
      stat = length > 0 ? parseStat(this.buffer, length) : null;
      // A failed read of a kept fd means that process is gone — possibly replaced by a new one
      // with the same pid, which a kept fd never shows (it stays bound to the old process).
      if (!stat || stat.startTicks !== tracked.startTicks) {
        this.forget(tracked);
        tracked = undefined;
        stat = null;
      } else {
        this.keepStatBytes(tracked, length);
        if (stat.comm !== tracked.comm || !tracked.settled) this.readIdentity(tracked, stat);
      }
    }
    if (!tracked) {
      tracked = this.track(pid);
      if (!tracked) return null;
      const length = this.readStatBytes(tracked);
      stat = length > 0 ? parseStat(this.buffer, length) : null;
      if (!stat) {
        this.forget(tracked);
        return null;
      }
      this.keepStatBytes(tracked, length);
      this.readIdentity(tracked, stat);
      this.readIo(tracked);
    }
    tracked.generation = generation;
    const current = stat!;
    // Worked since the last tick: CPU or io moved (a process that only woke up does not count).
    if (current.ticks !== tracked.ticks || ioMoved) {
      tracked.ranAt = now;
      tracked.ranSinceFds = true;
      tracked.ticks = current.ticks;
    }
    if (tracked.fdsAt < 0 || this.fdsDue(tracked, now)) this.countFds(tracked, now);
    const reading: RawProcess = {
      pid,
      startTime: tracked.startTime,
      ppid: current.ppid,
      name: tracked.name,
      cmdline: tracked.cmdline,
      user: tracked.user,
      cpuSeconds: current.ticks / CLK_TCK,
      rss: current.rssPages * this.pageSize,
      readBytes: tracked.readBytes,
      writeBytes: tracked.writeBytes,
      threads: current.threads,
      fds: tracked.fds,
      container: tracked.container,
    };
    // Stat bytes also move for fields we do not report (page faults, vsize…): same figures, same object.
    if (!tracked.last || !sameReading(tracked.last, reading)) tracked.last = reading;
    if (current.threads !== 1) this.closeGate(tracked);
    else if (tracked.gateFd === null) {
      this.openGate(tracked);
      if (tracked.gateFd !== null) this.closeIo(tracked);
    }
    return tracked.last;
  }

  /** Long idle and read recently: last reading stands this tick without a read (see the cost model). */
  private restsIdle(tracked: Tracked, now: number): boolean {
    return (
      tracked.last !== null &&
      tracked.settled &&
      now - tracked.ranAt >= this.idle.afterMs &&
      now - tracked.readAt < this.idle.rereadMs
    );
  }

  /**
   * Reads schedstat. 'holds': it did not move since stat was last read and nothing else is due, so
   * last tick's reading stands. 'still': it did not move, but stat is due anyway. 'moved' (or
   * 'unknown': unreadable, or nothing to compare with yet): the process may have run. Unless it
   * holds, its bytes are kept for the next tick's comparison.
   */
  private gate(tracked: Tracked, now: number): 'holds' | 'still' | 'moved' | 'unknown' {
    let length = 0;
    try {
      length = readSync(tracked.gateFd!, this.gateBuffer, 0, this.gateBuffer.length, 0);
    } catch {
      // Gone, or unreadable: stat decides.
    }
    if (length <= 0 || length > tracked.gateBytes!.length) {
      this.closeGate(tracked);
      return 'unknown';
    }
    const comparable = tracked.gateLength > 0;
    const same =
      length === tracked.gateLength &&
      this.gateBuffer.compare(tracked.gateBytes!, 0, length, 0, length) === 0;
    if (
      same &&
      tracked.last !== null &&
      tracked.settled &&
      now < tracked.statDueAt &&
      !this.fdsDue(tracked, now)
    )
      return 'holds';
    this.gateBuffer.copy(tracked.gateBytes!, 0, 0, length);
    tracked.gateLength = length;
    return same ? 'still' : comparable ? 'moved' : 'unknown';
  }

  private openGate(tracked: Tracked): void {
    if (!this.gates || tracked.noGate || tracked.fd === null || this.unkept > 0) return;
    if (this.keptFds >= this.fdBudget) return;
    try {
      tracked.gateFd = openSync(`/proc/${tracked.pid}/schedstat`, 'r');
      this.keptFds++;
      tracked.gateBytes ??= Buffer.allocUnsafe(this.gateBuffer.length);
      // Not comparable until read *before* a stat reading (next tick).
      tracked.gateLength = 0;
    } catch {
      tracked.noGate = true;
    }
  }

  private closeGate(tracked: Tracked): void {
    if (tracked.gateFd === null) return;
    try {
      closeSync(tracked.gateFd);
    } catch {
      // closing a /proc file cannot fail in a way that matters
    }
    this.keptFds--;
    tracked.gateFd = null;
    tracked.gateLength = 0;
  }

  /** Same stat bytes as last tick, identity settled and no fd count due: the last reading stands. */
  private unchanged(tracked: Tracked, length: number, now: number): boolean {
    return (
      tracked.last !== null &&
      tracked.settled &&
      length === tracked.statLength &&
      tracked.statBytes !== null &&
      this.buffer.compare(tracked.statBytes, 0, length, 0, length) === 0 &&
      !this.fdsDue(tracked, now)
    );
  }

  private fdsDue(tracked: Tracked, now: number): boolean {
    return tracked.ranSinceFds && now - tracked.fdsAt >= FD_RECOUNT_MS;
  }

  private keepStatBytes(tracked: Tracked, length: number): void {
    if (!tracked.statBytes || tracked.statBytes.length < length) {
      tracked.statBytes = Buffer.allocUnsafe(Math.max(length + 64, 384));
    }
    this.buffer.copy(tracked.statBytes, 0, 0, length);
    tracked.statLength = length;
  }

  private track(pid: number): Tracked | undefined {
    let fd: number | null = null;
    if (this.keptFds < this.fdBudget) {
      try {
        fd = openSync(`/proc/${pid}/stat`, 'r');
        this.keptFds++;
      } catch (error) {
        if (isMissing(error)) return undefined;
      }
    }
    if (fd === null) this.unkept++;
    const tracked: Tracked = {
      pid,
      fd,
      startTicks: -1,
      startTime: 0,
      comm: '',
      settled: false,
      name: '',
      cmdline: '',
      user: null,
      container: null,
      ticks: -1,
      readBytes: null,
      writeBytes: null,
      fds: null,
      fdsAt: -1,
      ranSinceFds: false,
      generation: 0,
      statBytes: null,
      statLength: 0,
      last: null,
      gateFd: null,
      gateBytes: null,
      gateLength: 0,
      noGate: false,
      ioFd: null,
      noIo: false,
      statDueAt: 0,
      ranAt: -Infinity,
      readAt: -Infinity,
    };
    this.tracked.set(pid, tracked);
    return tracked;
  }

  private forget(tracked: Tracked): void {
    this.closeGate(tracked);
    this.closeIo(tracked);
    if (tracked.fd !== null) {
      closeSync(tracked.fd);
      this.keptFds--;
      tracked.fd = null;
    } else if (this.tracked.get(tracked.pid) === tracked) {
      this.unkept--;
    }
    if (this.tracked.get(tracked.pid) === tracked) this.tracked.delete(tracked.pid);
  }

  /** Reads /proc/[pid]/stat into the shared buffer; its length, or 0 when it cannot be read. */
  private readStatBytes(tracked: Tracked): number {
    try {
      return tracked.fd === null ? this.readWhole(`/proc/${tracked.pid}/stat`) : this.readInto(tracked.fd);
    } catch {
      return 0;
    }
  }

  /**
   * Name, command line and user: read on first sight, once more on the next tick (a child caught
   * between fork and exec still shows its parent's command line), and again whenever comm changes
   * (exec keeps the identity but runs a new program).
   */
  private readIdentity(tracked: Tracked, stat: Stat): void {
    const pid = tracked.pid;
    tracked.settled = tracked.startTicks >= 0;
    if (tracked.startTicks < 0) {
      tracked.startTicks = stat.startTicks;
      tracked.startTime = startTimeMs(stat.startTicks, this.bootTimeMs);
      tracked.container = this.readOptional(`/proc/${pid}/cgroup`, containerFromCgroup);
    }
    tracked.comm = stat.comm;
    tracked.cmdline =
      this.readOptional(`/proc/${pid}/cmdline`, (text) =>
        text.replace(/\0+$/, '').replace(/\0/g, ' ').trimEnd(),
      ) ?? '';
    tracked.name = nameOf(stat.comm, tracked.cmdline);
    tracked.user = this.readOptional(`/proc/${pid}/status`, (text) => {
      // Uid: real, effective, saved, fs — the effective uid is what ps and permissions use.
      const effective = Number(fieldAfter(text, '\nUid:')?.split(/\s+/)[1]);
      return Number.isInteger(effective) ? this.users.name(effective) : null;
    });
  }

  /** Reads /proc/[pid]/io; true when read_bytes or write_bytes moved. */
  private readIo(tracked: Tracked): boolean {
    if (tracked.noIo) return false;
    const before = { read: tracked.readBytes, write: tracked.writeBytes };
    const path = `/proc/${tracked.pid}/io`;
    try {
      // Kept open only without schedstat (read every tick then), and within the fd budget after
      // every stat (unkept ones come first, as for schedstat).
      if (
        tracked.ioFd === null &&
        tracked.gateFd === null &&
        tracked.fd !== null &&
        this.unkept === 0 &&
        this.keptFds < this.fdBudget
      ) {
        tracked.ioFd = openSync(path, 'r');
        this.keptFds++;
      }
      // Its own buffer: the stat bytes in the shared one are still to be compared and parsed.
      const length =
        tracked.ioFd === null
          ? this.readWhole(path, this.ioBuffer)
          : readSync(tracked.ioFd, this.ioBuffer, 0, this.ioBuffer.length, 0);
      const text = this.ioBuffer.toString('latin1', 0, length);
      const read = Number(fieldAfter(text, '\nread_bytes: '));
      const write = Number(fieldAfter(text, '\nwrite_bytes: '));
      tracked.readBytes = Number.isFinite(read) ? read : null;
      tracked.writeBytes = Number.isFinite(write) ? write : null;
    } catch (error) {
      // EACCES (another user's process: it stays so) or gone mid-read: unknown.
      if ((error as NodeJS.ErrnoException).code === 'EACCES') tracked.noIo = true;
      tracked.readBytes = null;
      tracked.writeBytes = null;
    }
    return tracked.readBytes !== before.read || tracked.writeBytes !== before.write;
  }

  private closeIo(tracked: Tracked): void {
    if (tracked.ioFd === null) return;
    try {
      closeSync(tracked.ioFd);
    } catch {
      // closing a /proc file cannot fail in a way that matters
    }
    this.keptFds--;
    tracked.ioFd = null;
  }

  private countFds(tracked: Tracked, now: number): void {
    tracked.fdsAt = now;
    tracked.ranSinceFds = false;
    try {
      // Listing, not stat(): since Linux 6.2 the directory's size is the count, but stat() shows it
      // for processes whose fds we may not read, and an unreadable field must stay null.
      tracked.fds = readdirSync(`/proc/${tracked.pid}/fd`).length;
    } catch {
      tracked.fds = null;
    }
  }

  private readOptional<T>(path: string, parse: (text: string) => T | null): T | null {
    try {
      return parse(readFileSync(path, 'utf8'));
    } catch {
      return null;
    }
  }

  private readMachine(fds: { stat: number; meminfo: number; loadavg: number }): RawMachine {
    const stat = this.buffer.toString('latin1', 0, this.readInto(fds.stat));
    // cpu user nice system idle iowait irq softirq steal guest guest_nice — guest time is
    // already counted in user and nice, so only the first eight add up to the total.
    const ticks = stat.slice(4, stat.indexOf('\n')).trim().split(/\s+/).slice(0, 8).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);

    const meminfo = this.buffer.toString('latin1', 0, this.readInto(fds.meminfo));
    const memTotal = kib(meminfo, 'MemTotal:');
    const swapTotal = kib(meminfo, '\nSwapTotal:');

    // "0.52 0.58 0.59 2/1234 56789": three load averages, runnable/total tasks, the last pid handed out.
    const load = this.buffer.toString('latin1', 0, this.readInto(fds.loadavg)).split(' ').map(Number);
    this.lastPid = load[4] ?? NaN;
    return {
      cpuTotalMs: (total * 1000) / CLK_TCK,
      cpuIdleMs: (idle * 1000) / CLK_TCK,
      cores: this.cores,
      memTotal,
      memUsed: memTotal - kib(meminfo, '\nMemAvailable:'),
      swapTotal,
      swapUsed: swapTotal - kib(meminfo, '\nSwapFree:'),
      load: [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0],
    };
  }

  /** Re-reads a kept-open /proc file from its start into the shared buffer. */
  private readInto(fd: number): number {
    return readSync(fd, this.buffer, 0, this.buffer.length, 0);
  }

  private readWhole(path: string, buffer = this.buffer): number {
    const fd = openSync(path, 'r');
    try {
      return readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  }
}

/** Whether this kernel has /proc/[pid]/schedstat (CONFIG_SCHED_INFO). */
function hasSchedstat(): boolean {
  try {
    readFileSync('/proc/self/schedstat');
    return true;
  } catch {
    return false;
  }
}

function sameReading(a: RawProcess, b: RawProcess): boolean {
  return (
    a.cpuSeconds === b.cpuSeconds &&
    a.rss === b.rss &&
    a.threads === b.threads &&
    a.fds === b.fds &&
    a.readBytes === b.readBytes &&
    a.writeBytes === b.writeBytes &&
    a.ppid === b.ppid &&
    a.name === b.name &&
    a.cmdline === b.cmdline &&
    a.user === b.user &&
    a.container === b.container &&
    a.startTime === b.startTime
  );
}

/** comm, unless it was cut to 15 bytes and argv[0] holds the whole name. */
function nameOf(comm: string, cmdline: string): string {
  if (Buffer.byteLength(comm) < COMM_MAX || !cmdline) return comm;
  const argv0 = cmdline.split(' ', 1)[0]!;
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.startsWith(comm) ? base : comm;
}
