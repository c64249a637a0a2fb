import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { untranslated } from '../../../../extension/format';
import { serverRole } from '../../../../extension/tree/roles';

describe('serverRole', () => {
  // Command lines as VS Code 1.100 (code-server) and the ESLint extension start their servers.
  const cases: Array<[string, string | undefined]> = [
    [
      '/usr/lib/code-server/lib/node /usr/lib/code-server/lib/vscode/extensions/json-language-features/server/dist/node/jsonServerMain --node-ipc --clientProcessId=812',
      'JSON language server',
    ],
    [
      '/usr/bin/node --max-old-space-size=3072 /ws/node_modules/typescript/lib/tsserver.js --serverMode partialSemantic',
      'TypeScript server',
    ],
    [
      'node /x/typescript/lib/typingsInstaller.js --globalTypingsCacheLocation /c',
      'TypeScript typings installer',
    ],
    [
      'node /home/u/.vscode/extensions/dbaeumer.vscode-eslint-3.0.10/server/out/eslintServer.js --node-ipc',
      'ESLint server',
    ],
    ['node /x/css-language-features/server/dist/node/cssServerMain --node-ipc', 'CSS language server'],
    ['node /x/html-language-features/server/dist/node/htmlServerMain --node-ipc', 'HTML language server'],
    // A file that merely contains the word, and plain node scripts: no role.
    ['node /home/u/my-tsserver-notes.js', undefined],
    ['node server.js', undefined],
    ['', undefined],
  ];
  for (const [cmdline, role] of cases)
    test(`${role ?? 'no role'}: ${cmdline.slice(0, 60) || '(empty)'}`, () => {
      assert.equal(serverRole(cmdline, untranslated), role);
    });

  test('the role is translated', () => {
    assert.equal(
      serverRole('node /x/tsserver.js', (m) => `«${m}»`),
      '«TypeScript server»',
    );
  });
});
