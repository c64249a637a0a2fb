import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeResults, sectionsOf } from '../../../bench/resultsFile';

const previous = [
  '# Benchmark results',
  '',
  'old header',
  '',
  '## Suite A',
  '',
  'a, first run',
  '',
  '## Hand-written breakdown',
  '',
  'measured by hand; no suite writes this',
  '',
  '## Suite B',
  '',
  'b, first run',
  '',
  '<!-- notes -->',
  'a note',
  '',
].join('\n');

test('a re-run replaces its own section in place and keeps the hand-written one word for word', () => {
  const merged = mergeResults(
    previous,
    ['# Benchmark results', '', 'new header', ''],
    new Map([['Suite B', '## Suite B\n\nb, second run\n']]),
  );
  assert.deepEqual(
    sectionsOf(merged).map((section) => section.title),
    ['Suite A', 'Hand-written breakdown', 'Suite B'],
  );
  assert.match(merged, /## Hand-written breakdown\n\nmeasured by hand; no suite writes this\n/);
  assert.match(merged, /b, second run/);
  assert.doesNotMatch(merged, /b, first run/);
  assert.match(merged, /a, first run/);
  assert.match(merged, /new header/);
  assert.match(merged, /<!-- notes -->\na note\n$/);
});

test('a suite new to the file goes after the kept sections; an empty file gets a notes marker', () => {
  const merged = mergeResults(previous, [], new Map([['Suite C', '## Suite C\n\nc\n']]));
  assert.deepEqual(
    sectionsOf(merged).map((section) => section.title),
    ['Suite A', 'Hand-written breakdown', 'Suite B', 'Suite C'],
  );
  assert.match(
    mergeResults('', ['# R', ''], new Map([['X', '## X\n\nx\n']])),
    /^# R\n\n## X\n\nx\n\n<!-- notes -->\n$/,
  );
});
