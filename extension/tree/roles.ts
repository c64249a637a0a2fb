// What a process is, by its command line, when that names a server VS Code or a well-known
// extension starts (their processes are all called `node`): the TypeScript server, ESLint's, the
// JSON/CSS/HTML/Markdown language servers. No `vscode` import: the caller passes its translation.
// Roles VS Code itself says (this extension host's pid, a terminal's shell) are WindowOwners'.
import type { Translate } from '../format';

/** The script's file name in a command line (a path segment), and the role it means. */
const KNOWN_SERVERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|[/\\\s])tsserver(\.js)?(\s|$)/, 'TypeScript server'],
  [/(^|[/\\\s])typingsInstaller(\.js)?(\s|$)/, 'TypeScript typings installer'],
  [/(^|[/\\\s])eslintServer(\.js)?(\s|$)/, 'ESLint server'],
  [/(^|[/\\\s])jsonServerMain(\.js)?(\s|$)/, 'JSON language server'],
  [/(^|[/\\\s])cssServerMain(\.js)?(\s|$)/, 'CSS language server'],
  [/(^|[/\\\s])htmlServerMain(\.js)?(\s|$)/, 'HTML language server'],
  [
    /markdown-language-features[/\\].*(^|[/\\])(serverWorkerMain|workerMain)(\.js)?(\s|$)/,
    'Markdown language server',
  ],
  [/pylance.*[/\\]server\.bundle\.js(\s|$)/i, 'Pylance language server'],
];

/** The role a command line names, translated; undefined when it names none we know. */
export function serverRole(cmdline: string, t: Translate): string | undefined {
  for (const [pattern, role] of KNOWN_SERVERS) if (pattern.test(cmdline)) return t(role);
  return undefined;
}
