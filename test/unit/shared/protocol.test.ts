import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as protocol from '../../../shared/protocol';
import {
  checkEnvelope,
  FrameParser,
  jsonDepthExceeds,
  type FrameEvent,
} from '../../../agent/service/framing';

const frame = (body: string) => Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
const request = (id: number, method: string, params: unknown = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

describe('protocol namespaces', () => {
  const namespaces = Object.entries(protocol).filter(
    ([, value]) => typeof value === 'object' && value !== null && 'method' in value && 'type' in value,
  ) as Array<[string, { method: string; type: { method: string } }]>;

  test('every message has a processTracker/ method, its type carries the same method, none repeats', () => {
    assert.ok(namespaces.length >= 15, `found only ${namespaces.length} message namespaces`);
    const methods = new Set<string>();
    for (const [name, ns] of namespaces) {
      assert.match(ns.method, /^processTracker\/[a-zA-Z]+$/, name);
      assert.equal(ns.type.method, ns.method, name);
      assert.ok(!methods.has(ns.method), `${ns.method} used twice`);
      methods.add(ns.method);
    }
  });

  test('the messages the issue asks for are all there', () => {
    for (const name of [
      'TopRequest',
      'ProcessesRequest',
      'ProcessDetailsRequest',
      'HistoryRequest',
      'StatsRequest',
      'AtRequest',
      'ExportRequest',
      'KillRequest',
      'AgentStatusRequest',
      'SubscribeRequest',
      'UnsubscribeRequest',
      'StopRequest',
      'HandoverRequest',
      'DidSampleNotification',
      'AgentEventNotification',
    ]) {
      assert.ok(
        namespaces.some(([n]) => n === name),
        `${name} missing`,
      );
    }
    assert.equal(typeof protocol.PROTOCOL_VERSION, 'number');
  });
});

describe('FrameParser', () => {
  test('reassembles messages split at every byte and several per chunk', () => {
    const bytes = Buffer.concat([frame(request(1, 'a')), frame(request(2, 'b')), frame(request(3, 'c'))]);
    const parser = new FrameParser();
    const events: FrameEvent[] = [];
    for (let i = 0; i < bytes.length; i++) events.push(...parser.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(
      events.map((e) => (e.kind === 'message' ? e.message.id : e.kind)),
      [1, 2, 3],
    );
    assert.equal(parser.pendingBytes, 0);
  });

  test('multi-byte UTF-8 bodies are counted in bytes', () => {
    const body = request(7, 'processTracker/top', { filter: { regex: 'héllo→🙂' } });
    const [event] = new FrameParser().push(frame(body));
    assert.equal(event?.kind, 'message');
  });

  test('a Content-Length over the limit closes the stream before the body is buffered', () => {
    const parser = new FrameParser();
    const events = parser.push(Buffer.from(`Content-Length: ${2 * 1024 * 1024}\r\n\r\n{`));
    assert.equal(events[0]?.kind, 'fatal');
    assert.match((events[0] as { message: string }).message, /larger than the 1048576-byte limit/);
    assert.deepEqual(parser.push(frame(request(1, 'x'))), [], 'nothing is read after a fatal error');
  });

  test('headers without Content-Length, non-numeric lengths, junk lines and endless headers are fatal', () => {
    for (const header of [
      'Content-Type: application/json\r\n\r\n',
      'Content-Length: ten\r\n\r\n',
      'garbage\r\n\r\n',
      'Content-Length: -5\r\n\r\n',
    ]) {
      assert.equal(new FrameParser().push(Buffer.from(header))[0]?.kind, 'fatal', header);
    }
    const endless = new FrameParser().push(Buffer.from('X'.repeat(9000)));
    assert.equal(endless[0]?.kind, 'fatal');
  });

  test('a well-framed body that is not JSON is answered with ParseError and reading goes on', () => {
    const parser = new FrameParser();
    const events = parser.push(
      Buffer.concat([frame('{"jsonrpc": "2.0", "id": 1,'), frame(request(2, 'ok'))]),
    );
    assert.equal(events[0]?.kind, 'reject');
    assert.equal((events[0] as { code: number }).code, -32700);
    assert.equal(events[1]?.kind, 'message');
  });

  test('invalid UTF-8 is a ParseError', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const events = new FrameParser().push(Buffer.concat([Buffer.from(`Content-Length: 4\r\n\r\n`), body]));
    assert.equal((events[0] as { code: number }).code, -32700);
  });

  test('deep nesting is refused without parsing', () => {
    const deep = `{"jsonrpc":"2.0","id":1,"method":"m","params":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const events = new FrameParser().push(frame(deep));
    assert.equal(events[0]?.kind, 'reject');
    assert.match((events[0] as { message: string }).message, /nested deeper than 64/);
  });
});

describe('jsonDepthExceeds', () => {
  test('counts brackets outside strings only', () => {
    assert.equal(jsonDepthExceeds('[[[]]]', 3), false);
    assert.equal(jsonDepthExceeds('[[[[]]]]', 3), true);
    assert.equal(jsonDepthExceeds(`{"a":"${'['.repeat(500)}"}`, 2), false);
    assert.equal(jsonDepthExceeds(`{"a":"\\"[[[[[[","b":[[[]]]}`, 3), true);
    assert.equal(jsonDepthExceeds(`{"a":"\\\\","b":[[]]}`, 3), false);
  });
});

describe('checkEnvelope', () => {
  const kind = (value: unknown) => checkEnvelope(value).kind;
  test('accepts requests and notifications, ignores responses, rejects everything else with the id when usable', () => {
    assert.equal(kind({ jsonrpc: '2.0', id: 1, method: 'm' }), 'message');
    assert.equal(kind({ jsonrpc: '2.0', method: 'm', params: [1] }), 'message');
    assert.equal(kind({ jsonrpc: '2.0', id: 1, result: null }), 'ignored');
    for (const bad of [
      42,
      'x',
      null,
      [],
      [{ jsonrpc: '2.0', id: 1, method: 'm' }],
      {},
      { jsonrpc: '1.0', id: 1, method: 'm' },
      { jsonrpc: '2.0', id: 1, method: 7 },
      { jsonrpc: '2.0', id: {}, method: 'm' },
      { jsonrpc: '2.0', id: null, method: 'm' },
      { jsonrpc: '2.0', id: 1, method: 'm', params: 5 },
      { jsonrpc: '2.0', id: 1, method: 'm'.repeat(300) },
    ]) {
      assert.equal(kind(bad), 'reject', JSON.stringify(bad));
    }
    // vscode-jsonrpc crashes the process on a cancel without params.id: it must never get one.
    assert.equal(kind({ jsonrpc: '2.0', method: '$/cancelRequest' }), 'ignored');
    assert.equal(kind({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: {} } }), 'ignored');
    assert.equal(kind({ jsonrpc: '2.0', method: '$/cancelRequest', params: [] }), 'ignored');
    assert.equal(kind({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 3 } }), 'message');
    const answer = checkEnvelope({ jsonrpc: '2.0', id: 9, method: 'm', params: 'no' });
    assert.deepEqual(answer.kind === 'reject' && answer.id, 9);
  });
});
