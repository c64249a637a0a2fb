// `process-tracker service install | uninstall`: a systemd user unit on Linux, so the agent starts
// at login. Other platforms get the command to run instead of a guess we cannot test here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../../shared/errors';
import { AGENT_MALLOC_ENV } from '../../shared/mallocEnv';

export const UNIT_NAME = 'process-tracker.service';

export function unitPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'systemd', 'user', UNIT_NAME);
}

/** systemd's own quoting for ExecStart words: double quotes, with \ and " escaped. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, '\\$&')}"`;
}

export function unitText(execStart: string[]): string {
  return `[Unit]
Description=Process Tracker agent (per-process history of this machine)
Documentation=https://github.com/process-tracker/process-tracker

[Service]
Type=simple
ExecStart=${execStart.map(quote).join(' ')}
${Object.entries(AGENT_MALLOC_ENV)
  .map(([name, value]) => `Environment=${name}=${value}\n`)
  .join('')}Restart=on-failure
RestartSec=5
Nice=10

[Install]
WantedBy=default.target
`;
}

function systemctl(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('systemctl', ['--user', ...args], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

export interface ServiceOutcome {
  unit: string;
  lines: string[];
  /** Why systemd did not take the change, and what to run instead; undefined when it did. */
  refused?: string;
}

/**
 * `dataDir` is the absolute folder this CLI reads (from --data-dir or $PROCESS_TRACKER_DATA_DIR):
 * the unit names it, since systemd starts the agent without the caller's environment or folder.
 */
export function installService(agentScript: string, dataDir: string): ServiceOutcome {
  if (process.platform !== 'linux') {
    throw new UserInputError(
      `service install supports Linux (systemd) only: on ${process.platform}, add "${process.execPath} ${agentScript} run --quiet" to your login items`,
    );
  }
  const unit = unitPath();
  const execStart = [process.execPath, agentScript, 'run', '--quiet', '--data-dir', dataDir];
  mkdirSync(path.dirname(unit), { recursive: true });
  writeFileSync(unit, unitText(execStart), { mode: 0o644 });
  const lines = [`wrote ${unit}`];
  const reload = systemctl(['daemon-reload']);
  const enable = reload.ok ? systemctl(['enable', '--now', UNIT_NAME]) : reload;
  if (!enable.ok) {
    const reason = (enable.output || 'no user session').split('\n')[0];
    return {
      unit,
      lines,
      refused: `systemd did not take it (${reason}): run "systemctl --user enable --now ${UNIT_NAME}" in your login session`,
    };
  }
  lines.push(`enabled and started ${UNIT_NAME}: the agent now starts at login`);
  return { unit, lines };
}

export function uninstallService(): ServiceOutcome {
  const unit = unitPath();
  const disable = systemctl(['disable', '--now', UNIT_NAME]);
  rmSync(unit, { force: true });
  systemctl(['daemon-reload']);
  return {
    unit,
    lines: [
      disable.ok ? `disabled ${UNIT_NAME}` : `systemd: ${disable.output || 'not reachable'}`,
      `removed ${unit}`,
    ],
  };
}
