// `process-tracker live`: the cost of one redraw with 600 processes (sort, filter, lay out, diff,
// one write) and the CPU of the view at its 2 s refresh beside `top -d 2`, both inside tmux for
// 60 s with ~600 processes. Run alone: `npm run build && node --import tsx bench/live.bench.ts`;
// it prints a section for bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../agent/cli/tui/caps';
import { Screen } from '../agent/cli/tui/screen';
import { EN } from '../agent/cli/tui/strings';
import { render, type ViewModel } from '../agent/cli/tui/view';
import { compileFilter } from '../shared/filter';
import type { ProcessRow } from '../shared/model';
import { sortRows } from '../shared/rowOrder';
import { sleep, startSleepers } from './sleepers';

function rows(count: number, seed: number): ProcessRow[] {
  return Array.from({ length: count }, (_, i) => ({
    pid: 1000 + i,
    startTime: 1_700_000_000_000 + i,
    ppid: 1,
    name: `proc-${i % 97}`,
    cmdline: `/usr/bin/proc-${i % 97} --flag ${i} --config /etc/some/long/path/config-${i}.yaml`,
    user: 'user',
    category: 'other',
    container: null,
    cpu: ((i * 7919 + seed * 104729) % 1000) / 10,
    rss: ((i * 31 + seed) % 500) * 1_048_576,
    readBps: (i + seed) % 5 === 0 ? null : ((i * 13 + seed) % 100) * 1024,
    writeBps: (i * 17 + seed) % 50,
    threads: 1,
    fds: 4,
  }));
}

function view(width: number, height: number, unicode: boolean): ViewModel {
  return {
    caps: { glyphs: unicode ? UNICODE_GLYPHS : ASCII_GLYPHS, unicode, colour: true },
    text: EN,
    width,
    height,
    ts: 1_700_000_100_000,
    machine: {
      ts: 0,
      cpu: 12,
      cores: 2,
      memUsed: 1e9,
      memTotal: 8e9,
      swapUsed: 0,
      swapTotal: 0,
      load1: 1,
      load5: 1,
      load15: 1,
      processCount: 600,
    },
    machineUptimeMs: 3_600_000,
    agent: { pid: 1, cpu: 0.2, rss: 80e6 },
    rows: [],
    states: new Map(),
    selected: 0,
    scroll: 0,
    sort: 'cpu',
    tree: false,
    filterText: '',
    mode: 'list',
    input: '',
    inputError: null,
    message: null,
    trend: {
      pid: 1000,
      name: 'proc-0',
      cpu: rows(300, 1).map((r) => r.cpu),
      rss: rows(300, 2).map((r) => r.rss),
    },
    details: null,
    pageScroll: 0,
    killTarget: null,
  };
}

/** Median and 95th percentile of one frame: 600 fresh rows sorted, filtered, drawn and diffed. */
export function redrawBench(width: number, height: number, unicode: boolean, frames = 300) {
  const model = view(width, height, unicode);
  let bytes = 0;
  const screen = new Screen((chunk) => (bytes += chunk.length));
  const matches = compileFilter({});
  const inputs = Array.from({ length: 8 }, (_, seed) => rows(600, seed));
  const times: number[] = [];
  for (let frame = 0; frame < frames; frame++) {
    const start = process.hrtime.bigint();
    model.rows = sortRows(inputs[frame % inputs.length]!.filter(matches), 'cpu').map((row) => ({
      row,
      branch: '',
    }));
    screen.draw(render(model));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const steady = times.slice(20).sort((a, b) => a - b);
  const at = (q: number) => Number(steady[Math.floor(q * (steady.length - 1))]!.toFixed(3));
  return { medianMs: at(0.5), p95Ms: at(0.95), bytesPerFrame: Math.round(bytes / frames) };
}

const CLK_TCK = 100;
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** live (2 s) and top -d 2 side by side in tmux, each in its own window, for `seconds`. */
export async function cpuBench(seconds = 60) {
  const agent = path.resolve(__dirname, '..', 'dist', 'agent.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-live-bench-'));
  const runtime = path.join(work, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    TMUX_TMPDIR: work,
    XDG_RUNTIME_DIR: runtime,
    PROCESS_TRACKER_DATA_DIR: path.join(work, 'data'),
  };
  const server = `pt-live-bench-${process.pid}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', server, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });
  const sleepers = startSleepers(500);
  try {
    tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', process.execPath, agent, 'live');
    // Separate arguments: tmux runs them without a shell, so each pane's pid is the program's own.
    tmux('new-window', '-d', '-t', 'bench', 'top', '-d', '2');
    const pane = (target: string) => Number(tmux('display', '-p', '-t', target, '#{pane_pid}').trim());
    // Until the view has drawn rows (it started the agent first).
    const deadline = Date.now() + 30_000;
    while (!/processes/.test(tmux('capture-pane', '-p', '-t', 'bench:0'))) {
      if (Date.now() > deadline) throw new Error('live did not draw within 30 s');
      await sleep(200);
    }
    await sleep(5000);
    const livePid = pane('bench:0');
    const topPid = pane('bench:1');
    const agentPid = Number(/agent (\d+):/.exec(tmux('capture-pane', '-p', '-t', 'bench:0'))?.[1]);
    const before = [livePid, topPid, agentPid].map(cpuTicks);
    await sleep(seconds * 1000);
    const after = [livePid, topPid, agentPid].map(cpuTicks);
    const pct = (i: number) => Number((((after[i]! - before[i]!) / CLK_TCK / seconds) * 100).toFixed(3));
    const processes = readFileSync('/proc/loadavg', 'utf8').split(' ')[3];
    return {
      seconds,
      processes,
      liveCpuPct: pct(0),
      topCpuPct: pct(1),
      agentCpuPct: pct(2),
      liveVsTop: Number((pct(0) / Math.max(pct(1), 0.001)).toFixed(3)),
    };
  } finally {
    sleepers.stop();
    try {
      tmux('kill-server');
    } catch {
      /* gone */
    }
    try {
      execFileSync(process.execPath, [agent, 'stop'], { env });
    } catch {
      /* not running */
    }
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const load = os.loadavg()[0]!.toFixed(2);
    const redraw = {
      'flat 120×40, Unicode': redrawBench(120, 40, true),
      'flat 120×40, ASCII': redrawBench(120, 40, false),
      'all 600 rows on a 160×620 screen': redrawBench(160, 620, true, 100),
    };
    const cpu = await cpuBench(Number(process.env.LIVE_BENCH_SECONDS ?? 60));
    console.log(`\`node --import tsx bench/live.bench.ts\` on ${new Date().toISOString()}, load ${load}.\n`);
    console.log(
      '| redraw (600 rows: sort, filter, lay out, diff, one write) | median ms | p95 ms | bytes/frame |',
    );
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, r] of Object.entries(redraw))
      console.log(`| ${name} | ${r.medianMs} | ${r.p95Ms} | ${r.bytesPerFrame} |`);
    console.log('\n| CPU side by side in tmux | value |\n| --- | ---: |');
    for (const [name, value] of Object.entries(cpu)) console.log(`| ${name} | ${value} |`);
  })();
}
