// A rule file's problem (ConfigProblem) as its reader reads it: in the CLI user's or VS Code's
// language, from the catalogue reference the agent's reader put beside the English message. Kept
// apart from shared/validate.ts so the webview, which bundles that, does not carry these words.
import { refText, type Lang } from './i18n/catalogue';
// The catalogues a problem's reference may name: the reader's own, and the shared parsers' (a
// regex, a duration or a time in a rule keeps its input message).
import './i18n/alertRules';
import './i18n/input';
import type { ConfigProblem } from './validate';

/** The problem's message in `lang`: from its catalogue reference, else the English text. */
export function problemMessage(p: ConfigProblem, lang: Lang = 'en'): string {
  return (p.messageRef && refText(p.messageRef, lang)) ?? p.message;
}

/** formatProblem in `lang`, as the CLI prints it to its user. */
export function formatProblemIn(lang: Lang, p: ConfigProblem): string {
  return `${p.where}${p.line ? `:${p.line}` : ''} ${p.field}: ${problemMessage(p, lang)}`;
}
