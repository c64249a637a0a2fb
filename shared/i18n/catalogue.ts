// The one message catalogue design for everything the user reads — the history panel (VS Code and
// the browser), the CLI and `live`: a catalogue maps message ids to an English and a Simplified
// Chinese text with named parameters ("{pid}"), filled by `format`, never pieced together from
// translated fragments (word order differs between the languages). A text whose wording depends
// on a number gives plural forms, chosen by Intl.PluralRules on its `count` parameter.
//
// Both tables are checked at compile time (the Chinese one must have every English id) and by
// test/unit/shared/i18n.test.ts (both have the same parameters, no empty text), which loads every
// catalogue through `catalogues()`.

export const LANGS = ['en', 'zh-cn'] as const;
export type Lang = (typeof LANGS)[number];

/** Plural forms by Intl.PluralRules category; `other` is always there (Chinese has only it). */
export interface PluralText {
  one?: string;
  other: string;
}
export type MessageText = string | PluralText;
export type Messages = Record<string, MessageText>;

type Names<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Names<Rest> : never;
type TextNames<T> = T extends string ? Names<T> : T extends PluralText ? Names<T['other']> | 'count' : never;
export type ParamsOf<T> = [TextNames<T>] extends [never] ? [] : [Record<TextNames<T>, string | number>];

/** Picks a message by id and fills its parameters: `t('pageOf', { page: 1, pages: 3 })`. */
export interface Translate<M extends Messages> {
  <K extends keyof M & string>(id: K, ...params: ParamsOf<M[K]>): string;
  /** The text with its `{name}`s left in, for a host that puts elements there (`splitTemplate`). */
  text(id: { [K in keyof M]: M[K] extends string ? K : never }[keyof M] & string): string;
}

export interface Catalogue {
  name: string;
  en: Messages;
  'zh-cn': Messages;
}

const registry: Catalogue[] = [];

/** Every catalogue defined so far (a test imports the catalogue files first). */
export function catalogues(): readonly Catalogue[] {
  return registry;
}

/** The BCP 47 locale of a language, for Intl (dates, numbers, plural rules) and `<html lang>`. */
export function localeOf(lang: Lang): string {
  return lang === 'zh-cn' ? 'zh-CN' : 'en';
}

/**
 * A language tag or locale name as the hosts give it — VS Code's `env.language` ("zh-cn"), an
 * Accept-Language entry ("zh-CN;q=0.9"), a POSIX locale ("zh_CN.UTF-8") — to en or zh-cn: every
 * Chinese variant reads the one Chinese table.
 */
export function langOf(tag: string | null | undefined): Lang {
  return /^\s*zh(?:[-_.;@]|$)/i.test(tag ?? '') ? 'zh-cn' : 'en';
}

/**
 * The language of a program's user from its locale variables, as gettext reads them: zh-cn for a
 * Chinese locale (zh_CN, zh_TW, zh_HK…: the one Chinese table), else English; LANGUAGE's first
 * entry wins when set, unless the locale is C/POSIX (no translation). The CLI reads it at each
 * run, the agent once at start (its notifications, unless the rule file says `language:`).
 */
export function localeLang(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const untranslated = locale === '' || /^(C|POSIX)(\.|$)/i.test(locale);
  const first = env.LANGUAGE?.split(':').find(Boolean);
  if (first && !untranslated) return langOf(first);
  return langOf(locale);
}

/** The parameter names a text uses, in order of first use (the test compares the two languages). */
export function placeholders(text: MessageText): string[] {
  const forms = typeof text === 'string' ? [text] : [text.one ?? '', text.other];
  const names = new Set<string>(typeof text === 'string' ? [] : ['count']);
  for (const form of forms) for (const match of form.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
  return [...names].sort();
}

const pluralRules = new Map<Lang, Intl.PluralRules>();

/** Fills `{name}` from `params`; a missing parameter stays visible as `{name}` rather than "undefined". */
export function format(lang: Lang, text: MessageText, params: Record<string, string | number> = {}): string {
  let form: string;
  if (typeof text === 'string') form = text;
  else {
    let rules = pluralRules.get(lang);
    if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(localeOf(lang))));
    const count = Number(params.count ?? 0);
    form = (rules.select(count) === 'one' ? text.one : undefined) ?? text.other;
  }
  return form.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/**
 * A message said later, perhaps elsewhere, in a language not known yet: its catalogue, id and
 * parameters. It is plain JSON, so it travels with a rule problem or an RPC error from the agent
 * to the CLI or VS Code, which say it in their user's language (`refText`).
 */
export interface MessageRef {
  catalogue: string;
  id: string;
  /** A parameter may itself be a message ("got {got}" ← "a list"), said in the same language. */
  params: Record<string, RefParam>;
}
export type RefParam = string | number | MessageRef;

type RefParamsOf<T> = [TextNames<T>] extends [never] ? [] : [Record<TextNames<T>, RefParam>];

/** Makes a MessageRef of one catalogue, checked like a translate call: `ref('x', { n: 1 })`. */
export type RefMaker<M extends Messages> = <K extends keyof M & string>(
  id: K,
  ...params: RefParamsOf<M[K]>
) => MessageRef;

/** The translate function for a language, and `ref` for a message to be said later. */
export type Catalog<M extends Messages> = ((lang: Lang) => Translate<M>) & { ref: RefMaker<M> };

/**
 * A MessageRef in `lang`; undefined when its catalogue is not loaded here or lacks the id (a newer
 * agent than client): the caller then shows the English text that travelled with it.
 */
export function refText(ref: MessageRef, lang: Lang): string | undefined {
  const text = registry.find((c) => c.name === ref.catalogue)?.[lang][ref.id];
  if (text === undefined) return undefined;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(ref.params))
    params[name] = typeof value === 'object' ? (refText(value, lang) ?? value.id) : value;
  return format(lang, text, params);
}

/** Is this a MessageRef (a value off the wire is checked before it is read)? */
export function isMessageRef(value: unknown): value is MessageRef {
  const v = value as Partial<MessageRef> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.catalogue === 'string' &&
    typeof v.id === 'string' &&
    typeof v.params === 'object' &&
    v.params !== null
  );
}

/**
 * Registers a catalogue; the answer gives the translate function for a language. The Chinese
 * table has exactly the English ids (a missing or extra one does not compile).
 */
export function defineMessages<const M extends Messages>(
  name: string,
  en: M,
  zhCn: { [K in keyof M]: M[K] extends PluralText ? MessageText : string },
): Catalog<M> {
  registry.push({ name, en, 'zh-cn': zhCn as Messages });
  const tables: Record<Lang, Messages> = { en, 'zh-cn': zhCn as Messages };
  const translateIn = (lang: Lang) => {
    const table = tables[lang];
    const translate = (id: string, params?: Record<string, string | number>) =>
      format(lang, table[id]!, params);
    translate.text = (id: string) => table[id] as string;
    return translate as Translate<M>;
  };
  const ref = (id: string, params?: Record<string, RefParam>): MessageRef => ({
    catalogue: name,
    id,
    params: params ?? {},
  });
  return Object.assign(translateIn, { ref: ref as RefMaker<M> });
}

/** "Top {count} by {metric}" → ["Top ", {name: "count"}, " by ", {name: "metric"}]: text and slots in order. */
export function splitTemplate(text: string): Array<string | { name: string }> {
  return text
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => (/^\{\w+\}$/.test(part) ? { name: part.slice(1, -1) } : part));
}
