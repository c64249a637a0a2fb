// report and explain over a real generated store (sql.js files in a temp folder): waste for the
// large idle processes alive for days, an efficiency row per name, trends only where the days move,
// and explain ranking a process that left its own baseline above busier ones that did not.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explain } from '../../../../agent/analytics/explain';
import { buildReport, WASTE_MIN_BYTES } from '../../../../agent/analytics/report';
import { fileSource } from '../../../../agent/analytics/source';
import { findingJson } from '../../../../agent/cli/analytics';
import { silentLogger } from '../../../../agent/log';
import { generateHistory, Store } from '../../../../agent/store';
import type { ProcessRow } from '../../../../shared/model';
import { DEFAULT_RETENTION } from '../../../../shared/settings';

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('analytics report and explain over generated history', () => {
  let dir: string;
  let store: Store;
  let burner: ProcessRow;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-analytics-report-'));
    const options = {
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      flushIntervalMs: 3_600_000,
      now: () => END + 1000,
    };
    const writer = await Store.open(options);
    await generateHistory(writer, {
      days: 3,
      processes: 30,
      activeShare: 0.3,
      endTs: END - 10 * 60_000,
      rawHours: 1,
      churnPerHour: 0,
      seed: 11,
    });
    // The last ten minutes by hand: process 1 (an idle worker so far) starts burning a core.
    const { rows } = writer.at({ ts: END - 10 * 60_000 });
    const idle = rows.find((r) => r.cpu === 0 && r.name !== 'node')!;
    for (let ts = END - 10 * 60_000 + 2000; ts <= END; ts += 2000) {
      const processes: ProcessRow[] = rows.map((r) =>
        r === idle && ts >= END - 5 * 60_000 ? { ...r, cpu: 100 } : r,
      );
      writer.ingest({
        ts,
        elapsedMs: 2000,
        machine: { ...writer.at({ ts: END - 10 * 60_000 }).machine!, ts },
        processes,
        exited: [],
      });
    }
    await writer.close();
    store = await Store.open({ ...options, readOnly: true });
    burner = idle;
  });

  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists waste (large, idle, alive for days) and an efficiency row per name, each with both summaries', async () => {
    const report = await buildReport(store, fileSource(dir), { from: END - 3 * DAY, to: END });
    const waste = report.findings.filter((f) => f.kind === 'waste');
    assert.ok(waste.length > 0, 'the generator makes idle processes of up to 408 MiB');
    for (const f of waste) {
      assert.ok((f.evidence.memAvg as number) >= WASTE_MIN_BYTES);
      assert.ok((f.evidence.cpuPerWall as number) <= 0.5);
      assert.equal(f.subject.identities.length, 1);
      assert.match(f.summary.en, /holds .* while nearly idle/);
      assert.match(f.summary.zh, /几乎空闲/);
    }
    assert.ok(report.efficiency.length > 0);
    assert.ok(
      report.efficiency.every((f) => f.kind === 'efficiency' && typeof f.evidence.cpuPerWall === 'number'),
    );
    // Flat generated days: no trend is claimed.
    assert.deepEqual(
      report.findings.filter((f) => f.kind === 'trend'),
      [],
    );
    const json = findingJson(waste[0]!);
    for (const field of ['kind', 'name', 'from', 'to', 'summary', 'evidence'] as const)
      assert.ok(field in json, field);
  });

  it('explain ranks the idle process that started burning first, against its own baseline', async () => {
    const result = await explain(store, fileSource(dir), { ts: END - 5 * 60_000, now: END });
    assert.ok(result.machine);
    const first = result.ranked[0]!;
    assert.equal(first.identity.pid, burner.pid, JSON.stringify(result.ranked.slice(0, 3)));
    assert.equal(first.baseline, 'identity');
    assert.ok(first.baselineCpu !== null && first.baselineCpu < 1);
    // The generator's busy processes (up to half a core all along) stay near their baselines.
    assert.ok(result.ranked.slice(1).every((r) => r.score < first.score));
  });
});
