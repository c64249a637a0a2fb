// `process-tracker live` end to end: the real dist/agent.js inside a real terminal (tmux, on its
// own server socket so no user's tmux is touched), driven by send-keys and read by capture-pane.
// Every wait polls the screen with a deadline; nothing sleeps a fixed time.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AGENT, cli, requireBuild, tempDir, waitFor } from './agentHarness';

const SERVER = `pt-live-test-${process.pid}`;
const WAIT_MS = 20_000;

describe('process-tracker live in a terminal', () => {
  const work = tempDir('pt-live-');
  const dataDir = path.join(work.dir, 'data');
  const runtime = path.join(work.dir, 'run');
  // Built from scratch: nothing of the shell's PROCESS_TRACKER_*, XDG_* or TMUX reaches the view.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work.dir,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    TMUX_TMPDIR: work.dir,
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: path.join(work.dir, 'config'),
    XDG_DATA_HOME: path.join(work.dir, 'xdg-data'),
    PROCESS_TRACKER_DATA_DIR: dataDir,
  };
  let hostile: ChildProcess | undefined;

  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', SERVER, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'live');
  const keys = (...k: string[]) => tmux('send-keys', '-t', 'live', ...k);
  const alternateOn = () => tmux('display', '-p', '-t', 'live', '#{alternate_on}').trim() === '1';
  const until = (what: string, check: (text: string) => boolean) =>
    waitFor(
      () => check(screen()),
      WAIT_MS,
      () => `waiting for ${what}; the screen:\n${screen()}`,
    );
  /**
   * A new shell in the pane (tmux ends the one before, and whatever it ran): each test after the
   * first starts from a prompt even when the test before it failed with the view still open.
   */
  const freshShell = async (marker: string) => {
    tmux('respawn-pane', '-k', '-t', 'live', 'bash', '--norc', '--noprofile');
    keys(`PS1='ptshell$ '; clear; printf '${marker}\\n'`, 'Enter');
    await until('a fresh shell', (text) => text.includes(marker) && /^ptshell\$\s*$/m.test(text));
  };
  /** The list is back (no prompt, help or details page): the key bar is the bottom line. */
  const listShown = (text: string) => /^F1\/h Help/m.test(text) && text.includes('IO/s');
  const rows = (text: string) =>
    text
      .split('\n')
      .slice(4)
      .filter((line) => /^\s*\d+ \S /.test(line));

  before(() => {
    requireBuild();
    mkdirSync(runtime, { recursive: true, mode: 0o700 });
    tmux(
      'new-session',
      '-d',
      '-s',
      'live',
      '-c',
      process.cwd(),
      '-x',
      '120',
      '-y',
      '40',
      'bash',
      '--norc',
      '--noprofile',
    );
    keys("PS1='ptshell$ '; printf 'before-live\\n'", 'Enter');
  });

  after(async () => {
    hostile?.kill('SIGKILL');
    try {
      tmux('kill-server');
    } catch {
      /* already gone */
    }
    await cli(['stop', '--data-dir', dataDir], { XDG_RUNTIME_DIR: runtime });
    work.remove();
  });

  test('starts the agent, shows the header and rows, each key does its job, q restores the screen', async () => {
    await until('the shell', (text) => text.includes('before-live'));
    keys(`node ${AGENT} live --data-dir ${dataDir}`, 'Enter');
    await until('the header and rows', (text) => /processes/.test(text) && rows(text).length > 5);
    const first = screen();
    assert.match(first, /process-tracker live .* agent \d+:/);
    assert.match(first, /CPU of \d+ cores/);
    assert.match(first, /PID S +CPU%\/CORE▼ +MEM +IO\/s +UPTIME NAME/);
    assert.ok(alternateOn(), 'live draws on the alternate screen');

    // Each sort key: the marker moves and the column reads largest first on the same frame.
    const size = (cell: string) => {
      const [, value, unit] = /([\d.]+)\s*(B|KiB|MiB|GiB|TiB)?/.exec(cell) ?? [];
      if (value === undefined) return -1; // unknown: after every known figure
      return Number(value) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(unit ?? 'B');
    };
    const columns = { cpu: [10, 20], mem: [21, 30], io: [31, 42] } as const;
    for (const [key, sort, header] of [
      ['m', 'mem', 'MEM▼'],
      ['d', 'io', 'IO/s▼'],
      ['c', 'cpu', 'CPU%/CORE▼'],
    ] as const) {
      keys(key);
      await until(`sort by ${sort}`, (text) => text.includes(`Sort: ${sort}`) && text.includes(header));
      const [from, to] = columns[sort];
      const values = rows(screen()).map((line) => size(line.slice(from, to)));
      for (let i = 1; i < values.length; i++)
        assert.ok(values[i - 1]! >= values[i]!, `${sort} column not descending: ${values.join(', ')}`);
    }
    keys('<');
    await until(
      '< to the previous key (name)',
      (text) => text.includes('Sort: name') && text.includes('NAME▼'),
    );
    keys('>');
    await until('> back to cpu', (text) => text.includes('Sort: cpu'));
    keys('F6');
    await until('F6 to the next key', (text) => text.includes('Sort: mem'));

    // A process that names itself with escape sequences: shown as text, the screen intact.
    hostile = spawn(
      process.execPath,
      [
        '-e',
        "require('fs').writeFileSync('/proc/self/comm', '\\x1b[2J\\x1b[31mEVIL'); setInterval(() => {}, 1e6)",
      ],
      { stdio: 'ignore' },
    );
    const hostilePid = hostile.pid!;
    const exited = new Promise((resolve) => hostile!.once('exit', resolve));
    keys('/');
    await until('the filter prompt', (text) => text.includes('Filter: '));
    keys('-l', 'EVIL');
    keys('Enter');
    // Its command line matches EVIL from its first tick, its name only once it has written it: a
    // loaded machine can show a tick between the two, so the wait is for the name, shown as text.
    await until('the hostile process alone, its escapes shown as text', (text) => {
      const listed = rows(text);
      return (
        listed.length === 1 &&
        listed[0]!.includes(String(hostilePid)) &&
        listed[0]!.includes('\\x1b[2J\\x1b[31m') &&
        text.includes('Filter: EVIL')
      );
    });
    const filtered = screen();
    assert.match(filtered.split('\n')[0]!, /process-tracker live/, 'the header is still on top');

    // Filter errors: a regex that does not compile is named on the prompt line, the old filter kept.
    keys('/');
    keys('-l', '(');
    await until('the filter error', (text) =>
      /Filter: EVIL\(.*(unbalanced|missing|paren|invalid)/i.test(text),
    );
    keys('Escape');
    await until('the filter restored', (text) => text.includes('Filter: EVIL ·') && listShown(text));

    keys('t');
    await until(
      'the tree with family totals',
      (text) => text.includes('Tree: on') && text.includes('FAMILY%'),
    );
    await until('tree branches', (text) => /[├└]─ /.test(text) && text.includes(String(hostilePid)));
    keys('F5');
    await until('the flat list again', (text) => text.includes('Tree: off') && rows(text).length === 1);

    keys('F1');
    await until('help', (text) => text.includes('Keys') && text.includes('sort by CPU / memory / disk IO'));
    keys('Escape');
    await until('the list after help', (text) => listShown(text) && rows(text).length === 1);

    keys('Enter');
    await until('details', (text) =>
      ['Details: \\x1b[2J', 'Command line', 'Open files', 'Connections', 'Threads'].every((s) =>
        text.includes(s),
      ),
    );
    keys('Escape');
    await until('the list after details', (text) => listShown(text) && rows(text).length === 1);

    keys('k');
    await until('the kill prompt naming the process', (text) =>
      new RegExp(`Send SIGTERM to ${hostilePid} \\\\x1b\\[2J.*EVIL`).test(text),
    );
    keys('y');
    await until('the kill reported', (text) => text.includes(`sent SIGTERM to ${hostilePid}`));
    await exited;
    assert.throws(() => process.kill(hostilePid, 0), /ESRCH/, 'the killed process is gone');
    await until('the killed process leaves the list', (text) => rows(text).length === 0);

    keys('/');
    keys('C-u');
    keys('Enter');
    await until('all rows again', (text) => rows(text).length > 5);
    tmux('resize-window', '-t', 'live', '-x', '80', '-y', '24');
    await until('the view redrawn at 80×24', (text) => {
      const lines = text.replace(/\n$/, '').split('\n');
      return lines.length === 24 && lines[23]!.startsWith('F1/h Help') && lines.every((l) => l.length <= 80);
    });
    tmux('resize-window', '-t', 'live', '-x', '120', '-y', '40');
    await until('the view redrawn at 120×40', (text) => {
      const lines = text.replace(/\n$/, '').split('\n');
      return lines.length === 40 && lines[39]!.startsWith('F1/h Help') && /└─+┘/.test(lines[38]!);
    });

    keys('q');
    await until('the shell back', (text) => text.includes('before-live') && /^ptshell\$\s*$/m.test(text));
    assert.ok(!alternateOn(), 'the alternate screen is left');
    assert.match(screen(), /started the agent \(pid \d+\)/);
  });

  for (const [how, stop] of [
    ['Ctrl-C', () => keys('C-c')],
    [
      'SIGTERM',
      () =>
        execFileSync('pkill', [
          '-TERM',
          '-P',
          tmux('display', '-p', '-t', 'live', '#{pane_pid}').trim(),
          '-f',
          'agent.js live',
        ]),
    ],
  ] as const) {
    test(`${how} restores the screen`, async () => {
      await freshShell(`before-${how}`);
      keys(`node ${AGENT} live --data-dir ${dataDir}`, 'Enter');
      await until('the view', (text) => rows(text).length > 5);
      stop();
      await until('the shell back', (text) => text.includes(`before-${how}`) && /^ptshell\$\s*$/m.test(text));
      assert.ok(!alternateOn());
    });
  }

  test('Chinese under a zh_CN locale (header, columns, help, kill confirmation), no colour with NO_COLOR, ASCII without UTF-8', async () => {
    await freshShell('before-zh');
    keys(`LANG=zh_CN.UTF-8 NO_COLOR=1 node ${AGENT} live --data-dir ${dataDir}`, 'Enter');
    await until(
      'the Chinese view',
      (text) => text.includes('实时监控') && text.includes('排序') && rows(text).length > 5,
    );
    const coloured = tmux('capture-pane', '-p', '-e', '-t', 'live');
    assert.doesNotMatch(coloured, /\x1b\[[0-9;]*(3[0-7]|4[0-7])[;m]/, 'no colour with NO_COLOR');
    // The header, the column titles and the key bar in Chinese.
    const view = screen();
    assert.match(view, /内存/);
    assert.match(view, /负载/);
    assert.match(view, /^\s*PID\s+S\s+CPU%\/核▼?\s+内存\s+IO\/秒\s+运行时间\s+名称/m);
    assert.match(view, /^F1\/h 帮助 .* q 退出/m);
    assert.doesNotMatch(view, /\b(Help|Quit|NAME|UPTIME|load|Mem)\b/);
    // The help screen, then back with h.
    keys('h');
    await until(
      'the Chinese help',
      (text) => text.includes('按键') && text.includes('按 CPU / 内存 / 磁盘 IO 排序'),
    );
    assert.doesNotMatch(screen(), /sort by|this help|quit/);
    keys('h');
    await until('the list again', (text) => /^F1\/h 帮助/m.test(text));
    // The kill confirmation names the process in Chinese (a short command line, so the whole
    // prompt fits the line); n answers no and sends nothing.
    const sleeper = spawn('sleep', ['86399'], { stdio: 'ignore' });
    try {
      keys('/');
      keys('-l', `pid:${sleeper.pid}`);
      keys('Enter');
      await until('only the sleeper', (text) => rows(text).length === 1 && text.includes('sleep 86399'));
      keys('k');
      await until('the Chinese kill confirmation', (text) =>
        new RegExp(
          `向 ${sleeper.pid} sleep \\(sleep 86399\\) 发送 SIGTERM？y = SIGTERM，9 = SIGKILL，其他键 = 取消`,
        ).test(text),
      );
      keys('n');
      await until('the list again', (text) => /^F1\/h 帮助/m.test(text) && !text.includes('其他键'));
      assert.equal(sleeper.exitCode, null, 'n sent nothing');
    } finally {
      sleeper.kill('SIGKILL');
    }
    keys('q');
    await until(
      'the shell back',
      (text) => /^ptshell\$\s*$/m.test(text) && text.includes('实时监控') === false,
    );
    keys('clear', 'Enter');
    keys(`LANG=C node ${AGENT} live --data-dir ${dataDir}`, 'Enter');
    await until('the ASCII view', (text) => /^\+- Trend/m.test(text) && rows(text).length > 5);
    assert.match(screen(), /^[\x20-\x7e\n]*$/, 'only ASCII on the screen');
    keys('q');
    await until('the shell back', (text) => /^ptshell\$\s*$/m.test(text) && !text.includes('Trend'));
  });

  test('a crash restores the screen, then shows the error', async () => {
    await freshShell('before-crash');
    const fixture = path.join(__dirname, 'liveCrash.fixture.ts');
    keys(`node --import tsx ${fixture}; echo "exit=$?"`, 'Enter');
    await until('the crash reported on the normal screen', (text) =>
      /fixture crash on purpose[\s\S]*exit=1/.test(text),
    );
    assert.ok(!alternateOn());
  });
});
