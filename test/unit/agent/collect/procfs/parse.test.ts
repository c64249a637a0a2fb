// The /proc parsers on the fixture tree (test/fixtures/proc/, described in its README) and on
// hand-made edge cases: bytes in, figures out, no I/O in the code under test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keptFdBudget } from '../../../../../agent/collect/procfs/files';
import {
  effectiveUid,
  nameOf,
  parseBootTime,
  parseCmdline,
  parseCpuTicks,
  parseIo,
  parseLoadavg,
  parseMeminfo,
  parseOpenFilesLimit,
  parsePageSize,
  parsePasswd,
  parseStat,
  parseStatText,
} from '../../../../../agent/collect/procfs/parse';
import { UserNames } from '../../../../../agent/collect/procfs/users';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'fixtures', 'proc');
const bytes = (file: string) => readFileSync(path.join(FIXTURES, file));
const text = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');

describe('parseStat', () => {
  test('a comm with spaces and parentheses ends at the last ")"', () => {
    assert.deepEqual(parseStat(bytes('tick1/100/stat')), {
      comm: '(a) b)',
      state: 'S',
      ppid: 1,
      // utime 150 + stime 50; the system part alone for /metrics' CPU by mode.
      ticks: 200,
      systemTicks: 50,
      threads: 1,
      startTicks: 5000,
      rssPages: 2560,
    });
  });

  test('a zombie, a kernel thread and a process with several threads', () => {
    const zombie = parseStat(bytes('tick1/200/stat'))!;
    assert.equal(zombie.state, 'Z');
    assert.equal(zombie.rssPages, 0);
    assert.equal(zombie.ppid, 100);
    const kthread = parseStat(bytes('tick1/2/stat'))!;
    assert.deepEqual([kthread.comm, kthread.ppid, kthread.rssPages], ['kthreadd', 0, 0]);
    assert.equal(parseStat(bytes('tick1/300/stat'))!.threads, 4);
  });

  test('comm is UTF-8, even with ") " inside', () => {
    assert.equal(parseStat(bytes('tick2/501/stat'))!.comm, 'café) x');
  });

  test('only the first `length` bytes of a reused buffer count', () => {
    const line = bytes('tick1/100/stat');
    const buffer = Buffer.alloc(4096, 0x39); // '9': a longer, stale line behind it
    line.copy(buffer);
    assert.deepEqual(parseStat(buffer, line.length), parseStat(line));
  });

  test('cut or foreign bytes are null, not zeros', () => {
    const line = bytes('tick1/100/stat');
    assert.equal(parseStat(line.subarray(0, 60)), null);
    assert.equal(parseStat(Buffer.from('no parentheses here 1 2 3')), null);
    assert.equal(parseStat(Buffer.from('')), null);
    assert.equal(parseStat(Buffer.from('42 (x')), null);
  });

  test('parseStatText reads latin1 text as the bytes it came from', () => {
    const latin1 = readFileSync(path.join(FIXTURES, 'tick2/501/stat'), 'latin1');
    assert.deepEqual(parseStatText(latin1), parseStat(bytes('tick2/501/stat')));
    const line = '42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 12345 1000 100 ';
    assert.equal(parseStatText(line)!.startTicks, 12345);
  });
});

describe('cmdline, name and user', () => {
  test('argv joined by spaces; kernel threads and zombies have none', () => {
    assert.equal(parseCmdline(text('tick1/1/cmdline')), '/sbin/init splash');
    assert.equal(parseCmdline(text('tick1/100/cmdline')), './(a) b) --flag');
    assert.equal(parseCmdline(text('tick1/2/cmdline')), '');
    assert.equal(parseCmdline(text('tick1/200/cmdline')), '');
  });

  test('a comm cut to 15 bytes takes its whole name from argv[0]', () => {
    assert.equal(nameOf('VeryLongProcess', '/opt/app/VeryLongProcessName --serve'), 'VeryLongProcessName');
    assert.equal(nameOf('VeryLongProcess', '/opt/app/other --serve'), 'VeryLongProcess');
    assert.equal(nameOf('VeryLongProcess', ''), 'VeryLongProcess');
    assert.equal(nameOf('short', '/usr/bin/shorter'), 'short');
  });

  test('the effective uid of status, not the real one', () => {
    assert.equal(effectiveUid(text('tick1/100/status')), 1000);
    assert.equal(effectiveUid('Name:\tsu\nUid:\t1000\t0\t0\t0\n'), 0);
    assert.equal(effectiveUid('Name:\tx\n'), null);
  });

  test('passwd: the first line for a uid wins; unknown uids are shown as numbers', () => {
    const names = parsePasswd(text('passwd'));
    assert.equal(names.get(1000), 'alice');
    assert.equal(names.get(0), 'root');
    assert.equal(parsePasswd('garbage\n\n:x:5:5\n').size, 0);
    const users = new UserNames(path.join(FIXTURES, 'passwd'));
    assert.equal(users.name(1000), 'alice');
    assert.equal(users.name(1001), '1001');
    assert.equal(new UserNames(path.join(FIXTURES, 'no-such-passwd')).name(0), '0');
  });
});

describe('io', () => {
  test('read_bytes and write_bytes, not rchar/wchar', () => {
    assert.deepEqual(parseIo(text('tick1/300/io')), { readBytes: 1048576, writeBytes: 2097152 });
  });

  test('a missing or garbled field is null', () => {
    assert.deepEqual(parseIo('rchar: 1\nread_bytes: 7\n'), { readBytes: 7, writeBytes: null });
    assert.deepEqual(parseIo(''), { readBytes: null, writeBytes: null });
    assert.deepEqual(parseIo('x\nread_bytes: ?\nwrite_bytes: 3\n'), { readBytes: null, writeBytes: 3 });
  });
});

describe('machine files', () => {
  test('/proc/stat: the first eight cpu columns add up; idle is idle + iowait; btime', () => {
    const stat = text('tick1/stat');
    assert.deepEqual(parseCpuTicks(stat), { total: 10000 + 10 + 2500 + 50000 + 50 + 0 + 7 + 0, idle: 50050 });
    assert.equal(parseBootTime(stat), 1_700_000_000_000);
    assert.equal(parseBootTime('cpu 1 2 3\n'), null);
  });

  test('meminfo: used is total minus available, in bytes', () => {
    assert.deepEqual(parseMeminfo(text('tick1/meminfo')), {
      memTotal: 8_000_000 * 1024,
      memUsed: 2_000_000 * 1024,
      swapTotal: 2_000_000 * 1024,
      swapUsed: 0,
    });
  });

  test('loadavg: three averages and the last pid handed out', () => {
    assert.deepEqual(parseLoadavg(text('tick1/loadavg')), { load: [0.52, 0.58, 0.59], lastPid: 400 });
    assert.ok(Number.isNaN(parseLoadavg('').lastPid));
  });

  test('page size from smaps, else 4 KiB', () => {
    assert.equal(parsePageSize(text('tick1/self/smaps')), 4096);
    assert.equal(parsePageSize('KernelPageSize:       64 kB\n'), 65536);
    assert.equal(parsePageSize(''), 4096);
  });

  test('the kept-fd budget is half the soft open-files limit, less 64; 256 when unknown', () => {
    const limits =
      'Limit                     Soft Limit           Hard Limit           Units     \n' +
      'Max open files            1024                 1048576              files     \n';
    assert.equal(parseOpenFilesLimit(limits), 1024);
    assert.equal(keptFdBudget(limits), 448);
    assert.equal(keptFdBudget('Max open files 100 100 files\n'), 0);
    assert.equal(keptFdBudget(null), 256);
    assert.equal(parseOpenFilesLimit(''), null);
  });
});
