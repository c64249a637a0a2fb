// Containers' starts and stops from ticks whose rows carry the container ids the cgroup parser
// reads from fixture cgroup files, with names from the fixture tree (test/fixtures/containers),
// through the engine the agent runs and its file in a temp data dir.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { AnalyticsEngine } from '../../../../agent/analytics/engine';
import { engineSource, fileSource } from '../../../../agent/analytics/source';
import { findingJson, reportText } from '../../../../agent/cli/analytics';
import { containerFromCgroup } from '../../../../agent/collect/cgroup';
import { coefficientOfVariation } from '../../../../agent/analytics/stats';
import { resolveContainerName } from '../../../../agent/collect/containerName';
import { silentLogger } from '../../../../agent/log';
import type { ProcessRow } from '../../../../shared/model';
import { proc, tick } from '../../../fixtures/store/ticks';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures');
const cgroup = (file: string) =>
  containerFromCgroup(readFileSync(path.join(FIXTURES, 'cgroup', file), 'utf8'));
const TREE = path.join(FIXTURES, 'containers');
const roots = {
  proc: path.join(TREE, 'proc'),
  docker: path.join(TREE, 'docker'),
  storage: [path.join(TREE, 'storage')],
};
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const DOCKER = cgroup('docker-v2-systemd.txt')!;
const POD = cgroup('kubepods-burstable-v2.txt')!;

describe('container starts and stops', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-containers-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let lookups = 0;
  const engine = () =>
    new AnalyticsEngine({
      dataDir: dir,
      log: silentLogger,
      containerName: (container, pid) => {
        lookups++;
        return resolveContainerName(container, pid, roots);
      },
    });
  // The docker container's init (pid 4343) and a worker it started; the pod's process (4242); a
  // host process. The pod lives for ticks 3–6 only.
  const rows = (k: number): ProcessRow[] => [
    proc(1, T0 - 60_000, 'systemd', { container: cgroup('host-v2-session.txt') }),
    proc(4343, T0 - 30_000, 'nginx', { container: DOCKER }),
    proc(4350, T0 - 20_000, 'nginx', { container: DOCKER }),
    ...(k >= 3 && k <= 6 ? [proc(4242, T0 + 5_000, 'checkout', { container: POD })] : []),
  ];
  const at = (k: number) => T0 + k * 2000;

  test('a container first seen is a start dated by its first process, named from its files', () => {
    const e = engine();
    for (let k = 1; k <= 10; k++) e.onTick(tick(at(k), rows(k)));
    const events = e.containers.inRange(0, Infinity);
    assert.deepEqual(events, [
      { ts: T0 - 30_000, kind: 'start', container: DOCKER, name: 'web-frontend' },
      { ts: T0 + 5_000, kind: 'start', container: POD, name: 'checkout-7d9f8b6c5-x2x1q' },
      // Gone on tick 7, stopped after a second tick without it: dated by its last sighting.
      { ts: at(6), kind: 'stop', container: POD, name: 'checkout-7d9f8b6c5-x2x1q' },
    ]);
    // One lookup per container, not per tick.
    assert.equal(lookups, 2);
    // What a report asks the running agent for its waste, efficiency and trend subjects.
    assert.equal(engineSource(e).containerName(DOCKER), 'web-frontend');
    assert.equal(engineSource(e).containerName('docker:0000feed'), null);
    e.stop();
  });

  test('a restarted agent keeps the events, stops what vanished meanwhile, and does not start twice', () => {
    const e = engine();
    // The docker container is still there; nothing else.
    for (let k = 100; k <= 102; k++) e.onTick(tick(at(k), rows(1)));
    assert.equal(e.containers.inRange(0, Infinity).filter((x) => x.kind === 'start').length, 2);
    e.onTick(tick(at(103), [proc(1, T0 - 60_000, 'systemd')]));
    e.onTick(tick(at(104), [proc(1, T0 - 60_000, 'systemd')]));
    e.stop();
    // The CLI's read-only view of the same file.
    const events = fileSource(dir).containerEvents(T0, Infinity);
    assert.deepEqual(
      events.map((x) => [x.kind, x.container === DOCKER ? 'docker' : 'pod', x.ts]),
      [
        ['start', 'pod', T0 + 5_000],
        ['stop', 'pod', at(6)],
        ['stop', 'docker', at(102)],
      ],
    );
  });

  test('a container whose name cannot be read is recorded with none, and looked up again later', () => {
    const none = mkdtempSync(path.join(os.tmpdir(), 'pt-containers-none-'));
    try {
      let asked = 0;
      const e = new AnalyticsEngine({
        dataDir: none,
        log: silentLogger,
        containerName: () => (++asked >= 2 ? 'late-name' : null),
      });
      e.onTick(tick(at(1), rows(1)));
      e.onTick(tick(at(2), rows(2)));
      assert.equal(e.containers.nameOf(DOCKER), null);
      // A minute later it is asked again.
      e.onTick(tick(at(1) + 61_000, rows(1)));
      assert.equal(e.containers.nameOf(DOCKER), 'late-name');
      assert.equal(asked, 2);
    } finally {
      rmSync(none, { recursive: true, force: true });
    }
  });

  test("a name's baseline in a container is its own: the efficiency rows' memory CV per container", () => {
    const e = new AnalyticsEngine({ dataDir: null, log: silentLogger, containerName: () => null });
    // indexer on the host holds 200 MiB; its namesake in the container swings 100 ↔ 300 MiB a minute.
    for (let ts = T0; ts < T0 + 6 * 60_000; ts += 2000) {
      const swing = Math.floor((ts - T0) / 60_000) % 2 === 0 ? 100 : 300;
      e.onTick(
        tick(ts, [
          proc(610, T0 - 60_000, 'indexer', { rss: 200 * 2 ** 20 }),
          proc(4360, T0 - 60_000, 'indexer', { container: DOCKER, rss: swing * 2 ** 20 }),
        ]),
      );
    }
    const cv = (container: string | null) => {
      const m = engineSource(e).rssMoments('indexer', container);
      assert.ok(m && m.n >= 5, `${container}: ${JSON.stringify(m)}`);
      return coefficientOfVariation(m);
    };
    assert.equal(cv(null), 0);
    assert.ok(cv(DOCKER)! > 0.4, String(cv(DOCKER)));
  });

  test("a finding about a container's process names the container: subject, summaries, JSON, report", () => {
    const named = mkdtempSync(path.join(os.tmpdir(), 'pt-containers-named-'));
    try {
      const e = new AnalyticsEngine({
        dataDir: named,
        log: silentLogger,
        leakWindowMs: 60_000,
        containerName: (container, pid) => resolveContainerName(container, pid, roots),
      });
      // In the docker container (named web-frontend in its config.v2.json): nginx's worker leaks
      // 5 MB/s, and a program its init keeps restarting every two seconds.
      let pid = 5000;
      for (let k = 1; k <= 60; k++) {
        const ts = at(k);
        const previous = { pid, startTime: ts - 3000 };
        e.onTick({
          ...tick(ts, [
            ...rows(1),
            proc(4360, T0, 'worker', { container: DOCKER, ppid: 4343, rss: 50 * 2 ** 20 + k * 2 * 5e6 }),
            proc(++pid, ts - 1000, 'crashy', { container: DOCKER, ppid: 4343 }),
          ]),
          exited: k > 1 ? [previous] : [],
        });
      }
      const findings = e.findingsIn(T0, at(60));
      const kinds = findings.map((f) => f.kind).sort();
      assert.deepEqual(kinds, ['leak', 'restart_loop'], JSON.stringify(findings.map((f) => f.summary.en)));
      for (const f of findings) {
        assert.equal(f.subject.container, DOCKER);
        assert.equal(f.subject.containerName, 'web-frontend');
        assert.match(f.summary.en, /\[web-frontend\]/);
        assert.match(f.summary.zh, /\[web-frontend\]/);
        const json = findingJson(f);
        assert.equal(json.container, DOCKER);
        assert.equal(json.containerName, 'web-frontend');
      }
      const text = reportText({ from: T0, to: at(60), findings, efficiency: [] }, 'en');
      assert.equal(text.match(/\[web-frontend\]/g)?.length, 2, text);
      // The CLI's offline view of the stored findings says the same.
      e.stop();
      assert.deepEqual(
        fileSource(named)
          .findings(T0, at(60))
          .map((f) => f.subject.containerName),
        ['web-frontend', 'web-frontend'],
      );
    } finally {
      rmSync(named, { recursive: true, force: true });
    }
  });
});
