// A YAML document as plain data plus where each part of it sits, so a problem found in the data
// can name its line ("alerts.yaml:12 rules[2].threshold: …").
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import type { MessageRef } from '../../../shared/i18n/catalogue';
import { isRecord, type Path } from '../../../shared/validate';

export interface PositionedYaml {
  /** The document as plain data (undefined when `unreadable`). */
  root: unknown;
  /** 1-based line of the node at `path`, or of its nearest ancestor that has one. */
  lineOf: (path: Path) => number | undefined;
  /** Syntax errors, each at its line; the list entries they touch are left out of `root`. */
  syntaxErrors: { line: number; message: MessageRef }[];
  /** Why the document could not be turned into data at all (e.g. too many aliases). */
  unreadable?: string;
}

/**
 * Parses `text`. A syntax error inside an entry of one of `lists` (top-level keys holding lists)
 * may leave that entry half-read, so every entry an error touches is dropped from `root`.
 */
export function parsePositionedYaml(text: string, lists: readonly string[]): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: Path): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
      if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
  const syntaxErrors = foldErrors(
    text,
    doc.errors.map((error) => ({ line: lineAt(error.pos[0]), message: error.message.split('\n')[0]! })),
  );

  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { root: undefined, lineOf, syntaxErrors, unreadable: (error as Error).message };
  }

  if (doc.errors.length && isRecord(root) && isMap(doc.contents)) {
    for (const key of lists) {
      const seq = doc.get(key, true);
      const list = root[key];
      if (!isSeq(seq) || !Array.isArray(list)) continue;
      for (let i = seq.items.length - 1; i >= 0; i--) {
        const range = (seq.items[i] as Node | null)?.range;
        if (range && doc.errors.some((e) => e.pos[0] >= range[0] && e.pos[0] <= range[2] + 1))
          list.splice(i, 1, null);
      }
      root[key] = list.filter((entry) => entry !== null);
    }
  }
  return { root, lineOf, syntaxErrors };
}

/** Parser errors this many lines after a reported one are taken as its consequences. */
const FOLLOW_ON_LINES = 2;

/**
 * One slip (most often a line indented one space off) makes the parser report several errors at
 * once, in its own words: keep the first of each cluster, say in plain words what is likely wrong
 * and how many follow-on errors were left out.
 */
function foldErrors(
  text: string,
  errors: { line: number; message: string }[],
): { line: number; message: MessageRef }[] {
  const { ref } = alertRuleMessages;
  const lines = text.split('\n');
  const indent = (line: number) => /^ */.exec(lines[line - 1] ?? '')![0].length;
  const folded: { line: number; message: string; more: number }[] = [];
  for (const error of [...errors].sort((a, b) => a.line - b.line)) {
    const last = folded.at(-1);
    if (last && error.line - last.line <= FOLLOW_ON_LINES) last.more++;
    else folded.push({ ...error, more: 0 });
  }
  // An indentation differing from both neighbours is the usual cause; the parser often notices it
  // one line early (at the line the slipped one would continue).
  const misaligned = (line: number) => {
    const neighbours = [line - 1, line + 1].filter(
      (n) => n >= 1 && n <= lines.length && lines[n - 1]!.trim(),
    );
    const own = indent(line);
    return neighbours.length > 0 && neighbours.every((n) => indent(n) !== own) ? neighbours : undefined;
  };
  return folded.map(({ line, message, more }) => {
    const at = [line, line + 1].find((n) => misaligned(n));
    if (at === undefined)
      return {
        line,
        message: more
          ? ref('syntaxCheckMore', { parser: message, count: more })
          : ref('syntaxCheck', { parser: message }),
      };
    const [above, below] = misaligned(at)!.map(indent);
    const around = below === undefined ? String(above) : ref('aroundTwo', { above: above!, below });
    const spaces = indent(at);
    return {
      line: at,
      message: more
        ? ref('syntaxIndentMore', { spaces, around, count: more })
        : ref('syntaxIndent', { spaces, around }),
    };
  });
}
