// Alerts in Chinese with the real agent binary: `alerts validate` under LANG=zh_CN.UTF-8 names a
// rule file's problems in Chinese (a shared parser's among them), English under C; an agent started
// in Chinese (or told `language: zh-cn` by its rule file) sends its webhook notification in Chinese,
// `alerts history` says it in Chinese, and the agent's log stays English.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { connectToAgent } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import { errorRef, userErrorText } from '../../shared/errors';
import { ProcessesRequest, SilenceRequest } from '../../shared/protocol';
import { cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';
import { startHook } from './alerts-helpers';

requireBuild();

/** Only LANG decides (the runner's LC_ALL / LC_MESSAGES / LANGUAGE are blanked). */
const locale = (lang: string): NodeJS.ProcessEnv => ({
  LANG: lang,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANGUAGE: '',
});

const temp = tempDir('pt-alerts-zh-');
const agents: RunningAgent[] = [];
after(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  temp.remove();
});

function rulesFile(name: string, text: string): string {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'alerts.yaml');
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

const BROKEN = `rules:
  - name: node-cpu
    metric: cpu
    match: { name: "node(?=x)" }
    threshold: 80
  - name: big
    metric: memory
    threshold: lots
  - name: typo
    metric: cpux
    threshold: 5
maintenance:
  - cron: "0 25 * * *"
    duration: 1h
`;

describe('alert rule problems in the user language', () => {
  test('alerts validate under LANG=zh_CN.UTF-8: each problem in Chinese, exit 2; English under C', async () => {
    const file = rulesFile('broken', BROKEN);
    const zh = await cli(['alerts', 'validate', file], locale('zh_CN.UTF-8'));
    assert.equal(zh.status, 2, zh.stderr);
    const lines = zh.stdout.trim().split('\n');
    const at = (field: string) => lines.find((line) => line.includes(` ${field}: `)) ?? lines.join('\n');
    // A shared parser's message (the regex), nested in the rule's place.
    assert.match(
      at('rules[0].match.name'),
      /alerts\.yaml:4 rules\[0\]\.match\.name: name "node\(\?=x\)" 使用了先行断言/,
    );
    assert.match(
      at('rules[1].threshold'),
      /:8 rules\[1\]\.threshold: 应为数字，例如 threshold: 1024（常驻内存 MiB）$/,
    );
    assert.match(
      at('rules[2].metric'),
      /rules\[2\]\.metric: string "cpux" 不是 cpu, .* 之一（你是指 cpu 吗？）$/,
    );
    assert.match(at('maintenance[0].cron'), /cron "0 25 \* \* \*"：hour "25" 超出 0–23；请写五个字段/);
    assert.match(lines.at(-1)!, /：可用规则 0 条、通道 0 个；错误 4 个，警告 0 个$/);
    assert.doesNotMatch(zh.stdout, /expected|is not one of|is outside|lookahead/);

    const en = await cli(['alerts', 'validate', file], locale('C.UTF-8'));
    assert.equal(en.status, 2, en.stderr);
    assert.match(
      en.stdout,
      /rules\[1\]\.threshold: expected a number, e.g. threshold: 1024 \(MiB of resident memory\)$/m,
    );
    assert.match(
      en.stdout,
      /rules\[2\]\.metric: string "cpux" is not one of cpu, .* \(did you mean cpu\?\)$/m,
    );
    assert.match(en.stdout, /name "node\(\?=x\)" uses a lookahead/);
    assert.doesNotMatch(en.stdout, /[\u4e00-\u9fff]/);
  });

  test('a YAML slip reads in Chinese with its line', async () => {
    const file = rulesFile('slip', 'rules:\n  - name: a\n    metric: cpu\n     threshold: 5\n');
    const zh = await cli(['alerts', 'validate', file], locale('zh_CN.UTF-8'));
    assert.equal(zh.status, 2, zh.stderr);
    assert.match(
      zh.stdout,
      /alerts\.yaml:\d \(syntax\): 这一行缩进 \d 个空格，周围的行是 \d 和 \d：请对齐（YAML 以缩进表示层级）；由此还引出 1 个解析错误；它所在的条目被跳过$/m,
    );
  });
});

describe('alert notifications in the configured language', () => {
  /** A rule that fires on the first sample: a process name nobody runs is absent. */
  const absentRule = (url: string, language = '') => `${language}rules:
  - name: gone-daemon
    metric: absent
    match: { name: "^pt-no-such-daemon-${process.pid}$" }
    severity: critical
    channels: [hook]
channels:
  hook:
    type: webhook
    url: "${url}"
`;

  async function firstNotification(name: string, lang: NodeJS.ProcessEnv, language = '') {
    const hook = await startHook();
    after(hook.close);
    const root = path.join(temp.dir, name);
    const env = { ...lang, XDG_RUNTIME_DIR: path.join(root, 'run') };
    mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
    const file = rulesFile(name, absentRule(`${hook.url}/hook`, language));
    const dataDir = path.join(root, 'data');
    const agent = await startAgent(dataDir, env, ['--interval', '250ms', '--alerts', file]);
    agents.push(agent);
    await waitFor(
      () => hook.received.some((r) => r.status === 200),
      30_000,
      () => agent.stderr(),
    );
    const body = JSON.parse(hook.received[0]!.body) as {
      status: string;
      title: string;
      text: string;
      alerts: { message: string; kind: string }[];
    };
    return { body, env, dataDir, agent };
  }

  test("the agent's refusals reach each client in its own language (CLI from LANG, a socket client by the message's reference)", async () => {
    const { env, dataDir } = await firstNotification('refusals', locale('C.UTF-8'));
    // The CLI through the running agent: its BadInput answer said in LANG's language.
    const zh = await cli(['alerts', 'test', 'no-such-rule', '--data-dir', dataDir], {
      ...env,
      ...locale('zh_CN.UTF-8'),
    });
    assert.equal(zh.status, 2, zh.stderr);
    assert.equal(zh.stdout, '');
    assert.match(
      zh.stderr,
      /^process-tracker: 没有告警规则 "no-such-rule"：现有规则为 gone-daemon；请用 "process-tracker alerts validate" 检查文件\n$/,
    );
    // A test notification through the agent, reported in Chinese (the hook answers 200).
    const sent = await cli(['alerts', 'test', 'gone-daemon', '--data-dir', dataDir], {
      ...env,
      ...locale('zh_CN.UTF-8'),
    });
    assert.equal(sent.status, 0, sent.stderr);
    assert.match(
      sent.stdout,
      /^规则 gone-daemon 的测试通知，通过正在运行的代理（pid \d+）：\n {2}hook \(webhook\): 已送达 \(HTTP 200\)，用时 \d+ ms\n$/,
    );
    const en = await cli(['alerts', 'test', 'no-such-rule', '--data-dir', dataDir], env);
    assert.match(en.stderr, /^process-tracker: no alert rule "no-such-rule": the rules are gone-daemon;/);
    // Any client on the socket: English message (what the agent logs), the reference in data.text.
    const client = await connectToAgent(
      { socketPath: socketPathFor(dataDir, env) },
      { clientName: 'alerts-zh-test' },
    );
    assert.ok(client);
    after(() => client.close());
    const refusal = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return error;
      }
      return assert.fail('the agent accepted it');
    };
    const past = await refusal(() =>
      client.request(SilenceRequest.type, { rule: 'gone-daemon', until: 1000 }),
    );
    assert.match(
      (past as Error).message,
      /^"until" \(1970-01-01T00:00:01\.000Z\) is in the past: give a future time$/,
    );
    assert.ok(errorRef(past), 'the answer carries the message reference');
    assert.equal(
      userErrorText(past, 'zh-cn'),
      '"until"（1970-01-01T00:00:01.000Z）已经过去：请给出将来的时间',
    );
    const field = await refusal(() =>
      client.request(ProcessesRequest.type, { filter: { pid: -3 } } as never),
    );
    assert.equal(userErrorText(field, 'zh-cn'), '"filter.pid" 必须是 0 到 2147483647 的整数');
    assert.equal(userErrorText(field, 'en'), '"filter.pid" must be a whole number from 0 to 2147483647');
    const regex = await refusal(() =>
      client.request(ProcessesRequest.type, { filter: { regex: 'a(?=b)' } } as never),
    );
    assert.match(userErrorText(regex, 'zh-cn'), /使用了先行断言/);
  });

  test('an agent started under LANG=zh_CN.UTF-8 posts its webhook in Chinese; its log stays English', async () => {
    const { body, env, dataDir, agent } = await firstNotification('zh-agent', locale('zh_CN.UTF-8'));
    // The codes a receiver matches on stay as they are; the words are Chinese.
    assert.equal(body.status, 'firing');
    assert.equal(body.alerts[0]!.kind, 'firing');
    assert.match(body.title, /^\[告警\] .+ 上的 gone-daemon$/);
    assert.match(body.text, /^\[告警\] gone-daemon：\^pt-no-such-daemon-\d+\$ 没有在运行 — 严重$/);
    assert.match(body.alerts[0]!.message, /没有在运行$/);
    // The same alert in the history, in the CLI user's language, through the running agent.
    const history = await cli(['alerts', 'history', '--data-dir', dataDir], env);
    assert.equal(history.status, 0, history.stderr);
    // The kind column in Chinese, 9 terminal cells wide as in English (a Chinese character is two).
    assert.match(history.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}告警 {6}gone-daemon：.* 没有在运行$/m);
    const english = await cli(['alerts', 'history', '--data-dir', dataDir], { ...env, ...locale('C.UTF-8') });
    assert.match(english.stdout, /firing {4}gone-daemon: .* is not running$/m);
    // agent.log is for bug reports: English whatever the locale.
    await agent.stop();
    const log = readFileSync(path.join(dataDir, 'agent.log'), 'utf8');
    assert.match(log, /recording every/);
    assert.doesNotMatch(log, /[\u4e00-\u9fff]/);
  });

  test('language: zh-cn in the rule file wins over an English LANG', async () => {
    const { body } = await firstNotification('zh-file', locale('C.UTF-8'), 'language: zh-cn\n');
    assert.match(body.title, /^\[告警\] .+ 上的 gone-daemon$/);
    const { body: english } = await firstNotification('en-agent', locale('C.UTF-8'));
    assert.match(english.title, /^\[FIRING\] gone-daemon on /);
    assert.match(english.text, /gone-daemon: \^pt-no-such-daemon-\d+\$ is not running — critical$/);
  });
});
