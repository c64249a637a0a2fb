// Runs the real agent (dist/agent.js, built by `npm run build`) as a child process.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, tempXdgHomes } from '../harness/childEnv';

export const AGENT = path.resolve(__dirname, '..', '..', 'dist', 'agent.js');

export function requireBuild(): void {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run "npm run build" first`);
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let homes: ReturnType<typeof tempXdgHomes> | undefined;

/**
 * The agent's and the CLI's environment: none of the shell's PROCESS_TRACKER_* or XDG_* (childEnv),
 * temp XDG homes shared by this test file's children (so no user alert rules, data dir, socket
 * folder or systemd units are reached), then the test's own values.
 */
export function agentEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  if (!homes) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pt-agent-homes-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    homes = tempXdgHomes(root);
  }
  return childEnv({ ...homes, ...env });
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to completion, in agentEnv(env). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AGENT, ...args], {
      env: agentEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process-tracker ${args.join(' ')} took over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI with a bad input and checks the house rule: exit 2, nothing on stdout, one line on
 * stderr matching `message`. Returns that line.
 */
export async function expectBadInput(
  args: string[],
  env: NodeJS.ProcessEnv,
  message: RegExp,
): Promise<string> {
  const result = await cli(args, env);
  assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${result.stderr}`);
  assert.match(lines[0]!, message);
  assert.equal(result.stdout, '');
  return lines[0]!;
}

export function cliSync(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [AGENT, ...args], {
    env: agentEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningAgent {
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `process-tracker run --quiet` and waits until it records (socket claimed, store open). */
export async function startAgent(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): Promise<RunningAgent> {
  const child = spawn(process.execPath, [AGENT, 'run', '--quiet', '--data-dir', dataDir, ...extra], {
    env: agentEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  await waitFor(
    () => /recording every /.test(stderr) || child.exitCode !== null,
    30_000,
    () => stderr,
  );
  if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}: ${stderr}`);
  return {
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Ends a child we started, by its PID, and resolves once it has exited. */
export function endByPid(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid!, signal);
  });
}

export interface HttpAgent {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  openUrl: string;
  base: string;
  token: string;
  stop(): Promise<void>;
}

/** `run --http …`, waiting for the URL it prints once on stdout. */
export async function serveHttp(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  extra: string[],
): Promise<HttpAgent> {
  const child = spawn(process.execPath, [AGENT, 'run', '--quiet', '--data-dir', dataDir, ...extra], {
    env: agentEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(
    () => /https?:\/\/\S+\?token=\S+/.test(stdout) || child.exitCode !== null,
    60_000,
    () => stderr,
  );
  if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}: ${stderr}`);
  const openUrl = /(https?:\/\/\S+\?token=\S+)/.exec(stdout)![1]!;
  const url = new URL(openUrl);
  const token = url.searchParams.get('token')!;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    openUrl,
    base: url.origin,
    token,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  detail = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
