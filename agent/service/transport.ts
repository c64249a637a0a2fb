// vscode-jsonrpc reader and writer for one agent connection: limits on what comes in, a byte
// budget on what waits to go out. A client that stops reading is dropped, never waited for.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  Disposable,
  type DataCallback,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/node';
import { DEFAULT_FRAME_LIMITS, FrameParser, type FrameEvent, type FrameLimits } from './framing';

export type RejectHandler = (event: Extract<FrameEvent, { kind: 'reject' | 'fatal' | 'ignored' }>) => void;

export class LimitedMessageReader extends AbstractMessageReader implements MessageReader {
  private readonly parser: FrameParser;

  constructor(
    private readonly socket: Socket,
    private readonly onReject: RejectHandler,
    limits: FrameLimits = DEFAULT_FRAME_LIMITS,
  ) {
    super();
    this.parser = new FrameParser(limits);
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => {
      for (const event of this.parser.push(chunk)) {
        if (event.kind === 'message') callback(event.message as unknown as Message);
        else this.onReject(event);
      }
    };
    const onClose = () => this.fireClose();
    const onError = (error: Error) => this.fireError(error);
    this.socket.on('data', onData);
    this.socket.on('close', onClose);
    this.socket.on('error', onError);
    return Disposable.create(() => {
      this.socket.off('data', onData);
      this.socket.off('close', onClose);
      this.socket.off('error', onError);
    });
  }
}

/**
 * Notifications carry no id, so one sent to every client with the same params object (a tick to
 * its subscribers, an agent event, an alert) is the same bytes for all: serialized once.
 */
const encoded = new WeakMap<object, { method: string; body: Buffer }>();

function encode(message: Message): Buffer {
  const { method, params, id } = message as { method?: unknown; params?: unknown; id?: unknown };
  if (id !== undefined || typeof method !== 'string' || typeof params !== 'object' || params === null) {
    return Buffer.from(JSON.stringify(message), 'utf8');
  }
  const known = encoded.get(params);
  if (known?.method === method) return known.body;
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  encoded.set(params, { method, body });
  return body;
}

export interface WriterBounds {
  /** Bytes accepted but not yet taken by the kernel. */
  maxQueuedBytes: number;
  /** Age of the oldest message the kernel has not taken yet. */
  maxLagMs: number;
}

export class BoundedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private overflowed = false;
  /** When each write not yet handed to the kernel was made, oldest first (writes complete in order). */
  private readonly unflushedAt: number[] = [];

  /** `onOverflow` is told once, when the client is past either bound (a sentence saying which). */
  constructor(
    private readonly socket: Socket,
    private readonly bounds: WriterBounds,
    private readonly onOverflow: (why: string) => void,
  ) {
    super();
    socket.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    if (this.overflowed || this.socket.destroyed || !this.socket.writable || this.fellBehind()) {
      return Promise.resolve();
    }
    let body: Buffer;
    try {
      body = encode(message);
    } catch (error) {
      this.fireError(error, message, 1);
      return Promise.resolve();
    }
    const header = Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii');
    const queued = this.socket.writableLength;
    if (queued + header.length + body.length > this.bounds.maxQueuedBytes) {
      this.overflow(`stopped reading (${queued} bytes waiting)`);
      return Promise.resolve();
    }
    // Resolved without waiting for the kernel: writes never wait on a client.
    this.unflushedAt.push(performance.now());
    this.socket.write(Buffer.concat([header, body]), () => this.unflushedAt.shift());
    return Promise.resolve();
  }

  /**
   * True (and the client told off, once) when output has waited longer than maxLagMs: a client that
   * reads slower than ticks come is dropped after a bounded time, not only once 8 MB piled up.
   * Checked on every write and, by the session, on every tick.
   */
  fellBehind(now = performance.now()): boolean {
    if (this.overflowed) return true;
    const oldest = this.unflushedAt[0];
    if (oldest === undefined || now - oldest <= this.bounds.maxLagMs) return false;
    this.overflow(`fell ${Math.round(now - oldest)} ms behind (${this.socket.writableLength} bytes waiting)`);
    return true;
  }

  private overflow(why: string): void {
    this.overflowed = true;
    this.onOverflow(why);
  }

  /** Bytes accepted but not yet taken by the kernel. */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  end(): void {
    this.socket.end();
  }
}
