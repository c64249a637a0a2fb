// The panel's language: <html lang>, which its host sets (extension/panel/historySession.ts from
// VS Code's display language, agent/http/page.ts from ?lang= or Accept-Language). English where
// there is no document (the pure models' unit tests in node).
import { langOf, localeOf } from '../shared/i18n/catalogue';
import { panelMessages } from '../shared/i18n/panel';
import type { ValueUnit } from '../shared/model';

// Through globalThis: the node type-check of the pure models has no DOM types.
const page = (globalThis as { document?: { documentElement: { lang: string } } }).document;
export const lang = langOf(page?.documentElement.lang);
/** The BCP 47 locale every Intl format in the panel uses (one time format per locale). */
export const locale = localeOf(lang);
export const t = panelMessages(lang);

/** How a percent unit is named beside its figures (axes, tooltips, headers); none for other units. */
export function percentUnit(unit: ValueUnit): string | undefined {
  if (unit === 'percentOfCore') return t('percentOfCore');
  if (unit === 'percentOfMachine') return t('percentOfMachine');
  return undefined;
}
