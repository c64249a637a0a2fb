// The agent's V8 young generation keeps the size it starts with. V8 doubles it (up to 2 × 16 MB)
// whenever much of what it allocates survives a scavenge, and gives it back only once the process
// turns idle, which a sampler never does: month statistics answered on the agent's thread
// (agent/history/queries.ts) left its RSS +22 MB for good (anonymous memory 19 → 39 MB at +60 s;
// one run, load ~2.4); with no growth, +4.7 MB beside a control agent's +2.2 (load ~3.5), what
// survives is promoted and the old generation gives it back after its next full collection
// (bench/RESULTS.md, issue 14, "cold month statistics"). A node flag on the command line would
// miss `process-tracker run` typed in a shell; V8 reads the growth factor at each growth, so
// setting it at the agent's start is enough.
import v8 from 'node:v8';

export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
