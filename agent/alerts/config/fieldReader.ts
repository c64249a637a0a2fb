// Reads fields of an alert configuration (the YAML file, or settings shaped the same way) and
// words each failure for a person editing that file: where it is and an example of what fits.
// Built on shared/validate.ts, the toolkit every reader of untrusted input uses.
import { parseDuration } from '../../../shared/duration';
import { compileRegex } from '../../../shared/filter';
import {
  closest,
  describe,
  FieldError,
  isRecord,
  oneOf,
  pathText,
  type ConfigProblem,
  type Path,
} from '../../../shared/validate';

export type { Path };
export type Obj = Record<string, unknown>;

/** Field readers that know where they are; `fail` aborts the current item. */
export class FieldReader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly where: string,
    private readonly prefix: Path,
    private readonly lineOf: (path: Path) => number | undefined,
  ) {}

  problem(level: ConfigProblem['level'], path: Path, message: string): void {
    const full = [...this.prefix, ...path];
    this.problems.push({ level, where: this.where, line: this.lineOf(path), field: pathText(full), message });
  }

  fail(path: Path, message: string): never {
    throw new FieldError(path, message);
  }

  /** Runs `read` for one item; on failure records the error and returns undefined. */
  item<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof FieldError) this.problem('error', error.path, error.message);
      else throw error;
      return undefined;
    }
  }

  map(value: unknown, path: Path, example: string): Obj {
    if (!isRecord(value)) {
      this.fail(path, `expected a map of fields, got ${describe(value)}, e.g. ${example}`);
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
        `unknown field, ignored${guess ? `: did you mean ${guess}?` : `; known fields: ${known.join(', ')}`}`,
      );
    }
  }

  string(obj: Obj, key: string, path: Path, example: string, required: true): string;
  string(obj: Obj, key: string, path: Path, example: string, required?: false): string | undefined;
  string(obj: Obj, key: string, path: Path, example: string, required = false): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], `is required, e.g. ${example}`);
      return undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail([...path, key], `expected text, got ${describe(value)}, e.g. ${example}`);
    }
    return value;
  }

  number(obj: Obj, key: string, path: Path, example: string, required = false): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail([...path, key], `is required, e.g. ${example}`);
      return undefined;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.fail([...path, key], `expected a number, e.g. ${example}`);
    }
    return n;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: Path, options: readonly T[], fallback?: T): T {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail([...path, key], `is required: one of ${options.join(', ')}`);
    }
    if (!oneOf(options)(value)) {
      const guess = typeof value === 'string' ? closest(value, options) : undefined;
      this.fail(
        [...path, key],
        `${describe(value)} is not one of ${options.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
      );
    }
    return value;
  }

  duration(obj: Obj, key: string, path: Path, fallback: number): number {
    const value = obj[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.fail([...path, key], `expected a duration, e.g. ${key}: 5m`);
    }
    try {
      return parseDuration(String(value), key);
    } catch (error) {
      return this.fail([...path, key], (error as Error).message);
    }
  }

  strings(obj: Obj, key: string, path: Path, example: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') {
        this.fail(
          Array.isArray(value) ? [...path, key, i] : [...path, key],
          `expected text, e.g. ${example}`,
        );
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
      this.fail([...path, key], (error as Error).message);
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
      return this.fail([...path, key], `is not a URL, e.g. ${example}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      this.fail([...path, key], `must be an http or https URL, e.g. ${example}`);
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
      this.problem('error', [key], `expected a list (each entry starting with "- "), got ${describe(value)}`);
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
