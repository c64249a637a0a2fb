import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DataNotification,
  ExportCommand,
  HOST_NOTIFICATIONS,
  OpenProcessRowCommand,
  PANEL_COMMANDS,
  RequestProcessCommand,
  RequestRangeCommand,
  SaveStateCommand,
  type DataParams,
} from '../../../shared/webviewProtocol';
import { defaultState, restoreState } from '../../../webview/state';
import type { StatsRow } from '../../../shared/model';

const NOW = Date.UTC(2026, 10, 24, 15, 0);

function statsRow(): StatsRow {
  return {
    name: 'worker',
    category: 'other',
    activeSeconds: 60,
    cpuAvg: 1,
    cpuPeak: 2,
    cpuSeconds: 0.6,
    memAvg: 1024,
    memPeak: 2048,
    readBytes: 4096,
    writeBytes: 0,
    starts: 0,
    instances: 2,
  };
}

function data(): DataParams {
  return {
    from: NOW - 3_600_000,
    to: NOW,
    resolution: { tier: 'raw', stepMs: 2000, label: 'raw samples' },
    overview: [
      {
        key: 'machineCpu',
        label: 'Machine CPU',
        metric: 'machineCpu',
        points: [{ ts: NOW, value: 5, max: 7 }],
      },
    ],
    top: [
      {
        key: 'p1',
        label: '<img src=x onerror=alert(1)>',
        identity: { pid: 1, startTime: NOW - 10 },
        metric: 'cpu',
        points: [{ ts: NOW, value: null, max: null }],
      },
    ],
    rows: [],
    memTotal: null,
  };
}

describe('webview protocol guards', () => {
  test('method names are unique across both directions', () => {
    const methods = [...PANEL_COMMANDS, ...HOST_NOTIFICATIONS].map((type) => type.method);
    assert.equal(new Set(methods).size, methods.length);
  });

  test('a well-formed message passes, built with create()', () => {
    assert.ok(DataNotification.is(DataNotification.create('1', data())));
  });

  test('a row whose IO sums are partial passes', () => {
    const d = data();
    d.rows = [{ ...statsRow(), partial: ['readBytes', 'writeBytes'] }];
    assert.ok(DataNotification.is(DataNotification.create('1', d)));
  });

  test('every field is checked, deep inside series points too', () => {
    const cases: Array<(d: DataParams) => void> = [
      (d) => ((d.top[0]!.points[0] as unknown as { ts: string }).ts = '1'),
      (d) => ((d.top[0]!.points[0] as unknown as { value: number }).value = Number.NaN),
      (d) => ((d.top[0] as unknown as { label: number }).label = 5),
      (d) => ((d.top[0]!.identity as unknown as { pid: number }).pid = -1),
      (d) => ((d.overview[0] as unknown as { metric: string }).metric = 'gpu'),
      (d) => ((d.resolution as unknown as { label: null }).label = null),
      (d) => (d.from = d.to),
      (d) => ((d as unknown as { rows: null }).rows = null),
      (d) => (d.rows = [{ ...statsRow(), partial: ['cpuSeconds' as 'readBytes'] }]),
    ];
    for (const breakIt of cases) {
      const broken = data();
      breakIt(broken);
      assert.equal(DataNotification.is(DataNotification.create('1', broken)), false, breakIt.toString());
    }
  });

  test('the method must match and the id must be a string', () => {
    const message = DataNotification.create('1', data());
    assert.equal(RequestRangeCommand.is(message), false);
    assert.equal(DataNotification.is({ ...message, id: 1 }), false);
    assert.equal(DataNotification.is(null), false);
    assert.equal(DataNotification.is('history/data'), false);
  });

  test('range requests are bounded', () => {
    const ok = { from: 1, to: 2, metric: 'cpu', n: 10, sort: 'cpu', live: false, maxPoints: 800 };
    assert.ok(RequestRangeCommand.is(RequestRangeCommand.create('1', ok as never)));
    for (const bad of [
      { n: 0 },
      { n: 101 },
      { maxPoints: 1e6 },
      { sort: 'evil' },
      { from: 3 },
      { live: 'yes' },
    ]) {
      assert.equal(
        RequestRangeCommand.is({ id: '1', method: RequestRangeCommand.method, params: { ...ok, ...bad } }),
        false,
      );
    }
  });

  test('a process request names an identity or a name', () => {
    const range = { from: 1, to: 2, maxPoints: 100 };
    const make = (params: unknown) => ({ id: '1', method: RequestProcessCommand.method, params });
    assert.ok(RequestProcessCommand.is(make({ ...range, identity: { pid: 4, startTime: 9 } })));
    assert.ok(RequestProcessCommand.is(make({ ...range, name: 'node' })));
    assert.equal(RequestProcessCommand.is(make({ ...range })), false);
    assert.equal(RequestProcessCommand.is(make({ ...range, name: '' })), false);
    assert.equal(RequestProcessCommand.is(make({ ...range, identity: { pid: 'x', startTime: 9 } })), false);
  });

  test('export file names cannot carry a folder', () => {
    const ok = { format: 'csv', rows: [], content: 'name\r\n', fileName: 'history.csv' };
    const make = (params: unknown) => ({ id: '1', method: ExportCommand.method, params });
    assert.ok(ExportCommand.is(make(ok)));
    assert.equal(ExportCommand.is(make({ ...ok, fileName: '../../.bashrc' })), false);
    assert.equal(ExportCommand.is(make({ ...ok, fileName: '/etc/passwd' })), false);
    assert.equal(ExportCommand.is(make({ ...ok, format: 'xlsx' })), false);
  });

  test('row actions need a full identity', () => {
    const make = (params: unknown) => ({ id: '1', method: OpenProcessRowCommand.method, params });
    assert.ok(OpenProcessRowCommand.is(make({ identity: { pid: 1, startTime: 2 }, name: 'x' })));
    assert.equal(OpenProcessRowCommand.is(make({ identity: { pid: 1 }, name: 'x' })), false);
  });

  test('saved state round-trips, and a broken one falls back to the default', () => {
    const state = defaultState(NOW);
    assert.ok(SaveStateCommand.is(SaveStateCommand.create('1', { state })));
    assert.deepEqual(restoreState({ ...state, n: 'ten' }, NOW), defaultState(NOW));
    assert.deepEqual(restoreState(undefined, NOW), defaultState(NOW));
  });

  test('a restored preset moves on to now; a custom range stays', () => {
    const saved = { ...defaultState(NOW), preset: '24h' as const };
    const later = NOW + 86_400_000;
    const restored = restoreState(saved, later);
    assert.equal(restored.to, later);
    assert.equal(restored.to - restored.from, 86_400_000);
    const custom = { ...defaultState(NOW), preset: 'custom' as const, from: NOW - 5000, to: NOW - 1000 };
    assert.deepEqual(restoreState(custom, later), custom);
  });
});
