// The `process-tracker` command end to end: the real agent binary, a real store on disk, real
// processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Journal } from '../../agent/alerts/journal';
import type { AlertEvent } from '../../shared/model';
import { cli, expectBadInput, requireBuild, startAgent, tempDir, waitFor } from './agentHarness';

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('process-tracker CLI', () => {
  const work = tempDir('pt-cli-');
  const env = { XDG_RUNTIME_DIR: path.join(work.dir, 'run'), PROCESS_TRACKER_DATA_DIR: '' };
  const dataDir = path.join(work.dir, 'data');
  // A unique command line, and an anchored filter for it that does not match the CLI's own
  // command line (which contains the filter's text).
  const seconds = `${600 + (process.pid % 300)}.${Date.now() % 100_000}`;
  const marker = `sleep ${seconds}`;
  const only = `^sleep ${seconds.replace('.', '\\.')}$`;
  let sleeper: ReturnType<typeof spawn>;
  let runStartedAt = 0;

  before(async () => {
    requireBuild();
    // A process with a unique command line that the history must remember.
    sleeper = spawn('sleep', [seconds], { stdio: 'ignore' });
    runStartedAt = Date.now();
    const agent = await startAgent(dataDir, env, ['--interval', '250ms']);
    try {
      await waitFor(
        async () =>
          (await cli(['top', '--data-dir', dataDir, '--filter', only, '--json'], env)).stdout.includes(
            marker,
          ),
        20_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      assert.equal(await agent.stop(), 0);
    }
  });
  after(() => {
    if (sleeper.exitCode === null) sleeper.kill('SIGKILL');
    work.remove();
  });

  test('top, today, at and export find a process we started, from the files after the agent stopped', async () => {
    const today = await cli(['today', '--data-dir', dataDir, '--filter', only, '--json'], env);
    assert.equal(today.status, 0, today.stderr);
    const stats = JSON.parse(today.stdout);
    assert.equal(stats.range, 'today');
    assert.equal(stats.rows.length, 1);
    assert.equal(stats.rows[0].name, 'sleep');
    assert.ok(stats.rows[0].activeSeconds > 0);

    const at = await cli(
      ['at', String(Date.now() - 1000), '--data-dir', dataDir, '--filter', only, '--json'],
      env,
    );
    assert.equal(at.status, 0, at.stderr);
    const snapshot = JSON.parse(at.stdout);
    assert.ok(snapshot.resolution.label, 'the answer says which resolution it used');
    assert.deepEqual(
      snapshot.rows.map((r: { pid: number }) => r.pid),
      [sleeper.pid],
    );

    const text = await cli(['at', String(Date.now() - 1000), '--data-dir', dataDir, '--filter', only], env);
    assert.match(text.stdout, /raw samples/);
    assert.match(text.stdout, new RegExp(only.slice(1, -1)));

    const csvFile = path.join(work.dir, 'out.csv');
    const exported = await cli(
      [
        'export',
        '--format',
        'csv',
        '--from',
        String(runStartedAt - 1000),
        '--filter',
        marker,
        '--out',
        csvFile,
        '--data-dir',
        dataDir,
      ],
      env,
    );
    assert.equal(exported.status, 0, exported.stderr);
    // It holds full command lines: for its owner's eyes only.
    assert.equal(statSync(csvFile).mode & 0o777, 0o600);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    assert.match(lines[0]!, /^time,/);
    assert.ok(lines.length >= 2 && lines.slice(1).every((l) => l.includes(marker)));

    const json = await cli(
      [
        'export',
        '--format',
        'json',
        '--from',
        String(runStartedAt - 1000),
        '--pid',
        String(sleeper.pid),
        '--data-dir',
        dataDir,
      ],
      env,
    );
    assert.equal(json.status, 0, json.stderr);
    const document = JSON.parse(json.stdout);
    assert.ok(JSON.stringify(document).includes(marker));
  });

  test('every bad input: one line naming the problem and the fix, exit 2, the store untouched', async () => {
    const before = snapshotTree(dataDir);
    const aFile = path.join(work.dir, 'a-file');
    writeFileSync(aFile, 'not a folder');
    const cases: Array<[string[], RegExp]> = [
      [['top', '--filter', '(['], /not a valid regular expression/],
      [['today', '--filter', '*x', '--data-dir', dataDir], /not a valid regular expression/],
      [['week', '--category', 'games', '--data-dir', dataDir], /unknown category "games": use one of/],
      [
        ['at', 'half past never', '--data-dir', dataDir],
        /time "half past never" is not understood: write e\.g\./,
      ],
      [['export', '--from', 'soon', '--data-dir', dataDir], /time "soon" is not understood/],
      [['today', '--data-dir', aFile], /data dir .* is a file, not a folder: pass --data-dir/],
      [['run', '--data-dir', aFile], /data dir .* is a file, not a folder/],
      [['run', '--interval', '0s', '--data-dir', dataDir], /--interval "0s" is too short/],
      [['month', '--sort', 'size', '--data-dir', dataDir], /--sort "size" is not a sort key/],
      [['top', '--bogus'], /unknown option "--bogus"/],
      // Node's recursive mkdir never returns under /proc (procfs answers ENOENT, Node retries).
      [['run', '--data-dir', '/proc/pt-no-such/data'], /data dir .* cannot be created \(ENOENT\)/],
      [['at', '-30m', '--data-dir', aFile], /data dir .* is a file/],
      [['export', '--from', '-30m', '--to', '-1h', '--data-dir', dataDir], /--from must be before --to/],
      [['top', '-n', '-5'], /-n "-5" is not a count/],
      [['export', '--out', work.dir, '--data-dir', dataDir], /--out .* is a folder: give a file name/],
      [
        ['export', '--out', path.join(work.dir, 'missing', 'x.csv'), '--data-dir', dataDir],
        /--out .*missing.* cannot be written: its folder .* does not exist/,
      ],
      [
        ['export', '--out', path.join(aFile, 'x.csv'), '--data-dir', dataDir],
        /--out .* cannot be written: its folder .*a-file is a file/,
      ],
    ];
    for (const [args, message] of cases) await expectBadInput(args, env, message);
    assert.deepEqual(snapshotTree(dataDir), before, 'nothing stored was touched');
    assert.ok(statSync(aFile).isFile());
  });

  test('status and stop when no agent runs', async () => {
    const status = await cli(['status', '--data-dir', dataDir, '--json'], env);
    assert.equal(status.status, 3);
    assert.equal(JSON.parse(status.stdout).running, false);
    const stop = await cli(['stop', '--data-dir', dataDir], env);
    assert.equal(stop.status, 0);
    assert.match(stop.stdout, /no agent is recording/);
  });

  test('alerts history without an agent reads the history file; an unknown alerts action is one line, exit 2', async () => {
    const alertsDir = path.join(dataDir, 'alerts');
    mkdirSync(alertsDir, { recursive: true });
    const at = (minutesAgo: number) => Date.now() - minutesAgo * 60_000;
    const event = (kind: AlertEvent['kind'], ts: number, message: string): AlertEvent => ({
      kind,
      key: 'app-cpu|all',
      rule: 'app-cpu',
      scope: 'all',
      metric: 'cpu',
      severity: 'warning',
      subject: 'app',
      value: 90,
      threshold: 80,
      operator: '>',
      unit: '%',
      firedAt: at(10),
      ts,
      message,
    });
    new Journal<AlertEvent>(path.join(alertsDir, 'history.jsonl')).append([
      event('firing', at(10), 'app-cpu: app\u001b[31m cpu 90% > 80%'),
      event('resolved', at(5), 'app-cpu: app cpu back to 12%'),
    ]);
    const listed = await cli(['alerts', 'history', '--data-dir', dataDir], env);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}resolved {2}app-cpu: app cpu back to 12%$/);
    assert.match(lines[1]!, /firing {4}app-cpu: app\\x1b\[31m cpu 90% > 80%$/, 'process text is escaped');
    assert.match(lines[2]!, /^2 of 2 events, newest first, from .*history\.jsonl \(no agent is running\)$/);
    const one = await cli(['alerts', 'history', '-n', '1', '--json', '--data-dir', dataDir], env);
    assert.equal(one.status, 0, one.stderr);
    assert.deepEqual(
      (JSON.parse(one.stdout) as { events: AlertEvent[] }).events.map((e) => e.kind),
      ['resolved'],
    );

    const unknown = await cli(['alerts', 'histroy'], env);
    assert.equal(unknown.status, 2);
    assert.equal(
      unknown.stderr,
      'process-tracker: unknown alerts action "histroy": use validate [FILE], test RULE or history\n',
    );
  });

  test('a second run on the same data dir exits 0 naming the agent that serves', async () => {
    const agent = await startAgent(dataDir, env, ['--interval', '500ms']);
    try {
      const second = await cli(['run', '--data-dir', dataDir], env);
      assert.equal(second.status, 0);
      assert.match(second.stdout, new RegExp(`an agent already records .*: pid ${agent.child.pid}`));
      const status = await cli(['status', '--data-dir', dataDir, '--json'], env);
      assert.equal(status.status, 0, status.stderr);
      const parsed = JSON.parse(status.stdout);
      assert.equal(parsed.pid, agent.child.pid);
      assert.equal(parsed.clients, 0, 'the status command does not count itself');
      const text = await cli(['status', '--data-dir', dataDir], env);
      assert.match(text.stdout, /, 0 other client\(s\) connected/);

      // Exports through the agent: bad paths are one line and exit 2, files are private.
      for (const [out, message] of [
        [work.dir, /--out .* is a folder: give a file name/],
        [
          path.join(work.dir, 'missing', 'x.json'),
          /--out .* cannot be written: its folder .* does not exist/,
        ],
      ] as const) {
        const bad = await cli(['export', '--format', 'json', '--out', out, '--data-dir', dataDir], env);
        assert.equal(bad.status, 2, bad.stderr);
        assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
        assert.match(bad.stderr, message);
      }
      // A failure only the writer sees (here a name too long) comes back from the agent as one line.
      const tooLong = path.join(work.dir, `${'x'.repeat(300)}.json`);
      const refused = await cli(['export', '--format', 'json', '--out', tooLong, '--data-dir', dataDir], env);
      assert.equal(refused.status, 2, refused.stderr);
      assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
      assert.match(refused.stderr, /export file .* cannot be written \(ENAMETOOLONG\): choose a file/);
      const viaAgent = path.join(work.dir, 'via-agent.json');
      const good = await cli(['export', '--format', 'json', '--out', viaAgent, '--data-dir', dataDir], env);
      assert.equal(good.status, 0, good.stderr);
      assert.equal(statSync(viaAgent).mode & 0o777, 0o600);
      assert.deepEqual(
        parsed.store.tiers.map((t: { name: string }) => t.name),
        ['raw', 'minute', 'hour'],
      );
    } finally {
      // stop returns as soon as the agent has left (it once lingered on a 30 s timer).
      const stop = await cli(['stop', '--data-dir', dataDir], env, 15_000);
      assert.equal(stop.status, 0, stop.stderr);
      assert.match(stop.stdout, new RegExp(`stopped agent ${agent.child.pid}; its store is flushed`));
      await waitFor(() => agent.child.exitCode !== null, 30_000);
    }
  });
});
