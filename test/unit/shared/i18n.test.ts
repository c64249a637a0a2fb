// The one catalogue design (shared/i18n/catalogue.ts) and every catalogue that uses it: each id has
// an English and a Chinese text with the same parameters, nothing empty, Chinese where the English
// has words. And a scan of the panel's code (webview/): no literal English text outside the
// catalogue — every string literal that reads like words is either a catalogue id or on the short
// list below, with the reason it is not user-visible.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import {
  catalogues,
  format,
  isMessageRef,
  langOf,
  placeholders,
  refText,
  splitTemplate,
  type MessageText,
} from '../../../shared/i18n/catalogue';
import { alertRuleMessages } from '../../../shared/i18n/alertRules';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Every catalogue file: shared/i18n/ (the panel's), agent/cli/i18n/ (the CLI's), `live`'s. */
async function loadCatalogues(): Promise<void> {
  for (const folder of ['shared/i18n', 'agent/cli/i18n'])
    for (const file of readdirSync(path.join(ROOT, folder)).filter((name) => name.endsWith('.ts')))
      await import(path.join(ROOT, folder, file));
  await import(path.join(ROOT, 'agent/cli/tui/strings.ts'));
}

/** Text that may read the same in both: units, acronyms, key names, punctuation, parameters. */
const sameInBoth = (text: string) =>
  !/[a-z]{3,}/.test(text.replace(/\{\w+\}/g, '').replace(/\b(pid|ms|x|only)\b/g, ''));

const forms = (text: MessageText) => (typeof text === 'string' ? [text] : [text.one ?? '', text.other]);

test('every catalogue id has English and Chinese with the same parameters', async () => {
  await loadCatalogues();
  const names = catalogues().map((c) => c.name);
  for (const expected of [
    'panel',
    'common',
    'input',
    'cli',
    'status',
    'live',
    'analytics',
    'alerts',
    'alertRules',
    'alertText',
    'request',
  ])
    assert.ok(names.includes(expected), `catalogue ${expected} is loaded: ${names.join(', ')}`);
  for (const catalogue of catalogues()) {
    const en = catalogue.en;
    const zh = catalogue['zh-cn'];
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), `${catalogue.name}: the same ids`);
    for (const [id, text] of Object.entries(en)) {
      const chinese = zh[id]!;
      const where = `${catalogue.name}.${id}`;
      assert.deepEqual(placeholders(chinese), placeholders(text), `${where}: the same parameters`);
      for (const form of [...forms(text), ...forms(chinese)].filter((f) => f !== ''))
        assert.ok(form.trim() !== '' || forms(text).every((f) => f.trim() === ''), `${where} is empty`);
      if (typeof chinese !== 'string') assert.ok(chinese.other, `${where}: a plural has its "other" form`);
      if (forms(text).some((f) => !sameInBoth(f)))
        for (const form of forms(chinese).filter(Boolean))
          assert.match(form, /[\u4e00-\u9fff]/, `${where} is not Chinese: "${form}"`);
    }
  }
});

test('format fills parameters and picks plural forms per language', () => {
  const text = { one: '{count} process', other: '{count} processes' };
  assert.equal(format('en', text, { count: 1 }), '1 process');
  assert.equal(format('en', text, { count: 2 }), '2 processes');
  assert.equal(format('zh-cn', { other: '{count} 个进程' }, { count: 1 }), '1 个进程');
  assert.equal(format('en', 'Page {page} of {pages}', { page: 1 }), 'Page 1 of {pages}');
  assert.deepEqual(placeholders('a {b} c {a} {b}'), ['a', 'b']);
  assert.deepEqual(placeholders(text), ['count']);
  assert.deepEqual(splitTemplate('Top {count} by {metric}'), [
    'Top ',
    { name: 'count' },
    ' by ',
    { name: 'metric' },
  ]);
});

test('a message reference travels as JSON and is said later in either language, nested ones too', () => {
  const ref = alertRuleMessages.ref('notAMap', {
    got: alertRuleMessages.ref('valueList'),
    example: 'match: { name: "^nginx$" }',
  });
  const wire = JSON.parse(JSON.stringify(ref)) as unknown;
  assert.ok(isMessageRef(wire));
  assert.equal(refText(wire, 'en'), 'expected a map of fields, got a list, e.g. match: { name: "^nginx$" }');
  assert.equal(refText(wire, 'zh-cn'), '应为字段映射，实际是一个列表，例如 match: { name: "^nginx$" }');
  assert.equal(refText({ catalogue: 'none', id: 'x', params: {} }, 'zh-cn'), undefined);
  assert.ok(!isMessageRef({ catalogue: 'a', id: 'b' }));
});

test('a language tag, Accept-Language entry or POSIX locale reads as en or zh-cn', () => {
  for (const tag of ['zh-cn', 'zh-CN', 'zh', 'zh_CN.UTF-8', 'zh-TW', 'zh-Hans-CN', 'ZH_tw'])
    assert.equal(langOf(tag), 'zh-cn', tag);
  for (const tag of ['en', 'en-US', 'C.UTF-8', 'de', '', undefined, 'zhx', 'fr-zh'])
    assert.equal(langOf(tag), 'en', String(tag));
});

// ── The scan ──────────────────────────────────────────────────────────────────────────────────

/** Literal text that reads like words but is not shown to the user, with why. */
const NOT_SHOWN: Record<string, string> = {
  'http://www.w3.org/2000/svg': 'the SVG namespace',
  'Process Tracker panel: ignored a malformed message': 'console.warn, for developer tools only',
  'series series-': 'CSS classes (palette.ts seriesClass)',
};

/** Calls whose string arguments are selectors, event names, attribute names or tags. */
const NOT_TEXT_CALLS = new Set([
  'querySelector',
  'querySelectorAll',
  'closest',
  'addEventListener',
  'removeEventListener',
  'createElement',
  'createElementNS',
  'getAttribute',
  'setAttribute',
  'removeAttribute',
  'toggle',
  'add',
  'remove',
  'select',
  'selectAll',
  'attr',
  'classed',
  'style',
  'on',
  'setItem',
  'getItem',
  'matchMedia',
  't',
  'postMessage',
]);

/** Reads as words a user would read: two words with a space, a capitalised word, a sentence's end. */
const READS_AS_WORDS = /[A-Za-z]{2,}\s+[A-Za-z]{2,}|(?:^|[^A-Za-z])[A-Z][a-z]{2,}|[a-z]{3,}\s*[.…:]\s*$/;

/** Files that build no DOM text: the host's page skeleton (its title comes from the host). */
const NOT_DOM = new Set(['webview/html.ts']);

/** Properties whose values are class names, key names or types, not text. */
const NOT_TEXT_PROPERTIES = new Set(['className', 'key', 'kind', 'type']);

function webviewFiles(folder = path.join(ROOT, 'webview')): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return webviewFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The English-looking literals of one file that are not a call's selector/name argument. */
export function englishLiterals(file: string, source: string): string[] {
  const found: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    const texts: string[] = [];
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node))
      texts.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
    if (texts.length > 0) {
      // Through `a ? 'x' : 'y'` and parentheses to where the value goes.
      let parent = node.parent;
      while (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent))
        parent = parent.parent;
      const call = ts.isCallExpression(parent) || ts.isNewExpression(parent) ? parent : undefined;
      const callee = call
        ? ts.isPropertyAccessExpression(call.expression)
          ? call.expression.name.text
          : call.expression.getText(sourceFile)
        : '';
      const isKey = ts.isPropertyAssignment(parent) && parent.name === node;
      const isType = ts.isLiteralTypeNode(parent);
      const isClass =
        ts.isPropertyAssignment(parent) && NOT_TEXT_PROPERTIES.has(parent.name.getText(sourceFile));
      // `event.key === 'Enter'`, `case 'Escape':` compare with names; `x.className = '…'` sets classes.
      const isComparison =
        (ts.isBinaryExpression(parent) &&
          [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
            parent.operatorToken.kind,
          )) ||
        ts.isCaseClause(parent);
      const isClassAssignment =
        ts.isBinaryExpression(parent) &&
        parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(parent.left) &&
        NOT_TEXT_PROPERTIES.has(parent.left.name.text);
      if (
        !NOT_TEXT_CALLS.has(callee) &&
        !isKey &&
        !isType &&
        !isClass &&
        !isComparison &&
        !isClassAssignment
      ) {
        for (const text of texts)
          if (READS_AS_WORDS.test(text) && NOT_SHOWN[text] === undefined)
            found.push(
              `${path.relative(ROOT, file)}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${text}"`,
            );
      }
      if (ts.isTemplateExpression(node)) node.templateSpans.forEach((span) => visit(span.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

test('the scan finds English text put on the page outside the catalogue', () => {
  // The scan itself can fail: these are the shapes the panel used before the catalogue.
  const sample = `
    el('h2', { text: 'Machine CPU' });
    button('‹ Previous', () => {});
    const a = { title: \`Top \${n} processes by \${metric}\` };
    label.textContent = 'No data in this range.';
    x.setAttribute('aria-label', \`\${title}: series\`);
    el('p', { className: 'note fitted-note', text: t('fitted', { name }) });
    el('label', {}, 'Live tail', input);
    svg.append('title').text('Lifecycle of the process');
  `;
  const found = englishLiterals('sample.ts', sample);
  assert.equal(found.length, 7, found.join('\n'));
  assert.match(
    found.join('\n'),
    /Machine CPU[\s\S]*Previous[\s\S]*processes by[\s\S]*No data[\s\S]*Live tail[\s\S]*Lifecycle of/,
  );
});

test('no literal English is left in the panel code (webview/) outside the catalogue', () => {
  const found = webviewFiles()
    .filter((file) => !NOT_DOM.has(path.relative(ROOT, file)))
    .flatMap((file) => englishLiterals(file, readFileSync(file, 'utf8')));
  assert.deepEqual(found, [], `English outside shared/i18n/panel.ts:\n${found.join('\n')}`);
});

// ── The agent's problems and refusals ─────────────────────────────────────────────────────────

/** Where the agent words a rule file's problems and its refusals of requests. */
const PROBLEM_FOLDERS = ['agent/alerts', 'agent/service', 'agent/runs'];
/** Files there whose failures no user reads, with why. */
const NOT_USER_FACING: Record<string, string> = {
  'agent/service/framing.ts': 'a broken frame ends the connection of a faulty client; logged, never shown',
};
/** Calls that record or throw one: their message must be a catalogue reference, never literal text. */
const PROBLEM_CALLS = new Set(['fail', 'problem', 'invalid', 'UserInputError', 'FieldError']);

function tsFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** `r.fail(path, 'expected a number')`, `v.invalid(\`"x" must…\`)`, `new UserInputError('…')`. */
export function literalProblems(file: string, source: string): string[] {
  const found: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name.text
        : node.expression.getText(sourceFile);
      if (PROBLEM_CALLS.has(callee))
        for (const arg of node.arguments ?? [])
          if (
            ts.isStringLiteral(arg) ||
            ts.isNoSubstitutionTemplateLiteral(arg) ||
            ts.isTemplateExpression(arg)
          ) {
            const text = arg.getText(sourceFile);
            if (/[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(text))
              found.push(
                `${path.relative(ROOT, file)}:${sourceFile.getLineAndCharacterOfPosition(arg.getStart()).line + 1} ${text}`,
              );
          }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

test('the scan finds a problem or refusal worded outside the catalogue', () => {
  const sample = `
    r.fail([...path, 'pid'], 'expected a whole number, e.g. pid: 1234');
    throw v.invalid(\`"\${name}" must be a list\`);
    throw new UserInputError('no alert rule here');
    r.problem('warning', path, ref('absentNoThreshold'));
    r.fail(['language'], ref('language', { got: describeRef(value) }));
  `;
  const found = literalProblems('sample.ts', sample);
  assert.equal(found.length, 3, found.join('\n'));
});

test("the agent's rule problems and request refusals are catalogue messages (shared/i18n/)", () => {
  const found = PROBLEM_FOLDERS.flatMap((folder) => tsFiles(path.join(ROOT, folder)))
    .filter((file) => NOT_USER_FACING[path.relative(ROOT, file)] === undefined)
    .flatMap((file) => literalProblems(file, readFileSync(file, 'utf8')));
  assert.deepEqual(found, [], `worded outside a catalogue:\n${found.join('\n')}`);
});
