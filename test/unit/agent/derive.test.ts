import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { derive } from '../../../agent/derive';
import type { RawMachine, RawProcess, RawSnapshot } from '../../../agent/collect/types';
import type { ProcessRow } from '../../../shared/model';

const MACHINE: RawMachine = {
  cpuTotalMs: 1_000_000,
  cpuIdleMs: 800_000,
  cores: 2,
  memTotal: 8e9,
  memUsed: 3e9,
  swapTotal: 1e9,
  swapUsed: 1e8,
  load: [0.5, 0.4, 0.3],
};

function raw(pid: number, startTime: number, fields: Partial<RawProcess> = {}): RawProcess {
  return {
    pid,
    startTime,
    ppid: 1,
    name: `p${pid}`,
    cmdline: `/bin/p${pid} --flag`,
    user: 'me',
    cpuSeconds: 10,
    systemSeconds: 2,
    rss: 1_000_000,
    readBytes: 0,
    writeBytes: 0,
    threads: 1,
    fds: 4,
    container: null,
    ...fields,
  };
}

function snapshot(
  monotonicMs: number,
  processes: RawProcess[],
  machine: Partial<RawMachine> = {},
): RawSnapshot {
  return {
    monotonicMs,
    wallMs: 1_800_000_000_000 + monotonicMs,
    machine: { ...MACHINE, ...machine },
    processes,
  };
}

const categorize = () => 'other' as const;
const row = (rows: ProcessRow[], pid: number, startTime: number) => {
  const found = rows.find((r) => r.pid === pid && r.startTime === startTime);
  assert.ok(found, `row ${pid}@${startTime} present`);
  return found;
};

describe('derive', () => {
  test('first tick: every rate is null, elapsed 0, nothing exited, levels pass through', () => {
    const tick = derive(undefined, snapshot(5000, [raw(10, 1000)]), categorize);
    assert.equal(tick.elapsedMs, 0);
    assert.equal(tick.ts, 1_800_000_005_000);
    assert.deepEqual(tick.exited, []);
    const p = row(tick.processes, 10, 1000);
    assert.equal(p.cpu, null);
    assert.equal(p.readBps, null);
    assert.equal(p.writeBps, null);
    assert.equal(p.rss, 1_000_000);
    assert.equal(p.threads, 1);
    assert.equal(p.fds, 4);
    assert.equal(p.category, 'other');
    assert.equal(tick.machine.cpu, null);
    assert.equal(tick.machine.processCount, 1);
    assert.deepEqual([tick.machine.load1, tick.machine.load5, tick.machine.load15], [0.5, 0.4, 0.3]);
  });

  test('CPU% from cumulative seconds over monotonic elapsed time', () => {
    const before = snapshot(1000, [raw(10, 1000, { cpuSeconds: 10 })]);
    const after = snapshot(3000, [raw(10, 1000, { cpuSeconds: 11.5 })]);
    const tick = derive(before, after, categorize);
    assert.equal(tick.elapsedMs, 2000);
    assert.equal(row(tick.processes, 10, 1000).cpu, 75);
  });

  test("the kernel's part of the CPU from stime alone, never more than the whole; unknown where not split", () => {
    const before = snapshot(1000, [
      raw(10, 1000, { cpuSeconds: 10, systemSeconds: 2 }),
      raw(11, 1000, { cpuSeconds: 10, systemSeconds: null }),
    ]);
    const after = snapshot(3000, [
      raw(10, 1000, { cpuSeconds: 11.5, systemSeconds: 2.5 }),
      raw(11, 1000, { cpuSeconds: 11, systemSeconds: null }),
    ]);
    const tick = derive(before, after, categorize);
    assert.equal(row(tick.processes, 10, 1000).cpu, 75);
    assert.equal(row(tick.processes, 10, 1000).cpuSystem, 25);
    assert.equal(row(tick.processes, 11, 1000).cpuSystem, null);
    // An idle process keeps its row: its system part is 0 like its CPU.
    const idle = derive(after, snapshot(5000, after.processes), categorize, tick);
    assert.equal(row(idle.processes, 10, 1000).cpuSystem, 0);
    assert.equal(row(idle.processes, 11, 1000).cpuSystem, null);
  });

  test('uses monotonic time, not wall time', () => {
    const before = snapshot(1000, [raw(10, 1000, { cpuSeconds: 0 })]);
    const after = { ...snapshot(2000, [raw(10, 1000, { cpuSeconds: 0.5 })]), wallMs: 0 };
    assert.equal(row(derive(before, after, categorize).processes, 10, 1000).cpu, 50);
  });

  test('CPU% is clamped to [0, cores × 100] and to 100 per thread', () => {
    const before = snapshot(1000, [raw(10, 1000, { cpuSeconds: 0, threads: 4 })]);
    const after = snapshot(2000, [raw(10, 1000, { cpuSeconds: 5, threads: 4 })], { cores: 2 });
    assert.equal(row(derive(before, after, categorize).processes, 10, 1000).cpu, 200);
    // Single-threaded at both readings: one core at most, whatever the counter says.
    const one = derive(
      snapshot(1000, [raw(11, 1000, { cpuSeconds: 0, threads: 1 })]),
      snapshot(2000, [raw(11, 1000, { cpuSeconds: 1.8, threads: 1 })], { cores: 4 }),
      categorize,
    );
    assert.equal(row(one.processes, 11, 1000).cpu, 100);
    // Threads that came or went between readings: the larger count bounds it.
    const grew = derive(
      snapshot(1000, [raw(12, 1000, { cpuSeconds: 0, threads: 1 })]),
      snapshot(2000, [raw(12, 1000, { cpuSeconds: 1.5, threads: 3 })], { cores: 4 }),
      categorize,
    );
    assert.equal(row(grew.processes, 12, 1000).cpu, 150);
  });

  test('a counter that goes back, or an unknown reading, gives null rates, never 0', () => {
    const before = snapshot(1000, [
      raw(10, 1000, { cpuSeconds: 5, readBytes: 5000, writeBytes: null }),
      raw(11, 1000, { cpuSeconds: null, readBytes: 100, writeBytes: 100 }),
    ]);
    const after = snapshot(2000, [
      raw(10, 1000, { cpuSeconds: 4, readBytes: 4000, writeBytes: 9000 }),
      raw(11, 1000, { cpuSeconds: 3, readBytes: null, writeBytes: 300 }),
    ]);
    const tick = derive(before, after, categorize);
    const a = row(tick.processes, 10, 1000);
    assert.deepEqual([a.cpu, a.readBps, a.writeBps], [null, null, null]);
    const b = row(tick.processes, 11, 1000);
    assert.deepEqual([b.cpu, b.readBps, b.writeBps], [null, null, 200]);
  });

  test('read and write bytes per second from cumulative counters', () => {
    const before = snapshot(0, [raw(10, 1000, { readBytes: 1000, writeBytes: 0 })]);
    const after = snapshot(4000, [raw(10, 1000, { readBytes: 9000, writeBytes: 4_000_000 })]);
    const p = row(derive(before, after, categorize).processes, 10, 1000);
    assert.equal(p.readBps, 2000);
    assert.equal(p.writeBps, 1_000_000);
  });

  test('a reused pid with another start time is a new process; the old one exited', () => {
    const before = snapshot(1000, [raw(10, 1000, { cpuSeconds: 100, name: 'old' }), raw(20, 500)]);
    const after = snapshot(3000, [raw(10, 2500, { cpuSeconds: 0.2, name: 'new' }), raw(20, 500)]);
    const tick = derive(before, after, categorize);
    const reused = row(tick.processes, 10, 2500);
    assert.equal(reused.cpu, null, 'first sight of the new identity');
    assert.equal(reused.readBps, null);
    assert.equal(reused.name, 'new');
    assert.equal(tick.processes.length, 2);
    assert.deepEqual(tick.exited, [{ pid: 10, startTime: 1000 }]);
    assert.equal(row(tick.processes, 20, 500).cpu, 0);
  });

  test('exited lists every identity of the previous tick missing now', () => {
    const before = snapshot(0, [raw(1, 1), raw(2, 2), raw(3, 3)]);
    const after = snapshot(1000, [raw(2, 2), raw(4, 4)]);
    const exited = derive(before, after, categorize).exited.sort((a, b) => a.pid - b.pid);
    assert.deepEqual(exited, [
      { pid: 1, startTime: 1 },
      { pid: 3, startTime: 3 },
    ]);
  });

  test('machine CPU% from total and idle deltas', () => {
    const before = snapshot(0, [], { cpuTotalMs: 10_000, cpuIdleMs: 8_000 });
    const after = snapshot(1000, [], { cpuTotalMs: 12_000, cpuIdleMs: 8_500 });
    assert.equal(derive(before, after, categorize).machine.cpu, 75);
    const stalled = snapshot(2000, [], { cpuTotalMs: 12_000, cpuIdleMs: 8_500 });
    assert.equal(derive(after, stalled, categorize).machine.cpu, null);
  });

  test('the categorizer sees the raw process and its answer lands in the row', () => {
    const seen: number[] = [];
    const tick = derive(undefined, snapshot(0, [raw(7, 1, { name: 'bash' })]), (p) => {
      seen.push(p.pid);
      return p.name === 'bash' ? 'shell' : 'other';
    });
    assert.deepEqual(seen, [7]);
    assert.equal(tick.processes[0]!.category, 'shell');
  });

  test('a zero elapsed time gives null rates instead of dividing by zero', () => {
    const before = snapshot(1000, [raw(10, 1000, { cpuSeconds: 1 })]);
    const after = snapshot(1000, [raw(10, 1000, { cpuSeconds: 2 })]);
    assert.equal(row(derive(before, after, categorize).processes, 10, 1000).cpu, null);
  });
});
