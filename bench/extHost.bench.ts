// "With the Processes view visible at 2 s ticks and 600 processes the extension host spends ≤ 1 % of
// a core on us, and ≈ 0 with the views hidden" (issue 4). Two code-server windows run side by side:
// one with our extension (its agent sampling at the default 2 s), one with an empty stub extension in
// its place (the same development-mode window, nothing of ours). Both extension hosts are read over
// the same seconds, so the machine's noise (other engineers' Chromium benchmarks on 2 cores) lands on
// both; windows one after another differ by more than the effect. Our cost is the difference.
// CPU is the sum over the extension host's threads of /proc/[pid]/task/*/schedstat (ns on CPU).
// States, each over the same window after a settle: the Process Tracker container open (its views
// as a newcomer gets them: Processes, This Window, Alerts, all expanded) with live rows; Processes
// alone (the other two collapsed); the sidebar switched to Explorer (our views hidden, the status bar
// still ticking); and hidden with the status bar switched off too, which tells the status bar's share.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  activityBarItem,
  openWorkbench,
  runCommand,
  stopWorkbenchAgent,
  type Workbench,
} from '../test/e2e/workbench';
import { threadCpuSeconds } from './procstat';
import { sleep, startSleepers, type Sleepers } from './sleepers';

const RUNS = Number(process.env.EXT_HOST_RUNS ?? 1);
const WINDOW_S = Number(process.env.EXT_HOST_WINDOW_S ?? 60);
/**
 * Before the first window, from the first live row: JIT, the agent's first store files, and a fresh
 * extension host's first major collections (an idle one spends 0.3 % of a core in its second
 * minute, 0.1 % after), which would land unevenly on the two windows.
 */
const WARM_UP_S = Number(process.env.EXT_HOST_WARM_UP_S ?? 45);
/** Between states: a view switch's one-off work (a refresh, a re-subscription) is not the state's cost. */
const SETTLE_S = Number(process.env.EXT_HOST_SETTLE_S ?? 15);
/**
 * ~600 processes on the machine, as the issue asks (about 100 without them). A fixed number, not a
 * top-up: other engineers' benchmarks start and end hundreds of their own, so a count taken once
 * would miss the target either way; the figures report the count over each window.
 */
const SLEEPERS = 500;

export const EXT_HOST_TARGETS: Record<string, number> = {
  visibleOverBaselinePct: 1,
  // "≈ 0" read as a tenth of the visible budget.
  hiddenOverBaselinePct: 0.1,
};

/**
 * Both windows. VS Code's remote extension host looks for ports to forward by reading every
 * process's /proc entries (and running `ls -l /proc/[0-9]*\/fd/[0-9]*` and `ps -F -A -l`) every 2 s
 * or more, its interval scaled by how long the last scan took: 2–5 % of a core on a 600-process
 * machine, the same in both windows but noisy enough to drown a 0.1 % difference (with it off an
 * idle extension host spends about 0.1 %). None of ours, so off: code-server's tunnel provider keeps
 * the scan on even without `autoForwardPorts`, only the `output` source stops it.
 */
const WINDOW_SETTINGS = { 'remote.autoForwardPorts': false, 'remote.autoForwardPortsSource': 'output' };

const STATUS_FIGURES = /CPU \d+% · Mem [\d.]+\/[\d.]+ GB/;
/** A row with live figures: its description reads "12.3% · 512 MB · …". */
const LIVE_ROW = /\d% · /;

/** Pid → parent pid for every process now (Linux /proc). */
function parents(): Map<number, number> {
  const ppid = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      ppid.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  return ppid;
}

function isDescendant(pid: number, ancestor: number, ppid: Map<number, number>): boolean {
  for (let p = ppid.get(pid); p !== undefined && p > 1; p = ppid.get(p)) if (p === ancestor) return true;
  return false;
}

/**
 * The window's extension host: the process below the code-server we started whose command line is
 * VS Code's `bootstrap-fork --type=extensionHost` (code-server → its server child → the host; one
 * window per server, so exactly one).
 */
export function extensionHostPid(serverPid: number): number | undefined {
  const ppid = parents();
  const hosts = [...ppid.keys()].filter((pid) => {
    if (!isDescendant(pid, serverPid, ppid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--type=extensionHost');
    } catch {
      return false;
    }
  });
  if (hosts.length > 1) throw new Error(`code-server ${serverPid} runs ${hosts.length} extension hosts`);
  return hosts[0];
}

async function waitForExtensionHost(workbench: Workbench): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pid = extensionHostPid(workbench.server.pid);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error(`no extension host below code-server ${workbench.server.pid}`);
    await sleep(250);
  }
}

const processCount = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;

interface Reading {
  ours: number;
  baseline: number;
  wall: number;
}

function read(oursPid: number, baselinePid: number): Reading {
  return {
    ours: threadCpuSeconds(oursPid),
    baseline: threadCpuSeconds(baselinePid),
    wall: Number(process.hrtime.bigint()) / 1e9,
  };
}

interface Measured {
  oursPct: number;
  baselinePct: number;
  processes: number;
  seconds: number;
}

/** Both extension hosts over the same WINDOW_S seconds. */
async function measure(oursPid: number, baselinePid: number): Promise<Measured> {
  const processesBefore = processCount();
  const before = read(oursPid, baselinePid);
  await sleep(WINDOW_S * 1000);
  const after = read(oursPid, baselinePid);
  const seconds = after.wall - before.wall;
  return {
    oursPct: ((after.ours - before.ours) / seconds) * 100,
    baselinePct: ((after.baseline - before.baseline) / seconds) * 100,
    processes: Math.round((processesBefore + processCount()) / 2),
    seconds,
  };
}

/** A development extension that contributes nothing and never activates: the baseline window's. */
function stubExtension(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-exthost-stub-'));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'baseline-stub',
      publisher: 'bench',
      version: '0.0.0',
      engines: { vscode: '^1.80.0' },
    }),
  );
  return dir;
}

/**
 * Unticks a boolean user setting through the Settings editor, then closes it. (Writing settings.json
 * behind the window's back is not picked up: code-server does not watch it here.)
 */
async function untickSetting(workbench: Workbench, key: string): Promise<void> {
  const { page } = workbench;
  await runCommand(page, 'Preferences: Open User Settings');
  await page.locator('.settings-editor').waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.type(key);
  const checkbox = page.locator('.settings-editor .setting-item-bool .setting-value-checkbox').first();
  await checkbox.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await checkbox.getAttribute('aria-checked')) === 'true') await checkbox.click();
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.settings-editor').waitFor({ state: 'detached', timeout: 30_000 });
}

/** Collapses one of the sidebar's views by its title (an expanded view counts as visible to VS Code). */
async function collapseView(page: Workbench['page'], title: string): Promise<void> {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  await page
    .locator('.part.sidebar .pane-header[aria-expanded="false"]', { hasText: title })
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
}

interface Run {
  visible: Measured;
  processesOnly: Measured;
  hidden: Measured;
  hiddenNoStatusBar: Measured;
}

async function once(): Promise<Run> {
  const stub = stubExtension();
  let ours: Workbench | undefined;
  let baseline: Workbench | undefined;
  let sleepers: Sleepers | undefined;
  try {
    sleepers = startSleepers(SLEEPERS);
    ours = await openWorkbench({ settings: WINDOW_SETTINGS });
    baseline = await openWorkbench({ extensionDevelopmentPath: stub, settings: WINDOW_SETTINGS });
    const page = ours.page;
    const sidebarRows = page.locator('.part.sidebar .monaco-list-row', { hasText: LIVE_ROW });
    const statusFigures = page.locator('.part.statusbar .statusbar-item', { hasText: STATUS_FIGURES });
    await statusFigures.first().waitFor({ state: 'visible', timeout: 60_000 });
    await activityBarItem(page, 'Process Tracker').click();
    await sidebarRows.first().waitFor({ state: 'visible', timeout: 60_000 });
    // The stub window shows its Explorer: the sidebar the default layout opens with.
    await baseline.page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 60_000 });
    const oursPid = await waitForExtensionHost(ours);
    const baselinePid = await waitForExtensionHost(baseline);
    await sleep(WARM_UP_S * 1000);

    const visible = await measure(oursPid, baselinePid);
    if ((await sidebarRows.count()) === 0) throw new Error('the Processes view lost its rows while measured');

    for (const title of ['This Window', 'Alerts']) await collapseView(page, title);
    await sleep(SETTLE_S * 1000);
    const processesOnly = await measure(oursPid, baselinePid);
    if ((await sidebarRows.count()) === 0) throw new Error('the Processes view lost its rows while measured');

    await activityBarItem(page, 'Explorer').click();
    await sidebarRows.first().waitFor({ state: 'detached', timeout: 30_000 });
    await sleep(SETTLE_S * 1000);
    const hidden = await measure(oursPid, baselinePid);
    if ((await statusFigures.count()) === 0) throw new Error('the status bar stopped showing figures');

    await untickSetting(ours, 'processTracker.statusBar.enabled');
    await statusFigures.first().waitFor({ state: 'detached', timeout: 30_000 });
    await sleep(SETTLE_S * 1000);
    const hiddenNoStatusBar = await measure(oursPid, baselinePid);

    for (const [pid, which] of [
      [oursPid, 'our'],
      [baselinePid, 'the baseline'],
    ] as const) {
      if (extensionHostPid((which === 'our' ? ours : baseline).server.pid) !== pid)
        throw new Error(`${which} window's extension host ${pid} was replaced while measured`);
    }
    return { visible, processesOnly, hidden, hiddenNoStatusBar };
  } finally {
    sleepers?.stop();
    if (ours) stopWorkbenchAgent(ours);
    await ours?.close();
    await baseline?.close();
    rmSync(stub, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runExtHostBench(): Promise<Record<string, number>> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await once();
    console.error(`extHost run ${i + 1}: ${JSON.stringify(run)}`);
    runs.push(run);
  }
  const of = (pick: (run: Run) => number) => median(runs.map(pick));
  return {
    runs: RUNS,
    processes: of((r) => r.visible.processes),
    windowSeconds: of((r) => r.visible.seconds),
    extHostVisiblePct: of((r) => r.visible.oursPct),
    extHostHiddenPct: of((r) => r.hidden.oursPct),
    extHostBaselinePct: of((r) => r.visible.baselinePct),
    extHostBaselineHiddenWindowPct: of((r) => r.hidden.baselinePct),
    visibleOverBaselinePct: of((r) => r.visible.oursPct - r.visible.baselinePct),
    // Processes alone: This Window and Alerts collapsed (This Window's own share: its owners' subtrees per tick).
    extHostProcessesOnlyPct: of((r) => r.processesOnly.oursPct),
    processesOnlyOverBaselinePct: of((r) => r.processesOnly.oursPct - r.processesOnly.baselinePct),
    hiddenOverBaselinePct: of((r) => r.hidden.oursPct - r.hidden.baselinePct),
    // Hidden with the status bar off as well: what remains once nothing of ours is on screen.
    hiddenNoStatusBarOverBaselinePct: of(
      (r) => r.hiddenNoStatusBar.oursPct - r.hiddenNoStatusBar.baselinePct,
    ),
  };
}

if (require.main === module) {
  void runExtHostBench().then((f) => console.log(JSON.stringify(f, null, 2)));
}
