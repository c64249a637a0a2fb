// A container's name, where one can be had without privileges and without asking a daemon (the
// agent never runs `docker` or talks to a runtime's socket). Sources, by runtime:
// - lxc: the cgroup path already holds the name (`lxc:web01`);
// - docker: /var/lib/docker/containers/ID/config.v2.json, `Name` — only readable when the agent
//   runs as root or the folder was opened up;
// - podman and other containers-storage users: containers.json of the user's own storage
//   (rootless: $XDG_DATA_HOME/containers/storage) or the system's (/var/lib/containers/storage),
//   `names[0]`;
// - any runtime, Kubernetes pods above all: HOSTNAME in /proc/PID/environ of the container's first
//   process, readable for the agent's own user's containers (a pod's hostname is its name) —
//   unless it is only the id's prefix, which Docker uses when no hostname is given.
// Parsers are pure (text in, name out); `resolveContainerName` does the reads under roots a test
// can point at a fixture tree.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Longer text is not a name we show (a container name is at most 253 characters; a pod's too). */
const MAX_NAME = 253;

export interface ContainerNameRoots {
  /** /proc */
  proc: string;
  /** Docker's data root, /var/lib/docker. */
  docker: string;
  /** containers-storage roots (the user's first, then the system's). */
  storage: string[];
}

export function defaultRoots(env: NodeJS.ProcessEnv = process.env): ContainerNameRoots {
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return {
    proc: '/proc',
    docker: '/var/lib/docker',
    storage: [path.join(dataHome, 'containers', 'storage'), '/var/lib/containers/storage'],
  };
}

/** `docker:3f2a…` → ['docker', '3f2a…']. */
function split(container: string): [runtime: string, id: string] {
  const colon = container.indexOf(':');
  return colon < 0 ? ['', container] : [container.slice(0, colon), container.slice(colon + 1)];
}

/** A name we show: printable, not empty, not too long; else null. */
function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

/** Docker's config.v2.json: `"Name": "/web"` when its `ID` is the id. */
export function nameFromDockerConfig(text: string, id: string): string | null {
  try {
    const config = JSON.parse(text) as { ID?: unknown; Name?: unknown };
    if (config.ID !== undefined && config.ID !== id) return null;
    return clean(typeof config.Name === 'string' ? config.Name.replace(/^\//, '') : null);
  } catch {
    return null;
  }
}

/** containers-storage's containers.json: an array of `{ id, names: [...] }`. */
export function nameFromContainersJson(text: string, id: string): string | null {
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) return null;
    for (const entry of list as { id?: unknown; names?: unknown }[]) {
      if (entry?.id !== id || !Array.isArray(entry.names)) continue;
      return clean(entry.names[0]);
    }
    return null;
  } catch {
    return null;
  }
}

/** HOSTNAME from /proc/PID/environ (NUL-separated), unless it is the id or a prefix of it. */
export function hostnameFromEnviron(environ: string, id: string): string | null {
  for (const entry of environ.split('\0')) {
    if (!entry.startsWith('HOSTNAME=')) continue;
    const name = clean(entry.slice('HOSTNAME='.length));
    if (name === null || id.startsWith(name)) return null;
    return name;
  }
  return null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // Missing, or not readable by this user: no name from here.
    return null;
  }
}

/**
 * The name of `container` (as collect/cgroup.ts names it), from the first source that answers;
 * `pid` is the container's first process (its environ is read last, as the fallback). Null when
 * no source can be read without privileges.
 */
export function resolveContainerName(
  container: string,
  pid: number | null,
  roots: ContainerNameRoots = defaultRoots(),
): string | null {
  const [runtime, id] = split(container);
  if (runtime === 'lxc') return clean(id);
  if (runtime === 'docker' || runtime === 'container') {
    const text = readText(path.join(roots.docker, 'containers', id, 'config.v2.json'));
    const name = text === null ? null : nameFromDockerConfig(text, id);
    if (name !== null) return name;
  }
  if (runtime === 'podman' || runtime === 'container') {
    for (const root of roots.storage) {
      for (const driver of ['overlay', 'vfs', 'btrfs']) {
        const text = readText(path.join(root, `${driver}-containers`, 'containers.json'));
        const name = text === null ? null : nameFromContainersJson(text, id);
        if (name !== null) return name;
      }
    }
  }
  if (pid === null) return null;
  const environ = readText(path.join(roots.proc, String(pid), 'environ'));
  return environ === null ? null : hostnameFromEnviron(environ, id);
}
