// The alerts feature inside the running agent: rules from the file (reloaded on save) and from
// settings → the engine on every tick → notifications through the outbox, restart actions,
// history, and an AlertEvent to every connected client.
//
// Everything that must survive a kill -9 — pending / firing alerts, run-time silences, restart
// runs and the undelivered outbox — is one JSON file (<data dir>/alerts/state.json) replaced
// atomically. One file, not several, because a notification must not be lost or doubled by a
// crash between "the alert is now firing" and "its message is queued": both land in one rename.
import { requestMessages } from '../../shared/i18n/request';
import { localeLang } from '../../shared/i18n/catalogue';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ALERT_UNITS } from '../../shared/alertText';
import { messageError } from '../../shared/errors';
import type { ActiveAlert, AlertEvent, Finding } from '../../shared/model';
import type {
  AlertChannelResult,
  AlertHistoryRequest,
  AlertRulesStatus,
  AlertSilence,
  AlertsTestRequest,
  SilenceRequest,
} from '../../shared/protocol';
import { OnceLogger, type Logger } from '../log';
import type { CoreAlerts } from '../service/core';
import { Delivery, type DeliveryRecord, type DeliveryState, type RetryPolicy } from './delivery';
import { AlertEngine, type EngineState } from './engine';
import { queryHistory, type HistoryQuery } from './history';
import { Journal } from './journal';
import { alertMessage } from './notifiers/text';
import { loadJson, saveJsonAtomic, saveTextAtomic } from './outbox';
import { RestartRunner, type RestartRecord, type RestartState } from './restart';
import type { Redactor } from './secrets';
import { RuleSource } from './source';
import type { AlertConfig, AlertRule, AlertTransition } from './types';

export interface AlertsRuntimeOptions {
  dataDir: string;
  /** The rule file: `run --alerts FILE`, else `<config dir>/alerts.yaml`. */
  file: string;
  /** The agent's log, already redacting through `redactor`. */
  log: Logger;
  /** Shared with the agent's log: every channel secret the file ever held is added to it. */
  redactor: Redactor;
  /** Tells every connected client (AlertNotification). */
  broadcast?: (event: AlertEvent) => void;
  retry?: Partial<RetryPolicy>;
  host?: string;
  /** Quiet time after a file event before re-reading it (default 200 ms). */
  debounceMs?: number;
  /** Bound of each JSON-lines file (history, delivery log); default 4 MB. */
  journalBytes?: number;
  /** The open findings (agent/analytics), for leak / restart_loop / anomaly rules. */
  openFindings?: () => readonly Finding[];
}

interface SavedState {
  version: 1;
  engine: EngineState;
  restart: RestartState;
  outbox: DeliveryState;
}

/** A line of deliveries.jsonl: a delivery attempt's outcome, or a restart action's run. */
export type ActionRecord =
  ({ record: 'delivery' } & DeliveryRecord) | ({ record: 'restart' } & RestartRecord);

/** Pending alerts change little between ticks; growth points are saved at most this often. */
const PERIODIC_SAVE_MS = 60_000;

export function alertsDir(dataDir: string): string {
  return path.join(dataDir, 'alerts');
}

/** What clients are sent: the transition without its channels or restart command. */
export function toEvent(t: AlertTransition): AlertEvent {
  const event: AlertEvent = {
    kind: t.kind,
    key: t.key,
    rule: t.rule,
    scope: t.scope,
    metric: t.metric,
    severity: t.severity,
    subject: t.subject,
    value: t.value,
    threshold: t.threshold,
    operator: t.operator,
    unit: t.unit,
    firedAt: t.firedAt,
    ts: t.ts,
    message: alertMessage(t),
  };
  if (t.process) event.process = { ...t.process };
  if (t.suppressed) event.suppressed = t.suppressed;
  return event;
}

export class AlertsRuntime implements CoreAlerts {
  readonly dir: string;
  private readonly source: RuleSource;
  private readonly engine: AlertEngine;
  private readonly delivery: Delivery;
  private readonly restart: RestartRunner;
  private readonly events: Journal<AlertEvent>;
  private readonly actions: Journal<ActionRecord>;
  private readonly stateFile: string;
  private readonly once: OnceLogger;
  private outbox: DeliveryState = { version: 1, entries: [] };
  private signature = '';
  private savedAt = 0;
  private running = false;

  constructor(private readonly options: AlertsRuntimeOptions) {
    const { log, redactor } = options;
    this.dir = alertsDir(options.dataDir);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Temp files of a write a crash interrupted: the file they were for is still whole.
    for (const name of readdirSync(this.dir)) {
      if (/\.\d+\.tmp$/.test(name)) rmSync(path.join(this.dir, name), { force: true });
    }
    this.stateFile = path.join(this.dir, 'state.json');
    this.once = new OnceLogger(log);
    const redactLine = (text: string) => redactor.redact(text);
    this.events = new Journal(path.join(this.dir, 'history.jsonl'), {
      maxBytes: options.journalBytes,
      redact: redactLine,
    });
    this.actions = new Journal(path.join(this.dir, 'deliveries.jsonl'), {
      maxBytes: options.journalBytes,
      redact: redactLine,
    });
    const settingsFile = path.join(this.dir, 'settings-rules.json');
    this.source = new RuleSource({
      file: options.file,
      log,
      redactor,
      debounceMs: options.debounceMs,
      settingsStore: {
        load: () => loadJson<{ rules: unknown[] }>(settingsFile)?.rules,
        save: (rules) => saveJsonAtomic(settingsFile, { rules }),
      },
    });
    this.source.reload();
    const config = this.source.config;
    this.engine = new AlertEngine(config.rules, {
      silences: config.silences,
      maintenance: config.maintenance,
    });
    this.restart = new RestartRunner({
      log,
      redactor,
      onRecord: (record) => this.record({ record: 'restart', ...record }),
    });
    // The rule file's `language:` wins: its owner writes for whoever reads the channels. Else the
    // agent's locale when it started (a service's is its unit's Environment=LANG=…).
    const startLang = localeLang(process.env);
    this.delivery = new Delivery({
      language: () => this.source.config.language ?? startLang,
      channels: config.channels,
      waiting: this.source.waitingChannels,
      log,
      redactor,
      retry: options.retry,
      host: options.host,
      persist: (outbox) => {
        this.outbox = outbox;
        this.save();
      },
      onRecord: (record) => this.record({ record: 'delivery', ...record }),
    });
    const saved = loadJson<SavedState>(this.stateFile);
    if (saved?.version === 1) {
      this.engine.restore(saved.engine);
      this.restart.restore(saved.restart);
      this.delivery.restore(saved.outbox);
      this.outbox = this.delivery.state();
      const waiting = saved.outbox?.entries?.length ?? 0;
      if (waiting)
        log.info(`alerts: ${waiting} undelivered notification(s) from before the restart: sending`);
    }
  }

  /** Starts delivering (the restored outbox first) and watching the rule file. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.delivery.start();
    this.source.watch(() => this.applyConfig());
  }

  /** Stops watching and delivering (entries stay in the outbox) and saves the state. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.source.close();
    await this.delivery.stop();
    this.outbox = this.delivery.state();
    this.save();
  }

  /** Evaluates every rule on the tick; called by the recorder after each sample. */
  onTick(tick: Parameters<AlertEngine['evaluate']>[0]): void {
    if (!this.running) return;
    let transitions: AlertTransition[];
    try {
      const findings = this.engine.hasFindingRules() ? (this.options.openFindings?.() ?? []) : [];
      transitions = this.engine.evaluate(tick, tick.ts, findings);
      this.once.recovered('evaluate', 'alerts: evaluating rules works again');
    } catch (error) {
      this.once.failed('evaluate', `alerts: evaluating rules failed: ${(error as Error).message}`);
      return;
    }
    if (transitions.length) this.handle(transitions);
    this.saveIfChanged(tick.ts);
  }

  // --- CoreAlerts (the service's requests) ------------------------------------------------------

  active(): { alerts: ActiveAlert[] } {
    const alerts = this.engine
      .active(Date.now())
      .sort((a, b) => (a.state === b.state ? b.since - a.since : a.state === 'firing' ? -1 : 1));
    return { alerts };
  }

  history(query: HistoryQuery): AlertHistoryRequest.Result {
    return queryHistory(this.events.read(), query);
  }

  silence(silence: AlertSilence): SilenceRequest.Result {
    this.engine.addSilence({ ...silence });
    this.options.log.info(
      `alerts: silenced ${describeSilence(silence)} until ${new Date(silence.until).toISOString()}`,
    );
    this.save();
    return { silence, active: this.engine.silences(Date.now()) };
  }

  async test(rule: string): Promise<AlertsTestRequest.Result> {
    const { result, event } = await testRule(
      this.source.config,
      rule,
      this.delivery,
      Date.now(),
      this.source.waitingChannels,
    );
    this.options.broadcast?.(event);
    for (const r of result.results)
      this.options.log.info(`alerts: test of ${rule} through ${r.channel}: ${describeResult(r)}`);
    return result;
  }

  setSettingsRules(rules: unknown[]): AlertRulesStatus {
    this.source.setSettingsRules(rules);
    this.applyConfig();
    return this.source.status();
  }

  setSecrets(secrets: Record<string, string>): AlertRulesStatus {
    this.source.setSecrets(secrets);
    this.applyConfig();
    return this.source.status();
  }

  rulesStatus(): AlertRulesStatus {
    // A file watcher can miss an event (a busy machine, some editors' save dance): asking for the
    // status re-reads the file, which costs one small read when nothing changed.
    if (this.running && this.source.reload()) this.applyConfig();
    return this.source.status();
  }

  // --- inside ---------------------------------------------------------------------------------

  private handle(transitions: AlertTransition[]): void {
    const events = transitions.map(toEvent);
    for (const event of events) {
      const held = event.suppressed ? ` (held back: ${event.suppressed})` : '';
      this.options.log.info(`alert ${event.kind}: ${event.message}${held}`);
    }
    try {
      this.events.append(events);
    } catch (error) {
      this.once.failed('history', `alerts: history not written: ${(error as Error).message}`);
    }
    // Queues and saves the outbox together with the engine state that produced it (one rename).
    this.delivery.enqueue(transitions);
    for (const t of transitions) {
      if (!t.action) continue;
      void this.restart.handle(t).then(
        () => this.save(),
        (error: Error) =>
          this.options.log.error(`alerts: restart action of ${t.rule} failed: ${error.message}`),
      );
    }
    for (const event of events) this.options.broadcast?.(event);
  }

  private applyConfig(): void {
    const config = this.source.config;
    this.engine.setRules(config.rules, { silences: config.silences, maintenance: config.maintenance });
    this.delivery.setChannels(config.channels, this.options.redactor, this.source.waitingChannels);
    this.save();
  }

  private record(record: ActionRecord): void {
    try {
      this.actions.append([record]);
    } catch (error) {
      this.once.failed('actions', `alerts: delivery log not written: ${(error as Error).message}`);
    }
  }

  /** Saves when an alert appeared, changed state or was announced; growth points once a minute. */
  private saveIfChanged(now: number): void {
    if (this.engine.stateStamp() !== this.signature) return this.save();
    if (this.engine.hasGrowth() && now - this.savedAt >= PERIODIC_SAVE_MS) this.save();
  }

  private save(engine: EngineState = this.engine.state()): void {
    const state: SavedState = { version: 1, engine, restart: this.restart.state(), outbox: this.outbox };
    try {
      // Through the redactor too: a command line or error text must not carry a token to disk.
      saveTextAtomic(this.stateFile, this.options.redactor.redact(JSON.stringify(state)));
      this.signature = this.engine.stateStamp();
      this.savedAt = Date.now();
      this.once.recovered('save', `alerts: ${this.stateFile} written again`);
    } catch (error) {
      this.once.failed('save', `alerts: ${this.stateFile} not written: ${(error as Error).message}`);
    }
  }
}

function describeSilence(s: AlertSilence): string {
  return [s.rule && `rule ${s.rule}`, s.scope && `scope ${s.scope}`, s.process && `process /${s.process}/`]
    .filter(Boolean)
    .join(', ');
}

export function describeResult(r: AlertChannelResult): string {
  const status = resultStatus(r);
  return r.ok ? `delivered${status} in ${r.durationMs} ms` : `failed${status}: ${r.error ?? 'unknown error'}`;
}

/** " (HTTP 200)", " (SMTP 250)", or nothing: the answer's status, as codes read in any language. */
export function resultStatus(r: AlertChannelResult): string {
  return r.status !== undefined ? ` (${r.type === 'email' ? 'SMTP' : 'HTTP'} ${r.status})` : '';
}

/** A sample value on the firing side of the rule's threshold: "55% > 50%", not "50% > 50%". */
function crossing(rule: AlertRule): number {
  const step = Math.abs(rule.threshold) / 10 || 1;
  return rule.operator === '>' || rule.operator === '>=' ? rule.threshold + step : rule.threshold - step;
}

/** A stand-in alert for a rule: what its channels would receive, marked as a test. */
export function sampleTransition(rule: AlertRule, now: number): AlertTransition {
  return {
    kind: 'firing',
    key: `${rule.name}|test`,
    rule: rule.name,
    scope: 'test',
    metric: rule.metric,
    severity: rule.severity,
    subject: 'test notification',
    value: rule.metric === 'absent' ? 0 : crossing(rule),
    threshold: rule.threshold,
    operator: rule.operator,
    unit: ALERT_UNITS[rule.metric],
    firedAt: now,
    ts: now,
    channels: [],
  };
}

/** Sends one sample notification through each of the rule's channels: once, no outbox, no retries. */
export async function testRule(
  config: AlertConfig,
  name: string,
  delivery: Delivery,
  now: number,
  waiting: readonly string[] = [],
): Promise<{ result: AlertsTestRequest.Result; event: AlertEvent }> {
  const rule = config.rules.find((r) => r.name === name);
  if (!rule) {
    const names = config.rules.map((r) => r.name);
    throw messageError(
      names.length
        ? requestMessages.ref('noSuchRule', { name, names: names.join(', ') })
        : requestMessages.ref('noRules', { name }),
    );
  }
  const transition = sampleTransition(rule, now);
  const channels = [...new Set([...rule.channels, ...(rule.escalate?.channels ?? [])])];
  const results = await Promise.all(
    channels.map(async (channel): Promise<AlertChannelResult> => {
      if (!config.channels[channel]) {
        const error = waiting.includes(channel)
          ? 'waits for its ${secret:…} value from VS Code (Process Tracker: Set Alert Secret)'
          : 'not defined under channels:';
        return { channel, type: 'unknown', ok: false, error, durationMs: 0 };
      }
      const record = await delivery.sendOnce(channel, [transition]);
      return {
        channel,
        type: record.type,
        ok: record.outcome === 'delivered',
        ...(record.status !== undefined ? { status: record.status } : {}),
        ...(record.error !== undefined ? { error: record.error } : {}),
        durationMs: record.durationMs,
      };
    }),
  );
  const event: AlertEvent = {
    ...toEvent(transition),
    message: `[test] ${alertMessage(transition)}`,
    test: true,
  };
  return { result: { rule: name, results }, event };
}
