// dist/agent.js: the `process-tracker` command's first lines. It loads the agent's bundle
// (dist/agent-main.js, agent/main.ts) — for `run` with V8's code cache from the data dir
// (agent/codeCache.ts), which the first start writes once it has recorded for a while. Compiling
// the 2 MB bundle and the functions a start runs cost ~45 ms of a start's CPU on this machine
// (bench/RESULTS.md "Start-up"); every other command is short and loads it as usual.
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { CODE_CACHE_FILE, cacheKey, readCodeCache, runDataDir, writeCodeCache } from './codeCache';

const BUNDLE = path.join(__dirname, 'agent-main.js');

/**
 * When the cache is made: by then the agent has started, recorded ~10 ticks and created its
 * files, so the functions of a start and of a tick are compiled and in it. The environment
 * variable is for tests.
 */
const WARM_MS = Number(process.env.PROCESS_TRACKER_CODE_CACHE_AFTER_MS) || 20_000;

function load(dataDir: string): void {
  const source = readFileSync(BUNDLE, 'utf8');
  const file = path.join(dataDir, CODE_CACHE_FILE);
  const key = cacheKey(source);
  const cachedData = readCodeCache(file, key);
  const script = new Script(Module.wrap(source), { filename: BUNDLE, cachedData });
  const bundle = new Module(BUNDLE, module);
  bundle.filename = BUNDLE;
  bundle.loaded = true;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  // V8 rejects a cache made under other V8 flags: a flag set at run time before the cache is made
  // (the history worker's --expose-gc, if a query came first) makes the next start write it again.
  if (!cachedData || script.cachedDataRejected) {
    // Only into the agent's own folder: it holds its WAL once the store is open. A `run` that
    // stopped early (another agent serves this folder, bad input) has exited by then.
    setTimeout(() => {
      if (existsSync(path.join(dataDir, 'wal'))) writeCodeCache(file, key, script.createCachedData());
    }, WARM_MS).unref();
  }
  run.call(bundle.exports, bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, __dirname);
}

const dataDir = runDataDir(process.argv.slice(2));
if (dataDir) load(dataDir);
else createRequire(__filename)(BUNDLE);
