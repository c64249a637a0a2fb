import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  formatProblem,
  loadAlertsFile,
  mergeRules,
  parseAlertsYaml,
  rulesFromSettings,
} from '../../../../agent/alerts/rules';

const opts = { allowActions: true, now: Date.parse('2026-01-10T12:00:00Z') };
const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-alert-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = `rules:
  - name: node-cpu
    metric: cpu
    match: { command: "node .*server" }
    aggregate: max
    operator: ">"
    threshold: 80
    resolve_below: 70
    for: 5m
    severity: warning
    repeat: 1h
    channels: [team-hook]
    escalate: { after: 30m, channels: [oncall] }
channels:
  team-hook:
    type: webhook
    url: http://127.0.0.1:9000/hook
    template: '{"text": "{{rule}}: {{process}} at {{value}}"}'
  oncall:
    type: dingtalk
    url: https://oapi.dingtalk.com/robot/send?access_token=abcdef123456
    secret: SECabcdef
`;

describe('alerts.yaml parsing', () => {
  test('the issue example parses into a complete rule', () => {
    const { config, problems } = parseAlertsYaml(GOOD, 'alerts.yaml', opts);
    assert.deepEqual(problems, []);
    const [r] = config.rules;
    assert.equal(r!.name, 'node-cpu');
    assert.equal(r!.metric, 'cpu');
    assert.deepEqual(r!.match, { command: 'node .*server' });
    assert.equal(r!.threshold, 80);
    assert.equal(r!.resolveAt, 70);
    assert.equal(r!.forMs, 300_000);
    assert.equal(r!.repeatMs, 3_600_000);
    assert.deepEqual(r!.escalate, { afterMs: 1_800_000, channels: ['oncall'] });
    assert.equal(r!.source, 'alerts.yaml:2');
    assert.equal(config.channels['team-hook']!.type, 'webhook');
    assert.deepEqual(config.channels.oncall, {
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef123456',
      secret: 'SECabcdef',
    });
  });

  test('a broken threshold names file, line and field; the other rules keep working', () => {
    const text = `rules:
  - name: a
    metric: cpu
    threshold: 80
  - name: b
    metric: memory
    threshold: 1024
  - name: c
    metric: cpu
    threshold: lots
  - name: d
    metric: system_cpu
    threshold: 95
`;
    const { config, problems } = parseAlertsYaml(text, 'alerts.yaml', opts);
    assert.deepEqual(
      config.rules.map((r) => r.name),
      ['a', 'b', 'd'],
    );
    assert.equal(problems.length, 1);
    assert.equal(
      formatProblem(problems[0]!),
      'alerts.yaml:10 rules[2].threshold: expected a number, e.g. threshold: 80 (percent of one core)',
    );
  });

  test('each kind of mistake gets its own clear message', () => {
    const cases: [string, RegExp][] = [
      [
        '  - name: x\n    metric: cpus\n    threshold: 1\n',
        /:3 rules\[0\]\.metric: string "cpus" is not one of .* \(did you mean cpu\?\)/,
      ],
      ['  - metric: cpu\n    threshold: 1\n', /:2 rules\[0\]\.name: is required/],
      [
        '  - name: x\n    metric: cpu\n    threshold: 1\n    for: soon\n',
        /:5 rules\[0\]\.for: for "soon" is not a duration/,
      ],
      [
        '  - name: x\n    metric: cpu\n    threshold: 1\n    match: { name: "([" }\n',
        /:5 rules\[0\]\.match\.name: name "\(\[" is not a valid regular expression/,
      ],
      [
        '  - name: x\n    metric: cpu\n    threshold: 10\n    resolve_below: 20\n',
        /rules\[0\]\.resolve_below: must be at or below the threshold \(10\)/,
      ],
      [
        '  - name: x\n    metric: cpu\n    operator: "<"\n    threshold: 10\n    resolve_below: 5\n',
        /resolve_below: goes with operator > or >=/,
      ],
      [
        '  - name: x\n    metric: system_cpu\n    threshold: 10\n    match: { name: a }\n',
        /rules\[0\]\.match: system_cpu is machine-wide/,
      ],
      ['  - name: x\n    metric: absent\n', /rules\[0\]\.match: absent needs a match/],
      [
        '  - name: x\n    metric: cpu\n    threshold: 1\n    action: { restart: [a] }\n',
        /rules\[0\]\.action: a restart action goes with metric: absent/,
      ],
      [
        '  - name: x\n    metric: absent\n    match: { name: a }\n    action: { restart: "systemctl restart a" }\n',
        /rules\[0\]\.action\.restart: expected a list/,
      ],
      [
        '  - name: x\n    metric: cpu\n    threshold: 1\n    match: { category: browsers }\n',
        /match\.category: unknown category "browsers"/,
      ],
    ];
    for (const [rules, expected] of cases) {
      const { config, problems } = parseAlertsYaml(`rules:\n${rules}`, 'alerts.yaml', opts);
      assert.equal(config.rules.length, 0, rules);
      assert.match(problems.map(formatProblem).join('\n'), expected);
    }
  });

  test('unknown fields are warnings with a suggestion, and the rule is kept', () => {
    const { config, problems } = parseAlertsYaml(
      'rules:\n  - name: x\n    metric: cpu\n    treshold: 5\n    threshold: 1\n',
      'a.yaml',
      opts,
    );
    assert.equal(config.rules.length, 1);
    assert.equal(problems[0]!.level, 'warning');
    assert.equal(
      formatProblem(problems[0]!),
      'a.yaml:4 rules[0].treshold: unknown field, ignored: did you mean threshold?',
    );
  });

  test('a YAML syntax error skips the entry it is in, not the whole file', () => {
    const text =
      'rules:\n  - name: a\n    metric: cpu\n    threshold: 80\n  - name: b\n    metric: [cpu\n    threshold: 1\n';
    const { config, problems } = parseAlertsYaml(text, 'alerts.yaml', opts);
    assert.deepEqual(
      config.rules.map((r) => r.name),
      ['a'],
    );
    assert.ok(problems.some((p) => p.level === 'error' && p.field === '(syntax)' && p.line !== undefined));
  });

  test('one indentation slip gives one clear problem, not every parser error it causes', () => {
    const text = [
      'rules:',
      '  - name: cpu',
      '    metric: cpu',
      '   threshold: 90',
      '    for: 30s',
      '  - name: mem',
      '    metric: memory',
      '    threshold: 80',
      '',
    ].join('\n');
    const { config, problems } = parseAlertsYaml(text, 'alerts.yaml', opts);
    assert.deepEqual(
      config.rules.map((r) => r.name),
      ['mem'],
    );
    assert.equal(problems.length, 1, problems.map(formatProblem).join('\n'));
    assert.equal(problems[0]!.line, 4);
    assert.match(formatProblem(problems[0]!), /^alerts\.yaml:4 .*indent/i);
  });

  test('a template that would not give JSON is rejected with the fix', () => {
    const text = `channels:\n  h:\n    type: webhook\n    url: http://127.0.0.1/x\n    template: '{"text": {{rule}}}'\n`;
    const { config, problems } = parseAlertsYaml(text, 'alerts.yaml', opts);
    assert.equal(config.channels.h, undefined);
    assert.match(
      formatProblem(problems[0]!),
      /^alerts\.yaml:5 channels\.h\.template: does not give JSON once filled in/,
    );
  });

  test('every channel type is validated with its own fields', () => {
    const text = `channels:
  s: { type: slack, url: "https://hooks.slack.com/services/T0/B0/xyz" }
  d: { type: discord, url: "https://discord.com/api/webhooks/1/abc" }
  w: { type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }
  f: { type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: s3cr3t }
  t: { type: telegram, token: "123:abc", chat_id: -100123 }
  e:
    type: email
    smtp: { host: 127.0.0.1, port: 2525, user: u, password: p }
    from: alerts@example.com
    to: me@example.com
  bad-url: { type: slack, url: "ftp://x" }
  no-token: { type: telegram, chat_id: 1 }
  bad-mail: { type: email, smtp: { host: h }, from: nobody, to: [a@b.c] }
`;
    const { config, problems } = parseAlertsYaml(text, 'alerts.yaml', opts);
    assert.deepEqual(Object.keys(config.channels).sort(), ['d', 'e', 'f', 's', 't', 'w']);
    assert.deepEqual(config.channels.t, {
      type: 'telegram',
      token: '123:abc',
      chatId: '-100123',
      apiUrl: 'https://api.telegram.org',
    });
    assert.deepEqual(config.channels.e, {
      type: 'email',
      smtp: { host: '127.0.0.1', port: 2525, secure: false, user: 'u', password: 'p' },
      from: 'alerts@example.com',
      to: ['me@example.com'],
    });
    const text2 = problems.map(formatProblem).join('\n');
    assert.match(text2, /alerts\.yaml:12 channels\.bad-url\.url: must be an http or https URL/);
    assert.match(text2, /alerts\.yaml:13 channels\.no-token\.token: is required/);
    assert.match(text2, /alerts\.yaml:14 channels\.bad-mail\.from: "nobody" is not an email address/);
  });

  test('a rule naming an unknown channel keeps working (toasts) and the reference is reported', () => {
    const { config, problems } = parseAlertsYaml(
      'rules:\n  - name: x\n    metric: cpu\n    threshold: 1\n    channels: [nope]\n',
      'a.yaml',
      opts,
    );
    assert.equal(config.rules.length, 1);
    assert.deepEqual(config.rules[0]!.channels, []);
    assert.match(
      formatProblem(problems[0]!),
      /^a\.yaml:5 rules\[0\]\.channels\[0\]: no channel "nope" is defined/,
    );
  });

  test('an unknown channel is reported at its own rule, even after a broken rule was skipped', () => {
    const text = `rules:
  - name: broken
    metric: cpu
    threshold: lots
  - name: second
    metric: cpu
    threshold: 50
    channels: [nochan]
`;
    const { config, problems } = parseAlertsYaml(text, 'a.yaml', opts);
    assert.deepEqual(
      config.rules.map((r) => r.name),
      ['second'],
    );
    const texts = problems.map(formatProblem);
    assert.equal(texts.length, 2);
    assert.match(texts[0]!, /^a\.yaml:4 rules\[0\]\.threshold: expected a number/);
    assert.match(texts[1]!, /^a\.yaml:8 rules\[1\]\.channels\[0\]: no channel "nochan" is defined/);
    const settings = rulesFromSettings(
      [
        { name: 'broken', metric: 'cpu', threshold: 'lots' },
        { name: 'second', metric: 'cpu', threshold: 50, channels: ['nochan'] },
      ],
      [],
      { allowActions: false },
    );
    assert.match(
      formatProblem(settings.problems[1]!),
      /^settings processTracker\.alerts\.rules\[1\]\.channels\[0\]: no channel "nochan"/,
    );
  });

  test('duplicate rule names: the second is reported', () => {
    const text =
      'rules:\n  - { name: x, metric: cpu, threshold: 1 }\n  - { name: x, metric: cpu, threshold: 2 }\n';
    const { config, problems } = parseAlertsYaml(text, 'a.yaml', opts);
    assert.deepEqual(
      config.rules.map((r) => r.threshold),
      [1],
    );
    assert.match(formatProblem(problems[0]!), /^a\.yaml:3 rules\[1\]\.name: "x" is used by an earlier rule/);
  });

  test('silences and maintenance windows', () => {
    const text = `silences:
  - rule: node-cpu
    until: "2026-01-11 09:00"
  - process: "^chrome$"
    until: 2h
  - until: 1h
maintenance:
  - name: backups
    cron: "0 2 * * *"
    duration: 1h
    rules: [node-cpu]
  - days: [sat, sun]
    from: "22:00"
    to: "06:00"
  - cron: "61 * * * *"
    duration: 1h
  - cron: "0 2 * * *"
`;
    const { config, problems } = parseAlertsYaml(text, 'a.yaml', opts);
    assert.equal(config.silences.length, 2);
    assert.equal(config.silences[0]!.until, new Date(2026, 0, 11, 9, 0).getTime());
    assert.equal(config.silences[1]!.until, opts.now + 7_200_000);
    assert.equal(config.maintenance.length, 2);
    assert.deepEqual(config.maintenance[1]!.days, [6, 0]);
    const text2 = problems.map(formatProblem).join('\n');
    assert.match(text2, /a\.yaml:6 silences\[2\]: silences nothing in particular/);
    assert.match(
      text2,
      /a\.yaml:15 maintenance\[2\]\.cron: cron "61 \* \* \* \*": minute "61" is outside 0–59/,
    );
    assert.match(text2, /a\.yaml:17 maintenance\[3\]\.duration: is required with cron/);
  });

  test('restart actions only where allowed', () => {
    const text =
      'rules:\n  - name: x\n    metric: absent\n    match: { name: "^app$" }\n    action: { restart: [systemctl, --user, restart, app], max_per_hour: 2 }\n';
    const allowed = parseAlertsYaml(text, 'a.yaml', opts);
    assert.deepEqual(allowed.config.rules[0]!.action, {
      restart: ['systemctl', '--user', 'restart', 'app'],
      maxPerHour: 2,
      detach: false,
    });
    const refused = parseAlertsYaml(text, 'a.yaml', { allowActions: false });
    assert.equal(refused.config.rules[0]!.action, undefined);
    assert.match(
      formatProblem(refused.problems[0]!),
      /rules\[0\]\.action: restart actions are only taken from your own alerts\.yaml, never from settings/,
    );
  });

  test('rules from settings use the same validation, named by setting path', () => {
    const { rules, problems } = rulesFromSettings(
      [
        { name: 's1', metric: 'memory', threshold: 2048, channels: ['team-hook'] },
        { name: 's2', metric: 'memory', threshold: 'big' },
      ],
      ['team-hook'],
      { allowActions: false },
    );
    assert.deepEqual(
      rules.map((r) => r.name),
      ['s1'],
    );
    assert.equal(
      formatProblem(problems[0]!),
      'settings processTracker.alerts.rules[1].threshold: expected a number, e.g. threshold: 1024 (MiB of resident memory)',
    );
    assert.equal(rules[0]!.source, 'settings processTracker.alerts.rules[0]');

    const file = parseAlertsYaml(GOOD, 'alerts.yaml', opts).config;
    const merged = mergeRules(file, [...rules, { ...rules[0]!, name: 'node-cpu' }]);
    assert.deepEqual(
      merged.config.rules.map((r) => r.name),
      ['node-cpu', 's1'],
    );
    assert.match(merged.problems[0]!.message, /also in the alerts file, which wins/);
  });

  test('the file must be private: a readable file is warned about, a missing one is empty', () => {
    const file = path.join(dir, 'alerts.yaml');
    writeFileSync(file, GOOD);
    chmodSync(file, 0o644);
    const loose = loadAlertsFile(file, opts);
    assert.equal(loose.config.rules.length, 1);
    assert.match(
      formatProblem(loose.problems[0]!),
      /alerts\.yaml \(file\): is readable by other users \(mode 0644\).*chmod 600/,
    );
    chmodSync(file, 0o600);
    assert.deepEqual(loadAlertsFile(file, opts).problems, []);
    assert.deepEqual(loadAlertsFile(path.join(dir, 'none.yaml'), opts), {
      config: { rules: [], channels: {}, silences: [], maintenance: [] },
      problems: [],
    });
  });
});

test('a silence until a bare clock time ends at its next occurrence', () => {
  const now = new Date(2026, 0, 10, 12, 0).getTime();
  const text = 'silences:\n  - rule: node-cpu\n    until: "08:00"\n  - rule: node-cpu\n    until: "18:00"\n';
  const { config, problems } = parseAlertsYaml(text, 'a.yaml', { ...opts, now });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    config.silences.map((s) => s.until),
    [new Date(2026, 0, 11, 8, 0).getTime(), new Date(2026, 0, 10, 18, 0).getTime()],
  );
});
