// Checks of request params as they arrive off the wire: anything a client sends is untrusted.
// Each failure is an InvalidParams error naming the field and what it should be: English in its
// message (what the agent logs), the catalogue message in `data.text` for the client to say in its
// user's language (shared/i18n/request.ts).
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { refText, type MessageRef } from '../../shared/i18n/catalogue';
import { requestMessages } from '../../shared/i18n/request';
import {
  CATEGORIES,
  SORT_KEYS,
  type ProcessFilter,
  type ProcessIdentity,
  type SortKey,
} from '../../shared/model';
import * as check from '../../shared/validate';

type Fields = Record<string, unknown>;

/** What a refused request's error carries for the client: the message in any language. */
export interface ErrorData {
  text: MessageRef;
}

export const request = requestMessages.ref;

export function invalid(message: MessageRef): ResponseError<ErrorData> {
  return new ResponseError(ErrorCodes.InvalidParams, refText(message, 'en')!, { text: message });
}

/** Params as an object; absent params count as `{}` for requests whose fields are all optional. */
export function fields(params: unknown, method: string): Fields {
  if (params === undefined || params === null) return {};
  if (!check.isRecord(params)) throw invalid(request('paramsNotObject', { method }));
  return params;
}

/** Runs a shared/validate.ts checker; its positioned failure becomes `"filter.pid" must be …`. */
function param<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof check.FieldError)
      throw invalid(
        request('field', { field: check.pathText(error.path), problem: error.ref ?? error.message }),
      );
    throw error;
  }
}

export function optionalInt(value: unknown, name: string, min: number, max: number): number | undefined {
  return param(() => check.optionalInt(value, [name], min, max));
}

export function requiredInt(value: unknown, name: string, min: number, max: number): number {
  return param(() => check.requiredInt(value, [name], min, max));
}

/** A time, ms since the epoch. */
export function requiredTime(value: unknown, name: string): number {
  return requiredInt(value, name, 0, 8.64e15);
}

export const MAX_PID = 2 ** 31 - 1;

/** A list of process ids, at most `maxLength` of them; repeats are harmless and dropped. */
export function optionalPidList(value: unknown, name: string, maxLength: number): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = { name, max: maxLength, maxPid: MAX_PID };
  if (!Array.isArray(value)) throw invalid(request('pidList', shape));
  if (value.length > maxLength) throw invalid(request('pidListLong', { ...shape, count: value.length }));
  value.forEach((pid, i) => requiredInt(pid, `${name}[${i}]`, 1, MAX_PID));
  return [...new Set(value as number[])];
}

export function optionalString(value: unknown, name: string, maxLength = 4096): string | undefined {
  return param(() => check.optionalString(value, [name], maxLength));
}

/** A list of at most `maxLength` strings of at most `maxChars` characters each. */
export function optionalStringList(
  value: unknown,
  name: string,
  maxLength: number,
  maxChars: number,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > maxLength)
    throw invalid(request('stringList', { name, max: maxLength }));
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.length > maxChars)
      throw invalid(
        request('field', { field: `${name}[${i}]`, problem: request('stringMax', { max: maxChars }) }),
      );
  });
  return value as string[];
}

export function optionalOneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T | undefined {
  return param(() => check.optionalOneOf(value, [name], allowed));
}

export function requiredOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  return param(() => check.requiredOneOf(value, [name], allowed));
}

export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  return param(() => check.optionalBoolean(value, [name]));
}

export function optionalSort(value: unknown): SortKey | undefined {
  return optionalOneOf(value, 'sort', SORT_KEYS);
}

export function identity(value: unknown, name = 'identity'): ProcessIdentity {
  const v = param(() => check.record(value, [name], '{pid, startTime}'));
  return {
    pid: requiredInt(v.pid, `${name}.pid`, 1, 2 ** 31 - 1),
    startTime: requiredInt(v.startTime, `${name}.startTime`, 0, 8.64e15),
  };
}

export function optionalIdentity(value: unknown, name = 'identity'): ProcessIdentity | undefined {
  return value === undefined || value === null ? undefined : identity(value, name);
}

/** Shape only; regular expressions are compiled (and their errors reported) by compileFilter. */
export function optionalFilter(value: unknown): ProcessFilter | undefined {
  if (value === undefined || value === null) return undefined;
  const v = param(() => check.record(value, ['filter']));
  const filter: ProcessFilter = {};
  const regex = optionalString(v.regex, 'filter.regex', 1000);
  const pid = optionalInt(v.pid, 'filter.pid', 0, 2 ** 31 - 1);
  const category = optionalOneOf(v.category, 'filter.category', CATEGORIES);
  const user = optionalString(v.user, 'filter.user', 256);
  if (v.hideKernelThreads !== undefined && typeof v.hideKernelThreads !== 'boolean')
    throw invalid(request('field', { field: 'filter.hideKernelThreads', problem: request('boolean') }));
  if (v.hideKernelThreads === true) filter.hideKernelThreads = true;
  if (regex !== undefined) filter.regex = regex;
  if (pid !== undefined) filter.pid = pid;
  if (category !== undefined) filter.category = category;
  if (user !== undefined) filter.user = user;
  const container = optionalString(v.container, 'filter.container', 256);
  if (container !== undefined) filter.container = container;
  return filter;
}
