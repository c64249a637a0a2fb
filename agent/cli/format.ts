// Human-readable tables for the terminal. Anything from a process is printed as data: control
// characters are escaped so a process name cannot move the cursor or recolour the terminal.
import { cliLang, type CliLang } from './i18n';
import { commonMessages, resolutionText as commonText } from '../../shared/i18n/common';
import { cliText } from './i18n/cli';
import { statusMessages } from './i18n/status';
import { textWidth } from './tui/text';
import { formatBytes, formatDuration, formatRate } from '../../shared/duration';
import {
  EXPORT_FORMATS,
  SORT_KEYS,
  type AtResult,
  type MachineSample,
  type ProcessRow,
  type Resolution,
  type StatsResult,
} from '../../shared/model';
import { formatSum } from '../../shared/partial';
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

/**
 * Columns padded by the cells' width on a terminal, not their length: a Chinese header or name
 * takes two cells a character (the live view's textWidth).
 */
export function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((h, i) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[i]!))));
  const pad = (cell: string, i: number) => ' '.repeat(Math.max(0, widths[i]! - textWidth(cell)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? pad(cell, i) + cell : cell + pad(cell, i)))
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
  return cliText()('machineLine', {
    cpu: pct(machine.cpu),
    cores: machine.cores,
    memUsed: formatBytes(machine.memUsed),
    memTotal: formatBytes(machine.memTotal),
    swapUsed: formatBytes(machine.swapUsed),
    swapTotal: formatBytes(machine.swapTotal),
    load,
    count: machine.processCount,
  });
}

/** Containers' ids are 64 hex digits; 12 tell them apart, as docker's own short ids do. */
const CONTAINER_WIDTH = 12;

/** A CONTAINER column appears only when a row runs in one (on a host-only machine it is noise). */
export function processTable(rows: ProcessRow[], commandWidth = 60): string {
  const containers = rows.some((r) => r.container !== null);
  const t = cliText();
  return table(
    [
      t('colPid'),
      t('colName'),
      t('colCpuCore'),
      t('colMem'),
      t('colRead'),
      t('colWrite'),
      t('colCategory'),
      t('colUser'),
      ...(containers ? [t('colContainer')] : []),
      t('colCommand'),
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

/** What the store's points are, in words: "1-minute averages". */
export function resolutionText(resolution: Resolution): string {
  return commonText(cliLang(), resolution);
}

export function statsTable(result: StatsResult): string {
  const t = cliText();
  const range = {
    from: formatLocalTime(result.from),
    to: formatLocalTime(result.to),
    resolution: resolutionText(result.resolution),
  };
  return (
    `${t('statsRange', range)}\n` +
    table(
      [
        t('colName'),
        t('colActive'),
        t('colCpuAvg'),
        t('colCpuPeak'),
        t('colCpuSec'),
        t('colMemAvg'),
        t('colMemPeak'),
        t('colRead'),
        t('colWritten'),
        t('colStarts'),
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
    (result.rows.some((r) => r.partial) ? `\n${commonMessages(cliLang())('partialNote')}` : '')
  );
}

export function atTable(result: AtResult): string {
  const t = cliText();
  if (result.sampleTs === null) return t('atNothing', { time: formatLocalTime(result.ts) });
  const header = t('atHeader', {
    time: formatLocalTime(result.ts),
    resolution: resolutionText(result.resolution),
    sampleTime: formatLocalTime(result.sampleTs),
  });
  const machine = result.machine ? `\n${machineLine(result.machine)}` : '';
  return `${header}${machine}\n${processTable(result.rows)}`;
}

/** `--help`, in the locale's language. */
export function helpText(env: NodeJS.ProcessEnv = process.env): string {
  return cliText(env)('help', { sortKeys: SORT_KEYS.join('|'), exportFormats: EXPORT_FORMATS.join('|') });
}

export function statusText(status: AgentStatus, lang: CliLang = 'en'): string {
  const t = statusMessages(lang);
  const lines = [
    t('agent', { pid: status.pid, version: status.version, protocol: status.protocolVersion }),
    t('up', {
      uptime: formatDuration(status.uptimeMs),
      interval: formatDuration(status.intervalMs),
      clients: status.clients,
    }),
    t('dataDir', { dir: status.dataDir }),
    t('socket', { socket: status.socketPath }),
    t('processes', {
      count: String(status.processCount ?? '–'),
      last: status.lastSampleTs ? formatLocalTime(status.lastSampleTs) : t('noneYet'),
    }),
  ];
  if (status.sampling) {
    const s = status.sampling;
    lines.push(
      t('ticks', {
        ticks: s.ticks,
        collector: s.collector,
        skipped: s.skipped,
        failed: s.failures,
        last: s.lastLatenessMs.toFixed(1),
        worst: s.worstLatenessMs.toFixed(1),
      }),
    );
  }
  if (status.store) {
    const flushed = status.store.lastFlush ? formatLocalTime(status.store.lastFlush) : t('notYet');
    lines.push(t('lastFlush', { when: flushed }));
    for (const tier of status.store.tiers) {
      lines.push(
        t('tierLine', {
          tier: tier.label.padEnd(22),
          files: String(tier.files).padStart(4),
          bytes: formatBytes(tier.bytes).padStart(9),
        }),
      );
    }
    if (status.store.writeProblem) lines.push(t('notWriting', { problem: status.store.writeProblem }));
    for (const f of status.store.setAside ?? [])
      lines.push(t('setAside', { file: f.file, movedTo: f.movedTo, reason: f.reason }));
  } else lines.push(t('storeNotOpen'));
  if (status.http) lines.push(t('httpPanel', { url: status.http.url, file: status.http.tokenFile }));
  lines.push(t('lastError', { error: status.lastError ?? status.store?.lastError ?? t('none') }));
  return lines.join('\n');
}
