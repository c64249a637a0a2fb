// Alert secrets in VS Code's SecretStorage, for `${secret:NAME}` in the alerts file's channels.
// SecretStorage cannot list its keys, so the names are kept beside the values (names are not
// secret, but keeping them in the same store keeps both on the same side of a remote window).
import * as vscode from 'vscode';
import { UserInputError } from '../../shared/errors';

const PREFIX = 'processTracker.alerts.secret.';
const INDEX = 'processTracker.alerts.secretNames';
export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function checkSecretName(name: string): void {
  if (!SECRET_NAME.test(name))
    throw new UserInputError(
      vscode.l10n.t(
        'The secret name "{0}" must be 1-100 letters, digits, _ . or -: the NAME of a secret placeholder in the alerts file.',
        name,
      ),
    );
}

export class AlertSecrets {
  /** Fires when this or another window changes a secret. */
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.onDidChange = storage.onDidChange;
  }

  async names(): Promise<string[]> {
    try {
      const names = JSON.parse((await this.storage.get(INDEX)) ?? '[]') as unknown;
      return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Every stored secret by name; a name whose value vanished is left out. */
  async all(): Promise<Record<string, string>> {
    const secrets: Record<string, string> = {};
    for (const name of await this.names()) {
      const value = await this.storage.get(PREFIX + name);
      if (value) secrets[name] = value;
    }
    return secrets;
  }

  async set(name: string, value: string): Promise<void> {
    checkSecretName(name);
    await this.storage.store(PREFIX + name, value);
    const names = await this.names();
    if (!names.includes(name)) await this.storage.store(INDEX, JSON.stringify([...names, name].sort()));
  }

  async delete(name: string): Promise<void> {
    await this.storage.delete(PREFIX + name);
    const names = (await this.names()).filter((n) => n !== name);
    await this.storage.store(INDEX, JSON.stringify(names));
  }

  isOurs(key: string): boolean {
    return key === INDEX || key.startsWith(PREFIX);
  }
}
