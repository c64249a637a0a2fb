import { format, type Lang, type ParamsOf } from './i18n/catalogue';
import { inputMessages, type InputMessages } from './i18n/input';

type InputId = Extract<keyof InputMessages, string>;

/**
 * An error caused by what a user typed or configured. Its message names the thing and the fix;
 * the CLI prints it on one line and exits 2, the agent answers it as an error without crashing.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';

  /**
   * `text`: the catalogue id and parameters of `message` when it came from shared/i18n/input.ts,
   * so a host that speaks the user's language (the CLI) can say it again in it (`userErrorText`).
   */
  constructor(
    message: string,
    readonly text?: { id: InputId; params: Record<string, string | number> },
  ) {
    super(message);
  }
}

/** A UserInputError from the shared parsers' catalogue: English `message`, id and parameters kept. */
export function inputError<K extends InputId>(id: K, ...params: ParamsOf<InputMessages[K]>): UserInputError {
  const filled: Record<string, string | number> = params[0] ?? {};
  return new UserInputError(format('en', inputMessages('en').text(id), filled), { id, params: filled });
}

/** What a user reads of an error in `lang`: a catalogue error in that language, anything else as it is. */
export function userErrorText(error: unknown, lang: Lang): string {
  if (error instanceof UserInputError && error.text) {
    return format(lang, inputMessages(lang).text(error.text.id), error.text.params);
  }
  return errorText(error);
}

/**
 * The text of anything thrown. Not every throw is an Error: sql.js's wasm build can throw a bare
 * string or object on a damaged page, and `(error as Error).message` is then undefined.
 */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
