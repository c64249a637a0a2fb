// Parsers of /proc files: bytes or text in, figures out; no I/O, no state, so each is tested on
// fixtures (test/fixtures/proc/) and the collector, the kill and details identity checks and the
// boot time all read a file the same way. Layouts as in proc(5).

/** comm is cut to 15 bytes (TASK_COMM_LEN - 1). */
export const COMM_MAX = 15;

/** What the collector and the identity checks use from /proc/[pid]/stat. */
export interface ProcStat {
  comm: string;
  /** Field 3: R, S, D, Z, T, I… */
  state: string;
  ppid: number;
  /** utime + stime, clock ticks. */
  ticks: number;
  /** stime alone (kernel mode), clock ticks: /metrics reports CPU by mode. */
  systemTicks: number;
  threads: number;
  /** Clock ticks after boot: with the pid, the process's identity. */
  startTicks: number;
  rssPages: number;
}

// Field positions counted from the one after comm (field 3, state, is 0), as in proc(5) minus 3.
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const NUM_THREADS = 17;
const STARTTIME = 19;
const RSS = 21;

const SLOTS: Record<number, number> = {
  [PPID]: 0,
  [UTIME]: 1,
  [STIME]: 2,
  [NUM_THREADS]: 3,
  [STARTTIME]: 4,
  [RSS]: 5,
};

/**
 * Parses /proc/[pid]/stat straight from bytes: no string split, this runs for every process whose
 * stat moved, every tick. Null when the bytes are not a whole stat line.
 */
export function parseStat(buffer: Buffer, length = buffer.length): ProcStat | null {
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
    state: String.fromCharCode(buffer[close + 2]!),
    ppid: numbers[0]!,
    ticks: numbers[1]! + numbers[2]!,
    systemTicks: numbers[2]!,
    threads: numbers[3]!,
    startTicks: numbers[4]!,
    rssPages: numbers[5]!,
  };
}

/** The same parser for stat text read as latin1 (one char per byte, so the bytes come back whole). */
export function parseStatText(text: string): ProcStat | null {
  return parseStat(Buffer.from(text, 'latin1'));
}

/** /proc/[pid]/cmdline: NUL-separated argv as one line; '' for kernel threads and zombies. */
export function parseCmdline(text: string): string {
  return text.replace(/\0+$/, '').replace(/\0/g, ' ').trimEnd();
}

/** comm, unless it was cut to 15 bytes and argv[0] holds the whole name. */
export function nameOf(comm: string, cmdline: string): string {
  if (Buffer.byteLength(comm) < COMM_MAX || !cmdline) return comm;
  const argv0 = cmdline.split(' ', 1)[0]!;
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.startsWith(comm) ? base : comm;
}

/** The effective uid from /proc/[pid]/status (`Uid: real effective saved fs`), what ps and permissions use. */
export function effectiveUid(status: string): number | null {
  const effective = Number(fieldAfter(status, '\nUid:')?.split(/\s+/)[1]);
  return Number.isInteger(effective) ? effective : null;
}

/** read_bytes and write_bytes of /proc/[pid]/io; null for one that is missing or not a number. */
export function parseIo(text: string): { readBytes: number | null; writeBytes: number | null } {
  const read = Number(fieldAfter(text, '\nread_bytes: '));
  const write = Number(fieldAfter(text, '\nwrite_bytes: '));
  return {
    readBytes: Number.isFinite(read) ? read : null,
    writeBytes: Number.isFinite(write) ? write : null,
  };
}

/** The machine's CPU time from /proc/stat's first line, clock ticks. */
export function parseCpuTicks(stat: string): { total: number; idle: number } {
  // cpu user nice system idle iowait irq softirq steal guest guest_nice — guest time is
  // already counted in user and nice, so only the first eight add up to the total.
  const ticks = stat.slice(4, stat.indexOf('\n')).trim().split(/\s+/).slice(0, 8).map(Number);
  return {
    total: ticks.reduce((sum, value) => sum + value, 0),
    idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
  };
}

/** Boot time in ms since the epoch from /proc/stat's btime line (whole seconds); null without one. */
export function parseBootTime(stat: string): number | null {
  const btime = /\nbtime (\d+)/.exec(stat)?.[1];
  return btime === undefined ? null : Number(btime) * 1000;
}

/** Memory and swap from /proc/meminfo, bytes; "used" is what is not available. */
export function parseMeminfo(meminfo: string): {
  memTotal: number;
  memUsed: number;
  swapTotal: number;
  swapUsed: number;
} {
  const memTotal = kib(meminfo, 'MemTotal:');
  const swapTotal = kib(meminfo, '\nSwapTotal:');
  return {
    memTotal,
    memUsed: memTotal - kib(meminfo, '\nMemAvailable:'),
    swapTotal,
    swapUsed: swapTotal - kib(meminfo, '\nSwapFree:'),
  };
}

/** "0.52 0.58 0.59 2/1234 56789": three load averages, runnable/total tasks, the last pid handed out. */
export function parseLoadavg(text: string): { load: [number, number, number]; lastPid: number } {
  const fields = text.split(' ').map(Number);
  return { load: [fields[0] ?? 0, fields[1] ?? 0, fields[2] ?? 0], lastPid: fields[4] ?? NaN };
}

/** The kernel's page size from the start of /proc/self/smaps (KernelPageSize), else 4 KiB. */
export function parsePageSize(smaps: string): number {
  const size = Number(fieldAfter(smaps.slice(0, 4096), 'KernelPageSize:')?.split(' ')[0]);
  return Number.isFinite(size) && size > 0 ? size * 1024 : 4096;
}

/** The soft limit on open files from /proc/self/limits; null when absent. */
export function parseOpenFilesLimit(limits: string): number | null {
  const soft = Number(/Max open files\s+(\d+)/.exec(limits)?.[1]);
  return Number.isFinite(soft) ? soft : null;
}

/** uid → user name from /etc/passwd text; the first line for a uid wins, as getpwuid does. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [user, , uid] = line.split(':');
    const id = Number(uid);
    if (user && uid !== '' && Number.isInteger(id) && !names.has(id)) names.set(id, user);
  }
  return names;
}

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
