// ESLint with typescript-eslint, the VS Code extension convention. Two jobs: find the bugs the
// compiler lets through (a floating promise above all: its rejection is lost, or a test ends before
// its assertion runs), and hold the folder boundaries drawn in the README's architecture section,
// so that they are checked instead of remembered. Formatting is prettier's job, not this file's.
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

// eslint:recommended, taken from the rules' own metadata: @eslint/js, which ships it as a preset,
// is not among our dependencies, while eslint itself carries the same rules and the same flag.
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

// Globals for the few plain .js/.mjs files (TypeScript knows them in .ts files, where no-undef is off).
const nodeGlobals = Object.fromEntries(
  [...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename'].map(
    (name) => [name, 'readonly'],
  ),
);
const browserGlobals = Object.fromEntries(
  ['window', 'document', 'location', 'sessionStorage', 'localStorage', 'MessageEvent', 'CustomEvent'].map(
    (name) => [name, 'readonly'],
  ),
);

// ---- Boundaries (README, "Architecture") ----
const nodeBuiltins = {
  group: ['node:*', ...builtinModules.filter((name) => !name.startsWith('_')).flatMap((n) => [n, `${n}/*`])],
  message: 'webview/ runs in the browser and shared/ on both sides: no Node built-ins here.',
};
const vscodeApi = { group: ['vscode'], message: 'only extension/ may use the VS Code API.' };
const folder = (name, message) => ({ group: [`**/${name}`, `**/${name}/**`], message });
const agent = folder(
  'agent',
  'only the agent imports agent/: the others reach it over its socket, and what they share lives in client/ or shared/.',
);
const extension = folder('extension', 'only the extension imports extension/.');
const webview = folder(
  'webview',
  'only the webview and the extension (panel HTML, saved state) import webview/.',
);
const client = folder(
  'client',
  'the client opens the agent socket: Node only, for agent/cli and extension/.',
);
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  globalIgnores(['dist/', 'out/', '.code-server/', 'test/.tmp/', 'bench/.tmp/', '**/*.d.ts']),
  { files: ['**/*.{ts,mjs,js,cjs}'], rules: eslintRecommended },
  { files: ['**/*.ts'], extends: [tseslint.configs.recommendedTypeChecked] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      // Each file is checked against the tsconfig nearest to it: webview/tsconfig.json for the
      // browser bundle (DOM types), the root one for everything else.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test() and describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it'] },
          ],
        },
      ],
      // Promise.all([maybe a promise, null]) is plain JavaScript, not a mistake.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // `{}` is an `unknown` narrowed past null (a field of parsed JSON or YAML, an error's code):
      // String() of it is the intended best effort. Objects of a known type are still reported.
      '@typescript-eslint/no-base-to-string': [
        'error',
        { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] },
      ],
      // Off, stylistic: these would force rewrites across the code base for no bug found.
      // - no-unnecessary-type-assertion: ~430 `x!` / `as T` that TypeScript already narrows; harmless.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // - no-namespace: shared/protocol.ts declares each request as a namespace (type + method),
      //   the vscode-languageserver-protocol convention our clients already know.
      '@typescript-eslint/no-namespace': 'off',
      // - require-await: an `async` method without `await` is how an interface that returns a
      //   promise keeps a throw a rejection; dropping `async` to please the rule would change that.
      '@typescript-eslint/require-await': 'off',
      // A `let` written once, after a closure that reads it (a signal handler installed before
      // start-up), must stay `let`: as a `const` the early call would throw in its dead zone.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Parameters and destructured leftovers named `_x` are deliberate (the compiler's
      // noUnusedLocals/noUnusedParameters already check the rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  // Tests and benchmarks: the same bug rules (a floating promise there is a test that cannot fail),
  // without the `any` hygiene rules: they parse JSON from CLIs, sockets and files on purpose.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // assert.equal and friends are plain functions; handing them around is fine.
      '@typescript-eslint/unbound-method': 'off',
      // Tests of terminal output and of text cleaning match escape bytes (\x1b) on purpose.
      'no-control-regex': 'off',
    },
  },
  // Plain JavaScript (the build scripts, fixture processes, the e2e fake VS Code API): no types.
  { files: ['**/*.{mjs,js,cjs}'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.{mjs,js,cjs}'], languageOptions: { globals: nodeGlobals } },
  { files: ['test/e2e/pages/**/*.js'], languageOptions: { globals: browserGlobals } },

  // ---- Boundaries ----
  { files: ['extension/**'], rules: restrict(agent) },
  { files: ['client/**'], rules: restrict(agent, extension, webview, vscodeApi) },
  { files: ['agent/**'], rules: restrict(extension, webview, vscodeApi) },
  // The browser panel's page (agent/http) takes the webview's own CSP from its pure HTML module,
  // so the two hosts' policies cannot drift apart; nothing else of webview/.
  {
    files: ['agent/http/**'],
    rules: restrict(extension, vscodeApi, {
      ...webview,
      group: ['**/webview/*', '!**/webview/html', '**/webview/*/**'],
    }),
  },
  { files: ['webview/**'], rules: restrict(nodeBuiltins, vscodeApi, agent, extension, client) },
  { files: ['shared/**'], rules: restrict(nodeBuiltins, vscodeApi, agent, extension, webview, client) },
);
