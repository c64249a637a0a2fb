// Runs through the real agent (agent/runs): a window's RunStarted / RunEnded for a process tree we
// start here, sampled by the agent tick by tick — peak memory, CPU-seconds, the exit code the window
// reports — then compared with the earlier run of the same command, listed by the CLI (from the
// agent, and from runs.json once it stopped). A terminal command counts only what the shell started
// after it began, not the shell's earlier background job. Every process here is ours, ended by pid.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes } from 'vscode-jsonrpc';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import type { RunListing } from '../../shared/model';
import { RunEndedRequest, RunsRequest, RunStartedRequest } from '../../shared/protocol';
import { cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

const MB = 1024 * 1024;

/** Node holding `mb` MiB resident after 1.5 s of its own CPU time, until its stdin closes. */
const holder = (mb: number) =>
  `const b = Buffer.alloc(${mb} * 1024 * 1024, 1); while (process.cpuUsage().user < 1.5e6) {}` +
  ` process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); setInterval(() => b[0]++, 1000);`;

describe('runs through the real agent', { timeout: 5 * 60_000 }, () => {
  const data = tempDir('pt-runs-');
  const runtime = tempDir('pt-runs-run-');
  const env = { XDG_RUNTIME_DIR: runtime.dir };
  const folder = data.dir;
  let agent: RunningAgent;
  let client: AgentConnection;
  const children: ChildProcess[] = [];
  let counter = 0;

  const run = (command: string, pid: number, source: 'task' | 'terminal' = 'task') => ({
    id: `test-${process.pid}-${++counter}`,
    source,
    command,
    folder,
    pid,
    start: Date.now(),
  });

  const listed = async (id: string): Promise<RunListing | undefined> =>
    (await client.request(RunsRequest.type, {})).runs.find((r) => r.id === id);

  /** Starts bash running the holder (then `exit CODE`), reports the run, waits for its peak, ends it. */
  const taskRun = async (command: string, mb: number, code: number) => {
    const child = spawn('/bin/bash', ['-c', `${process.execPath} -e "${holder(mb)}"; exit ${code}`], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(child);
    const start = run(command, child.pid!);
    await client.request(RunStartedRequest.type, start);
    await waitFor(async () => ((await listed(start.id))?.peakRss ?? 0) >= mb * MB * 0.8, 60_000);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin!.end();
    const exitCode = await exited;
    return client.request(RunEndedRequest.type, { ...start, end: Date.now(), exitCode });
  };

  before(async () => {
    requireBuild();
    agent = await startAgent(data.dir, env, ['--interval', '250ms']);
    const connected = await connectToAgent(
      { socketPath: socketPathFor(data.dir, { ...process.env, ...env }) },
      { clientName: 'runs-test', clientVersion: '0' },
    );
    assert.ok(connected, 'no agent answers');
    client = connected;
  });

  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await client?.close();
    await agent?.stop();
    data.remove();
    runtime.remove();
  });

  it('a task run: its subtree’s peak memory and CPU, the exit code; the next run compared with it', async () => {
    const first = await taskRun('build-big', 160, 3);
    assert.equal(first.exitCode, 3);
    assert.ok(first.peakRss! >= 128 * MB, `peak ${first.peakRss}`);
    assert.ok(first.cpuSeconds! >= 0.5, `cpu ${first.cpuSeconds}`);
    assert.ok(first.processes >= 2, `processes ${first.processes} (bash and node)`);

    const second = await taskRun('build-big', 16, 0);
    const listing = await listed(second.id);
    assert.equal(listing?.compare.earlier, 1);
    assert.ok(listing!.compare.peakRatio! < 0.5, JSON.stringify(listing!.compare));

    const text = await cli(['runs', '--data-dir', data.dir], env);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /build-big/);
    assert.match(text.stdout, /exit 3/);
    assert.match(text.stdout, /leaner than usual/);
  });

  it('a terminal command: only what the shell started after it began', async () => {
    // The shell starts a background sleep, says so, then waits for a line before running the command.
    const shell = spawn(
      '/bin/bash',
      ['-c', `sleep 120 & echo ready; read -r line; ${process.execPath} -e "${holder(64)}"; exit 0`],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    children.push(shell);
    let ready = 0;
    shell.stdout!.on('data', () => (ready ||= Date.now()));
    // The sleep must be older than the run by more than the start-time slack (1 s).
    await waitFor(() => ready > 0 && Date.now() - ready > 1500, 60_000);
    const start = run('node holder', shell.pid!, 'terminal');
    await client.request(RunStartedRequest.type, start);
    shell.stdin!.write('go\n');
    await waitFor(async () => ((await listed(start.id))?.peakRss ?? 0) >= 48 * MB, 60_000);
    shell.stdin!.end();
    const ended = await client.request(RunEndedRequest.type, { ...start, end: Date.now(), exitCode: 0 });
    assert.equal(ended.processes, 1, 'the node command only: not the shell, not its earlier sleep');
    assert.ok(ended.peakRss! < 150 * MB, `peak ${ended.peakRss} counts more than the command`);
  });

  it('a secret typed in a command is not kept; a bad end is one clear line', async () => {
    const start = run('TOKEN=hunter2 curl -H "Authorization: Bearer abc.def" https://u:pw@example.com', 1);
    const ended = await client.request(RunEndedRequest.type, {
      ...start,
      end: start.start + 10,
      exitCode: 0,
    });
    assert.doesNotMatch(ended.command, /hunter2|abc\.def|u:pw/);
    await assert.rejects(
      client.request(RunEndedRequest.type, { ...start, end: start.start - 1, exitCode: 0 }),
      (error: Error & { code?: number }) =>
        error.code === ErrorCodes.InvalidParams && /"end" is before "start"/.test(error.message),
    );
  });

  it('kept in runs.json: the CLI lists them with no agent running', async () => {
    await agent.stop();
    const saved = readFileSync(path.join(data.dir, 'runs', 'runs.json'), 'utf8');
    assert.doesNotMatch(saved, /hunter2/);
    const json = await cli(['runs', '--json', '--data-dir', data.dir], env);
    assert.equal(json.status, 0, json.stderr);
    const runs = JSON.parse(json.stdout) as RunListing[];
    assert.equal(runs.filter((r) => r.command === 'build-big').length, 2);
    assert.ok(runs[0]!.start >= runs[runs.length - 1]!.start, 'newest first');
  });
});
