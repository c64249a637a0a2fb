// The HTTP API: `GET /api/<method>?params=<JSON>` for the agent's read-only requests, answered by
// the socket's own handlers (agent/service/handlers.ts), so every param passes the same checks and
// every failure maps to the same error. Nothing that acts (kill, export to a file, silence, stop)
// or reads a process's environment (processDetails) is here: a browser only looks.
import { ErrorCodes } from 'vscode-jsonrpc/node';
import {
  ActiveAlertsRequest,
  AgentErrorCodes,
  AtRequest,
  HistoryRequest,
  LifecycleRequest,
  PanelDatasetRequest,
  ProcessesRequest,
  ProcessPageRequest,
  StatsRequest,
  TopRequest,
} from '../../shared/protocol';
import { asResponseError, type Handlers } from '../service/handlers';

type Answer = (handlers: Handlers, params: unknown) => unknown;

const METHODS: ReadonlyMap<string, Answer> = new Map<string, Answer>([
  [TopRequest.method, (h, p) => h.top(p)],
  [ProcessesRequest.method, (h, p) => h.processes(p)],
  [HistoryRequest.method, (h, p) => h.history(p)],
  [StatsRequest.method, (h, p) => h.stats(p)],
  [AtRequest.method, (h, p) => h.at(p)],
  [LifecycleRequest.method, (h, p) => h.lifecycle(p)],
  [PanelDatasetRequest.method, (h, p) => h.panelDataset(p)],
  [ProcessPageRequest.method, (h, p) => h.processPage(p)],
  [ActiveAlertsRequest.method, (h, p) => h.activeAlerts(p)],
]);

export const API_METHODS: readonly string[] = [...METHODS.keys()];

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** What the socket would answer, as an HTTP status and a JSON body (`{ code, message }` on failure). */
export async function answerApi(
  handlers: Handlers,
  method: string,
  paramsText: string | null,
  onInternalError: (message: string) => void,
): Promise<ApiAnswer> {
  const answer = METHODS.get(method);
  if (!answer) {
    return {
      status: 404,
      body: {
        code: ErrorCodes.MethodNotFound,
        message: `no API method "${method}": one of ${API_METHODS.join(', ')}`,
      },
    };
  }
  let params: unknown;
  try {
    params = paramsText === null ? undefined : JSON.parse(paramsText);
  } catch {
    return {
      status: 400,
      body: { code: ErrorCodes.ParseError, message: '"params" is not JSON: give ?params={...}' },
    };
  }
  try {
    return { status: 200, body: await answer(handlers, params) };
  } catch (error) {
    const { code, message, data } = asResponseError(error);
    if (code === ErrorCodes.InternalError) onInternalError(`http: ${method}: ${message}`);
    // `text`: the message's catalogue reference, for the page to say in its language.
    const text = (data as { text?: unknown } | undefined)?.text;
    return { status: statusOf(code), body: { code, message, ...(text ? { text } : {}) } };
  }
}

function statusOf(code: number): number {
  if (code === ErrorCodes.InvalidParams || code === AgentErrorCodes.BadInput) return 400;
  if (code === AgentErrorCodes.NotFound) return 404;
  return 500;
}
