import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserInputError } from '../../../shared/errors';
import { compileFilter, parseFilterText } from '../../../shared/filter';
import type { ProcessMeta } from '../../../shared/model';

const node: ProcessMeta = {
  pid: 42,
  startTime: 1,
  ppid: 1,
  name: 'node',
  cmdline: 'node /srv/server.js --port 3000',
  user: 'dev',
  category: 'development',
  container: null,
};
const bash: ProcessMeta = {
  ...node,
  pid: 7,
  name: 'bash',
  cmdline: '-bash',
  user: 'root',
  category: 'shell',
};

describe('compileFilter', () => {
  test('regex matches the name or the command line, case-insensitively', () => {
    assert.equal(compileFilter({ regex: 'SERVER' })(node), true);
    assert.equal(compileFilter({ regex: '^node$' })(node), true);
    assert.equal(compileFilter({ regex: 'server' })(bash), false);
  });
  test('pid, category and user narrow the match', () => {
    assert.equal(compileFilter({ pid: 42 })(node), true);
    assert.equal(compileFilter({ pid: 42 })(bash), false);
    assert.equal(compileFilter({ category: 'shell' })(bash), true);
    assert.equal(compileFilter({ user: 'root', regex: 'bash' })(bash), true);
  });
  test('a broken regex or an unknown category names the problem and the fix', () => {
    assert.throws(
      () => compileFilter({ regex: '([' }),
      (e: unknown) => e instanceof UserInputError && /not a valid regular expression.*escape/.test(e.message),
    );
    assert.throws(
      () => compileFilter({ category: 'games' as never }),
      /unknown category "games": use one of development/,
    );
  });
});

describe('parseFilterText', () => {
  test('keys and free text', () => {
    assert.deepEqual(parseFilterText('pid:123'), { pid: 123 });
    assert.deepEqual(parseFilterText('cat:browser user:root chrome'), {
      category: 'browser',
      user: 'root',
      regex: 'chrome',
    });
    assert.throws(() => parseFilterText('pid:abc'), UserInputError);
    assert.throws(() => parseFilterText('cat:nope'), UserInputError);
    assert.throws(() => parseFilterText('a(b'), UserInputError);
  });
});
