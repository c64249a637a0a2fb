// Hostile regexes (issue 13): `node --import tsx bench/hostileRegex.ts [count]` (build first:
// it runs dist/agent.js). Two parts, printed as a markdown section for bench/RESULTS.md:
// 1. the normal case's cost per tick: filter `node` over ~600 processes, re2js (as the agent runs
//    it, compiled once with its results cached, and cold: compiled per tick without a cache) beside
//    the backtracking RegExp it replaced;
// 2. the campaign: `count` (10,000) hostile patterns as filters (top, processes, subscribe) and
//    alert rule matches through a real agent on its socket, with processes whose command lines are
//    hostile, ended by their pids; and each pattern as a category rule in this process. Every
//    pattern must be answered within 1 s and no tick may start more than 100 ms late.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RE2JS } from 're2js';
import { createCategorizer } from '../agent/categories';
import { connectToAgent } from '../client/connection';
import { socketPathFor } from '../client/socketDir';
import { compileFilter } from '../shared/filter';
import type { ProcessMeta } from '../shared/model';
import {
  AgentStatusRequest,
  AlertSettingsRulesRequest,
  ProcessesRequest,
  SubscribeRequest,
  TopRequest,
} from '../shared/protocol';
import { hostileCommandLines, hostilePatterns } from '../test/fixtures/hostileRegex';
import { requireBuild, startAgent, tempDir, waitFor } from '../test/integration/agentHarness';

const COUNT = Number(process.argv[2] ?? 10_000);
const INTERVAL_MS = 250;
const ISSUE_ARGV0 = 'a'.repeat(70) + 'c';
const NAMES = ['node', 'java', 'python3', 'chrome', 'postgres', 'nginx', 'bash', 'code', 'dockerd', 'sleep'];

type Row = Pick<ProcessMeta, 'pid' | 'name' | 'cmdline' | 'category' | 'user'>;

function processes(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const name = NAMES[i % NAMES.length]!;
    return {
      pid: 1000 + i,
      name,
      cmdline: `/usr/bin/${name} --worker ${i} --config /etc/${name}/conf.d/${i % 7}.yaml --log-level info`,
      category: 'other',
      user: 'me',
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Microseconds per tick (median of `ticks`) to keep the rows a filter function accepts. */
function perTick(rows: Row[], ticks: number, filterOf: () => (row: Row) => boolean): number {
  const times: number[] = [];
  let kept = 0;
  for (let t = 0; t < ticks; t++) {
    const started = performance.now();
    kept += rows.filter(filterOf()).length;
    times.push((performance.now() - started) * 1000);
  }
  if (kept === 0) throw new Error('the filter matched nothing');
  return median(times);
}

function normalCase(): Record<string, number> {
  // Strings as a real table has them: read once per process, the same objects every tick.
  const rows = processes(600);
  const native = () => {
    const regex = new RegExp('node', 'i');
    return (row: Row) => regex.test(row.name) || regex.test(row.cmdline);
  };
  const cold = () => {
    const regex = RE2JS.compile('node', RE2JS.CASE_INSENSITIVE);
    return (row: Row) => regex.test(row.name) || regex.test(row.cmdline);
  };
  const agent = () => compileFilter({ regex: 'node' });
  for (const f of [native, cold, agent]) perTick(rows, 200, f); // warm the JIT
  return {
    processes: rows.length,
    nativeRegExpUsPerTick: perTick(rows, 1000, native),
    re2jsColdUsPerTick: perTick(rows, 1000, cold),
    re2jsAsAgentUsPerTick: perTick(rows, 1000, agent),
  };
}

async function campaign(): Promise<Record<string, number | string>> {
  requireBuild();
  const work = tempDir('pt-bench-hostile-');
  const env = {
    XDG_RUNTIME_DIR: path.join(work.dir, 'run'),
    XDG_CONFIG_HOME: path.join(work.dir, 'config'),
    PROCESS_TRACKER_DATA_DIR: '',
  };
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  const dataDir = path.join(work.dir, 'data');
  const lines = [ISSUE_ARGV0, ...hostileCommandLines()];
  const sleepers: ChildProcess[] = lines.map((argv0) => spawn('sleep', ['3600'], { argv0, stdio: 'ignore' }));
  const agent = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
  const started = Date.now();
  try {
    const client = await connectToAgent({ socketPath: socketPathFor(dataDir, env) }, { clientName: 'bench' });
    if (!client) throw new Error('the agent does not serve');
    const last = sleepers.at(-1)!.pid!;
    await waitFor(
      async () => (await client.request(TopRequest.type, { n: 1, filter: { pid: last } })).rows.length === 1,
      30_000,
    );
    const before = (await client.request(AgentStatusRequest.type, {})).sampling!;
    const patterns = hostilePatterns(COUNT, 0x13);
    let worstAnswerMs = 0;
    let worstPattern = '';
    let rejected = 0;
    for (const [i, pattern] of patterns.entries()) {
      const t0 = performance.now();
      try {
        switch (i % 4) {
          case 0:
            await client.request(TopRequest.type, { n: 5, filter: { regex: pattern } });
            break;
          case 1:
            await client.request(ProcessesRequest.type, { grouping: 'tree', filter: { regex: pattern } });
            break;
          case 2:
            await client.request(SubscribeRequest.type, { top: 5, filter: { regex: pattern } });
            break;
          default:
            await client.request(AlertSettingsRulesRequest.type, {
              rules: [
                { name: `c${i}`, metric: 'process_count', threshold: 1e5, match: { command: pattern } },
                { name: `n${i}`, metric: 'cpu', threshold: 1e5, match: { name: pattern } },
              ],
            });
        }
      } catch {
        rejected++;
      }
      const took = performance.now() - t0;
      if (took > worstAnswerMs) [worstAnswerMs, worstPattern] = [took, pattern.slice(0, 40)];
    }
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS)); // the last filter and rules tick
    const after = (await client.request(AgentStatusRequest.type, {})).sampling!;
    await client.close();

    // Category rules: the agent's categorizer, built per pattern and run over the hostile lines.
    let worstCategoryMs = 0;
    let categoryRejected = 0;
    for (const pattern of patterns) {
      const t0 = performance.now();
      try {
        const categorize = createCategorizer([{ match: pattern, category: 'development' }]);
        for (const [pid, cmdline] of lines.entries())
          categorize({ pid: 100 + pid, ppid: 1, name: 'sleep', cmdline });
      } catch {
        categoryRejected++;
      }
      worstCategoryMs = Math.max(worstCategoryMs, performance.now() - t0);
    }
    return {
      patterns: patterns.length,
      hostileProcesses: lines.length,
      hostileCommandLineChars: lines.reduce((sum, line) => sum + line.length, 0),
      rejectedByAgent: rejected,
      worstAnswerMs,
      worstAnswerPattern: worstPattern,
      ticksDuringCampaign: after.ticks - before.ticks,
      worstLatenessBeforeMs: before.worstLatenessMs,
      worstLatenessMs: after.worstLatenessMs,
      categoryRulesRejected: categoryRejected,
      worstCategoryRuleMs: worstCategoryMs,
      campaignSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const sleeper of sleepers) if (sleeper.exitCode === null) sleeper.kill();
    const stopped = agent.stop();
    const timer = setTimeout(() => agent.child.kill('SIGKILL'), 10_000);
    await stopped;
    clearTimeout(timer);
    work.remove();
  }
}

function fmt(value: number | string): string {
  return typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : String(value);
}

async function main(): Promise<void> {
  const when = new Date().toISOString();
  const load = os.loadavg()[0]!.toFixed(2);
  const normal = normalCase();
  const hostile = await campaign();
  const table = (figures: Record<string, number | string>) => [
    '| figure | value |',
    '| --- | ---: |',
    ...Object.entries(figures).map(([k, v]) => `| ${k} | ${fmt(v)} |`),
  ];
  console.log(
    [
      `\`node --import tsx bench/hostileRegex.ts ${COUNT}\` on ${when}, load average ${load} → ${os.loadavg()[0]!.toFixed(2)}.`,
      '',
      ...table(normal),
      '',
      ...table(hostile),
    ].join('\n'),
  );
}

void main();
