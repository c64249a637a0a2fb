// A real Prometheus (Debian's `prometheus`) for the suites: started on a free 127.0.0.1 port with
// its own config and data folder under the test's temp dir, so it never touches a system
// Prometheus (:9090 or its data). Ended by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../harness/codeServer';
import { endByPid, waitFor } from './agentHarness';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export function requirePrometheus(): void {
  for (const tool of [PROMETHEUS, PROMTOOL]) {
    if (!existsSync(tool))
      throw new Error(`${tool} is missing: run "bash scripts/setup-ci.sh" (Debian's prometheus)`);
  }
}

export interface RunningPrometheus {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts Prometheus with `scrapeConfigs` (YAML lines under `scrape_configs:`) and waits until it is
 * ready (listening, TSDB open). Scrapes and evaluates every second.
 */
export async function startPrometheus(
  dir: string,
  scrapeConfigs: string[],
  ruleFiles: string[] = [],
): Promise<RunningPrometheus> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
      `rule_files: [${ruleFiles.map((file) => JSON.stringify(file)).join(', ')}]`,
      'scrape_configs:',
      ...scrapeConfigs,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(
    async () =>
      (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true || child.exitCode !== null,
    40_000,
    () => log,
  );
  if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${log}`);
  return { url, child, log: () => log, stop: () => endByPid(child, 'SIGTERM') };
}
