// The grouped rows a view shows, from the newest tick: what ProcessesRequest answers, and what a
// subscription with `views` pushes with every tick (so the Processes view in category or tree
// grouping and This Window never ask after a tick).
import { compileFilter } from '../../shared/filter';
import { subtreeRows } from '../../shared/processTree';
import { GROUPINGS, SORT_KEYS, type ProcessRow } from '../../shared/model';
import { ProcessesRequest, SubscribeRequest, type SubscribedView } from '../../shared/protocol';
import { groupProcesses } from './tickRows';
import * as v from './validate';

/** One view's shape off the wire; `at` names it in errors ("views[2]."), empty for ProcessesRequest. */
export function readProcessesParams(params: unknown, at = ''): ProcessesRequest.Params {
  const p = v.fields(params, at ? at.slice(0, -1) : 'processes');
  const filter = v.optionalFilter(p.filter);
  compileFilter(filter); // a bad regex is answered now, not on every tick
  return {
    grouping: v.requiredOneOf(p.grouping, `${at}grouping`, GROUPINGS),
    sort: v.optionalOneOf(p.sort, `${at}sort`, SORT_KEYS),
    filter,
    roots: v.optionalPidList(p.roots, `${at}roots`, ProcessesRequest.MAX_ROOTS),
  };
}

/** A subscription's `views`: at most MAX_VIEWS, each with a unique id. */
export function readSubscribedViews(value: unknown): SubscribedView[] | undefined {
  if (value === undefined || value === null) return undefined;
  const max = SubscribeRequest.MAX_VIEWS;
  if (!Array.isArray(value) || value.length > max)
    throw v.invalid(v.request('viewsList', { max, shape: '{id, grouping, sort?, filter?, roots?}' }));
  const ids = new Set<string>();
  return value.map((view, i) => {
    const id = v.optionalString((view as { id?: unknown } | null)?.id, `views[${i}].id`, 100);
    if (!id) throw v.invalid(v.request('viewId', { field: `views[${i}].id` }));
    if (ids.has(id)) throw v.invalid(v.request('viewIdRepeats', { field: `views[${i}].id`, id }));
    ids.add(id);
    return { id, ...readProcessesParams(view, `views[${i}].`) };
  });
}

/** The view's rows: only the `roots` subtrees when given (selected before grouping, so the tree,
 * sorting and totals cost only their size), then filtered, sorted and grouped. */
export function viewProcesses(
  all: readonly ProcessRow[],
  ts: number | null,
  params: ProcessesRequest.Params,
): ProcessesRequest.Result {
  const rows = params.roots ? subtreeRows(all, params.roots) : all;
  return groupProcesses(rows, ts, { grouping: params.grouping, sort: params.sort, filter: params.filter });
}
