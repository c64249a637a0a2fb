// `process-tracker demo-data --days N [--processes N] --data-dir DIR`: a realistic generated history
// (the store benchmark's generator, agent/store/generate.ts, in its workday shape) written into an empty folder, for
// demos, screenshots and benchmarks. It never writes beside a real history: a folder that already
// holds a store is refused.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserInputError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { checkDataDir } from '../../client/paths';
import { silentLogger } from '../log';
import { generateHistory, Store } from '../store';

export const DEMO_DATA_USAGE = 'process-tracker demo-data --days N [--processes N] --data-dir DIR';

/** Sub-folders a store keeps its files in (agent/store): one of them with anything in it is a store. */
const STORE_FOLDERS = ['raw', 'minute', 'hour', 'wal'];

export interface DemoDataCommand {
  days: number;
  processes: number;
  dataDir: string;
}

function count(value: string | undefined, option: string, example: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UserInputError(`demo-data needs ${option}: e.g. ${example}`);
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000) {
    throw new UserInputError(`${option} "${value}" is not a count: give a whole number, e.g. ${example}`);
  }
  return n;
}

export function parseDemoData(argv: string[]): DemoDataCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { days: { type: 'string' }, processes: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!;
    throw new UserInputError(`${message}: use ${DEMO_DATA_USAGE}`);
  }
  const { values } = parsed;
  const days = count(values.days, '--days', '--days 30');
  if (days > 366)
    throw new UserInputError(`--days ${days} is more than the hour tier keeps: give at most 366`);
  const processes = count(values.processes, '--processes', '--processes 600', 600);
  if (values['data-dir'] === undefined) {
    throw new UserInputError(
      `demo-data needs --data-dir: an empty folder, e.g. --data-dir /tmp/demo-history`,
    );
  }
  return { days, processes, dataDir: values['data-dir'] };
}

/** The store folder in `dir` that has something in it, if any. */
function storeIn(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  return STORE_FOLDERS.map((name) => path.join(dir, name)).find((folder) => {
    try {
      return readdirSync(folder).length > 0;
    } catch {
      return false;
    }
  });
}

export async function demoData(command: DemoDataCommand, out: (line: string) => void): Promise<number> {
  const dataDir = checkDataDir(command.dataDir, false);
  const found = storeIn(dataDir);
  if (found) {
    throw new UserInputError(
      `${dataDir} already holds a store (${found}): demo-data writes only into an empty folder; choose another --data-dir`,
    );
  }
  checkDataDir(dataDir, true);
  const started = Date.now();
  const { intervalMs, retention } = DEFAULT_SETTINGS;
  const store = await Store.open({
    dataDir,
    retention,
    intervalMs,
    log: silentLogger,
    flushIntervalMs: 3_600_000,
  });
  try {
    const { ticks, minutes } = await generateHistory(store, {
      days: command.days,
      processes: command.processes,
      intervalMs,
      shape: 'workday',
    });
    out(
      `wrote ${command.days} days of ${command.processes} processes into ${dataDir} (${minutes} generated minutes, ${ticks} ticks) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
