// `${secret:NAME}` in a channel's fields: replaced by values VS Code sends from its
// SecretStorage (AlertSecretsRequest), held in memory only. A channel lacking one waits for it.

const SECRET_REF = /\$\{secret:([A-Za-z0-9_.-]+)\}/g;

/** Replaces `${secret:NAME}` in every text of a channel; collects the names it lacks. */
export function resolveSecrets(
  value: unknown,
  secrets: Readonly<Record<string, string>>,
  missing: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(SECRET_REF, (ref, name: string) => {
      if (Object.prototype.hasOwnProperty.call(secrets, name)) return secrets[name]!;
      missing.add(name);
      return ref;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, secrets, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, secrets, missing)]),
    );
  }
  return value;
}
