// Stands in for the API VS Code gives a webview: records what the panel posts, keeps its state
// across reloads (sessionStorage, like VS Code keeps it across a hidden/shown panel), and lets a
// test deliver host messages the way VS Code does — as a `message` event on window.
(() => {
  const theme = new URLSearchParams(location.search).get('theme') || 'dark';
  // The host writes <html lang> from VS Code's display language (webview/html.ts); ?lang= stands in.
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang) document.documentElement.lang = lang;
  // Like VS Code, mark <body> with the theme kind; as an init script we may run before <body> exists.
  const markTheme = () => {
    document.body.classList.add(`vscode-${theme}`);
    document.body.dataset.vscodeThemeKind = `vscode-${theme}`;
  };
  if (document.body) markTheme();
  else document.addEventListener('DOMContentLoaded', markTheme);

  const STATE_KEY = 'fake-vscode-state';
  const posted = [];
  let acquired = false;
  let state = JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null');

  window.__fakeVscode = {
    posted,
    /** Host → panel, as VS Code delivers it (a structured clone, here a JSON one). */
    send(message) {
      window.dispatchEvent(new MessageEvent('message', { data: message }));
    },
    /** Host → panel without copying: for the benchmark, which times the panel, not the clone. */
    sendShared(message) {
      window.dispatchEvent(new MessageEvent('message', { data: message }));
    },
    getState: () => state,
  };

  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        posted.push(JSON.parse(JSON.stringify(message)));
      },
      getState: () => state,
      setState(next) {
        state = JSON.parse(JSON.stringify(next));
        sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
        return next;
      },
    });
  };
})();
