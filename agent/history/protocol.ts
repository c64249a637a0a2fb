// The messages between the agent and its history worker process (lane.ts ↔ entry.ts, over the
// child's IPC channel, V8-serialized). Each call carries the writer's hand-over taken when the call
// starts (agent/store/handover.ts).
import type {
  AtQuery,
  ExportQuery,
  LifecycleQuery,
  SeriesQuery,
  StatsQuery,
  StoreStatus,
} from '../store/types';
import type { Handover } from '../store/handover';
import type { DatasetQuery } from '../service/panel';
import type { MachineSample } from '../../shared/model';

export type HistoryCall =
  | { kind: 'stats'; query: StatsQuery }
  | { kind: 'at'; query: AtQuery }
  | { kind: 'series'; query: SeriesQuery }
  | { kind: 'lifecycle'; query: LifecycleQuery }
  | {
      kind: 'panelDataset';
      query: DatasetQuery;
      /** The newest tick's machine figures (memory total, cores); undefined before the first. */
      machine: MachineSample | undefined;
      status: StoreStatus;
    }
  | { kind: 'export'; query: ExportQuery; file: string };

/** The agent's PID, in the child's environment: the child ends when its parent is no longer it. */
export const AGENT_PID_ENV = 'PROCESS_TRACKER_AGENT_PID';

export interface ToWorker {
  id: number;
  call: HistoryCall;
  handover: Handover;
}

export type FromWorker =
  | { type: 'done'; id: number; result: unknown }
  /** userInput: the user's mistake (a file that cannot be written), shown verbatim. */
  | { type: 'failed'; id: number; message: string; userInput: boolean }
  /** Sent every second while the child's event loop turns: it is not hung. */
  | { type: 'alive'; id: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; text: string }
  /** A closed file the worker found damaged: the writer moves it aside. */
  | { type: 'damaged'; file: string; reason: string };
