// Issue 16's quiet run: a real agent (dist/agent.js, default settings, a private data dir) records
// the machine's ordinary processes for FINDINGS_QUIET_MINUTES (default 10), then `report --json`
// is read and its leak, restart_loop and anomaly findings are counted by kind — leaving out the
// ones about what this bench started (the agent, its children, this process). Nothing else is
// started: every other process is the machine's own (on a shared machine, other engineers' builds
// and tests too). Counted apart: findings about this project's test suites' processes — a fixture
// made to be found (its command-line marker), or a process working in a suite's temp folder
// (TMPDIR/pt-*: the agents agent-crash.test.ts crashes and restarts on purpose, the CLI a suite
// polls once a moment) — which do loop by design. Each other finding is listed with its summary,
// so a false positive can be read.
// Run: npm run build && BENCH_ONLY=findingsquiet node --import tsx bench/run.ts
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { cli, requireBuild, startAgent, tempDir } from '../test/integration/agentHarness';

/** The kinds the issue says ordinary processes must not produce. */
const QUIET_KINDS = ['leak', 'restart_loop', 'anomaly'] as const;
/** Command-line markers of the test fixtures built to be found (test/integration/analytics.test.ts). */
const FIXTURE = /pt-analytics-\d+-(leaker|crashy|burner|idle)/;
/** The suites' temp folders (test/integration/agentHarness.ts tempDir, prefix `pt-`). */
const SUITE_TEMP = `${os.tmpdir()}/pt-`;

interface JsonFinding {
  kind: string;
  name: string | null;
  cmdline?: string;
  identities: { pid: number; startTime: number }[];
  summary: string;
}

/** The pids under `root` now (its children, their children…), from /proc's ppid fields. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

const processCount = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;

export async function runFindingsQuietBench(): Promise<Record<string, number | string>> {
  requireBuild();
  const minutes = Number(process.env.FINDINGS_QUIET_MINUTES ?? 10);
  if (!(minutes > 0)) throw new Error('FINDINGS_QUIET_MINUTES must be a positive number of minutes');
  const data = tempDir('pt-findings-quiet-');
  const runtime = tempDir('pt-findings-quiet-run-');
  const env = { XDG_RUNTIME_DIR: runtime.dir };
  const ours = new Set<number>([process.pid]);
  const loads: number[] = [];
  const counts: number[] = [];
  const agent = await startAgent(data.dir, env);
  const startedAt = Date.now();
  try {
    const agentPid = agent.child.pid!;
    // The agent's children come and go (workers): noted every 5 s, with the load and the count.
    const note = () => {
      for (const pid of descendants(agentPid)) ours.add(pid);
      loads.push(os.loadavg()[0]!);
      counts.push(processCount());
    };
    note();
    const end = startedAt + minutes * 60_000;
    while (Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, end - Date.now())));
      if (agent.child.exitCode !== null) throw new Error(`the agent exited: ${agent.stderr()}`);
      note();
    }
    const result = await cli(
      ['report', '--from', `${minutes + 1}m ago`, '--json', '--data-dir', data.dir],
      env,
    );
    if (result.status !== 0) throw new Error(`report exited ${result.status}: ${result.stderr}`);
    const findings = (JSON.parse(result.stdout) as JsonFinding[]).filter((f) =>
      (QUIET_KINDS as readonly string[]).includes(f.kind),
    );
    const aboutOurs = (f: JsonFinding) => f.identities.some((i) => ours.has(i.pid));
    const fixture = (f: JsonFinding) => FIXTURE.test(f.cmdline ?? '');
    const suite = (f: JsonFinding) => !fixture(f) && (f.cmdline ?? '').includes(SUITE_TEMP);
    const ordinary = findings.filter((f) => !aboutOurs(f) && !fixture(f) && !suite(f));
    const figures: Record<string, number | string> = {
      minutes,
      processesMin: Math.min(...counts),
      processesMax: Math.max(...counts),
      load1Min: Math.min(...loads),
      load1Mean: loads.reduce((a, b) => a + b, 0) / loads.length,
      load1Max: Math.max(...loads),
    };
    for (const kind of QUIET_KINDS)
      figures[`${kind}Ordinary`] = ordinary.filter((f) => f.kind === kind).length;
    figures.aboutThisBench = findings.filter(aboutOurs).length;
    figures.aboutTestFixtures = findings.filter((f) => !aboutOurs(f) && fixture(f)).length;
    figures.aboutTestSuites = findings.filter((f) => !aboutOurs(f) && suite(f)).length;
    // Each finding about an ordinary process, to be read (a false positive is a defect).
    ordinary.forEach((f, i) => {
      const cmd = (f.cmdline ?? '').slice(0, 80);
      figures[`ordinary${i + 1}`] = `${f.kind}: ${f.summary} — \`${cmd}\``.replace(/\|/g, '\\|');
    });
    return figures;
  } finally {
    await agent.stop();
    data.remove();
    runtime.remove();
  }
}
