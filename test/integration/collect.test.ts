// The collectors against real /proc and real child processes this test starts (and kills, by pid).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import * as esbuild from 'esbuild';
import { createCategorizer } from '../../agent/categories';
import { createCollector, defaultCollectorKind } from '../../agent/collect';
import { PortableCollector } from '../../agent/collect/portable';
import { ProcfsCollector } from '../../agent/collect/procfs';
import type { RawProcess, RawSnapshot } from '../../agent/collect/types';
import { Sampler } from '../../agent/sampler';
import type { ProcessRow, Tick } from '../../shared/model';

const PROCS = path.join(__dirname, '..', 'fixtures', 'procs');
const CORES = os.cpus().length;
const MB = 1024 * 1024;

// ---- children: started here, killed here by pid -------------------------------------------------

interface Child {
  process: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line starting with `prefix`. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  send(text: string): void;
}

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

after(() => {
  for (const child of children) killChild(child);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function killChild(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  children.delete(child);
}

function start(command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): Child {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], ...options });
  children.add(child);
  assert.ok(child.pid, `${command} started`);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    process: child,
    pid: child.pid,
    send: (text) => child.stdin!.write(text),
    async line(prefix, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = lines.findIndex((line) => line.startsWith(prefix));
        if (index >= 0) return lines.splice(index, 1)[0]!;
        if (child.exitCode !== null)
          throw new Error(`${command} exited (${child.exitCode}) before "${prefix}"`);
        if (Date.now() > deadline)
          throw new Error(`${command} did not print "${prefix}" within ${timeoutMs} ms`);
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), sleep(100)]);
      }
    },
  };
}

const startNode = (script: string, ...args: string[]) =>
  start(process.execPath, [path.join(PROCS, script), ...args]);

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-collect-'));
  tempDirs.push(dir);
  return dir;
}

function rowOf<T extends { pid: number }>(rows: T[], pid: number): T {
  const row = rows.find((r) => r.pid === pid);
  assert.ok(row, `pid ${pid} is in the reading`);
  return row;
}

/** utime + stime of a process from /proc/[pid]/stat, seconds (USER_HZ is 100 on Linux). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The burner's own CPU accounting (getrusage of the whole process), µs, and when it was read. */
async function ownUsage(burner: Child): Promise<{ micros: number; at: number }> {
  burner.send('usage\n');
  const micros = Number((await burner.line('usage')).split(' ')[1]);
  return { micros, at: performance.now() };
}

/**
 * Measures a burner's CPU% over windows of `windowMs` until one window is right on both counts:
 * - it agrees (within `tolerance`) with the burner's own accounting over the same window, and
 * - it is `ideal` (within `tolerance`) — or less when the machine had no idle time to give: other
 *   engineers' tests share these cores, so `ideal` is capped at the burner's reading plus the
 *   machine's idle capacity in that window.
 * A collector that is a factor off, misses threads or reads the wrong fields fails the first;
 * one that under-reports a process while cores sit idle fails the second.
 */
async function measureBurner(
  sampler: Sampler,
  burner: Child,
  ideal: number,
  tolerance: (expected: number) => number,
  windowMs = 2000,
) {
  const readings: string[] = [];
  const deadline = Date.now() + 30_000;
  await sampler.sample();
  while (Date.now() < deadline) {
    const before = await ownUsage(burner);
    const previous = await sampler.sample();
    await sleep(windowMs);
    const tick = await sampler.sample();
    const after = await ownUsage(burner);
    const cpu = rowOf(tick.processes, burner.pid).cpu;
    assert.ok(cpu !== null, 'a process seen twice has a CPU figure');
    assert.ok(cpu <= CORES * 100, `CPU% is clamped to cores × 100 (got ${cpu})`);
    const own = ((after.micros - before.micros) / 1000 / (after.at - before.at)) * 100;
    const idleCapacity = CORES * (100 - (tick.machine.cpu ?? 0));
    const expected = Math.min(ideal, cpu + idleCapacity);
    readings.push(`${Math.round(cpu)} (own ${Math.round(own)}, expected ${Math.round(expected)})`);
    const agrees = Math.abs(cpu - own) <= tolerance(own);
    const asExpected = Math.abs(cpu - expected) <= tolerance(expected);
    if (agrees && asExpected) return { cpu, expected, readings, tick, previous };
  }
  assert.fail(`CPU% of pid ${burner.pid} never right: ${readings.join(', ')}`);
}

// ---- tests ---------------------------------------------------------------------------------------

describe('createCollector', () => {
  test('chooses /proc on Linux, portable elsewhere or when forced by env', () => {
    assert.equal(defaultCollectorKind({}, 'linux'), 'procfs');
    assert.equal(defaultCollectorKind({}, 'darwin'), 'portable');
    assert.equal(defaultCollectorKind({}, 'win32'), 'portable');
    assert.equal(defaultCollectorKind({ PROCESS_TRACKER_COLLECTOR: 'portable' }, 'linux'), 'portable');
    const collector = createCollector();
    assert.equal(collector.kind, 'procfs');
    collector.close();
  });
});

describe('procfs collector on real processes', () => {
  test('a CPU burner reads ≈100 % (±15); first sight is null', async () => {
    const burner = startNode('burner.js', '1');
    await burner.line('ready');
    const sampler = new Sampler(new ProcfsCollector(), createCategorizer([]));
    try {
      const first = await sampler.sample();
      assert.equal(rowOf(first.processes, burner.pid).cpu, null);
      const { cpu, expected } = await measureBurner(sampler, burner, 100, () => 15);
      assert.ok(Math.abs(cpu - expected) <= 15);
      const row = rowOf((await sampler.sample()).processes, burner.pid);
      assert.equal(row.name, 'node');
      assert.equal(row.category, 'development');
      assert.equal(row.ppid, process.pid);
      assert.equal(row.user, 'root');
    } finally {
      sampler.close();
      killChild(burner.process);
    }
  });

  test(`4 busy threads read ≈min(400, cores × 100) % (±15 % relative)`, async () => {
    const burner = startNode('burner.js', '4');
    await burner.line('ready');
    const sampler = new Sampler(new ProcfsCollector(), createCategorizer([]));
    try {
      const ideal = Math.min(400, CORES * 100);
      const { tick } = await measureBurner(sampler, burner, ideal, (e) => Math.max(5, e * 0.15), 3000);
      const threads = rowOf(tick.processes, burner.pid).threads;
      assert.ok(threads !== null && threads >= 5, `main + 4 workers at least (got ${threads})`);
    } finally {
      sampler.close();
      killChild(burner.process);
    }
  });

  test('a memory grower’s RSS follows what it allocated (±10 %)', async () => {
    const grower = startNode('grower.js');
    await grower.line('ready');
    const collector = new ProcfsCollector();
    try {
      const before = rowOf(collector.collectSync().processes, grower.pid).rss!;
      grower.send('grow 200\n');
      const selfReported = Number((await grower.line('grown')).split(' ')[1]);
      const afterRss = rowOf(collector.collectSync().processes, grower.pid).rss!;
      const grown = afterRss - before;
      assert.ok(
        Math.abs(grown - 200 * MB) <= 20 * MB,
        `RSS grew by ${(grown / MB).toFixed(1)} MB, expected 200 ± 20`,
      );
      assert.ok(
        Math.abs(afterRss - selfReported) <= selfReported * 0.1,
        `collector ${afterRss} vs the process's own ${selfReported}`,
      );
    } finally {
      collector.close();
      killChild(grower.process);
    }
  });

  test('an IO writer’s write rate is seen and its cumulative bytes match what it wrote', async () => {
    const writer = startNode('io-writer.js', tempDir());
    await writer.line('ready');
    const collector = new ProcfsCollector();
    const sampler = new Sampler(collector, createCategorizer([]));
    try {
      const baseline = rowOf(collector.collectSync().processes, writer.pid).writeBytes;
      assert.ok(baseline !== null, 'root reads every /proc/[pid]/io');
      await sampler.sample();
      writer.send('write 64\n');
      const written = Number((await writer.line('written')).split(' ')[1]);
      assert.equal(written, 64 * MB);
      // Poll until a tick shows the rate (the write may straddle ticks).
      let tick: Tick | undefined;
      let row: ProcessRow | undefined;
      let sawRate = false;
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        await sleep(300);
        tick = await sampler.sample();
        row = rowOf(tick.processes, writer.pid);
        if (row.writeBps !== null && row.writeBps > 0) sawRate = true;
        if (sawRate) break;
      }
      assert.ok(sawRate, 'a tick shows writeBps > 0');
      const raw = rowOf(collector.collectSync().processes, writer.pid);
      const delta = raw.writeBytes! - baseline;
      assert.ok(
        delta >= written * 0.95 && delta <= written * 1.5,
        `write_bytes grew ${delta}, wrote ${written}`,
      );
    } finally {
      sampler.close();
      killChild(writer.process);
    }
  });

  // A writer that blocks in fdatasync uses little CPU: its CPU ticks stay put on most ticks while
  // its io moves. One thread (python: the schedstat path) and several (node).
  for (const [kind, command, script] of [
    ['one thread', 'python3', 'paced-writer.py'],
    ['several threads', process.execPath, 'paced-writer.js'],
  ] as const) {
    test(`a 1 MiB/s writer with fdatasync (${kind}): every tick's write figure is /proc/[pid]/io's, the total within 1 % after exit`, async () => {
      const writer = start(command, [path.join(PROCS, script), tempDir(), '10']);
      const procfs = new ProcfsCollector();
      // A tap, not a stand-in: the real collector's raw readings, kept to compare with /proc.
      let raw: RawSnapshot | undefined;
      const collector = {
        kind: procfs.kind,
        collect: async () => (raw = await procfs.collect()),
        close: () => procfs.close(),
      };
      const sampler = new Sampler(collector, createCategorizer([]));
      try {
        await writer.line('ready');
        const ownWriteBytes = () => {
          try {
            return Number(/\nwrite_bytes: (\d+)/.exec(readFileSync(`/proc/${writer.pid}/io`, 'latin1'))![1]);
          } catch {
            return null; // exited
          }
        };
        let final: number | null = null;
        void writer.line('done', 60_000).then((line) => (final = Number(line.split(' ')[1])));
        let first: number | null = null;
        let counted = 0;
        const wrong: string[] = [];
        for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(1000)) {
          // /proc/[pid]/io just before and just after the collector: its reading must lie between
          // (a figure carried forward from an earlier tick lies below), give or take 10 % of a
          // tick's writing (1 MiB).
          const before = ownWriteBytes();
          const tick = await sampler.sample();
          const after = ownWriteBytes();
          const row = tick.processes.find((r) => r.pid === writer.pid);
          const reading = raw!.processes.find((p) => p.pid === writer.pid)?.writeBytes;
          if (before === null || after === null || !row || reading == null) break;
          if (reading < before - 0.1 * MB || reading > after + 0.1 * MB)
            wrong.push(`read ${reading} while /proc said ${before}…${after}`);
          if (first === null) first = reading;
          else counted += (row.writeBps ?? 0) * (tick.elapsedMs / 1000);
        }
        assert.ok(first !== null && final !== null, 'the writer was seen and finished');
        assert.deepEqual(wrong, [], 'ticks whose write figure is not /proc/[pid]/io');
        const total = final! - first!;
        assert.ok(total >= 8 * MB, `the writer wrote ${total} bytes while watched`);
        assert.ok(
          Math.abs(counted - total) <= total * 0.01,
          `the ticks add up to ${Math.round(counted)} bytes, the writer wrote ${total}`,
        );
      } finally {
        sampler.close();
        killChild(writer.process);
      }
    });
  }

  test('identity is stable across readings; a killed child is reported exited', async () => {
    const sleeper = start('sleep', ['300']);
    const sampler = new Sampler(new ProcfsCollector(), createCategorizer([]));
    try {
      // A fresh child can be caught between fork and exec, still named after its parent.
      let first: ProcessRow | undefined;
      const deadline = Date.now() + 10_000;
      do first = rowOf((await sampler.sample()).processes, sleeper.pid);
      while (first.name !== 'sleep' && Date.now() < deadline && (await sleep(50), true));
      assert.equal(first.name, 'sleep');
      assert.equal(first.cmdline, 'sleep 300');
      assert.ok(Math.abs(first.startTime - Date.now()) < 60_000, 'start time is wall-clock ms');
      const second = rowOf((await sampler.sample()).processes, sleeper.pid);
      assert.equal(second.startTime, first.startTime);
      process.kill(sleeper.pid, 'SIGKILL');
      await new Promise((resolve) => sleeper.process.once('exit', resolve));
      const tick = await sampler.sample();
      assert.equal(
        tick.processes.some((p) => p.pid === sleeper.pid),
        false,
      );
      assert.deepEqual(
        tick.exited.filter((e) => e.pid === sleeper.pid),
        [{ pid: sleeper.pid, startTime: first.startTime }],
      );
    } finally {
      sampler.close();
      killChild(sleeper.process);
    }
  });

  test('a long-idle process is read every other tick; when it wakes, its CPU is whole and ≤ one core', async () => {
    // dash waiting on a pipe is single-threaded and idle; a line sends it into a busy loop.
    const shell = start('sh', ['-c', 'read line; echo busy; while :; do :; done']);
    const collector = new ProcfsCollector({ idleAfterMs: 600, idleRereadMs: 300 });
    const sampler = new Sampler(collector, createCategorizer([]));
    const TICK_MS = 200;
    try {
      for (const until = performance.now() + 2000; performance.now() < until;) {
        await sampler.sample();
        await sleep(TICK_MS);
      }
      assert.ok(collector.idleSkips > 0, 'idle processes were left unread on some ticks');
      const before = cpuSecondsOf(shell.pid);
      await sampler.sample();
      shell.send('go\n');
      await shell.line('busy');
      let seen = 0;
      let firstBusyTick = -1;
      let peak = 0;
      for (let i = 0; i < 10; i++) {
        await sleep(TICK_MS);
        const tick = await sampler.sample();
        const cpu = rowOf(tick.processes, shell.pid).cpu ?? 0;
        if (cpu > 0 && firstBusyTick < 0) firstBusyTick = i;
        peak = Math.max(peak, cpu);
        seen += (cpu / 100) * (tick.elapsedMs / 1000);
      }
      const used = cpuSecondsOf(shell.pid) - before;
      assert.ok(
        firstBusyTick >= 0 && firstBusyTick <= 1,
        `woken process seen by its second tick (${firstBusyTick})`,
      );
      assert.ok(peak <= 100, `a single-threaded process reads at most one core (peak ${peak})`);
      // CPU-seconds are whole, less at most the excess over one core of the tick that saw it wake.
      assert.ok(
        seen <= used + 0.05 && seen >= used - 0.3,
        `CPU-seconds over the ticks ${seen.toFixed(2)} vs the process's own ${used.toFixed(2)}`,
      );
    } finally {
      sampler.close();
      const closed = new Promise((resolve) => shell.process.once('close', resolve));
      killChild(shell.process);
      await closed; // its pipes too: the next test counts this process's open fds
    }
  });

  test('processes vanishing mid-read are silent, and close() releases every kept fd', async () => {
    const ownFds = () => readdirSync('/proc/self/fd').length;
    const before = ownFds();
    const collector = new ProcfsCollector();
    const churn: ChildProcess[] = [];
    try {
      for (let round = 0; round < 15; round++) {
        for (let i = 0; i < 4; i++) churn.push(spawn('true', [], { stdio: 'ignore' }));
        const snapshot = collector.collectSync();
        assert.ok(snapshot.processes.length > 10);
        await sleep(10);
      }
      assert.ok(ownFds() > before, 'stat files are kept open between readings');
    } finally {
      collector.close();
      await Promise.all(
        churn.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
      );
    }
    assert.equal(ownFds(), before);
  });

  test('the sampler categorizes each identity once, not every tick', async () => {
    const categorize = createCategorizer([]);
    let calls = 0;
    const sampler = new Sampler(new ProcfsCollector(), (process) => {
      calls++;
      return categorize(process);
    });
    try {
      const first = await sampler.sample();
      assert.equal(calls, first.processes.length);
      calls = 0;
      const second = await sampler.sample();
      const before = new Set(first.processes.map((p) => `${p.pid}:${p.startTime}:${p.name}:${p.cmdline}`));
      const changed = second.processes.filter(
        (p) => !before.has(`${p.pid}:${p.startTime}:${p.name}:${p.cmdline}`),
      );
      assert.equal(calls, changed.length, 'only new (or exec-changed) identities are categorized');
      assert.ok(calls < second.processes.length / 2);
    } finally {
      sampler.close();
    }
  });

  test('machine totals are plausible', () => {
    const collector = new ProcfsCollector();
    try {
      const { machine } = collector.collectSync();
      assert.equal(machine.cores, CORES);
      assert.ok(Math.abs(machine.memTotal - os.totalmem()) < 64 * MB);
      assert.ok(machine.memUsed > 0 && machine.memUsed < machine.memTotal);
      assert.ok(machine.swapUsed >= 0 && machine.swapUsed <= machine.swapTotal);
      assert.ok(machine.cpuIdleMs > 0 && machine.cpuIdleMs < machine.cpuTotalMs);
      // /proc/loadavg changes every 5 s: compare with node's reading of it, retrying across a change.
      const same = () => {
        const mine = collector.collectSync().machine.load.map((l) => Math.round(l * 100));
        return JSON.stringify(mine) === JSON.stringify(os.loadavg().map((l) => Math.round(l * 100)));
      };
      assert.ok(same() || same() || same(), 'load averages match /proc/loadavg');
    } finally {
      collector.close();
    }
  });
});

describe('unreadable fields are null', () => {
  test('run as nobody, root’s io and fds are null while readable fields are present', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const bundle = path.join(dir, 'collect-as-user.js');
    await esbuild.build({
      entryPoints: [path.join(PROCS, 'collect-as-user.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
    chmodSync(bundle, 0o644);
    const child = start(process.execPath, [bundle, String(process.pid)], {
      uid: 65534,
      gid: 65534,
      cwd: dir,
    });
    const result = JSON.parse(await child.line('{')) as { uid: number; self: RawProcess; other: RawProcess };
    assert.equal(result.uid, 65534);

    const root = result.other;
    assert.ok(root, 'root’s process is listed');
    assert.equal(root.readBytes, null);
    assert.equal(root.writeBytes, null);
    assert.equal(root.fds, null);
    assert.equal(root.user, 'root');
    assert.equal(root.name, 'node');
    assert.match(root.cmdline, /collect\.test\.ts|--test/);
    assert.ok(root.cpuSeconds !== null && root.cpuSeconds > 0);
    assert.ok(root.rss !== null && root.rss > 0);
    assert.ok(root.threads !== null && root.threads > 0);

    const own = result.self;
    assert.ok(own, 'its own process is listed');
    assert.equal(own.user, 'nobody');
    assert.ok(own.readBytes !== null && own.writeBytes !== null, 'its own io is readable');
    assert.ok(own.fds !== null && own.fds > 0, 'its own fds are readable');
  });
});

describe('portable collector (ps-list + pidusage)', () => {
  test('sees the same processes as /proc (≥ 95 % of long-lived pids) and the same child', async () => {
    const sleeper = start('sleep', ['300']);
    const procfs = new ProcfsCollector();
    const portable = new PortableCollector();
    try {
      // Let the child exec so both collectors see it under its own name.
      await sleep(300);
      const a = procfs.collectSync();
      const p = await portable.collect();
      const b = procfs.collectSync();
      const pidsOf = (s: RawSnapshot) => new Set(s.processes.map((x) => x.pid));
      const [inA, inP, inB] = [pidsOf(a), pidsOf(p), pidsOf(b)];
      const longLived = [...inA].filter((pid) => inB.has(pid));
      const shared = longLived.filter((pid) => inP.has(pid));
      const missing = longLived.filter((pid) => !inP.has(pid));
      assert.ok(
        shared.length >= longLived.length * 0.95,
        `portable saw ${shared.length} of ${longLived.length} long-lived pids; missing ${missing.join(', ')}`,
      );

      const fromProc = rowOf(b.processes, sleeper.pid);
      const fromPortable = rowOf(p.processes, sleeper.pid);
      assert.equal(fromPortable.name, fromProc.name);
      assert.equal(fromPortable.name, 'sleep');
      assert.equal(fromPortable.cmdline, fromProc.cmdline);
      assert.equal(fromPortable.ppid, fromProc.ppid);
      assert.equal(fromPortable.user, fromProc.user);
      assert.ok(
        Math.abs(fromPortable.startTime - fromProc.startTime) <= 1000,
        'start times agree to the second',
      );
      assert.equal(fromPortable.startTime % 1000, 0, 'whole seconds on the portable path');
      assert.ok(Math.abs(fromPortable.rss! - fromProc.rss!) <= fromProc.rss! * 0.2 + 64 * 1024);
      assert.equal(fromPortable.readBytes, null);
      assert.equal(fromPortable.fds, null);
      assert.equal(fromPortable.threads, null);
    } finally {
      procfs.close();
      portable.close();
      killChild(sleeper.process);
    }
  });

  test('a CPU burner reads ≈100 % through the portable path too, with stable identities', async () => {
    const burner = startNode('burner.js', '1');
    await burner.line('ready');
    const sampler = new Sampler(new PortableCollector(), createCategorizer([]));
    try {
      const first = rowOf((await sampler.sample()).processes, burner.pid);
      const { tick, previous } = await measureBurner(sampler, burner, 100, () => 15);
      assert.equal(rowOf(tick.processes, burner.pid).startTime, first.startTime);
      assert.ok(!tick.exited.some((e) => e.pid === burner.pid), 'no identity flicker');
      assert.ok(previous.processes.some((p) => p.pid === burner.pid));
      assert.ok(tick.machine.cpu !== null && tick.machine.cpu > 0);
    } finally {
      sampler.close();
      killChild(burner.process);
    }
  });
});
