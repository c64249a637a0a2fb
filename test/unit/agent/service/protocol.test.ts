// The service's pure parts and its small file-system parts (socket folder, lock, log file).
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ProcessRow } from '../../../../shared/model';
import { buildTree, groupProcesses, topRows } from '../../../../agent/service/tickRows';
import {
  decodeSocketAddress,
  parseNetTable,
  redactEnvironment,
  REDACTED,
} from '../../../../agent/service/details';
import { compareVersions, isNewerAgent } from '../../../../agent/service/version';
import {
  checkPrivateDir,
  dataDirKey,
  ensurePrivateSocketDir,
  socketPathFor,
} from '../../../../client/socketDir';
import { tryLock } from '../../../../agent/service/lock';
import { createFileLogger } from '../../../../agent/logfile';
import { startTimeFromStat } from '../../../../agent/service/procStat';
import { processRow } from '../../../fixtures/rows';

const root = mkdtempSync(path.join(os.tmpdir(), 'pt-service-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

function row(
  pid: number,
  ppid: number,
  name: string,
  cpu: number | null,
  rss: number | null = 1000,
): ProcessRow {
  return processRow({
    pid,
    ppid,
    name,
    startTime: 1000 + pid,
    cmdline: name,
    user: 'u',
    category: name === 'bash' ? 'shell' : 'other',
    cpu,
    rss,
    readBps: null,
    writeBps: 10,
  });
}

describe('live views', () => {
  const rows = [
    row(1, 0, 'init', 0.1),
    row(10, 1, 'bash', 1),
    row(11, 10, 'node', 50),
    row(12, 10, 'vim', null),
    row(20, 1, 'sshd', 2),
  ];

  test('top sorts unknown CPU last and counts matches before n', () => {
    const top = topRows(rows, { n: 2, sort: 'cpu' });
    assert.deepEqual(
      top.rows.map((r) => r.pid),
      [11, 20],
    );
    assert.equal(top.matched, 5);
    assert.equal(topRows(rows, { n: 10, sort: 'cpu' }).rows.at(-1)?.pid, 12);
    assert.deepEqual(
      topRows(rows, { n: 5, filter: { regex: '^(vim|node)$' } }).rows.map((r) => r.pid),
      [11, 12],
    );
  });

  test('tree: family totals include every descendant; a filter keeps the ancestors of matches', () => {
    const [init] = buildTree(rows, () => true, 'cpu');
    assert.equal(init?.row.pid, 1);
    assert.equal(init?.family.count, 5);
    assert.ok(Math.abs((init?.family.cpu ?? 0) - 53.1) < 1e-9);
    const bash = init?.children.find((c) => c.row.pid === 10);
    assert.equal(bash?.family.cpu, 51);
    assert.equal(bash?.family.rss, 3000);
    const filtered = buildTree(rows, (r) => r.name === 'vim');
    assert.deepEqual(
      filtered.map((n) => n.row.pid),
      [1],
    );
    assert.deepEqual(
      filtered[0]?.children.map((n) => n.row.pid),
      [10],
    );
    assert.deepEqual(
      filtered[0]?.children[0]?.children.map((n) => n.row.pid),
      [12],
    );
  });

  test('tree survives a parent cycle from a racy snapshot', () => {
    const cyclic = [row(5, 6, 'a', 1), row(6, 5, 'b', 1)];
    const trees = buildTree(cyclic, () => true);
    assert.equal(
      trees.reduce((sum, t) => sum + t.family.count, 0),
      2,
    );
  });

  test('category grouping totals', () => {
    const result = groupProcesses(rows, 5, { grouping: 'category' });
    assert.equal(result.grouping, 'category');
    if (result.grouping !== 'category') return;
    assert.equal(result.groups.find((g) => g.category === 'shell')?.totals.count, 1);
    assert.equal(result.groups.find((g) => g.category === 'other')?.totals.count, 4);
  });
});

describe('details parsing', () => {
  test('environment: secret-looking names are redacted, others kept', () => {
    const env = redactEnvironment(
      'PATH=/bin\0GITHUB_TOKEN=ghp_x\0db_password=hunter2\0AWS_SECRET_ACCESS_KEY=k\0SSH_AUTH_SOCK=/s\0API_KEY=1\0EMPTY=\0HOME=/root\0',
    );
    assert.equal(env.PATH, '/bin');
    assert.equal(env.HOME, '/root');
    assert.equal(env.EMPTY, '');
    for (const secret of ['GITHUB_TOKEN', 'db_password', 'AWS_SECRET_ACCESS_KEY', 'SSH_AUTH_SOCK', 'API_KEY'])
      assert.equal(env[secret], REDACTED, secret);
    assert.ok(!JSON.stringify(env).includes('hunter2'));
  });

  test('socket addresses from /proc/net', () => {
    assert.equal(decodeSocketAddress('0100007F:1F90'), '127.0.0.1:8080');
    assert.equal(decodeSocketAddress('00000000000000000000000001000000:0050'), '[::1]:80');
    assert.equal(decodeSocketAddress('00000000000000000000000000000000:0000'), '[::]:0');
    const table = new Map();
    parseNetTable(
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n',
      'tcp',
      table,
    );
    assert.deepEqual(table.get('12345'), {
      protocol: 'tcp',
      local: '127.0.0.1:8080',
      remote: '0.0.0.0:0',
      state: 'LISTEN',
    });
  });

  test('start time from a stat line whose name holds spaces and parentheses', () => {
    const stat = `42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 12345 1000 100`;
    assert.equal(startTimeFromStat(stat, 1_700_000_000_000), 1_700_000_000_000 + 123_450);
  });
});

describe('versions', () => {
  test('protocol first, then semver', () => {
    assert.ok(compareVersions('0.10.0', '0.9.9') > 0);
    assert.equal(compareVersions('1.2.3-beta', '1.2.3'), 0);
    assert.ok(
      isNewerAgent(
        { protocolVersion: 2, agentVersion: '0.1.0' },
        { protocolVersion: 1, agentVersion: '9.0.0' },
      ),
    );
    assert.ok(
      isNewerAgent(
        { protocolVersion: 1, agentVersion: '0.2.0' },
        { protocolVersion: 1, agentVersion: '0.1.9' },
      ),
    );
    assert.ok(
      !isNewerAgent(
        { protocolVersion: 1, agentVersion: '0.1.0' },
        { protocolVersion: 1, agentVersion: '0.1.0' },
      ),
    );
  });
});

describe('socket folder', () => {
  test('one socket per data dir, under XDG_RUNTIME_DIR when set, short enough for sun_path', () => {
    const a = socketPathFor('/data/a', { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
    const b = socketPathFor('/data/b', { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
    assert.equal(a, `/run/user/1000/process-tracker/agent-${dataDirKey('/data/a')}.sock`);
    assert.notEqual(a, b);
    assert.equal(socketPathFor('/data/a/', { XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux'), a);
    const cache = socketPathFor('/d', { XDG_CACHE_HOME: '/home/u/.cache' }, 'linux');
    assert.equal(path.dirname(cache), '/home/u/.cache/process-tracker/run');
    const long = socketPathFor('/d', { XDG_RUNTIME_DIR: `/${'x'.repeat(120)}` }, 'linux');
    assert.ok(Buffer.byteLength(long) <= 103, long);
    assert.match(
      socketPathFor('C:\\data', {}, 'win32'),
      /^\\\\\.\\pipe\\process-tracker-[0-9a-f]{8}-[0-9a-f]{12}$/,
    );
  });

  test('creates a 0700 folder; refuses one open to others or owned by someone else', () => {
    const socket = path.join(root, 'fresh', 'run', 'agent.sock');
    ensurePrivateSocketDir(socket);
    assert.equal(statSync(path.dirname(socket)).mode & 0o777, 0o700);
    const open = path.join(root, 'open');
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o755);
    assert.throws(() => checkPrivateDir(open), /open to group or others \(mode 755\): run chmod 700/);
    const foreign = path.join(root, 'foreign');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534);
    assert.throws(
      () => ensurePrivateSocketDir(path.join(foreign, 's.sock')),
      /owned by uid 65534, not by you/,
    );
  });
});

describe('lock file', () => {
  test('an empty lock is a holder between open and write, until it is seconds old: then its writer died', () => {
    const lockPath = path.join(root, 'empty.sock.lock');
    writeFileSync(lockPath, '');
    assert.equal(tryLock(lockPath), undefined, 'a fresh empty lock is respected');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
    const taken = tryLock(lockPath);
    assert.ok(taken, 'an abandoned empty lock (writer killed with -9) is broken');
    taken.release();
  });

  test("one holder at a time; a dead holder's lock is broken; release removes only our own", () => {
    const lockPath = path.join(root, 'agent.sock.lock');
    const first = tryLock(lockPath);
    assert.ok(first);
    assert.equal(tryLock(lockPath), undefined, 'a live holder (this process) keeps it');
    first.release();
    // A holder that no longer exists: pid 2^22+1 is above the default pid_max, so never alive.
    writeFileSync(lockPath, JSON.stringify({ pid: 4194305, startTime: 1 }));
    const second = tryLock(lockPath);
    assert.ok(second, "a dead holder's lock is taken over");
    assert.equal(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid);
    second.release();
    assert.deepEqual(
      readdirSync(root).filter((f) => f.startsWith('agent.sock.lock')),
      [],
    );
  });
});

describe('log file', () => {
  test('rotates at the size limit, keeps N files, one line per entry', () => {
    const dir = path.join(root, 'logs');
    mkdirSync(dir);
    const log = createFileLogger({ dataDir: dir, maxBytes: 1000, keep: 2, minimum: 'debug' });
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    log.error('two\nlines');
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['agent.log', 'agent.log.1', 'agent.log.2']);
    for (const file of files) assert.ok(statSync(path.join(dir, file)).size <= 1000, file);
    const last = readFileSync(path.join(dir, 'agent.log'), 'utf8').trim().split('\n').at(-1);
    assert.match(last ?? '', /error two\\nlines$/);
    assert.match(readFileSync(path.join(dir, 'agent.log.1'), 'utf8'), /line \d+/);
  });

  test('an unwritable log never throws', () => {
    const log = createFileLogger({ dataDir: path.join(root, 'missing', 'dir') });
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      assert.doesNotThrow(() => log.error('still fine'));
    } finally {
      process.stderr.write = write;
    }
  });
});
