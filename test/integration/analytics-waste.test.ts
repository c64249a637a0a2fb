// `waste` from a real process: one that fills 300 MB (so it is resident) and then sleeps, under a
// real agent with its default settings. "Large and idle for days" cannot be waited for in a test;
// `report --idle-for 1m` (the shortest window it takes) asks the same rule (alive through the whole window, ≥ 256 MiB on average,
// ≤ 0.5 % of a core) over a minute of what the agent recorded. A small idle process of ours is
// not listed, and the default window (2 days) lists neither. Both processes are ended by their pid.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { WASTE_MIN_BYTES } from '../../agent/analytics/report';
import {
  cli,
  endByPid,
  expectBadInput,
  requireBuild,
  startAgent,
  tempDir,
  waitFor,
  type RunningAgent,
} from './agentHarness';

interface JsonFinding {
  kind: string;
  name: string | null;
  identities: { pid: number; startTime: number }[];
  summary: string;
  summaryZh: string;
  evidence: Record<string, unknown>;
}

const MARK = `pt-waste-${process.pid}`;

describe('waste from a real large idle process', { timeout: 10 * 60_000 }, () => {
  const data = tempDir('pt-waste-');
  const runtime = tempDir('pt-waste-run-');
  const env = { XDG_RUNTIME_DIR: runtime.dir };
  let agent: RunningAgent;
  let large: ChildProcess;
  let small: ChildProcess;

  const report = async (extra: string[]): Promise<JsonFinding[]> => {
    const result = await cli(['report', '--from', '1h ago', '--json', '--data-dir', data.dir, ...extra], env);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as JsonFinding[];
  };
  const wasteAbout = (findings: JsonFinding[], child: ChildProcess) =>
    findings.find((f) => f.kind === 'waste' && f.identities.some((i) => i.pid === child.pid));

  before(async () => {
    requireBuild();
    agent = await startAgent(data.dir, env);
    // 300 MB filled with ones (resident, not merely reserved), then nothing but a timer.
    large = spawn(
      process.execPath,
      [
        '-e',
        'const keep = Buffer.alloc(300e6, 1); setInterval(() => keep.length, 3_600_000);',
        `${MARK}-large`,
      ],
      { stdio: 'ignore' },
    );
    small = spawn(process.execPath, ['-e', 'setInterval(() => {}, 3_600_000);', `${MARK}-small`], {
      stdio: 'ignore',
    });
  });

  after(async () => {
    await endByPid(large);
    await endByPid(small);
    await agent?.stop();
    data.remove();
    runtime.remove();
  });

  it('lists the large idle process as waste once it has been idle for --idle-for, and only it', async () => {
    let last: JsonFinding[] = [];
    await waitFor(
      async () => wasteAbout((last = await report(['--idle-for', '1m'])), large) !== undefined,
      6 * 60_000,
      () => JSON.stringify(last.filter((f) => f.kind !== 'efficiency').map((f) => f.summary)),
    );
    const waste = wasteAbout(last, large)!;
    assert.equal(waste.name, 'node');
    assert.ok(Number(waste.evidence.memAvg) >= WASTE_MIN_BYTES, `memAvg ${String(waste.evidence.memAvg)}`);
    assert.ok(Number(waste.evidence.cpuPerWall) <= 0.5, `cpu ${String(waste.evidence.cpuPerWall)}`);
    assert.ok(Number(waste.evidence.idleS) >= 0.9 * 60, `idle ${String(waste.evidence.idleS)} s`);
    assert.match(waste.summary, /^node \(pid \d+\) holds .* while nearly idle/);
    assert.match(waste.summaryZh, /几乎空闲/);
    assert.equal(wasteAbout(last, small), undefined, 'the small idle process is no waste');
    // "For days" by default: minutes of idleness are not enough.
    assert.equal(wasteAbout(await report([]), large), undefined);
  });

  it('refuses an --idle-for under a minute in one line, exit 2', async () => {
    await expectBadInput(
      ['report', '--idle-for', '10s', '--data-dir', data.dir],
      env,
      /--idle-for "10s" is out of range: give 1m to 366d, e.g. --idle-for 2d$/,
    );
  });
});
