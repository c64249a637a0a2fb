// Bundles the extension-host suite (test/vscode/suite/*.ts) into out/test/vscode/suite/*.js: cjs for
// VS Code's extension host. `vscode` is provided by the host; mocha stays external and is resolved from
// the repo's node_modules at run time (its reporters are loaded dynamically and don't bundle well).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = path.join(root, 'test', 'vscode', 'suite');
const outdir = path.join(root, 'out', 'test', 'vscode', 'suite');

// A deleted test must not keep running from a stale bundle.
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: readdirSync(suiteDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(suiteDir, name)),
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
