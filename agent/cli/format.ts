// Human-readable tables for the terminal. Anything from a process is printed as data: control
// characters are escaped so a process name cannot move the cursor or recolour the terminal.
import { type CliLang } from './i18n';
import { statusStrings } from './i18n/status';
import { formatBytes, formatDuration, formatRate } from '../../shared/duration';
import {
  EXPORT_FORMATS,
  SORT_KEYS,
  type AtResult,
  type MachineSample,
  type ProcessRow,
  type StatsResult,
} from '../../shared/model';
import { formatSum, PARTIAL_NOTE } from '../../shared/partial';
import type { AgentStatus } from '../../shared/protocol';
import { formatLocalTime } from '../../shared/time';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function safeText(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const pct = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}`);

/**
 * The machine's CPU is a share of all its cores (0–100 %); a process's is a share of one core (a
 * process busy on two cores reads 200 %), as in top(1). The labels say which is which.
 */
export function machineLine(machine: MachineSample): string {
  const load = [machine.load1, machine.load5, machine.load15].map((l) => l.toFixed(2)).join(' ');
  return (
    `Machine CPU ${pct(machine.cpu)}% of ${machine.cores} cores · Mem ${formatBytes(machine.memUsed)}/${formatBytes(machine.memTotal)}` +
    ` · Swap ${formatBytes(machine.swapUsed)}/${formatBytes(machine.swapTotal)} · load ${load}` +
    ` · ${machine.processCount} processes`
  );
}

/** Containers' ids are 64 hex digits; 12 tell them apart, as docker's own short ids do. */
const CONTAINER_WIDTH = 12;

/** A CONTAINER column appears only when a row runs in one (on a host-only machine it is noise). */
export function processTable(rows: ProcessRow[], commandWidth = 60): string {
  const containers = rows.some((r) => r.container !== null);
  return table(
    [
      'PID',
      'NAME',
      'CPU%/CORE',
      'MEM',
      'READ',
      'WRITE',
      'CATEGORY',
      'USER',
      ...(containers ? ['CONTAINER'] : []),
      'COMMAND',
    ],
    rows.map((r) => [
      String(r.pid),
      clip(safeText(r.name), 20),
      pct(r.cpu),
      formatBytes(r.rss),
      formatRate(r.readBps),
      formatRate(r.writeBps),
      r.category,
      safeText(r.user ?? '?'),
      ...(containers ? [r.container === null ? '-' : shortContainer(r.container)] : []),
      clip(safeText(r.cmdline || `[${r.name}]`), commandWidth),
    ]),
    new Set([0, 2, 3, 4, 5]),
  );
}

/** `docker:3f2a9c…` → `docker:3f2a9c0b1d2e`; names (lxc) stay whole up to 24 characters. */
export function shortContainer(container: string): string {
  const colon = container.indexOf(':');
  const bare = container.slice(colon + 1);
  const short = /^[0-9a-f]{13,}$/.test(bare) ? bare.slice(0, CONTAINER_WIDTH) : clip(bare, 24);
  return safeText(`${container.slice(0, colon + 1)}${short}`);
}

export function statsTable(result: StatsResult): string {
  const header = `${formatLocalTime(result.from)} → ${formatLocalTime(result.to)} (${result.resolution.label})\n`;
  return (
    header +
    table(
      [
        'NAME',
        'ACTIVE',
        'CPU%/CORE AVG',
        'CPU%/CORE PEAK',
        'CPU-SEC',
        'MEM AVG',
        'MEM PEAK',
        'READ',
        'WRITTEN',
        'STARTS',
      ],
      result.rows.map((r) => [
        clip(safeText(r.name), 24),
        formatDuration(r.activeSeconds * 1000),
        pct(r.cpuAvg),
        pct(r.cpuPeak),
        r.cpuSeconds.toFixed(1),
        formatBytes(r.memAvg),
        formatBytes(r.memPeak),
        formatSum(r, 'readBytes', formatBytes),
        formatSum(r, 'writeBytes', formatBytes),
        String(r.starts),
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ) +
    (result.rows.some((r) => r.partial) ? `\n${PARTIAL_NOTE}` : '')
  );
}

export function atTable(result: AtResult): string {
  if (result.sampleTs === null) {
    return `Nothing recorded at ${formatLocalTime(result.ts)}: the store holds no sample at or before that time.`;
  }
  const header = `At ${formatLocalTime(result.ts)} — from ${result.resolution.label} at ${formatLocalTime(result.sampleTs)}`;
  const machine = result.machine ? `\n${machineLine(result.machine)}` : '';
  return `${header}${machine}\n${processTable(result.rows)}`;
}

export const HELP = `process-tracker — long-term per-process history of this machine

Usage:
  process-tracker run     [--data-dir DIR] [--interval 2s] [--quiet] [--alerts FILE] [--stop-after-idle 30m]
                          [--metrics 127.0.0.1:9464] [--metrics-config FILE]
                          record in the foreground, printing a compact live top (Ctrl-C stops);
                          --metrics serves /metrics for Prometheus (auth, TLS: ~/.config/process-tracker/metrics.yaml)
                          [--influx URL] [--influx-config FILE]
                          --influx pushes to InfluxDB 1.x or 2.x (database or bucket, credentials:
                          ~/.config/process-tracker/influx.yaml); kept in an outbox while it is down
                          [--http 127.0.0.1:8765] [--http-cert FILE --http-key FILE]
                          --http serves the history panel to a browser; prints its URL with a token
                          once (the token file: status --json); off loopback it needs TLS
  process-tracker top     [-n 10] [--sort ${SORT_KEYS.join('|')}] [filters] [--json]
  process-tracker live    [--sort …] [filters] [-n N] [--interval 2s] [--ascii]
                          full-screen view on the agent (started if none runs); F1 in it lists the keys
  process-tracker today | week | month   [filters] [-n 20] [--sort …] [--json]
  process-tracker at TIME [filters] [--json]      e.g. at "2026-11-24 14:32", at "yesterday 14:32", at -30m
  process-tracker export  --format ${EXPORT_FORMATS.join('|')} [--from TIME] [--to TIME] [filters] [--out FILE]
                          influx: InfluxDB line protocol, ns timestamps (README "InfluxDB")
  process-tracker report  [today|week|month | --from TIME --to TIME] [-n 20] [--json]
                          findings (leak, restart_loop, anomaly, trend, waste) and efficiency per name
  process-tracker explain TIME [-n 10] [--json]   why was it slow then: processes furthest from their baseline
  process-tracker runs    [--from TIME] [--to TIME] [-n 20] [--json]
                          VS Code task runs and terminal commands: time, peak memory, exit, against earlier runs
  process-tracker status  [--json]      the running agent's state
  process-tracker stop                  stop the running agent (final flush)
  process-tracker service install | uninstall     start the agent at login (systemd user unit)
  process-tracker alerts validate [FILE] | test RULE | history [-n 20] [--json]
  process-tracker demo-data --days N [--processes 600] --data-dir DIR
                          generated history for demos and benchmarks, into an empty folder

Filters:
  --filter REGEX      name or command line (case-insensitive)
  --pid N  --category NAME  --user NAME
  --container ID      a container's id (or 4+ first characters; lxc: its name), as in the CONTAINER column
Options:
  --data-dir DIR      store folder (default: $PROCESS_TRACKER_DATA_DIR, else ~/.local/share/process-tracker)
  --json              print one JSON document
  -h, --help          -v, --version
`;

export function statusText(status: AgentStatus, lang: CliLang = 'en'): string {
  const t = statusStrings(lang);
  const lines = [
    t.agent(status.pid, status.version, status.protocolVersion),
    t.up(formatDuration(status.uptimeMs), formatDuration(status.intervalMs), status.clients),
    t.dataDir(status.dataDir),
    t.socket(status.socketPath),
    t.processes(
      String(status.processCount ?? '–'),
      status.lastSampleTs ? formatLocalTime(status.lastSampleTs) : t.noneYet,
    ),
  ];
  if (status.sampling) {
    const s = status.sampling;
    lines.push(
      t.ticks(
        s.ticks,
        s.collector,
        s.skipped,
        s.failures,
        s.lastLatenessMs.toFixed(1),
        s.worstLatenessMs.toFixed(1),
      ),
    );
  }
  if (status.store) {
    lines.push(t.lastFlush(status.store.lastFlush ? formatLocalTime(status.store.lastFlush) : t.notYet));
    for (const tier of status.store.tiers) {
      lines.push(
        `  ${tier.label.padEnd(22)} ${String(tier.files).padStart(4)} ${t.files}  ${formatBytes(tier.bytes).padStart(9)}`,
      );
    }
    if (status.store.writeProblem) lines.push(t.notWriting(status.store.writeProblem));
    for (const f of status.store.setAside ?? []) lines.push(t.setAside(f.file, f.movedTo, f.reason));
  } else lines.push(t.storeNotOpen);
  if (status.http) lines.push(t.httpPanel(status.http.url, status.http.tokenFile));
  lines.push(t.lastError(status.lastError ?? status.store?.lastError ?? t.none));
  return lines.join('\n');
}
