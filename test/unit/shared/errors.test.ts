// errorText: the text of anything thrown, for log lines and set-aside reasons that must never be
// "undefined" (a damaged page once made sql.js throw a value without a message; seed 348832 of
// test/integration/store-damage.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDataDir } from '../../../client/paths';
import { parseDuration } from '../../../shared/duration';
import { errorText, UserInputError, userErrorText } from '../../../shared/errors';
import { checkCategory, compileFilter, parseFilterText } from '../../../shared/filter';
import { catalogues } from '../../../shared/i18n/catalogue';
import { parseTime } from '../../../shared/time';
import { compileRegex } from '../../../shared/userRegex';

test('errorText names what was thrown, whatever it is', () => {
  assert.equal(errorText(new Error('database disk image is malformed')), 'database disk image is malformed');
  assert.equal(errorText(new TypeError('')), 'TypeError');
  assert.equal(errorText('file is not a database'), 'file is not a database');
  assert.equal(errorText({ code: 11 }), '{"code":11}');
  assert.equal(errorText(undefined), 'undefined');
});

// The shared parsers' errors carry their catalogue id (shared/i18n/input.ts): `message` stays the
// English line the agent answers and logs; userErrorText says it in the CLI user's language.
test('each shared parser error keeps its English message and reads in Chinese from its id', () => {
  const thrown = (bad: () => unknown): UserInputError => {
    try {
      bad();
    } catch (error) {
      assert.ok(error instanceof UserInputError, String(error));
      return error;
    }
    assert.fail(`no error from ${bad.toString()}`);
  };
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-errors-'));
  const file = path.join(work, 'file');
  writeFileSync(file, '');
  // A dangling link: stat says ENOENT, and mkdir meets the link itself (EEXIST: client/paths.ts
  // makeDirs creates level by level; Node's recursive mkdir, which said ENOENT, hangs under /proc).
  symlinkSync(path.join(work, 'none', 'x'), path.join(work, 'dangling'));
  const cases: Array<[() => unknown, RegExp]> = [
    [
      () => checkDataDir(file, false),
      /^data dir .*file is a file, not a folder: pass --data-dir with a folder/,
    ],
    [
      () => checkDataDir(path.join(file, 'sub'), false),
      /^data dir .*sub cannot be read \(ENOTDIR.*\): fix its/,
    ],
    [
      () => checkDataDir(path.join(work, 'dangling'), true),
      /^data dir .*dangling cannot be created \(EEXIST\): pass/,
    ],
    [() => parseTime('tomorrow'), /^time "tomorrow" is not understood: write e\.g\. /],
    [() => parseTime('25:00'), /^time "25:00" is not a clock time: /],
    [() => parseTime('2026-02-30'), /^time "2026-02-30" has no such date: /],
    [() => parseDuration('soon', '--every'), /^--every "soon" is not a duration: write a number with a unit/],
    [() => checkCategory('games'), /^unknown category "games": use one of .*browser, /],
    [() => compileFilter({ pid: 1.5 }), /^pid "1.5" is not a process id: give a whole number/],
    [() => parseFilterText('pid:x'), /^"pid:x" is not a process id: write pid:1234$/],
    [() => compileRegex('h'.repeat(5000), 'k'), /^k "h{77}…" is 5000 characters long: give at most 4096/],
    [() => compileRegex('(a|aa){1000}', 'k'), /^k "\(a\|aa\)\{1000\}" is too large to match quickly/],
    [() => compileRegex('([', 'k'), /^k "\(\[" is not a valid regular expression \(/],
    [() => compileRegex('foo(?=bar)', 'k'), /uses a lookahead \(\?=…\), .*"foo\(\?=bar\)" → "foobar"$/],
    [() => compileRegex('node(?!x)', 'k'), /uses a negative lookahead/],
    [() => compileRegex('(?<=foo)bar', 'k'), /uses a lookbehind/],
    [() => compileRegex('(?<!x)node', 'k'), /uses a negative lookbehind/],
    [() => compileRegex('(ab)\\1', 'k'), /uses a backreference \\1, .*"\(ab\)\\1" → "\(ab\)\{2\}"$/],
    [() => compileRegex('(?<x>ab)\\k<x>', 'k'), /uses a named backreference \\k<…>, .* → "\(ab\)\{2\}"$/],
    [
      () => compileRegex('caf\\u00e9', 'k'),
      /write the code point as \\x\{…\}, e\.g\. "\\u00e9" → "\\x\{00e9\}"$/,
    ],
    [() => compileRegex('a[^]b', 'k'), /uses \[\^\] for any character/],
    [() => compileRegex('end\\Z', 'k'), /uses the escape \\Z, .*see https:/],
    [() => compileRegex('a{2,1}', 'k'), /maximum is below its minimum \(\{2,1\}\): swap them$/],
    [() => compileRegex('a{1001}', 'k'), /repeat count above 1000 \(\{1001\}\)/],
    [() => compileRegex('((a{30}){30}){30}', 'k'), /repeats more than 1000 times/],
    [() => compileRegex('('.repeat(2000) + ')'.repeat(2000), 'k'), /nests groups too deeply/],
  ];
  const reached = new Set<string>();
  for (const [bad, english] of cases) {
    const error = thrown(bad);
    assert.match(error.message, english);
    assert.equal(userErrorText(error, 'en'), error.message);
    assert.ok(error.text, `${error.message}: carries its id`);
    reached.add(error.text.id);
    const chinese = userErrorText(error, 'zh-cn');
    assert.match(chinese, /[\u4e00-\u9fff]/, chinese);
    assert.doesNotMatch(chinese, /\b(is not|write|use|give)\b/, chinese);
    assert.doesNotMatch(chinese, /\n/);
  }
  rmSync(work, { recursive: true, force: true });
  const ids = Object.keys(catalogues().find((c) => c.name === 'input')!.en);
  assert.deepEqual([...reached].sort(), ids.sort(), 'every message of the catalogue is thrown by a parser');
});

test('userErrorText: an error without an id reads as it is', () => {
  assert.equal(userErrorText(new UserInputError('--out is a folder'), 'zh-cn'), '--out is a folder');
  assert.equal(userErrorText('plain', 'zh-cn'), 'plain');
});
