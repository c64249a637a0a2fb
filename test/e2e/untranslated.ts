// What the Chinese tests look for: English words left in the chrome of a page, data taken out.
import type { Frame, Page } from 'playwright-core';

/**
 * Words that may stay as they are in Chinese: units, acronyms, key names. Anything else of two
 * Latin letters or more in the chrome is English left untranslated.
 */
const KEPT = /\b(?:CPU|PID|pid|IO|[KMGT]iB(?:\/s)?|B\/s|CSV|JSON|Enter|VS Code|process-tracker)\b/g;

/**
 * The English words in the visible chrome: text outside data cells (table cells, legend and
 * tooltip labels, the process name, command lines, lists of files) and every title, aria-label
 * and placeholder with the data's own strings taken out. A string, so it runs under the CSP.
 */
const UNTRANSLATED = `(() => {
  const DATA = 'td, .legend-label, .tooltip-label, .process-name, .cmdline, dd, .plain-list li, .dashboard .name, .lane-label, title';
  const data = [...document.querySelectorAll(DATA)].map((e) => (e.textContent || '').trim()).filter(Boolean);
  const names = [...new Set(data)].sort((a, b) => b.length - a.length);
  const strip = (text) => names.reduce((left, name) => left.split(name).join(' '), text);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(DATA) || parent.closest('[hidden]') || parent.closest('style, script')) continue;
    found.push(node.textContent);
  }
  for (const element of document.querySelectorAll('[title], [aria-label], [placeholder]'))
    for (const name of ['title', 'aria-label', 'placeholder'])
      if (element.hasAttribute(name) && !element.closest('[hidden]')) found.push(strip(element.getAttribute(name)));
  return found.map((text) => text.replace(${KEPT}, ' ')).filter((text) => /[A-Za-z]{2,}/.test(text));
})()`;

/** The English left in a page's or a frame's chrome (empty when everything is Chinese). */
export async function untranslated(page: Page | Frame): Promise<string[]> {
  return page.evaluate<string[]>(UNTRANSLATED);
}
