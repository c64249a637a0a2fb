// `process-tracker runs`: the VS Code task runs and terminal commands the agent followed, asked of
// the running agent, or read from DATA_DIR/runs/runs.json when none serves the data dir.
import { formatBytes } from '../../shared/duration';
import type { RunListing } from '../../shared/model';
import { RunsRequest } from '../../shared/protocol';
import { comparisonText, runSummary } from '../../shared/runText';
import { formatLocalTime } from '../../shared/time';
import type { AgentConnection } from '../../client/connection';
import { listing, savedRuns } from '../runs/tracker';
import type { Command } from './args';
import { safeText, table } from './format';
import { cliLang, type CliLang } from './i18n';
import { analyticsMessages } from './i18n/analytics';

type Runs = Extract<Command, { kind: 'runs' }>;

export interface RunsIo {
  out(text: string): void;
  /** The running agent's answer, or undefined when none runs. */
  withAgent<T>(use: (agent: AgentConnection) => Promise<T>): Promise<T | undefined>;
}

export async function runsCommand(io: RunsIo, dataDir: string, c: Runs): Promise<number> {
  const params = { from: c.from, to: c.to, n: c.n };
  const fromAgent = await io.withAgent((agent) => agent.request(RunsRequest.type, params));
  const runs = fromAgent?.runs ?? listing(savedRuns(dataDir), params);
  io.out(c.json ? JSON.stringify(runs, null, 2) : runsText(runs));
  return 0;
}

export function runsText(runs: readonly RunListing[], now = Date.now(), lang: CliLang = cliLang()): string {
  const t = analyticsMessages(lang);
  if (runs.length === 0) return t('noRuns');
  return table(
    [
      t('colStarted'),
      t('colSource'),
      t('colCommand'),
      t('colRun'),
      t('colCpuSec'),
      t('colRead'),
      t('colWritten'),
      t('colAgainst'),
    ],
    runs.map((run) => [
      formatLocalTime(run.start),
      run.source,
      safeText(run.command).slice(0, 40),
      runSummary(run, now),
      run.cpuSeconds === null ? '–' : run.cpuSeconds.toFixed(1),
      formatBytes(run.readBytes),
      formatBytes(run.writeBytes),
      comparisonText(run.compare),
    ]),
    new Set([4, 5, 6]),
  );
}
