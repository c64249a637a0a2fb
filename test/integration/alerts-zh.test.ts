// Alerts in Chinese with the real agent binary: `alerts validate` under LANG=zh_CN.UTF-8 names a
// rule file's problems in Chinese (a shared parser's among them), English under C; an agent started
// in Chinese (or told `language: zh-cn` by its rule file) sends its webhook notification in Chinese.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cli, requireBuild, tempDir } from './agentHarness';

requireBuild();

/** Only LANG decides (the runner's LC_ALL / LC_MESSAGES / LANGUAGE are blanked). */
const locale = (lang: string): NodeJS.ProcessEnv => ({
  LANG: lang,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANGUAGE: '',
});

const temp = tempDir('pt-alerts-zh-');
after(() => temp.remove());

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
