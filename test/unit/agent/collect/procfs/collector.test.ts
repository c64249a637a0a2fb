// The /proc collector over a fixture tree instead of the live kernel (procRoot): three ticks of
// test/fixtures/proc/ (see its README) copied to a temp folder and changed in place between ticks,
// as the kernel changes a kept-open file. Also the identity checks (start time, details) on it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcfsCollector } from '../../../../../agent/collect/procfs';
import type { RawProcess, RawSnapshot } from '../../../../../agent/collect/types';
import { readProcessDetails } from '../../../../../agent/service/details';
import { currentStartTime } from '../../../../../agent/service/procStat';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'fixtures', 'proc');
const PASSWD = path.join(FIXTURES, 'passwd');
const BOOT_MS = 1_700_000_000_000;
const PAGE = 4096;
const DOCKER = 'docker:3f2a6c1b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';

const temp = mkdtempSync(path.join(os.tmpdir(), 'pt-procfs-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A fresh copy of tick 1; empty folders (git keeps none) made here: a kernel thread's and a zombie's fds. */
function procTree(): string {
  const root = mkdtempSync(path.join(temp, 'proc-'));
  cpSync(path.join(FIXTURES, 'tick1'), root, { recursive: true });
  for (const empty of ['2/fd', '200/fd']) mkdirSync(path.join(root, empty));
  return root;
}

/** Writes a tick's changed files over the tree in place: kept-open descriptors see the new bytes. */
function overlay(root: string, tick: string, from = path.join(FIXTURES, tick)): void {
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    const target = path.join(root, entry);
    if (statSync(source).isDirectory()) {
      mkdirSync(target, { recursive: true });
      overlay(target, tick, source);
    } else {
      writeFileSync(target, readFileSync(source));
    }
  }
}

function row(
  pid: number,
  fields: Omit<RawProcess, 'pid' | 'startTime' | 'cpuSeconds' | 'systemSeconds' | 'rss'> & {
    startTicks: number;
    /** utime + stime, and stime alone (the fixture's stat fields 14 and 15). */
    ticks: number;
    system: number;
    rssPages: number;
  },
): RawProcess {
  const { startTicks, ticks, system, rssPages, ...rest } = fields;
  return {
    pid,
    startTime: BOOT_MS + startTicks * 10,
    cpuSeconds: ticks / 100,
    systemSeconds: system / 100,
    rss: rssPages * PAGE,
    ...rest,
  } as RawProcess;
}

/** Rows in pid order: a directory lists in the file system's order, not /proc's. */
const byPid = (snapshot: RawSnapshot) =>
  new Map([...snapshot.processes].sort((a, b) => a.pid - b.pid).map((p) => [p.pid, p]));

const TICK1: RawProcess[] = [
  row(1, {
    ...{ ppid: 0, name: 'systemd', cmdline: '/sbin/init splash', user: 'root' },
    ...{ ticks: 800, system: 300, rssPages: 3000, startTicks: 1, threads: 1, fds: 3, container: null },
    ...{ readBytes: 100000, writeBytes: 200000 },
  }),
  row(2, {
    ...{ ppid: 0, name: 'kthreadd', cmdline: '', user: 'root' },
    ...{ ticks: 12, system: 12, rssPages: 0, startTicks: 2, threads: 1, fds: 0, container: null },
    ...{ readBytes: 0, writeBytes: 0 },
  }),
  row(100, {
    ...{ ppid: 1, name: '(a) b)', cmdline: './(a) b) --flag', user: 'alice' },
    ...{ ticks: 200, system: 50, rssPages: 2560, startTicks: 5000, threads: 1, fds: 4, container: null },
    ...{ readBytes: 4096, writeBytes: 8192 },
  }),
  row(200, {
    ...{ ppid: 100, name: 'defunct-kid', cmdline: '', user: 'alice' },
    ...{ ticks: 4, system: 1, rssPages: 0, startTicks: 6000, threads: 1, fds: 0, container: null },
    ...{ readBytes: 0, writeBytes: 0 },
  }),
  row(300, {
    ...{ ppid: 1, name: 'VeryLongProcessName', cmdline: '/opt/app/VeryLongProcessName --serve' },
    ...{ user: 'root', ticks: 1400, system: 400, rssPages: 25600, startTicks: 7000, threads: 4, fds: 5 },
    ...{ container: DOCKER, readBytes: 1048576, writeBytes: 2097152 },
  }),
  // Another user's process: io and fds unreadable are null (unknown), never 0.
  row(400, {
    ...{ ppid: 1, name: 'secret-agent', cmdline: 'secret-agent', user: '1001' },
    ...{ ticks: 30, system: 10, rssPages: 512, startTicks: 8000, threads: 1, fds: null, container: null },
    ...{ readBytes: null, writeBytes: null },
  }),
];

describe('ProcfsCollector over a fixture proc root', () => {
  test('three ticks: rows, machine totals and the read schedule', () => {
    const root = procTree();
    const collector = new ProcfsCollector({ procRoot: root, passwdPath: PASSWD });
    try {
      const first = collector.collectSync();
      assert.deepEqual([...byPid(first).values()], TICK1);
      assert.deepEqual(first.machine, {
        cpuTotalMs: (10000 + 10 + 2500 + 50000 + 50 + 7) * 10,
        cpuIdleMs: 50050 * 10,
        cores: Math.max(1, os.cpus().length),
        memTotal: 8_000_000 * 1024,
        memUsed: 2_000_000 * 1024,
        swapTotal: 2_000_000 * 1024,
        swapUsed: 0,
        load: [0.52, 0.58, 0.59],
      });

      // Tick 2: pid 501 was handed out (loadavg), so /proc is listed; the zombie was reaped.
      overlay(root, 'tick2');
      rmSync(path.join(root, '200'), { recursive: true });
      const second = collector.collectSync();
      const rows2 = byPid(second);
      assert.deepEqual([...rows2.keys()], [1, 2, 100, 300, 400, 501]);
      const [one, two, hundred, , threeHundred, fourHundred] = byPid(first).values();
      // Unchanged processes come back as the very same objects (derive skips them).
      assert.equal(rows2.get(1), one);
      assert.equal(rows2.get(2), two);
      assert.deepEqual(rows2.get(100), {
        ...hundred,
        cpuSeconds: 2.25,
        systemSeconds: 0.55,
        rss: 2816 * PAGE,
        writeBytes: 12288,
      });
      assert.deepEqual(rows2.get(300), {
        ...threeHundred,
        cpuSeconds: 15.5,
        systemSeconds: 4.5,
        rss: 26000 * PAGE,
        threads: 5,
        writeBytes: 3145728,
      });
      assert.deepEqual(rows2.get(400), { ...fourHundred, cpuSeconds: 0.35, systemSeconds: 0.1 });
      assert.deepEqual(
        rows2.get(501),
        row(501, {
          ...{ ppid: 100, name: 'café) x', cmdline: 'café) x', user: 'alice' },
          ...{ ticks: 1, system: 0, rssPages: 256, startTicks: 9000, threads: 1, fds: 1, container: null },
          ...{ readBytes: 0, writeBytes: 0 },
        }),
      );
      assert.equal(second.machine.cpuTotalMs, (10400 + 10 + 2600 + 50300 + 50 + 7) * 10);

      // Tick 3: no pid handed out, so /proc is not listed (600 waits for a listing). 100 only
      // wrote (no CPU tick, same stat bytes) but its schedstat moved: io is read. 1's io file
      // moved while its schedstat did not: a process that did not run did no IO, io is not read.
      overlay(root, 'tick3');
      const third = collector.collectSync();
      const rows3 = byPid(third);
      assert.deepEqual([...rows3.keys()], [1, 2, 100, 300, 400, 501]);
      assert.deepEqual(rows3.get(100), { ...rows2.get(100)!, writeBytes: 1060864 });
      assert.equal(rows3.get(1), one);
      // 400's stat moved (RSS reclaimed) but its schedstat did not: stat is not read until due.
      assert.equal(rows3.get(400), rows2.get(400));
      assert.equal(rows3.get(300), rows2.get(300));
      assert.equal(rows3.get(501), rows2.get(501));
    } finally {
      collector.close();
    }
    assert.throws(() => collector.collectSync(), /collector is closed/);
  });

  test('a proc root without btime is refused with the root named', () => {
    const root = mkdtempSync(path.join(temp, 'empty-'));
    writeFileSync(path.join(root, 'stat'), 'cpu 1 2 3 4\n');
    assert.throws(
      () => new ProcfsCollector({ procRoot: root }),
      new RegExp(`${root}/stat has no btime line`),
    );
  });
});

describe('identity checks on a fixture proc root', () => {
  test('start time of a pid, and null for a pid that is gone', async () => {
    const root = procTree();
    assert.equal(await currentStartTime(100, root), BOOT_MS + 5000 * 10);
    assert.equal(await currentStartTime(99999, root), null);
  });

  test('details: name and thread states through the stat parser', async () => {
    const root = procTree();
    overlay(root, 'tick2');
    const odd = await readProcessDetails(
      { pid: 100, startTime: BOOT_MS + 5000 * 10 },
      { includeEnvironment: false, procRoot: root },
    );
    assert.equal(odd.name, '(a) b)');
    assert.deepEqual(odd.argv, ['./(a) b)', '--flag']);
    assert.deepEqual(odd.threads, [{ tid: 100, name: '(a) b)', state: 'S' }]);
    const utf8 = await readProcessDetails(
      { pid: 501, startTime: BOOT_MS + 9000 * 10 },
      { includeEnvironment: false, procRoot: root },
    );
    // UTF-8 as the collector names it (latin1 text sliced by hand gave 'cafÃ©) x').
    assert.equal(utf8.name, 'café) x');
    assert.deepEqual(utf8.threads, [{ tid: 501, name: 'café) x', state: 'R' }]);
    await assert.rejects(
      readProcessDetails({ pid: 100, startTime: BOOT_MS }, { includeEnvironment: false, procRoot: root }),
      /now belongs to another process/,
    );
  });
});
