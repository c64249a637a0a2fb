// Exports stream (issue 14): rows are written as they are read from the tier files, never a
// stretch's rows held at once, and an export that a flush, new ticks and other queries interleave
// with still writes every row once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { generateHistory, Store } from '../../../../agent/store';
import { loadSqlJs } from '../../../../agent/store/sqljs';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { machine, proc, T0 } from '../../../fixtures/store/ticks';

const HOUR = 3_600_000;
const END = T0 + 30 * HOUR;

/** A writer that lets `onChunk` act between chunks, as a slow disk or socket gives it time to. */
function writer(onChunk: (text: string) => void): Writable & { text: () => Promise<string> } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      chunks.push(text);
      onChunk(text);
      setImmediate(done);
    },
  });
  // The export leaves a stream it was given open: what it wrote is all there once the stream ends.
  const text = async () => {
    stream.end();
    await once(stream, 'finish');
    return chunks.join('');
  };
  return Object.assign(stream, { text });
}

describe('export streams', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-export-stream-'));
  let store: Store;
  before(async () => {
    store = await Store.open({
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      flushIntervalMs: 3_600_000,
      now: () => END,
    });
    await generateHistory(store, { days: 1, processes: 40, rawHours: 2, endTs: END, seed: 7 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the first row is written after reading one row, not a stretch', async () => {
    const SQL = await loadSqlJs();
    const probe = new SQL.Database();
    const Statement = {
      prototype: Object.getPrototypeOf(probe.prepare('SELECT 1')) as { step: () => boolean },
    };
    probe.close();
    const step = Statement.prototype.step;
    let steps = 0;
    let stepsAtFirstRow: number | undefined;
    Statement.prototype.step = function (this: typeof Statement.prototype) {
      steps++;
      return step.call(this);
    };
    try {
      const out = writer((text) => {
        if (stepsAtFirstRow === undefined && /^\d{4}-/m.test(text)) stepsAtFirstRow = steps;
      });
      // Minute rows (the raw tier holds only the last two hours): thousands in the day's file.
      const { rows } = await store.exportTo(
        { format: 'csv', from: END - 20 * HOUR, to: END - 4 * HOUR },
        out,
      );
      assert.ok(rows > 2000, `${rows} rows`);
      assert.ok(
        stepsAtFirstRow !== undefined && stepsAtFirstRow < 50,
        `${stepsAtFirstRow} rows read before the first was written`,
      );
    } finally {
      Statement.prototype.step = step;
    }
  });

  test('a flush, new ticks and queries of other files during an export leave it whole', async () => {
    // The late ticks below end the generated processes, which changes the newest rows: the range
    // stops an hour before them.
    const range = { format: 'csv', from: END - 26 * HOUR, to: END - HOUR } as const;
    const quiet = writer(() => undefined);
    const expected = await store.exportTo(range, quiet);
    let ts = END;
    let chunks = 0;
    const busy = writer(() => {
      if (++chunks % 50 !== 0) return;
      ts += 2000;
      store.ingest({
        ts,
        elapsedMs: 2000,
        machine: machine(ts, 1),
        processes: [proc(1, T0, 'late')],
        exited: [],
      });
      void store.flush();
      // Opens past files: the LRU evicts (closes) the one the export reads.
      for (let h = 1; h <= 4; h++) store.at({ ts: END - (20 + h) * HOUR, n: 1 });
    });
    const got = await store.exportTo(range, busy);
    assert.ok(chunks > 200, `${chunks} chunks: the export was interleaved`);
    assert.equal(got.rows, expected.rows);
    assert.equal(await busy.text(), await quiet.text());
    await store.flush();
  });
});
