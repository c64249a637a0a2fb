// The findings open now (leak, restart_loop, anomaly — agent/analytics keeps them), for the
// tree's badges and the status bar's tooltip. Asked every few seconds while connected: findings
// change a few times an hour, and the tree and the status bar read the last answer on their own
// ticks, so nothing here pushes.
import * as vscode from 'vscode';
import type { Finding, ProcessRow } from '../shared/model';
import { ReportRequest } from '../shared/protocol';
import type { AgentClient } from './agentClient';

const POLL_MS = 10_000;
/** An open finding's window reaches the newest tick; this look-back only bounds the agent's scan. */
const LOOK_BACK_MS = 10 * 60_000;

export class OpenFindings implements vscode.Disposable {
  private open: Finding[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly agent: AgentClient) {
    this.disposables.push(
      agent.onDidChangeState((state) => {
        if (state === 'connected') this.start();
        else this.stop();
      }),
    );
    if (agent.state === 'connected') this.start();
  }

  /** Every open finding, oldest first. */
  all(): readonly Finding[] {
    return this.open;
  }

  /**
   * The open findings about this process: it is one of the identities named, or (a restart loop)
   * it is the looping program — its newest instance may be younger than the finding's last update.
   */
  about(row: Pick<ProcessRow, 'pid' | 'startTime' | 'name' | 'cmdline'>): Finding[] {
    if (!this.open.length) return [];
    return this.open.filter(
      (finding) =>
        finding.subject.identities.some((id) => id.pid === row.pid && id.startTime === row.startTime) ||
        (finding.kind === 'restart_loop' &&
          finding.subject.name === row.name &&
          finding.subject.cmdline === row.cmdline),
    );
  }

  /** Asks now (tests, and the first answer after a connect). */
  async refresh(): Promise<void> {
    if (this.inFlight || this.agent.state !== 'connected') return;
    this.inFlight = true;
    try {
      const now = Date.now();
      const result = await this.agent.request(ReportRequest.type, {
        from: now - LOOK_BACK_MS,
        to: now,
        open: true,
      });
      // An agent from before `open` answers the whole report: its open findings are the same.
      this.open = result.findings.filter((finding) => finding.open);
    } catch {
      // An agent without analytics, or disconnected meanwhile: no badges.
      this.open = [];
    } finally {
      this.inFlight = false;
    }
  }

  private start(): void {
    this.stop();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.open = [];
  }

  dispose(): void {
    this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
