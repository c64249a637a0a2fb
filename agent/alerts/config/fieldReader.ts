// Reads fields of an alert configuration (the YAML file, or settings shaped the same way) and
// words each failure for a person editing that file: where it is and an example of what fits.
// Built on shared/validate.ts, the toolkit every reader of untrusted input uses.
import { parseDuration } from '../../../shared/duration';
import { errorRef, errorText } from '../../../shared/errors';
import { compileRegex } from '../../../shared/filter';
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import { refText, type MessageRef } from '../../../shared/i18n/catalogue';
import {
  closest,
  FieldError,
  isRecord,
  oneOf,
  pathText,
  type ConfigProblem,
  type Path,
} from '../../../shared/validate';

export type { Path };
export type Obj = Record<string, unknown>;

const { ref } = alertRuleMessages;

/** What a wrong value is ("nothing", "a list", `string "x"`), said in the reader's language. */
export function describeRef(value: unknown): MessageRef {
  if (value === null || value === undefined) return ref('valueNothing');
  if (Array.isArray(value)) return ref('valueList');
  if (typeof value === 'object') return ref('valueMap');
  return ref('valueOther', { type: typeof value, json: JSON.stringify(value) });
}
/** A message's English text: the problem's `message`, what the agent logs. */
const english = (message: MessageRef) => refText(message, 'en') ?? message.id;

/** Field readers that know where they are; `fail` aborts the current item. */
export class FieldReader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly where: string,
    private readonly prefix: Path,
    private readonly lineOf: (path: Path) => number | undefined,
  ) {}

  problem(level: ConfigProblem['level'], path: Path, message: MessageRef | string): void {
    const full = [...this.prefix, ...path];
    this.problems.push({
      level,
      where: this.where,
      line: this.lineOf(path),
      field: pathText(full),
      ...(typeof message === 'string' ? { message } : { message: english(message), messageRef: message }),
    });
  }

  fail(path: Path, message: MessageRef): never {
    throw new FieldError(path, english(message), message);
  }

  /** Fails with what a parser threw (a shared parser's error carries its catalogue message). */
  failWith(path: Path, error: unknown): never {
    const message = errorRef(error);
    if (message) this.fail(path, message);
    throw new FieldError(path, errorText(error));
  }

  /** Runs `read` for one item; on failure records the error and returns undefined. */
  item<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof FieldError) this.problem('error', error.path, error.ref ?? error.message);
      else throw error;
      return undefined;
    }
  }

  map(value: unknown, path: Path, example: string): Obj {
    if (!isRecord(value)) {
      this.fail(path, ref('notAMap', { got: describeRef(value), example }));
    }
    return value;
  }

  knownKeys(obj: Obj, path: Path, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      this.problem(
        'warning',
        [...path, key],
        guess ? ref('unknownFieldGuess', { guess }) : ref('unknownField', { known: known.join(', ') }),
      );
    }
  }

  string(obj: Obj, key: string, path: Path, example: string, required: true): string;
  string(obj: Obj, key: string, path: Path, example: string, required?: false): string | undefined;
  string(obj: Obj, key: string, path: Path, example: string, required = false): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], ref('required', { example }));
      return undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail([...path, key], ref('notText', { got: describeRef(value), example }));
    }
    return value;
  }

  /**
   * `example` is code ("pid: 1234"); a threshold's example also says its unit in words, so it
   * comes as the two messages to give (missing, not a number).
   */
  number(
    obj: Obj,
    key: string,
    path: Path,
    example: string | { missing: MessageRef; notNumber: MessageRef },
    required = false,
  ): number | undefined {
    const value = obj[key];
    const messages =
      typeof example === 'string'
        ? { missing: ref('required', { example }), notNumber: ref('notNumber', { example }) }
        : example;
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], messages.missing);
      return undefined;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail([...path, key], messages.notNumber);
    return n;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: Path, options: readonly T[], fallback?: T): T {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail([...path, key], ref('requiredOneOf', { choices: options.join(', ') }));
    }
    if (!oneOf(options)(value)) {
      const guess = typeof value === 'string' ? closest(value, options) : undefined;
      const choices = options.join(', ');
      const got = describeRef(value);
      this.fail(
        [...path, key],
        guess ? ref('notOneOfGuess', { got, choices, guess }) : ref('notOneOf', { got, choices }),
      );
    }
    return value;
  }

  duration(obj: Obj, key: string, path: Path, fallback: number): number {
    const value = obj[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.fail([...path, key], ref('notDuration', { key }));
    }
    try {
      return parseDuration(String(value), key);
    } catch (error) {
      return this.failWith([...path, key], error);
    }
  }

  strings(obj: Obj, key: string, path: Path, example: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') {
        this.fail(Array.isArray(value) ? [...path, key, i] : [...path, key], ref('notTextItem', { example }));
      }
    });
    return list as string[];
  }

  regex(obj: Obj, key: string, path: Path): string | undefined {
    const source = this.string(obj, key, path, `${key}: "node .*server"`);
    if (source === undefined) return undefined;
    try {
      compileRegex(source, key);
    } catch (error) {
      this.failWith([...path, key], error);
    }
    return source;
  }

  /** A required http(s) URL: channels post to nothing else. */
  httpUrl(obj: Obj, key: string, path: Path, example: string): string {
    const url = this.string(obj, key, path, example, true);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.fail([...path, key], ref('notUrl', { example }));
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      this.fail([...path, key], ref('notHttpUrl', { example }));
    }
    return url;
  }

  /**
   * Reads a list item by item: a broken item is reported and skipped, the rest are kept.
   * `indexes` receives each kept item's index in the list (skipped items shift the later ones).
   */
  list<T>(
    value: unknown,
    key: string,
    read: (v: unknown, path: Path, i: number) => T,
    indexes: number[] = [],
  ): T[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem('error', [key], ref('notAListOf', { got: describeRef(value) }));
      return [];
    }
    const out: T[] = [];
    value.forEach((v, i) => {
      const item = this.item(() => read(v, [key, i], i));
      if (item === undefined) return;
      out.push(item);
      indexes.push(i);
    });
    return out;
  }
}
