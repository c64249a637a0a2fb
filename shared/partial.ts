// How a statistics sum that leaves processes out reads (StatsRow.partial): "≥ 12 MiB", a lower
// bound, wherever statistics are shown — the CLI table, the stats document, the panel's table.
import type { PartialField, StatsRow } from './model';

export const isPartial = (row: StatsRow, field: PartialField): boolean =>
  row.partial?.includes(field) ?? false;

/** `row[field]` as `format` writes it, with "≥ " in front when the sum is only a lower bound. */
export function formatSum(
  row: StatsRow,
  field: PartialField,
  format: (value: number | null) => string,
): string {
  const text = format(row[field]);
  return isPartial(row, field) ? `≥ ${text}` : text;
}

// The line that says what "≥" means, under a table that has one: shared/i18n/common.ts partialNote.
