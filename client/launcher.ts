// Finds the running agent's socket or starts an agent and waits for its socket. No `vscode` here:
// the connection logic is exercised from node tests as well as from the extension.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { connectSocket } from './connectSocket';
import { makeDirs } from './paths';
import { isNamedPipe } from './socketDir';
import { withAgentMallocEnv } from '../shared/mallocEnv';

export interface AgentLaunch {
  /** dist/agent.js of this extension. */
  script: string;
  /** The Node to run it with; in VS Code, process.execPath with ELECTRON_RUN_AS_NODE=1. */
  nodePath: string;
  dataDir: string;
  socketPath: string;
  /** Arguments after `run --quiet --data-dir DIR` (interval, idle stop). */
  extraArgs: string[];
  env: NodeJS.ProcessEnv;
  /** Start one when none runs; false only connects. */
  autoStart: boolean;
  /** How long to wait for a started agent's socket; default 20 s (a busy machine starts slowly). */
  timeoutMs?: number;
}

export interface Connected {
  socket: net.Socket;
  /** Set when this call started the agent. */
  spawnedPid?: number;
}

export type LaunchLog = (message: string) => void;

/** The file that receives a started agent's stderr: why it could not start, when it cannot. */
export function startLogPath(dataDir: string): string {
  return path.join(dataDir, 'agent-start.log');
}

/** Past this size the start log moves to `.1` (replacing the one before): a few hundred starts. */
const START_LOG_MAX_BYTES = 256 * 1024;

/**
 * Opens the start log for appending, with a header naming this start: every start's reason stays,
 * a restart after a failure does not erase it. Returns the descriptor and where this start begins.
 */
function openStartLog(file: string, command: string): { fd: number; from: number } {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // no log yet
  }
  if (size > START_LOG_MAX_BYTES) {
    try {
      renameSync(file, `${file}.1`);
      size = 0;
    } catch {
      // keep appending to the long one: a start log is no reason not to start
    }
  }
  const fd = openSync(file, 'a', 0o600);
  const header = `=== ${new Date().toISOString()} started ${command} ===\n`;
  writeSync(fd, header);
  return { fd, from: size + Buffer.byteLength(header) };
}

/**
 * Connects to the agent serving launch.dataDir, or starts one and connects once it serves. With no
 * socket file there is no agent to ask: the agent is spawned before this returns its promise, so
 * its start-up overlaps whatever the caller does next.
 */
export async function connectOrStart(launch: AgentLaunch, log: LaunchLog): Promise<Connected> {
  const mayServe = isNamedPipe(launch.socketPath) || existsSync(launch.socketPath);
  const existing = mayServe ? await connectSocket(launch.socketPath) : undefined;
  if (existing) {
    log(`connected to the running agent at ${launch.socketPath}`);
    return { socket: existing };
  }
  if (!launch.autoStart) {
    throw new Error(
      `no agent serves ${launch.dataDir} and processTracker.agent.autoStart is off: start one with "process-tracker run --data-dir ${launch.dataDir}", or turn the setting on`,
    );
  }
  const args = [launch.script, 'run', '--quiet', '--data-dir', launch.dataDir, ...launch.extraArgs];
  makeDirs(launch.dataDir);
  const errorFile = startLogPath(launch.dataDir);
  const { fd: stderr, from } = openStartLog(errorFile, `${launch.nodePath} ${args.join(' ')}`);
  // detached + unref: the agent is nobody's child to wait for and outlives this window.
  const child = spawn(launch.nodePath, args, {
    detached: true,
    stdio: ['ignore', 'ignore', stderr],
    // The allocator settings must be there from the agent's first instruction (shared/mallocEnv.ts).
    env: { ...withAgentMallocEnv(launch.env), ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  closeSync(stderr);
  child.unref();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let failed: Error | undefined;
  void spawnError.then((error) => (failed = error));
  log(`started the agent (pid ${child.pid}): ${launch.nodePath} ${args.join(' ')}`);

  const timeoutMs = launch.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  // Knock often while a just-spawned agent boots (~0.2 s), less once it is slow to come up.
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (failed) throw new Error(`the agent could not be started (${failed.message}): ${launch.nodePath}`);
    const socket = await connectSocket(launch.socketPath);
    if (socket) return { socket, spawnedPid: child.pid };
    // Exit 0 means another starter won the race and serves: keep knocking until its socket answers.
    if (exit && exit.code !== 0) {
      throw new Error(
        `the agent exited (${exit.code ?? exit.signal}) before serving: ${tail(errorFile, from)} — see ${errorFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, attempt < 40 ? 25 : 100));
  }
  throw new Error(
    `the agent started (pid ${child.pid}) but did not open ${launch.socketPath} within ${timeoutMs / 1000} s: ${tail(errorFile, from)}`,
  );
}

/** What this start wrote to the start log (from `from` on), its end when long. */
function tail(file: string, from: number): string {
  try {
    const text = readFileSync(file).subarray(from).toString('utf8').trim();
    return text.length > 600 ? `…${text.slice(-600)}` : text || 'it printed nothing';
  } catch {
    return 'it printed nothing';
  }
}
