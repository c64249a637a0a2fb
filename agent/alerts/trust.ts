// Whether the alerts file may bring what acts beyond this machine's screen: restart commands and
// channels (webhooks, chat bots, email) that send data off the machine. The project's rule is
// that nothing that runs a command, sends data off the machine or opens a port comes from a file
// others can write — whoever can write it could run commands as the agent's user.
//
// Trusted: the file, and every folder from it up to the user's home (or up to / for a file
// outside the home), and every symlink on the way, belongs to the agent's user (or root, who
// can do anything anyway) and can be written by nobody else. The one exception is a folder
// with the sticky bit (/tmp): others may create entries there but cannot rename, replace or
// delete ours, so it is as safe as its entries are — and those are checked in turn (a file
// someone else planted there first is theirs, so refused). Same idea as OpenSSH's StrictModes.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertRuleMessages } from '../../shared/i18n/alertRules';
import { refText, type MessageRef } from '../../shared/i18n/catalogue';

export interface TrustOptions {
  /** Whose file it must be; default this process's user. */
  uid?: number;
  /** Where the walk up the folders stops; default the user's home. */
  home?: string;
  platform?: NodeJS.Platform;
}

export interface Untrusted {
  /** Whether the file itself is at fault (so `chmod 600` also ends the "readable" warning). */
  file: boolean;
  /** One line, to follow the file's name: what is wrong and the fix (English, as logged). */
  message: string;
  /** The same in any language. */
  messageRef: MessageRef;
}

const { ref } = alertRuleMessages;
const untrustedBy = (file: boolean, messageRef: MessageRef): Untrusted => ({
  file,
  message: refText(messageRef, 'en')!,
  messageRef,
});
const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

const modeText = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

function userName(uid: number): string {
  try {
    const me = os.userInfo();
    if (me.uid === uid) return me.username;
  } catch {
    // No passwd entry (some containers): the number will do.
  }
  return String(uid);
}

/**
 * Checks the file the agent read: `stat` is of the very file read (fstat of its descriptor), so
 * a file swapped after the check is not what was judged. Undefined when trusted (or on Windows,
 * which has no POSIX modes to check).
 */
export function checkFileTrust(file: string, stat: Stats, options: TrustOptions = {}): Untrusted | undefined {
  if ((options.platform ?? process.platform) === 'win32') return undefined;
  const uid = options.uid ?? process.getuid?.();
  if (uid === undefined) return undefined;
  const mine = (s: Stats) => s.uid === uid || s.uid === 0;
  const name = userName(uid);

  if (!mine(stat)) {
    return untrustedBy(true, ref('notOwned', { uid: stat.uid, user: name, file }));
  }
  if (stat.mode & GROUP_OR_OTHER_WRITE) {
    return untrustedBy(true, ref('othersWrite', { mode: modeText(stat.mode), file }));
  }

  const home = path.resolve(options.home ?? os.homedir());
  const absolute = path.resolve(file);
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // Gone since it was read: the path as given is all there is to check.
  }
  // The path as given (its symlinks included) and where it really leads: both must be safe.
  const seen = new Set<string>();
  for (const start of [absolute, real]) {
    for (const entry of chain(start, home)) {
      if (seen.has(entry)) continue;
      seen.add(entry);
      let s: Stats;
      try {
        s = lstatSync(entry);
      } catch {
        continue; // vanished mid-walk; the next read checks again
      }
      if (entry === start && !s.isSymbolicLink()) continue; // the file itself: checked above
      if (!mine(s)) {
        const params = { entry, uid: s.uid, user: name };
        return untrustedBy(
          false,
          s.isSymbolicLink() ? ref('symlinkNotOwned', params) : ref('folderNotOwned', params),
        );
      }
      if (s.isDirectory() && s.mode & GROUP_OR_OTHER_WRITE && !(s.mode & STICKY))
        return untrustedBy(false, ref('folderOthersWrite', { entry, mode: modeText(s.mode) }));
    }
  }
  return undefined;
}

/** The file and its folders upward, ending with the home folder or at the root. */
function chain(file: string, home: string): string[] {
  const out = [file];
  let at = file;
  while (at !== home && path.dirname(at) !== at) {
    at = path.dirname(at);
    out.push(at);
  }
  return out;
}

/** The same check by path, for noticing a change of trust without reading the file. */
export function fileTrustKey(file: string, options: TrustOptions = {}): string {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return '';
  }
  return checkFileTrust(file, stat, options)?.message ?? 'trusted';
}
