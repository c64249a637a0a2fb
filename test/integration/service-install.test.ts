// `process-tracker service install | uninstall` writes and removes a systemd user unit. This
// machine has no user session bus, so systemctl's refusal is reported, not hidden.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { AGENT, cli, requireBuild, tempDir } from './agentHarness';

const work = tempDir('pt-service-install-');
after(() => work.remove());

test('install writes a unit that runs this agent at login; uninstall removes it', async () => {
  requireBuild();
  const env = { XDG_CONFIG_HOME: path.join(work.dir, 'config') };
  const dataDir = path.join(work.dir, 'my data');
  const install = await cli(['service', 'install', '--data-dir', dataDir], env);
  assert.equal(install.status, 0, install.stderr);
  const unit = path.join(work.dir, 'config', 'systemd', 'user', 'process-tracker.service');
  assert.match(install.stdout, new RegExp(`wrote ${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(install.stdout, /enabled and started|systemctl --user enable --now process-tracker\.service/);
  const text = readFileSync(unit, 'utf8');
  assert.match(text, /^\[Service\]$/m);
  assert.match(text, /^WantedBy=default\.target$/m);
  const execStart = /^ExecStart=(.*)$/m.exec(text)![1]!;
  assert.ok(execStart.startsWith(`${process.execPath} ${AGENT} run --quiet --data-dir `), execStart);
  assert.ok(execStart.endsWith(`"${dataDir}"`), `a path with a space is quoted: ${execStart}`);

  const uninstall = await cli(['service', 'uninstall'], env);
  assert.equal(uninstall.status, 0, uninstall.stderr);
  assert.match(uninstall.stdout, /removed /);
  assert.equal(existsSync(unit), false);
});
