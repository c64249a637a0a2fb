// Every word the live view shows, in English and Simplified Chinese; the language comes from the
// locale (LC_ALL, then LC_MESSAGES, then LANG), as for any terminal program. Both tables have the
// same type, so a string missing in one is a compile error (and test/unit/agent/cli/tui.test.ts checks).

import { cliLang, defineCatalogue } from '../i18n';

export interface Strings {
  title: string;
  up: string;
  agent: string;
  cpuOf: (cores: number) => string;
  mem: string;
  swap: string;
  load: string;
  tasks: string;
  sort: string;
  filter: string;
  tree: string;
  on: string;
  off: string;
  /** Column headers: the CPU column says it is per core. */
  columns: {
    pid: string;
    state: string;
    cpu: string;
    mem: string;
    io: string;
    famCpu: string;
    famMem: string;
    uptime: string;
    name: string;
    command: string;
  };
  keyBar: string;
  filterPrompt: string;
  filterHint: string;
  killPrompt: (target: string) => string;
  killSent: (pid: number, signal: string) => string;
  trendTitle: (name: string, pid: number) => string;
  trendCpu: string;
  trendMem: string;
  trendNone: string;
  waiting: string;
  noMatch: string;
  agentGone: string;
  loading: string;
  detailsTitle: (name: string, pid: number) => string;
  details: {
    command: string;
    exe: string;
    cwd: string;
    container: string;
    threads: string;
    openFiles: string;
    connections: string;
    unreadable: string;
    truncated: (n: number) => string;
  };
  detailsKeys: string;
  helpTitle: string;
  help: string[];
  startedAgent: (pid: number) => string;
}

export const EN: Strings = {
  title: 'process-tracker live',
  up: 'up',
  agent: 'agent',
  cpuOf: (cores) => `CPU of ${cores} cores`,
  mem: 'Mem',
  swap: 'Swap',
  load: 'load',
  tasks: 'processes',
  sort: 'Sort',
  filter: 'Filter',
  tree: 'Tree',
  on: 'on',
  off: 'off',
  columns: {
    pid: 'PID',
    state: 'S',
    cpu: 'CPU%/CORE',
    mem: 'MEM',
    io: 'IO/s',
    famCpu: 'FAMILY%',
    famMem: 'FAM MEM',
    uptime: 'UPTIME',
    name: 'NAME',
    command: 'COMMAND',
  },
  keyBar: 'F1/h Help  / Filter  c/m/d Sort  </> Sort  F5/t Tree  F9/k Kill  Enter Details  q Quit',
  filterPrompt: 'Filter: ',
  filterHint: 'regex on name or command; pid:N user:NAME cat:NAME — Enter apply, Esc cancel',
  killPrompt: (target) => `Send SIGTERM to ${target}? y = SIGTERM, 9 = SIGKILL, any other key = no`,
  killSent: (pid, signal) => `sent ${signal} to ${pid}`,
  trendTitle: (name, pid) => `Trend: ${name} (${pid}), last 1 h`,
  trendCpu: 'CPU',
  trendMem: 'MEM',
  trendNone: 'no history recorded yet',
  waiting: 'waiting for the first sample…',
  noMatch: 'no process matches the filter',
  agentGone: 'the agent went away: reconnecting…',
  loading: 'loading…',
  detailsTitle: (name, pid) => `Details: ${name} (${pid})`,
  details: {
    command: 'Command line',
    exe: 'Executable',
    cwd: 'Working directory',
    container: 'Container',
    threads: 'Threads',
    openFiles: 'Open files',
    connections: 'Connections',
    unreadable: 'unreadable (another user’s process)',
    truncated: (n) => `lists cut at ${n} entries`,
  },
  detailsKeys: '↑/↓ PgUp/PgDn scroll  Esc/q/Enter back',
  helpTitle: 'Keys',
  help: [
    'c / m / d       sort by CPU / memory / disk IO',
    'F6, < and >     previous / next sort key (cpu, mem, io, name)',
    '/               filter: a regular expression on name or command line,',
    '                or pid:N user:NAME cat:NAME; an empty filter shows all',
    'F5 or t         tree view with family totals (a parent plus all its descendants)',
    'F9 or k         kill the selected process (asks first; the agent re-checks it is',
    '                the same process, not a reused pid, right before signalling)',
    'Enter           details: command line, open files, connections, threads',
    '↑ ↓ PgUp PgDn Home End   move the selection',
    'F1 or h         this help;  q, F10 or Ctrl-C   quit',
    '',
    'CPU% is per core: a process busy on two cores shows 200 %. The machine’s CPU',
    'is a share of all its cores. The box below the list is the selected process’s',
    'CPU and memory over the last hour, from the agent’s store.',
  ],
  startedAgent: (pid) =>
    `started the agent (pid ${pid}); it keeps recording — stop it with "process-tracker stop"`,
};

export const ZH_CN: Strings = {
  title: 'process-tracker 实时监控',
  up: '运行',
  agent: '代理',
  cpuOf: (cores) => `CPU（共 ${cores} 核）`,
  mem: '内存',
  swap: '交换',
  load: '负载',
  tasks: '个进程',
  sort: '排序',
  filter: '筛选',
  tree: '树',
  on: '开',
  off: '关',
  columns: {
    pid: 'PID',
    state: 'S',
    cpu: 'CPU%/核',
    mem: '内存',
    io: 'IO/秒',
    famCpu: '家族%',
    famMem: '家族内存',
    uptime: '运行时间',
    name: '名称',
    command: '命令',
  },
  keyBar: 'F1/h 帮助  / 筛选  c/m/d 排序  </> 排序  F5/t 树  F9/k 结束  Enter 详情  q 退出',
  filterPrompt: '筛选：',
  filterHint: '匹配名称或命令的正则；pid:N user:名称 cat:类别 — Enter 应用，Esc 取消',
  killPrompt: (target) => `向 ${target} 发送 SIGTERM？y = SIGTERM，9 = SIGKILL，其他键 = 取消`,
  killSent: (pid, signal) => `已向 ${pid} 发送 ${signal}`,
  trendTitle: (name, pid) => `趋势：${name}（${pid}），最近 1 小时`,
  trendCpu: 'CPU',
  trendMem: '内存',
  trendNone: '尚无历史记录',
  waiting: '等待第一次采样…',
  noMatch: '没有匹配筛选条件的进程',
  agentGone: '代理已退出：正在重新连接…',
  loading: '加载中…',
  detailsTitle: (name, pid) => `详情：${name}（${pid}）`,
  details: {
    command: '命令行',
    exe: '可执行文件',
    cwd: '工作目录',
    container: '容器',
    threads: '线程',
    openFiles: '打开的文件',
    connections: '网络连接',
    unreadable: '无法读取（其他用户的进程）',
    truncated: (n) => `列表截断为 ${n} 项`,
  },
  detailsKeys: '↑/↓ PgUp/PgDn 滚动  Esc/q/Enter 返回',
  helpTitle: '按键',
  help: [
    'c / m / d       按 CPU / 内存 / 磁盘 IO 排序',
    'F6、< 和 >      上一个 / 下一个排序键（cpu、mem、io、name）',
    '/               筛选：匹配名称或命令行的正则表达式，',
    '                或 pid:N user:名称 cat:类别；空筛选显示全部',
    'F5 或 t         树视图，含家族合计（父进程及其全部子孙）',
    'F9 或 k         结束所选进程（先确认；代理在发信号前再次核对',
    '                是同一进程，而不是被复用的 PID）',
    'Enter           详情：命令行、打开的文件、网络连接、线程',
    '↑ ↓ PgUp PgDn Home End   移动选择',
    'F1 或 h         本帮助；q、F10 或 Ctrl-C   退出',
    '',
    'CPU% 按单核计：占用两个核的进程显示 200 %。整机 CPU 是',
    '全部核心的占比。列表下方的框是所选进程最近一小时的',
    'CPU 和内存，来自代理的存储。',
  ],
  startedAgent: (pid) => `已启动代理（pid ${pid}）；它会继续记录 — 用 "process-tracker stop" 停止`,
};

// Registered with the CLI's catalogues, so one test checks `live` with every other command.
defineCatalogue('live', EN, ZH_CN);

/**
 * zh-cn for a Chinese locale (zh_CN, zh_SG, zh_TW, zh_HK…: the one Chinese table), else English;
 * English too when the terminal cannot show Unicode, where Chinese would be only question marks.
 */
export function stringsFor(env: NodeJS.ProcessEnv, unicode: boolean): Strings {
  return unicode && cliLang(env) === 'zh-cn' ? ZH_CN : EN;
}
