// The one toolkit for checking untrusted input: RPC params off the agent's socket
// (agent/service/validate.ts), the alerts file and settings rules (agent/alerts/config), and
// messages from or to a webview (shared/webviewProtocol.ts). Two kinds of check:
// - guards say yes or no (`isString`, `oneOf(…)`, `arrayOf(…)`), for shapes checked as a whole;
// - field checkers return the typed value or throw a FieldError that names the field's path
//   ("filter.pid", "rules[2].threshold"), so each caller words the place its own way.
// Like the rest of shared/, it imports no Node built-ins and no `vscode`: the webview bundles it.
import { refText, type MessageRef } from './i18n/catalogue';
import { requestMessages } from './i18n/request';

export type Path = readonly (string | number)[];
export type Guard<T> = (value: unknown) => value is T;

/** A problem found in untrusted input, at its place; a rule file's problems travel as these. */
export interface ConfigProblem {
  level: 'error' | 'warning';
  /** The file, or "settings". */
  where: string;
  /** 1-based, when the input has lines. */
  line?: number;
  /** "rules[2].threshold" */
  field: string;
  /** In English, as the agent logs it. */
  message: string;
  /** The same in any language (shared/i18n/alertRules.ts), for the CLI and VS Code (shared/problems.ts). */
  messageRef?: MessageRef;
}

/** "alerts.yaml:12 rules[2].threshold: expected a number…", as the logs print it (English). */
export function formatProblem(p: ConfigProblem): string {
  return `${p.where}${p.line ? `:${p.line}` : ''} ${p.field}: ${p.message}`;
}

/** A field that failed its check. Whoever reads a whole item catches it and says where. */
export class FieldError extends Error {
  constructor(
    readonly path: Path,
    message: string,
    /** The message in any language, when it comes from a catalogue. */
    readonly ref?: MessageRef,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/** ["rules", 2, "threshold"] → "rules[2].threshold". */
export function pathText(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}

/** What a wrong value is, for a message: "nothing", "a list", "a map", `string "x"`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The candidate within two edits of `word` (a typo's likely meaning), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const best = candidates.map((c) => [c, distance(word, c)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

// ── Guards ───────────────────────────────────────────────────────────────────────────────────

/** A plain map of fields (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export const isString = (v: unknown): v is string => typeof v === 'string';
/** A finite number: NaN and ±Infinity do not survive JSON and mean a broken sender. */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
/** A whole number from 0. */
export const isCount = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0;
export const isNullableNumber = (v: unknown): v is number | null => v === null || isNumber(v);
export const isNullableString = (v: unknown): v is string | null => v === null || isString(v);
export const isWholeNumber = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
export const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);
export const arrayOf =
  <T>(item: Guard<T>) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(item);
export const optional =
  <T>(guard: Guard<T>) =>
  (v: unknown): v is T | undefined =>
    v === undefined || guard(v);

// ── Field checkers ───────────────────────────────────────────────────────────────────────────
// Each returns the typed value or throws FieldError(path, "must be …"). Absent is undefined or
// null alike: JSON writes "nothing" as null, YAML as an empty value.

const absent = (value: unknown): value is undefined | null => value === undefined || value === null;

/** A FieldError saying a message of the request catalogue (English `message`, the reference kept). */
function fieldError(path: Path, message: MessageRef): FieldError {
  return new FieldError(path, refText(message, 'en')!, message);
}
const request = requestMessages.ref;

export function optionalInt(value: unknown, path: Path, min: number, max: number): number | undefined {
  if (absent(value)) return undefined;
  if (!isWholeNumber(value, min, max)) throw fieldError(path, request('wholeNumber', { min, max }));
  return value;
}

export function requiredInt(value: unknown, path: Path, min: number, max: number): number {
  const checked = optionalInt(value, path, min, max);
  if (checked === undefined) throw fieldError(path, request('wholeNumberRequired', { min, max }));
  return checked;
}

export function optionalString(value: unknown, path: Path, maxLength: number): string | undefined {
  if (absent(value)) return undefined;
  if (!isString(value) || value.length > maxLength) {
    throw fieldError(path, request('stringMax', { max: maxLength }));
  }
  return value;
}

export function optionalOneOf<T extends string>(
  value: unknown,
  path: Path,
  allowed: readonly T[],
): T | undefined {
  if (absent(value)) return undefined;
  if (!oneOf(allowed)(value)) throw fieldError(path, request('oneOf', { choices: allowed.join(', ') }));
  return value;
}

export function requiredOneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T {
  const checked = optionalOneOf(value, path, allowed);
  if (checked === undefined)
    throw fieldError(path, request('oneOfRequired', { choices: allowed.join(', ') }));
  return checked;
}

export function optionalBoolean(value: unknown, path: Path): boolean | undefined {
  if (absent(value)) return undefined;
  if (!isBoolean(value)) throw fieldError(path, request('boolean'));
  return value;
}

/** A map of fields; `fields` names the ones it should have, e.g. "{pid, startTime}". */
export function record(value: unknown, path: Path, fields?: string): Record<string, unknown> {
  if (!isRecord(value)) throw fieldError(path, fields ? request('objectOf', { fields }) : request('object'));
  return value;
}
