// Which rows a tree view may take from a tick instead of asking ProcessesRequest. No `vscode` here.
import type { ProcessesRequest, SubscribedView } from '../../shared/protocol';
import type { PushedTick } from '../subscription';

/**
 * The rows pushed for `view` with this tick, when the tick was computed for exactly that view's
 * shape; undefined otherwise (an agent from before subscribed views, or a tick of an older
 * subscription, e.g. before a grouping or roots change was answered): the view then asks itself.
 */
export function pushedView(tick: PushedTick, view: SubscribedView): ProcessesRequest.Result | undefined {
  const subscribed = tick.demand.views?.find((candidate) => candidate.id === view.id);
  if (!subscribed || JSON.stringify(subscribed) !== JSON.stringify(view)) return undefined;
  return tick.views?.find((pushed) => pushed.id === view.id)?.processes;
}
