// A full garbage collection of the agent's own heap, asked for once a burst of history calls is
// over. Each call to the history worker builds its hand-over (the live files, serialized) and reads
// its answer (a 30-day panel's series) on the agent's thread; what of that survives a scavenge is
// promoted, and V8 gives the old generation's pages back only after a full collection — which an
// agent that samples every 2 s, never idle in V8's sense, may not run for minutes: 60 s after a
// 30-day panel, `at` or an export its RSS stayed 9.8–12.2 MB above steady, all of it anonymous
// memory (bench/RESULTS.md, issue 14). Node exposes gc() only behind --expose-gc, which a shell's
// `process-tracker run` would not pass: the flag is set at run time and gc() taken from a context
// made after it (V8 puts gc() in each new context while the flag is on; the agent's own global
// scope stays as it was).
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/** Runs a full collection; false when this V8 does not offer one (nothing happens then). */
export function fullCollection(): boolean {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const found: unknown = vm.runInNewContext('gc');
      collect = typeof found === 'function' ? (found as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
  return collect !== null;
}
