// The alert wording every channel uses is shared/alertText.ts (also VS Code's and the CLI's); here
// what the channels add: the context they format in and the providers' length limits.
import type { Lang } from '../../../shared/i18n/catalogue';

export {
  alertLine,
  alertLines,
  alertMessage,
  alertOnHost,
  alertSubject as subjectOf,
  alertTitle,
} from '../../../shared/alertText';

/** What every formatter receives besides the alerts. */
export interface FormatContext {
  /** Send time, ms since the epoch (signatures are computed from it). */
  now: number;
  /** The machine's name: a team channel hears from many machines. */
  host: string;
  /** The language of the words (the rule file's `language:`, else the agent's LANG at start); en if not said. */
  lang?: Lang;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Truncates to a byte budget (WeCom and DingTalk count UTF-8 bytes, not characters). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) > maxBytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
