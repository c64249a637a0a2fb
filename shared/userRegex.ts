// Every regular expression a user supplies — the filter of the CLI, the Processes view and the
// panel, an alert rule's match.name / match.command, a silence's process, a category rule — runs on
// the agent's one thread, on every tick. JavaScript's RegExp backtracks: `(a+)+b` over seventy a's
// and a c takes 2^70 steps, and the agent never comes back. re2js (a maintained pure-JS port of
// RE2, so it bundles for Node and the browser alike) matches in time linear in the text and the
// pattern, and refuses what cannot be matched that way (lookaround, backreferences); we name such
// a construct and its rewrite in one line.
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { inputError, type UserInputError } from './errors';

/** A compiled user pattern: case-insensitive, unanchored, like `new RegExp(source, 'i').test`. */
export interface UserRegex {
  readonly source: string;
  test(text: string): boolean;
}

/** Longer sources are refused before parsing: parsing costs about 1 ms per 1,000 characters. */
export const MAX_PATTERN_LENGTH = 4096;
/**
 * RE2's own measure of a pattern's size, in instructions: counted repeats are what make it big
 * (`[a-z]{400}` is 400; fifty process names in an alternation are about 400). Building the
 * automaton costs up to the square of it the first time; at 500 that is under 0.1 s.
 */
export const MAX_PROGRAM_SIZE = 500;
/**
 * Matching is linear in the text and the pattern: when the automaton gives up (a pattern whose
 * states explode, such as `(a|b)*a[ab]{100}c`, over a long command line) each character costs up to
 * one step per instruction, 50-250 ns each here. A test reads no more of the text than this many
 * steps cover, timed, and the rest only when that pace says it is quick (see testLong): a hostile
 * pattern cannot hold a tick up, and `node` (6 instructions) reads 25,000 characters even then. At
 * 500,000 steps and 10 ms, nine hostile command lines still held a tick 139 ms late on a quiet
 * machine (bench/RESULTS.md); at 150,000 steps (and 10 ms) it meets its 100 ms with 34. A 4 ms budget did too (26), but
 * then a cold first match of a 51 KB class path sometimes read as too slow, and its main class was missed.
 */
export const MATCH_STEPS = 150_000;
/** The most a test of a long text may take, by the pace of its prefix. */
const LONG_TEST_MS = 10;
/** Results kept per pattern, by text: a tick's ~600 names and command lines, twice over. */
const RESULTS_PER_PATTERN = 4096;
/** Compiled patterns kept by source (each automaton caches up to 8 MB of states in the worst case). */
const PATTERNS_KEPT = 16;

const RE2_SYNTAX = 'https://github.com/google/re2/wiki/Syntax';

/**
 * Compiles `source` into a linear-time matcher; throws UserInputError naming `what`, the pattern,
 * the problem and the fix in one line. The same source returns the same matcher (with its cache of
 * results by text), so a filter re-sent on every tick is compiled once and each command line is
 * matched once.
 */
export function compileRegex(source: string, what = 'filter'): UserRegex {
  const kept = compiled.get(source);
  if (kept) {
    // Map order is insertion order: re-inserting makes this the most recently used.
    compiled.delete(source);
    compiled.set(source, kept);
    return kept;
  }
  const regex = compile(source, what);
  compiled.set(source, regex);
  if (compiled.size > PATTERNS_KEPT) compiled.delete(compiled.keys().next().value!);
  return regex;
}

const compiled = new Map<string, UserRegex>();

function compile(source: string, what: string): UserRegex {
  const named = { what, pattern: shorten(source) };
  if (source.length > MAX_PATTERN_LENGTH) {
    throw inputError('regexTooLong', { ...named, length: source.length, max: MAX_PATTERN_LENGTH });
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw problem(error, named);
  }
  const size = re2.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    throw inputError('regexTooLarge', { ...named, size, max: MAX_PROGRAM_SIZE });
  }
  const results = new Map<string, boolean>();
  const examined = Math.floor(MATCH_STEPS / size);
  return {
    source,
    test(text: string): boolean {
      let matched = results.get(text);
      if (matched === undefined) {
        matched = text.length > examined ? testLong(re2, text, examined) : re2.test(text);
        if (results.size >= RESULTS_PER_PATTERN) results.clear();
        results.set(text, matched);
      }
      return matched;
    },
  };
}

/**
 * A text longer than MATCH_STEPS covers: its first `examined` characters, timed; then the whole
 * text only if that pace says it takes under LONG_TEST_MS. The automaton usually keeps its pace
 * (about 10 ns a character, whatever the pattern), so a Java class path of 50,000 characters is
 * read to its main class; a pattern that has made it give up answers from the prefix alone.
 */
function testLong(re2: RE2JS, text: string, examined: number): boolean {
  const started = cpuMs();
  const prefix = re2.test(text.slice(0, examined));
  const estimate = ((cpuMs() - started) * text.length) / examined;
  return estimate < LONG_TEST_MS ? re2.test(text) : prefix;
}

/**
 * The pace is taken in CPU time where the host has it (Node): wall-clock time would count the
 * moments the scheduler gave the core to another process, so on a loaded machine a plain pattern
 * could be judged slow and a class path's main class missed — an answer that depended on the load.
 * `process` is a global, not an import: shared/ stays free of Node built-ins, and a browser (which
 * compiles no user regex today) falls back to the wall clock.
 */
const hostCpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } })
  .process?.cpuUsage;
const cpuMs: () => number = hostCpuUsage
  ? () => {
      const { user, system } = hostCpuUsage();
      return (user + system) / 1000;
    }
  : () => performance.now();

/** The one-line error for a pattern RE2 refused: what is wrong, then the fix. */
function problem(error: unknown, named: { what: string; pattern: string }): UserInputError {
  if (!(error instanceof RE2JSSyntaxException)) {
    return inputError('regexInvalid', { ...named, detail: (error as Error).message });
  }
  const description = error.getDescription();
  const fragment = error.getPattern() ?? '';
  if (fragment.startsWith('(?=')) return inputError('regexLookahead', named);
  if (fragment.startsWith('(?!')) return inputError('regexNegativeLookahead', named);
  if (fragment.startsWith('(?<=')) return inputError('regexLookbehind', named);
  if (fragment.startsWith('(?<!')) return inputError('regexNegativeLookbehind', named);
  if (/^\\[1-9]/.test(fragment))
    return inputError('regexBackreference', { ...named, fragment, example: '"(ab)\\1" → "(ab){2}"' });
  if (fragment.startsWith('\\k'))
    return inputError('regexNamedBackreference', { ...named, example: '"(?<x>ab)\\k<x>" → "(ab){2}"' });
  if (fragment.startsWith('\\u'))
    return inputError('regexUnicodeEscape', { ...named, form: '\\x{…}', example: '"\\u00e9" → "\\x{00e9}"' });
  if (description === 'missing closing ]' && fragment.startsWith('[^]')) {
    return inputError('regexAnyCharacter', named);
  }
  if (description === 'invalid escape sequence') {
    return inputError('regexBadEscape', { ...named, fragment, syntax: RE2_SYNTAX });
  }
  if (description === 'invalid repeat count') {
    const [min = 0, max = min] = fragment.match(/\d+/g)?.map(Number) ?? [];
    if (max < min) return inputError('regexRepeatReversed', { ...named, fragment });
    return inputError(max > 1000 ? 'regexRepeatTooMany' : 'regexRepeatNested', { ...named, fragment });
  }
  if (description === 'expression nests too deeply') return inputError('regexTooDeep', named);
  return inputError('regexInvalid', { ...named, detail: `${description}: ${fragment}` });
}

/** A pattern quoted in a message stays short: one line, whatever the user sent. */
function shorten(source: string): string {
  const oneLine = source.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}
