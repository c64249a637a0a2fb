// A store younger than the asked range still answers at its finest resolution: a 24 h chart of an
// agent that started 20 minutes ago gets 1-minute points, not one hourly point.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, T0, tick } from '../../../fixtures/store/ticks';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-store-tier-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('ranges reaching back before the first sample use the finest tier that holds all there is', async () => {
  const start = T0 + 25 * 60_000; // 10:25, inside the raw hour file that starts at 10:00
  const end = start + 20 * 60_000;
  const store = await Store.open({
    dataDir: dir,
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
    now: () => end,
  });
  const p = proc(4242, T0 - 60_000, 'worker');
  for (let ts = start; ts <= end; ts += 2000) store.ingest(tick(ts, [{ ...p, cpu: 50 }]));

  const day = store.series({ metric: 'cpu', name: 'worker', from: end - 24 * 3_600_000, to: end });
  assert.equal(day.resolution.tier, 'minute', day.resolution.label);
  assert.ok(day.series[0]!.points.filter((x) => x.value !== null).length >= 18, 'about one point a minute');

  const halfHour = store.series({ metric: 'machineCpu', from: end - 45 * 60_000, to: end });
  assert.equal(halfHour.resolution.tier, 'raw', halfHour.resolution.label);

  const longAgo = store.series({ metric: 'cpu', name: 'worker', from: T0 - 7 * 24 * 3_600_000, to: end });
  assert.equal(longAgo.resolution.tier, 'hour', 'a week needs the hour tier to stay under maxPoints');
  await store.close();
});
