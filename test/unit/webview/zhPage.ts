// Imported first by a test of the Chinese panel: webview/i18n.ts reads <html lang> once, when it
// loads, so the page's language must be there before any panel module is imported.
(globalThis as { document?: unknown }).document = { documentElement: { lang: 'zh-cn' } };
