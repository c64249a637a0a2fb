// `process-tracker service install | uninstall` writes and removes a systemd user unit. A stand-in
// `systemctl` first on PATH (a shell script that records its arguments and answers as told) keeps
// the real user manager out of it and lets both answers be tested: taken and refused.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { AGENT, cli, requireBuild, tempDir } from './agentHarness';

const work = tempDir('pt-service-install-');
after(() => work.remove());

const bin = path.join(work.dir, 'bin');
const calls = path.join(work.dir, 'systemctl-calls');
mkdirSync(bin);
writeFileSync(
  path.join(bin, 'systemctl'),
  `#!/bin/sh
echo "$*" >> "${calls}"
if [ -n "$FAKE_SYSTEMCTL_REFUSE" ]; then echo "Failed to connect to bus: No medium found" >&2; exit 1; fi
exit 0
`,
);
chmodSync(path.join(bin, 'systemctl'), 0o755);

const unit = path.join(work.dir, 'config', 'systemd', 'user', 'process-tracker.service');
const baseEnv = {
  XDG_CONFIG_HOME: path.join(work.dir, 'config'),
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
  PROCESS_TRACKER_DATA_DIR: '',
};
const execStart = () => /^ExecStart=(.*)$/m.exec(readFileSync(unit, 'utf8'))![1]!;

test('install writes a unit that runs this agent at login; uninstall removes it', async () => {
  requireBuild();
  const dataDir = path.join(work.dir, 'my data');
  const install = await cli(['service', 'install', '--data-dir', dataDir], baseEnv);
  assert.equal(install.status, 0, install.stderr);
  assert.match(install.stdout, new RegExp(`wrote ${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(install.stdout, /enabled and started process-tracker\.service/);
  assert.match(
    readFileSync(calls, 'utf8'),
    /--user daemon-reload\n--user enable --now process-tracker\.service/,
  );
  const text = readFileSync(unit, 'utf8');
  assert.match(text, /^\[Service\]$/m);
  assert.match(text, /^WantedBy=default\.target$/m);
  assert.ok(execStart().startsWith(`${process.execPath} ${AGENT} run --quiet --data-dir `), execStart());
  assert.ok(execStart().endsWith(`"${dataDir}"`), `a path with a space is quoted: ${execStart()}`);

  const uninstall = await cli(['service', 'uninstall'], baseEnv);
  assert.equal(uninstall.status, 0, uninstall.stderr);
  assert.match(uninstall.stdout, /removed /);
  assert.equal(existsSync(unit), false);
});

test('the unit records where this CLI reads: $PROCESS_TRACKER_DATA_DIR, a relative --data-dir made absolute', async () => {
  requireBuild();
  const fromEnv = path.join(work.dir, 'from-env');
  const byEnv = await cli(['service', 'install'], { ...baseEnv, PROCESS_TRACKER_DATA_DIR: fromEnv });
  assert.equal(byEnv.status, 0, byEnv.stderr);
  assert.ok(execStart().endsWith(` run --quiet --data-dir ${fromEnv}`), execStart());

  const relative = await cli(['service', 'install', '--data-dir', 'relative-data'], baseEnv);
  assert.equal(relative.status, 0, relative.stderr);
  assert.ok(execStart().endsWith(` --data-dir ${path.resolve('relative-data')}`), execStart());
});

test('systemd refusing the unit is an error: exit 1, the reason and what to run, the unit kept', async () => {
  requireBuild();
  const dataDir = path.join(work.dir, 'refused');
  const refused = await cli(['service', 'install', '--data-dir', dataDir], {
    ...baseEnv,
    FAKE_SYSTEMCTL_REFUSE: '1',
  });
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(refused.stdout, /^wrote /);
  assert.match(
    refused.stderr,
    /systemd did not take it \(Failed to connect to bus: No medium found\): run "systemctl --user enable --now process-tracker\.service"/,
  );
  assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  assert.ok(existsSync(unit));
});
