// Whether the store's folders can be read (queries) or written (recording) at all, checked once at
// open: a folder this user may not use is the user's to fix, so it is one clear line (exit 2),
// not an empty answer or a recording that silently keeps nothing.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserInputError } from '../../shared/errors';

/** Errors that mean "not yours to use" rather than a passing trouble (a full disk, an I/O error). */
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

export function isDenied(error: unknown): boolean {
  return DENIED.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Throws when one of `dirs` exists but cannot be listed. */
export function checkReadable(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      readdirSync(dir);
    } catch (error) {
      if (!isDenied(error)) continue;
      throw new UserInputError(
        `cannot read the store in ${dir} (${(error as NodeJS.ErrnoException).code}): it belongs to another user or its permissions deny you; pass --data-dir with your own store, or fix the permissions`,
      );
    }
  }
}

/** Throws when a file cannot be created in one of `dirs` (each must exist). */
export function checkWritable(dirs: string[]): void {
  for (const dir of dirs) {
    const probe = path.join(dir, `.write-probe.${process.pid}.tmp`);
    try {
      writeFileSync(probe, '', { mode: 0o600 });
      rmSync(probe, { force: true });
    } catch (error) {
      if (!isDenied(error)) continue;
      throw new UserInputError(
        `cannot write the store in ${dir} (${(error as NodeJS.ErrnoException).code}): nothing would be recorded; fix its permissions or pass --data-dir with a folder you can write`,
      );
    }
  }
}
