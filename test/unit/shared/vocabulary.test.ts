// Each vocabulary is one const tuple in shared/model.ts. The places that must spell it out again —
// package.json's setting enums (JSON cannot import) — are checked against the tuple here, and the
// CLI, the RPC validation and the webview guards are checked to accept exactly its words.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { parseCommand } from '../../../agent/cli/args';
import { helpText } from '../../../agent/cli/format';
import { optionalSort } from '../../../agent/service/validate';
import {
  CATEGORIES,
  EXPORT_FORMATS,
  GROUPINGS,
  HISTORY_METRICS,
  identityKey,
  isCategory,
  isExportFormat,
  isGrouping,
  isHistoryMetric,
  isSeriesMetric,
  isSortKey,
  MACHINE_METRICS,
  SERIES_METRICS,
  SORT_KEYS,
} from '../../../shared/model';
import { UserInputError } from '../../../shared/errors';
import { isSeries } from '../../../shared/webviewProtocol';

interface SettingSchema {
  enum?: string[];
  default?: unknown;
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const setting = (key: string): SettingSchema => {
  const schema = manifest.contributes.configuration.properties[`processTracker.${key}`];
  assert.ok(schema, `package.json declares processTracker.${key}`);
  return schema;
};

describe('package.json setting enums equal the shared tuples', () => {
  test('processes.sort is SORT_KEYS, in the same order', () => {
    assert.deepEqual(setting('processes.sort').enum, [...SORT_KEYS]);
    assert.ok(isSortKey(setting('processes.sort').default));
  });
  test('processes.grouping is GROUPINGS, in the same order', () => {
    assert.deepEqual(setting('processes.grouping').enum, [...GROUPINGS]);
    assert.ok(isGrouping(setting('processes.grouping').default));
  });
});

describe('each guard accepts exactly its tuple', () => {
  const cases: Array<[string, readonly string[], (v: unknown) => boolean]> = [
    ['category', CATEGORIES, isCategory],
    ['sort key', SORT_KEYS, isSortKey],
    ['grouping', GROUPINGS, isGrouping],
    ['series metric', SERIES_METRICS, isSeriesMetric],
    ['history metric', HISTORY_METRICS, isHistoryMetric],
    ['export format', EXPORT_FORMATS, isExportFormat],
  ];
  for (const [what, words, guard] of cases) {
    test(what, () => {
      for (const word of words) assert.ok(guard(word), `${what} ${word}`);
      for (const other of ['', 'CPU', 'cpu ', 'toString', 42, null, undefined, ['cpu']])
        assert.equal(guard(other), false, `${what} rejects ${JSON.stringify(other)}`);
    });
  }
  test('a history metric is a process metric or a machine metric, nothing else', () => {
    assert.deepEqual([...HISTORY_METRICS], [...SERIES_METRICS, ...MACHINE_METRICS]);
  });
});

describe('the CLI, the RPC validation and the webview accept the same words', () => {
  test('sort keys', () => {
    for (const sort of SORT_KEYS) {
      const command = parseCommand(['top', '--sort', sort]);
      assert.equal(command.kind === 'top' && command.sort, sort);
      assert.equal(optionalSort(sort), sort);
    }
    assert.throws(() => parseCommand(['top', '--sort', 'speed']), UserInputError);
    assert.throws(() => optionalSort('speed'), ResponseError);
  });
  test('export formats', () => {
    for (const format of EXPORT_FORMATS) {
      const command = parseCommand(['export', '--format', format]);
      assert.equal(command.kind === 'export' && command.format, format);
    }
    assert.throws(
      () => parseCommand(['export', '--format', 'xml']),
      new RegExp(`use ${EXPORT_FORMATS.join(', ')}$`),
    );
  });
  test("the CLI's help lists the same sort keys and export formats", () => {
    const HELP = helpText({});
    assert.ok(HELP.includes('--sort cpu|mem|io|name'), HELP);
    assert.ok(HELP.includes(`--format ${EXPORT_FORMATS.join('|')}`), HELP);
  });
  test('series metrics, the machine ones included', () => {
    for (const metric of HISTORY_METRICS)
      assert.ok(isSeries({ key: 'machine', label: 'x', metric, points: [] }), metric);
    assert.equal(isSeries({ key: 'machine', label: 'x', metric: 'machineSwap', points: [] }), false);
  });
});

test('identityKey keeps its on-the-wire form, pid:startTime', () => {
  assert.equal(identityKey(1234, 1_700_000_000_000), '1234:1700000000000');
});
