// Over 400 lines on purpose: the view's keys, modes and redraw share one screen state.
// `process-tracker live`: the full-screen view on the running agent. Rows come from the agent's
// subscription (sorted and filtered there, with the one row order of shared/rowOrder.ts); the tree
// from ProcessesRequest; Enter, k and the trend box ask ProcessDetailsRequest, KillRequest and
// HistoryRequest. This file wires keys and data to the pure view (view.ts) and the screen buffer.
import os from 'node:os';
import type { Key } from 'node:readline';
import { UserInputError } from '../../../shared/errors';
import { compileFilter, parseFilterText } from '../../../shared/filter';
import {
  identityKey,
  SORT_KEYS,
  type ProcessFilter,
  type ProcessRow,
  type SortKey,
} from '../../../shared/model';
import {
  DidSampleNotification,
  HistoryRequest,
  KillRequest,
  ProcessDetailsRequest,
  ProcessesRequest,
  SubscribeRequest,
  TopRequest,
  type KillSignal,
} from '../../../shared/protocol';
import { sortRows } from '../../../shared/rowOrder';
import { detectCaps } from './caps';
import { connectOrStartAgent } from './connect';
import { processStates } from './procState';
import { Screen } from './screen';
import { stringsFor } from './strings';
import { openTerminal, type Terminal } from './terminal';
import {
  detailsLines,
  flattenTree,
  listHeight,
  render,
  type ListRow,
  type Mode,
  type Trend,
  type ViewModel,
} from './view';

export interface LiveOptions {
  dataDir: string;
  /** dist/agent.js, to start an agent with when none runs. */
  script: string;
  /** Most rows to show (-n); the screen's height limits them anyway. */
  n: number;
  sort: SortKey;
  filter: ProcessFilter;
  /** How often the view refreshes (the agent skips ticks closer together); default its interval. */
  intervalMs?: number;
  ascii: boolean;
}

/** Rows one subscription notification carries at most (SubscribeRequest's limit). */
const SUBSCRIBED_ROWS = 200;
/** Rows a TopRequest returns at most, for a list scrolled past the subscribed ones. */
const TOP_ROWS = 1000;
const HOUR_MS = 3_600_000;
const TREND_REFRESH_MS = 10_000;

/** The filter box's text for a filter given on the command line (parseFilterText reads it back). */
export function filterText(filter: ProcessFilter): string {
  const parts: string[] = [];
  if (filter.pid !== undefined) parts.push(`pid:${filter.pid}`);
  if (filter.user !== undefined) parts.push(`user:${filter.user}`);
  if (filter.category !== undefined) parts.push(`cat:${filter.category}`);
  if (filter.regex !== undefined) parts.push(filter.regex);
  return parts.join(' ');
}

export async function runLive(options: LiveOptions): Promise<number> {
  const input = process.stdin;
  const output = process.stdout;
  if (!input.isTTY || !output.isTTY) {
    throw new UserInputError(
      '"live" needs a terminal: run it in one, or use "process-tracker top" for one printout',
    );
  }
  const caps = detectCaps(process.env, output, options.ascii);
  const text = stringsFor(process.env, caps.unicode);
  let { connection, startedPid } = await connectOrStartAgent(options.dataDir, options.script);

  const view: ViewModel = {
    caps,
    text,
    width: 80,
    height: 24,
    ts: null,
    machine: null,
    machineUptimeMs: 0,
    agent: null,
    rows: [],
    states: new Map(),
    selected: 0,
    scroll: 0,
    sort: options.sort,
    tree: false,
    filterText: filterText(options.filter),
    mode: 'list',
    input: '',
    inputError: null,
    message: null,
    trend: null,
    details: null,
    pageScroll: 0,
    killTarget: null,
  };
  let filter = options.filter;
  let selectedKey: string | null = null;
  let processCount = 0;
  let quit: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (quit = resolve));

  const terminal: Terminal = openTerminal(input, output, 1, (signal) => {
    void connection.close();
    process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  });
  const screen = new Screen((chunk) => terminal.write(chunk));

  // One frame per turn of the event loop, however many keys and answers arrived in it.
  let framePending = false;
  const frame = () => {
    framePending = false;
    view.width = terminal.columns;
    view.height = terminal.rows;
    keepSelectionVisible();
    screen.draw(render(view));
  };
  const schedule = () => {
    if (framePending) return;
    framePending = true;
    setImmediate(frame);
  };

  const visibleRows = () => Math.min(listHeight(terminal.rows), options.n);
  const keepSelectionVisible = () => {
    const rows = view.rows.length;
    view.selected = Math.max(0, Math.min(view.selected, rows - 1));
    const height = visibleRows();
    if (view.selected < view.scroll) view.scroll = view.selected;
    if (view.selected >= view.scroll + height) view.scroll = view.selected - height + 1;
    view.scroll = Math.max(0, Math.min(view.scroll, Math.max(0, rows - height)));
  };

  const showError = (error: unknown) => {
    view.message = { text: (error as Error).message ?? String(error), error: true };
    schedule();
  };

  /** New rows: the selection follows its process (by identity), as in htop. */
  const setRows = (rows: ListRow[]) => {
    view.rows = rows.slice(0, options.n);
    if (selectedKey !== null) {
      const at = view.rows.findIndex((item) => identityKey(item.row.pid, item.row.startTime) === selectedKey);
      if (at >= 0) view.selected = at;
    }
    keepSelectionVisible();
    const shown = view.rows.slice(view.scroll, view.scroll + visibleRows());
    view.states = processStates(shown.map((item) => item.row.pid));
    noteSelection();
  };

  // ---- data
  let fetching = false;
  /** Bumped by every change of sort, filter or tree: rows asked for before it are dropped. */
  let generation = 0;
  const onSample = async (sample: DidSampleNotification.Params) => {
    view.ts = sample.ts;
    view.machine = sample.machine;
    view.machineUptimeMs = os.uptime() * 1000;
    processCount = sample.processCount;
    if (fetching) return; // a slow answer: the next tick brings fresher rows
    fetching = true;
    const asked = generation;
    try {
      const agentPid = connection.agent.pid;
      const [own, rows] = await Promise.all([
        connection.request(TopRequest.type, { filter: { pid: agentPid }, n: 1 }),
        listRows(sample.top),
      ]);
      const agentRow = own.rows[0];
      view.agent = { pid: agentPid, cpu: agentRow?.cpu ?? null, rss: agentRow?.rss ?? null };
      if (asked === generation) setRows(rows);
    } catch (error) {
      showError(error);
    } finally {
      fetching = false;
    }
    schedule();
  };

  /** The list's rows: the subscription's, or more when scrolled past them, or the tree. */
  const listRows = async (top: ProcessRow[]): Promise<ListRow[]> => {
    if (view.tree) {
      const result = await connection.request(ProcessesRequest.type, {
        grouping: 'tree',
        filter,
        sort: view.sort,
      });
      return result.grouping === 'tree' ? flattenTree(result.roots, caps.glyphs) : [];
    }
    const wanted = Math.min(options.n, view.scroll + visibleRows() + 20);
    if (wanted > top.length && top.length >= SUBSCRIBED_ROWS && processCount > SUBSCRIBED_ROWS) {
      const more = await connection.request(TopRequest.type, {
        sort: view.sort,
        filter,
        n: Math.min(TOP_ROWS, wanted),
      });
      top = more.rows;
    }
    // Sorted and filtered again here: a notification sent before a key changed the sort or filter
    // arrives after it, and the list must always be in the order the status line names.
    const matches = compileFilter(filter);
    return sortRows(top.filter(matches), view.sort).map((row) => ({ row, branch: '' }));
  };

  const subscribe = async () => {
    await connection.request(SubscribeRequest.type, {
      top: Math.min(options.n, SUBSCRIBED_ROWS),
      sort: view.sort,
      filter,
      ...(options.intervalMs !== undefined ? { minIntervalMs: options.intervalMs } : {}),
    });
  };

  const attach = async () => {
    connection.onNotification(DidSampleNotification.type, (sample) => void onSample(sample));
    connection.onClose(() => {
      if (closing) return;
      view.message = { text: text.agentGone, error: true };
      schedule();
      void reconnect();
    });
    await subscribe();
  };

  let closing = false;
  const reconnect = async () => {
    while (!closing) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      try {
        const again = await connectOrStartAgent(options.dataDir, options.script);
        connection = again.connection;
        startedPid = again.startedPid ?? startedPid;
        view.message = null;
        await attach();
        return;
      } catch {
        /* still gone: try again */
      }
    }
  };

  // ---- trend of the selected process
  let trendTimer: NodeJS.Timeout | undefined;
  let trendKey: string | null = null;
  let trendFetchedAt = 0;
  const noteSelection = () => {
    const item = view.rows[view.selected];
    selectedKey = item ? identityKey(item.row.pid, item.row.startTime) : null;
    if (!item) return;
    const stale = Date.now() - trendFetchedAt > TREND_REFRESH_MS;
    if (selectedKey === trendKey && !stale) return;
    trendKey = selectedKey;
    trendFetchedAt = Date.now();
    clearTimeout(trendTimer);
    // Waits for the selection to rest: holding ↓ must not ask the store for every row passed.
    const row = item.row;
    trendTimer = setTimeout(() => void loadTrend(row), 250);
  };
  const loadTrend = async (row: ProcessRow) => {
    const to = Date.now();
    const identity = { pid: row.pid, startTime: row.startTime };
    const maxPoints = Math.max(10, terminal.columns);
    try {
      const [cpu, rss] = await Promise.all(
        (['cpu', 'rss'] as const).map((metric) =>
          connection.request(HistoryRequest.type, { identity, metric, from: to - HOUR_MS, to, maxPoints }),
        ),
      );
      const values = (result: HistoryRequest.Result) => result.series[0]?.points.map((p) => p.value) ?? [];
      const trend: Trend = { pid: row.pid, name: row.name, cpu: values(cpu!), rss: values(rss!) };
      if (identityKey(row.pid, row.startTime) === trendKey) view.trend = trend;
      schedule();
    } catch (error) {
      showError(error);
    }
  };

  // ---- actions
  const resort = (sort: SortKey) => {
    generation++;
    view.sort = sort;
    // At once on screen; the agent's next rows come in the same order.
    if (!view.tree)
      view.rows = sortRows(
        view.rows.map((item) => item.row),
        sort,
      ).map((row) => ({ row, branch: '' }));
    void subscribe().catch(showError);
  };
  const applyFilter = (next: ProcessFilter, text: string) => {
    generation++;
    filter = next;
    view.filterText = text;
    view.selected = 0;
    view.scroll = 0;
    const matches = compileFilter(filter);
    view.rows = view.rows.filter((item) => matches(item.row));
    void subscribe().catch(showError);
  };
  let filterBefore = { filter, text: view.filterText };
  const editFilter = (next: string) => {
    view.input = next;
    try {
      applyFilter(parseFilterText(next), next.trim());
      view.inputError = null;
    } catch (error) {
      view.inputError = (error as Error).message;
    }
  };
  const kill = async (row: ProcessRow, signal: KillSignal) => {
    try {
      const result = await connection.request(KillRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime },
        signal,
      });
      view.message = result.ok
        ? { text: text.killSent(result.pid, result.signal), error: false }
        : { text: result.message, error: true };
    } catch (error) {
      showError(error);
    }
    schedule();
  };
  const openDetails = async (row: ProcessRow) => {
    view.mode = 'details';
    view.details = null;
    view.pageScroll = 0;
    try {
      const details = await connection.request(ProcessDetailsRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime },
      });
      if (view.mode === 'details') view.details = detailsLines(details, text);
    } catch (error) {
      view.mode = 'list';
      showError(error);
    }
    schedule();
  };

  const move = (to: number) => {
    view.selected = Math.max(0, Math.min(view.rows.length - 1, to));
    keepSelectionVisible();
    noteSelection();
  };

  const onKey = (str: string | undefined, key: Key) => {
    if (key.ctrl && key.name === 'c') return quit(0);
    const name = key.name ?? str;
    if (view.mode === 'filter') {
      if (name === 'return' || name === 'enter') view.mode = view.inputError ? 'filter' : 'list';
      else if (name === 'escape') {
        applyFilter(filterBefore.filter, filterBefore.text);
        view.mode = 'list';
      } else if (name === 'backspace') editFilter(view.input.slice(0, -1));
      else if (key.ctrl && name === 'u') editFilter('');
      else if (str && !key.ctrl && !key.meta && str >= ' ') editFilter(view.input + str);
    } else if (view.mode === 'kill') {
      const target = view.killTarget;
      view.mode = 'list';
      view.killTarget = null;
      if (target && (str === 'y' || str === 'Y')) void kill(target, 'SIGTERM');
      else if (target && str === '9') void kill(target, 'SIGKILL');
    } else if (view.mode === 'help' || view.mode === 'details') {
      const page = view.mode === 'help' ? text.help.length : (view.details?.length ?? 0);
      const step = Math.max(1, terminal.rows - 5);
      const maxScroll = Math.max(0, page - (terminal.rows - 5));
      if (name === 'down' || str === 'j') view.pageScroll = Math.min(maxScroll, view.pageScroll + 1);
      else if (name === 'up') view.pageScroll = Math.max(0, view.pageScroll - 1);
      else if (name === 'pagedown' || str === ' ')
        view.pageScroll = Math.min(maxScroll, view.pageScroll + step);
      else if (name === 'pageup') view.pageScroll = Math.max(0, view.pageScroll - step);
      else if (['escape', 'q', 'return', 'enter', 'h', 'f1', 'backspace'].includes(name ?? ''))
        view.mode = 'list';
    } else {
      const selected = view.rows[view.selected]?.row;
      if (str === 'q' || name === 'f10') return quit(0);
      else if (str === 'c') resort('cpu');
      else if (str === 'm') resort('mem');
      else if (str === 'd') resort('io');
      else if (str === '<' || str === '>' || name === 'f6') {
        const step = str === '<' ? -1 : 1;
        resort(SORT_KEYS[(SORT_KEYS.indexOf(view.sort) + step + SORT_KEYS.length) % SORT_KEYS.length]!);
      } else if (str === 't' || name === 'f5') {
        generation++;
        view.tree = !view.tree;
        view.rows = [];
        // The tree is asked for on each tick; the current tick's comes at once on resubscribing.
        void subscribe().catch(showError);
      } else if ((str === 'k' || name === 'f9') && selected) {
        view.killTarget = selected;
        view.mode = 'kill';
      } else if (str === 'h' || str === '?' || name === 'f1') {
        view.mode = 'help';
        view.pageScroll = 0;
      } else if ((name === 'return' || name === 'enter') && selected) void openDetails(selected);
      else if (str === '/') {
        filterBefore = { filter, text: view.filterText };
        view.input = view.filterText;
        view.inputError = null;
        view.mode = 'filter';
      } else if (name === 'down' || str === 'j') move(view.selected + 1);
      else if (name === 'up') move(view.selected - 1);
      else if (name === 'pagedown') move(view.selected + visibleRows());
      else if (name === 'pageup') move(view.selected - visibleRows());
      else if (name === 'home') move(0);
      else if (name === 'end') move(view.rows.length - 1);
      else if (name === 'escape') view.message = null;
    }
    schedule();
  };

  terminal.onKey(onKey);
  terminal.onResize(() => {
    screen.invalidate();
    schedule();
  });
  schedule();
  try {
    await attach();
  } catch (error) {
    showError(error);
  }

  const code = await done;
  closing = true;
  clearTimeout(trendTimer);
  terminal.restore();
  await connection.close();
  if (startedPid) process.stdout.write(`${text.startedAgent(startedPid)}\n`);
  return code;
}

export type { Mode };
