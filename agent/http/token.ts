// The panel's token: 32 random bytes, made at each start, kept in a file only the user can read
// (what `status --json` names) and printed once to the terminal that ran `run --http`. Never
// logged, never on a command line.
import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOKEN_FILE = 'http-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes the token to `<dataDir>/http-token`, mode 0600 even when the file was there before. */
export function writeTokenFile(dataDir: string, token: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function removeTokenFile(file: string): void {
  rmSync(file, { force: true });
}
