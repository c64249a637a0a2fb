// The Runs view: this machine's task runs and terminal commands, newest first, each as
// "npm run build · 43s · peak 2.1 GiB · exit 0" with how it compares with the earlier runs of the
// same command (slower, hungrier) in its tooltip and, when it differs, in its description.
import * as vscode from 'vscode';
import { formatBytes } from '../../shared/duration';
import type { RunListing } from '../../shared/model';
import { RunsRequest } from '../../shared/protocol';
import { comparisonText, FASTER_RATIO, runLine, runSummary, SLOWER_RATIO } from '../../shared/runText';
import { formatLocalTime } from '../../shared/time';
import type { AgentClient } from '../agentClient';

export const RUNS_VIEW = 'processTracker.runs';
const SHOWN = 100;
/** While a run is open its figures move: the view asks again this often (only when visible). */
const OPEN_REFRESH_MS = 5_000;

export class RunsView implements vscode.TreeDataProvider<RunListing>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunListing | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<RunListing>;
  private readonly disposables: vscode.Disposable[] = [];
  private runs: RunListing[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly agent: AgentClient,
    onRunsChanged: vscode.Event<void>,
  ) {
    this.view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.changed,
      onRunsChanged(() => void this.refresh()),
      this.view.onDidChangeVisibility(() => void this.refresh()),
      agent.onDidChangeState((state) => state === 'connected' && void this.refresh()),
    );
  }

  /** What the view lists now, as its rows read (tests compare it with the agent). */
  lines(): string[] {
    return this.runs.map((run) => runLine(run));
  }

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    if (this.agent.state !== 'connected') return;
    try {
      this.runs = (await this.agent.request(RunsRequest.type, { n: SHOWN })).runs;
    } catch {
      return; // the next change or reconnection asks again
    }
    this.changed.fire(undefined);
    if (this.view.visible && this.runs.some((run) => run.end === null))
      this.timer = setTimeout(() => void this.refresh(), OPEN_REFRESH_MS);
  }

  getTreeItem(run: RunListing): vscode.TreeItem {
    const item = new vscode.TreeItem(run.command);
    const compare = run.compare;
    const unusual = [compare.durationRatio, compare.peakRatio].some(
      (r) => r !== null && (r >= SLOWER_RATIO || r <= FASTER_RATIO),
    );
    item.description = runSummary(run) + (unusual ? ` · ${comparisonText(compare)}` : '');
    item.tooltip = tooltip(run);
    item.id = run.id;
    item.iconPath = new vscode.ThemeIcon(
      run.end === null
        ? 'loading~spin'
        : run.exitCode === null
          ? 'circle-outline'
          : run.exitCode === 0
            ? 'pass'
            : 'error',
    );
    return item;
  }

  getChildren(run?: RunListing): RunListing[] {
    return run ? [] : this.runs;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Plain text (process data is text, never markup). */
function tooltip(run: RunListing): string {
  return [
    run.command,
    `${run.source} · ${formatLocalTime(run.start)}${run.folder ? ` · ${run.folder}` : ''}`,
    runSummary(run),
    `CPU ${run.cpuSeconds === null ? '–' : `${run.cpuSeconds.toFixed(1)} s`} · read ${formatBytes(run.readBytes)} · written ${formatBytes(run.writeBytes)} · ${run.processes} process(es)`,
    comparisonText(run.compare),
  ].join('\n');
}
