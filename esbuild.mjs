// Three bundles: the agent (node, cjs, sql.js wasm copied beside it), the extension (node, cjs,
// `vscode` external) and the webview (browser, iife, D3 bundled so the panel needs no CDN), with
// its browser host (webview/browser: the page `run --http` serves) beside it.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const copyWasm = {
  name: 'copy-sql-wasm',
  setup(build) {
    build.onEnd(() => {
      mkdirSync('dist', { recursive: true });
      copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join('dist', 'sql-wasm.wasm'));
      if (existsSync('dist/agent.js')) chmodSync('dist/agent.js', 0o755);
    });
  },
};

const builds = [
  {
    ...common,
    // The history worker (agent/history) is its own file beside the agent: the process it runs in is forked from it.
    entryPoints: { agent: 'agent/main.ts', 'history-worker': 'agent/history/entry.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [copyWasm],
  },
  existsSync('extension/extension.ts') && {
    ...common,
    entryPoints: { extension: 'extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  existsSync('webview/main.ts') && {
    ...common,
    entryPoints: { main: 'webview/main.ts', browser: 'webview/browser/host.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
].filter(Boolean);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
