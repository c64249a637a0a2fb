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

export const FLEET_HELP = `process-tracker fleet --prometheus URL [--json] [--job NAME] [-n N]

Every machine the Prometheus at URL scrapes a Process Tracker agent on (run each agent with
--metrics; README "Many machines"), with its CPU, memory and top processes of the moment.

  --prometheus URL   the Prometheus server, e.g. http://127.0.0.1:9090 (or PROCESS_TRACKER_PROMETHEUS)
  --job NAME         only the targets of this scrape job
  -n N               top processes per machine (default 3, at most 50)
  --json             machine-readable output`;

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
    throw new UserInputError(`fleet: ${errorText(error).split('\n')[0]}: see process-tracker fleet --help`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const given = values.prometheus ?? process.env.PROCESS_TRACKER_PROMETHEUS;
  if (!given) {
    throw new UserInputError('fleet needs a Prometheus server: --prometheus http://127.0.0.1:9090');
  }
  const top = values.n === undefined ? 3 : Number(values.n);
  if (!Number.isInteger(top) || top < 1 || top > 50) {
    throw new UserInputError(`-n "${values.n}" is not a whole number from 1 to 50: e.g. -n 5`);
  }
  if (values.job === '')
    throw new UserInputError('--job is empty: give a scrape job name, e.g. --job process-tracker');
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

export function fleetTable(machines: MachineSummary[], now: number): string {
  const rows = machines.map((m) => [
    safeText(m.instance),
    safeText(m.job),
    m.up ? 'up' : 'DOWN',
    percent(m.cpuRatio),
    m.memUsed === null ? '–' : `${formatBytes(m.memUsed)}/${formatBytes(m.memTotal)}`,
    m.lastSample === null ? '–' : `${Math.max(0, Math.round((now - m.lastSample) / 1000))} s ago`,
    topText(m),
  ]);
  return table(
    ['INSTANCE', 'JOB', 'STATE', 'CPU', 'MEMORY', 'SAMPLED', 'TOP BY CPU'],
    rows,
    new Set([3, 4, 5]),
  );
}

export async function fleet(argv: string[], io: CliIo): Promise<number> {
  const command = parseFleet(argv);
  if (command === 'help') {
    io.stdout.write(`${FLEET_HELP}\n`);
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
    io.stderr.write(
      `Prometheus at ${command.url.host} scrapes no Process Tracker agent${command.job ? ` in job "${command.job}"` : ''}: run agents with --metrics and add them to its scrape_configs (README "Many machines")\n`,
    );
  } else {
    io.stdout.write(`${fleetTable(machines, Date.now())}\n`);
  }
  return 0;
}
