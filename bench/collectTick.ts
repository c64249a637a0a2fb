// The /proc collector's cost per tick over the live machine plus 500 sleepers it starts and ends
// (by PID): CPU time (user + system, so other load on a shared machine counts less than in wall
// time) of 50 warm ticks, 2 s-spaced ticks being mostly unchanged processes, and of cold first
// ticks (every process parsed). Not part of `npm run bench`: run it before and after a collector
// change, back to back, `node --import tsx bench/collectTick.ts [module exporting ProcfsCollector]`.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep, startSleepers } from './sleepers';

interface CollectorLike {
  collect(): Promise<{ processes: unknown[] }>;
  close(): void;
}

async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'agent', 'collect', 'procfs'));
  const { ProcfsCollector } = (await import(target)) as { ProcfsCollector: new () => CollectorLike };
  const sleepers = startSleepers(500);
  try {
    await sleep(2000);
    const cpuMs = async (run: () => Promise<void>): Promise<number> => {
      const before = process.cpuUsage();
      await run();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    let processes = 0;
    const coldRuns = 10;
    const cold = await cpuMs(async () => {
      for (let i = 0; i < coldRuns; i++) {
        const collector = new ProcfsCollector();
        processes = (await collector.collect()).processes.length;
        collector.close();
      }
    });
    const collector = new ProcfsCollector();
    await collector.collect();
    await collector.collect();
    const warmRuns = Number(process.env.WARM_TICKS ?? 50);
    const started = performance.now();
    const warm = await cpuMs(async () => {
      for (let i = 0; i < warmRuns; i++) await collector.collect();
    });
    const wall = performance.now() - started;
    collector.close();
    console.log(
      JSON.stringify({
        processes,
        coldCpuMsPerTick: +(cold / coldRuns).toFixed(2),
        warmCpuMsPerTick: +(warm / warmRuns).toFixed(3),
        warmWallMsPerTick: +(wall / warmRuns).toFixed(3),
      }),
    );
  } finally {
    sleepers.stop();
  }
}

void main();
