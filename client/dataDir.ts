// The default data folder, on its own without dependencies: dist/agent.js's first lines
// (agent/boot.ts) need it before the agent's bundle is loaded.
import os from 'node:os';
import path from 'node:path';

const APP = 'process-tracker';

/** The per-user data folder: `--data-dir`, else $PROCESS_TRACKER_DATA_DIR, else the platform's. */
export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (env.PROCESS_TRACKER_DATA_DIR) return path.resolve(env.PROCESS_TRACKER_DATA_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), APP);
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), APP);
}
