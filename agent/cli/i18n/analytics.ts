// `report`, `explain` (agent/cli/analytics.ts), `runs` (agent/cli/runs.ts) and `fleet`
// (agent/cli/fleet.ts). A finding's own
// sentence comes with both languages from the analytics (Finding.summary en / zh).
import { defineMessages } from '../../../shared/i18n/catalogue';

export const analyticsMessages = defineMessages(
  'analytics',
  {
    findings: 'Findings {from} – {to}',
    now: 'now',
    none: '  none',
    efficiency: 'Efficiency (CPU-seconds per wall-second while alive, memory coefficient of variation)',
    colName: 'NAME',
    colCpuCore: 'CPU%/CORE',
    colCpuSec: 'CPU-S',
    colAliveSec: 'ALIVE-S',
    colMemAvg: 'MEM AVG',
    colMemPeak: 'MEM PEAK',
    colMemCv: 'MEM CV',
    colStarts: 'STARTS',
    nothingAt: 'Nothing recorded at {time}: the store holds no sample at or before that time.',
    explainAt: 'At {time} (sample {sampleTime})',
    furthest: 'Processes furthest from their own baseline:',
    colPid: 'PID',
    colCpu: 'CPU%',
    colBaseCpu: 'BASE CPU%',
    colMem: 'MEM',
    colBaseMem: 'BASE MEM',
    colBaseline: 'BASELINE',
    colScore: 'SCORE',
    openThen: 'Findings open then:',
    containersThen: 'Containers started or stopped around then:',
    containerStart: 'start',
    containerStop: 'stop',
    noRuns: 'No runs yet: task runs and terminal commands in VS Code (with the extension) become runs.',
    colStarted: 'STARTED',
    colSource: 'SOURCE',
    colCommand: 'COMMAND',
    colRun: 'RUN',
    colRead: 'READ',
    colWritten: 'WRITTEN',
    colAgainst: 'AGAINST EARLIER RUNS',
    fleetHelp: `process-tracker fleet --prometheus URL [--json] [--job NAME] [-n N]

Every machine the Prometheus at URL scrapes a Process Tracker agent on (run each agent with
--metrics; README "Many machines"), with its CPU, memory and top processes of the moment.

  --prometheus URL   the Prometheus server, e.g. http://127.0.0.1:9090 (or PROCESS_TRACKER_PROMETHEUS)
  --job NAME         only the targets of this scrape job
  -n N               top processes per machine (default 3, at most 50)
  --json             machine-readable output`,
    fleetBadArguments: 'fleet: {problem}: see process-tracker fleet --help',
    fleetNeedsPrometheus: 'fleet needs a Prometheus server: --prometheus http://127.0.0.1:9090',
    fleetNotCount: '-n "{value}" is not a whole number from 1 to 50: e.g. -n 5',
    fleetEmptyJob: '--job is empty: give a scrape job name, e.g. --job process-tracker',
    fleetNone:
      'Prometheus at {host} scrapes no Process Tracker agent: run agents with --metrics and add them to its scrape_configs (README "Many machines")',
    fleetNoneInJob:
      'Prometheus at {host} scrapes no Process Tracker agent in job "{job}": run agents with --metrics and add them to its scrape_configs (README "Many machines")',
    up: 'up',
    down: 'DOWN',
    secondsAgo: '{seconds} s ago',
    colInstance: 'INSTANCE',
    colJob: 'JOB',
    colState: 'STATE',
    colFleetCpu: 'CPU',
    colMemory: 'MEMORY',
    colSampled: 'SAMPLED',
    colTopByCpu: 'TOP BY CPU',
  },
  {
    findings: '发现 {from} – {to}',
    now: '现在',
    none: '  无',
    efficiency: '效率（存活期间每秒实际时间的 CPU 秒数，内存变异系数）',
    colName: '名称',
    colCpuCore: 'CPU%/核',
    colCpuSec: 'CPU 秒',
    colAliveSec: '存活秒',
    colMemAvg: '内存平均',
    colMemPeak: '内存峰值',
    colMemCv: '内存变异',
    colStarts: '启动次数',
    nothingAt: '{time} 没有记录：存储中没有该时间或之前的采样。',
    explainAt: '{time}（采样于 {sampleTime}）',
    furthest: '偏离自身基线最远的进程：',
    colPid: 'PID',
    colCpu: 'CPU%',
    colBaseCpu: '基线 CPU%',
    colMem: '内存',
    colBaseMem: '基线内存',
    colBaseline: '基线',
    colScore: '得分',
    openThen: '当时未结束的发现：',
    containersThen: '前后启动或停止的容器：',
    containerStart: '启动',
    containerStop: '停止',
    noRuns: '还没有运行记录：VS Code 中的任务运行和终端命令（安装扩展后）会成为运行记录。',
    colStarted: '开始',
    colSource: '来源',
    colCommand: '命令',
    colRun: '运行',
    colRead: '读取',
    colWritten: '写入量',
    colAgainst: '与之前的运行相比',
    fleetHelp: `process-tracker fleet --prometheus URL [--json] [--job 名称] [-n N]

URL 处的 Prometheus 抓取了 Process Tracker 代理的每台机器（每个代理都用 --metrics 运行；
见 README 的 "Many machines"），及其此刻的 CPU、内存和最忙的进程。

  --prometheus URL   Prometheus 服务器，例如 http://127.0.0.1:9090（或 PROCESS_TRACKER_PROMETHEUS）
  --job 名称         只看此抓取任务的目标
  -n N               每台机器显示的进程数（默认 3，最多 50）
  --json             机器可读的输出`,
    fleetBadArguments: 'fleet：{problem}：见 process-tracker fleet --help',
    fleetNeedsPrometheus: 'fleet 需要一个 Prometheus 服务器：--prometheus http://127.0.0.1:9090',
    fleetNotCount: '-n "{value}" 不是 1 到 50 之间的整数：例如 -n 5',
    fleetEmptyJob: '--job 为空：请给出抓取任务名，例如 --job process-tracker',
    fleetNone:
      '{host} 上的 Prometheus 没有抓取任何 Process Tracker 代理：用 --metrics 运行代理，并把它们加入其 scrape_configs（README 的 "Many machines"）',
    fleetNoneInJob:
      '{host} 上的 Prometheus 在任务 "{job}" 中没有抓取任何 Process Tracker 代理：用 --metrics 运行代理，并把它们加入其 scrape_configs（README 的 "Many machines"）',
    up: '在线',
    down: '离线',
    secondsAgo: '{seconds} 秒前',
    colInstance: '实例',
    colJob: '任务',
    colState: '状态',
    colFleetCpu: 'CPU',
    colMemory: '内存',
    colSampled: '采样于',
    colTopByCpu: 'CPU 最高的进程',
  },
);
