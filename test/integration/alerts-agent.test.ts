// Alerts end to end in the real agent (dist/agent.js): a CPU burner we start crosses a rule, a
// local hook receives the templated webhook, a client on the socket receives AlertNotification,
// killing the burner sends the resolve notice; the rule file is reloaded on edit and a broken rule
// is named by file:line field while the others keep working; a kill -9 during retries still ends
// in exactly one delivery; canary secrets never reach the log, the store, the alert files or an
// export.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { AlertEvent } from '../../shared/model';
import {
  ActiveAlertsRequest,
  AlertHistoryRequest,
  AlertNotification,
  AlertRulesStatusRequest,
  AlertSecretsRequest,
  AlertSettingsRulesRequest,
  DidSampleNotification,
  SilenceRequest,
  SubscribeRequest,
} from '../../shared/protocol';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import { cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';
import { startHook, startSmtp } from './alerts-helpers';

requireBuild();
const INTERVAL_MS = 250;
const FOR_MS = 1000;
/** Low enough that a burner sharing two busy cores with other test runs still crosses it. */
const THRESHOLD = 15;
const HOOK_CANARY = 'hookCANARY7f3a9e21d4';
const SMTP_PASSWORD = 'smtp-CANARY-pass'; // the one alerts-helpers' SMTP server accepts

const temp = tempDir('pt-alerts-agent-');
const children: ChildProcess[] = [];
const agents: RunningAgent[] = [];
after(async () => {
  // Only agents still running: one killed with -9 has no exit code and would be waited for forever.
  const running = agents.filter((a) => a.child.exitCode === null && a.child.signalCode === null);
  await Promise.all(running.map((a) => a.stop()));
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  temp.remove();
});

function envFor(name: string) {
  const root = path.join(temp.dir, name);
  const env = {
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'process-tracker'), { recursive: true });
  const file = path.join(env.XDG_CONFIG_HOME, 'process-tracker', 'alerts.yaml');
  const dataDir = path.join(root, 'data');
  const write = (text: string) => {
    writeFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
  };
  return { env, file, dataDir, write };
}

/** A process that spins one core, found by a command-line marker no other process has. */
function startBurner(marker: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}', marker], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function connect(dataDir: string, env: Record<string, string>): Promise<AgentConnection> {
  const client = await connectToAgent(
    { socketPath: socketPathFor(dataDir, env) },
    { clientName: 'alerts-test' },
  );
  assert.ok(client, 'the agent serves');
  return client;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function assertNoCanary(files: string[], text: string, where: string) {
  for (const canary of [HOOK_CANARY, SMTP_PASSWORD]) {
    assert.ok(!text.includes(canary), `${where} holds the secret ${canary}`);
    for (const file of files) {
      assert.ok(!readFileSync(file).includes(canary), `${file} holds the secret ${canary}`);
    }
  }
}

describe('alerts in the running agent', () => {
  test('burner → webhook from the template and AlertNotification; resolve on kill; test, reload, broken rule, canaries', async () => {
    const { env, file, dataDir, write } = envFor('main');
    const marker = `pt-burner-${process.pid}-${Date.now()}`;
    const hook = await startHook((req) => ({
      status: 200,
      body: req.url, // echoes the token back: it must still never reach the log
    }));
    after(hook.close);
    const smtp = await startSmtp();
    after(smtp.close);
    const hookUrl = `${hook.url}/hook/${HOOK_CANARY}?token=${HOOK_CANARY}`;
    const rules = `rules:
  - name: burner-cpu
    metric: cpu
    match: { command: "${marker}" }
    operator: ">"
    threshold: ${THRESHOLD}
    resolve_below: 5
    for: 1s
    severity: critical
    channels: [hook, mail]
channels:
  hook:
    type: webhook
    url: "${hookUrl}"
    template: '{"rule": "{{rule}}", "status": "{{status}}", "pid": {{pid}}, "severity": "{{severity}}"}'
  mail:
    type: email
    smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false, user: alerts, password: "${SMTP_PASSWORD}" }
    from: agent@example.com
    to: [me@example.com]
`;
    write(rules);
    const agent = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
    agents.push(agent);
    const client = await connect(dataDir, env);
    after(() => client.close());
    const events: AlertEvent[] = [];
    client.onNotification(AlertNotification.type, (e) => events.push(e));
    // The burner's cpu on every tick, as the agent saw it.
    const samples: { ts: number; over: boolean }[] = [];
    client.onNotification(DidSampleNotification.type, (s) =>
      samples.push({ ts: s.ts, over: s.top.some((r) => (r.cpu ?? 0) > THRESHOLD) }),
    );
    await client.request(SubscribeRequest.type, { filter: { regex: marker }, top: 5 });

    const burner = startBurner(marker);
    const ok = (r: { status: number }) => r.status === 200;
    await waitFor(
      () => hook.received.some(ok),
      30_000,
      () => agent.stderr(),
    );
    const fired = hook.received.find(ok)!;
    const body = JSON.parse(fired.body) as Record<string, unknown>;
    assert.deepEqual(body, { rule: 'burner-cpu', status: 'firing', pid: burner.pid, severity: 'critical' });
    assert.match(String(fired.headers['idempotency-key']), /^pt-/);

    await waitFor(() => events.some((e) => e.kind === 'firing'), 5000);
    const firing = events.find((e) => e.kind === 'firing')!;
    assert.equal(firing.rule, 'burner-cpu');
    assert.equal(firing.process?.pid, burner.pid);
    assert.equal(firing.severity, 'critical');
    assert.match(firing.message, new RegExp(`burner-cpu: .*cpu .*% > ${THRESHOLD}%`));
    // Judged on the agent's own tick times: fired within `for` + 2 intervals of the start of the
    // breach that fired (on a busy machine the burner may dip under the line before that).
    const upToFire = samples.filter((s) => s.ts <= firing.firedAt);
    let start = upToFire.length;
    while (start > 0 && upToFire[start - 1]!.over) start--;
    const breachStart = upToFire[start];
    assert.ok(breachStart, 'a subscribed tick showed the burner over the line');
    assert.ok(
      firing.firedAt - breachStart.ts <= FOR_MS + 2 * INTERVAL_MS,
      `fired ${firing.firedAt - breachStart.ts} ms after the breach began`,
    );
    await waitFor(() => smtp.messages.length > 0, 10_000);
    assert.match(smtp.messages[0]!.data, /burner-cpu/);

    const active = await client.request(ActiveAlertsRequest.type, {});
    assert.deepEqual(
      active.alerts.map((a) => [a.rule, a.state, a.process?.pid]),
      [['burner-cpu', 'firing', burner.pid]],
    );

    burner.kill('SIGKILL');
    await waitFor(() => hook.received.some((r) => r.body.includes('"resolved"')), 15_000);
    await waitFor(() => events.some((e) => e.kind === 'resolved'), 5000);
    assert.equal((await client.request(ActiveAlertsRequest.type, {})).alerts.length, 0);
    const history = await client.request(AlertHistoryRequest.type, { rule: 'burner-cpu' });
    assert.deepEqual(
      history.events.map((e) => e.kind),
      ['resolved', 'firing'],
    );
    assert.deepEqual(history.counts, [
      { rule: 'burner-cpu', firing: 1, resolved: 1, reminders: 0, suppressed: 0 },
    ]);
    // The same history on the command line, through the running agent.
    const listed = await cli(['alerts', 'history', '--data-dir', dataDir], env);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}resolved {2}burner-cpu: /);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}firing {4}burner-cpu: .*cpu .*% > /);
    assert.match(lines[2]!, /^2 of 2 events, newest first, from the running agent \(pid \d+\)/);
    const one = await cli(['alerts', 'history', '-n', '1', '--json', '--data-dir', dataDir], env);
    assert.equal(one.status, 0, one.stderr);
    const parsed = JSON.parse(one.stdout) as { events: { kind: string }[]; total: number };
    assert.deepEqual([parsed.events.map((e) => e.kind), parsed.total], [['resolved'], 2]);

    // alerts test through the running agent: each channel's result, and a test toast to clients.
    const tested = await cli(['alerts', 'test', 'burner-cpu', '--data-dir', dataDir], env);
    assert.equal(tested.status, 0, tested.stderr);
    assert.match(tested.stdout, /through the running agent/);
    assert.match(tested.stdout, /hook \(webhook\): delivered \(HTTP 200\)/);
    assert.match(tested.stdout, /mail \(email\): delivered/);
    await waitFor(() => events.some((e) => e.test === true), 5000);
    const unknown = await cli(['alerts', 'test', 'no-such-rule', '--data-dir', dataDir], env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no alert rule "no-such-rule": the rules are burner-cpu/);

    // Edit the file: a broken rule plus a new good one. The good ones work, the broken one is named.
    const broken = `${rules.replace(
      'channels:\n  hook:',
      `  - name: box-memory
    metric: system_memory
    operator: ">="
    threshold: 0
    channels: [hook]
  - name: broken-rule
    metric: cpu
    threshold: lots
channels:
  hook:`,
    )}`;
    write(broken);
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('threshold: lots')) + 1;
    await waitFor(() => hook.received.some((r) => r.body.includes('"box-memory"')), 15_000, agent.stderr);
    const status = await client.request(AlertRulesStatusRequest.type, {});
    assert.deepEqual(
      status.rules.map((r) => r.name),
      ['burner-cpu', 'box-memory'],
    );
    const problem = status.problems.find((p) => p.level === 'error')!;
    assert.equal(problem.line, brokenLine);
    assert.equal(problem.field, 'rules[2].threshold');
    assert.equal(problem.text, `${file}:${brokenLine} rules[2].threshold: ${problem.message}`);
    const validated = await cli(['alerts', 'validate', file], env);
    assert.equal(validated.status, 2);
    assert.ok(
      validated.stdout.includes(`${file}:${brokenLine} rules[2].threshold: expected a number`),
      validated.stdout,
    );
    const log = readFileSync(path.join(dataDir, 'agent.log'), 'utf8');
    assert.equal(log.split(`${file}:${brokenLine} rules[2].threshold`).length - 1, 1, 'logged once');

    // Settings rules from a window: may name the file's channels, never carry a command.
    const fromSettings = await client.request(AlertSettingsRulesRequest.type, {
      rules: [
        { name: 'from-settings', metric: 'process_count', threshold: 100000, channels: ['hook'] },
        {
          name: 'sneaky',
          metric: 'absent',
          match: { name: 'nothing-like-this' },
          action: { restart: ['touch', path.join(temp.dir, 'pwned')] },
        },
      ],
    });
    assert.deepEqual(
      fromSettings.rules.map((r) => [r.name, r.hasAction]),
      [
        ['burner-cpu', false],
        ['box-memory', false],
        ['from-settings', false],
        ['sneaky', false],
      ],
    );
    assert.ok(fromSettings.problems.some((p) => p.field.endsWith('action') && p.level === 'warning'));

    // Silence the machine rule: its next reminder would be held back; the answer lists it.
    const silenced = await client.request(SilenceRequest.type, { rule: 'box-memory', durationMs: 3_600_000 });
    assert.equal(silenced.silence.rule, 'box-memory');
    assert.ok(
      (await client.request(ActiveAlertsRequest.type, {})).alerts.some(
        (a) => a.rule === 'box-memory' && a.suppressed === 'silence',
      ),
    );

    // Fixing the file: the broken rule loads and the problem goes.
    write(broken.replace('threshold: lots', 'threshold: 99999'));
    await waitFor(
      async () =>
        (await client.request(AlertRulesStatusRequest.type, {})).rules.some((r) => r.name === 'broken-rule'),
      10_000,
    );

    const exported = await cli(['export', '--format', 'json', '--data-dir', dataDir], env);
    assert.equal(exported.status, 0, exported.stderr);
    await client.close();
    assert.equal(await agent.stop(), 0);
    assertNoCanary(filesUnder(dataDir), exported.stdout + agent.stderr(), 'the export or stderr');
    assert.ok(
      hook.received.every((r) => r.url.includes(HOOK_CANARY)),
      'the hook did get the token',
    );
  });

  test('a hook answering 500 then 200, with a kill -9 of the agent during the retries: exactly one delivery', async () => {
    const { env, dataDir, write } = envFor('outbox');
    let failing = true;
    const hook = await startHook((req) => ({ status: failing ? 500 : 200, body: `no: ${req.url}` }));
    after(hook.close);
    write(`rules:
  - name: box
    metric: system_memory
    operator: ">="
    threshold: 0
    channels: [flaky]
channels:
  flaky:
    type: webhook
    url: "${hook.url}/hook?token=${HOOK_CANARY}"
`);
    // No agent yet: alerts test runs locally and reports the channel's failure.
    const local = await cli(['alerts', 'test', 'box', '--data-dir', dataDir], env);
    assert.equal(local.status, 1);
    assert.match(local.stdout, /no agent is running/);
    assert.match(local.stdout, /flaky \(webhook\): failed \(HTTP 500\)/);
    assert.ok(!local.stdout.includes(HOOK_CANARY), local.stdout);
    hook.received.length = 0;

    const first = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
    agents.push(first);
    await waitFor(() => hook.received.length >= 2, 20_000, first.stderr);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const before = hook.received.length;
    failing = false;

    const second = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
    agents.push(second);
    await waitFor(() => hook.received.some((r) => r.status === 200), 20_000, second.stderr);
    // Absence needs a wait: several more ticks, in which a re-fire would have been queued and sent.
    await new Promise((resolve) => setTimeout(resolve, 8 * INTERVAL_MS + 1000));
    assert.equal(await second.stop(), 0);

    const delivered = hook.received.filter((r) => r.status === 200);
    assert.equal(delivered.length, 1, 'exactly one delivery');
    assert.equal(hook.received.length, before + 1, 'one attempt after the restart');
    assert.equal(new Set(hook.received.map((r) => r.headers['idempotency-key'])).size, 1, 'one message');
    const log = readFileSync(path.join(dataDir, 'agent.log'), 'utf8');
    assert.match(log, /HTTP 500: no: \[redacted\]/);
    assert.match(log, /1 undelivered notification\(s\) from before the restart/);
    assertNoCanary(filesUnder(dataDir), second.stderr(), 'stderr');
  });

  test('a channel written as ${secret:NAME} waits for VS Code to send the secret, then delivers', async () => {
    const { env, dataDir, write } = envFor('secrets');
    const hook = await startHook(() => ({ status: 200 }));
    after(hook.close);
    write(`rules:
  - name: box
    metric: system_memory
    operator: ">="
    threshold: 0
    channels: [later]
channels:
  later:
    type: webhook
    url: "\${secret:later-url}"
`);
    const validated = await cli(['alerts', 'validate'], env);
    assert.equal(validated.status, 0, 'a missing secret is a warning, not a broken file');
    assert.match(validated.stdout, /channels\.later: waits for the secret later-url/);

    const agent = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
    agents.push(agent);
    const client = await connect(dataDir, env);
    after(() => client.close());
    await waitFor(
      async () =>
        (await client.request(ActiveAlertsRequest.type, {})).alerts.some((a) => a.state === 'firing'),
      10_000,
    );
    const before = await client.request(AlertRulesStatusRequest.type, {});
    assert.deepEqual(before.waitingForSecrets, [{ channel: 'later', secrets: ['later-url'] }]);
    assert.equal(hook.received.length, 0);

    const status = await client.request(AlertSecretsRequest.type, {
      secrets: { 'later-url': `${hook.url}/hook?token=${HOOK_CANARY}` },
    });
    assert.deepEqual(status.waitingForSecrets, []);
    await waitFor(() => hook.received.length > 0, 10_000, agent.stderr);
    assert.match(hook.received[0]!.body, /box/);
    await client.close();
    assert.equal(await agent.stop(), 0);
    assertNoCanary(filesUnder(dataDir), agent.stderr(), 'stderr');
  });
});
