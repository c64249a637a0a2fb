// The engine over constructed ticks (the sampler's shape, the agent's 2 s interval): each detector
// fires with the right kind and subject within its documented delay, and calm processes make none.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProcessRow, Tick } from '../../../../shared/model';
import { AnalyticsEngine } from '../../../../agent/analytics/engine';
import { silentLogger } from '../../../../agent/log';
import { processRow } from '../../../fixtures/rows';

const MiB = 1024 * 1024;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function row(
  pid: number,
  name: string,
  cpu: number,
  rss: number,
  startTime = T0 - 3_600_000,
  cmdline = name,
): ProcessRow {
  return processRow({ pid, startTime, name, cmdline, user: 'u', cpu, rss });
}

function tick(ts: number, processes: ProcessRow[], exited: Tick['exited'] = []): Tick {
  return {
    ts,
    elapsedMs: 2000,
    machine: {
      ts,
      cpu: 10,
      cores: 2,
      memUsed: 4e9,
      memTotal: 16e9,
      swapUsed: 0,
      swapTotal: 0,
      load1: 0,
      load5: 0,
      load15: 0,
      processCount: processes.length,
    },
    processes,
    exited,
  };
}

/** Calm background: 50 idle or steady processes, the same row objects tick after tick. */
const calm = Array.from({ length: 50 }, (_, i) => row(100 + i, `daemon${i % 7}`, i % 5, (20 + i) * MiB));

describe('analytics engine', () => {
  it('reports a 5 MB/s leak within 4 minutes of its start, and nothing about the calm processes', () => {
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    const start = T0;
    let reportedAt: number | undefined;
    for (let ts = start; ts < start + 6 * 60_000; ts += 2000) {
      const leaker = row(42, 'leaker', 3, 50 * MiB + ((ts - start) / 1000) * 5e6, start);
      engine.onTick(tick(ts, [...calm, leaker]));
      if (reportedAt === undefined && engine.findingsIn(start, ts).some((f) => f.kind === 'leak'))
        reportedAt = ts;
    }
    assert.ok(
      reportedAt !== undefined && reportedAt - start <= 4 * 60_000,
      `reported after ${reportedAt! - start} ms`,
    );
    const findings = engine.findingsIn(start, start + 6 * 60_000);
    assert.deepEqual(
      findings.map((f) => [f.kind, f.subject.name]).filter(([kind]) => kind === 'leak'),
      [['leak', 'leaker']],
    );
    assert.ok(!findings.some((f) => f.subject.name?.startsWith('daemon')), JSON.stringify(findings));
    const leak = findings.find((f) => f.kind === 'leak')!;
    assert.ok(Math.abs((leak.evidence.rateBps as number) - 5e6) < 2e5, String(leak.evidence.rateBps));
    assert.ok((leak.evidence.r2 as number) > 0.99);
    assert.match(leak.summary.en, /leaker \(pid 42\) memory grows 4\.8 MiB\/s/);
    assert.match(leak.summary.zh, /内存持续增长/);
  });

  it('reports a program that restarts every second as a restart loop within 90 s, with its lifetimes', () => {
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    let pid = 5000;
    let current = row(pid, 'crashy', 50, 30 * MiB, T0, 'node crashy.js');
    let reportedAt: number | undefined;
    for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
      // Each tick sees a new instance (started a second ago); the previous one is gone.
      const previous = current;
      current = row(++pid, 'crashy', 50, 30 * MiB, ts - 1000, 'node crashy.js');
      engine.onTick(tick(ts, [...calm, current], [{ pid: previous.pid, startTime: previous.startTime }]));
      if (reportedAt === undefined && engine.findingsIn(T0, ts).some((f) => f.kind === 'restart_loop'))
        reportedAt = ts;
    }
    assert.ok(reportedAt !== undefined && reportedAt - T0 <= 90_000, `reported after ${reportedAt! - T0} ms`);
    const loops = engine.findingsIn(T0, T0 + 120_000).filter((f) => f.kind === 'restart_loop');
    assert.equal(loops.length, 1);
    assert.equal(loops[0]!.subject.cmdline, 'node crashy.js');
    assert.ok((loops[0]!.evidence.restarts as number) >= 5);
    assert.match(loops[0]!.summary.en, /exit not observed/);
  });

  it('does not call one command line run by many parents, or side by side, a restart loop', () => {
    // The shape of the first quiet run's false positive (bench findingsquiet): `bash /dev/fd/3`
    // started every few seconds, each by its own parent (a fresh runner's shell); and a parent
    // keeping three workers of one command line, each replaced as it ends.
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    let pid = 6000;
    let runner = processRow({ pid, ppid: 300, startTime: T0, name: 'bash', cmdline: 'bash /dev/fd/3' });
    const workers = [0, 1, 2].map((i) =>
      processRow({ pid: 7000 + i, ppid: 400, startTime: T0 - i * 2000, name: 'w', cmdline: 'worker.js' }),
    );
    for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
      const exited: Tick['exited'] = [{ pid: runner.pid, startTime: runner.startTime }];
      runner = processRow({ ...runner, pid: ++pid, ppid: 300 + pid, startTime: ts - 1000 });
      // The oldest worker (alive 6 s) ends and a new one starts beside the other two.
      const oldest = workers.shift()!;
      exited.push({ pid: oldest.pid, startTime: oldest.startTime });
      workers.push(processRow({ ...oldest, pid: oldest.pid + 3, startTime: ts - 500 }));
      engine.onTick(tick(ts, [...calm, runner, ...workers], exited));
    }
    assert.deepEqual(
      engine.findingsIn(T0, T0 + 120_000).map((f) => `${f.kind} ${f.subject.cmdline}`),
      [],
    );
  });

  it('does not call rows without a command line (exiting orphans, kernel threads) a restart loop', () => {
    // tsx's esbuild services caught exiting after their node process ended: no command line, and
    // reparented to pid 1 — one after another, at once; and kworkers, created and ended by pid 2.
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    let pid = 9000;
    let orphan: ProcessRow | null = null;
    let kworker: ProcessRow | null = null;
    for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
      const exited = [orphan, kworker].flatMap((r) => (r ? [{ pid: r.pid, startTime: r.startTime }] : []));
      orphan = processRow({ pid: ++pid, ppid: 1, startTime: ts - 1500, name: 'esbuild', cmdline: '' });
      kworker = processRow({ pid: ++pid, ppid: 2, startTime: ts - 1000, name: 'kworker/u4:1', cmdline: '' });
      engine.onTick(tick(ts, [...calm, orphan, kworker], exited));
    }
    assert.deepEqual(
      engine.findingsIn(T0, T0 + 120_000).map((f) => `${f.kind} ${f.subject.name}`),
      [],
    );
  });

  it("does not call a shell's subshells (forks with its command line) a restart loop", () => {
    // A tool runner's shell (`bash /dev/fd/3`) forking a subshell per command, one after another.
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    const asShell = processRow({
      pid: 600,
      startTime: T0 - 60_000,
      name: 'bash',
      cmdline: 'bash /dev/fd/3',
      category: 'shell',
    });
    let pid = 9500;
    let sub: ProcessRow | null = null;
    for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
      const exited = sub ? [{ pid: sub.pid, startTime: sub.startTime }] : [];
      const next: ProcessRow = { ...asShell, pid: ++pid, ppid: 600, startTime: ts - 1000 };
      engine.onTick(tick(ts, [...calm, asShell, next], exited));
      sub = next;
    }
    assert.deepEqual(
      engine.findingsIn(T0, T0 + 120_000).map((f) => `${f.kind} ${f.subject.cmdline}`),
      [],
    );
  });

  it("does not call any agent's history worker, started and ended by design, a restart loop", () => {
    // An agent forks its history worker per query and ends it when idle (agent/history/lane.ts):
    // a panel refreshing a past range after each idle end is one worker after another. The
    // engine's own agent is its parent — and so is a second agent on the machine (another data
    // dir, a suite's) for its own worker, which is no more a loop. The same shape from any other
    // program is one.
    const findings = (ppid: number, cmdline: string) => {
      const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
      let pid = 7000;
      let worker: ProcessRow | null = null;
      for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
        const exited = worker ? [{ pid: worker.pid, startTime: worker.startTime }] : [];
        worker = processRow({ pid: ++pid, ppid, startTime: ts - 500, name: 'node', cmdline });
        engine.onTick(tick(ts, [...calm, worker], exited));
      }
      return engine.findingsIn(T0, T0 + 120_000).map((f) => f.kind);
    };
    const bundled = 'node --expose-gc --max-semi-space-size=1 /opt/process-tracker/dist/history-worker.js';
    assert.deepEqual(findings(process.pid, bundled), []);
    assert.deepEqual(findings(process.pid + 1, bundled), [], "another agent's worker");
    // Under tsx (a test suite's agent): the TypeScript entry.
    const source = 'node --require /w/node_modules/tsx/dist/cjs/index.cjs /w/agent/history/entry.ts';
    assert.deepEqual(findings(process.pid + 1, source), [], "a suite's agent's worker");
    assert.deepEqual(findings(process.pid + 1, 'node /opt/app/worker.js'), ['restart_loop']);
    assert.deepEqual(findings(process.pid + 1, 'node /opt/app/history-worker.js.bak'), ['restart_loop']);
  });

  it('does not call one parent running a command again seconds after it ended a restart loop', () => {
    // A polling script (or a tool runner's next call): `git status` lives a second or two and the
    // next one starts 7 s after the tick that saw it gone — six a minute, one at a time, one parent.
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    let pid = 8000;
    let poll: ProcessRow | null = null;
    for (let ts = T0; ts < T0 + 120_000; ts += 2000) {
      const phase = (ts - T0) % 10_000;
      const exited: Tick['exited'] = [];
      if (phase === 2000) {
        poll = processRow({
          pid: ++pid,
          ppid: 500,
          startTime: ts - 1000,
          name: 'git',
          cmdline: 'git status',
        });
      } else if (poll && phase === 4000) {
        exited.push({ pid: poll.pid, startTime: poll.startTime });
        poll = null;
      }
      engine.onTick(tick(ts, [...calm, ...(poll ? [poll] : [])], exited));
    }
    assert.equal(pid - 8000, 12, 'twelve runs in two minutes');
    assert.deepEqual(
      engine.findingsIn(T0, T0 + 120_000).map((f) => `${f.kind} ${f.subject.cmdline}`),
      [],
    );
  });

  it('reports a process that starts burning a core after idling as a CPU anomaly, baseline shown', () => {
    const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
    const burnFrom = T0 + 5 * 60_000;
    for (let ts = T0; ts < burnFrom + 2 * 60_000; ts += 2000) {
      const burner = row(77, 'burner', ts >= burnFrom ? 100 : 0.5, 40 * MiB);
      engine.onTick(tick(ts, [...calm, burner]));
    }
    const anomalies = engine.findingsIn(T0, burnFrom + 2 * 60_000).filter((f) => f.kind === 'anomaly');
    assert.deepEqual(
      anomalies.map((f) => f.subject.name),
      ['burner'],
    );
    assert.ok(anomalies[0]!.from >= burnFrom && anomalies[0]!.from <= burnFrom + 4000);
    assert.equal(anomalies[0]!.evidence.baseline, 0.5);
    assert.match(anomalies[0]!.summary.en, /burner \(pid 77\) CPU 100% against its baseline 0\.5%/);
  });

  it('keeps baselines and findings across a restart (files under the data dir)', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pt-analytics-'));
    try {
      const first = new AnalyticsEngine({ dataDir, log: silentLogger });
      let pid = 9000;
      for (let ts = T0; ts < T0 + 3 * 60_000; ts += 2000) {
        first.onTick(
          tick(
            ts,
            [...calm, row(++pid, 'crashy', 1, MiB, ts - 1000)],
            [{ pid: pid - 1, startTime: ts - 3000 }],
          ),
        );
      }
      first.stop();
      const second = new AnalyticsEngine({ dataDir, log: silentLogger });
      assert.equal(second.findingsIn(T0, T0 + 3 * 60_000).filter((f) => f.kind === 'restart_loop').length, 1);
      assert.ok((second.names.get('daemon1')?.ring.n ?? 0) >= 2, 'per-name minute points survive');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
