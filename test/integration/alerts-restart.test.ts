// The restart action on real processes: run without a shell, capped per hour, backed off, logged.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { AlertEngine } from '../../agent/alerts/engine';
import { RestartRunner, type RestartRecord } from '../../agent/alerts/restart';
import { AlertsRuntime } from '../../agent/alerts/runtime';
import { Redactor } from '../../agent/alerts/secrets';
import { streamLogger } from '../../agent/log';
import { proc, rule, tick } from '../fixtures/alerts';
import { startHook, waitFor } from './alerts-helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-alert-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a crash-looping service is restarted at most max_per_hour times, with backoff, every run logged', async () => {
  const marker = path.join(dir, 'runs.txt');
  // The argument has shell syntax in it: with no shell, it reaches the program as plain text.
  const action = {
    restart: [
      process.execPath,
      '-e',
      'require("fs").appendFileSync(process.argv[1], "run;" + process.argv[2] + "\\n")',
      marker,
      '$(touch pwned) ; echo hi',
    ],
    maxPerHour: 2,
    detach: false,
  };
  const engine = new AlertEngine([
    rule({ name: 'app-died', metric: 'absent', groupBy: 'process', match: { name: '^app$' }, action }),
  ]);
  let clock = Date.now();
  const lines: string[] = [];
  const records: RestartRecord[] = [];
  const runner = new RestartRunner({
    log: streamLogger((l) => lines.push(l)),
    onRecord: (r) => records.push(r),
    now: () => clock,
    backoffMs: 10_000,
  });

  // The app dies five times, 6 s apart.
  for (let i = 0; i < 5; i++) {
    const app = proc(100 + i, { name: 'app' });
    engine.evaluate(tick(clock, [app]));
    clock += 1000;
    for (const t of engine.evaluate(tick(clock, [], {}, [{ pid: app.pid, startTime: app.startTime }])))
      await runner.handle(t);
    clock += 5000;
  }
  assert.deepEqual(
    records.map((r) => r.outcome),
    ['ok', 'backoff', 'ok', 'capped', 'capped'],
  );
  assert.equal(readFileSync(marker, 'utf8'), 'run;$(touch pwned) ; echo hi\n'.repeat(2));
  assert.equal(existsSync(path.join(process.cwd(), 'pwned')), false);
  assert.equal(lines.length, 5, 'every run and refusal is logged');
  assert.match(lines[3]!, /capped \(already ran 2 times in the last hour \(max_per_hour: 2\)\)/);

  // The cap survives a restart of the agent, and lifts after an hour.
  const again = new RestartRunner({ log: streamLogger(() => {}), now: () => clock });
  again.restore(JSON.parse(JSON.stringify(runner.state())));
  assert.equal((await again.run('app-died', 'k', action)).outcome, 'capped');
  clock += 3_600_000;
  assert.equal((await again.run('app-died', 'k', action)).outcome, 'ok');
});

test('a failing command is reported with its exit code, and suppressed alerts run nothing', async () => {
  const records: RestartRecord[] = [];
  const runner = new RestartRunner({ log: streamLogger(() => {}), onRecord: (r) => records.push(r) });
  const failing = {
    restart: [process.execPath, '-e', 'process.stderr.write("nope"); process.exit(3)'],
    maxPerHour: 5,
    detach: false,
  };
  assert.deepEqual(await runner.run('r', 'k', failing).then((r) => [r.outcome, r.detail]), [
    'failed',
    'exit 3: nope',
  ]);
  const missing = { restart: [path.join(dir, 'no-such-program')], maxPerHour: 5, detach: false };
  assert.match((await runner.run('m', 'k', missing)).detail, /ENOENT/);
  const suppressed = await runner.handle({
    kind: 'firing',
    key: 'k',
    rule: 's',
    scope: 'all',
    metric: 'absent',
    severity: 'critical',
    subject: 'x',
    value: 0,
    threshold: 0,
    operator: '>',
    unit: '',
    firedAt: 0,
    ts: 0,
    channels: [],
    suppressed: 'maintenance',
    action: failing,
  });
  assert.equal(suppressed, undefined);
});

test('a rule file others can write runs nothing and sends nothing until it is made private', async () => {
  const hook = await startHook();
  after(hook.close);
  const folder = path.join(dir, 'config');
  mkdirSync(folder, { mode: 0o700 });
  const file = path.join(folder, 'alerts.yaml');
  const marker = path.join(dir, 'trust-runs.txt');
  const restart = [process.execPath, '-e', 'require("fs").appendFileSync(process.argv[1], "run\\n")', marker];
  writeFileSync(
    file,
    `rules:
  - name: app-down
    metric: absent
    match: { name: "^trust-app$" }
    channels: [hook]
    action: { restart: ${JSON.stringify(restart)}, max_per_hour: 5 }
channels:
  hook: { type: webhook, url: "${hook.url}/hook", template: '{"status": "{{status}}"}' }
`,
  );
  chmodSync(file, 0o666);
  const lines: string[] = [];
  const runtime = new AlertsRuntime({
    dataDir: path.join(dir, 'data'),
    file,
    log: streamLogger((l) => lines.push(l)),
    redactor: new Redactor(),
  });
  runtime.start();
  try {
    const refusals = lines.filter((l) => /refused/.test(l));
    assert.equal(refusals.length, 1, lines.join('\n'));
    assert.ok(refusals[0]!.includes(`${file} (file): other users can write it (mode 0666)`), refusals[0]);
    assert.ok(refusals[0]!.trimEnd().endsWith(`chmod 600 ${file}`), refusals[0]);
    assert.deepEqual(
      runtime.rulesStatus().rules.map((r) => [r.name, r.hasAction, r.channels]),
      [['app-down', false, []]],
    );

    let clock = Date.now();
    const app = proc(4321, { name: 'trust-app' });
    runtime.onTick(tick((clock += 1000), [app]));
    runtime.onTick(tick((clock += 1000), []));
    const fired = runtime.history({ from: 0, to: clock + 1, limit: 10, offset: 0 }).events;
    assert.deepEqual(
      fired.map((e) => e.kind),
      ['firing'],
      'the alert still fires (a VS Code toast and history)',
    );

    // `chmod 600`, the fix the line names: the next read arms the file again.
    chmodSync(file, 0o600);
    assert.deepEqual(
      runtime.rulesStatus().rules.map((r) => [r.name, r.hasAction, r.channels]),
      [['app-down', true, ['hook']]],
    );
    runtime.onTick(tick((clock += 1000), [app]));
    runtime.onTick(tick((clock += 1000), []));
    // The action creates the file, then writes to it: wait for its line, not only for the file
    // (a loaded CI machine read it empty between the two).
    const written = () => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');
    await waitFor(() => written().endsWith('\n'), 'the restart action to run', 20_000);
    await waitFor(() => hook.received.some((r) => r.body.includes('firing')), 'the webhook', 20_000);
    assert.equal(written(), 'run\n', 'one run: the first firing ran nothing');
    assert.equal(hook.received.filter((r) => r.body.includes('firing')).length, 1);
  } finally {
    await runtime.stop();
  }
});
