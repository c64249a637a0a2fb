// Export speed of one generated day (600 processes, 10 % active, raw samples every 2 s) in each
// export format, to a file on disk: rows per second and MB written. Run: node --import tsx
// bench/influxExport.ts (INFLUX_BENCH_HOURS to shorten the day).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../agent/log';
import { generateHistory, Store } from '../agent/store';
import { EXPORT_FORMATS } from '../shared/model';
import { DEFAULT_RETENTION } from '../shared/settings';

async function main(): Promise<void> {
  const hours = Number(process.env.INFLUX_BENCH_HOURS ?? 24);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-influx-bench-'));
  try {
    const options = {
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      flushIntervalMs: 3_600_000,
    };
    const endTs = Date.now();
    const writer = await Store.open(options);
    await generateHistory(writer, {
      days: hours / 24,
      processes: 600,
      activeShare: 0.1,
      endTs,
      rawHours: hours,
      seed: 2,
    });
    await writer.close();
    const store = await Store.open({ ...options, readOnly: true });
    for (const format of EXPORT_FORMATS) {
      const file = path.join(dir, `out.${format}`);
      const t0 = performance.now();
      const { rows } = await store.exportTo({ format, from: endTs - hours * 3_600_000, to: endTs }, file);
      const seconds = (performance.now() - t0) / 1000;
      const mb = statSync(file).size / 1e6;
      console.log(
        `${format.padEnd(6)} ${rows} rows in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s, ${mb.toFixed(0)} MB`,
      );
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
