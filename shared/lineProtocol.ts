// InfluxDB line protocol, as its reference states it
// (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/):
//   measurement            escapes comma and space
//   tag keys, tag values,
//   field keys             escape comma, equals sign and space
//   string field values    double-quoted; double quote and backslash escaped
//   integers               suffixed `i`; floats as written; timestamps in nanoseconds
// Two cases the reference leaves open, decided here so that a hostile process name can never
// break a line or smuggle in tags or fields of its own:
// - newline, carriage return, tab and form feed cannot stand in a name (they end or split the
//   line); they are written as the text `\n`, `\r`, `\t`, `\f`, as Telegraf writes them.
// - a backslash that ends a name, or stands before a character escaped above, would escape our
//   separator (InfluxDB 1.x then rejects the line or misreads it); it is written as U+FF3C `＼`.
// A string field value keeps newlines as they are: inside its quotes InfluxDB reads them back.
// No Node built-ins: the webview may use this too.

export type FieldValue =
  | number // float
  | { int: number | bigint } // integer (`i`); bigint past 2^53 (nanosecond times)
  | string
  | boolean
  | null
  | undefined;

const NAME_CONTROL: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f' };
const LONE_BACKSLASH = '\uff3c';

const PLAIN = /^[^\\,= \n\r\t\f]*$/;

function escapeName(text: string, special: string): string {
  // Most names need nothing: skip the character walk (exports write millions of them).
  if (PLAIN.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      out += next === undefined || special.includes(next) || next in NAME_CONTROL ? LONE_BACKSLASH : c;
    } else if (special.includes(c)) out += `\\${c}`;
    else out += NAME_CONTROL[c] ?? c;
  }
  return out;
}

/** A measurement name: comma and space escaped. */
export const escapeMeasurement = (name: string): string => escapeName(name, ', ');

/** A tag key, tag value or field key: comma, equals sign and space escaped. */
export const escapeKey = (name: string): string => escapeName(name, ',= ');

/** A string field value, quoted. */
export const quoteString = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** Milliseconds since the epoch as line protocol's nanoseconds (beyond 2^53, hence BigInt). */
export function nanoseconds(ms: number): string {
  // Microseconds stay exact in a double until the year 2255.
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function fieldText(value: FieldValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value.int === 'bigint') return `${value.int}i`;
  return Number.isFinite(value.int) ? `${Math.round(value.int)}i` : undefined;
}

/**
 * One point, or undefined when it has no field with a value (a line needs one). Tags without a
 * value are left out: the reference allows no empty tag value. Tags are written in the order
 * given; callers give them sorted by key, as the reference advises.
 */
export function formatLine(
  measurement: string,
  tags: ReadonlyArray<readonly [string, string | null | undefined]>,
  fields: ReadonlyArray<readonly [string, FieldValue]>,
  timestampMs: number,
): string | undefined {
  let fieldSet = '';
  for (const [key, value] of fields) {
    const text = fieldText(value);
    if (text === undefined) continue;
    fieldSet += `${fieldSet ? ',' : ''}${escapeKey(key)}=${text}`;
  }
  if (!fieldSet) return undefined;
  let line = escapeMeasurement(measurement);
  for (const [key, value] of tags) {
    if (value === null || value === undefined || value === '') continue;
    line += `,${escapeKey(key)}=${escapeKey(value)}`;
  }
  return `${line} ${fieldSet} ${nanoseconds(timestampMs)}`;
}
