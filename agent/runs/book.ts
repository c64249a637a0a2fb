// The finished runs, kept as one JSON file under the data dir (DATA_DIR/runs/runs.json), written
// whole and atomically like the findings: runs end at a person's pace, so a rewrite (a few hundred
// KB at most, at most once per SAVE_EVERY_MS) is simpler than a log, and the offline CLI reads it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isRunSource, type Run } from '../../shared/model';
import { loadJson, saveJsonAtomic } from '../alerts/outbox';

/** Most runs kept (the newest); at ~300 bytes each the file stays under 1 MB. */
export const MAX_RUNS = 2000;

export const runsFile = (dataDir: string) => path.join(dataDir, 'runs', 'runs.json');

interface Saved {
  version: 1;
  runs: Run[];
}

function isRun(value: unknown): value is Run {
  const r = value as Run;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    isRunSource(r.source) &&
    typeof r.command === 'string' &&
    typeof r.start === 'number' &&
    (r.end === null || typeof r.end === 'number')
  );
}

export class RunBook {
  /** Oldest start first. */
  private runs: Run[] = [];
  private dirty = false;

  constructor(private readonly file: string | null) {
    const saved = file ? loadJson<Saved>(file) : undefined;
    if (saved && Array.isArray(saved.runs)) this.runs = saved.runs.filter(isRun);
  }

  /** Keeps a finished run (replacing one with its id), in start order. */
  add(run: Run): void {
    const at = this.runs.findIndex((r) => r.id === run.id);
    if (at >= 0) this.runs.splice(at, 1);
    let i = this.runs.length;
    while (i > 0 && this.runs[i - 1]!.start > run.start) i--;
    this.runs.splice(i, 0, run);
    if (this.runs.length > MAX_RUNS) this.runs.splice(0, this.runs.length - MAX_RUNS);
    this.dirty = true;
  }

  has(id: string): boolean {
    return this.runs.some((r) => r.id === id);
  }

  all(): readonly Run[] {
    return this.runs;
  }

  /** Writes the file when something changed; errors go to the caller. */
  save(): void {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    saveJsonAtomic(this.file, { version: 1, runs: this.runs } satisfies Saved);
  }
}
