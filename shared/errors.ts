/**
 * An error caused by what a user typed or configured. Its message names the thing and the fix;
 * the CLI prints it on one line and exits 2, the agent answers it as an error without crashing.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
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
