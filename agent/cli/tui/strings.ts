// Every word the live view shows, in English and Simplified Chinese: a catalogue of the one design
// (shared/i18n/catalogue.ts; test/unit/shared/i18n.test.ts checks both languages and their
// parameters), read into the `Strings` the view draws with. The language comes from the locale
// (agent/cli/i18n cliLang), as for any terminal program.

import { defineMessages, type Lang } from '../../../shared/i18n/catalogue';
import { cliLang } from '../i18n';

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

export const liveMessages = defineMessages(
  'live',
  {
    title: 'process-tracker live',
    up: 'up',
    agent: 'agent',
    cpuOf: 'CPU of {cores} cores',
    mem: 'Mem',
    swap: 'Swap',
    load: 'load',
    tasks: 'processes',
    sort: 'Sort',
    filter: 'Filter',
    tree: 'Tree',
    on: 'on',
    off: 'off',
    colPid: 'PID',
    colState: 'S',
    colCpu: 'CPU%/CORE',
    colMem: 'MEM',
    colIo: 'IO/s',
    colFamCpu: 'FAMILY%',
    colFamMem: 'FAM MEM',
    colUptime: 'UPTIME',
    colName: 'NAME',
    colCommand: 'COMMAND',
    keyBar: 'F1/h Help  / Filter  c/m/d Sort  </> Sort  F5/t Tree  F9/k Kill  Enter Details  q Quit',
    filterPrompt: 'Filter: ',
    filterHint: 'regex on name or command; pid:N user:NAME cat:NAME — Enter apply, Esc cancel',
    killPrompt: 'Send SIGTERM to {target}? y = SIGTERM, 9 = SIGKILL, any other key = no',
    killSent: 'sent {signal} to {pid}',
    trendTitle: 'Trend: {name} ({pid}), last 1 h',
    trendCpu: 'CPU',
    trendMem: 'MEM',
    trendNone: 'no history recorded yet',
    waiting: 'waiting for the first sample…',
    noMatch: 'no process matches the filter',
    agentGone: 'the agent went away: reconnecting…',
    loading: 'loading…',
    detailsTitle: 'Details: {name} ({pid})',
    detailCommand: 'Command line',
    detailExe: 'Executable',
    detailCwd: 'Working directory',
    detailContainer: 'Container',
    detailThreads: 'Threads',
    detailOpenFiles: 'Open files',
    detailConnections: 'Connections',
    detailUnreadable: 'unreadable (another user’s process)',
    detailTruncated: 'lists cut at {count} entries',
    detailsKeys: '↑/↓ PgUp/PgDn scroll  Esc/q/Enter back',
    helpTitle: 'Keys',
    help: 'c / m / d       sort by CPU / memory / disk IO\nF6, < and >     previous / next sort key (cpu, mem, io, name)\n/               filter: a regular expression on name or command line,\n                or pid:N user:NAME cat:NAME; an empty filter shows all\nF5 or t         tree view with family totals (a parent plus all its descendants)\nF9 or k         kill the selected process (asks first; the agent re-checks it is\n                the same process, not a reused pid, right before signalling)\nEnter           details: command line, open files, connections, threads\n↑ ↓ PgUp PgDn Home End   move the selection\nF1 or h         this help;  q, F10 or Ctrl-C   quit\n\nCPU% is per core: a process busy on two cores shows 200 %. The machine’s CPU\nis a share of all its cores. The box below the list is the selected process’s\nCPU and memory over the last hour, from the agent’s store.',
    startedAgent: 'started the agent (pid {pid}); it keeps recording — stop it with "process-tracker stop"',
  },
  {
    title: 'process-tracker 实时监控',
    up: '运行',
    agent: '代理',
    cpuOf: 'CPU（共 {cores} 核）',
    mem: '内存',
    swap: '交换',
    load: '负载',
    tasks: '个进程',
    sort: '排序',
    filter: '筛选',
    tree: '树',
    on: '开',
    off: '关',
    colPid: 'PID',
    colState: 'S',
    colCpu: 'CPU%/核',
    colMem: '内存',
    colIo: 'IO/秒',
    colFamCpu: '家族%',
    colFamMem: '家族内存',
    colUptime: '运行时间',
    colName: '名称',
    colCommand: '命令',
    keyBar: 'F1/h 帮助  / 筛选  c/m/d 排序  </> 排序  F5/t 树  F9/k 结束  Enter 详情  q 退出',
    filterPrompt: '筛选：',
    filterHint: '匹配名称或命令的正则；pid:N user:名称 cat:类别 — Enter 应用，Esc 取消',
    killPrompt: '向 {target} 发送 SIGTERM？y = SIGTERM，9 = SIGKILL，其他键 = 取消',
    killSent: '已向 {pid} 发送 {signal}',
    trendTitle: '趋势：{name}（{pid}），最近 1 小时',
    trendCpu: 'CPU',
    trendMem: '内存',
    trendNone: '尚无历史记录',
    waiting: '等待第一次采样…',
    noMatch: '没有匹配筛选条件的进程',
    agentGone: '代理已退出：正在重新连接…',
    loading: '加载中…',
    detailsTitle: '详情：{name}（{pid}）',
    detailCommand: '命令行',
    detailExe: '可执行文件',
    detailCwd: '工作目录',
    detailContainer: '容器',
    detailThreads: '线程',
    detailOpenFiles: '打开的文件',
    detailConnections: '网络连接',
    detailUnreadable: '无法读取（其他用户的进程）',
    detailTruncated: '列表截断为 {count} 项',
    detailsKeys: '↑/↓ PgUp/PgDn 滚动  Esc/q/Enter 返回',
    helpTitle: '按键',
    help: 'c / m / d       按 CPU / 内存 / 磁盘 IO 排序\nF6、< 和 >      上一个 / 下一个排序键（cpu、mem、io、name）\n/               筛选：匹配名称或命令行的正则表达式，\n                或 pid:N user:名称 cat:类别；空筛选显示全部\nF5 或 t         树视图，含家族合计（父进程及其全部子孙）\nF9 或 k         结束所选进程（先确认；代理在发信号前再次核对\n                是同一进程，而不是被复用的 PID）\nEnter           详情：命令行、打开的文件、网络连接、线程\n↑ ↓ PgUp PgDn Home End   移动选择\nF1 或 h         本帮助；q、F10 或 Ctrl-C   退出\n\nCPU% 按单核计：占用两个核的进程显示 200 %。整机 CPU 是\n全部核心的占比。列表下方的框是所选进程最近一小时的\nCPU 和内存，来自代理的存储。',
    startedAgent: '已启动代理（pid {pid}）；它会继续记录 — 用 "process-tracker stop" 停止',
  },
);

/** The view's words in one language, read from the catalogue once. */
function stringsIn(lang: Lang): Strings {
  const t = liveMessages(lang);
  return {
    title: t('title'),
    up: t('up'),
    agent: t('agent'),
    cpuOf: (cores) => t('cpuOf', { cores }),
    mem: t('mem'),
    swap: t('swap'),
    load: t('load'),
    tasks: t('tasks'),
    sort: t('sort'),
    filter: t('filter'),
    tree: t('tree'),
    on: t('on'),
    off: t('off'),
    columns: {
      pid: t('colPid'),
      state: t('colState'),
      cpu: t('colCpu'),
      mem: t('colMem'),
      io: t('colIo'),
      famCpu: t('colFamCpu'),
      famMem: t('colFamMem'),
      uptime: t('colUptime'),
      name: t('colName'),
      command: t('colCommand'),
    },
    keyBar: t('keyBar'),
    filterPrompt: t('filterPrompt'),
    filterHint: t('filterHint'),
    killPrompt: (target) => t('killPrompt', { target }),
    killSent: (pid, signal) => t('killSent', { pid, signal }),
    trendTitle: (name, pid) => t('trendTitle', { name, pid }),
    trendCpu: t('trendCpu'),
    trendMem: t('trendMem'),
    trendNone: t('trendNone'),
    waiting: t('waiting'),
    noMatch: t('noMatch'),
    agentGone: t('agentGone'),
    loading: t('loading'),
    detailsTitle: (name, pid) => t('detailsTitle', { name, pid }),
    details: {
      command: t('detailCommand'),
      exe: t('detailExe'),
      cwd: t('detailCwd'),
      container: t('detailContainer'),
      threads: t('detailThreads'),
      openFiles: t('detailOpenFiles'),
      connections: t('detailConnections'),
      unreadable: t('detailUnreadable'),
      truncated: (n) => t('detailTruncated', { count: n }),
    },
    detailsKeys: t('detailsKeys'),
    helpTitle: t('helpTitle'),
    help: t('help').split('\n'),
    startedAgent: (pid) => t('startedAgent', { pid }),
  };
}

export const EN: Strings = stringsIn('en');
export const ZH_CN: Strings = stringsIn('zh-cn');

/**
 * zh-cn for a Chinese locale (zh_CN, zh_SG, zh_TW, zh_HK…: the one Chinese table), else English;
 * English too when the terminal cannot show Unicode, where Chinese would be only question marks.
 */
export function stringsFor(env: NodeJS.ProcessEnv, unicode: boolean): Strings {
  return unicode && cliLang(env) === 'zh-cn' ? ZH_CN : EN;
}
