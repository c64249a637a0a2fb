// The runs feature in the window: the recorder that reports task runs and terminal commands to the
// agent, and the Runs view. extension.ts calls registerRuns once (one line there).
import type { Ctx } from '../ctx';
import { RunRecorder } from './recorder';
import { RunsView } from './view';

let view: RunsView | undefined;

export function registerRuns(ctx: Ctx): void {
  const recorder = new RunRecorder(ctx.agent, ctx.log);
  view = new RunsView(ctx.agent, recorder.onDidChange);
  ctx.extension.subscriptions.push(recorder, view);
}

/** The Runs view's rows as they read (for the extension's test API). */
export function runsViewLines(): string[] {
  return view?.lines() ?? [];
}
