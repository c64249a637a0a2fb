// `process-tracker report` (the real CLI binary, no agent: the store's files read-only) over a data
// dir an agent of main wrote (test/fixtures/storeMain): waste, trend and efficiency name the
// fixture's docker container — `--json` with its id and name, the text with `[web-frontend]` and a
// CONTAINER column — and `--container` keeps what is about it, by name, id or id prefix.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, requireBuild, tempDir } from './agentHarness';

const DOCKER = 'docker:3f2a6c1b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';
const RANGE = ['--from', '2026-11-16T00:05:00Z', '--to', '2026-11-20T00:05:00Z'];

interface JsonFinding {
  kind: string;
  name: string | null;
  container: string | null;
  containerName: string | null;
  summary: string;
}

describe('report names containers (CLI over a store written by main)', () => {
  const data = tempDir('pt-report-containers-');
  const runtime = tempDir('pt-report-containers-run-');
  // No agent serves this data dir: the CLI reads the files itself.
  const env = { XDG_RUNTIME_DIR: runtime.dir, LANG: 'C.UTF-8', LC_ALL: '', LANGUAGE: '' };

  before(() => {
    requireBuild();
    cpSync(path.join(__dirname, '..', 'fixtures', 'storeMain', 'data'), data.dir, { recursive: true });
  });

  after(() => {
    data.remove();
    runtime.remove();
  });

  const report = async (extra: string[] = []): Promise<JsonFinding[]> => {
    const result = await cli(['report', ...RANGE, '--json', '--data-dir', data.dir, ...extra], env);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as JsonFinding[];
  };
  const kinds = (findings: JsonFinding[]) => findings.map((f) => `${f.kind} ${f.name}`).sort();

  it('--json: every finding in the container says so, the host ones say none', async () => {
    const all = await report();
    const inside = all.filter((f) => f.container === DOCKER);
    assert.deepEqual(kinds(inside), [
      'efficiency cache',
      'efficiency indexer',
      'trend indexer',
      'waste cache',
    ]);
    assert.ok(
      inside.every((f) => f.containerName === 'web-frontend' && f.summary.includes('[web-frontend]')),
    );
    const host = all.filter((f) => f.container === null);
    assert.deepEqual(kinds(host), ['efficiency cache', 'efficiency indexer', 'waste cache']);
    assert.ok(host.every((f) => f.containerName === null && !f.summary.includes('[')));
  });

  it('--container keeps what is about that container: by name, id, id without runtime, prefix', async () => {
    for (const wanted of ['web-frontend', DOCKER, DOCKER.slice('docker:'.length), '3f2a6c1b']) {
      const kept = await report(['--container', wanted]);
      assert.deepEqual(
        kinds(kept),
        ['efficiency cache', 'efficiency indexer', 'trend indexer', 'waste cache'],
        wanted,
      );
    }
    assert.deepEqual(await report(['--container', 'db-backend']), []);
  });

  it('the text: [web-frontend] in the lines, a CONTAINER column in the efficiency table', async () => {
    const result = await cli(['report', ...RANGE, '--data-dir', data.dir], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /waste +.*cache \(pid 4350\) \[web-frontend\] holds 300 MiB/);
    assert.match(result.stdout, /\nNAME +CONTAINER +CPU%\/CORE/);
    assert.match(result.stdout, /\nindexer +web-frontend +5\.0 /);
    assert.match(result.stdout, /\nindexer +- +5\.0 /);
  });
});
