// The environment a suite hands to what it starts — the agent and CLI, code-server (whose extension
// host starts an agent), Chromium. Built from the test runner's own environment minus every
// variable that could point the child at the user's real agent, store, settings or sockets:
// PROCESS_TRACKER_* steers the product (a CLI user may well have PROCESS_TRACKER_DATA_DIR set in
// the shell) and XDG_* names the user's folders. Then the suite's own values, and nothing else of
// ours: what a child needs to run (PATH, HOME, LANG, TMPDIR, DISPLAY…) passes through unchanged.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Variables that must never reach a child from the shell that runs the tests. */
export const USER_ONLY = /^(PROCESS_TRACKER_|XDG_)/;

/**
 * `parent` without PROCESS_TRACKER_* and XDG_*, then `own` on top (an undefined value removes a
 * variable). Every suite builds the environment of the agent, code-server and Chromium with this.
 */
export function childEnv(
  own: Readonly<Record<string, string | undefined>> = {},
  parent: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !USER_ONLY.test(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Where a child that would otherwise use the user's XDG folders keeps its config, data, caches
 * and sockets instead: four folders under `root`, created (the runtime one private, as the agent
 * requires for its socket folder).
 */
export function tempXdgHomes(root: string): {
  XDG_CONFIG_HOME: string;
  XDG_DATA_HOME: string;
  XDG_CACHE_HOME: string;
  XDG_RUNTIME_DIR: string;
} {
  const homes = xdgHomesUnder(root);
  for (const dir of [homes.XDG_CONFIG_HOME, homes.XDG_DATA_HOME, homes.XDG_CACHE_HOME])
    mkdirSync(dir, { recursive: true });
  mkdirSync(homes.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  return homes;
}

/** The folders tempXdgHomes(root) made, to reach what a child keeps there (nothing is created). */
export function xdgHomesUnder(root: string): ReturnType<typeof tempXdgHomes> {
  return {
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    XDG_RUNTIME_DIR: path.join(root, 'xdg-run'),
  };
}
