// Loads sql.js once per process. The agent bundle carries sql-wasm.wasm beside dist/agent.js
// (esbuild.mjs copies it); under tsx the file comes from node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

function wasmPath(): string {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (existsSync(beside)) return beside;
  return createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}

/**
 * sql.js's wasm stays in V8's baseline compiler (Liftoff): the optimising tier (TurboFan) re-compiled
 * SQLite's hot functions on background threads for the agent's first minutes — 0.4 of the 0.9 s of
 * background-thread CPU in its first 90 s (~600–1100 processes, side by side, bench/RESULTS.md
 * "Start-up") — and the agent's SQL is a few inserts a tick, where the faster code never repays it.
 * A flag read when a module is compiled, so it is set before the first (and only) compile.
 */
const WASM_FLAGS = '--liftoff-only';

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) setFlagsFromString(WASM_FLAGS);
  loading ??= initSqlJs({ locateFile: () => wasmPath() });
  return loading;
}
