// The CLI's language, from the locale as for any terminal program. Its words are catalogues of the
// one design (shared/i18n/catalogue.ts), one file per command in this folder (add yours beside
// these); test/unit/shared/i18n.test.ts loads every file here and checks both languages.

import { langOf, type Lang } from '../../../shared/i18n/catalogue';

export type CliLang = Lang;

/**
 * zh-cn for a Chinese locale (zh_CN, zh_TW, zh_HK…: the one Chinese table), else English. As
 * gettext: LANGUAGE's first entry wins when set, unless the locale is C/POSIX (no translation).
 */
export function cliLang(env: NodeJS.ProcessEnv = process.env): CliLang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const untranslated = locale === '' || /^(C|POSIX)(\.|$)/i.test(locale);
  const first = env.LANGUAGE?.split(':').find(Boolean);
  if (first && !untranslated) return langOf(first);
  return langOf(locale);
}
