// The C library's allocator settings every agent start carries (the launcher's spawn, the systemd
// unit). glibc reads them once, when a process starts, so the agent cannot set them on itself.
//
// Why: glibc keeps the malloc arenas of threads that have ended — and, once Node has freed one
// large block, glibc raises its mmap threshold so that later ~1 MB file buffers land in an arena
// too. When history queries ran in a worker thread the agent stayed +8…+36 MB above steady after
// each query (bench/RESULTS.md, issue 14). One arena and a fixed threshold (setting it turns glibc's
// raising off) return that memory when it is freed. The history worker is now a child process
// (agent/history/lane.ts), started with these too, so it allocates as the agent does. Other C libraries
// ignore these names.
export const AGENT_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/** `env` with the agent's allocator settings added; a value the user set himself wins. */
export function withAgentMallocEnv(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return { ...AGENT_MALLOC_ENV, ...env };
}
