// History queries answered in a worker process (agent/history) give exactly what the store answers
// on the agent's own thread, with the newest history still in memory only: real sql.js files, a
// real worker process, across an hour and a day boundary whose files are not flushed yet (the
// in-memory raw, minute and hour files, a rolled-over file whose disk copy is older, and the open
// minute and hour buckets). A worker that missed any of it would answer with a hole.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../agent/log';
import { HistoryQueries } from '../../agent/history/queries';
import { panelDataset } from '../../agent/service/panel';
import { generateHistory, Store } from '../../agent/store';
import type { ProcessRow, Tick } from '../../shared/model';
import { DEFAULT_RETENTION } from '../../shared/settings';
import { machine, MB, proc, tick } from '../fixtures/store/ticks';
import { tempDir, waitFor } from './agentHarness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight UTC between the generated history and the live ticks. */
const MIDNIGHT = Date.UTC(2026, 0, 12);
/** The generated history ends 40 minutes before midnight; live ticks run 35 minutes past it. */
const GENERATED_END = MIDNIGHT - 40 * 60_000;
const LIVE_END = MIDNIGHT + 35 * 60_000 + 17_000;

/** Live ticks: a few processes, one busy, one that exits after midnight, one that starts then. */
function* liveTicks(): Generator<Tick> {
  for (let ts = GENERATED_END + 2000, k = 0; ts <= LIVE_END; ts += 2000, k++) {
    const rows: ProcessRow[] = [
      proc(901, GENERATED_END - 60_000, 'busy', { cpu: 40 + (k % 7), rss: 100 * MB + (k % 50) * MB }),
      proc(902, GENERATED_END - 60_000, 'idle', { rss: 20 * MB }),
    ];
    if (ts < MIDNIGHT + 10 * 60_000) rows.push(proc(903, GENERATED_END - 60_000, 'leaver', { cpu: 5 }));
    if (ts > MIDNIGHT + 5 * 60_000)
      rows.push(proc(904, MIDNIGHT + 5 * 60_000, 'late', { cpu: 12, ppid: 901, writeBps: 4096 }));
    const t = tick(ts, rows);
    yield { ...t, machine: { ...t.machine, cpu: 20 + (k % 30) } };
  }
}

describe('history queries in a worker process', () => {
  const work = tempDir('pt-history-worker-');
  let store: Store;
  let history: HistoryQueries;
  let now = GENERATED_END;

  before(async () => {
    const dataDir = path.join(work.dir, 'data');
    store = await Store.open({
      dataDir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      now: () => now,
      flushIntervalMs: 10 * DAY,
    });
    await generateHistory(store, { days: 2, processes: 30, endTs: GENERATED_END, rawHours: 2, seed: 7 });
    // Everything generated is on disk now; what follows stays in memory (no await until the
    // queries below have taken their hand-over: a flush runs only between turns).
    now = LIVE_END;
    for (const tick of liveTicks()) store.ingest(tick);
    history = new HistoryQueries(store, { log: silentLogger, alwaysWorker: true });
  });
  after(async () => {
    await history?.close();
    await store?.close();
    work.remove();
  });

  test('statistics over whole past days come from the totals on the agent, as the worker gives them', async () => {
    // The default agent's queries: whole past UTC days from their totals sidecars, an hour-aligned
    // edge inside a closed day (a local midnight) from that day's hour file, the rest from the files
    // in memory, on this thread and with no worker process; an edge inside an hour of a closed day
    // needs its minute file (~3-4 MB) and still goes to a worker.
    // First in this suite: no closed file is open in the store yet (its LRU would serve one).
    const here = new HistoryQueries(store, { log: silentLogger });
    try {
      // The closed day's sidecar as the writer leaves it (written when the day's file was finished).
      assert.ok(existsSync(path.join(work.dir, 'data', 'hour', '20260110.totals.json')), 'the sidecar');
      const aligned: [string, number, number][] = [
        ['two whole days and today', MIDNIGHT - 2 * DAY, LIVE_END],
        ['a closed day, a live day', MIDNIGHT - 2 * DAY, MIDNIGHT],
        ['since midnight, past the data', MIDNIGHT, LIVE_END + HOUR],
        ['from 03:00 UTC two days ago (a local midnight)', MIDNIGHT - 2 * DAY + 3 * HOUR, LIVE_END],
        ['inside a closed day', MIDNIGHT - 2 * DAY + 2 * HOUR, MIDNIGHT - 2 * DAY + 9 * HOUR],
      ];
      for (const [label, from, to] of aligned)
        for (const groupBy of ['name', 'identity'] as const) {
          const q = { from, to, groupBy };
          const onThread = here.stats(q);
          // A worker's answer would be a promise: it must fail this assertion, not the run.
          if (onThread instanceof Promise) onThread.catch(() => undefined);
          assert.ok(!(onThread instanceof Promise), `${label} ${groupBy}: answered at once`);
          assert.equal(here.workers, 0, `${label} ${groupBy}: no worker process started`);
          assert.deepEqual(onThread, await history.stats(q), `${label} ${groupBy}: as the worker answers`);
        }
      const edge = { from: MIDNIGHT - 2 * DAY + 3 * HOUR + 60_000, to: LIVE_END, groupBy: 'name' as const };
      const inWorker = here.stats(edge);
      assert.ok(inWorker instanceof Promise, 'an edge inside an hour of a closed day: the worker');
      assert.deepEqual(await inWorker, await history.stats(edge));
    } finally {
      await here.close();
    }
  });

  test('every query gives what the store gives on its own thread', { timeout: 180_000 }, async () => {
    const ranges: [string, number, number][] = [
      ['across midnight', MIDNIGHT - 3 * HOUR, LIVE_END + 60_000],
      ['the last 20 minutes', LIVE_END - 20 * 60_000, LIVE_END],
      ['two days', MIDNIGHT - 2 * DAY, LIVE_END],
      ['an edge inside the open hour', MIDNIGHT - 90 * 60_000 + 13_000, MIDNIGHT + 17 * 60_000 + 5_000],
    ];
    const busy = { pid: 901, startTime: GENERATED_END - 60_000 };
    // Each pair is asked in one turn: the worker's hand-over and the store's answer see one state.
    const pairs: [string, Promise<unknown>, unknown][] = [];
    const both = <T>(what: string, inWorker: T | Promise<T>, here: T) => {
      // Settled at once, so a failure is this test's, not an unhandled rejection.
      const settled = Promise.resolve(inWorker).then(
        (value) => value,
        (error: unknown) => ({ failed: String(error) }),
      );
      pairs.push([what, settled, here]);
    };
    for (const [label, from, to] of ranges) {
      for (const groupBy of ['name', 'identity'] as const)
        both(
          `stats ${groupBy} ${label}`,
          history.stats({ from, to, groupBy }),
          store.stats({ from, to, groupBy }),
        );
      for (const metric of ['machineCpu', 'machineMem'] as const)
        both(
          `series ${metric} ${label}`,
          history.series({ metric, from, to }),
          store.series({ metric, from, to }),
        );
      both(
        `series busy cpu ${label}`,
        history.series({ name: 'busy', metric: 'cpu', from, to, maxPoints: 200 }),
        store.series({ name: 'busy', metric: 'cpu', from, to, maxPoints: 200 }),
      );
      both(
        `series identity rss ${label}`,
        history.series({ identity: busy, metric: 'rss', from, to }),
        store.series({ identity: busy, metric: 'rss', from, to }),
      );
      both(
        `lifecycle ${label}`,
        history.lifecycle({ identity: busy, from, to }),
        store.lifecycle({ identity: busy, from, to }),
      );
    }
    for (const ts of [
      MIDNIGHT - 30 * 60_000,
      MIDNIGHT - 1000,
      MIDNIGHT + 7 * 60_000,
      LIVE_END,
      MIDNIGHT - DAY,
    ])
      both(`at ${new Date(ts).toISOString()}`, history.at({ ts }), store.at({ ts }));
    const panel = {
      from: MIDNIGHT - DAY,
      to: LIVE_END,
      metric: 'cpu' as const,
      topN: 5,
      maxPoints: 300,
      rows: 50,
    };
    const machineNow = machine(LIVE_END, 4);
    both('panelDataset', history.panelDataset(panel, machineNow), await panelDatasetHere(panel, machineNow));

    for (const [what, inWorker, here] of pairs) assert.deepEqual(await inWorker, here, what);

    // The in-memory part is really there: the live ticks after midnight are in the answers.
    const [late] = (await history.stats({ from: MIDNIGHT, to: LIVE_END, groupBy: 'name' })).rows.filter(
      (r) => r.name === 'late',
    );
    assert.ok(late && late.cpuSeconds > 0, 'the process that started after midnight (memory only)');
  });

  test('an export written by the worker is the one the store writes', { timeout: 180_000 }, async () => {
    // By now the rolled-over files are flushed: a few more ticks are in memory only (the current
    // raw file, no roll-over, so no flush before the export has taken its hand-over).
    for (let ts = LIVE_END + 2000; ts <= LIVE_END + 60_000; ts += 2000) {
      now = ts;
      store.ingest(tick(ts, [proc(905, LIVE_END, 'fresh', { cpu: 30, rss: 33 * MB })]));
    }
    const q = { format: 'csv' as const, from: MIDNIGHT - 2 * HOUR, to: LIVE_END + 120_000 };
    const inWorker = path.join(work.dir, 'worker.csv');
    const here = path.join(work.dir, 'here.csv');
    const pending = history.exportTo(q, inWorker);
    pending.catch(() => undefined);
    await store.exportTo(q, here);
    const rows = (await pending).rows;
    assert.ok(rows > 1000, `rows: ${rows}`);
    const csv = readFileSync(inWorker, 'utf8');
    assert.match(csv, /,fresh,/, 'the rows only memory holds');
    assert.equal(csv, readFileSync(here, 'utf8'));
  });

  test('a closed file the worker finds damaged is set aside by the store, as its own query would', async () => {
    const rawDir = path.join(work.dir, 'data', 'raw');
    const name = readdirSync(rawDir).find((n) => n.startsWith('2026011122'))!;
    const file = path.join(rawDir, name);
    const bytes = readFileSync(file);
    // The header page intact (the files pass the open-time checks), every other page garbage.
    bytes.fill(0xa5, 4096);
    writeFileSync(file, bytes);
    const answer = await history.at({ ts: MIDNIGHT - 90 * 60_000 });
    assert.notEqual(answer.resolution.tier, 'raw', 'answered from a coarser tier');
    await waitFor(
      () => readdirSync(rawDir).some((n) => n.startsWith(`${name}.corrupt-`)),
      10_000,
      () => readdirSync(rawDir).join(' '),
    );
    assert.ok(!existsSync(file), 'moved, not copied');
    assert.equal(store.status().setAside.length, 1);
  });

  test('once the worker has ended idle, the agent is told once, to collect what the calls left', async () => {
    let told = 0;
    let workersWhenTold = -1;
    const idle = new HistoryQueries(store, {
      log: silentLogger,
      alwaysWorker: true,
      idleMs: 300,
      afterCalls: () => {
        told++;
        workersWhenTold = idle.workers;
      },
    });
    try {
      // A burst of calls, then nothing: one worker, ended 300 ms after the last, one call back.
      await idle.at({ ts: MIDNIGHT - 90 * 60_000 });
      await idle.stats({ from: MIDNIGHT - 2 * HOUR, to: MIDNIGHT });
      assert.equal(told, 0, 'not while calls come');
      await waitFor(() => told > 0, 10_000);
      assert.equal(workersWhenTold, 0, 'after the worker has ended');
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(told, 1, 'once per burst');
    } finally {
      await idle.close();
    }
  });

  /** The panel as the agent's thread composes it from the store's own calls. */
  function panelDatasetHere(q: Parameters<HistoryQueries['panelDataset']>[0], m: ReturnType<typeof machine>) {
    return panelDataset(store, { machine: m }, q);
  }
});
