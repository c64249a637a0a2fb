// The file the history worker runs, named once: queries.ts forks it, and the analytics engine
// tells a worker process by its command line — any agent's, not only this one's. A second agent
// on the machine (another data dir, a test suite's) forks and ends its worker just the same, and
// its worker is not the engine's agent's child, so the parent check alone reports it as a
// restart loop.
export const WORKER_BUNDLE = 'history-worker.js';

/** The worker's TypeScript entry, which tsx runs where there is no bundle (tests, development). */
const WORKER_SOURCE = 'agent/history/entry.ts';

/**
 * Whether a command line (arguments joined by spaces) runs a history worker: one of its words is
 * the bundle (`…/dist/history-worker.js`) or the TypeScript entry. Backslashes count as slashes
 * (Windows paths).
 */
export function runsHistoryWorker(cmdline: string): boolean {
  if (!cmdline.includes(WORKER_BUNDLE) && !cmdline.includes('entry.ts')) return false;
  return cmdline.split(' ').some((word) => {
    const p = word.replace(/\\/g, '/');
    return (
      p === WORKER_BUNDLE ||
      p.endsWith(`/${WORKER_BUNDLE}`) ||
      p === WORKER_SOURCE ||
      p.endsWith(`/${WORKER_SOURCE}`)
    );
  });
}
