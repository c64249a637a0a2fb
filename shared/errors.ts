import { isMessageRef, refText, type Lang, type MessageRef, type ParamsOf } from './i18n/catalogue';
import { inputMessages, type InputMessages } from './i18n/input';
// The catalogue of the agent's refusals (shared/i18n/request.ts), whose messages travel as
// references in its answers: a client saying one in its user's language needs it loaded.
import './i18n/request';

type InputId = Extract<keyof InputMessages, string>;

/**
 * An error caused by what a user typed or configured. Its message names the thing and the fix;
 * the CLI prints it on one line and exits 2, the agent answers it as an error without crashing.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';

  /**
   * `text`: the catalogue message `message` says in English (shared/i18n/), so a host that speaks
   * the user's language (the CLI, VS Code) can say it again in it (`userErrorText`).
   */
  constructor(
    message: string,
    readonly text?: MessageRef,
  ) {
    super(message);
  }
}

/** A UserInputError saying a catalogue message: English `message`, the reference kept. */
export function messageError(ref: MessageRef): UserInputError {
  return new UserInputError(refText(ref, 'en') ?? ref.id, ref);
}

/** A UserInputError from the shared parsers' catalogue: English `message`, id and parameters kept. */
export function inputError<K extends InputId>(id: K, ...params: ParamsOf<InputMessages[K]>): UserInputError {
  return messageError(inputMessages.ref(id, ...params));
}

/**
 * The catalogue message an error carries, if any: a UserInputError's, or the agent's answer to a
 * request (a ResponseError whose `data.text` the agent filled from one, agent/service/handlers.ts).
 */
export function errorRef(error: unknown): MessageRef | undefined {
  if (error instanceof UserInputError) return error.text;
  const data = (error as { data?: { text?: unknown } } | null)?.data;
  return isMessageRef(data?.text) ? data.text : undefined;
}

/**
 * What a user reads of an error in `lang`: a catalogue message in that language, anything else
 * as it is (the catalogue must be loaded in this process: shared/i18n/refs.ts loads them all).
 */
export function userErrorText(error: unknown, lang: Lang): string {
  const ref = errorRef(error);
  return (ref && refText(ref, lang)) ?? errorText(error);
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
