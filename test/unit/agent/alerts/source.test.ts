// The running agent's rule source (last good rules on a broken edit, settings rules without
// commands, `${secret:NAME}` from VS Code) and the bounded JSON-lines journal, on real files.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Journal } from '../../../../agent/alerts/journal';
import { Redactor } from '../../../../agent/alerts/secrets';
import { RuleSource } from '../../../../agent/alerts/source';
import type { Logger } from '../../../../agent/log';
import { refText } from '../../../../shared/i18n/catalogue';
import { problemMessage } from '../../../../shared/problems';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-alerts-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function recordingLog() {
  const lines: string[] = [];
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { log, lines };
}

let files = 0;
function sourceWith(text: string, saved: { rules?: unknown[] } = {}) {
  const file = path.join(dir, `alerts-${++files}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  const { log, lines } = recordingLog();
  const redactor = new Redactor();
  const source = new RuleSource({
    file,
    log,
    redactor,
    settingsStore: { load: () => saved.rules, save: (rules) => (saved.rules = rules) },
  });
  source.reload();
  return { file, source, lines, redactor, write: (t: string) => writeFileSync(file, t) };
}

const TWO_RULES = `rules:
  - name: a
    metric: cpu
    threshold: 80
  - name: b
    metric: memory
    threshold: 100
    channels: [hook]
channels:
  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
`;

describe('RuleSource', () => {
  test('a broken edit keeps the last good version of the rule it broke, and names file:line field once', () => {
    const { file, source, lines, write } = sourceWith(TWO_RULES);
    assert.deepEqual(
      source.config.rules.map((r) => [r.name, r.threshold]),
      [
        ['a', 80],
        ['b', 100],
      ],
    );
    write(TWO_RULES.replace('threshold: 80', 'threshold: 90').replace('threshold: 100', 'threshold: lots'));
    assert.equal(source.reload(), true);
    assert.deepEqual(
      source.config.rules.map((r) => [r.name, r.threshold]),
      [
        ['a', 90],
        ['b', 100],
      ],
      'a takes its new threshold, b keeps its last good one',
    );
    const status = source.status();
    assert.deepEqual(status.keptFromLastGood, ['b']);
    const error = status.problems.find((p) => p.level === 'error')!;
    assert.equal(error.text, `${file}:7 rules[1].threshold: ${error.message}`);
    assert.equal(source.reload(), false, 'the same text is not read again');
    assert.equal(lines.filter((l) => l.includes(`${file}:7 rules[1].threshold`)).length, 1);

    write(
      TWO_RULES.replace('  - name: b\n    metric: memory\n    threshold: 100\n    channels: [hook]\n', ''),
    );
    source.reload();
    assert.deepEqual(
      source.config.rules.map((r) => r.name),
      ['a'],
      'a good file drops the rule',
    );
    assert.deepEqual(source.status().keptFromLastGood, []);
  });

  test('settings rules may name the file’s channels but never bring a restart command', () => {
    const saved: { rules?: unknown[] } = {};
    const { source } = sourceWith(TWO_RULES, saved);
    source.setSettingsRules([
      { name: 's1', metric: 'process_count', threshold: 5, channels: ['hook', 'elsewhere'] },
      { name: 's2', metric: 'absent', match: { name: 'x' }, action: { restart: ['rm', '-rf', '/'] } },
      { name: 'a', metric: 'cpu', threshold: 1 },
    ]);
    const rules = source.config.rules;
    assert.deepEqual(
      rules.map((r) => [r.name, r.channels, r.action]),
      [
        ['a', [], undefined],
        ['b', ['hook'], undefined],
        ['s1', ['hook'], undefined],
        ['s2', [], undefined],
      ],
    );
    assert.equal(rules.find((r) => r.name === 'a')!.threshold, 80, 'the file wins a name clash');
    const fields = source.status().problems.map((p) => `${p.level} ${p.field}`);
    assert.ok(
      fields.some((f) => f.startsWith('warning') && f.endsWith('[1].action')),
      fields.join('\n'),
    );
    assert.ok(
      fields.some((f) => f.includes('[0].channels')),
      fields.join('\n'),
    );
    assert.equal(saved.rules?.length, 3, 'kept for the next start');
  });

  test('${secret:NAME} channels wait for the secret, then resolve; the redactor learns it', () => {
    const text = `rules:
  - name: a
    metric: cpu
    threshold: 80
    channels: [hook, mail]
channels:
  hook: { type: webhook, url: "\${secret:hook-url}" }
  mail:
    type: email
    smtp: { host: 127.0.0.1, port: 2525, user: me, password: "\${secret:smtp}" }
    from: a@example.com
    to: [b@example.com]
`;
    const { source, redactor } = sourceWith(text);
    assert.deepEqual(source.config.channels, {});
    assert.deepEqual(source.config.rules[0]!.channels, ['hook', 'mail'], 'the rule keeps them');
    assert.deepEqual(source.status().waitingForSecrets, [
      { channel: 'hook', secrets: ['hook-url'] },
      { channel: 'mail', secrets: ['smtp'] },
    ]);
    assert.ok(source.status().problems.every((p) => p.level === 'warning'));

    source.setSecrets({ 'hook-url': 'https://hooks.example.com/T0/SECRETtoken42', smtp: 'pw-SECRET-99' });
    const hook = source.config.channels.hook!;
    assert.equal(hook.type === 'webhook' && hook.url, 'https://hooks.example.com/T0/SECRETtoken42');
    const mail = source.config.channels.mail!;
    assert.equal(mail.type === 'email' && mail.smtp.password, 'pw-SECRET-99');
    assert.deepEqual(source.status().waitingForSecrets, []);
    assert.equal(
      redactor.redact('posting to https://hooks.example.com/T0/SECRETtoken42 with pw-SECRET-99'),
      'posting to [redacted] with [redacted]',
    );
  });
});

describe('RuleSource.watch', () => {
  test('a rules file whose folder does not exist yet is picked up when both are created, then on each edit', async () => {
    const file = path.join(dir, 'later', 'deeper', 'alerts.yaml');
    const { log } = recordingLog();
    const source = new RuleSource({ file, log, redactor: new Redactor(), debounceMs: 50 });
    source.reload();
    let changes = 0;
    source.watch(() => changes++);
    const until = async (what: string, holds: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !holds(); await sleep(25))
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    };
    try {
      assert.deepEqual(source.config.rules, []);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, TWO_RULES);
      await until('the new file', () => source.config.rules.length === 2);
      const seen = changes;
      assert.ok(seen >= 1);
      writeFileSync(file, TWO_RULES.replace('threshold: 80', 'threshold: 90'));
      await until('the edit', () => source.config.rules.find((r) => r.name === 'a')?.threshold === 90);
      assert.ok(changes > seen);
      rmSync(path.dirname(file), { recursive: true });
      await until('the folder removed', () => source.config.rules.length === 0);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, TWO_RULES);
      await until('the folder made again', () => source.config.rules.length === 2);
    } finally {
      source.close();
    }
  });
});

describe('Journal', () => {
  test('stays under its bound, keeps the newest records, and skips a line torn by a crash', () => {
    const file = path.join(dir, 'journal.jsonl');
    const journal = new Journal<{ n: number; pad: string }>(file, { maxBytes: 4000 });
    for (let n = 0; n < 200; n++) journal.append([{ n, pad: 'x'.repeat(40) }]);
    assert.ok(statSync(file).size <= 4000);
    const records = journal.read();
    assert.equal(records.at(-1)!.n, 199);
    assert.ok(records.length > 20 && records.length < 100, `${records.length} kept`);
    assert.deepEqual(
      records.map((r) => r.n),
      records.map((_, i) => records[0]!.n + i),
      'contiguous newest run',
    );
    appendFileSync(file, '{"n": 200, "pad": "tor');
    assert.equal(journal.read().at(-1)!.n, 199);
  });

  test('redacts each line before it reaches the disk', () => {
    const file = path.join(dir, 'redacted.jsonl');
    const redactor = new Redactor(['CANARY-secret-1']);
    const journal = new Journal<{ text: string }>(file, { redact: (l) => redactor.redact(l) });
    journal.append([{ text: 'token CANARY-secret-1 here' }]);
    assert.deepEqual(journal.read(), [{ text: 'token [redacted] here' }]);
  });
});

describe('the status a client reads, in its language', () => {
  test('rule summaries and problems carry their catalogue reference beside the English', () => {
    const { source } = sourceWith(`rules:
  - name: a
    metric: cpu
    threshold: 80
    for: 5m
  - name: gone
    metric: absent
    match: { name: "^x$" }
  - name: broken
    metric: memory
    threshold: lots
`);
    const status = source.status();
    const [a, gone] = status.rules;
    assert.equal(a!.summary, 'cpu max > 80% for 5m');
    assert.equal(refText(a!.summaryRef!, 'zh-cn'), 'cpu max > 80% 持续 5m');
    assert.equal(gone!.summary, 'absent not running');
    assert.equal(refText(gone!.summaryRef!, 'zh-cn'), 'absent 没有在运行');
    const problem = status.problems.find((p) => p.field === 'rules[2].threshold')!;
    assert.equal(problem.message, 'expected a number, e.g. threshold: 1024 (MiB of resident memory)');
    assert.equal(problemMessage(problem, 'zh-cn'), '应为数字，例如 threshold: 1024（常驻内存 MiB）');
  });
});
