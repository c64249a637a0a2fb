// The CLI's own words: `--help`, the one-line errors of its argument parser (exit 2), and the
// table headers and lines of top / today|week|month / at. One catalogue design with the panel's
// (shared/i18n/catalogue.ts); the language is the locale's (cliLang).
import { defineMessages } from '../../../shared/i18n/catalogue';
import { cliLang } from '.';

const HELP_EN = `process-tracker — long-term per-process history of this machine

Usage:
  process-tracker run     [--data-dir DIR] [--interval 2s] [--quiet] [--alerts FILE] [--stop-after-idle 30m]
                          [--metrics 127.0.0.1:9464] [--metrics-config FILE]
                          record in the foreground, printing a compact live top (Ctrl-C stops);
                          --metrics serves /metrics for Prometheus (auth, TLS: ~/.config/process-tracker/metrics.yaml)
                          [--influx URL] [--influx-config FILE]
                          --influx pushes to InfluxDB 1.x or 2.x (database or bucket, credentials:
                          ~/.config/process-tracker/influx.yaml); kept in an outbox while it is down
                          [--http 127.0.0.1:8765] [--http-cert FILE --http-key FILE]
                          --http serves the history panel to a browser; prints its URL with a token
                          once (the token file: status --json); off loopback it needs TLS
  process-tracker top     [-n 10] [--sort {sortKeys}] [filters] [--json]
  process-tracker live    [--sort …] [filters] [-n N] [--interval 2s] [--ascii]
                          full-screen view on the agent (started if none runs); F1 in it lists the keys
  process-tracker today | week | month   [filters] [-n 20] [--sort …] [--json]
  process-tracker at TIME [filters] [--json]      e.g. at "2026-11-24 14:32", at "yesterday 14:32", at -30m
  process-tracker export  --format {exportFormats} [--from TIME] [--to TIME] [filters] [--out FILE]
                          influx: InfluxDB line protocol, ns timestamps (README "InfluxDB")
  process-tracker report  [today|week|month | --from TIME --to TIME] [-n 20] [--idle-for 2d] [--json]
                          findings (leak, restart_loop, anomaly, trend, waste) and efficiency per name;
                          waste: alive, ≥ 256 MiB and ≤ 0.5 % of a core for --idle-for;
                          --container ID|NAME: only those about one container (its id, 4+ first
                          characters of it, or its name)
  process-tracker explain TIME [-n 10] [--json]   why was it slow then: processes furthest from their baseline
  process-tracker runs    [--from TIME] [--to TIME] [-n 20] [--json]
                          VS Code task runs and terminal commands: time, peak memory, exit, against earlier runs
  process-tracker status  [--json]      the running agent's state
  process-tracker stop                  stop the running agent (final flush)
  process-tracker service install | uninstall     start the agent at login (systemd user unit)
  process-tracker alerts validate [FILE] | test RULE | history [-n 20] [--json]
  process-tracker demo-data --days N [--processes 600] --data-dir DIR
                          generated history for demos and benchmarks, into an empty folder

Filters:
  --filter REGEX      name or command line (case-insensitive)
  --pid N  --category NAME  --user NAME
  --container ID      a container's id (or 4+ first characters; lxc: its name), as in the CONTAINER column
Options:
  --data-dir DIR      store folder (default: $PROCESS_TRACKER_DATA_DIR, else ~/.local/share/process-tracker)
  --json              print one JSON document
  -h, --help          -v, --version
`;

const HELP_ZH = `process-tracker — 本机按进程的长期历史记录

用法：
  process-tracker run     [--data-dir 目录] [--interval 2s] [--quiet] [--alerts 文件] [--stop-after-idle 30m]
                          [--metrics 127.0.0.1:9464] [--metrics-config 文件]
                          在前台记录，并打印简洁的实时 top（Ctrl-C 停止）；
                          --metrics 为 Prometheus 提供 /metrics（认证、TLS：~/.config/process-tracker/metrics.yaml）
                          [--influx URL] [--influx-config 文件]
                          --influx 推送到 InfluxDB 1.x 或 2.x（数据库或 bucket、凭据：
                          ~/.config/process-tracker/influx.yaml）；对方不可用时暂存在发件箱
                          [--http 127.0.0.1:8765] [--http-cert 文件 --http-key 文件]
                          --http 在浏览器中提供历史面板；只打印一次带令牌的 URL
                          （令牌文件见 status --json）；非回环地址需要 TLS
  process-tracker top     [-n 10] [--sort {sortKeys}] [筛选] [--json]
  process-tracker live    [--sort …] [筛选] [-n N] [--interval 2s] [--ascii]
                          代理的全屏视图（没有代理时会启动一个）；在其中按 F1 查看按键
  process-tracker today | week | month   [筛选] [-n 20] [--sort …] [--json]
  process-tracker at 时间 [筛选] [--json]         例如 at "2026-11-24 14:32"、at "yesterday 14:32"、at -30m
  process-tracker export  --format {exportFormats} [--from 时间] [--to 时间] [筛选] [--out 文件]
                          influx：InfluxDB 行协议，纳秒时间戳（README 的 "InfluxDB" 一节）
  process-tracker report  [today|week|month | --from 时间 --to 时间] [-n 20] [--idle-for 2d] [--json]
                          按名称的发现（leak、restart_loop、anomaly、trend、waste）和效率；
                          waste：在 --idle-for 时长内一直存活、≥ 256 MiB 且 ≤ 单核 0.5%；
                          --container ID|名称：只看某个容器的（其 ID、ID 的前 4 个以上字符或其名称）
  process-tracker explain 时间 [-n 10] [--json]   当时为什么慢：偏离基线最远的进程
  process-tracker runs    [--from 时间] [--to 时间] [-n 20] [--json]
                          VS Code 任务和终端命令：耗时、内存峰值、退出码，与之前的运行对比
  process-tracker status  [--json]      正在运行的代理的状态
  process-tracker stop                  停止正在运行的代理（最后写盘一次）
  process-tracker service install | uninstall     登录时启动代理（systemd 用户单元）
  process-tracker alerts validate [文件] | test 规则 | history [-n 20] [--json]
  process-tracker demo-data --days N [--processes 600] --data-dir 目录
                          为演示和基准测试生成历史数据，写入一个空文件夹

筛选：
  --filter 正则       名称或命令行（不区分大小写）
  --pid N  --category 类别  --user 用户名
  --container ID      容器 ID（或其前 4 个以上字符；lxc：其名称），与“容器”列相同
选项：
  --data-dir 目录     存储文件夹（默认：$PROCESS_TRACKER_DATA_DIR，否则 ~/.local/share/process-tracker）
  --json              输出一个 JSON 文档
  -h, --help          -v, --version
`;

export const cliMessages = defineMessages(
  'cli',
  {
    help: HELP_EN,
    // The argument parser's one-line errors (exit 2)
    needsValue: '{option} needs a value: e.g. {example}',
    needsValueBefore:
      '{option} needs a value before "{value}": e.g. {example} (a value that begins with a dash: {long}={value})',
    unknownOption: 'unknown option "{option}": run "process-tracker --help" for the options',
    badArguments: '{problem}: run "process-tracker --help" for the options',
    notCount: '-n "{value}" is not a count: give a whole number of rows, e.g. -n 10',
    notCountEvents: '-n "{value}" is not a count: give a whole number of events, e.g. -n 20',
    notSortKey: '--sort "{value}" is not a sort key: use one of {keys}',
    notPid: '--pid "{value}" is not a process id: give a whole number, e.g. --pid 1234',
    intervalTooShort: '--interval "{value}" is too short: use at least {min}ms, e.g. --interval 2s',
    idleForRange: '--idle-for "{value}" is out of range: give 1m to 366d, e.g. --idle-for 2d',
    noArgument: '"{command}" takes no argument "{argument}": run "process-tracker {command} --help"',
    optionNotForCommand:
      '"{command}" does not take {option}: run "process-tracker {command} --help" for its options',
    atNeedsTime: '"at" needs a time: e.g. process-tracker at "2026-11-24 14:32"',
    explainNeedsTime: '"explain" needs a time: e.g. process-tracker explain 14:30',
    inFuture: 'time "{time}" is in the future: give a past time',
    notExportFormat: '--format "{value}" is not an export format: use {formats}',
    fromBeforeTo: '--from must be before --to: swap them, or widen the range',
    notRange: 'report "{value}" is not a range: use today, week, month or --from T --to T',
    rangeAndFromTo: 'report {range} takes no --from/--to: give one or the other',
    serviceNeedsAction: '"service" needs an action: process-tracker service install | uninstall',
    alertsNeedsAction: '"alerts" needs an action: validate [FILE], test RULE or history',
    unknownAlertsAction: 'unknown alerts action "{action}": use validate [FILE], test RULE or history',
    alertsTestNeedsRule: '"alerts test" needs a rule name: process-tracker alerts test RULE',
    alertsOneArgument:
      '"alerts {action}" takes one argument, not "{argument}": quote a name or path with spaces',
    unknownCommand: 'unknown command "{name}": run "process-tracker --help" for the commands',
    outIsFolder: '--out {file} is a folder: give a file name, e.g. --out {example}',
    agentCouldNotAnswer: 'the agent could not answer: {reason}',
    outFolderMissing:
      '--out {file} cannot be written: its folder {folder} does not exist; create the folder or choose another',
    outFolderIsFile:
      '--out {file} cannot be written: its folder {folder} is a file; create the folder or choose another',
    // Tables
    machineLine:
      'Machine CPU {cpu}% of {cores} cores · Mem {memUsed}/{memTotal} · Swap {swapUsed}/{swapTotal} · load {load} · {count} processes',
    colPid: 'PID',
    colName: 'NAME',
    colCpuCore: 'CPU%/CORE',
    colMem: 'MEM',
    colRead: 'READ',
    colWrite: 'WRITE',
    colWritten: 'WRITTEN',
    colCategory: 'CATEGORY',
    colUser: 'USER',
    colContainer: 'CONTAINER',
    colCommand: 'COMMAND',
    colActive: 'ACTIVE',
    colCpuAvg: 'CPU%/CORE AVG',
    colCpuPeak: 'CPU%/CORE PEAK',
    colCpuSec: 'CPU-SEC',
    colMemAvg: 'MEM AVG',
    colMemPeak: 'MEM PEAK',
    colStarts: 'STARTS',
    statsRange: '{from} → {to} ({resolution})',
    atNothing: 'Nothing recorded at {time}: the store holds no sample at or before that time.',
    atHeader: 'At {time} — from {resolution} at {sampleTime}',
  },
  {
    help: HELP_ZH,
    needsValue: '{option} 需要一个值：例如 {example}',
    needsValueBefore:
      '{option} 在 "{value}" 之前需要一个值：例如 {example}（以短横线开头的值写作 {long}={value}）',
    unknownOption: '未知选项 "{option}"：运行 "process-tracker --help" 查看选项',
    badArguments: '{problem}：运行 "process-tracker --help" 查看选项',
    notCount: '-n "{value}" 不是数量：请给出整数行数，例如 -n 10',
    notCountEvents: '-n "{value}" 不是数量：请给出整数事件数，例如 -n 20',
    notSortKey: '--sort "{value}" 不是排序键：请使用 {keys} 之一',
    notPid: '--pid "{value}" 不是进程 ID：请给出整数，例如 --pid 1234',
    intervalTooShort: '--interval "{value}" 太短：至少 {min}ms，例如 --interval 2s',
    idleForRange: '--idle-for "{value}" 超出范围：请给 1m 到 366d，例如 --idle-for 2d',
    noArgument: '"{command}" 不接受参数 "{argument}"：运行 "process-tracker {command} --help"',
    optionNotForCommand:
      '"{command}" 不接受选项 {option}：运行 "process-tracker {command} --help" 查看它的选项',
    atNeedsTime: '"at" 需要一个时间：例如 process-tracker at "2026-11-24 14:32"',
    explainNeedsTime: '"explain" 需要一个时间：例如 process-tracker explain 14:30',
    inFuture: '时间 "{time}" 在未来：请给出过去的时间',
    notExportFormat: '--format "{value}" 不是导出格式：请使用 {formats}',
    fromBeforeTo: '--from 必须早于 --to：交换两者，或扩大范围',
    notRange: 'report "{value}" 不是范围：请使用 today、week、month 或 --from T --to T',
    rangeAndFromTo: 'report {range} 不接受 --from/--to：二者选其一',
    serviceNeedsAction: '"service" 需要一个动作：process-tracker service install | uninstall',
    alertsNeedsAction: '"alerts" 需要一个动作：validate [文件]、test 规则 或 history',
    unknownAlertsAction: '未知的 alerts 动作 "{action}"：请使用 validate [文件]、test 规则 或 history',
    alertsTestNeedsRule: '"alerts test" 需要规则名：process-tracker alerts test 规则',
    alertsOneArgument: '"alerts {action}" 只接受一个参数，而不是 "{argument}"：含空格的名称或路径请加引号',
    unknownCommand: '未知命令 "{name}"：运行 "process-tracker --help" 查看命令',
    outIsFolder: '--out {file} 是一个文件夹：请给出文件名，例如 --out {example}',
    agentCouldNotAnswer: '代理无法回答：{reason}',
    outFolderMissing: '--out {file} 无法写入：其文件夹 {folder} 不存在；请创建该文件夹或另选一个',
    outFolderIsFile: '--out {file} 无法写入：其文件夹 {folder} 是一个文件；请创建该文件夹或另选一个',
    machineLine:
      '整机 CPU {cpu}%（共 {cores} 核）· 内存 {memUsed}/{memTotal} · 交换 {swapUsed}/{swapTotal} · 负载 {load} · {count} 个进程',
    colPid: 'PID',
    colName: '名称',
    colCpuCore: 'CPU%/核',
    colMem: '内存',
    colRead: '读取',
    colWrite: '写入',
    colWritten: '写入量',
    colCategory: '类别',
    colUser: '用户',
    colContainer: '容器',
    colCommand: '命令',
    colActive: '活跃时间',
    colCpuAvg: 'CPU%/核 平均',
    colCpuPeak: 'CPU%/核 峰值',
    colCpuSec: 'CPU 秒',
    colMemAvg: '内存平均',
    colMemPeak: '内存峰值',
    colStarts: '启动次数',
    statsRange: '{from} → {to}（{resolution}）',
    atNothing: '{time} 没有记录：存储中没有该时间或之前的采样。',
    atHeader: '{time} — 来自 {sampleTime} 的{resolution}',
  },
);

/** The CLI's words in the locale's language (LC_ALL, LC_MESSAGES, LANG), read when asked. */
export function cliText(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof cliMessages> {
  return cliMessages(cliLang(env));
}
