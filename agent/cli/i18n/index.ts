// The CLI's words in English and Simplified Chinese. The language comes from the locale (LC_ALL,
// then LC_MESSAGES, then LANG), as for any terminal program. Each command keeps its own catalogue
// in this folder (one file per command: add yours beside these); `defineCatalogue` registers it,
// and test/unit/agent/cli/i18n.test.ts loads every file here and checks that each entry has both
// languages. Both tables share one type, so a missing entry is a compile error first.

import { langOf, type Lang } from '../../../shared/i18n/catalogue';

export type CliLang = Lang;

/** A catalogue's entries: text, functions making text, lists of lines, nested groups of them. */
export interface Catalogue {
  name: string;
  en: object;
  'zh-cn': object;
}

const registry: Catalogue[] = [];

/** Every catalogue defined so far (the test loads this folder's files first). */
export function catalogues(): readonly Catalogue[] {
  return registry;
}

/** Registers a command's two tables; the answer picks the table for a language. */
export function defineCatalogue<T extends object>(name: string, en: T, zhCn: T): (lang: CliLang) => T {
  registry.push({ name, en, 'zh-cn': zhCn });
  return (lang) => (lang === 'zh-cn' ? zhCn : en);
}

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
