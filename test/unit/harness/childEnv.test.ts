// The suites hand their children (agent, CLI, code-server, Chromium) an environment of their own:
// a PROCESS_TRACKER_DATA_DIR or XDG_RUNTIME_DIR in the shell that runs the tests must not send a
// test's agent to the user's store or socket.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { childEnv } from '../../harness/childEnv';
import { codeServerEnv } from '../../harness/codeServer';

const shell: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/someone',
  LANG: 'C.UTF-8',
  PROCESS_TRACKER_DATA_DIR: '/home/someone/real-store',
  PROCESS_TRACKER_FLUSH_INTERVAL: '1s',
  XDG_RUNTIME_DIR: '/run/user/1000',
  XDG_DATA_HOME: '/home/someone/.local/share',
  XDG_CONFIG_DIRS: '/etc/xdg',
  PORT: '8080',
};

const userOnly = (env: NodeJS.ProcessEnv) =>
  Object.keys(env).filter((n) => /^(PROCESS_TRACKER_|XDG_)/.test(n));

describe('child environments', () => {
  test("childEnv drops the shell's PROCESS_TRACKER_* and XDG_*, keeps the rest, then the suite's values", () => {
    const env = childEnv({ XDG_RUNTIME_DIR: '/tmp/t/run', PROCESS_TRACKER_COLLECTOR: 'portable' }, shell);
    assert.deepEqual(userOnly(env).sort(), ['PROCESS_TRACKER_COLLECTOR', 'XDG_RUNTIME_DIR']);
    assert.equal(env.XDG_RUNTIME_DIR, '/tmp/t/run');
    assert.equal(env.PATH, shell.PATH);
    assert.equal(env.HOME, shell.HOME);
    assert.equal(env.LANG, shell.LANG);
    assert.equal(childEnv({ LANG: undefined }, shell).LANG, undefined, 'an undefined value removes one');
  });

  test("code-server's environment (its extension host starts the agent) has only the suite's XDG homes", () => {
    const temp = '/tmp/pt-code-server-x';
    const env = codeServerEnv(temp, { PROCESS_TRACKER_TEST_RESULTS: '/tmp/r.json' }, shell);
    assert.equal(env.PROCESS_TRACKER_DATA_DIR, undefined);
    assert.equal(env.PROCESS_TRACKER_FLUSH_INTERVAL, undefined);
    assert.equal(env.PROCESS_TRACKER_TEST_RESULTS, '/tmp/r.json');
    assert.equal(env.XDG_CONFIG_DIRS, undefined);
    for (const name of userOnly(env).filter((n) => n.startsWith('XDG_')))
      assert.ok(env[name]!.startsWith(temp + path.sep), `${name}=${env[name]} is not the suite's`);
    assert.ok(env.XDG_RUNTIME_DIR, 'the agent gets a socket folder of its own');
    assert.equal(env.PORT, undefined);
    assert.equal(env.PATH, shell.PATH);
  });
});
