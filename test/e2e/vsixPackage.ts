// The packaged extension as a newcomer gets it: `npm run package` in a copy of the sources (so the
// repo's dist/ stays the development build other runs expect), then code-server's own installer.
// Used by the .vsix test and by the first-view benchmark.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { childEnv, tempXdgHomes } from '../harness/childEnv';
import { codeServerEntry, REPO_ROOT } from '../harness/codeServer';

/** What `npm run package` reads: the sources, the manifest and what goes into the package. */
const PACKAGE_INPUTS = [
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'esbuild.mjs',
  'tsconfig.json',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'agent',
  'client',
  'extension',
  'shared',
  'webview',
  'media',
  'l10n',
  'docs',
];

/** Where packageVsix's build wrote its bundles (what the .vsix should hold, .map files aside). */
export function packagedDist(workDir: string): string {
  return path.join(workDir, 'source', 'dist');
}

/** Builds `<workDir>/process-tracker.vsix` with `npm run package`; returns its path. */
export function packageVsix(workDir: string): string {
  const source = path.dirname(packagedDist(workDir));
  mkdirSync(source, { recursive: true });
  for (const input of PACKAGE_INPUTS) {
    const from = path.join(REPO_ROOT, input);
    if (existsSync(from)) cpSync(from, path.join(source, input), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const vsix = path.join(workDir, 'process-tracker.vsix');
  execFileSync('npm', ['run', 'package', '--', '--out', vsix], { cwd: source, stdio: 'pipe' });
  return vsix;
}

/**
 * Installs a .vsix into extensionsDir with code-server's installer (its user data and config in
 * workDir, never the user's own); returns the folder names of our extension found there.
 */
export function installVsix(vsix: string, extensionsDir: string, workDir: string): string[] {
  execFileSync(
    process.execPath,
    [
      codeServerEntry(),
      '--install-extension',
      vsix,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      path.join(workDir, 'install-user-data'),
    ],
    { stdio: 'pipe', env: childEnv(tempXdgHomes(path.join(workDir, 'install-xdg'))) },
  );
  return readdirSync(extensionsDir).filter((name) => name.startsWith('process-tracker.process-tracker-'));
}
