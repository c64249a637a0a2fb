// The only caller of getConfiguration: typed getters over the `processTracker.*` settings, and
// their mapping onto the agent's command-line flags.
import * as vscode from 'vscode';
import { GROUPINGS, SORT_KEYS, type Grouping, type SortKey } from '../shared/model';
import type { Thresholds } from './format';

const SECTION = 'processTracker';

// getConfiguration builds a merged view of every scope on each call, and the status bar reads
// six settings per tick: one view is kept until a `processTracker.*` setting changes. Registered
// when this module loads, before any other configuration listener, so none reads a stale view.
let cached: vscode.WorkspaceConfiguration | undefined;
vscode.workspace.onDidChangeConfiguration((event) => {
  if (event.affectsConfiguration(SECTION)) cached = undefined;
});

function section(): vscode.WorkspaceConfiguration {
  cached ??= vscode.workspace.getConfiguration(SECTION);
  return cached;
}

function number(key: string, fallback: number, min: number, max: number): number {
  const value = section().get<number>(key, fallback);
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const value = section().get<string>(key, fallback);
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export const config = {
  /** The data folder setting; empty means the agent's own default (client/paths.ts). */
  dataDir(): string {
    return section().get<string>('agent.dataDir', '').trim();
  },
  autoStart(): boolean {
    return section().get<boolean>('agent.autoStart', true);
  },
  intervalSeconds(): number {
    return number('agent.intervalSeconds', 2, 0.1, 3600);
  },
  stopAfterIdleMinutes(): number {
    return number('agent.stopAfterIdleMinutes', 0, 0, 525_600);
  },
  statusBarEnabled(): boolean {
    return section().get<boolean>('statusBar.enabled', true);
  },
  statusBarFormat(): string {
    // A format the user wrote is theirs; the default reads in the window's language.
    const set = section().inspect<string>('statusBar.format');
    return (
      set?.workspaceFolderValue ??
      set?.workspaceValue ??
      set?.globalValue ??
      vscode.l10n.t('$(pulse) CPU {cpu} · Mem {memUsed}/{memTotal}')
    );
  },
  thresholds(): Thresholds {
    return {
      cpuWarning: number('statusBar.cpuWarningPercent', 70, 0, 100),
      cpuError: number('statusBar.cpuErrorPercent', 90, 0, 100),
      memoryWarning: number('statusBar.memoryWarningPercent', 80, 0, 100),
      memoryError: number('statusBar.memoryErrorPercent', 95, 0, 100),
    };
  },
  /** Kernel threads (0 B, no command line) fill the list on Linux: hidden unless asked for. */
  showKernelThreads(): boolean {
    return section().get<boolean>('processes.showKernelThreads', false);
  },
  topN(): number {
    return Math.round(number('processes.topN', 50, 1, 1000));
  },
  sort(): SortKey {
    return oneOf('processes.sort', SORT_KEYS, 'cpu');
  },
  grouping(): Grouping {
    return oneOf('processes.grouping', GROUPINGS, 'flat');
  },
  minRefreshMs(): number {
    return number('view.minRefreshSeconds', 0, 0, 3600) * 1000;
  },
  /**
   * `processTracker.alerts.rules` from the user and machine scopes only (`inspect().globalValue`):
   * a repository's .vscode/settings.json must never add rules for the agent.
   */
  alertSettingsRules(): unknown[] {
    const value = section().inspect<unknown>('alerts.rules')?.globalValue;
    return Array.isArray(value) ? value : [];
  },
  /**
   * `processTracker.metrics.listen` from the user and machine scopes only: a repository's settings
   * must never open a port. Only the address: auth and TLS live in the user's metrics.yaml.
   */
  metricsListen(): string {
    const value = section().inspect<unknown>('metrics.listen')?.globalValue;
    return typeof value === 'string' ? value.trim() : '';
  },
  /**
   * `processTracker.http.listen` from the user and machine scopes only, as metricsListen: the
   * history panel in a browser. Only the address; TLS (for other than loopback) is the CLI's.
   */
  httpListen(): string {
    const value = section().inspect<unknown>('http.listen')?.globalValue;
    return typeof value === 'string' ? value.trim() : '';
  },
  /** Flags for `process-tracker run` beyond `--quiet --data-dir`, when this window starts the agent. */
  agentArgs(): string[] {
    const args = ['--interval', `${Math.round(config.intervalSeconds() * 1000)}ms`];
    const idle = config.stopAfterIdleMinutes();
    if (idle > 0) args.push('--stop-after-idle', `${idle}m`);
    const metrics = config.metricsListen();
    if (metrics) args.push('--metrics', metrics);
    const http = config.httpListen();
    if (http) args.push('--http', http);
    return args;
  },
  /** True when a change touches something only a reconnect can apply. */
  affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(`${SECTION}.agent.dataDir`);
  },
  affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
    return event.affectsConfiguration(`${SECTION}.${key}`);
  },
};
