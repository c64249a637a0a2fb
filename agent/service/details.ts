// One running process's details, read from /proc on demand: argv, open files, network connections,
// threads, cgroup/container and — only when asked — its environment with secrets redacted.
// Unreadable parts (another user's process) are null: unknown, never empty.
import { readFile, readdir, readlink } from 'node:fs/promises';
import type { ProcessIdentity } from '../../shared/model';
import type { NetworkConnection, OpenFile, ProcessDetails, ThreadInfo } from '../../shared/protocol';
import { containerFromCgroup } from '../collect/cgroup';
import { PROC_ROOT } from '../collect/procfs/files';
import { parseStatText } from '../collect/procfs/parse';
import { currentStartTime } from './procStat';

/** Each list is cut here: a process with 100,000 fds must not make a 50 MB answer. */
export const DETAILS_LIST_LIMIT = 2000;

/** Names whose values are replaced by `<redacted>`, matched anywhere in the name, any case. */
export const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i;
export const REDACTED = '<redacted>';

export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
}

export function redactEnvironment(environ: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of environ.split('\0')) {
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? '' : entry.slice(eq + 1);
    result[name] = SECRET_NAME.test(name) ? REDACTED : value;
  }
  return result;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};

/** `0100007F:1F90` → `127.0.0.1:8080`; IPv6 as four little-endian 32-bit words → `[::1]:8080`. */
export function decodeSocketAddress(hex: string): string {
  const [address = '', portHex = '0'] = hex.split(':');
  const port = parseInt(portHex, 16);
  if (address.length === 8) {
    const bytes = Buffer.from(address, 'hex').reverse();
    return `${[...bytes].join('.')}:${port}`;
  }
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const bytes = Buffer.from(address.slice(i, i + 8), 'hex').reverse();
    words.push(bytes.toString('hex'));
  }
  const groups = words
    .join('')
    .match(/.{4}/g)!
    .map((group) => parseInt(group, 16).toString(16));
  return `[${compressIpv6(groups)}]:${port}`;
}

/** RFC 5952: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

type SocketEntry = Omit<NetworkConnection, 'fd'>;

/** Parses /proc/net/{tcp,tcp6,udp,udp6} text into socket inode → connection. */
export function parseNetTable(
  text: string,
  protocol: NetworkConnection['protocol'],
  into: Map<string, SocketEntry>,
): void {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10) continue;
    const stateHex = f[3]!.toUpperCase();
    const state = protocol.startsWith('tcp')
      ? (TCP_STATES[stateHex] ?? stateHex)
      : stateHex === '01'
        ? 'ESTABLISHED'
        : 'UNCONN';
    into.set(f[9]!, {
      protocol,
      local: decodeSocketAddress(f[1]!),
      remote: decodeSocketAddress(f[2]!),
      state,
    });
  }
}

async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** `dir` is the process's folder under the proc root, e.g. /proc/42. */
async function readOpenFiles(dir: string): Promise<OpenFile[]> {
  const names = (await readdir(`${dir}/fd`))
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, DETAILS_LIST_LIMIT);
  const files = await Promise.all(
    names.map(async (fd) => {
      const target = await optional(() => readlink(`${dir}/fd/${fd}`));
      return target === null ? null : { fd, target };
    }),
  );
  return files.filter((file): file is OpenFile => file !== null);
}

async function readConnections(dir: string, files: OpenFile[]): Promise<NetworkConnection[]> {
  const sockets = new Map<string, number>();
  for (const file of files) {
    const inode = /^socket:\[(\d+)\]$/.exec(file.target)?.[1];
    if (inode) sockets.set(inode, file.fd);
  }
  if (sockets.size === 0) return [];
  const table = new Map<string, SocketEntry>();
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    // The process's own network namespace: a container's sockets are not in the host's table.
    const text = await optional(() => readFile(`${dir}/net/${protocol}`, 'latin1'));
    if (text) parseNetTable(text, protocol, table);
  }
  const connections: NetworkConnection[] = [];
  for (const [inode, fd] of sockets) {
    const entry = table.get(inode);
    if (entry) connections.push({ ...entry, fd });
  }
  return connections;
}

async function readThreads(dir: string): Promise<ThreadInfo[]> {
  const tids = (await readdir(`${dir}/task`))
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, DETAILS_LIST_LIMIT);
  const threads = await Promise.all(
    tids.map(async (tid) => {
      const text = await optional(() => readFile(`${dir}/task/${tid}/stat`, 'latin1'));
      const stat = text === null ? null : parseStatText(text);
      return stat === null ? null : { tid, name: stat.comm, state: stat.state };
    }),
  );
  return threads.filter((thread): thread is ThreadInfo => thread !== null);
}

/**
 * Reads the details of `identity`. Throws ProcessGoneError when the pid is gone or now belongs to
 * another process; the identity is checked before reading and again after, so a pid reused while
 * reading never mixes two processes' details.
 */
export async function readProcessDetails(
  identity: ProcessIdentity,
  options: { includeEnvironment: boolean; procRoot?: string },
): Promise<ProcessDetails> {
  const { pid } = identity;
  const root = options.procRoot ?? PROC_ROOT;
  const dir = `${root}/${pid}`;
  const check = async () => {
    const now = await currentStartTime(pid, root);
    if (now === null) throw new ProcessGoneError(`process ${pid} has exited`);
    // Exact, as in kill.ts: the same derivation on both sides.
    if (now !== identity.startTime) throw new ProcessGoneError(`pid ${pid} now belongs to another process`);
  };
  await check();
  const stat = parseStatText(await readFile(`${dir}/stat`, 'latin1'));
  const argvText = await optional(() => readFile(`${dir}/cmdline`, 'utf8'));
  const openFiles = await optional(() => readOpenFiles(dir));
  const [exe, cwd, connections, threads, cgroup] = await Promise.all([
    optional(() => readlink(`${dir}/exe`)),
    optional(() => readlink(`${dir}/cwd`)),
    openFiles === null ? Promise.resolve(null) : optional(() => readConnections(dir, openFiles)),
    optional(() => readThreads(dir)),
    optional(() => readFile(`${dir}/cgroup`, 'utf8')),
  ]);
  const details: ProcessDetails = {
    identity,
    name: stat?.comm ?? '',
    argv: argvText ? argvText.replace(/\0+$/, '').split('\0') : [],
    exe,
    cwd,
    openFiles,
    connections,
    threads,
    cgroup: cgroup === null ? null : cgroup.trim(),
    container: cgroup === null ? null : containerFromCgroup(cgroup),
  };
  if (options.includeEnvironment) {
    const environ = await optional(() => readFile(`${dir}/environ`, 'utf8'));
    details.environment = environ === null ? null : redactEnvironment(environ);
  }
  const longest = Math.max(openFiles?.length ?? 0, threads?.length ?? 0);
  if (longest >= DETAILS_LIST_LIMIT) details.truncatedAt = DETAILS_LIST_LIMIT;
  await check();
  return details;
}
