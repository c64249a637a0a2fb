// The folder boundaries drawn in the README are lint rules (eslint.config.mjs): this checks that
// the rules refuse what they are meant to refuse and let through what the folders need, so that a
// glob edited by mistake cannot quietly switch a boundary off. The import rules need no types, so
// the probe files are linted without the type-checked pass (they do not exist on disk).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

/** The imports of `lines` (import statements) that the config refuses in a file at `file`. */
async function refused(file: string, lines: string[]): Promise<string[]> {
  const [result] = await eslint.lintText(`${lines.join('\n')}\n`, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => lines[message.line - 1]!);
}

const NODE = [
  "import fs from 'node:fs';",
  "import path from 'path';",
  "import { spawn } from 'child_process';",
  "import { promises } from 'fs/promises';",
];
const VSCODE = ["import * as vscode from 'vscode';"];

describe('folder boundaries (eslint.config.mjs)', () => {
  test('extension/ does not import agent/, at any depth; client/ and shared/ are fine', async () => {
    const agent = ["import { Store } from '../agent/store';", "import { x } from '../../agent/cli/args';"];
    const fine = [
      "import { socketPathFor } from '../client/socketDir';",
      "import type { ProcessRow } from '../shared/model';",
      "import * as vscode from 'vscode';",
      "import { spawn } from 'node:child_process';",
      "import { AgentClient } from './agentClient';",
    ];
    assert.deepEqual(await refused('extension/probe.ts', [...agent, ...fine]), agent);
    assert.deepEqual(await refused('extension/panel/probe.ts', ["import { y } from '../../agent/paths';"]), [
      "import { y } from '../../agent/paths';",
    ]);
  });

  test('webview/ imports no Node built-in, not vscode, and nothing of agent/, extension/ or client/', async () => {
    const refusedHere = [
      ...NODE,
      ...VSCODE,
      "import { a } from '../agent/store';",
      "import { b } from '../extension/config';",
      "import { c } from '../client/connection';",
    ];
    const fine = [
      "import { select } from 'd3';",
      "import type { Row } from '../shared/model';",
      "import { el } from './dom';",
    ];
    assert.deepEqual(await refused('webview/charts/probe.ts', [...refusedHere, ...fine]), refusedHere);
  });

  test('shared/ imports no Node built-in, not vscode, and none of the programs', async () => {
    const refusedHere = [
      ...NODE,
      ...VSCODE,
      "import { a } from '../agent/store';",
      "import { b } from '../extension/config';",
      "import { c } from '../webview/state';",
      "import { d } from '../client/paths';",
    ];
    const fine = ["import { CATEGORIES } from './model';"];
    assert.deepEqual(await refused('shared/probe.ts', [...refusedHere, ...fine]), refusedHere);
  });

  test('client/ uses Node but imports none of agent/, extension/, webview/ or vscode', async () => {
    const refusedHere = [
      ...VSCODE,
      "import { a } from '../agent/store';",
      "import { b } from '../extension/config';",
      "import { c } from '../webview/state';",
    ];
    const fine = [
      ...NODE,
      "import { UserInputError } from '../shared/errors';",
      "import { x } from 'vscode-jsonrpc/node';",
    ];
    assert.deepEqual(await refused('client/probe.ts', [...refusedHere, ...fine]), refusedHere);
  });

  test('agent/ uses Node and client/ but imports neither extension/, webview/ nor vscode', async () => {
    const refusedHere = [
      ...VSCODE,
      "import { b } from '../extension/config';",
      "import { c } from '../webview/state';",
    ];
    const fine = [...NODE, "import { connectToAgent } from '../../client/connection';"];
    assert.deepEqual(await refused('agent/cli/probe.ts', [...refusedHere, ...fine]), refusedHere);
  });
});
