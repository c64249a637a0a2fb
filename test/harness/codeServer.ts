// Starts code-server (VS Code OSS: server + web workbench) for the real-VS-Code suites, on a free
// loopback port with fresh user-data and extensions folders, and stops exactly what it started.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, tempXdgHomes, xdgHomesUnder } from './childEnv';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const SETUP_HINT =
  'run `bash scripts/setup-ci.sh && bash scripts/setup-code-server.sh` (or `npm run setup:ci`)';

/** The code-server entry script installed by scripts/setup-code-server.sh. */
export function codeServerEntry(root = REPO_ROOT): string {
  return path.join(root, '.code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Quiet, repeatable windows: no welcome walkthrough, tips or update prompts over what a test looks at. */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // The extension starts a detached agent; should a test not stop it, it stops itself a minute after
  // its last window closed instead of recording forever.
  'processTracker.agent.stopAfterIdleMinutes': 1,
};

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  folder: string;
  /** An extensions folder to use instead of a fresh empty one (e.g. one a .vsix was installed into). */
  extensionsDir?: string;
  /** Default true; false keeps Workspace Trust on, for the restricted-mode tests. */
  disableWorkspaceTrust?: boolean;
  /** Added to code-server's environment, which its extension host inherits. */
  env?: Record<string, string>;
  /** User settings (merged over DEFAULT_USER_SETTINGS), written to the fresh user-data folder. */
  settings?: Record<string, unknown>;
  /** How long to wait for the server to answer; default 60 s (a busy 2-core machine is slow). */
  startTimeoutMs?: number;
  /** The display language (`--locale`), e.g. `zh-cn`; VS Code takes it only with its language pack installed. */
  locale?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  /** The temp folder holding user data, extensions, config and XDG homes; removed by stop(). */
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** What code-server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** False once the server process has exited (crashed, or stopped). */
  alive(): boolean;
  /** Kills the process group this harness started, waits for it to be gone, removes tempDir. */
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  if (!existsSync(entry)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed (${entry} is missing): ${SETUP_HINT}`,
    );
  }
  // A free port can be taken between probing and binding: try again on a fresh one.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(entry, options, await freePort());
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

/** The language packs a test window can use: stand-ins for Microsoft's, which cannot be downloaded here. */
const LANGUAGE_PACKS: Record<string, string> = {
  'zh-cn': path.join(REPO_ROOT, 'test', 'fixtures', 'zh-language-pack'),
};

/**
 * Makes the window start in `locale`, as "Configure Display Language" would after installing the
 * language pack: VS Code's server reads the choice from argv.json and finds the pack's translations
 * through languagepacks.json in the user-data folder (what installing a pack writes).
 */
function registerLanguagePack(userDataDir: string, locale: string): void {
  const pack = LANGUAGE_PACKS[locale];
  if (!pack)
    throw new Error(`no language pack for ${locale} in the test fixtures: add one to LANGUAGE_PACKS`);
  writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale }));
  const manifest = JSON.parse(readFileSync(path.join(pack, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  writeFileSync(
    path.join(userDataDir, 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: `fixture-${manifest.version}`,
        label: locale,
        extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
        translations: { vscode: path.join(pack, 'translations', 'main.i18n.json') },
      },
    }),
  );
}

async function startOnce(entry: string, options: CodeServerOptions, port: number): Promise<CodeServer> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'pt-code-server-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(tempDir, 'extensions');
  const configFile = path.join(tempDir, 'config.yaml');
  for (const dir of [userDataDir, extensionsDir]) mkdirSync(dir, { recursive: true });
  tempXdgHomes(tempDir);
  // Without --config code-server writes a default config (with a password) into the user's home.
  writeFileSync(configFile, 'auth: none\n');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...options.settings }, null, 2),
  );
  if (options.locale) registerLanguagePack(userDataDir, options.locale);

  const args = [
    entry,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(options.disableWorkspaceTrust === false ? [] : ['--disable-workspace-trust']),
    ...(options.locale ? ['--locale', options.locale] : []),
    options.folder,
  ];
  const env = codeServerEnv(tempDir, options.env);

  // detached: its own process group, so stop() reaches the server, its extension host and their children.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error('code-server could not be spawned');
  }
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // The server is in its own process group, so a Ctrl-C or a CI timeout does not reach it: take it
  // down with us, then let the signal do what it would have done.
  const onParentExit = () => {
    killGroup(pid, 'SIGKILL');
    for (const stray of straysOf(tempDir)) killPid(stray, 'SIGKILL');
    rmSync(tempDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    onParentExit();
    forgetParent();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const forgetParent = () => {
    process.off('exit', onParentExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onParentExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      forgetParent();
      await stopGroup(pid, child);
      await stopStrays(tempDir);
      rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    })());

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilAnswering(url, child, () => output, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return { url, port, pid, tempDir, userDataDir, extensionsDir, output: () => output, alive, stop };
}

/** code-server's environment (its extension host and the agent that starts inherit it). */
export function codeServerEnv(
  tempDir: string,
  own: Record<string, string> = {},
  parent: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  // Nothing of the shell's PROCESS_TRACKER_* or XDG_*: XDG homes (tempXdgHomes) point into tempDir
  // so that code-server and whatever the extension under test starts (the agent) keep their data,
  // config, caches and socket out of the real user's, and the agent takes no data dir from the shell.
  return childEnv(
    {
      ...xdgHomesUnder(tempDir),
      PORT: undefined, // code-server would prefer $PORT over --bind-addr
      PASSWORD: undefined,
      HASHED_PASSWORD: undefined,
      ...own,
    },
    parent,
  );
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = output();
      if (/EADDRINUSE/.test(text)) throw new PortTakenError(`port taken: ${text.slice(-500)}`);
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${text.slice(-3000)}`,
      );
    }
    try {
      const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

async function stopGroup(pid: number, child: ChildProcess): Promise<void> {
  killGroup(pid, 'SIGTERM');
  if (await waitForGroupGone(pid, 5000)) return;
  killGroup(pid, 'SIGKILL');
  if (await waitForGroupGone(pid, 5000)) return;
  throw new Error(`code-server process group ${pid} survived SIGKILL (exit code ${child.exitCode})`);
}

/**
 * What the code under test started outside the group — the extension launches its agent detached, to
 * outlive the window — is still ours: every such process carries tempDir in its environment (the XDG
 * homes) or command line. SIGTERM first so an agent can close its store cleanly.
 */
async function stopStrays(tempDir: string): Promise<void> {
  let strays = straysOf(tempDir);
  if (strays.length === 0) return;
  for (const stray of strays) killPid(stray, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && (strays = strays.filter(pidAlive)).length > 0) await sleep(100);
  for (const stray of strays) killPid(stray, 'SIGKILL');
}

/** PIDs whose environment or command line names tempDir (unique to one start). Linux only: /proc. */
function straysOf(tempDir: string): number[] {
  if (process.platform !== 'linux') return [];
  const marker = tempDir + path.sep;
  const strays: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8');
      if (cmdline.includes(marker) || environ.includes(marker)) strays.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return strays;
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForGroupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await sleep(100);
  }
  return !groupAlive(pid);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
