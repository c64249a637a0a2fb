// uid → user name, for the collectors (this one and the portable one): /etc/passwd is read on the
// first unknown uid and again at most once a minute while unknown uids show up, so a user added
// later gets a name without a read per process.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parsePasswd } from './parse';

/** How soon an unknown uid may cause another read of the passwd file. */
const RELOAD_AFTER_MS = 60_000;

export class UserNames {
  private names = new Map<number, string>();
  private loadedAt = -Infinity;

  constructor(private readonly passwdPath = '/etc/passwd') {}

  /** The user's name, or the uid as text when no passwd line names it. */
  name(uid: number): string {
    let name = this.names.get(uid);
    if (name === undefined && performance.now() - this.loadedAt > RELOAD_AFTER_MS) {
      this.load();
      name = this.names.get(uid);
    }
    return name ?? String(uid);
  }

  private load(): void {
    this.loadedAt = performance.now();
    try {
      this.names = parsePasswd(readFileSync(this.passwdPath, 'utf8'));
    } catch {
      // No readable passwd file: uids are shown as numbers.
    }
  }
}
