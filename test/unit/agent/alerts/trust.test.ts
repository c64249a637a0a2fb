// Only a rule file that nobody else can write may run commands or send data off the machine
// (issue 13, High 3). Real files, modes, owners and folders in a temp dir.
import assert from 'node:assert/strict';
import { chmodSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { formatProblem, loadAlertsFile } from '../../../../agent/alerts/rules';
import { Redactor } from '../../../../agent/alerts/secrets';
import { RuleSource } from '../../../../agent/alerts/source';
import { silentLogger } from '../../../../agent/log';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-alerts-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FILE = `rules:
  - name: app-down
    metric: absent
    match: { name: "^app$" }
    channels: [hook]
    action: { restart: [systemctl, --user, restart, app] }
  - name: box-cpu
    metric: system_cpu
    threshold: 95
    channels: [hook]
    escalate: { after: 30m, channels: [mail] }
channels:
  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
  mail:
    type: email
    smtp: { host: 127.0.0.1, port: 2525 }
    from: a@example.com
    to: [b@example.com]
silences:
  - rule: box-cpu
    until: 2h
`;

const root = process.getuid?.() === 0;
let n = 0;
/** A private folder holding the rule file with the given mode. */
function fileIn(folderMode = 0o700, fileMode = 0o600, text = FILE) {
  const folder = path.join(dir, `f${++n}`);
  mkdirSync(folder, { mode: folderMode });
  chmodSync(folder, folderMode);
  const file = path.join(folder, 'alerts.yaml');
  writeFileSync(file, text);
  chmodSync(file, fileMode);
  return { folder, file };
}
/** "Someone else": as root, a real other owner; otherwise the check asked as another uid. */
function foreign(target: string): { uid?: number } {
  if (root) {
    lchownSync(target, 65534, 65534);
    return {};
  }
  return { uid: process.getuid!() + 1 };
}

const armed = (file: string, options: { uid?: number } = {}) => {
  const { config, problems } = loadAlertsFile(file, { allowActions: true, ...options });
  return {
    actions: config.rules.filter((r) => r.action).length,
    channels: Object.keys(config.channels).length,
    ruleChannels: config.rules.flatMap((r) => [...r.channels, ...(r.escalate?.channels ?? [])]),
    rules: config.rules.map((r) => r.name),
    silences: config.silences.length,
    problems: problems.map(formatProblem),
  };
};

describe('a rule file others can write', () => {
  test('a private file (0600 or 0644) in a private folder keeps its actions and channels', () => {
    for (const mode of [0o600, 0o644]) {
      const { file } = fileIn(0o700, mode);
      const got = armed(file);
      assert.equal(got.actions, 1);
      assert.equal(got.channels, 2);
      assert.ok(!got.problems.some((p) => /refused/.test(p)), got.problems.join('\n'));
    }
  });

  test('mode 0666 or 0620: actions and channels refused in one line naming the file and chmod 600', () => {
    for (const mode of [0o666, 0o620]) {
      const { file } = fileIn(0o700, mode);
      const got = armed(file);
      assert.equal(got.actions, 0);
      assert.equal(got.channels, 0);
      assert.deepEqual(got.ruleChannels, [], 'no rule names a channel any more');
      assert.deepEqual(got.rules, ['app-down', 'box-cpu'], 'the rules still show in VS Code');
      assert.equal(got.silences, 1, 'silences and maintenance only hold notifications back: kept');
      const refusals = got.problems.filter((p) => /refused/.test(p));
      assert.equal(refusals.length, 1, got.problems.join('\n'));
      assert.ok(refusals[0]!.startsWith(`${file} (file): `), refusals[0]);
      assert.match(refusals[0]!, /other users can write it \(mode 06[26]\d\).*chmod 600 /);
      assert.ok(refusals[0]!.endsWith(`chmod 600 ${file}`), refusals[0]);
      assert.ok(!got.problems.some((p) => /readable by other users/.test(p)), 'one line, not two');
    }
  });

  test('a file owned by another user is refused, naming chown', () => {
    const { file } = fileIn();
    const as = foreign(file);
    const got = armed(file, as);
    assert.equal(got.actions, 0);
    assert.equal(got.channels, 0);
    assert.match(
      got.problems.join('\n'),
      /\(file\): is owned by .*not by you.*chown .* refused|refused.*chown/,
    );
  });

  test('a folder on the way that others can write (no sticky bit) is refused, naming it and chmod', () => {
    const { folder, file } = fileIn(0o777);
    const got = armed(file);
    assert.equal(got.actions, 0);
    assert.equal(got.channels, 0);
    const line = got.problems.find((p) => /refused/.test(p))!;
    assert.match(line, new RegExp(`folder ${folder} .*mode 0777`));
    assert.match(line, new RegExp(`chmod go-w ${folder}`));

    const parent = path.join(dir, `p${++n}`);
    mkdirSync(parent);
    chmodSync(parent, 0o775);
    mkdirSync(path.join(parent, 'cfg'), { mode: 0o700 });
    const deep = path.join(parent, 'cfg', 'alerts.yaml');
    writeFileSync(deep, FILE, { mode: 0o600 });
    assert.match(armed(deep).problems.join('\n'), new RegExp(`folder ${parent} .*0775.*refused`));
  });

  test('a sticky world-writable folder (like /tmp) is accepted when the file in it is yours and private', () => {
    const { file } = fileIn(0o1777, 0o600);
    const got = armed(file);
    assert.equal(got.actions, 1);
    assert.equal(got.channels, 2);
    // …but not a file someone else put there first.
    const { file: planted } = fileIn(0o1777, 0o600);
    assert.equal(armed(planted, foreign(planted)).actions, 0);
  });

  test('a symlink to a private file, placed in a folder others can write, is refused', () => {
    const { file } = fileIn();
    const open = path.join(dir, `o${++n}`);
    mkdirSync(open);
    chmodSync(open, 0o777);
    const link = path.join(open, 'alerts.yaml');
    symlinkSync(file, link);
    const got = armed(link);
    assert.equal(got.actions, 0);
    assert.match(got.problems.join('\n'), new RegExp(`folder ${open} `));
  });

  test('the running source drops actions (also ones kept from the last good read) and takes them back after chmod 600', () => {
    const { file } = fileIn();
    const source = new RuleSource({ file, log: silentLogger, redactor: new Redactor() });
    source.reload();
    assert.equal(source.config.rules.filter((r) => r.action).length, 1);
    // Made writable by others, and the rule with the action broken: nothing is kept armed.
    chmodSync(file, 0o666);
    writeFileSync(file, FILE.replace('metric: absent', 'metric: absentt'));
    assert.equal(source.reload(), true);
    assert.equal(source.config.rules.filter((r) => r.action).length, 0);
    assert.deepEqual(Object.keys(source.config.channels), []);
    assert.ok(source.status().problems.some((p) => p.level === 'error' && /refused/.test(p.message)));
    // The fix from the message, with the text unchanged, is picked up by the next read.
    writeFileSync(file, FILE);
    source.reload();
    assert.equal(source.config.rules.filter((r) => r.action).length, 0);
    chmodSync(file, 0o600);
    assert.equal(source.reload(), true, 'a change of trust is a change');
    assert.equal(source.config.rules.filter((r) => r.action).length, 1);
    assert.equal(Object.keys(source.config.channels).length, 2);
  });
});
