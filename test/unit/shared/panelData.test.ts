// The lifecycle query (agent/store/queries/lifecycle.ts) over a real store on disk, and the panel's
// lifecycle events built from its answer (shared/panelData.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../agent/log';
import { Store } from '../../../agent/store';
import type { ProcessIdentity, ProcessRow, Tick } from '../../../shared/model';
import { DEFAULT_RETENTION } from '../../../shared/settings';
import { lifecycleEvents } from '../../../shared/panelData';
import { proc, T0, tick } from '../../fixtures/store/ticks';

const S = 1000;
const END = T0 + 7200 * S;
const worker = (pid: number, start: number, over: Partial<ProcessRow> = {}) =>
  proc(pid, start, 'worker', { cmdline: 'worker --queue jobs', ...over });

/** Alive over [start + 1 s, until], sampled every 2 s; `exits` adds the exit on the next tick. */
const LIVES: Array<{ row: ProcessRow; until: number; exits: boolean }> = [
  { row: worker(400, T0 + 100 * S), until: T0 + 1000 * S, exits: true },
  { row: worker(401, T0 + 1500 * S), until: T0 + 3000 * S, exits: true },
  { row: worker(402, T0 + 4000 * S), until: END, exits: false },
  { row: worker(500, T0 + 50 * S, { cmdline: 'worker --queue mail' }), until: END, exits: false },
  { row: proc(600, T0 + 200 * S, 'sh', { ppid: 400 }), until: T0 + 300 * S, exits: true },
  // Same parent pid, but started before pid 400's process existed: not its child.
  { row: proc(601, T0 + 20 * S, 'sh', { ppid: 400 }), until: T0 + 40 * S, exits: true },
];

function* ticks(): Generator<Tick> {
  for (let ts = T0 + 2 * S; ts <= END; ts += 2 * S) {
    const alive = LIVES.filter((l) => ts > l.row.startTime && ts <= l.until).map((l) => l.row);
    const exited: ProcessIdentity[] = LIVES.filter(
      (l) => l.exits && ts > l.until && ts - 2 * S <= l.until && ts - 2 * S > l.row.startTime,
    ).map((l) => ({ pid: l.row.pid, startTime: l.row.startTime }));
    yield { ...tick(ts, alive), exited };
  }
}

describe('store: lifecycle of a process', () => {
  let dir: string;
  let store: Store;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-lifecycle-'));
    store = await Store.open({
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      now: () => END + S,
    });
    for (const t of ticks()) store.ingest(t);
  });

  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an identity: it and the restarts of its command line, oldest first; others of the name are not', () => {
    const result = store.lifecycle({
      identity: { pid: 401, startTime: T0 + 1500 * S },
      from: T0,
      to: END + S,
    });
    assert.deepEqual(
      result.instances.map((i) => i.pid),
      [400, 401, 402],
    );
    const [first, second, third] = result.instances;
    assert.equal(first!.exitSeen, T0 + 1002 * S);
    assert.equal(second!.firstSeen, T0 + 1502 * S);
    assert.equal(second!.running, false);
    assert.equal(third!.exitSeen, null);
    assert.equal(third!.running, true);
    assert.deepEqual(result.children, [], 'pid 401 started nothing');
  });

  test("an identity's children: started by it while it ran, not by an earlier holder of its pid", () => {
    const result = store.lifecycle({
      identity: { pid: 400, startTime: T0 + 100 * S },
      from: T0,
      to: END + S,
    });
    assert.deepEqual(
      result.children.map((c) => [c.pid, c.name, c.running]),
      [[600, 'sh', false]],
    );
    assert.equal(result.childrenTruncated, false);
  });

  test('a name: every instance whatever its command line; the range keeps the ones alive in it', () => {
    const all = store.lifecycle({ name: 'worker', from: T0, to: END + S });
    assert.deepEqual(all.instances.map((i) => i.pid).sort(), [400, 401, 402, 500]);
    const late = store.lifecycle({ name: 'worker', from: T0 + 3500 * S, to: END + S });
    assert.deepEqual(late.instances.map((i) => i.pid).sort(), [402, 500]);
    assert.deepEqual(store.lifecycle({ name: 'nothing-of-that-name', from: T0, to: END }).instances, []);
  });

  test('the panel turns instances into start and exit events inside the range', () => {
    const result = store.lifecycle({
      identity: { pid: 401, startTime: T0 + 1500 * S },
      from: T0,
      to: END + S,
    });
    const events = lifecycleEvents(result.instances, T0 + 500 * S, T0 + 5000 * S);
    assert.deepEqual(
      events.map((e) => [e.kind, e.identity.pid, (e.ts - T0) / S]),
      [
        ['exit', 400, 1002],
        ['start', 401, 1500],
        ['exit', 401, 3002],
        ['start', 402, 4000],
      ],
    );
    assert.ok(events.every((e) => e.cmdline === 'worker --queue jobs'));
  });
});
