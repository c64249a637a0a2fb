// The runs requests' params, checked off the wire (a window is a client like any other: a bad
// field is one clear line naming it, never a crash).
import { RUN_SOURCES } from '../../shared/model';
import type { RunEndedRequest, RunsRequest, RunStart } from '../../shared/protocol';
import * as v from '../service/validate';

/** Longest command kept; the window cuts longer ones (a pasted script) to this. */
export const MAX_COMMAND_CHARS = 16_384;

function requiredString(value: unknown, name: string, maxLength: number): string {
  const text = v.optionalString(value, name, maxLength);
  if (text === undefined || text.length === 0) throw v.invalid(v.request('stringMissing', { name }));
  return text;
}

export function readRunStart(params: unknown, method = 'runStarted'): RunStart {
  const p = v.fields(params, method);
  return {
    id: requiredString(p.id, 'id', 200),
    source: v.requiredOneOf(p.source, 'source', RUN_SOURCES),
    command: requiredString(p.command, 'command', MAX_COMMAND_CHARS),
    folder: v.optionalString(p.folder, 'folder') ?? null,
    pid: v.optionalInt(p.pid, 'pid', 1, v.MAX_PID) ?? null,
    start: v.requiredTime(p.start, 'start'),
  };
}

export function readRunEnd(params: unknown): RunEndedRequest.Params {
  const start = readRunStart(params, 'runEnded');
  const p = v.fields(params, 'runEnded');
  const end = v.requiredTime(p.end, 'end');
  if (end < start.start) throw v.invalid(v.request('endBeforeStart'));
  // Exit codes beyond a byte are what Windows reports (NTSTATUS values), hence the 32-bit range.
  const exitCode = v.optionalInt(p.exitCode, 'exitCode', -(2 ** 31), 2 ** 32 - 1) ?? null;
  return { ...start, end, exitCode };
}

export function readRunsQuery(params: unknown): RunsRequest.Params {
  const p = v.fields(params, 'runs');
  return {
    from: p.from === undefined ? undefined : v.requiredTime(p.from, 'from'),
    to: p.to === undefined ? undefined : v.requiredTime(p.to, 'to'),
    command: v.optionalString(p.command, 'command', MAX_COMMAND_CHARS),
    n: v.optionalInt(p.n, 'n', 1, 2000),
  };
}
