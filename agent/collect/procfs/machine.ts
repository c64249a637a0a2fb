// The machine's totals — CPU time, memory, swap, load — from /proc/stat, /proc/meminfo and
// /proc/loadavg, kept open and re-read at offset 0 each tick; loadavg also gives the last pid
// handed out, which tells the collector whether /proc must be listed (see schedule.ts).
import { closeSync, openSync } from 'node:fs';
import os from 'node:os';
import { CLK_TCK } from '../bootTime';
import type { RawMachine } from '../types';
import { ProcFiles } from './files';
import { parseCpuTicks, parseLoadavg, parseMeminfo } from './parse';

export class MachineFiles {
  private fds: { stat: number; meminfo: number; loadavg: number } | null;
  private readonly cores = Math.max(1, os.cpus().length);

  constructor(files: ProcFiles) {
    // Not counted against the kept-fd budget: three descriptors for the collector's lifetime.
    this.fds = {
      stat: openSync(files.of('stat'), 'r'),
      meminfo: openSync(files.of('meminfo'), 'r'),
      loadavg: openSync(files.of('loadavg'), 'r'),
    };
  }

  /** Reads the three files into `buffer` (scratch space, overwritten). */
  read(buffer: Buffer): { machine: RawMachine; lastPid: number } {
    if (!this.fds) throw new Error('collector is closed');
    const text = (fd: number) => buffer.toString('latin1', 0, ProcFiles.pread(fd, buffer));
    const cpu = parseCpuTicks(text(this.fds.stat));
    const memory = parseMeminfo(text(this.fds.meminfo));
    const { load, lastPid } = parseLoadavg(text(this.fds.loadavg));
    return {
      machine: {
        cpuTotalMs: (cpu.total * 1000) / CLK_TCK,
        cpuIdleMs: (cpu.idle * 1000) / CLK_TCK,
        cores: this.cores,
        ...memory,
        load,
      },
      lastPid,
    };
  }

  get closed(): boolean {
    return this.fds === null;
  }

  close(): void {
    if (!this.fds) return;
    for (const fd of Object.values(this.fds)) closeSync(fd);
    this.fds = null;
  }
}
