// The one-line errors of the shared parsers (times, durations, regexes, categories, filters, the
// data dir) in both languages. Each is thrown as a UserInputError that carries its id and parameters
// (shared/errors.ts `inputError`): its `message` is the English text, what the agent answers and
// logs; the CLI formats the id again in the user's language. A parameter is always what the user
// typed or a name (a flag, a key, a number) or code (an example pattern, whose braces would read
// as parameters in the text), never a translated word.
import { defineMessages, type Lang, type Messages, type Translate } from './catalogue';

export const inputMessages = defineMessages(
  'input',
  {
    timeNotUnderstood:
      'time "{text}" is not understood: write e.g. "2026-11-24 14:32", "14:32", "yesterday 14:32", "2h ago", "-30m", "now" or an ISO time',
    timeNotClock:
      'time "{text}" is not a clock time: write e.g. "2026-11-24 14:32", "14:32", "yesterday 14:32", "2h ago", "-30m", "now" or an ISO time',
    timeNoSuchDate:
      'time "{text}" has no such date: write e.g. "2026-11-24 14:32", "14:32", "yesterday 14:32", "2h ago", "-30m", "now" or an ISO time',
    notADuration:
      '{what} "{text}" is not a duration: write a number with a unit, e.g. 500ms, 2s, 5m, 1h, 7d, 10 seconds',
    unknownCategory: 'unknown category "{value}": use one of {choices}',
    filterPidNotWhole: 'pid "{pid}" is not a process id: give a whole number, e.g. --pid 1234',
    filterPidToken: '"{token}" is not a process id: write pid:1234',
    regexTooLong:
      '{what} "{pattern}" is {length} characters long: give at most {max} (shorten it, or split it)',
    regexTooLarge:
      '{what} "{pattern}" is too large to match quickly ({size} steps, at most {max}): use smaller repeat counts, or fewer alternatives',
    regexInvalid:
      '{what} "{pattern}" is not a valid regular expression ({detail}): fix it, or escape special characters with \\',
    regexLookahead:
      '{what} "{pattern}" uses a lookahead (?=…), which linear-time regular expressions (RE2 syntax) do not support: match the text itself, e.g. "foo(?=bar)" → "foobar"',
    regexNegativeLookahead:
      '{what} "{pattern}" uses a negative lookahead (?!…), which linear-time regular expressions (RE2 syntax) do not support: say what may follow instead, e.g. "node(?!x)" → "node([^x]|$)"',
    regexLookbehind:
      '{what} "{pattern}" uses a lookbehind (?<=…), which linear-time regular expressions (RE2 syntax) do not support: match the text itself, e.g. "(?<=foo)bar" → "foobar"',
    regexNegativeLookbehind:
      '{what} "{pattern}" uses a negative lookbehind (?<!…), which linear-time regular expressions (RE2 syntax) do not support: say what may come before instead, e.g. "(?<!x)node" → "(^|[^x])node"',
    regexBackreference:
      '{what} "{pattern}" uses a backreference {fragment}, which linear-time regular expressions (RE2 syntax) do not support: repeat the group\'s pattern instead, e.g. {example}',
    regexNamedBackreference:
      '{what} "{pattern}" uses a named backreference \\k<…>, which linear-time regular expressions (RE2 syntax) do not support: repeat the group\'s pattern instead, e.g. {example}',
    regexUnicodeEscape:
      '{what} "{pattern}" uses the escape \\u, which linear-time regular expressions (RE2 syntax) do not support: write the code point as {form}, e.g. {example}',
    regexAnyCharacter:
      '{what} "{pattern}" uses [^] for any character, which linear-time regular expressions (RE2 syntax) do not support: write [\\s\\S] instead',
    regexBadEscape:
      '{what} "{pattern}" uses the escape {fragment}, which linear-time regular expressions (RE2 syntax) do not support: escape only punctuation with \\, see {syntax}',
    regexRepeatReversed:
      '{what} "{pattern}" has a repeat count whose maximum is below its minimum ({fragment}): swap them',
    regexRepeatTooMany:
      '{what} "{pattern}" has a repeat count above 1000 ({fragment}): use a smaller count, or + and *',
    regexRepeatNested:
      '{what} "{pattern}" repeats more than 1000 times ({fragment} inside other counted repeats): use smaller counts, or + and *',
    regexTooDeep: '{what} "{pattern}" nests groups too deeply: use fewer parentheses',
    dataDirUnreadable: 'data dir {dir} cannot be read ({detail}): fix its permissions or pass --data-dir',
    dataDirIsFile:
      'data dir {dir} is a file, not a folder: pass --data-dir with a folder, or move the file away',
    dataDirCannotCreate:
      'data dir {dir} cannot be created ({code}): pass --data-dir with a folder you can write',
  },
  {
    timeNotUnderstood:
      '无法理解时间 "{text}"：请写成例如 "2026-11-24 14:32"、"14:32"、"yesterday 14:32"、"2h ago"、"-30m"、"now" 或 ISO 时间',
    timeNotClock:
      '时间 "{text}" 不是有效的钟点：请写成例如 "2026-11-24 14:32"、"14:32"、"yesterday 14:32"、"2h ago"、"-30m"、"now" 或 ISO 时间',
    timeNoSuchDate:
      '时间 "{text}" 中的日期不存在：请写成例如 "2026-11-24 14:32"、"14:32"、"yesterday 14:32"、"2h ago"、"-30m"、"now" 或 ISO 时间',
    notADuration: '{what} "{text}" 不是时长：请写数字加单位，例如 500ms、2s、5m、1h、7d、10 seconds',
    unknownCategory: '未知类别 "{value}"：请使用 {choices} 之一',
    filterPidNotWhole: 'pid "{pid}" 不是进程号：请给出整数，例如 --pid 1234',
    filterPidToken: '"{token}" 不是进程号：请写成 pid:1234',
    regexTooLong: '{what} "{pattern}" 长 {length} 个字符：最多 {max} 个（请缩短或拆分）',
    regexTooLarge:
      '{what} "{pattern}" 太大，无法快速匹配（{size} 步，最多 {max}）：请用更小的重复次数或更少的分支',
    regexInvalid: '{what} "{pattern}" 不是有效的正则表达式（{detail}）：请修正，或用 \\ 转义特殊字符',
    regexLookahead:
      '{what} "{pattern}" 使用了先行断言 (?=…)，线性时间正则表达式（RE2 语法）不支持：请直接匹配文本，例如 "foo(?=bar)" → "foobar"',
    regexNegativeLookahead:
      '{what} "{pattern}" 使用了否定先行断言 (?!…)，线性时间正则表达式（RE2 语法）不支持：请改写后面允许出现的内容，例如 "node(?!x)" → "node([^x]|$)"',
    regexLookbehind:
      '{what} "{pattern}" 使用了后行断言 (?<=…)，线性时间正则表达式（RE2 语法）不支持：请直接匹配文本，例如 "(?<=foo)bar" → "foobar"',
    regexNegativeLookbehind:
      '{what} "{pattern}" 使用了否定后行断言 (?<!…)，线性时间正则表达式（RE2 语法）不支持：请改写前面允许出现的内容，例如 "(?<!x)node" → "(^|[^x])node"',
    regexBackreference:
      '{what} "{pattern}" 使用了反向引用 {fragment}，线性时间正则表达式（RE2 语法）不支持：请重复该分组的模式，例如 {example}',
    regexNamedBackreference:
      '{what} "{pattern}" 使用了命名反向引用 \\k<…>，线性时间正则表达式（RE2 语法）不支持：请重复该分组的模式，例如 {example}',
    regexUnicodeEscape:
      '{what} "{pattern}" 使用了转义 \\u，线性时间正则表达式（RE2 语法）不支持：请把码点写成 {form}，例如 {example}',
    regexAnyCharacter:
      '{what} "{pattern}" 用 [^] 表示任意字符，线性时间正则表达式（RE2 语法）不支持：请改写为 [\\s\\S]',
    regexBadEscape:
      '{what} "{pattern}" 使用了转义 {fragment}，线性时间正则表达式（RE2 语法）不支持：只用 \\ 转义标点符号，参见 {syntax}',
    regexRepeatReversed: '{what} "{pattern}" 的重复次数最大值小于最小值（{fragment}）：请交换二者',
    regexRepeatTooMany: '{what} "{pattern}" 的重复次数超过 1000（{fragment}）：请用更小的次数，或用 + 和 *',
    regexRepeatNested:
      '{what} "{pattern}" 重复超过 1000 次（{fragment} 位于其他计数重复之内）：请用更小的次数，或用 + 和 *',
    regexTooDeep: '{what} "{pattern}" 的分组嵌套太深：请减少括号',
    dataDirUnreadable: '无法读取数据目录 {dir}（{detail}）：请修正其权限，或用 --data-dir 指定',
    dataDirIsFile: '数据目录 {dir} 是一个文件而不是文件夹：请用 --data-dir 指定文件夹，或把该文件移走',
    dataDirCannotCreate: '无法创建数据目录 {dir}（{code}）：请用 --data-dir 指定一个可写的文件夹',
  },
);

/** The ids and parameters of this catalogue, for `inputError`. */
export type InputMessages = typeof inputMessages extends (lang: Lang) => Translate<infer M extends Messages>
  ? M
  : never;
