// "What was running at 14:32": the agent's at-time snapshot as a table.

import type { AtResult } from '../shared/model';
import type { ProcessTarget } from '../shared/webviewProtocol';
import { button, el } from './dom';
import { formatBytes, formatCount, formatPercent, formatTime } from './format';

export function renderAtTable(
  element: HTMLElement,
  at: AtResult,
  onOpenProcess: (target: ProcessTarget) => void,
): void {
  const heading = el('h2', { text: `What was running at ${formatTime(at.ts)}` });
  const note = el('p', {
    className: 'note',
    text:
      at.sampleTs === null
        ? 'Nothing was recorded at or before this moment.'
        : `Figures from ${formatTime(at.sampleTs)} (${at.resolution.label}).` +
          (at.machine
            ? ` Machine CPU ${formatPercent(at.machine.cpu)}, memory ${formatBytes(at.machine.memUsed)} of ${formatBytes(at.machine.memTotal)}.`
            : ''),
  });
  // A process's CPU is a share of one core; the note above gives the machine's, a share of all.
  const columns = ['Name', 'PID', 'CPU % of one core', 'Memory', 'Threads', 'User', 'Command line'];
  const table = el(
    'table',
    { className: 'data-table at-table' },
    el('caption', { className: 'visually-hidden', text: `Processes at ${formatTime(at.ts)}` }),
    el(
      'thead',
      {},
      el('tr', {}, ...columns.map((title) => el('th', { text: title, attrs: { scope: 'col' } }))),
    ),
    el(
      'tbody',
      {},
      ...at.rows.map((row) =>
        el(
          'tr',
          {},
          el(
            'td',
            {},
            button(
              row.name,
              () => onOpenProcess({ identity: { pid: row.pid, startTime: row.startTime }, name: row.name }),
              { className: 'link-button' },
            ),
          ),
          el('td', { className: 'numeric', text: String(row.pid) }),
          el('td', { className: 'numeric', text: formatPercent(row.cpu) }),
          el('td', { className: 'numeric', text: formatBytes(row.rss) }),
          el('td', { className: 'numeric', text: formatCount(row.threads) }),
          el('td', { text: row.user ?? '–' }),
          el('td', { className: 'cmdline', text: row.cmdline, title: row.cmdline }),
        ),
      ),
    ),
  );
  element.replaceChildren(heading, note, table);
  element.hidden = false;
}
