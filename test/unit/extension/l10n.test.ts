// Every user-facing string has its Simplified Chinese translation: the manifest's %keys% in
// package.nls.zh-cn.json, and every vscode.l10n.t() message in l10n/bundle.l10n.zh-cn.json.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..');
const json = (file: string) =>
  JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The first argument of each l10n.t(...) call when it is a plain string literal. */
export function l10nMessages(text: string): string[] {
  const messages: string[] = [];
  const call = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;
  for (let match = call.exec(text); match; match = call.exec(text)) {
    const raw = match[1] ?? match[2] ?? match[3] ?? '';
    messages.push(raw.replace(/\\(['"`\\])/g, '$1').replace(/\\n/g, '\n'));
  }
  return messages;
}

test('every manifest string has a zh-cn translation', () => {
  const english = json('package.nls.json');
  const chinese = json('package.nls.zh-cn.json');
  const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
  const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.deepEqual(
    used.filter((key) => !(key in english)),
    [],
    'keys used in package.json but missing in package.nls.json',
  );
  assert.deepEqual(
    Object.keys(english).filter((key) => !(key in chinese)),
    [],
    'missing in package.nls.zh-cn.json',
  );
});

test('every l10n.t message in the extension has a zh-cn translation', () => {
  const bundle = json('l10n/bundle.l10n.zh-cn.json');
  const missing = new Set<string>();
  let count = 0;
  for (const file of sources(path.join(root, 'extension'))) {
    for (const message of l10nMessages(readFileSync(file, 'utf8'))) {
      count++;
      if (!(message in bundle)) missing.add(`${path.relative(root, file)}: ${message}`);
    }
  }
  assert.ok(count > 20, `found only ${count} messages: is the extractor still right?`);
  assert.deepEqual([...missing], []);
});
