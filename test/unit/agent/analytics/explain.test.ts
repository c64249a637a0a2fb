// explain TIME over a real store (sql.js files in a temp folder) fed tick by tick and asked while it
// is still recording, so the minute after TIME is the store's open bucket: the idle process that
// starts burning mid-minute ranks first — above busy new processes whose name's other instances
// are idle, a process busy all along, one that got busier minutes before, and a one-tick blip.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explain } from '../../../../agent/analytics/explain';
import { explainText } from '../../../../agent/cli/analytics';
import { fileSource } from '../../../../agent/analytics/source';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { ExplainRequest } from '../../../../shared/protocol';
import type { ProcessRow } from '../../../../shared/model';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, tick } from '../../../fixtures/store/ticks';

const INTERVAL = 2000;
const START = Date.UTC(2026, 0, 10, 10, 0, 0);
/** 40 s into a minute: the minute of TIME is partly idle for the burner. */
const TIME = START + 70 * 60_000 + 40_000;
/** explain is asked 35 s later: the next minute has begun and is not rolled up yet. */
const NOW = TIME + 35_000;

const PIDS = { burner: 100, steady: 200, newBefore: 300, newAfter: 301, blip: 400, ramp: 500 };

function rowsAt(ts: number): ProcessRow[] {
  const rows: ProcessRow[] = [];
  // Idle siblings: the name `node` is idle on average.
  for (let pid = 10; pid < 15; pid++) rows.push(proc(pid, START - 1000, 'node', { cpu: 0.2 }));
  rows.push(proc(PIDS.burner, START - 1000, 'node', { cpu: ts > TIME ? 100 : 0, cmdline: 'node burner.js' }));
  rows.push(proc(PIDS.steady, START - 1000, 'cc1', { cpu: 90 }));
  // Busy new processes of the idle name, one starting just before TIME and one just after.
  if (ts >= TIME - 20_000) rows.push(proc(PIDS.newBefore, TIME - 21_000, 'node', { cpu: 100 }));
  if (ts >= TIME + 10_000) rows.push(proc(PIDS.newAfter, TIME + 9_000, 'node', { cpu: 100 }));
  // Idle, but one tick at a full core just after TIME.
  rows.push(proc(PIDS.blip, START - 1000, 'cron', { cpu: ts === TIME + 2000 ? 100 : 0 }));
  // Got busier five minutes before TIME and stayed so.
  rows.push(proc(PIDS.ramp, START - 1000, 'java', { cpu: ts > TIME - 5 * 60_000 ? 60 : 5 }));
  return rows;
}

describe('explain at the start of a burner, over a live store', () => {
  let dir: string;
  let store: Store;
  let result: ExplainRequest.Result;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-explain-'));
    store = await Store.open({
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: INTERVAL,
      log: silentLogger,
      flushIntervalMs: 3_600_000,
      now: () => NOW,
    });
    for (let ts = START + INTERVAL; ts <= NOW; ts += INTERVAL) store.ingest(tick(ts, rowsAt(ts), INTERVAL));
    result = await explain(store, fileSource(dir), { ts: TIME, now: NOW });
  });

  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (pid: number) => result.ranked.find((r) => r.identity.pid === pid);
  const shown = () =>
    result.ranked
      .map(
        (r) =>
          `${r.identity.pid} ${r.name} cpu ${r.cpu?.toFixed(1)} score ${r.score.toFixed(2)} (${r.baseline})`,
      )
      .join('; ');

  it('ranks the burner first, against its own idle baseline', () => {
    const first = result.ranked[0]!;
    assert.equal(first.identity.pid, PIDS.burner, shown());
    assert.equal(first.baseline, 'identity');
    assert.ok(first.baselineCpu !== null && first.baselineCpu < 1, shown());
    assert.equal(first.cmdline, 'node burner.js');
    // Over TIME's minute and the open one after it: 35 s burning of 75 s.
    assert.equal(first.at, Math.floor(TIME / 60_000) * 60_000);
    assert.ok(first.cpu !== null && first.cpu > 40 && first.cpu < 55, shown());
  });

  it('measures new processes against a busy new process, not their idle siblings', () => {
    for (const pid of [PIDS.newBefore, PIDS.newAfter]) {
      const r = row(pid);
      assert.ok(r, `pid ${pid} is ranked: ${shown()}`);
      assert.equal(r.baseline, 'new');
      assert.equal(r.baselineCpu, 25);
      assert.ok(r.score < result.ranked[0]!.score / 3, shown());
      // The one that started after TIME is not in the instant: its command line comes from later.
      assert.equal(r.cmdline, '/usr/bin/node --test');
    }
  });

  it('keeps a process busy all along near zero, and ranks the one-tick blip low', () => {
    const steady = row(PIDS.steady);
    assert.ok(!steady || Math.abs(steady.score) < 0.5, shown());
    const blip = row(PIDS.blip);
    assert.ok(!blip || blip.score < result.ranked[0]!.score / 5, shown());
  });

  it('ranks a process that got busier minutes before TIME after the burner, above the blip', () => {
    const ramp = row(PIDS.ramp)!;
    assert.ok(ramp, shown());
    assert.equal(ramp.baseline, 'identity');
    assert.ok(ramp.score > (row(PIDS.blip)?.score ?? 0), shown());
  });

  it('shows the machine at TIME and the sample it comes from', () => {
    assert.ok(result.machine);
    assert.ok(result.sampleTs !== null && result.sampleTs <= TIME && result.sampleTs > TIME - INTERVAL * 2);
  });

  it('prints the containers that started or stopped around then, names as text', () => {
    const text = explainText({
      ...result,
      containers: [
        { ts: TIME - 60_000, kind: 'start', container: 'docker:3f2a6c1b9e8d', name: 'web\u001b[31m' },
        { ts: TIME, kind: 'stop', container: 'k8s:7d1c2e3f', name: null },
      ],
    });
    assert.match(text, /Containers started or stopped around then:/);
    assert.match(text, /start docker:3f2a6c1b9e8d \(web\\x1b\[31m\)/);
    assert.match(text, /stop {2}k8s:7d1c2e3f$/m);
    assert.ok(!text.includes('\u001b'));
    // Stored with no container events: no such section.
    assert.ok(!explainText(result).includes('Containers'));
  });

  it('names a ranked process’s container in its own column, only when one ran in a container', () => {
    assert.doesNotMatch(explainText(result), /CONTAINER/);
    const [first, ...rest] = result.ranked;
    const text = explainText({
      ...result,
      ranked: [{ ...first!, container: 'docker:3f2a6c1b9e8d0a1b2c3d' }, ...rest],
    });
    assert.match(text, /CONTAINER/);
    assert.match(text, new RegExp(`^\\s*1\\s+${first!.identity.pid}\\s+\\S+\\s+docker:3f2a6c1b9e8d\\s`, 'm'));
    assert.match(text, /^\s*2\s+\d+\s+\S+\s+-\s/m);
  });
});
