// `npm run test:integration`: every suite in test/integration, in two lanes that run side by side.
// The crash and start-up campaigns (hundreds of agents started and killed at random moments) spend
// most of their wall time waiting for a random kill moment or an agent's start, so they take one
// lane; every other suite runs in the other, one file at a time. The two lanes used to run one after
// the other (~14 minutes of a 20-minute CI budget); side by side they take about as long as the
// longer lane. The campaign lane loads the machine as any other build would: every suite waits for
// states, never for fixed sleeps, so both lanes hold on a loaded 2-core machine.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = __dirname;
/** The waiting-heavy campaigns: their own lane. */
const CAMPAIGNS = new Set([
  'agent-crash.test.ts',
  'store-crash.test.ts',
  'store-damage.test.ts',
  'serviceStarters.test.ts',
]);
const all = readdirSync(dir)
  .filter((name) => name.endsWith('.test.ts'))
  .sort();
const lanes = {
  campaigns: all.filter((name) => CAMPAIGNS.has(name)),
  suites: all.filter((name) => !CAMPAIGNS.has(name)),
};
const missing = [...CAMPAIGNS].filter((name) => !all.includes(name));
if (missing.length) {
  console.error(`FAILED: test/integration/run.ts names suites that do not exist: ${missing.join(', ')}`);
  process.exit(1);
}

/** `live`: the lane's output goes out as it comes; otherwise it is kept and printed when the lane ends. */
function runLane(name: string, files: string[], live: boolean): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        '--test-concurrency=1',
        ...files.map((f) => path.join(dir, f)),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(dir, '..', '..') },
    );
    // One lane streams, the other is printed whole when it ends: the two never interleave.
    const chunks: Buffer[] = [];
    const take = (c: Buffer) => (live ? process.stdout.write(c) : chunks.push(c));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const started = Date.now();
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stdout.write(`\n=== integration lane "${name}" (${files.length} files, ${seconds} s)\n`);
      process.stdout.write(Buffer.concat(chunks));
      process.stdout.write(`=== lane "${name}": ${code === 0 ? 'passed' : `FAILED (${code ?? signal})`}\n`);
      resolve(code ?? 1);
    });
  });
}

void (async () => {
  const [suites, campaigns] = await Promise.all([
    runLane('suites', lanes.suites, true),
    runLane('campaigns', lanes.campaigns, false),
  ]);
  console.log(
    `integration: suites ${suites === 0 ? 'passed' : 'FAILED'}, campaigns ${campaigns === 0 ? 'passed' : 'FAILED'}`,
  );
  process.exit(suites === 0 && campaigns === 0 ? 0 : 1);
})();
