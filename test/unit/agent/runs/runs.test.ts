// agent/runs' pure parts: which processes are a run's subtree, the comparison with earlier runs,
// and the redaction of secrets typed in a command.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessRow, Run } from '../../../../shared/model';
import { compareRuns } from '../../../../agent/runs/compare';
import { redactCommand } from '../../../../agent/runs/redact';
import { childrenOf, subtreeRows } from '../../../../agent/runs/subtree';
import { comparisonText } from '../../../../shared/runText';

const row = (pid: number, ppid: number, startTime: number, name = 'p'): ProcessRow => ({
  pid,
  ppid,
  startTime,
  name,
  cmdline: name,
  user: 'u',
  category: 'other',
  container: null,
  cpu: 10,
  rss: 1000,
  readBps: 0,
  writeBps: 0,
  threads: 1,
  fds: 3,
});

describe('runs: the subtree', () => {
  it('a task: the root and its descendants; not a child that names a reused parent pid', () => {
    const rows = [
      row(100, 1, 50_000, 'bash'),
      row(101, 100, 50_100, 'node'),
      row(102, 101, 50_200, 'esbuild'),
      // Parent pid 101 read when another process had that pid: it started before this node did.
      row(103, 101, 50_050, 'stale'),
      row(104, 1, 50_300, 'other'),
    ];
    const members = new Set<string>();
    const found = subtreeRows(
      { pid: 100, includeRoot: true, startedFrom: 50_000 },
      rows,
      childrenOf(rows),
      members,
    );
    assert.deepEqual(found.map((r) => r.name).sort(), ['bash', 'esbuild', 'node']);
    // Reparented to init next tick: still the run's.
    const next = [row(100, 1, 50_000, 'bash'), row(102, 1, 50_200, 'esbuild')];
    const again = subtreeRows(
      { pid: 100, includeRoot: true, startedFrom: 50_000 },
      next,
      childrenOf(next),
      members,
    );
    assert.deepEqual(again.map((r) => r.name).sort(), ['bash', 'esbuild']);
  });

  it("a terminal command: the shell's children started after it, not the shell or an older job", () => {
    const rows = [row(200, 1, 1_000, 'bash'), row(201, 200, 2_000, 'sleep'), row(202, 200, 60_000, 'make')];
    const found = subtreeRows(
      { pid: 200, includeRoot: false, startedFrom: 59_900 },
      rows,
      childrenOf(rows),
      new Set(),
    );
    assert.deepEqual(
      found.map((r) => r.name),
      ['make'],
    );
  });
});

describe('runs: against earlier runs', () => {
  const run = (start: number, seconds: number, peak: number, command = 'npm run build'): Run => ({
    id: String(start),
    source: 'task',
    command,
    folder: '/w',
    pid: 1,
    start,
    end: start + seconds * 1000,
    exitCode: 0,
    cpuSeconds: 1,
    peakRss: peak,
    readBytes: 0,
    writeBytes: 0,
    processes: 1,
  });

  it('compares with the median of the same command in the same folder only', () => {
    const runs = [
      run(0, 10, 100),
      run(100_000, 12, 100),
      run(150_000, 99, 999, 'other'),
      run(200_000, 22, 300),
    ];
    const c = compareRuns(runs);
    assert.equal(c[0]!.earlier, 0);
    assert.equal(comparisonText(c[0]!), 'first run');
    assert.equal(c[3]!.earlier, 2);
    assert.equal(c[3]!.medianSeconds, 11);
    assert.equal(c[3]!.durationRatio, 2);
    assert.equal(c[3]!.peakRatio, 3);
    assert.match(comparisonText(c[3]!), /^2\.0× slower, 3\.0× hungrier than usual/);
  });
});

describe('runs: secrets typed in a command', () => {
  it('replaces secret assignments, flags, headers and URL credentials; keeps the rest', () => {
    const text = redactCommand(
      'GITHUB_TOKEN=abc123 API_KEY="x y" curl --password hunter2 -H "Authorization: Bearer eyJ.x" https://me:pw@host/p --verbose',
    );
    for (const secret of ['abc123', 'x y', 'hunter2', 'eyJ.x', 'me:pw'])
      assert.ok(!text.includes(secret), text);
    assert.match(text, /curl .*--verbose/);
    assert.equal(redactCommand('npm run build -- --watch'), 'npm run build -- --watch');
  });
});
