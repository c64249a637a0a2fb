// Shared by the extension-host tests: the extension's API, processes the tests start (and kill by
// pid), and waiting for a condition with a deadline instead of sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { ProcessTrackerApi, RowSnapshot } from '../../../extension/api';

export const EXTENSION_ID = 'process-tracker.process-tracker';

export async function api(): Promise<ProcessTrackerApi> {
  const extension = vscode.extensions.getExtension<ProcessTrackerApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this VS Code`);
  return extension.activate();
}

/** The API once connected; an agent an earlier suite stopped on purpose is started again first. */
export async function connectedApi(): Promise<ProcessTrackerApi> {
  const pt = await api();
  if (pt.agentState() === 'stopped') await vscode.commands.executeCommand('processTracker.restartAgent');
  await pt.whenConnected(60_000);
  return pt;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}

const started: ChildProcess[] = [];

/** `sleep` with a unique argument, so a regex can find exactly this process. */
export function startSleeper(): { child: ChildProcess; pid: number; marker: string } {
  const marker = `600.${Math.floor(Math.random() * 1e6)}`;
  const child = spawn('sleep', [marker], { stdio: 'ignore' });
  if (!child.pid) throw new Error('sleep could not be started');
  started.push(child);
  return { child, pid: child.pid, marker };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills every process this suite started, by pid. */
export function killStarted(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Stops the agent this window started (by its pid): the tests' agent must not outlive them. */
export async function stopTestAgent(pt: ProcessTrackerApi): Promise<void> {
  const pid = pt.agentPid() ?? pt.spawnedAgentPid();
  if (!pid) return;
  // Through the extension first: a bare SIGTERM would make its restart policy start a new agent.
  await vscode.commands.executeCommand('processTracker.stopAgent');
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitFor(`agent ${pid} to exit`, () => !alive(pid) || undefined, 15_000).catch(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
}

export function flatten(rows: RowSnapshot[]): RowSnapshot[] {
  return rows.flatMap((row) => [row, ...flatten(row.children)]);
}
