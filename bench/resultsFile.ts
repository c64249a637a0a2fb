// How a bench run rewrites bench/RESULTS.md: each suite that ran replaces its own section where it
// stands; every other section — suites not re-run, and the hand-written ones that record measurements
// taken by hand (the memory breakdown, the start-up profile) — is kept word for word and in place.
// New suites' sections go after the kept ones, in the run's order. The notes after `<!-- notes -->`
// are kept as they are.

const NOTES = '<!-- notes -->';

/** The `## ` sections before the notes, in order, each with its text (title line included). */
export function sectionsOf(text: string): Array<{ title: string; text: string }> {
  const tables = text.split(NOTES)[0] ?? '';
  return tables
    .split(/^(?=## )/m)
    .filter((chunk) => chunk.startsWith('## '))
    .map((chunk) => ({
      title: chunk.slice(3, chunk.indexOf('\n')).trim(),
      text: chunk.endsWith('\n\n') ? chunk.slice(0, -1) : chunk,
    }));
}

/** The new file: `header` lines, the previous sections with `fresh` ones in their place, the notes. */
export function mergeResults(previous: string, header: string[], fresh: Map<string, string>): string {
  const notes = new RegExp(`${NOTES}[\\s\\S]*$`).exec(previous)?.[0] ?? `${NOTES}\n`;
  const placed = new Set<string>();
  const body = sectionsOf(previous).map((section) => {
    const replacement = fresh.get(section.title);
    if (replacement === undefined) return section.text;
    placed.add(section.title);
    return replacement;
  });
  for (const [title, text] of fresh) if (!placed.has(title)) body.push(text);
  return [...header, ...body, notes].join('\n');
}
