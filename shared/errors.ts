/**
 * An error caused by what a user typed or configured. Its message names the thing and the fix;
 * the CLI prints it on one line and exits 2, the agent answers it as an error without crashing.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}
