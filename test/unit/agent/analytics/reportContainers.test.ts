// Waste, efficiency and trend findings name the container their process ran in, as leak, anomaly
// and restart_loop do — read from a data dir an agent of main wrote (test/fixtures/storeMain:
// real sql.js files and analytics/containers.json, made by main's own store and engine from
// processes in the fixture docker container and on the host). So a store from before this change
// opens and answers with it, and its host processes are in no container.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildReport } from '../../../../agent/analytics/report';
import { fileSource } from '../../../../agent/analytics/source';
import { findingJson, reportText } from '../../../../agent/cli/analytics';
import { containerFromCgroup } from '../../../../agent/collect/cgroup';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { Finding } from '../../../../shared/model';
import type { ReportRequest } from '../../../../shared/protocol';
import { DEFAULT_RETENTION } from '../../../../shared/settings';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures');
const DOCKER = containerFromCgroup(
  readFileSync(path.join(FIXTURES, 'cgroup', 'docker-v2-systemd.txt'), 'utf8'),
)!;
const DAY = 86_400_000;
/** The fixture's newest tick (storeMain/make.ts). */
const END = Date.UTC(2026, 10, 20, 0, 5, 0);

describe('report: waste, efficiency and trend name their container', () => {
  let dir: string;
  let store: Store;
  let report: ReportRequest.Result;
  const about = (kind: Finding['kind'], name: string, container: string | null, list?: Finding[]) =>
    (list ?? (kind === 'efficiency' ? report.efficiency : report.findings)).filter(
      (f) => f.kind === kind && f.subject.name === name && f.subject.container === container,
    );

  before(async () => {
    // A copy: nothing here may change the fixture (a read-only open writes nothing, but a
    // damaged file would be moved aside).
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-report-containers-'));
    cpSync(path.join(FIXTURES, 'storeMain', 'data'), dir, { recursive: true });
    store = await Store.open({
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      readOnly: true,
      now: () => END + 1000,
    });
    report = await buildReport(store, fileSource(dir), { from: END - 4 * DAY, to: END });
  });

  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waste: the idle process in the container by its name, the host one in none', () => {
    const inside = about('waste', 'cache', DOCKER);
    assert.equal(inside.length, 1, JSON.stringify(report.findings.map((f) => f.summary.en)));
    assert.equal(inside[0]!.subject.containerName, 'web-frontend');
    assert.deepEqual(
      inside[0]!.subject.identities.map((i) => i.pid),
      [4350],
    );
    assert.match(
      inside[0]!.summary.en,
      /^cache \(pid 4350\) \[web-frontend\] holds 300 MiB while nearly idle/,
    );
    assert.match(inside[0]!.summary.zh, /^cache（pid 4350） \[web-frontend\] 几乎空闲/);
    const host = about('waste', 'cache', null);
    assert.equal(host.length, 1);
    assert.equal(host[0]!.subject.containerName, null);
    assert.doesNotMatch(host[0]!.summary.en, /\[/);
  });

  it('efficiency: one row per name and container', () => {
    for (const name of ['cache', 'indexer']) {
      const inside = about('efficiency', name, DOCKER);
      assert.equal(inside.length, 1, `${name} in the container`);
      assert.equal(inside[0]!.subject.containerName, 'web-frontend');
      assert.match(inside[0]!.summary.en, new RegExp(`^${name} \\[web-frontend\\] uses`));
      assert.match(inside[0]!.summary.zh, new RegExp(`^${name} \\[web-frontend\\] 运行期间`));
      assert.equal(about('efficiency', name, null).length, 1, `${name} on the host`);
    }
    assert.equal(report.efficiency.length, 4);
    // main's baselines.json kept one memory baseline per name, of both indexers: read as the
    // host's, so the container's row has no CV of its own yet (not its namesake's).
    assert.equal(about('efficiency', 'indexer', DOCKER)[0]!.evidence.memCv, null);
    assert.equal(typeof about('efficiency', 'indexer', null)[0]!.evidence.memCv, 'number');
  });

  it('trend: the growing name in the container, not its flat namesake on the host', () => {
    const trends = report.findings.filter((f) => f.kind === 'trend');
    assert.deepEqual(
      trends.map((f) => [f.subject.name, f.subject.container, f.subject.containerName, f.evidence.metric]),
      [['indexer', DOCKER, 'web-frontend', 'memory']],
    );
    assert.match(trends[0]!.summary.en, /^indexer \[web-frontend\] memory .* in 7 days/);
    assert.match(trends[0]!.summary.zh, /^indexer \[web-frontend\] 内存 预计 7 天后/);
  });

  it('report --json and the text say the container', () => {
    const json = [...report.findings, ...report.efficiency].map(findingJson);
    const inside = json.filter((j) => j.container === DOCKER);
    // waste, trend and two efficiency rows.
    assert.equal(inside.length, 4);
    assert.ok(inside.every((j) => j.containerName === 'web-frontend'));
    assert.ok(json.filter((j) => j.container === null).every((j) => j.containerName === null));
    const text = reportText(report, 'en');
    assert.match(text, /NAME +CONTAINER +CPU%\/CORE/);
    assert.match(text, /\ncache +web-frontend +0\.0 /);
    assert.match(text, /\ncache +- +0\.0 /);
    assert.match(reportText(report, 'zh-cn'), /名称 +容器/);
  });
});
