// The Linux collector: reads a proc root synchronously, which is the cheapest way measured on a
// ~570 process machine (fs.promises costs ~20x more CPU than sync reads). What it reads when is
// schedule.ts (with the cost model); how bytes become figures is parse.ts; the descriptors it keeps
// open are files.ts; the machine's totals machine.ts. This file wires them: per process, which
// files to keep open, read, compare and hand to the parsers.
// A process that vanishes mid-read is normal and silent. Unreadable fields are null, never 0.
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { bootTimeMs, CLK_TCK, startTimeMs } from '../bootTime';
import { containerFromCgroup } from '../cgroup';
import type { Collector, RawMachine, RawProcess, RawSnapshot } from '../types';
import { isMissing, PROC_ROOT, ProcFiles } from './files';
import { MachineFiles } from './machine';
import {
  effectiveUid,
  nameOf,
  parseCmdline,
  parseIo,
  parsePageSize,
  parseStat,
  type ProcStat,
} from './parse';
import {
  gateVerdict,
  IDLE_AFTER_MS,
  IDLE_REREAD_MS,
  type GateVerdict,
  type IdlePolicy,
  type Listing,
  fdsDue,
  mayHaveRun,
  mustList,
  readingMayStand,
  restsIdle,
  statDueAt,
  wantsGate,
  wantsIoKept,
} from './schedule';
import { newTracked, sameReading, type Tracked } from './tracked';
import { UserNames } from './users';

export interface ProcfsOptions {
  /** Where proc is mounted: '/proc', a host's /proc mounted elsewhere, or a fixture tree. */
  procRoot?: string;
  /** uid → name source. */
  passwdPath?: string;
  idleAfterMs?: number;
  idleRereadMs?: number;
}

export class ProcfsCollector implements Collector {
  readonly kind = 'procfs' as const;
  private readonly tracked = new Map<number, Tracked>();
  private readonly buffer = Buffer.allocUnsafe(16 * 1024);
  /** /proc/[pid]/io is seven short lines. */
  private readonly ioBuffer = Buffer.allocUnsafe(1024);
  private readonly files: ProcFiles;
  private readonly users: UserNames;
  private readonly bootTimeMs: number;
  private readonly pageSize: number;
  /** Whether this kernel has /proc/[pid]/schedstat (CONFIG_SCHED_INFO). */
  private readonly gates: boolean;
  private readonly gateBuffer = Buffer.allocUnsafe(256);
  private readonly machine: MachineFiles;
  private generation = 0;
  /** The last pid handed out (from loadavg), and its value when the proc root was last listed. */
  private lastPid = NaN;
  private listedAt: Listing = { lastPid: NaN, ms: -Infinity };
  /** The pids read last tick, in order: re-read as they are when /proc need not be listed. */
  private pids: number[] = [];
  private readonly idle: IdlePolicy;
  /** Readings of a long-idle process skipped so far (for tests and diagnostics). */
  idleSkips = 0;

  constructor(options: ProcfsOptions = {}) {
    const root = options.procRoot ?? PROC_ROOT;
    this.idle = {
      afterMs: options.idleAfterMs ?? IDLE_AFTER_MS,
      rereadMs: options.idleRereadMs ?? IDLE_REREAD_MS,
    };
    this.files = new ProcFiles(root);
    this.users = new UserNames(options.passwdPath);
    this.pageSize = parsePageSize(this.files.readText('self/smaps', 'latin1') ?? '');
    this.gates = this.files.readText('self/schedstat', 'latin1') !== null;
    // Once per process and root, shared with the kill and details checks (see bootTime.ts).
    this.bootTimeMs = bootTimeMs(root);
    this.machine = new MachineFiles(this.files);
  }

  async collect(): Promise<RawSnapshot> {
    return this.collectSync();
  }

  /** The whole reading is synchronous on purpose: see the top of this file. */
  collectSync(): RawSnapshot {
    if (this.machine.closed) throw new Error('collector is closed');
    const wallMs = Date.now();
    const monotonicMs = performance.now();
    const machine: RawMachine = this.readMachine();
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
    if (mustList(this.lastPid, this.listedAt, monotonicMs)) {
      this.listedAt = { lastPid: this.lastPid, ms: monotonicMs };
      for (const entry of readdirSync(this.files.root)) {
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

  close(): void {
    for (const tracked of this.tracked.values()) this.forget(tracked);
    this.machine.close();
  }

  private readMachine(): RawMachine {
    const { machine, lastPid } = this.machine.read(this.buffer);
    this.lastPid = lastPid;
    return machine;
  }

  private readProcess(pid: number, generation: number, now: number): RawProcess | null {
    let tracked = this.tracked.get(pid);
    let stat: ProcStat | null = null;
    /** io was read this tick (see below) and had moved. */
    let ioMoved = false;
    if (tracked) {
      if (restsIdle(tracked, now, this.idle)) {
        tracked.generation = generation;
        this.idleSkips++;
        return tracked.last;
      }
      tracked.readAt = now;
      let verdict: GateVerdict | null = null;
      if (tracked.gateFd !== null) {
        verdict = this.gate(tracked, now);
        if (verdict === 'holds') {
          tracked.generation = generation;
          return tracked.last;
        }
      }
      const length = this.readStatBytes(tracked);
      tracked.statDueAt = statDueAt(pid, now);
      ioMoved = mayHaveRun(verdict) && length > 0 && this.readIo(tracked);
      if (length > 0 && !ioMoved && readingMayStand(tracked, now) && this.sameStatBytes(tracked, length)) {
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
    if (tracked.fdsAt < 0 || fdsDue(tracked, now)) this.countFds(tracked, now);
    const reading: RawProcess = {
      pid,
      startTime: tracked.startTime,
      ppid: current.ppid,
      name: tracked.name,
      cmdline: tracked.cmdline,
      user: tracked.user,
      cpuSeconds: current.ticks / CLK_TCK,
      systemSeconds: current.systemTicks / CLK_TCK,
      rss: current.rssPages * this.pageSize,
      readBytes: tracked.readBytes,
      writeBytes: tracked.writeBytes,
      threads: current.threads,
      fds: tracked.fds,
      container: tracked.container,
    };
    if (!tracked.last || !sameReading(tracked.last, reading)) tracked.last = reading;
    if (!wantsGate(current.threads)) this.closeGate(tracked);
    else if (tracked.gateFd === null) {
      this.openGate(tracked);
      if (tracked.gateFd !== null) this.closeIo(tracked);
    }
    return tracked.last;
  }

  /**
   * Reads schedstat and judges it (schedule.ts); unless it holds, its bytes are kept for the next
   * tick's comparison. Unreadable (gone): 'unknown', and stat decides.
   */
  private gate(tracked: Tracked, now: number): GateVerdict {
    let length = 0;
    try {
      length = ProcFiles.pread(tracked.gateFd!, this.gateBuffer);
    } catch {
      // Gone, or unreadable: stat decides.
    }
    if (length <= 0 || length > tracked.gateBytes!.length) {
      this.closeGate(tracked);
      return 'unknown';
    }
    const same =
      length === tracked.gateLength &&
      this.gateBuffer.compare(tracked.gateBytes!, 0, length, 0, length) === 0;
    const verdict = gateVerdict(tracked, same, now);
    if (verdict !== 'holds') {
      this.gateBuffer.copy(tracked.gateBytes!, 0, 0, length);
      tracked.gateLength = length;
    }
    return verdict;
  }

  private openGate(tracked: Tracked): void {
    if (!this.gates || tracked.noGate || tracked.fd === null || !this.files.canKeepMore()) return;
    try {
      tracked.gateFd = this.files.keep(this.files.of(`${tracked.pid}/schedstat`));
      tracked.gateBytes ??= Buffer.allocUnsafe(this.gateBuffer.length);
      // Not comparable until read *before* a stat reading (next tick).
      tracked.gateLength = 0;
    } catch {
      tracked.noGate = true;
    }
  }

  private closeGate(tracked: Tracked): void {
    if (tracked.gateFd === null) return;
    this.files.release(tracked.gateFd);
    tracked.gateFd = null;
    tracked.gateLength = 0;
  }

  /** The shared buffer holds the same stat bytes as the last reading. */
  private sameStatBytes(tracked: Tracked, length: number): boolean {
    return (
      length === tracked.statLength &&
      tracked.statBytes !== null &&
      this.buffer.compare(tracked.statBytes, 0, length, 0, length) === 0
    );
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
    if (this.files.canKeep()) {
      try {
        fd = this.files.keep(this.files.of(`${pid}/stat`));
      } catch (error) {
        if (isMissing(error)) return undefined;
      }
    }
    if (fd === null) this.files.unkept++;
    const tracked = newTracked(pid, fd);
    this.tracked.set(pid, tracked);
    return tracked;
  }

  private forget(tracked: Tracked): void {
    this.closeGate(tracked);
    this.closeIo(tracked);
    if (tracked.fd !== null) {
      this.files.release(tracked.fd);
      tracked.fd = null;
    } else if (this.tracked.get(tracked.pid) === tracked) {
      this.files.unkept--;
    }
    if (this.tracked.get(tracked.pid) === tracked) this.tracked.delete(tracked.pid);
  }

  /** Reads /proc/[pid]/stat into the shared buffer; its length, or 0 when it cannot be read. */
  private readStatBytes(tracked: Tracked): number {
    try {
      return tracked.fd === null
        ? ProcFiles.readWhole(this.files.of(`${tracked.pid}/stat`), this.buffer)
        : ProcFiles.pread(tracked.fd, this.buffer);
    } catch {
      return 0;
    }
  }

  /**
   * Name, command line and user: read on first sight, once more on the next tick (a child caught
   * between fork and exec still shows its parent's command line), and again whenever comm changes
   * (exec keeps the identity but runs a new program).
   */
  private readIdentity(tracked: Tracked, stat: ProcStat): void {
    const pid = tracked.pid;
    tracked.settled = tracked.startTicks >= 0;
    if (tracked.startTicks < 0) {
      tracked.startTicks = stat.startTicks;
      tracked.startTime = startTimeMs(stat.startTicks, this.bootTimeMs);
      const cgroup = this.files.readText(`${pid}/cgroup`);
      tracked.container = cgroup === null ? null : containerFromCgroup(cgroup);
    }
    tracked.comm = stat.comm;
    tracked.cmdline = parseCmdline(this.files.readText(`${pid}/cmdline`) ?? '');
    tracked.name = nameOf(stat.comm, tracked.cmdline);
    const status = this.files.readText(`${pid}/status`);
    const uid = status === null ? null : effectiveUid(status);
    tracked.user = uid === null ? null : this.users.name(uid);
  }

  /** Reads /proc/[pid]/io; true when read_bytes or write_bytes moved. */
  private readIo(tracked: Tracked): boolean {
    if (tracked.noIo) return false;
    const before = { read: tracked.readBytes, write: tracked.writeBytes };
    const path = this.files.of(`${tracked.pid}/io`);
    try {
      // Kept open only without schedstat (read every tick then), and within the fd budget after
      // every stat (unkept ones come first, as for schedstat).
      if (wantsIoKept(tracked) && this.files.canKeepMore()) tracked.ioFd = this.files.keep(path);
      // Its own buffer: the stat bytes in the shared one are still to be compared and parsed.
      const length =
        tracked.ioFd === null
          ? ProcFiles.readWhole(path, this.ioBuffer)
          : ProcFiles.pread(tracked.ioFd, this.ioBuffer);
      const io = parseIo(this.ioBuffer.toString('latin1', 0, length));
      tracked.readBytes = io.readBytes;
      tracked.writeBytes = io.writeBytes;
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
    this.files.release(tracked.ioFd);
    tracked.ioFd = null;
  }

  private countFds(tracked: Tracked, now: number): void {
    tracked.fdsAt = now;
    tracked.ranSinceFds = false;
    try {
      // Listing, not stat(): since Linux 6.2 the directory's size is the count, but stat() shows it
      // for processes whose fds we may not read, and an unreadable field must stay null.
      tracked.fds = readdirSync(this.files.of(`${tracked.pid}/fd`)).length;
    } catch {
      tracked.fds = null;
    }
  }
}
