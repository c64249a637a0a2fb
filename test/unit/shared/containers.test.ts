// Containers as subjects (issue 16 item 6): the `container:` filter (the filter box, the CLI's
// --container, the RPC filter) and the CONTAINER column, over ids as collect/cgroup.ts names them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processTable } from '../../../agent/cli/format';
import { compileFilter, containerMatches, parseFilterText } from '../../../shared/filter';
import type { ProcessRow } from '../../../shared/model';

const ID = '3f2a9c0b1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a';
const row = (pid: number, container: string | null): ProcessRow => ({
  pid,
  ppid: 1,
  startTime: 1,
  name: `p${pid}`,
  cmdline: `p${pid} --run`,
  user: 'u',
  category: 'other',
  container,
  cpu: 1,
  rss: 1024,
  readBps: 0,
  writeBps: 0,
  threads: 1,
  fds: 1,
});

describe('containers', () => {
  it('container:ID matches the whole id, the bare id, a prefix of 4+, an lxc name; never the host', () => {
    for (const wanted of [`docker:${ID}`, ID, '3f2a', 'docker:3f2a9c']) {
      assert.ok(containerMatches(`docker:${ID}`, wanted), wanted);
    }
    assert.ok(!containerMatches(`docker:${ID}`, '3f2'), 'too short a prefix');
    assert.ok(containerMatches('lxc:web', 'web'));
    assert.ok(!containerMatches(null, '3f2a'));
    const accept = compileFilter(parseFilterText('container:3f2a9c p'));
    assert.deepEqual(
      [row(1, `docker:${ID}`), row(2, null), row(3, 'docker:ffff0000')].filter(accept).map((r) => r.pid),
      [1],
    );
  });

  it('a CONTAINER column with short ids when a row runs in one; none on a host-only list', () => {
    const mixed = processTable([row(1, `docker:${ID}`), row(2, null)]);
    assert.match(mixed.split('\n')[0]!, /USER +CONTAINER +COMMAND/);
    assert.match(mixed, /docker:3f2a9c0b1d2e /);
    assert.doesNotMatch(processTable([row(2, null)]), /CONTAINER/);
  });
});
