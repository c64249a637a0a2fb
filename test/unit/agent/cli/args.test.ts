import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommand } from '../../../../agent/cli/args';
import { UserInputError } from '../../../../shared/errors';

const now = new Date(2026, 10, 25, 10, 0, 0).getTime();

describe('parseCommand', () => {
  test('run with interval and data dir', () => {
    assert.deepEqual(parseCommand(['run', '--data-dir', '/tmp/x', '--interval', '2s'], now), {
      kind: 'run',
      dataDir: '/tmp/x',
      intervalMs: 2000,
      quiet: false,
      alertsFile: undefined,
      stopAfterIdleMinutes: 0,
    });
    const idle = parseCommand(['run', '--stop-after-idle', '30m'], now);
    assert.equal(idle.kind === 'run' && idle.stopAfterIdleMinutes, 30);
  });
  test('top with all filters', () => {
    const command = parseCommand(
      ['top', '-n', '5', '--sort', 'mem', '--filter', 'node', '--pid', '12', '--category', 'shell', '--json'],
      now,
    );
    assert.deepEqual(command, {
      kind: 'top',
      dataDir: undefined,
      json: true,
      n: 5,
      sort: 'mem',
      filter: { regex: 'node', pid: 12, category: 'shell' },
    });
  });
  test("report's --idle-for (waste's window) in ms, absent by default", () => {
    const idle = parseCommand(['report', 'week', '--idle-for', '2h'], now);
    assert.equal(idle.kind === 'report' && idle.idleForMs, 7_200_000);
    const plain = parseCommand(['report'], now);
    assert.equal(plain.kind === 'report' && plain.idleForMs, undefined);
  });
  test('today/week/month ranges and at TIME', () => {
    const week = parseCommand(['week'], now);
    assert.equal(week.kind === 'stats' && week.from, new Date(2026, 10, 23).getTime());
    const at = parseCommand(['at', '2026-11-24 14:32'], now);
    assert.equal(at.kind === 'at' && at.ts, new Date(2026, 10, 24, 14, 32).getTime());
    const unquoted = parseCommand(['at', 'yesterday', '14:32'], now);
    assert.equal(unquoted.kind === 'at' && unquoted.ts, new Date(2026, 10, 24, 14, 32).getTime());
  });
  test('export defaults to the last hour as CSV', () => {
    const command = parseCommand(['export', '--out', 'x.csv'], now);
    assert.ok(command.kind === 'export');
    assert.equal(command.format, 'csv');
    assert.equal(command.to - command.from, 3_600_000);
  });

  test('export --format influx is an export format', () => {
    const command = parseCommand(['export', '--format', 'influx', '--from', '-1d'], now);
    assert.ok(command.kind === 'export');
    assert.equal(command.format, 'influx');
  });

  test('a bare clock time just after midnight means last night', () => {
    const justAfterMidnight = new Date(2026, 10, 25, 0, 4).getTime();
    const at = parseCommand(['at', '23:55'], justAfterMidnight);
    assert.equal(at.kind === 'at' && at.ts, new Date(2026, 10, 24, 23, 55).getTime());
    const range = parseCommand(['export', '--from', '23:50'], justAfterMidnight);
    assert.ok(range.kind === 'export');
    assert.equal(range.from, new Date(2026, 10, 24, 23, 50).getTime());
    assert.equal(range.to, justAfterMidnight);
  });
  test('values that begin with a dash: relative times and negative numbers', () => {
    const at = parseCommand(['at', '-30m'], now);
    assert.equal(at.kind === 'at' && at.ts, now - 1_800_000);
    const range = parseCommand(['export', '--from', '-30m', '--to', '-5m'], now);
    assert.ok(range.kind === 'export');
    assert.deepEqual([range.from, range.to], [now - 1_800_000, now - 300_000]);
    const inline = parseCommand(['export', '--from=-2h'], now);
    assert.equal(inline.kind === 'export' && inline.from, now - 7_200_000);
    const filtered = parseCommand(['top', '--filter', '-jar'], now);
    assert.equal(filtered.kind === 'top' && filtered.filter.regex, '-jar');
  });
  test('alerts history with -n and --json', () => {
    assert.deepEqual(parseCommand(['alerts', 'history', '-n', '5', '--json', '--data-dir', '/tmp/x'], now), {
      kind: 'alerts',
      action: 'history',
      target: undefined,
      dataDir: '/tmp/x',
      alertsFile: undefined,
      json: true,
      n: 5,
    });
    const plain = parseCommand(['alerts', 'history'], now);
    assert.ok(plain.kind === 'alerts' && plain.n === undefined);
  });

  const bad: Array<[string[], RegExp]> = [
    [['top', '--filter', '(['], /--filter|filter "\(\[" is not a valid regular expression/],
    [['top', '--category', 'games'], /unknown category "games"/],
    [['top', '--sort', 'speed'], /--sort "speed" is not a sort key: use one of cpu, mem, io, name/],
    [['top', '-n', '0'], /-n "0" is not a count/],
    [['top', '--pid', '12x'], /--pid "12x" is not a process id/],
    [['at', 'teatime'], /time "teatime" is not understood/],
    [['at'], /"at" needs a time/],
    [['at', '2099-01-01 00:00'], /in the future/],
    [['export', '--format', 'xml'], /--format "xml" is not an export format: use csv, json, influx/],
    [['export', '--from', 'now', '--to', '1h ago'], /--from must be before --to/],
    [['run', '--interval', 'fast'], /--interval "fast" is not a duration/],
    [['run', '--interval', '1ms'], /too short/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['top', '--colour'], /unknown option "--colour".*--help/],
    [['service', 'start'], /service install \| uninstall/],
    [['at', '-3x'], /time "-3x" is not understood/],
    [['run', '--interval', '-5'], /^--interval "-5" is not a duration: .*e\.g\./],
    [['top', '-n', '-5'], /^-n "-5" is not a count: give a whole number of rows, e\.g\. -n 10$/],
    [['export', '--from'], /^--from needs a value: e\.g\. --from "2h ago"$/],
    [['export', '--out', '--json'], /^--out needs a value before "--json": e\.g\. --out processes\.csv/],
    [['alerts', 'histroy'], /^unknown alerts action "histroy": use validate \[FILE\], test RULE or history$/],
    [['alerts'], /"alerts" needs an action: validate \[FILE\], test RULE or history/],
    [['alerts', 'history', '-n', '0'], /-n "0" is not a count/],
    [['alerts', 'history', 'extra'], /"alerts history" takes no argument "extra"/],
    [
      ['report', '--idle-for', '30s'],
      /^--idle-for "30s" is out of range: give 1m to 366d, e\.g\. --idle-for 2d$/,
    ],
    [['report', 'week', '--idle-for', '400d'], /^--idle-for "400d" is out of range/],
    [['report', '--idle-for', 'long'], /^--idle-for "long" is not a duration/],
    // An option the command does not read is refused, not ignored (report used to report everything).
    [
      ['report', 'today', '--filter', 'chrome'],
      /^"report" does not take --filter: run "process-tracker report --help"/,
    ],
    [['report', '--pid', '42'], /^"report" does not take --pid/],
    [['explain', '14:00', '--category', 'browser'], /^"explain" does not take --category/],
    [['status', '--sort', 'cpu'], /^"status" does not take --sort/],
    [['live', '--json'], /^"live" does not take --json/],
    [['export', '-n', '5'], /^"export" does not take -n/],
    [['run', '--filter', 'x'], /^"run" does not take --filter/],
    [['stop', '--json'], /^"stop" does not take --json/],
  ];
  for (const [argv, message] of bad) {
    test(`bad input: ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCommand(argv, now),
        (e: unknown) => e instanceof UserInputError && message.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});
