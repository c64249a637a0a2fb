// Recognises the container or pod a process runs in from the text of /proc/[pid]/cgroup.
// Pure: the collector reads the file once per process identity and hands the text here.
//
// Result forms: `k8s:<pod uid>` (a pod wins over the container inside it, because the pod is what
// users deploy and name), `docker:<id>`, `containerd:<id>`, `crio:<id>`, `podman:<id>`,
// `lxc:<name>`, `container:<id>` (a bare 64-hex id under an unknown runtime), or null on the host.

const HEX64 = '[0-9a-f]{64}';

/** Runtime scopes as systemd names them (cgroup v2, or v1 with the systemd driver). */
const SCOPE_PATTERNS: Array<[prefix: string, pattern: RegExp]> = [
  ['docker', new RegExp(`^docker-(${HEX64})\\.scope$`)],
  ['containerd', new RegExp(`^cri-containerd-(${HEX64})\\.scope$`)],
  ['containerd', new RegExp(`^nerdctl-(${HEX64})\\.scope$`)],
  ['crio', new RegExp(`^crio-(${HEX64})\\.scope$`)],
  ['podman', new RegExp(`^libpod-(${HEX64})(?:\\.scope)?$`)],
];

/** Pod uid as a cgroupfs directory (`pod<uid>`) or a systemd slice (`kubepods-…-pod<uid_with_underscores>.slice`). */
const POD_DIRECTORY =
  /^pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/;
const POD_SLICE =
  /^kubepods(?:-[a-z]+)*-pod([0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12})\.slice$/;
const BARE_ID = new RegExp(`^${HEX64}$`);
const LXC_PAYLOAD = /^lxc\.payload\.(.+)$/;

/** Returns the container id for the contents of a /proc/[pid]/cgroup file, or null on the host. */
export function containerFromCgroup(text: string): string | null {
  let runtime: string | null = null;
  for (const line of text.split('\n')) {
    // Each line is `hierarchy-id:controllers:path`; the path itself may contain colons.
    const second = line.indexOf(':', line.indexOf(':') + 1);
    if (second < 0) continue;
    const found = containerFromPath(line.slice(second + 1).trim());
    if (found?.startsWith('k8s:')) return found;
    runtime ??= found;
  }
  return runtime;
}

function containerFromPath(path: string): string | null {
  const segments = path.split('/').filter(Boolean);
  const inKubepods = segments.some((segment) => segment.startsWith('kubepods'));
  let runtime: string | null = null;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (inKubepods) {
      const pod = POD_SLICE.exec(segment) ?? POD_DIRECTORY.exec(segment);
      if (pod) return `k8s:${pod[1]!.replace(/_/g, '-')}`;
    }
    runtime ??= runtimeFromSegment(segment, segments[index - 1]);
  }
  return runtime;
}

function runtimeFromSegment(segment: string, parent: string | undefined): string | null {
  for (const [prefix, pattern] of SCOPE_PATTERNS) {
    const match = pattern.exec(segment);
    if (match) return `${prefix}:${match[1]}`;
  }
  if (BARE_ID.test(segment)) {
    if (parent === 'docker') return `docker:${segment}`;
    if (parent === 'libpod_parent') return `podman:${segment}`;
    return `container:${segment}`;
  }
  const lxc = LXC_PAYLOAD.exec(segment);
  if (lxc) return `lxc:${lxc[1]}`;
  if (parent === 'lxc') return `lxc:${segment}`;
  return null;
}
