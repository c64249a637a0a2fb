// The V8 flags the agent sets on itself, so that a `process-tracker run` typed in a shell gets
// them as well as one the extension or the login unit starts.
import { setFlagsFromString } from 'node:v8';

/**
 * --liftoff-only: sql.js's wasm stays in V8's baseline compiler (Liftoff). The optimising tier
 * (TurboFan) re-compiled SQLite's hot functions on background threads through the agent's first
 * minutes — 0.4 of the 0.9 s of background-thread CPU in its first 90 s (~1100 processes, side by
 * side, bench/RESULTS.md "Start-up") — and the agent's SQL is a few inserts a tick, where the
 * faster code never repays it (queries over 300k rows by hand: no slower).
 */
const FLAGS = '--liftoff-only';

/**
 * Sets them; the same values again change nothing. Called before anything is compiled that they
 * govern: before sql.js's wasm (agent/store/sqljs.ts) and, by dist/agent.js (agent/boot.ts),
 * before the agent's bundle — V8 rejects a code cache made under other flags.
 */
export function applyV8Flags(): void {
  setFlagsFromString(FLAGS);
}
