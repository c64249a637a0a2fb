// The CLI's language, from the locale as for any terminal program. Its words are catalogues of the
// one design (shared/i18n/catalogue.ts), one file per command in this folder (add yours beside
// these); test/unit/shared/i18n.test.ts loads every file here and checks both languages.

import { localeLang, type Lang } from '../../../shared/i18n/catalogue';

export type CliLang = Lang;

/** The user's language from the locale (shared/i18n/catalogue.ts `localeLang`, as gettext). */
export function cliLang(env: NodeJS.ProcessEnv = process.env): CliLang {
  return localeLang(env);
}
