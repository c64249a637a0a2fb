import { inputError } from './errors';
import { compileRegex } from './userRegex';
import { CATEGORIES, isKernelThread, type Category, type ProcessFilter, type ProcessMeta } from './model';

export type ProcessPredicate = (
  process: Pick<ProcessMeta, 'pid' | 'name' | 'cmdline' | 'category' | 'user'> &
    Partial<Pick<ProcessMeta, 'container'>> & { ppid?: number },
) => boolean;

/** Shortest prefix of a container id that a filter accepts (docker's own short ids are 12). */
export const MIN_CONTAINER_PREFIX = 4;

/**
 * Whether `container` (`docker:3f2a…`, `lxc:web`, null on the host) is the one `wanted` names: the
 * whole id, the id without its runtime (`3f2a…`, `web` — lxc ids are its names), or a prefix of 4+
 * characters of either.
 */
export function containerMatches(container: string | null | undefined, wanted: string): boolean {
  if (!container) return false;
  const bare = container.slice(container.indexOf(':') + 1);
  if (container === wanted || bare === wanted) return true;
  return wanted.length >= MIN_CONTAINER_PREFIX && (container.startsWith(wanted) || bare.startsWith(wanted));
}

/**
 * Whether a container is the one `wanted` names by its id (as containerMatches) or by the name read
 * for it (`web-frontend`: findings carry both, `report --container`).
 */
export function containerNamed(
  container: string | null | undefined,
  name: string | null | undefined,
  wanted: string,
): boolean {
  return containerMatches(container, wanted) || (!!container && name === wanted);
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function checkCategory(value: string): Category {
  if (!isCategory(value)) {
    throw inputError('unknownCategory', { value, choices: CATEGORIES.join(', ') });
  }
  return value;
}

// Every user regex compiles through userRegex.ts (linear time, one-line errors); re-exported here,
// beside the filters that use it, for the callers that always imported it from this file.
export { compileRegex } from './userRegex';

/** Validates a filter once and returns a fast predicate; throws UserInputError on bad input. */
export function compileFilter(filter: ProcessFilter | undefined): ProcessPredicate {
  if (!filter) return () => true;
  const regex = filter.regex ? compileRegex(filter.regex) : undefined;
  const category = filter.category === undefined ? undefined : checkCategory(filter.category);
  const { pid, user, container, hideKernelThreads } = filter;
  if (pid !== undefined && (!Number.isInteger(pid) || pid < 0)) {
    throw inputError('filterPidNotWhole', { pid });
  }
  return (p) =>
    (pid === undefined || p.pid === pid) &&
    !(hideKernelThreads && isKernelThread(p)) &&
    (category === undefined || p.category === category) &&
    (user === undefined || p.user === user) &&
    (container === undefined || containerMatches(p.container, container)) &&
    (regex === undefined || regex.test(p.name) || regex.test(p.cmdline));
}

/**
 * Parses the filter box's syntax: `pid:123`, `cat:browser`, `user:root`, `container:3f2a` (an id,
 * a prefix of one, or an lxc name; `container:docker:3f2a` with its runtime), and anything else as a
 * regular expression on the name or command line.
 */
export function parseFilterText(text: string): ProcessFilter {
  const filter: ProcessFilter = {};
  const rest: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const [, key, value] = /^(pid|cat|category|user|container):(.+)$/.exec(token) ?? [];
    if (key === 'pid') {
      const pid = Number(value);
      if (!Number.isInteger(pid) || pid < 0) {
        throw inputError('filterPidToken', { token });
      }
      filter.pid = pid;
    } else if (key === 'cat' || key === 'category') filter.category = checkCategory(value!);
    else if (key === 'user') filter.user = value;
    else if (key === 'container') filter.container = value;
    else rest.push(token);
  }
  if (rest.length) filter.regex = rest.join(' ');
  compileFilter(filter);
  return filter;
}
