// What the terminal can show: Unicode (box drawing, sparkline blocks) only under a UTF-8 locale,
// colours only on a colour terminal and never when NO_COLOR is set (no-color.org).

export interface Glyphs {
  /** Sparkline levels, lowest first. */
  spark: readonly string[];
  ellipsis: string;
  box: { tl: string; tr: string; bl: string; br: string; h: string; v: string };
  /** Tree branches: a middle child, the last child, a parent's line going on, nothing. */
  tree: { mid: string; last: string; pipe: string; blank: string };
  /** Marks the sort column's header. */
  sorted: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  ellipsis: '…',
  box: { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' },
  tree: { mid: '├─ ', last: '└─ ', pipe: '│  ', blank: '   ' },
  sorted: '▼',
};

export const ASCII_GLYPHS: Glyphs = {
  spark: ['_', '.', '-', '=', '+', '*', '#', '@'],
  ellipsis: '~',
  box: { tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|' },
  tree: { mid: '|- ', last: '`- ', pipe: '|  ', blank: '   ' },
  sorted: 'v',
};

export interface Caps {
  glyphs: Glyphs;
  unicode: boolean;
  colour: boolean;
}

/** The locale's charset, as the C library picks it: LC_ALL, then LC_CTYPE, then LANG. */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

export function detectCaps(
  env: NodeJS.ProcessEnv,
  output: { hasColors?: (count?: number) => boolean },
  forceAscii: boolean,
): Caps {
  const unicode = !forceAscii && localeIsUtf8(env);
  const colour =
    !env.NO_COLOR && env.TERM !== 'dumb' && typeof output.hasColors === 'function' && output.hasColors(8);
  return { glyphs: unicode ? UNICODE_GLYPHS : ASCII_GLYPHS, unicode, colour };
}
