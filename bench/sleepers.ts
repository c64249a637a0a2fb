// Extra sleeping processes for the benchmarks, started and ended by PID.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Sleepers {
  count: number;
  stop(): void;
}

export function startSleepers(count: number): Sleepers {
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn('sleep', ['86400'], { stdio: 'ignore' }),
  );
  return {
    count,
    stop() {
      for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
