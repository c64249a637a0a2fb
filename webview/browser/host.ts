// The history panel's host in a browser, beside the VS Code one (extension/panel/historySession.ts):
// loaded before the panel's own bundle (webview/main.ts), it provides `acquireVsCodeApi`, answers
// the panel's commands from the agent's HTTP API with the same code the extension uses
// (extension/panel/panelData.ts), and hands the answers back as the `message` events the panel
// listens for. The panel validates every message as it does in VS Code.
import './browser.css';
import { userErrorText } from '../../shared/errors';
import { atData, processPage, rangeData, type HeldData } from '../../shared/panelData';
import {
  AtNotification,
  DataNotification,
  ErrorNotification,
  ExportCommand,
  OpenProcessRowCommand,
  ProcessPageNotification,
  RenderedCommand,
  RequestAtCommand,
  RequestProcessCommand,
  RequestRangeCommand,
  SaveStateCommand,
  type IpcNotificationType,
  type RenderedParams,
} from '../../shared/webviewProtocol';
import { lang, t } from '../i18n';
import { agentRequest } from './api';
import { startDashboard } from './dashboard';

const STATE_KEY = 'process-tracker.panel-state';

type Kind = 'range' | 'at' | 'process';
const issued: Record<Kind, number> = { range: 0, at: 0, process: 0 };
const held: HeldData = {};
let messageId = 0;

/** What the panel drew, in order: tests and the bench read it (window.processTrackerRendered). */
const rendered: (RenderedParams & { at: number })[] = [];
let firstDrawn!: () => void;
const panelDrawn = new Promise<void>((resolve) => (firstDrawn = resolve));
// A panel that never draws (an error shown instead) does not keep the dashboard empty.
setTimeout(() => firstDrawn(), 5000);
(window as unknown as { processTrackerRendered: typeof rendered }).processTrackerRendered = rendered;

function post<P>(type: IpcNotificationType<P>, params: P): void {
  // Synchronous and same-window: no other frame's postMessage is involved.
  window.dispatchEvent(new MessageEvent('message', { data: type.create(`host-${++messageId}`, params) }));
}

/** Runs a query; a superseded answer (the panel asked again meanwhile) is never drawn. */
function answer<T>(kind: Kind, query: () => Promise<T>, type: IpcNotificationType<T>): void {
  const seq = ++issued[kind];
  query().then(
    (result) => {
      if (seq === issued[kind]) post(type, result);
    },
    (error: Error) => {
      // The agent's refusal in the page's language when it is a catalogue message.
      if (seq === issued[kind]) post(ErrorNotification, { message: userErrorText(error, lang) });
    },
  );
}

function download(fileName: string, content: string, format: string): void {
  const type = format === 'csv' ? 'text/csv' : 'application/json';
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function receive(message: unknown): void {
  if (RequestRangeCommand.is(message)) {
    const params = message.params;
    answer('range', () => rangeData(agentRequest, params, Date.now(), held), DataNotification);
  } else if (RequestAtCommand.is(message)) {
    const { ts } = message.params;
    answer('at', () => atData(agentRequest, ts), AtNotification);
  } else if (RequestProcessCommand.is(message)) {
    const params = message.params;
    answer('process', () => processPage(agentRequest, params, held), ProcessPageNotification);
  } else if (ExportCommand.is(message)) {
    download(message.params.fileName, message.params.content, message.params.format);
  } else if (OpenProcessRowCommand.is(message)) {
    post(ErrorNotification, {
      message: t('browserNoActions', { name: message.params.name }),
    });
  } else if (SaveStateCommand.is(message)) {
    localStorage.setItem(STATE_KEY, JSON.stringify(message.params.state));
  } else if (RenderedCommand.is(message)) {
    rendered.push({ ...message.params, at: performance.now() });
    firstDrawn();
  }
  // ready: nothing to hand over (the panel restores its own state from getState).
}

function savedState(): unknown {
  try {
    return JSON.parse(localStorage.getItem(STATE_KEY) ?? 'null');
  } catch {
    return null; // the panel's restoreState starts afresh from anything it cannot use
  }
}

(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: receive,
  getState: savedState,
  setState: (state: unknown) => localStorage.setItem(STATE_KEY, JSON.stringify(state)),
});

// The dashboard goes first in <body>; the panel appends its own parts after it.
startDashboard(document.body, agentRequest, panelDrawn);
