// The systemd unit: the agent's allocator settings are in it, since glibc reads them only when the
// process starts (shared/mallocEnv.ts) and systemd starts the agent without the caller's environment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitText } from '../../../../agent/cli/loginUnit';

test('the unit starts the agent with one malloc arena and a fixed trim threshold', () => {
  const text = unitText(['/usr/bin/node', '/opt/pt/agent.js', 'run', '--quiet']);
  const lines = text.split('\n');
  assert.ok(lines.includes('Environment=MALLOC_ARENA_MAX=1'), text);
  assert.ok(lines.includes('Environment=MALLOC_TRIM_THRESHOLD_=131072'), text);
  // In [Service], where systemd reads Environment=.
  const service = lines.indexOf('[Service]');
  const install = lines.indexOf('[Install]');
  for (const line of lines.filter((l) => l.startsWith('Environment=')))
    assert.ok(lines.indexOf(line) > service && lines.indexOf(line) < install, text);
});
