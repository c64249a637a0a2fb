import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCategorizer, type CategoryInput } from '../../../agent/categories';
import { UserInputError } from '../../../shared/errors';
import type { Category } from '../../../shared/model';

const proc = (name: string, cmdline = name, ppid = 1000, pid = 4242): CategoryInput => ({
  pid,
  ppid,
  name,
  cmdline,
});

describe('built-in categories', () => {
  const categorize = createCategorizer([]);
  const cases: Array<[CategoryInput, Category]> = [
    [proc('code', '/usr/share/code/code --type=renderer'), 'development'],
    [proc('node', 'node /home/me/app/server.js'), 'development'],
    [proc('npm', 'npm run dev'), 'development'],
    [proc('python3.11', '/usr/bin/python3.11 -m pytest'), 'development'],
    [proc('java', 'java -jar app.jar'), 'development'],
    [proc('cargo'), 'development'],
    [proc('rustc'), 'development'],
    [proc('gcc'), 'development'],
    [proc('make'), 'development'],
    [proc('git', 'git fetch'), 'development'],
    [proc('esbuild'), 'development'],
    [proc('chrome', '/opt/google/chrome/chrome --type=renderer'), 'browser'],
    [proc('firefox-esr'), 'browser'],
    // Firefox's content processes are named after their role; argv[0] still says firefox.
    [proc('Isolated Web Co', '/usr/lib/firefox/firefox -contentproc -isForBrowser'), 'browser'],
    [proc('msedge.exe', ''), 'browser'],
    [proc('Google Chrome Helper (Renderer)', ''), 'browser'],
    [proc('postgres', 'postgres: checkpointer'), 'database'],
    [proc('mysqld'), 'database'],
    [proc('mariadbd'), 'database'],
    [proc('mongod'), 'database'],
    [proc('redis-server', 'redis-server *:6379'), 'database'],
    [proc('dockerd', '/usr/bin/dockerd -H fd://'), 'container'],
    // comm is cut to 15 bytes; the full name comes from argv[0].
    [proc('containerd-shim', '/usr/bin/containerd-shim-runc-v2 -namespace moby'), 'container'],
    [proc('runc'), 'container'],
    [proc('kubelet'), 'container'],
    [proc('bash', '-bash'), 'shell'],
    [proc('-zsh', '-zsh'), 'shell'],
    [proc('fish'), 'shell'],
    [proc('tmux: server', 'tmux new -s work'), 'shell'],
    [proc('pwsh.exe', ''), 'shell'],
    [proc('systemd', '/sbin/init', 0, 1), 'system'],
    [proc('systemd-journald'), 'system'],
    [proc('sshd', 'sshd: me@pts/0'), 'system'],
    [proc('kworker/0:1-events', '', 2, 77), 'system'],
    [proc('some_kernel_thing', '', 2, 78), 'system'],
    [proc('kthreadd', '', 0, 2), 'system'],
    [proc('my-custom-daemon', '/opt/thing/my-custom-daemon --flag'), 'other'],
    [proc('', ''), 'other'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input.name)} (${JSON.stringify(input.cmdline)}) -> ${expected}`, () => {
      assert.equal(categorize(input), expected);
    });
  }
});

describe('user rules', () => {
  test('come before built-in rules, on name or command line, case-insensitively', () => {
    const categorize = createCategorizer([
      { match: '^node$', category: 'other' },
      { match: 'my-?service', category: 'database' },
    ]);
    assert.equal(categorize(proc('node', 'node server.js')), 'other');
    assert.equal(categorize(proc('java', 'java -jar /srv/MY-SERVICE.jar')), 'database');
    assert.equal(categorize(proc('bash')), 'shell');
  });

  test('the first matching user rule wins', () => {
    const categorize = createCategorizer([
      { match: 'worker', category: 'browser' },
      { match: 'worker', category: 'database' },
    ]);
    assert.equal(categorize(proc('worker')), 'browser');
  });

  test('a broken regex is a UserInputError naming the rule and the fix', () => {
    assert.throws(
      () =>
        createCategorizer([
          { match: 'ok', category: 'shell' },
          { match: '(unclosed', category: 'shell' },
        ]),
      (error: unknown) =>
        error instanceof UserInputError &&
        /category rule 2/.test(error.message) &&
        /\(unclosed/.test(error.message) &&
        /not a valid regular expression/.test(error.message),
    );
  });

  test('an unknown category is a UserInputError listing the valid ones', () => {
    assert.throws(
      () => createCategorizer([{ match: 'x', category: 'games' as Category }]),
      (error: unknown) =>
        error instanceof UserInputError &&
        /category rule 1/.test(error.message) &&
        /"games"/.test(error.message) &&
        /development/.test(error.message),
    );
  });

  test('a rule without match is a UserInputError', () => {
    assert.throws(
      () => createCategorizer([{ category: 'shell' } as unknown as { match: string; category: Category }]),
      (error: unknown) => error instanceof UserInputError && /has no "match"/.test(error.message),
    );
  });
});
