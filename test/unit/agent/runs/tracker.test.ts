// The run tracker over constructed ticks: a run's CPU-seconds are what its processes used, the
// part before the first tick that saw them and a process seen only once included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunTracker } from '../../../../agent/runs/tracker';
import { silentLogger } from '../../../../agent/log';
import { tick } from '../../../fixtures/alerts';
import { processRow } from '../../../fixtures/rows';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

describe('run tracker', () => {
  it('counts the CPU time of a process seen once, and what one used before it was first seen', () => {
    const tracker = new RunTracker(null, silentLogger);
    tracker.started({ id: 'r1', source: 'task', command: 'npm run build', pid: 100, start: T0 });
    // The task's shell, then a compiler that lived a second and was seen on one tick only (its
    // rate unknown: `cpu` needs two readings), then a burner first seen after 1.5 s of work.
    const shell = (cpuTime: number, cpu: number | null) =>
      processRow({ pid: 100, ppid: 1, startTime: T0 + 5, name: 'bash', cpu, cpuTime });
    const compiler = processRow({
      pid: 101,
      ppid: 100,
      startTime: T0 + 100,
      name: 'tsc',
      cpu: null,
      cpuTime: 0.9,
    });
    const burner = (cpuTime: number, cpu: number | null) =>
      processRow({ pid: 102, ppid: 100, startTime: T0 + 1500, name: 'node', cpu, cpuTime });
    tracker.onTick(tick(T0 + 2000, [shell(0.05, null), compiler]));
    tracker.onTick(tick(T0 + 4000, [shell(0.05, 0), burner(1.5, null)]));
    tracker.onTick(tick(T0 + 6000, [shell(0.06, 0.5), burner(3.5, 100)]));
    const run = tracker.ended({
      id: 'r1',
      source: 'task',
      command: 'npm run build',
      pid: 100,
      start: T0,
      end: T0 + 6500,
      exitCode: 0,
    });
    assert.ok(Math.abs(run.cpuSeconds! - (0.06 + 0.9 + 3.5)) < 1e-9, `cpu ${run.cpuSeconds}`);
    assert.equal(run.processes, 3);
  });

  it('rows without cpuTime (another platform, an older agent) still count by their rates', () => {
    const tracker = new RunTracker(null, silentLogger);
    tracker.started({ id: 'r2', source: 'task', command: 'make', pid: 200, start: T0 });
    const row = processRow({ pid: 200, ppid: 1, startTime: T0 + 5, name: 'make', cpu: 50 });
    // 50 % of a core over two ticks of 1 s each (the fixture's interval).
    tracker.onTick(tick(T0 + 1000, [row]));
    tracker.onTick(tick(T0 + 2000, [row]));
    const run = tracker.ended({
      id: 'r2',
      source: 'task',
      command: 'make',
      pid: 200,
      start: T0,
      end: T0 + 2000,
      exitCode: 0,
    });
    assert.equal(run.cpuSeconds, 1);
  });
});
