// Line protocol escaping, as the InfluxDB reference states it, with hostile names: what a process
// can call itself must never end a line, add a tag or a field, or change a field's type.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeKey,
  escapeMeasurement,
  formatLine,
  nanoseconds,
  quoteString,
} from '../../../shared/lineProtocol';
import { processLine } from '../../../agent/influx/points';

describe('line protocol escaping', () => {
  test('measurement: comma and space escaped, equals sign kept', () => {
    assert.equal(escapeMeasurement('cpu load,x=1'), 'cpu\\ load\\,x=1');
  });

  test('tag keys, tag values and field keys: comma, equals sign and space escaped', () => {
    assert.equal(escapeKey('a b,c=d'), 'a\\ b\\,c\\=d');
    assert.equal(escapeKey('plain_name-1.2'), 'plain_name-1.2');
  });

  test('string field values: quoted, double quote and backslash escaped, newlines kept', () => {
    assert.equal(quoteString('say "hi" C:\\tmp'), '"say \\"hi\\" C:\\\\tmp"');
    assert.equal(quoteString('two\nlines'), '"two\nlines"');
    assert.equal(quoteString(''), '""');
  });

  test('newline, return, tab and form feed in a name become visible text, never a line break', () => {
    assert.equal(escapeKey('a\nb\rc\td\fe'), 'a\\nb\\rc\\td\\fe');
    assert.equal(escapeMeasurement('m\nx'), 'm\\nx');
  });

  test('a backslash that would escape our separator is written as ＼; others are kept', () => {
    assert.equal(escapeKey('end\\'), 'end＼');
    assert.equal(escapeKey('a\\,b'), 'a＼\\,b');
    assert.equal(escapeKey('a\\ b'), 'a＼\\ b');
    assert.equal(escapeKey('a\\=b'), 'a＼\\=b');
    assert.equal(escapeKey('a\\\nb'), 'a＼\\nb');
    assert.equal(escapeKey('C:\\Users\\x'), 'C:\\Users\\x');
    assert.equal(escapeMeasurement('m\\=x'), 'm\\=x');
  });

  test('unicode passes unchanged', () => {
    assert.equal(escapeKey('进程 ünï😀'), '进程\\ ünï😀');
    assert.equal(quoteString('😀"'), '"😀\\""');
  });

  test('timestamps are nanoseconds, exact past 2^53', () => {
    assert.equal(nanoseconds(1_700_000_000_123), '1700000000123000000');
    assert.equal(nanoseconds(0), '0');
    assert.equal(nanoseconds(1.5), '1500000');
  });

  test('integers carry i, floats do not, booleans and strings as the reference writes them', () => {
    const line = formatLine(
      'm',
      [['t', 'v']],
      [
        ['f', 1.25],
        ['whole_float', 3],
        ['i', { int: 42 }],
        ['big', { int: 1_700_000_000_000_000_000n }],
        ['b', true],
        ['s', 'x'],
      ],
      1000,
    );
    assert.equal(line, 'm,t=v f=1.25,whole_float=3,i=42i,big=1700000000000000000i,b=true,s="x" 1000000000');
  });

  test('empty and missing tags are left out; unknown and non-finite fields are left out', () => {
    const line = formatLine(
      'm',
      [
        ['a', ''],
        ['b', null],
        ['c', 'x'],
      ],
      [
        ['n', null],
        ['nan', NaN],
        ['inf', Infinity],
        ['ok', 1],
      ],
      1,
    );
    assert.equal(line, 'm,c=x ok=1 1000000');
    assert.equal(formatLine('m', [], [['n', null]], 1), undefined);
  });

  test('a hostile process is one line with exactly its own tags and fields', () => {
    const name = 'evil, name=x\nprocstat cpu_usage=99 1\\';
    const line = processLine({
      ts: 1_700_000_000_000,
      pid: 42,
      startTime: 1_699_999_999_000,
      name,
      user: 'bob smith,admin=true',
      category: 'other',
      container: null,
      cpu: 12.5,
      rss: 1024,
      readBps: 0,
      writeBps: null,
      threads: 3,
      fds: null,
      cmdline: 'run --pass "x" \\ \nnext',
    });
    assert.equal(line.split('\n').length, 2, 'the only newline is inside the quoted cmdline');
    assert.equal(
      line,
      'process_tracker,category=other,pid=42,process_name=evil\\,\\ name\\=x\\nprocstat\\ cpu_usage\\=99\\ 1＼,user=bob\\ smith\\,admin\\=true ' +
        'cpu_usage=12.5,memory_rss=1024i,read_bps=0,num_threads=3i,created_at=1699999999000000000i,cmdline="run --pass \\"x\\" \\\\ \nnext" 1700000000000000000',
    );
  });
});
