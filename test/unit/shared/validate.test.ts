// shared/validate.ts: the one toolkit for untrusted input (RPC params, alert rules, webview
// messages). Field checkers throw a FieldError that names the field's path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { refText, type MessageRef } from '../../../shared/i18n/catalogue';
import * as check from '../../../shared/validate';

function failure(run: () => unknown): { path: string; message: string } {
  return withRef(run).failure;
}

function withRef(run: () => unknown): { failure: { path: string; message: string }; ref?: MessageRef } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof check.FieldError, String(error));
    return { failure: { path: check.pathText(error.path), message: error.message }, ref: error.ref };
  }
  assert.fail('expected a FieldError');
}

test('paths read as written: rules[2].threshold', () => {
  assert.equal(check.pathText(['rules', 2, 'threshold']), 'rules[2].threshold');
  assert.equal(
    check.pathText(['processTracker.alerts.rules', 0, 'match', 'name']),
    'processTracker.alerts.rules[0].match.name',
  );
  assert.equal(check.pathText([]), '');
});

test('field checkers return the value, treat null as absent, and name the field on failure', () => {
  assert.equal(check.optionalInt(5, ['n'], 1, 10), 5);
  assert.equal(check.optionalInt(null, ['n'], 1, 10), undefined);
  assert.deepEqual(
    failure(() => check.optionalInt(5.5, ['filter', 'pid'], 0, 9)),
    {
      path: 'filter.pid',
      message: 'must be a whole number from 0 to 9',
    },
  );
  assert.deepEqual(
    failure(() => check.requiredInt(undefined, ['n'], 1, 10)),
    {
      path: 'n',
      message: 'is required: a whole number from 1 to 10',
    },
  );
  assert.equal(
    failure(() => check.optionalString('x'.repeat(5), ['s'], 4)).message,
    'must be a string of at most 4 characters',
  );
  assert.equal(check.requiredOneOf('b', ['k'], ['a', 'b'] as const), 'b');
  assert.equal(failure(() => check.optionalOneOf('c', ['k'], ['a', 'b'])).message, 'must be one of a, b');
  assert.equal(
    failure(() => check.requiredOneOf(null, ['k'], ['a', 'b'])).message,
    'is required: one of a, b',
  );
  assert.equal(failure(() => check.optionalBoolean('yes', ['b'])).message, 'must be true or false');
  assert.equal(failure(() => check.record([], ['id'], '{pid}')).message, 'must be an object {pid}');
  assert.equal(failure(() => check.record([], ['id'])).message, 'must be an object');
  // Each failure carries its message for any language (shared/i18n/request.ts).
  const { ref } = withRef(() => check.optionalInt(-1, ['n'], 0, 9));
  assert.ok(ref);
  assert.equal(refText(ref, 'zh-cn'), '必须是 0 到 9 的整数');
});

test('guards reject what JSON cannot carry and what is not listed', () => {
  assert.equal(check.isNumber(Number.NaN), false);
  assert.equal(check.isNumber(Infinity), false);
  assert.equal(check.isCount(-1), false);
  assert.equal(check.isRecord([]), false);
  assert.equal(check.isRecord(null), false);
  assert.equal(check.oneOf(['a'])('a'), true);
  assert.equal(check.arrayOf(check.isString)(['a', 1]), false);
  assert.equal(check.optional(check.isString)(undefined), true);
});

test('messages describe wrong values and suggest near misses', () => {
  assert.equal(check.describe(undefined), 'nothing');
  assert.equal(check.describe([1]), 'a list');
  assert.equal(check.describe({}), 'a map');
  assert.equal(check.describe('x'), 'string "x"');
  assert.equal(check.closest('treshold', ['threshold', 'metric']), 'threshold');
  assert.equal(check.closest('zzzz', ['threshold']), undefined);
  assert.equal(
    check.formatProblem({
      level: 'error',
      where: 'alerts.yaml',
      line: 12,
      field: 'rules[2].threshold',
      message: 'expected a number',
    }),
    'alerts.yaml:12 rules[2].threshold: expected a number',
  );
});

test('the toolkit loads in the browser: no Node built-ins, no vscode', () => {
  const source = readFileSync(path.join(__dirname, '..', '..', '..', 'shared', 'validate.ts'), 'utf8');
  // Only its own catalogues (shared/i18n/, themselves free of imports beyond shared/).
  const imports = source.match(/^import .*$/gm) ?? [];
  assert.ok(imports.length > 0);
  for (const line of imports) assert.match(line, /from '\.\/i18n\/\w+';$|^import '\.\/i18n\/\w+';$/);
});
