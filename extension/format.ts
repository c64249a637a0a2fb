// Over 400 lines on purpose: the text of every surface in one place, so all say figures alike.
// Pure text for the surfaces: status bar, row descriptions, tooltips and markdown reports. No
// `vscode` import, so it is unit-tested under node; the caller passes its translation function.
import { BYTE_UNITS, formatBytes, formatDuration, formatRate } from '../shared/duration';
import type {
  AtResult,
  FindingKind,
  MachineSample,
  ProcessMeta,
  ProcessRow,
  ProcessSample,
  StatsResult,
} from '../shared/model';
import { formatSum } from '../shared/partial';
import { ioRate } from '../shared/rowOrder';
import type { AgentStatus, FamilyTotals, ProcessDetails } from '../shared/protocol';
import { formatLocalTime } from '../shared/time';

/** vscode.l10n.t's shape: `{0}`-style placeholders. */
export type Translate = (message: string, ...args: Array<string | number>) => string;

export const untranslated: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => String(args[Number(index)] ?? whole));

export function percent(value: number | null, digits = 1): string {
  return value === null ? '–' : `${value.toFixed(digits)}%`;
}

/** An open finding as the surfaces show it: its kind and its summary in the window's language. */
export interface FindingNote {
  kind: FindingKind;
  summary: string;
}

const FINDING_LABELS: Record<FindingKind, string> = {
  leak: 'memory leak',
  restart_loop: 'restart loop',
  anomaly: 'unusual for it',
  trend: 'trend',
  efficiency: 'efficiency',
  waste: 'large and idle',
};

export function findingLabel(kind: FindingKind, t: Translate = untranslated): string {
  return t(FINDING_LABELS[kind]);
}

/** A row's badge: `⚠ restart loop` (each kind once); '' without findings. */
export function findingBadge(notes: readonly FindingNote[], t: Translate = untranslated): string {
  const kinds = [...new Set(notes.map((note) => note.kind))];
  return kinds.length ? `⚠ ${kinds.map((kind) => findingLabel(kind, t)).join(', ')}` : '';
}

/** The findings' lines in a markdown tooltip: why the row has its badge. Summaries hold process text: escaped. */
export function findingLines(notes: readonly FindingNote[], t: Translate = untranslated): string[] {
  return notes.map((note) => `⚠ **${findingLabel(note.kind, t)}**: ${escapeMarkdown(note.summary)}`);
}

/** `12.3% · 512 MiB · 1.2 MiB/s` */
export function rowDescription(sample: ProcessSample): string {
  return `${percent(sample.cpu)} · ${formatBytes(sample.rss)} · ${formatRate(ioRate(sample))}`;
}

/** A family's (or a group's) totals, e.g. `Σ 40.2% · 2.1 GiB · 3.0 MiB/s · 12 processes`. */
export function totalsDescription(totals: FamilyTotals, t: Translate = untranslated): string {
  const io = totals.readBps + totals.writeBps;
  return `Σ ${percent(totals.cpu)} · ${formatBytes(totals.rss)} · ${formatRate(io)} · ${t('{0} processes', totals.count)}`;
}

const GIB = 1024 ** 3;

/** Fills the status bar format's placeholders: `{cpu}`, `{memUsed}`, `{memTotal}`, `{memPercent}`, `{swapUsed}`, `{load}`, `{processes}`. */
/**
 * The machine figures as the status bar shows them. The text, its tooltip's first line and its
 * accessible label all read these, from the same tick, so they cannot disagree.
 */
export function statusFigures(machine: MachineSample): Record<string, string> {
  return {
    cpu: machine.cpu === null ? '–' : `${Math.round(machine.cpu)}%`,
    memUsed: (machine.memUsed / GIB).toFixed(1),
    memTotal: `${(machine.memTotal / GIB).toFixed(1)} ${BYTE_UNITS[3]}`,
    memPercent: `${Math.round(memoryPercent(machine))}%`,
    swapUsed: formatBytes(machine.swapUsed),
    load: machine.load1.toFixed(2),
    processes: String(machine.processCount),
  };
}

export function statusBarText(format: string, machine: MachineSample): string {
  const values = statusFigures(machine);
  return format.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** What a screen reader says for the status bar item: a sentence, not icon names or markdown. */
export function statusAccessibleLabel(machine: MachineSample, t: Translate = untranslated): string {
  const f = statusFigures(machine);
  const cpu = machine.cpu === null ? t('not known yet') : t('{0} percent', Math.round(machine.cpu));
  return t(
    'Process Tracker: machine CPU {0}, memory {1} of {2} used, {3} processes. Activate for the top processes.',
    cpu,
    f.memUsed!,
    f.memTotal!,
    f.processes!,
  );
}

export function memoryPercent(machine: MachineSample): number {
  return machine.memTotal > 0 ? (machine.memUsed / machine.memTotal) * 100 : 0;
}

export interface Thresholds {
  cpuWarning: number;
  cpuError: number;
  memoryWarning: number;
  memoryError: number;
}

export type Level = 'normal' | 'warning' | 'error';

export function statusLevel(machine: MachineSample, thresholds: Thresholds): Level {
  const cpu = machine.cpu ?? 0;
  const memory = memoryPercent(machine);
  if (cpu >= thresholds.cpuError || memory >= thresholds.memoryError) return 'error';
  if (cpu >= thresholds.cpuWarning || memory >= thresholds.memoryWarning) return 'warning';
  return 'normal';
}

/**
 * Escapes text from a process (name, command line, user) for markdown: a process chooses its own
 * name, so it must not be able to add links, images, HTML or break a table.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]#!|<>~&]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

function cell(text: string, max = 40): string {
  const clipped = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return escapeMarkdown(clipped);
}

/**
 * The status bar tooltip: the machine line (the same figures as the item's text, from the same
 * tick), then the top processes by CPU and by memory as of `topAt` (they are asked for less often).
 */
export function statusTooltip(
  machine: MachineSample,
  byCpu: ProcessRow[],
  byMemory: ProcessRow[],
  t: Translate = untranslated,
  topAt?: number,
  findings: readonly FindingNote[] = [],
): string {
  const f = statusFigures(machine);
  const table = (title: string, rows: ProcessRow[]) => [
    `| ${title} | PID | ${t('CPU % of one core')} | ${t('Memory')} |`,
    '|:--|--:|--:|--:|',
    ...rows.map((r) => `| ${cell(r.name)} | ${r.pid} | ${percent(r.cpu)} | ${formatBytes(r.rss)} |`),
  ];
  const lines = [
    `**${t('Machine CPU {0} · Memory {1} of {2} · {3} processes', f.cpu!, f.memUsed!, f.memTotal!, f.processes!)}**`,
    '',
    // One paragraph each: markdown joins consecutive lines.
    ...findingLines(findings, t).flatMap((line) => [line, '']),
    ...(byCpu.length || byMemory.length
      ? [
          ...(topAt === undefined ? [] : [t('Top processes as of {0}', formatClock(topAt)), '']),
          ...table(t('Top by CPU'), byCpu),
          '',
          ...table(t('Top by memory'), byMemory),
          '',
        ]
      : []),
    t('Click for the top processes'),
  ];
  return lines.join('\n');
}

/** `14:03:27`: a time of day (the tooltip's tables are seconds old, never days). */
function formatClock(ts: number): string {
  return formatLocalTime(ts).slice(11);
}

export function uptime(startTime: number, now: number): string {
  return formatDuration(Math.max(0, now - startTime));
}

/** A row's hover: identity, user, start, uptime, command line, container. */
export function rowTooltip(
  row: ProcessRow,
  now: number,
  t: Translate = untranslated,
  extra: { role?: string; findings?: readonly FindingNote[] } = {},
): string {
  const role = extra.role ? `${escapeMarkdown(extra.role)} · ` : '';
  const lines = [
    `${role}**${escapeMarkdown(row.name)}** — PID ${row.pid} (${t('parent')} ${row.ppid})`,
    ...findingLines(extra.findings ?? [], t),
    '',
    `${t('Started')}: ${formatLocalTime(row.startTime)} · ${t('up {0}', uptime(row.startTime, now))}`,
    `${t('User')}: ${escapeMarkdown(row.user ?? t('unknown'))} · ${t('Category')}: ${row.category}`,
    `CPU ${percent(row.cpu)} · ${t('Memory')} ${formatBytes(row.rss)} · ${t('Disk')} ${formatRate(row.readBps)} ${t('read')}, ${formatRate(row.writeBps)} ${t('written')}`,
    `${t('Threads')}: ${row.threads ?? '–'} · ${t('Open files')}: ${row.fds ?? '–'}`,
  ];
  if (row.container) lines.push(`${t('Container')}: ${escapeMarkdown(row.container)}`);
  if (row.cmdline) lines.push('', '```', row.cmdline.replace(/`/g, "'"), '```');
  return lines.join('\n\n');
}

function fence(text: string): string {
  // A fence longer than any backtick run inside, so a command line cannot close it.
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${text}\n${marks}`;
}

/** The read-only details document: everything the agent knows about one process. */
export function detailsMarkdown(
  meta: ProcessRow | ProcessMeta | undefined,
  details: ProcessDetails,
  now: number,
  t: Translate = untranslated,
): string {
  const { identity } = details;
  const out: string[] = [`# ${escapeMarkdown(details.name)} (PID ${identity.pid})`, ''];
  const facts: Array<[string, string]> = [
    [t('Identity'), `pid ${identity.pid}, ${t('started')} ${formatLocalTime(identity.startTime)}`],
    [t('Uptime'), uptime(identity.startTime, now)],
    [t('Executable'), details.exe ?? t('unknown')],
    [t('Working folder'), details.cwd ?? t('unknown')],
    [t('Container'), details.container ?? t('none (host)')],
  ];
  if (meta) {
    facts.push(
      [t('Parent PID'), String(meta.ppid)],
      [t('User'), meta.user ?? t('unknown')],
      [t('Category'), meta.category],
    );
  }
  if (meta && 'cpu' in meta) {
    facts.push(
      ['CPU', percent(meta.cpu)],
      [t('Memory'), formatBytes(meta.rss)],
      [t('Disk read'), formatRate(meta.readBps)],
      [t('Disk write'), formatRate(meta.writeBps)],
      [t('Threads'), String(meta.threads ?? '–')],
      [t('Open files'), String(meta.fds ?? '–')],
    );
  }
  out.push(`| | |`, `|:--|:--|`, ...facts.map(([k, v]) => `| ${k} | ${escapeMarkdown(v)} |`), '');
  out.push(`## ${t('Command line')}`, '', fence(details.argv.join(' ') || t('(none: kernel thread)')), '');
  const unknown = t('unknown (not readable by this user)');
  out.push(`## ${t('Threads')}`, '');
  if (details.threads === null) out.push(unknown);
  else out.push(...details.threads.map((th) => `- ${th.tid} ${escapeMarkdown(th.name)} (${th.state})`));
  out.push('', `## ${t('Open files')}`, '');
  if (details.openFiles === null) out.push(unknown);
  else out.push(...details.openFiles.map((f) => `- ${f.fd}: ${escapeMarkdown(f.target)}`));
  out.push('', `## ${t('Network connections')}`, '');
  if (details.connections === null) out.push(unknown);
  else if (details.connections.length === 0) out.push(t('none'));
  else
    out.push(
      ...details.connections.map(
        (c) => `- ${c.protocol} ${escapeMarkdown(c.local)} → ${escapeMarkdown(c.remote)} ${c.state}`,
      ),
    );
  out.push('', `## cgroup`, '', details.cgroup === null ? unknown : fence(details.cgroup));
  if (details.environment !== undefined) {
    out.push('', `## ${t('Environment')}`, '');
    if (details.environment === null) out.push(unknown);
    else
      out.push(
        fence(
          Object.entries(details.environment)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
        ),
      );
  }
  if (details.truncatedAt) out.push('', t('Lists were cut at {0} entries.', details.truncatedAt));
  return `${out.join('\n')}\n`;
}

/** A figure or a header that must stay on one line in a rendered table (`2h 28m`, `CPU s`). */
function nowrap(text: string): string {
  return text.replace(/ /g, '\u00a0');
}

export function statsMarkdown(title: string, result: StatsResult, t: Translate = untranslated): string {
  const headers = [
    t('Category'),
    t('Active'),
    'CPU avg',
    'CPU peak',
    'CPU s',
    t('Mem avg'),
    t('Mem peak'),
    t('Read'),
    t('Written'),
    t('Starts'),
  ];
  const out = [
    `# ${title}`,
    '',
    t('{0} to {1} · {2}', formatLocalTime(result.from), formatLocalTime(result.to), result.resolution.label),
    '',
    `| ${t('Name')} | ${headers.map(nowrap).join(' | ')} |`,
    '|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of result.rows) {
    const figures = [
      r.category,
      formatDuration(r.activeSeconds * 1000),
      percent(r.cpuAvg),
      percent(r.cpuPeak),
      String(Math.round(r.cpuSeconds)),
      formatBytes(r.memAvg),
      formatBytes(r.memPeak),
      formatSum(r, 'readBytes', formatBytes),
      formatSum(r, 'writeBytes', formatBytes),
      String(r.starts),
    ];
    out.push(`| ${cell(r.name)} | ${figures.map(nowrap).join(' | ')} |`);
  }
  if (result.rows.length === 0) out.push('', t('Nothing recorded in this range.'));
  return `${out.join('\n')}\n`;
}

export function processTableMarkdown(rows: ProcessRow[], t: Translate = untranslated): string[] {
  return [
    `| PID | ${t('Name')} | ${t('CPU % of one core')} | ${t('Memory')} | ${t('Disk IO')} | ${t('User')} | ${t('Command line')} |`,
    '|--:|:--|--:|--:|--:|:--|:--|',
    ...rows.map(
      (r) =>
        `| ${r.pid} | ${cell(r.name)} | ${percent(r.cpu)} | ${formatBytes(r.rss)} | ${formatRate(ioRate(r))} | ${cell(r.user ?? '–', 16)} | ${cell(r.cmdline, 80)} |`,
    ),
  ];
}

export function atMarkdown(result: AtResult, t: Translate = untranslated): string {
  const out = [
    `# ${t('What was running at {0}', formatLocalTime(result.ts))}`,
    '',
    result.sampleTs === null
      ? t('Nothing was recorded at or before that time.')
      : t('Figures from {0} ({1}).', formatLocalTime(result.sampleTs), result.resolution.label),
    '',
  ];
  if (result.machine)
    out.push(
      `${t('Machine CPU')} ${percent(result.machine.cpu)} · ${t('Memory')} ${formatBytes(result.machine.memUsed)} / ${formatBytes(result.machine.memTotal)}`,
      '',
    );
  if (result.rows.length) out.push(...processTableMarkdown(result.rows, t));
  return `${out.join('\n')}\n`;
}

export function agentStatusMarkdown(
  status: AgentStatus,
  t: Translate = untranslated,
  now = Date.now(),
): string {
  const rows: Array<[string, string]> = [
    ['PID', String(status.pid)],
    [t('Version'), `${status.version} (protocol ${status.protocolVersion})`],
    [t('Started'), `${formatLocalTime(status.startedAt)} · ${t('up {0}', formatDuration(status.uptimeMs))}`],
    [t('Interval'), formatDuration(status.intervalMs)],
    [t('Connected clients'), String(status.clients)],
    [t('Processes'), String(status.processCount ?? '–')],
    [t('Last sample'), status.lastSampleTs === null ? '–' : formatLocalTime(status.lastSampleTs)],
    [t('Data folder'), status.dataDir],
    [t('Socket'), status.socketPath],
    [t('Last error'), status.lastError ?? t('none')],
  ];
  const out = [
    `# ${t('Process Tracker agent')}`,
    '',
    '| | |',
    '|:--|:--|',
    ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdown(v)} |`),
  ];
  if (status.store) {
    out.push(
      '',
      `## ${t('Store')}`,
      '',
      `| ${t('Tier')} | ${t('Files')} | ${t('Size')} | ${t('Oldest')} | ${t('Newest')} |`,
      '|:--|--:|--:|:--|:--|',
    );
    for (const tier of status.store.tiers) {
      const when = (ts: number | null) => (ts === null ? '–' : formatLocalTime(ts));
      // A tier's newest file may end in the future (a day file ends at midnight): its newest data
      // is no later than the last sample.
      const newest = tier.newest === null ? null : Math.min(tier.newest, status.lastSampleTs ?? now, now);
      out.push(
        `| ${escapeMarkdown(tier.label)} | ${tier.files} | ${formatBytes(tier.bytes)} | ${when(tier.oldest)} | ${when(newest)} |`,
      );
    }
    out.push(
      '',
      `${t('Last flush')}: ${status.store.lastFlush === null ? '–' : formatLocalTime(status.store.lastFlush)}`,
    );
    if (status.store.lastError)
      out.push('', `${t('Store error')}: ${escapeMarkdown(status.store.lastError)}`);
    // Older agents do not send these: `?.` and `?? []`.
    if (status.store.writeProblem)
      out.push(
        '',
        `**${t('Not writing to disk')}** (${t('history kept in memory')}): ${escapeMarkdown(status.store.writeProblem)}`,
      );
    for (const aside of status.store.setAside ?? [])
      out.push(
        '',
        `${t('Set aside')}: ${escapeMarkdown(aside.file)} → ${escapeMarkdown(aside.movedTo)} (${escapeMarkdown(aside.reason)})`,
      );
  } else {
    out.push(
      '',
      t('The store could not say how it is (it failed to open): see the agent log in the data folder.'),
    );
  }
  return `${out.join('\n')}\n`;
}
