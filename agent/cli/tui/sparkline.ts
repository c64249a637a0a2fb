// A series as one line of level glyphs (▁▂▃▄▅▆▇█, or ASCII), right-aligned so "now" is at the
// right edge; an unknown point (the process was not alive, or unreadable) is a blank, never a 0.

/**
 * `values` squeezed into `width` cells (each cell the largest value of its bucket, so a spike stays
 * visible) and scaled from 0 to `max` (default: the largest value).
 */
export function sparkline(
  values: readonly (number | null)[],
  width: number,
  levels: readonly string[],
  max?: number,
): string {
  if (width <= 0) return '';
  const cells: (number | null)[] = [];
  if (values.length <= width) cells.push(...values);
  else {
    for (let i = 0; i < width; i++) {
      const from = Math.floor((i * values.length) / width);
      const to = Math.floor(((i + 1) * values.length) / width);
      let top: number | null = null;
      for (let j = from; j < to; j++) {
        const v = values[j] ?? null;
        if (v !== null && (top === null || v > top)) top = v;
      }
      cells.push(top);
    }
  }
  let scale = max ?? 0;
  if (max === undefined) for (const v of cells) if (v !== null && v > scale) scale = v;
  const top = levels.length - 1;
  const line = cells
    .map((v) => {
      if (v === null) return ' ';
      if (scale <= 0) return levels[0]!;
      return levels[Math.max(0, Math.min(top, Math.round((v / scale) * top)))]!;
    })
    .join('');
  return line.padStart(width);
}
