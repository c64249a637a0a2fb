// `process-tracker fleet --prometheus URL [--json] [--job NAME] [-n N]`: every machine that
// Prometheus scrapes our agent on, with its CPU, memory and top processes (client/prometheus).
// Its own arguments and help, so that the shared parser and help text need one line only.
import { parseArgs } from 'node:util';
import { formatBytes } from '../../shared/duration';
import { errorText, UserInputError } from '../../shared/errors';
import { checkPrometheusUrl, PrometheusApi, PrometheusError } from '../../client/prometheus/api';
import { listMachines, type MachineSummary } from '../../client/prometheus/fleet';
import { safeText, table } from './format';
import type { CliIo } from './index';
import { cliLang, type CliLang } from './i18n';
import { analyticsMessages } from './i18n/analytics';

interface FleetCommand {
  url: URL;
  job?: string;
  top: number;
  json: boolean;
}

export function parseFleet(argv: string[]): FleetCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' },
        job: { type: 'string' },
        n: { type: 'string', short: 'n' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    const problem = errorText(error).split('\n')[0]!;
    throw new UserInputError(analyticsMessages(cliLang())('fleetBadArguments', { problem }));
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const given = values.prometheus ?? process.env.PROCESS_TRACKER_PROMETHEUS;
  if (!given) {
    throw new UserInputError(analyticsMessages(cliLang())('fleetNeedsPrometheus'));
  }
  const top = values.n === undefined ? 3 : Number(values.n);
  if (!Number.isInteger(top) || top < 1 || top > 50) {
    throw new UserInputError(analyticsMessages(cliLang())('fleetNotCount', { value: String(values.n) }));
  }
  if (values.job === '') throw new UserInputError(analyticsMessages(cliLang())('fleetEmptyJob'));
  return {
    url: checkPrometheusUrl(given, '--prometheus'),
    ...(values.job !== undefined ? { job: values.job } : {}),
    top,
    json: values.json ?? false,
  };
}

const percent = (ratio: number | null) => (ratio === null ? '–' : `${(ratio * 100).toFixed(1)}%`);

function topText(machine: MachineSummary): string {
  return machine.topCpu.map((p) => `${safeText(p.name)} (${p.pid}) ${percent(p.cpuRatio)}`).join(', ');
}

export function fleetTable(machines: MachineSummary[], now: number, lang: CliLang = cliLang()): string {
  const t = analyticsMessages(lang);
  const rows = machines.map((m) => [
    safeText(m.instance),
    safeText(m.job),
    m.up ? t('up') : t('down'),
    percent(m.cpuRatio),
    m.memUsed === null ? '–' : `${formatBytes(m.memUsed)}/${formatBytes(m.memTotal)}`,
    m.lastSample === null
      ? '–'
      : t('secondsAgo', { seconds: Math.max(0, Math.round((now - m.lastSample) / 1000)) }),
    topText(m),
  ]);
  return table(
    [
      t('colInstance'),
      t('colJob'),
      t('colState'),
      t('colFleetCpu'),
      t('colMemory'),
      t('colSampled'),
      t('colTopByCpu'),
    ],
    rows,
    new Set([3, 4, 5]),
  );
}

export async function fleet(argv: string[], io: CliIo): Promise<number> {
  const command = parseFleet(argv);
  if (command === 'help') {
    io.stdout.write(`${analyticsMessages(cliLang())('fleetHelp')}\n`);
    return 0;
  }
  const api = new PrometheusApi(command.url);
  let machines: MachineSummary[];
  try {
    machines = await listMachines(api, { top: command.top, ...(command.job ? { job: command.job } : {}) });
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    io.stderr.write(`process-tracker: ${error.message}\n`);
    return 1;
  }
  if (command.json) {
    io.stdout.write(`${JSON.stringify({ prometheus: api.url, machines }, null, 2)}\n`);
  } else if (machines.length === 0) {
    const t = analyticsMessages(cliLang());
    const host = command.url.host;
    const none = command.job ? t('fleetNoneInJob', { host, job: command.job }) : t('fleetNone', { host });
    io.stderr.write(`${none}\n`);
  } else {
    io.stdout.write(`${fleetTable(machines, Date.now())}\n`);
  }
  return 0;
}
