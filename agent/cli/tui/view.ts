// The live view as a pure function: state and data in, one frame of terminal lines out (each
// exactly the terminal's width, colour codes only on a colour terminal). No I/O, so a frame of
// 600 rows is measured (bench/live.bench.ts) and tested without a terminal.
import { formatBytes, formatDuration, formatRate } from '../../../shared/duration';
import type { MachineSample, ProcessRow, SortKey } from '../../../shared/model';
import type { FamilyTotals, ProcessDetails, ProcessTreeNode } from '../../../shared/protocol';
import { ioRate } from '../../../shared/rowOrder';
import type { Caps, Glyphs } from './caps';
import { sparkline } from './sparkline';
import type { Strings } from './strings';
import { cleanText, fit, toAscii } from './text';

export interface ListRow {
  row: ProcessRow;
  /** Tree branches drawn before the name (empty in the flat list). */
  branch: string;
  /** The row's family (itself and every descendant) in the tree view. */
  family?: FamilyTotals;
}

export type Mode = 'list' | 'filter' | 'help' | 'details' | 'kill';

export interface Trend {
  pid: number;
  name: string;
  cpu: (number | null)[];
  rss: (number | null)[];
}

export interface ViewModel {
  caps: Caps;
  text: Strings;
  width: number;
  height: number;
  /** The newest sample's time; null before the first. */
  ts: number | null;
  machine: MachineSample | null;
  machineUptimeMs: number;
  agent: { pid: number; cpu: number | null; rss: number | null } | null;
  rows: readonly ListRow[];
  /** Process state letters (R, S, D, Z…) by pid, for the rows on screen. */
  states: ReadonlyMap<number, string>;
  selected: number;
  scroll: number;
  sort: SortKey;
  tree: boolean;
  filterText: string;
  mode: Mode;
  /** The filter as it is being typed, and why it does not compile yet. */
  input: string;
  inputError: string | null;
  /** One line of news: a kill's outcome, an error, the agent reconnecting. */
  message: { text: string; error: boolean } | null;
  trend: Trend | null;
  /** Details lines (already built by detailsLines) and how far they are scrolled. */
  details: string[] | null;
  pageScroll: number;
  /** The process the kill prompt names (taken when k was pressed: rows move under it). */
  killTarget: ProcessRow | null;
}

/** The rows of the list area: what is left after the 4 header lines, the trend box and the key bar. */
export function listHeight(height: number): number {
  return Math.max(1, height - 5 - trendHeight(height));
}

function trendHeight(height: number): number {
  return height >= 16 ? 4 : 0;
}

const SGR = {
  title: '1;37;44',
  header: '30;46',
  selected: '30;47',
  error: '1;31',
  prompt: '1;33',
  cpu: '32',
  mem: '36',
};

export function render(view: ViewModel): string[] {
  const { caps, text, width, height } = view;
  const g = caps.glyphs;
  const line = (plain: string) => fit(caps.unicode ? plain : toAscii(plain), width, g.ellipsis);
  const paint = (plain: string, sgr: string, fallback = '') => {
    const cell = line(plain);
    if (caps.colour) return `\x1b[${sgr}m${cell}`;
    return fallback ? `\x1b[${fallback}m${cell}` : cell;
  };
  const lines: string[] = [];
  lines.push(paint(titleLine(view), SGR.title, '1'));
  lines.push(line(view.machine ? machineText(view.machine, text) : text.waiting));
  const status = `${text.sort}: ${view.sort} ${g.sorted} · ${text.filter}: ${view.filterText || '–'} · ${text.tree}: ${view.tree ? text.on : text.off}`;
  const message = view.message ? `   ${view.message.text}` : '';
  lines.push(view.message?.error ? paint(status + message, SGR.error) : line(status + message));

  const body = height - 4;
  if (view.mode === 'help' || view.mode === 'details') {
    const title =
      view.mode === 'help' ? text.helpTitle : view.details ? (view.details[0] ?? '') : text.loading;
    lines.push(paint(title, SGR.header, '7'));
    const page = view.mode === 'help' ? text.help : (view.details?.slice(1) ?? []);
    for (let i = 0; i < body; i++) lines.push(line(page[view.pageScroll + i] ?? ''));
    lines.push(paint(text.detailsKeys, SGR.prompt, '7'));
    return lines.slice(0, height);
  }

  lines.push(paint(columnHeader(view), SGR.header, '7'));
  const rowsHere = listHeight(height);
  if (view.rows.length === 0) lines.push(line(view.ts === null ? text.waiting : text.noMatch));
  for (let i = view.scroll; i < view.rows.length && lines.length < 4 + rowsHere; i++) {
    const cells = rowText(view.rows[i]!, view);
    lines.push(i === view.selected ? paint(cells, SGR.selected, '7') : line(cells));
  }
  while (lines.length < 4 + rowsHere) lines.push(line(''));
  if (trendHeight(height) > 0) lines.push(...trendBox(view, line, paint));
  lines.push(bottomLine(view, paint));
  return lines.slice(0, height);
}

function titleLine(view: ViewModel): string {
  const { text } = view;
  const time = view.ts === null ? '--:--:--' : new Date(view.ts).toLocaleTimeString();
  const agent = view.agent
    ? ` · ${text.agent} ${view.agent.pid}: ${pct(view.agent.cpu)}% ${formatBytes(view.agent.rss)}`
    : '';
  return ` ${text.title} · ${time} · ${text.up} ${formatDuration(view.machineUptimeMs)}${agent}`;
}

const pct = (value: number | null) => (value === null ? '–' : value.toFixed(1));

function machineText(m: MachineSample, text: Strings): string {
  const load = [m.load1, m.load5, m.load15].map((l) => l.toFixed(2)).join(' ');
  return (
    ` ${text.cpuOf(m.cores)} ${pct(m.cpu)}% · ${text.mem} ${formatBytes(m.memUsed)}/${formatBytes(m.memTotal)}` +
    ` · ${text.swap} ${formatBytes(m.swapUsed)}/${formatBytes(m.swapTotal)} · ${text.load} ${load} · ${m.processCount} ${text.tasks}`
  );
}

// Column widths in cells; the command takes what is left.
const W = { pid: 7, state: 1, cpu: 10, mem: 9, io: 11, uptime: 9, name: 16, treeName: 30 };

function columnHeader(view: ViewModel): string {
  const c = view.text.columns;
  const mark = (label: string, key: SortKey) =>
    view.sort === key ? `${label}${view.caps.glyphs.sorted}` : label;
  const cells = [
    fit(c.pid, W.pid, '', true),
    fit(c.state, W.state),
    fit(mark(c.cpu, 'cpu'), W.cpu, '', true),
    fit(mark(c.mem, 'mem'), W.mem, '', true),
    view.tree ? fit(c.famCpu, W.cpu, '', true) : fit(mark(c.io, 'io'), W.io, '', true),
    view.tree ? fit(c.famMem, W.mem, '', true) : '',
    fit(c.uptime, W.uptime, '', true),
    fit(mark(c.name, 'name'), view.tree ? W.treeName : W.name),
    c.command,
  ];
  return cells.filter((cell) => cell !== '').join(' ');
}

/** How long a process has run, in at most 9 cells: `12:34` (min:s), `5h07m`, `12d03h`. */
export function compactAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

function rowText(item: ListRow, view: ViewModel): string {
  const { row } = item;
  const ellipsis = view.caps.glyphs.ellipsis;
  const name = item.branch + cleanText(row.name);
  const command = cleanText(row.cmdline || `[${row.name}]`);
  const cells = [
    fit(String(row.pid), W.pid, ellipsis, true),
    fit(view.states.get(row.pid) ?? '?', W.state),
    fit(pct(row.cpu), W.cpu, ellipsis, true),
    fit(formatBytes(row.rss), W.mem, ellipsis, true),
    view.tree
      ? fit(item.family ? pct(item.family.cpu) : '', W.cpu, ellipsis, true)
      : fit(formatRate(ioRate(row)), W.io, ellipsis, true),
    view.tree ? fit(item.family ? formatBytes(item.family.rss) : '', W.mem, ellipsis, true) : '',
    fit(view.ts === null ? '' : compactAge(view.ts - row.startTime), W.uptime, ellipsis, true),
    fit(name, view.tree ? W.treeName : W.name, ellipsis),
    command,
  ];
  return cells.filter((cell) => cell !== '').join(' ');
}

function trendBox(
  view: ViewModel,
  line: (plain: string) => string,
  paint: (plain: string, sgr: string) => string,
): string[] {
  const { box, spark } = view.caps.glyphs;
  const { text, width } = view;
  const inner = Math.max(0, width - 2);
  const trend = view.trend;
  const title = trend ? ` ${text.trendTitle(cleanText(trend.name), trend.pid)} ` : '';
  const top =
    box.tl +
    fit(box.h + title, inner, view.caps.glyphs.ellipsis).replace(/ +$/, (s) => box.h.repeat(s.length)) +
    box.tr;
  const label = 5;
  const graph = Math.max(0, inner - label - 12);
  const series = (name: string, values: (number | null)[], format: (v: number | null) => string) => {
    const known = values.filter((v): v is number => v !== null);
    const latest = known.length ? known[known.length - 1]! : null;
    const max = known.length ? Math.max(...known) : null;
    return `${fit(name, label)}${sparkline(values, graph, spark)} ${fit(format(latest), 5, '', true)}/${fit(format(max), 5, '')}`;
  };
  let cpu: string;
  let mem = '';
  if (trend && (trend.cpu.some((v) => v !== null) || trend.rss.some((v) => v !== null))) {
    cpu = series(text.trendCpu, trend.cpu, (v) => (v === null ? '–' : `${v.toFixed(0)}%`));
    mem = series(text.trendMem, trend.rss, (v) => (v === null ? '–' : compactBytes(v)));
  } else cpu = trend ? text.trendNone : '';
  return [
    line(top),
    paint(box.v + fit(cpu, inner) + box.v, SGR.cpu),
    paint(box.v + fit(mem, inner) + box.v, SGR.mem),
    line(box.bl + box.h.repeat(inner) + box.br),
  ];
}

/** Bytes in at most 5 cells (`340M`, `1.2G`), for the trend box's right edge. */
function compactBytes(bytes: number): string {
  return formatBytes(bytes)
    .replace(/ ([KMGT])iB$/, '$1')
    .replace(/ B$/, 'B');
}

function bottomLine(
  view: ViewModel,
  paint: (plain: string, sgr: string, fallback?: string) => string,
): string {
  const { text } = view;
  if (view.mode === 'filter') {
    const cursor = view.caps.unicode ? '█' : '_';
    const hint = view.inputError ? `  ${view.inputError}` : `  (${text.filterHint})`;
    return paint(
      `${text.filterPrompt}${cleanText(view.input)}${cursor}${hint}`,
      view.inputError ? SGR.error : SGR.prompt,
      '7',
    );
  }
  if (view.mode === 'kill') {
    const row = view.killTarget;
    const target = row ? `${row.pid} ${cleanText(row.name)} (${cleanText(row.cmdline || row.name)})` : '?';
    return paint(text.killPrompt(target), SGR.error, '7');
  }
  return paint(text.keyBar, SGR.header, '7');
}

/** The details page: a title line, then one line per fact; anything from the process cleaned. */
export function detailsLines(d: ProcessDetails, text: Strings): string[] {
  const t = text.details;
  const out = [text.detailsTitle(cleanText(d.name), d.identity.pid), ''];
  const unreadable = (value: unknown[] | null) => (value === null ? [`  ${t.unreadable}`] : []);
  out.push(`${t.command}:`, `  ${cleanText(d.argv.join(' ') || `[${d.name}]`)}`);
  out.push(`${t.exe}: ${cleanText(d.exe ?? '–')}`, `${t.cwd}: ${cleanText(d.cwd ?? '–')}`);
  if (d.container) out.push(`${t.container}: ${cleanText(d.container)}`);
  out.push('', `${t.threads} (${d.threads?.length ?? '?'}):`, ...unreadable(d.threads));
  for (const th of d.threads ?? []) out.push(`  ${th.tid}  ${th.state}  ${cleanText(th.name)}`);
  out.push('', `${t.openFiles} (${d.openFiles?.length ?? '?'}):`, ...unreadable(d.openFiles));
  for (const f of d.openFiles ?? []) out.push(`  ${String(f.fd).padStart(4)}  ${cleanText(f.target)}`);
  out.push('', `${t.connections} (${d.connections?.length ?? '?'}):`, ...unreadable(d.connections));
  for (const c of d.connections ?? [])
    out.push(`  ${c.protocol.padEnd(5)} ${cleanText(c.local)} → ${cleanText(c.remote)}  ${c.state}`);
  if (d.truncatedAt !== undefined) out.push('', t.truncated(d.truncatedAt));
  return out;
}

/** The tree as list rows, depth first, each with its branch glyphs and family totals. */
export function flattenTree(roots: readonly ProcessTreeNode[], glyphs: Glyphs): ListRow[] {
  const out: ListRow[] = [];
  const walk = (node: ProcessTreeNode, lead: string, branch: string) => {
    out.push({ row: node.row, branch: lead + branch, family: node.family });
    const next = lead + (branch === glyphs.tree.mid ? glyphs.tree.pipe : branch ? glyphs.tree.blank : '');
    node.children.forEach((child, i) =>
      walk(child, next, i === node.children.length - 1 ? glyphs.tree.last : glyphs.tree.mid),
    );
  };
  for (const root of roots) walk(root, '', '');
  return out;
}
