// The /proc collector and what others use of it; the modules are described in collector.ts.
export { ProcfsCollector, type ProcfsOptions } from './collector';
export { PROC_ROOT } from './files';
export { FD_RECOUNT_MS, IDLE_AFTER_MS, IDLE_REREAD_MS, STAT_REFRESH_MS } from './schedule';
export { UserNames } from './users';
