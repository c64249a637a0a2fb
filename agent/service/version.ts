// Which of two agents is newer: the protocol version first, then the product version (semver).

function parts(version: string): number[] {
  return version
    .replace(/[-+].*$/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** Negative when a < b, 0 when equal, positive when a > b (pre-release tags ignored). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function isNewerAgent(
  candidate: { protocolVersion: number; agentVersion: string },
  than: { protocolVersion: number; agentVersion: string },
): boolean {
  if (candidate.protocolVersion !== than.protocolVersion)
    return candidate.protocolVersion > than.protocolVersion;
  return compareVersions(candidate.agentVersion, than.agentVersion) > 0;
}
