// `report` and `explain`: asked of the running agent, or — when none serves the data dir — worked
// out here from the store's files (read-only) and the findings and baselines the agent last wrote.
import { existsSync } from 'node:fs';
import { formatBytes } from '../../shared/duration';
import { containerNamed } from '../../shared/filter';
import type { Finding } from '../../shared/model';
import { ExplainRequest, ReportRequest } from '../../shared/protocol';
import { formatLocalTime } from '../../shared/time';
import { explain } from '../analytics/explain';
import { buildReport } from '../analytics/report';
import { fileSource } from '../analytics/source';
import type { AgentConnection } from '../../client/connection';
import type { Store } from '../store';
import type { Command } from './args';
import { machineLine, safeText, shortContainer, table } from './format';
import { cliLang, type CliLang } from './i18n';
import { cliMessages } from './i18n/cli';
import { analyticsMessages } from './i18n/analytics';
import { statusMessages } from './i18n/status';

type Report = Extract<Command, { kind: 'report' }>;
type Explain = Extract<Command, { kind: 'explain' }>;

export interface AnalyticsIo {
  out(text: string): void;
  err(text: string): void;
  /** The running agent's answer, or undefined when none runs. */
  withAgent<T>(use: (agent: AgentConnection) => Promise<T>): Promise<T | undefined>;
  /** The store's files, read-only; undefined when there is no history. */
  openFiles(): Promise<Store | undefined>;
}

/** The JSON row of a finding: flat, so `jq '.[] | select(.kind=="leak") | .name'` reads it. */
export function findingJson(f: Finding) {
  return {
    kind: f.kind,
    name: f.subject.name,
    ...(f.subject.cmdline === undefined ? {} : { cmdline: f.subject.cmdline }),
    identities: f.subject.identities,
    container: f.subject.container,
    containerName: f.subject.containerName ?? null,
    from: f.from,
    to: f.to,
    open: f.open,
    summary: f.summary.en,
    summaryZh: f.summary.zh,
    evidence: f.evidence,
  };
}

async function answer<T>(
  io: AnalyticsIo,
  dataDir: string,
  ask: (agent: AgentConnection) => Promise<T>,
  offline: (store: Store) => Promise<T>,
): Promise<T | undefined> {
  const fromAgent = await io.withAgent(ask);
  if (fromAgent) return fromAgent;
  const store = existsSync(dataDir) ? await io.openFiles() : undefined;
  if (!store) {
    io.err(statusMessages(cliLang())('noHistory', { dir: dataDir }));
    return undefined;
  }
  try {
    return await offline(store);
  } finally {
    await store.close();
  }
}

export async function report(io: AnalyticsIo, dataDir: string, c: Report): Promise<number> {
  const params = { from: c.from, to: c.to, n: c.n, idleForMs: c.idleForMs };
  const answered = await answer(
    io,
    dataDir,
    (agent) => agent.request(ReportRequest.type, params),
    (store) => buildReport(store, fileSource(dataDir), params),
  );
  // Kept here, not asked of the agent: every agent's answer carries each finding's container.
  const result = answered && c.container !== undefined ? inContainer(answered, c.container) : answered;
  if (c.json) {
    io.out(
      JSON.stringify([...(result?.findings ?? []), ...(result?.efficiency ?? [])].map(findingJson), null, 2),
    );
    return 0;
  }
  if (!result) return 0;
  io.out(reportText(result));
  return 0;
}

/** The findings and efficiency rows about one container, by its id (or a prefix) or its name. */
function inContainer(r: ReportRequest.Result, wanted: string): ReportRequest.Result {
  const about = (f: Finding) => containerNamed(f.subject.container, f.subject.containerName, wanted);
  return { ...r, findings: r.findings.filter(about), efficiency: r.efficiency.filter(about) };
}

/** A finding's own sentence in the CLI's language. */
const summaryOf = (f: Finding, lang: CliLang) => safeText(lang === 'zh-cn' ? f.summary.zh : f.summary.en);

export function reportText(r: ReportRequest.Result, lang: CliLang = cliLang()): string {
  const t = analyticsMessages(lang);
  const when = (f: Finding) => `${formatLocalTime(f.from)} – ${f.open ? t('now') : formatLocalTime(f.to)}`;
  const lines = [t('findings', { from: formatLocalTime(r.from), to: formatLocalTime(r.to) })];
  if (r.findings.length === 0) lines.push(t('none'));
  for (const f of r.findings) lines.push(`  ${f.kind.padEnd(12)} ${when(f)}  ${summaryOf(f, lang)}`);
  lines.push('', t('efficiency'));
  const pct = (v: unknown) => (typeof v === 'number' ? v.toFixed(1) : '–');
  // A name's rows per container (report.ts): the column, as `top`'s, only when one ran in one.
  const containers = r.efficiency.some((f) => f.subject.container !== null);
  const containerOf = ({ subject: s }: Finding) =>
    s.container === null ? '-' : s.containerName ? safeText(s.containerName) : shortContainer(s.container);
  const numeric = [1, 2, 3, 4, 5, 6, 7].map((i) => (containers ? i + 1 : i));
  lines.push(
    table(
      [
        t('colName'),
        ...(containers ? [cliMessages(lang)('colContainer')] : []),
        t('colCpuCore'),
        t('colCpuSec'),
        t('colAliveSec'),
        t('colMemAvg'),
        t('colMemPeak'),
        t('colMemCv'),
        t('colStarts'),
      ],
      r.efficiency.map((f) => {
        const e = f.evidence;
        return [
          safeText(f.subject.name ?? ''),
          ...(containers ? [containerOf(f)] : []),
          pct(e.cpuPerWall),
          String(Math.round(Number(e.cpuSeconds))),
          String(Math.round(Number(e.activeSeconds))),
          formatBytes(e.memAvg as number | null),
          formatBytes(e.memPeak as number | null),
          typeof e.memCv === 'number' ? e.memCv.toFixed(2) : '–',
          String(e.starts),
        ];
      }),
      new Set(numeric),
    ),
  );
  return lines.join('\n');
}

export async function explainCommand(io: AnalyticsIo, dataDir: string, c: Explain): Promise<number> {
  const params = { ts: c.ts, n: c.n };
  const result = await answer(
    io,
    dataDir,
    (agent) => agent.request(ExplainRequest.type, params),
    (store) => explain(store, fileSource(dataDir), params),
  );
  if (c.json) io.out(JSON.stringify(result ?? null, null, 2));
  else if (result) io.out(explainText(result));
  return 0;
}

export function explainText(r: ExplainRequest.Result, lang: CliLang = cliLang()): string {
  const t = analyticsMessages(lang);
  if (r.sampleTs === null) return t('nothingAt', { time: formatLocalTime(r.ts) });
  const lines = [t('explainAt', { time: formatLocalTime(r.ts), sampleTime: formatLocalTime(r.sampleTs) })];
  if (r.machine) lines.push(machineLine(r.machine));
  lines.push(t('furthest'));
  const cpu = (v: number | null) => (v === null ? '–' : v.toFixed(1));
  // As in `top` and `report`: the column only when a ranked process ran in a container.
  const containers = r.ranked.some((row) => row.container !== null);
  const numeric = [0, 1, 3, 4, 5, 6, 8].map((i) => (containers && i > 2 ? i + 1 : i));
  lines.push(
    table(
      [
        '#',
        t('colPid'),
        t('colName'),
        ...(containers ? [cliMessages(lang)('colContainer')] : []),
        t('colCpu'),
        t('colBaseCpu'),
        t('colMem'),
        t('colBaseMem'),
        t('colBaseline'),
        t('colScore'),
      ],
      r.ranked.map((row, i) => [
        String(i + 1),
        String(row.identity.pid),
        safeText(row.name).slice(0, 24),
        ...(containers ? [row.container === null ? '-' : shortContainer(row.container)] : []),
        cpu(row.cpu),
        cpu(row.baselineCpu),
        formatBytes(row.rss),
        formatBytes(row.baselineRss),
        row.baseline,
        row.score.toFixed(1),
      ]),
      new Set(numeric),
    ),
  );
  lines.push(t('openThen'));
  if (r.findings.length === 0) lines.push(t('none'));
  for (const f of r.findings) lines.push(`  ${f.kind.padEnd(12)} ${summaryOf(f, lang)}`);
  // An older agent's answer has no containers.
  if (r.containers?.length) {
    lines.push(t('containersThen'));
    for (const e of r.containers) {
      const name = e.name === null ? '' : ` (${safeText(e.name)})`;
      const kind = t(e.kind === 'start' ? 'containerStart' : 'containerStop');
      lines.push(`  ${formatLocalTime(e.ts)} ${kind.padEnd(5)} ${safeText(e.container)}${name}`);
    }
  }
  return lines.join('\n');
}
