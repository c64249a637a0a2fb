// The live view's parts without a terminal: text cleaning and cell widths, the sparkline, the
// diffing screen, the frame (every line the terminal's width; ASCII and no-colour fallbacks), the
// terminal capabilities from the environment, both languages, and the `live` arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommand } from '../../../../agent/cli/args';
import { filterText } from '../../../../agent/cli/tui/app';
import { ASCII_GLYPHS, detectCaps, UNICODE_GLYPHS } from '../../../../agent/cli/tui/caps';
import { Screen } from '../../../../agent/cli/tui/screen';
import { sparkline } from '../../../../agent/cli/tui/sparkline';
import { EN, stringsFor, ZH_CN, type Strings } from '../../../../agent/cli/tui/strings';
import { cleanText, fit, textWidth } from '../../../../agent/cli/tui/text';
import { detailsLines, flattenTree, render, type ViewModel } from '../../../../agent/cli/tui/view';
import { parseFilterText } from '../../../../shared/filter';
import type { ProcessRow } from '../../../../shared/model';
import { processRow } from '../../../fixtures/rows';

const row = (pid: number, name: string, extra: Partial<ProcessRow> = {}): ProcessRow =>
  processRow({
    pid,
    startTime: 1_700_000_000_000,
    name,
    cmdline: `/bin/${name} --run`,
    user: 'u',
    cpu: 1.5,
    rss: 10 * 1024 * 1024,
    ...extra,
  });

function model(over: Partial<ViewModel> = {}): ViewModel {
  return {
    caps: { glyphs: UNICODE_GLYPHS, unicode: true, colour: true },
    text: EN,
    width: 100,
    height: 30,
    ts: 1_700_000_060_000,
    machine: {
      ts: 0,
      cpu: 10,
      cores: 4,
      memUsed: 1e9,
      memTotal: 4e9,
      swapUsed: 0,
      swapTotal: 0,
      load1: 0.5,
      load5: 0.4,
      load15: 0.3,
      processCount: 3,
    },
    machineUptimeMs: 7_200_000,
    agent: { pid: 9, cpu: 0.3, rss: 8e7 },
    rows: [row(1, 'init'), row(2, '\x1b[2Jevil\x9b31m'), row(3, '中文进程名字很长很长很长很长')].map((r) => ({
      row: r,
      branch: '',
    })),
    states: new Map([[1, 'S']]),
    selected: 1,
    scroll: 0,
    sort: 'cpu',
    tree: false,
    filterText: '',
    mode: 'list',
    input: '',
    inputError: null,
    message: null,
    trend: { pid: 1, name: 'init', cpu: [1, null, 3], rss: [5, 6, 7] },
    details: null,
    pageScroll: 0,
    killTarget: null,
    ...over,
  };
}

const SGR = /\x1b\[[0-9;]*m/g;

test('cleanText: no control character, escape or bidi override survives', () => {
  const text = cleanText('a\x1b[2J\x07b\x9b31m\u202eRTL\r\n');

  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.equal(text, 'a\\x1b[2J\\x07b\\x9b31m?RTL\\x0d\\x0a');
});

test('fit: exact cell width for ASCII, CJK (two cells) and combining marks', () => {
  assert.equal(fit('abc', 5), 'abc  ');
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('7', 3, '…', true), '  7');
  assert.equal(textWidth('中文'), 4);
  assert.equal(textWidth('e\u0301'), 1);
  for (const width of [1, 2, 3, 4, 5, 6]) assert.equal(textWidth(fit('中文字符', width)), width);
});

test('sparkline: scaled to the largest value, unknown points blank, squeezed keeping spikes', () => {
  const levels = UNICODE_GLYPHS.spark;
  assert.equal(sparkline([0, 4, 8], 3, levels), '▁▅█');
  assert.equal(sparkline([null, 8], 4, levels), '   █');
  assert.equal(sparkline([0, 0, 0, 9, 0, 0], 3, levels), '▁█▁');
  assert.equal(sparkline([1, 2], 2, ASCII_GLYPHS.spark, 4), '-+', 'a fixed scale: 1/4 and 2/4 of the way up');
});

test('Screen: the first frame whole, then only changed lines, each frame one write', () => {
  const writes: string[] = [];
  const screen = new Screen((chunk) => writes.push(chunk));
  screen.draw(['aaa', 'bbb', 'ccc']);
  assert.equal(writes.length, 1);
  assert.match(writes[0]!, /\x1b\[2J/);
  screen.draw(['aaa', 'BBB', 'ccc']);
  assert.equal(writes.length, 2);
  assert.ok(writes[1]!.includes('\x1b[2;1H') && writes[1]!.includes('BBB'));
  assert.ok(!writes[1]!.includes('aaa') && !writes[1]!.includes('ccc'));
  screen.draw(['aaa', 'BBB', 'ccc']);
  assert.equal(writes.length, 2, 'an unchanged frame writes nothing');
  screen.draw(['aaa']);
  assert.match(writes[2]!, /\x1b\[2;1H\x1b\[K.*\x1b\[3;1H\x1b\[K/s, 'rows no longer used are cleared');
});

test('render: every line is the terminal width; a hostile name is text; selection shown', () => {
  for (const over of [
    {},
    { tree: true },
    { mode: 'help' as const },
    { mode: 'filter' as const, input: 'x(' },
  ]) {
    const lines = render(model(over));
    assert.equal(lines.length, 30);
    for (const line of lines) assert.equal(textWidth(line.replace(SGR, '')), 100, JSON.stringify(line));
    for (const line of lines) {
      assert.doesNotMatch(line.replace(SGR, ''), /[\u0000-\u001f\u007f-\u009f]/);
    }
  }
  const lines = render(model());
  assert.ok(lines.some((l) => l.includes('\\x1b[2Jevil\\x9b31m')));
  assert.match(
    lines.find((l) => l.includes('evil'))!,
    /^\x1b\[30;47m/,
    'the selected row is highlighted',
  );
});

test('render: ASCII fallback draws only ASCII, no colour draws no colour', () => {
  const ascii = render(model({ caps: { glyphs: ASCII_GLYPHS, unicode: false, colour: false } }));
  for (const line of ascii) assert.match(line.replace(SGR, ''), /^[\x20-\x7e]*$/, line);
  for (const line of ascii) for (const code of line.match(SGR) ?? []) assert.match(code, /^\x1b\[(0|1|7)m$/);
  assert.ok(
    ascii.some((l) => l.startsWith('+-')),
    'an ASCII box',
  );
});

test('detectCaps: UTF-8 locale for Unicode, NO_COLOR and TERM=dumb turn colour off', () => {
  const colours = { hasColors: () => true };
  assert.equal(detectCaps({ LANG: 'en_US.UTF-8' }, colours, false).unicode, true);
  assert.equal(detectCaps({ LANG: 'C' }, colours, false).unicode, false);
  assert.equal(detectCaps({ LANG: 'C', LC_ALL: 'zh_CN.utf8' }, colours, false).unicode, true);
  assert.equal(detectCaps({ LANG: 'en_US.UTF-8' }, colours, true).unicode, false, '--ascii');
  assert.equal(detectCaps({}, colours, false).colour, true);
  assert.equal(detectCaps({ NO_COLOR: '1' }, colours, false).colour, false);
  assert.equal(detectCaps({ TERM: 'dumb' }, colours, false).colour, false);
  assert.equal(detectCaps({}, { hasColors: () => false }, false).colour, false);
});

test('strings: English and Chinese have every string; the locale picks', () => {
  const shape = (s: Strings) =>
    JSON.stringify(s, (_, v: unknown) => (typeof v === 'function' ? 'fn' : typeof v === 'string' ? 's' : v));
  assert.equal(shape(ZH_CN), shape(EN));
  for (const [key, value] of Object.entries(ZH_CN)) {
    if (typeof value === 'string' && key !== 'title') assert.ok(value.length > 0, key);
  }
  assert.equal(stringsFor({ LANG: 'zh_CN.UTF-8' }, true), ZH_CN);
  assert.equal(stringsFor({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' }, true), ZH_CN);
  assert.equal(stringsFor({ LANG: 'zh_CN.UTF-8' }, false), EN, 'no Unicode: English, not question marks');
  assert.equal(stringsFor({ LANG: 'de_DE.UTF-8' }, true), EN);
  const chinese = render(model({ text: ZH_CN }));
  for (const line of chinese) assert.equal(textWidth(line.replace(SGR, '')), 100);
});

test('tree rows carry branches and family totals', () => {
  const leaf = {
    row: row(3, 'c'),
    family: { cpu: 1, rss: 1, readBps: 0, writeBps: 0, count: 1 },
    children: [],
  };
  const mid = {
    row: row(2, 'b'),
    family: { cpu: 2, rss: 2, readBps: 0, writeBps: 0, count: 2 },
    children: [leaf],
  };
  const other = {
    row: row(4, 'd'),
    family: { cpu: 1, rss: 1, readBps: 0, writeBps: 0, count: 1 },
    children: [],
  };
  const root = {
    row: row(1, 'a'),
    family: { cpu: 4, rss: 4, readBps: 0, writeBps: 0, count: 4 },
    children: [mid, other],
  };
  const flat = flattenTree([root], UNICODE_GLYPHS);
  assert.deepEqual(
    flat.map((r) => r.branch + r.row.name),
    ['a', '├─ b', '│  └─ c', '└─ d'],
  );
  assert.equal(flat[0]!.family!.count, 4);
});

test('details: every list, unreadable said so, the process’s text cleaned', () => {
  const lines = detailsLines(
    {
      identity: { pid: 5, startTime: 1 },
      name: 'x\x1b[2J',
      argv: ['x', '--a\x07'],
      exe: '/bin/x',
      cwd: null,
      openFiles: [{ fd: 0, target: '/dev/null' }],
      connections: null,
      threads: [{ tid: 5, name: 'x', state: 'S' }],
      cgroup: null,
      container: null,
    },
    EN,
  );
  const text = lines.join('\n');
  assert.match(text, /Details: x\\x1b\[2J \(5\)/);
  assert.match(text, /--a\\x07/);
  assert.match(text, /Connections \(\?\):\n {2}unreadable/);
  assert.match(text, /Open files \(1\):\n +0 {2}\/dev\/null/);
});

test('live arguments: defaults, options, and one-line errors', () => {
  const live = parseCommand(['live']);
  assert.equal(live.kind, 'live');
  assert.deepEqual(
    parseCommand(['live', '--sort', 'mem', '--filter', 'node', '-n', '50', '--interval', '5s', '--ascii']),
    {
      kind: 'live',
      intervalMs: 5000,
      ascii: true,
      dataDir: undefined,
      json: false,
      n: 50,
      sort: 'mem',
      filter: { regex: 'node' },
    },
  );
  assert.throws(
    () => parseCommand(['live', '--sort', 'disk']),
    /--sort "disk" is not a sort key: use one of cpu, mem, io, name/,
  );
  assert.throws(() => parseCommand(['live', '--interval', '1ms']), /--interval "1ms" is too short/);
  assert.throws(() => parseCommand(['live', '--filter', '(']), /not a valid regular expression/);
  assert.throws(() => parseCommand(['live', 'extra']), /"live" takes no argument "extra"/);
});

test('a command-line filter reads back the same in the filter box', () => {
  const filter = { regex: 'node', pid: 7, user: 'root', category: 'shell' as const };
  assert.deepEqual(parseFilterText(filterText(filter)), filter);
});
