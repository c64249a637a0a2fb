// The start-up window, builds side by side (hand-run, not part of `npm run bench`): each given
// agent build starts on its own fresh data dir beside one `top -b -d 2`, with sleepers that bring
// the machine to ~600 processes (started and ended by PID), and each one's CPU is read per thread
// (schedstat, ns) at checkpoints: the main thread apart from the rest (V8's background compilers
// and GC, libuv's pool). Usage:
//   STARTUP_SECONDS=120 node --import tsx bench/startup.bench.ts \
//     old=/tmp/old/agent.js new=dist/agent.js 'flags=dist/agent.js@--liftoff-only'
// `@a,b` passes Node flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from './sleepers';
import { childEnv, tempXdgHomes } from '../test/harness/childEnv';

const SECONDS = Number(process.env.STARTUP_SECONDS ?? 120);
const CHECKS = [0.5, 1, 1.6, 3, 5, 10, 20, 30, 60, 90, 120, 180, 240, 360, 480, 600].filter(
  (s) => s <= SECONDS,
);
const PROCESSES = 600;

/** CPU seconds per thread group: `main`, and the others by name (Node's unnamed threads read "node"). */
function threadSeconds(pid: number): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      const name =
        Number(task) === pid ? 'main' : readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      groups[name] = (groups[name] ?? 0) + ns / 1e9;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return groups;
}

const sum = (groups: Record<string, number>) => Object.values(groups).reduce((a, b) => a + b, 0);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const processCount = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;

async function main(): Promise<void> {
  const builds = process.argv.slice(2).map((arg) => {
    const [label, spec] = arg.split('=') as [string, string];
    const [file, flags] = spec.split('@') as [string, string | undefined];
    return { label, file: path.resolve(file), flags: flags ? flags.split(',') : [] };
  });
  if (builds.length === 0) throw new Error('name at least one build: label=path/to/agent.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-startup-'));
  const children: ChildProcess[] = [];
  try {
    const sleepers = Math.max(0, PROCESSES - processCount());
    for (let i = 0; i < sleepers; i++) children.push(spawn('sleep', ['86400'], { stdio: 'ignore' }));
    await sleep(1500);
    console.log(`${new Date().toISOString()}: ${processCount()} processes, load ${load()}`);
    const top = spawn('top', ['-b', '-d', '2'], { stdio: 'ignore' });
    children.push(top);
    const agents = builds.map((build, i) => {
      const root = path.join(work, String(i));
      const dataDir = path.join(root, 'data');
      const child = spawn(
        process.execPath,
        [...build.flags, build.file, 'run', '--quiet', '--data-dir', dataDir, '--interval', '2s'],
        { env: childEnv(tempXdgHomes(root)), stdio: 'ignore' },
      );
      children.push(child);
      return { label: build.label, pid: child.pid! };
    });
    const start = performance.now();
    for (const check of CHECKS) {
      await sleep(Math.max(0, check * 1000 - (performance.now() - start)));
      const topSeconds = sum(threadSeconds(top.pid!));
      const cells = agents.map(({ label, pid }) => {
        const groups = threadSeconds(pid);
        const main = groups.main ?? 0;
        const total = sum(groups);
        return `${label} ${total.toFixed(3)} (main ${main.toFixed(3)}, others ${(total - main).toFixed(3)}; ×${(total / topSeconds).toFixed(2)})`;
      });
      console.log(`t=${check}s top ${topSeconds.toFixed(3)} | ${cells.join(' | ')}`);
    }
    console.log(`${new Date().toISOString()}: load ${load()}`);
  } finally {
    for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
