// Test lanes that run side by side. The crash and start-up campaigns (hundreds of agents started
// and killed at random moments) spend most of their wall time waiting for a random kill moment or
// an agent's start, so they take a lane of their own beside everything else: run one after the
// other, the integration suites alone took ~14 of CI's 20 minutes. The campaign lane loads the
// machine as any other build would; every suite waits for states, never for fixed sleeps, so both
// lanes hold on a loaded 2-core machine.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const INTEGRATION_DIR = path.join(REPO_ROOT, 'test', 'integration');

/** The waiting-heavy campaigns of test/integration, and suites that mostly wait: their own lane. */
const CAMPAIGNS = new Set([
  'agent-crash.test.ts',
  'store-crash.test.ts',
  'store-damage.test.ts',
  'serviceStarters.test.ts',
  // Waits for a minute of recorded history with next to nothing running.
  'analytics-waste.test.ts',
]);

/** test/integration's suites split into the campaigns and the rest, as paths. */
export function integrationLanes(): { suites: string[]; campaigns: string[] } {
  const all = readdirSync(INTEGRATION_DIR)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  const missing = [...CAMPAIGNS].filter((name) => !all.includes(name));
  if (missing.length)
    throw new Error(`test/harness/lanes.ts names suites that do not exist: ${missing.join(', ')}`);
  const full = (name: string) => path.join(INTEGRATION_DIR, name);
  return {
    suites: all.filter((name) => !CAMPAIGNS.has(name)).map(full),
    campaigns: all.filter((name) => CAMPAIGNS.has(name)).map(full),
  };
}

/** node:test over `files`, one file at a time. */
export const nodeTest = (files: string[]): string[] => [
  process.execPath,
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=1',
  ...files,
];

/** One step of a lane: a name and the command that runs it. */
export type Step = readonly [name: string, command: string[]];

/**
 * Runs `steps` one after the other, stopping at the first that fails (as `&&` would); resolves with
 * that step's exit code, or 0.
 */
export async function runSteps(steps: readonly Step[], live: boolean): Promise<number> {
  for (const [name, command] of steps) {
    const code = await runLane(name, command, live);
    if (code !== 0) return code;
  }
  return 0;
}

/**
 * Runs `command` to its end; resolves with its exit code. `live`: its output goes out as it
 * comes; otherwise it is kept and printed whole when it ends, so two lanes never interleave.
 */
export function runLane(name: string, command: string[], live: boolean): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: REPO_ROOT,
    });
    const chunks: Buffer[] = [];
    const take = (c: Buffer) => (live ? process.stdout.write(c) : chunks.push(c));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const started = Date.now();
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      if (!live) {
        process.stdout.write(`\n=== lane "${name}"\n`);
        process.stdout.write(Buffer.concat(chunks));
      }
      process.stdout.write(
        `=== lane "${name}": ${code === 0 ? 'passed' : `FAILED (${code ?? signal})`} in ${seconds} s\n`,
      );
      resolve(code ?? 1);
    });
  });
}
