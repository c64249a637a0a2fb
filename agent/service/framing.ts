// Incoming message framing with limits, kept pure so it can be tested byte by byte.
// vscode-jsonrpc's own reader buffers headers without bound, accepts any Content-Length and, after a
// bad header, stays out of step with the stream: the agent reads through this parser instead.
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_DEPTH } from '../../shared/protocol';

export interface FrameLimits {
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxDepth: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = {
  maxBodyBytes: MAX_MESSAGE_BYTES,
  maxHeaderBytes: 8 * 1024,
  maxDepth: MAX_MESSAGE_DEPTH,
};

/** JSON-RPC's reserved codes the parser answers with. */
export const ParseErrorCode = -32700;
export const InvalidRequestCode = -32600;

export type FrameEvent =
  | { kind: 'message'; message: Record<string, unknown> }
  /** The frame was well formed but its body was not an acceptable message: answer, carry on. */
  | { kind: 'reject'; code: number; message: string; id: string | number | null }
  /** The stream cannot be trusted any more (bad header, oversized): answer, then close it. */
  | { kind: 'fatal'; code: number; message: string }
  /** A response from the client: the agent sends no requests, so there is nothing to match. */
  | { kind: 'ignored'; reason: string };

const HEADER_END = Buffer.from('\r\n\r\n');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Splits a byte stream into Content-Length framed JSON-RPC messages, enforcing `limits`. */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  private bodyLength = -1;
  private failed = false;

  constructor(private readonly limits: FrameLimits = DEFAULT_FRAME_LIMITS) {}

  /** Feeds bytes; returns the events they complete. After a fatal event, everything is ignored. */
  push(chunk: Buffer): FrameEvent[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const events: FrameEvent[] = [];
    for (;;) {
      if (this.bodyLength < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > this.limits.maxHeaderBytes)
            return this.fail(events, 'message header too long or missing its blank line');
          return events;
        }
        if (end > this.limits.maxHeaderBytes) return this.fail(events, 'message header too long');
        const header = parseHeader(this.buffer.subarray(0, end).toString('latin1'), this.limits.maxBodyBytes);
        if (typeof header === 'string') return this.fail(events, header);
        this.bodyLength = header;
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      }
      if (this.buffer.length < this.bodyLength) return events;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
      events.push(decodeBody(body, this.limits.maxDepth));
    }
  }

  /** Bytes held while waiting for the rest of a message. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  private fail(events: FrameEvent[], message: string): FrameEvent[] {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    events.push({ kind: 'fatal', code: InvalidRequestCode, message });
    return events;
  }
}

/** Returns the body length, or a message saying what is wrong with the header. */
function parseHeader(text: string, maxBodyBytes: number): number | string {
  let length: number | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      return `malformed header line ${JSON.stringify(line.slice(0, 80))}: expected "Name: value"`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,10}$/.test(value))
        return `Content-Length ${JSON.stringify(value.slice(0, 20))} is not a byte count`;
      length = Number(value);
    } else if (name === 'content-type') {
      const charset = /charset=([^;\s]+)/i.exec(value)?.[1]?.toLowerCase().replace(/^"|"$/g, '');
      if (charset && charset !== 'utf-8' && charset !== 'utf8')
        return `charset ${charset} is not supported: send utf-8`;
    }
  }
  if (length === undefined) return 'message header has no Content-Length';
  if (length > maxBodyBytes)
    return `message of ${length} bytes is larger than the ${maxBodyBytes}-byte limit`;
  return length;
}

function decodeBody(body: Buffer, maxDepth: number): FrameEvent {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { kind: 'reject', code: ParseErrorCode, message: 'message body is not valid UTF-8', id: null };
  }
  if (jsonDepthExceeds(text, maxDepth)) {
    return {
      kind: 'reject',
      code: InvalidRequestCode,
      message: `message nested deeper than ${maxDepth} levels`,
      id: null,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'reject',
      code: ParseErrorCode,
      message: `message body is not JSON (${(error as Error).message})`,
      id: null,
    };
  }
  return checkEnvelope(value);
}

/** True when arrays/objects nest deeper than `maxDepth`, counted without parsing (strings skipped). */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Accepts JSON-RPC 2.0 requests and notifications; says what is wrong with anything else. */
export function checkEnvelope(value: unknown): FrameEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a batch (array)' : value === null ? 'null' : typeof value;
    return {
      kind: 'reject',
      code: InvalidRequestCode,
      message: `expected a JSON-RPC message object, got ${what}`,
      id: null,
    };
  }
  const message = value as Record<string, unknown>;
  const rawId = message.id;
  const id =
    typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId)) ? rawId : null;
  const reject = (text: string): FrameEvent => ({
    kind: 'reject',
    code: InvalidRequestCode,
    message: text,
    id,
  });
  if (message.jsonrpc !== '2.0') return reject('"jsonrpc" must be "2.0"');
  if (!('method' in message)) {
    if ('result' in message || 'error' in message)
      return { kind: 'ignored', reason: 'response from a client' };
    return reject('message has neither "method" nor "result"');
  }
  if (typeof message.method !== 'string' || message.method.length === 0 || message.method.length > 200) {
    return reject('"method" must be a non-empty string of at most 200 characters');
  }
  if ('id' in message && (id === null || rawId !== id)) return reject('"id" must be a string or a number');
  if ('params' in message && (typeof message.params !== 'object' || message.params === null)) {
    return reject('"params" must be an object or an array');
  }
  if (message.method === '$/cancelRequest' && !isCancelParams(message.params)) {
    // vscode-jsonrpc reads params.id of a cancel before any guard: without one it throws out of
    // its socket handler and takes the whole process down.
    return { kind: 'ignored', reason: '$/cancelRequest without a string or number id' };
  }
  return { kind: 'message', message };
}

function isCancelParams(params: unknown): boolean {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return false;
  const id = (params as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}
