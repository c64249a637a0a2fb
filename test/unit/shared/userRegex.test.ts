import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatProblem, parseAlertsYaml } from '../../../agent/alerts/rules';
import { createCategorizer } from '../../../agent/categories';
import { UserInputError } from '../../../shared/errors';
import { compileFilter } from '../../../shared/filter';
import { compileRegex, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE } from '../../../shared/userRegex';
import { hostileCommandLines, hostilePatterns } from '../../fixtures/hostileRegex';

/** The issue's command line: backtracking `(a+)+b` over it takes 2^70 steps. */
const ISSUE_LINE = 'bash ' + 'a'.repeat(70) + 'c';

function problemOf(source: string, what?: string): string {
  try {
    compileRegex(source, what);
  } catch (error) {
    assert.ok(error instanceof UserInputError, `${source}: ${error}`);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }
  assert.fail(`"${source}" compiled`);
}

describe('compileRegex', () => {
  test('matches what RegExp(source, "i") matches, for the patterns people write', () => {
    const texts = [
      'node /srv/server.js --port 3000',
      'Code Helper (Renderer)',
      '-bash',
      'python3.12 -m http.server',
      '',
    ];
    for (const source of [
      'SERVER',
      '^node$',
      'node .*server',
      '\\d+',
      'py(thon)?3\\.\\d+',
      '^-?bash$',
      '\\(renderer\\)',
      'a|b',
      '^$',
    ]) {
      const native = new RegExp(source, 'i');
      for (const text of texts)
        assert.equal(compileRegex(source).test(text), native.test(text), `${source} on ${text}`);
    }
  });

  test("(a+)+b over seventy a's and a c answers at once, as do the other hostile shapes", () => {
    const started = performance.now();
    assert.equal(compileRegex('(a+)+b').test(ISSUE_LINE), false);
    assert.equal(compileRegex('(a|aa)+$').test(ISSUE_LINE), false);
    assert.equal(compileRegex('^(\\w+\\s?)+$').test(ISSUE_LINE + '!'), false);
    assert.equal(compileRegex('(.*a){20}b').test(ISSUE_LINE), false);
    assert.ok(performance.now() - started < 1000, `${(performance.now() - started).toFixed(0)} ms`);
  });

  test('every hostile pattern is compiled or refused, and matched, within 1 s', () => {
    const lines = hostileCommandLines();
    for (const source of hostilePatterns(120, 7)) {
      const started = performance.now();
      try {
        const regex = compileRegex(source);
        for (const line of lines) regex.test(line);
      } catch (error) {
        assert.ok(error instanceof UserInputError, `${source.slice(0, 40)}: ${error}`);
        assert.doesNotMatch(error.message, /\n/);
      }
      const took = performance.now() - started;
      assert.ok(took < 1000, `${source.slice(0, 40)}: ${took.toFixed(0)} ms`);
    }
  });

  test('JavaScript-only syntax is named, with its rewrite', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'foo(?=bar)',
        /filter "foo\(\?=bar\)" uses a lookahead \(\?=…\), .*RE2.*: match the text itself, e\.g\. "foo\(\?=bar\)" → "foobar"$/,
      ],
      ['node(?!x)', /uses a negative lookahead \(\?!…\).*: say what may follow instead/],
      ['(?<=foo)bar', /uses a lookbehind \(\?<=…\).*: match the text itself/],
      ['(?<!x)node', /uses a negative lookbehind \(\?<!…\).*: say what may come before instead/],
      ['(ab)\\1', /uses a backreference \\1.*: repeat the group's pattern instead/],
      ['(?<x>ab)\\k<x>', /uses a named backreference \\k<…>.*: repeat the group's pattern instead/],
      ['caf\\u00e9', /uses the escape \\u.*: write the code point as \\x\{…\}/],
      ['a[^]b', /uses \[\^\] for any character.*: write \[\\s\\S\] instead/],
      ['end\\Z', /uses the escape \\Z.*: escape only punctuation with \\/],
    ];
    for (const [source, expected] of cases) assert.match(problemOf(source), expected);
  });

  test('broken, too long and too large patterns say what to change', () => {
    assert.match(
      problemOf('(['),
      /^filter "\(\[" is not a valid regular expression \(.*\): fix it, or escape special characters with \\$/,
    );
    assert.match(problemOf('a{2,1}'), /maximum is below its minimum \(\{2,1\}\): swap them$/);
    assert.match(problemOf('a{1001}'), /repeat count above 1000 \(\{1001\}\): use a smaller count/);
    assert.match(problemOf('((a{30}){30}){30}'), /repeats more than 1000 times .*: use smaller counts/);
    assert.match(problemOf('('.repeat(2000) + ')'.repeat(2000)), /nests groups too deeply/);
    const long = problemOf('h'.repeat(200_000), 'match.command');
    assert.match(
      long,
      new RegExp(`^match.command "h{77}…" is 200000 characters long: give at most ${MAX_PATTERN_LENGTH}`),
    );
    assert.match(
      problemOf('(a|aa){1000}'),
      new RegExp(`too large to match quickly \\(\\d+ steps, at most ${MAX_PROGRAM_SIZE}\\)`),
    );
  });

  test('a small pattern reads a long command line far enough: a Java main class after its class path', () => {
    const cmdline = `java -cp ${'/opt/lib/some.jar:'.repeat(3000)} com.example.Main`;
    assert.ok(cmdline.length > 50_000);
    assert.equal(compileRegex('com\\.example\\.Main').test(cmdline), true);
    assert.equal(compileRegex('node').test(`${'x'.repeat(80_000)} node`), true);
  });

  test('a source is compiled once: filters re-sent every tick share the matcher and its results', () => {
    assert.equal(compileRegex('node .*server'), compileRegex('node .*server'));
    assert.equal(
      compileFilter({ regex: 'node' })({ pid: 1, name: 'node', cmdline: '', category: 'other', user: 'u' }),
      true,
    );
  });

  test('category rules and alert rule matches get the same errors, naming where', () => {
    assert.throws(
      () => createCategorizer([{ match: '(?=x)server', category: 'development' }]),
      (error: unknown) =>
        error instanceof UserInputError &&
        /^category rule 1 "\(\?=x\)server" uses a lookahead/.test(error.message),
    );
    const categorize = createCategorizer([{ match: '(a+)+b', category: 'development' }]);
    assert.equal(categorize({ pid: 10, ppid: 1, name: 'bash', cmdline: ISSUE_LINE }), 'shell');
    const { config, problems } = parseAlertsYaml(
      'rules:\n  - name: x\n    metric: cpu\n    threshold: 1\n    match: { command: "(a)\\\\1" }\n',
      'alerts.yaml',
      { allowActions: true, now: 0 },
    );
    assert.equal(config.rules.length, 0);
    assert.match(
      problems.map(formatProblem).join('\n'),
      /:5 rules\[0\]\.match\.command: command "\(a\)\\1" uses a backreference \\1/,
    );
  });
});
