// The command line in Chinese: the real agent binary under LANG=zh_CN.UTF-8 prints its help, its
// one-line errors (exit 2) and its tables in Chinese, aligned by terminal cells; LANGUAGE picks
// the language as gettext does; a C locale or English locale stays English.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { textWidth } from '../../agent/cli/tui/text';
import { cli, expectBadInput, requireBuild, tempDir } from './agentHarness';

/** Only LANG decides (the runner's LC_ALL / LC_MESSAGES / LANGUAGE are blanked). */
const locale = (lang: string, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  LANG: lang,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANGUAGE: '',
  ...more,
});
const ZH = locale('zh_CN.UTF-8');

describe('process-tracker in Chinese (LANG=zh_CN.UTF-8)', () => {
  const work = tempDir('pt-cli-zh-');
  const dataDir = path.join(work.dir, 'data');
  const plainFile = path.join(work.dir, 'plain-file');
  const env = (lang: NodeJS.ProcessEnv) => ({ ...lang, XDG_RUNTIME_DIR: path.join(work.dir, 'run') });

  before(async () => {
    requireBuild();
    writeFileSync(plainFile, '');
    const made = await cli(
      ['demo-data', '--days', '1', '--processes', '6', '--data-dir', dataDir],
      env(ZH),
      120_000,
    );
    assert.equal(made.status, 0, made.stderr);
  });
  after(() => work.remove());

  test('--help in Chinese; English under C, en_US and LANGUAGE=en', async () => {
    const zh = await cli(['--help'], env(ZH));
    assert.equal(zh.status, 0);
    assert.match(zh.stdout, /^process-tracker — 本机按进程的长期历史记录/);
    assert.match(zh.stdout, /用法：[\s\S]*筛选：[\s\S]*选项：/);
    assert.doesNotMatch(zh.stdout, /Usage:|Filters:|record in the foreground/);
    for (const english of [
      locale('C.UTF-8'),
      locale('en_US.UTF-8'),
      locale('zh_CN.UTF-8', { LANGUAGE: 'en_US:zh_CN' }),
      locale('C', { LANGUAGE: 'zh_CN' }),
    ]) {
      const en = await cli(['--help'], env(english));
      assert.match(
        en.stdout,
        /^process-tracker — long-term per-process history[\s\S]*Usage:/,
        JSON.stringify(english),
      );
    }
    const language = await cli(['--help'], env(locale('en_US.UTF-8', { LANGUAGE: 'zh_CN:en' })));
    assert.match(language.stdout, /用法：/, 'LANGUAGE before LANG, as gettext');
  });

  test('bad input: one Chinese line naming the problem and the fix, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['top', '--bogus'], /^process-tracker: 未知选项 "--bogus"：运行 "process-tracker --help" 查看选项$/],
      [
        ['month', '--sort', 'size', '--data-dir', dataDir],
        /--sort "size" 不是排序键：请使用 cpu, mem, io, name 之一/,
      ],
      [['top', '-n', '-5'], /-n "-5" 不是数量/],
      [['export', '--from', '-30m', '--to', '-1h', '--data-dir', dataDir], /--from 必须早于 --to/],
      [['frobnicate'], /未知命令 "frobnicate"/],
      [['fleet'], /^process-tracker: fleet 需要一个 Prometheus 服务器：--prometheus http/],
      [
        ['export', '--out', work.dir, '--data-dir', dataDir],
        /--out .* 是一个文件夹：请给出文件名，例如 --out /,
      ],
    ];
    for (const [args, message] of cases) await expectBadInput(args, env(ZH), message);
  });

  // The shared parsers' errors (times, durations, regexes, categories, filter pids) from their own
  // catalogue: the same id the agent answers in English, said in the user's language.
  const parserCases: Array<[string[], RegExp, RegExp]> = [
    [
      ['export', '--from', 'tomorrow', '--data-dir', dataDir],
      /^process-tracker: 无法理解时间 "tomorrow"：请写成例如 "2026-11-24 14:32"、.*"now" 或 ISO 时间$/,
      /^process-tracker: time "tomorrow" is not understood: write e\.g\. /,
    ],
    [
      ['export', '--from', '25:00', '--data-dir', dataDir],
      /^process-tracker: 时间 "25:00" 不是有效的钟点：请写成例如 /,
      /^process-tracker: time "25:00" is not a clock time: write e\.g\. /,
    ],
    [
      ['export', '--from', '2026-02-30', '--data-dir', dataDir],
      /^process-tracker: 时间 "2026-02-30" 中的日期不存在：请写成例如 /,
      /^process-tracker: time "2026-02-30" has no such date: write e\.g\. /,
    ],
    [
      ['run', '--interval', 'soon', '--data-dir', dataDir],
      /^process-tracker: --interval "soon" 不是时长：请写数字加单位，例如 500ms、2s/,
      /^process-tracker: --interval "soon" is not a duration: write a number with a unit/,
    ],
    [
      ['top', '--filter', 'node(?!x)'],
      /^process-tracker: --filter "node\(\?!x\)" 使用了否定先行断言 \(\?!…\)，.*RE2.*不支持：请改写后面允许出现的内容，例如 "node\(\?!x\)" → "node\(\[\^x\]\|\$\)"$/,
      /^process-tracker: --filter "node\(\?!x\)" uses a negative lookahead/,
    ],
    [
      ['top', '--filter', '(['],
      /^process-tracker: --filter "\(\[" 不是有效的正则表达式（.*）：请修正，或用 \\ 转义特殊字符$/,
      /^process-tracker: --filter "\(\[" is not a valid regular expression/,
    ],
    [
      ['top', '--filter', 'a{2000}'],
      /^process-tracker: --filter "a\{2000\}" 的重复次数超过 1000（\{2000\}）：请用更小的次数，或用 \+ 和 \*$/,
      /^process-tracker: --filter "a\{2000\}" has a repeat count above 1000/,
    ],
    [
      ['today', '--data-dir', plainFile],
      /^process-tracker: 数据目录 .*plain-file 是一个文件而不是文件夹：请用 --data-dir 指定文件夹，或把该文件移走$/,
      /^process-tracker: data dir .*plain-file is a file, not a folder: pass --data-dir with a folder/,
    ],
    [
      ['top', '--category', 'games'],
      /^process-tracker: 未知类别 "games"：请使用 .*browser.* 之一$/,
      /^process-tracker: unknown category "games": use one of /,
    ],
  ];

  test("the shared parsers' errors: one Chinese line naming the input and the fix, exit 2", async () => {
    for (const [args, message] of parserCases) await expectBadInput(args, env(ZH), message);
  });

  test("the shared parsers' errors stay English under en_US and C", async () => {
    for (const [args, , english] of parserCases)
      for (const lang of [locale('en_US.UTF-8'), locale('C')]) {
        const result = await cli(args, env(lang));
        assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr.trim(), english);
        assert.doesNotMatch(result.stderr, /[\u4e00-\u9fff]/);
      }
  });

  test('today: Chinese headers and resolution, columns aligned in terminal cells', async () => {
    const result = await cli(['today', '--data-dir', dataDir, '-n', '5'], env(ZH));
    assert.equal(result.status, 0, result.stderr);
    const [range, header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(range!, /（1 分钟平均值）$|（原始采样（2 秒））$/);
    assert.match(
      header!,
      /^名称\s+活跃时间\s+CPU%\/核 平均\s+CPU%\/核 峰值\s+CPU 秒\s+内存平均\s+内存峰值\s+读取\s+写入量\s+启动次数$/,
    );
    assert.ok(rows.length > 0, result.stdout);
    // Right-aligned columns end where their header ends: the last column's header and cells.
    for (const row of rows) assert.equal(textWidth(row), textWidth(header!), `${header}\n${row}`);
    assert.doesNotMatch(result.stdout, /NAME|ACTIVE|averages/);
  });

  test('runs, report and alerts history in Chinese', async () => {
    const runs = await cli(['runs', '--data-dir', dataDir], env(ZH));
    assert.equal(runs.status, 0, runs.stderr);
    assert.match(runs.stdout, /^还没有运行记录：/);
    const report = await cli(['report', 'today', '--data-dir', dataDir], env(ZH));
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, /^发现 /);
    assert.match(report.stdout, /效率（存活期间每秒实际时间的 CPU 秒数，内存变异系数）/);
    assert.match(report.stdout, /^名称\s+CPU%\/核\s+CPU 秒\s+存活秒/m);
    const alerts = await cli(['alerts', 'history', '--data-dir', dataDir], env(ZH));
    assert.equal(alerts.status, 0, alerts.stderr);
    assert.match(alerts.stdout, /^还没有告警事件，来自 .*（没有代理在运行）$/m);
  });

  test('top: the machine line and the process table in Chinese', async () => {
    const result = await cli(['top', '-n', '3', '--data-dir', path.join(work.dir, 'empty')], env(ZH));
    assert.equal(result.status, 0, result.stderr);
    const [machine, header] = result.stdout.split('\n');
    assert.match(machine!, /^整机 CPU [\d.]+%（共 \d+ 核）· 内存 .* · 负载 .* · \d+ 个进程$/);
    assert.match(header!, /^\s*PID\s+名称\s+CPU%\/核\s+内存\s+读取\s+写入\s+类别\s+用户\s+(容器\s+)?命令$/);
  });
});
