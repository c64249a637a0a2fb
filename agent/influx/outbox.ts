// The push's durable outbox: one file per batch under <data dir>/influx-outbox, written whole
// (temp file, fsync, rename — the alert outbox's saveTextAtomic) before anything is sent, removed
// only after InfluxDB said 2xx. So an InfluxDB that is down, or an agent that is stopped or
// killed, loses nothing: the next agent sends what is left, oldest first. Sending a batch twice
// (killed between the 2xx and the removal) writes the same points again, which InfluxDB keeps once
// (same series and time). Bounded: past its size the oldest batches go, with a line in the log.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { saveTextAtomic } from '../alerts/outbox';
import type { Logger } from '../log';

const NAME = /^(\d{12})\.lp$/;

export class InfluxOutbox {
  /** Sequence numbers of the batches on disk, oldest first, with their sizes. */
  private readonly batches: { seq: number; bytes: number }[] = [];
  private total = 0;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir).sort()) {
      const match = NAME.exec(name);
      if (!match) continue;
      const bytes = statSync(path.join(dir, name)).size;
      this.batches.push({ seq: Number(match[1]), bytes });
      this.total += bytes;
    }
  }

  get size(): number {
    return this.batches.length;
  }

  get bytes(): number {
    return this.total;
  }

  private file(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.lp`);
  }

  /** Persists a batch (lines, each ending in a newline). */
  add(body: string): void {
    const bytes = Buffer.byteLength(body);
    let dropped = 0;
    let droppedBytes = 0;
    while (this.batches.length > 0 && this.total + bytes > this.maxBytes) {
      const oldest = this.batches[0]!;
      this.remove(oldest.seq);
      dropped++;
      droppedBytes += oldest.bytes;
    }
    if (dropped > 0) {
      this.log.warn(
        `influx: outbox over ${Math.round(this.maxBytes / 1048576)} MB while InfluxDB is unreachable: dropped the ${dropped} oldest batch(es), ${droppedBytes} bytes (raise max_outbox_mb in influx.yaml to keep more)`,
      );
    }
    const seq = (this.batches.at(-1)?.seq ?? 0) + 1;
    saveTextAtomic(this.file(seq), body);
    this.batches.push({ seq, bytes });
    this.total += bytes;
  }

  /** The oldest batch, or undefined when empty. */
  oldest(): { seq: number; body: string } | undefined {
    while (this.batches.length > 0) {
      const { seq } = this.batches[0]!;
      try {
        return { seq, body: readFileSync(this.file(seq), 'utf8') };
      } catch {
        // Gone from under us (removed by hand): forget it.
        this.remove(seq);
      }
    }
    return undefined;
  }

  /** After a 2xx (or a batch InfluxDB will never take). Already gone is fine. */
  remove(seq: number): void {
    const index = this.batches.findIndex((b) => b.seq === seq);
    if (index < 0) return;
    this.total -= this.batches[index]!.bytes;
    this.batches.splice(index, 1);
    rmSync(this.file(seq), { force: true });
  }
}
