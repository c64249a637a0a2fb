// Over 400 lines on purpose: one state machine per alert whose steps share its private state.
// The alert engine: pure evaluation of rules over ticks. No clock, no I/O — `now` comes in,
// transitions come out, and state() / restore() carry pending and firing alerts across restarts.
//
// Per alert (rule + scope) the life is: nothing → pending (condition holds) → firing (held for
// `for`) → resolved (the resolve condition holds: hysteresis via resolve_below / resolve_above).
// Suppressed notifications (silence, maintenance) still change state; a firing alert whose
// notification was held back is announced when the suppression ends, and its resolve is only
// announced if its fire was.
import { ALERT_UNITS } from '../../shared/alertText';
import { isFindingAlertMetric, type Finding, type ProcessRow, type Tick } from '../../shared/model';
import { compileRegex } from '../../shared/filter';
import type { UserRegex } from '../../shared/userRegex';
import { MaintenanceCalendar } from './schedule';
import type {
  ActiveAlert,
  AlertProcess,
  AlertRule,
  AlertTransition,
  MaintenanceWindow,
  Metric,
  Silence,
  TransitionKind,
} from './types';

/** Memory figures are compared in MiB (ALERT_UNITS), thresholds being written in them. */
const MB = 1024 * 1024;

/** One alert's remembered state; plain JSON. */
export interface AlertState {
  key: string;
  rule: string;
  scope: string;
  state: 'pending' | 'firing';
  /** Pending since, or fired at. */
  since: number;
  lastNotifiedAt: number;
  /** Whether the firing was announced (false while a silence or maintenance held it back). */
  notified: boolean;
  escalated: boolean;
  /** While firing: since when the resolve condition has held (keep_firing_for). */
  clearSince?: number;
  value: number | null;
  subject: string;
  process?: AlertProcess;
}

export interface EngineState {
  version: 1;
  alerts: AlertState[];
  /** memory_growth samples per alert key: [ts, MB]. */
  growth: Record<string, [number, number][]>;
  /** Silences added at run time (e.g. "Silence 1 h" from a toast). */
  silences: Silence[];
}

export interface EngineOptions {
  /** Silences from the configuration file (state() keeps only run-time ones). */
  silences?: Silence[];
  maintenance?: MaintenanceWindow[];
}

type Predicate = (p: ProcessRow) => boolean;

interface CompiledRule {
  rule: AlertRule;
  index: number;
  machine: boolean;
  matches: Predicate;
}

/** What a scope's processes add up to in one tick. */
interface Group {
  scope: string;
  count: number;
  known: number;
  sum: number;
  max: number;
  top?: ProcessRow;
  names: Set<string>;
}

interface CachedProcess {
  startTime: number;
  name: string;
  cmdline: string;
  /** matched[i] is 1 when rule i matches this process. */
  matched: Uint8Array;
  /** The indexes of the process rules that match, so a tick walks only those (most match few). */
  matching: Int32Array;
  /** Scope strings, built once per process instead of once per rule per tick. */
  nameScope: string;
  idScope: string;
  seen: number;
}

function compilePredicate(rule: AlertRule): Predicate {
  const m = rule.match;
  if (!m) return () => true;
  const name = m.name === undefined ? undefined : compileRegex(m.name, 'match.name');
  const command = m.command === undefined ? undefined : compileRegex(m.command, 'match.command');
  return (p) =>
    (m.pid === undefined || p.pid === m.pid) &&
    (m.category === undefined || p.category === m.category) &&
    (m.user === undefined || p.user === m.user) &&
    (name === undefined || name.test(p.name)) &&
    (command === undefined || command.test(p.cmdline));
}

function processValue(metric: Metric, p: ProcessRow): number | null {
  switch (metric) {
    case 'cpu':
      return p.cpu;
    case 'memory':
    case 'memory_growth':
      return p.rss === null ? null : p.rss / MB;
    case 'io_read':
      return p.readBps === null ? null : p.readBps / MB;
    case 'io_write':
      return p.writeBps === null ? null : p.writeBps / MB;
    default:
      return 1;
  }
}

function compare(value: number, operator: AlertRule['operator'], threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Least-squares slope of [ts, MB] points, in MB per hour. */
export function slopePerHour(points: [number, number][]): number {
  const n = points.length;
  const t0 = points[0]![0];
  let sx = 0;
  let sy = 0;
  for (const [t, y] of points) {
    sx += (t - t0) / 3_600_000;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [t, y] of points) {
    const dx = (t - t0) / 3_600_000 - mx;
    num += dx * (y - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

const identity = (p: { pid: number; startTime: number }) => `pid:${p.pid}@${p.startTime}`;
const toProcess = (p: { pid: number; startTime: number; name: string; cmdline: string }): AlertProcess => ({
  pid: p.pid,
  startTime: p.startTime,
  name: p.name,
  cmdline: p.cmdline,
});

export class AlertEngine {
  private compiled: CompiledRule[] = [];
  private readonly alerts = new Map<string, AlertState>();
  private readonly growth = new Map<string, [number, number][]>();
  private readonly cache = new Map<number, CachedProcess>();
  private configSilences: Silence[];
  private runtimeSilences: Silence[] = [];
  private silenceRegexes = new Map<string, UserRegex>();
  private calendar: MaintenanceCalendar;
  private tickCount = 0;
  private byRule = new Map<string, AlertState[]>();

  constructor(rules: AlertRule[], options: EngineOptions = {}) {
    this.configSilences = options.silences ?? [];
    this.calendar = new MaintenanceCalendar(options.maintenance ?? []);
    this.setRules(rules);
  }

  /** Replaces the rules (file reloaded); alerts of rules that still exist keep their state. */
  setRules(rules: AlertRule[], options?: EngineOptions): void {
    this.compiled = rules.map((rule, index) => ({
      rule,
      index,
      machine: rule.metric === 'system_cpu' || rule.metric === 'system_memory',
      matches: compilePredicate(rule),
    }));
    if (options) {
      this.configSilences = options.silences ?? [];
      this.calendar = new MaintenanceCalendar(options.maintenance ?? []);
    }
    const names = new Set(rules.map((r) => r.name));
    for (const [key, alert] of this.alerts) if (!names.has(alert.rule)) this.alerts.delete(key);
    for (const key of this.growth.keys())
      if (!names.has(key.slice(0, key.indexOf('|')))) this.growth.delete(key);
    this.cache.clear();
  }

  addSilence(silence: Silence): void {
    this.runtimeSilences.push(silence);
  }

  silences(now: number): Silence[] {
    return [...this.configSilences, ...this.runtimeSilences].filter((s) => s.until > now);
  }

  /** Whether a rule watches findings: the runtime then hands evaluate() the open ones. */
  hasFindingRules(): boolean {
    return this.compiled.some((c) => isFindingAlertMetric(c.rule.metric));
  }

  /** `findings`: the open findings (agent/analytics), for the leak / restart_loop / anomaly rules. */
  evaluate(tick: Tick, now: number = tick.ts, findings: readonly Finding[] = []): AlertTransition[] {
    this.tickCount++;
    const out: AlertTransition[] = [];
    // A snapshot of the alerts per rule, so each rule looks at its own alerts only.
    this.byRule = new Map();
    for (const alert of this.alerts.values()) {
      const list = this.byRule.get(alert.rule);
      if (list) list.push(alert);
      else this.byRule.set(alert.rule, [alert]);
    }
    const machineRules: CompiledRule[] = [];
    const processRules: CompiledRule[] = [];
    const findingRules: CompiledRule[] = [];
    for (const c of this.compiled)
      (c.machine ? machineRules : isFindingAlertMetric(c.rule.metric) ? findingRules : processRules).push(c);

    // Deaths first, while the cache still knows what the dead processes matched.
    this.evaluateDeaths(tick, now, out);

    const groups = processRules.map(() => new Map<string, Group>());
    processRules.forEach((c, slot) => {
      if (c.rule.groupBy === 'all') groups[slot]!.set('all', this.emptyGroup('all'));
    });
    const ruleSlot = new Int32Array(this.compiled.length).fill(-1);
    processRules.forEach((c, slot) => (ruleSlot[c.index] = slot));

    // Without process rules no process needs matching (the agent's default: no alert file).
    for (const p of processRules.length > 0 ? tick.processes : []) {
      const cached = this.matchesOf(p);
      const matching = cached.matching;
      for (let m = 0; m < matching.length; m++) {
        const i = matching[m]!;
        const slot = ruleSlot[i]!;
        if (slot < 0) continue;
        const rule = this.compiled[i]!.rule;
        const scope =
          rule.groupBy === 'all' ? 'all' : rule.groupBy === 'name' ? cached.nameScope : cached.idScope;
        const byScope = groups[slot]!;
        let group = byScope.get(scope);
        if (!group) byScope.set(scope, (group = this.emptyGroup(scope)));
        this.addToGroup(group, rule.metric, p);
      }
    }

    processRules.forEach((c, slot) => this.evaluateProcessRule(c.rule, groups[slot]!, now, out));
    for (const c of machineRules) this.evaluateMachineRule(c.rule, tick, now, out);
    for (const c of findingRules) this.evaluateFindingRule(c, findings, now, out);

    if (this.tickCount % 64 === 0) this.sweepCache();
    this.runtimeSilences = this.runtimeSilences.filter((s) => s.until > now);
    return out;
  }

  /** Pending and firing alerts, for the Alerts view. */
  active(now: number = Date.now()): ActiveAlert[] {
    const byName = new Map(this.compiled.map((c) => [c.rule.name, c.rule]));
    return [...this.alerts.values()].map((a) => {
      const rule = byName.get(a.rule)!;
      const suppressed = a.state === 'firing' ? this.suppression(rule, a, now) : undefined;
      return {
        key: a.key,
        rule: a.rule,
        scope: a.scope,
        metric: rule.metric,
        severity: rule.severity,
        subject: a.subject,
        ...(a.process ? { process: a.process } : {}),
        state: a.state,
        since: a.since,
        value: a.value,
        threshold: rule.threshold,
        unit: ALERT_UNITS[rule.metric],
        ...(suppressed ? { suppressed } : {}),
      };
    });
  }

  /**
   * Changes whenever an alert appears, changes state, is announced or escalates, or a silence is
   * added: what must be saved at once. Cheap: no copy of the state.
   */
  stateStamp(): string {
    let stamp = `${this.runtimeSilences.length}`;
    for (const a of this.alerts.values())
      stamp += `\n${a.key}/${a.state}/${a.since}/${a.notified}/${a.escalated}/${a.lastNotifiedAt}`;
    return stamp;
  }

  /** Whether memory_growth points are kept (saved periodically rather than on every tick). */
  hasGrowth(): boolean {
    return this.growth.size > 0;
  }

  state(): EngineState {
    return {
      version: 1,
      alerts: [...this.alerts.values()].map((a) => ({ ...a })),
      growth: Object.fromEntries(
        [...this.growth].map(([k, v]) => [k, v.map((p) => [p[0], p[1]] as [number, number])]),
      ),
      silences: this.runtimeSilences.map((s) => ({ ...s })),
    };
  }

  /** Restores state saved by state(); alerts of rules that no longer exist are dropped. */
  restore(state: EngineState): void {
    if (!state || state.version !== 1) return;
    const names = new Set(this.compiled.map((c) => c.rule.name));
    this.alerts.clear();
    for (const a of state.alerts ?? []) if (names.has(a.rule)) this.alerts.set(a.key, { ...a });
    this.growth.clear();
    for (const [key, points] of Object.entries(state.growth ?? {})) {
      if (names.has(key.slice(0, key.indexOf('|')))) this.growth.set(key, points);
    }
    this.runtimeSilences = [...(state.silences ?? [])];
  }

  // --- grouping -------------------------------------------------------------------------------

  private matchesOf(p: ProcessRow): CachedProcess {
    const cached = this.cache.get(p.pid);
    // The name is re-checked: a process caught between fork and exec is renamed on its next tick.
    if (cached && cached.startTime === p.startTime && cached.name === p.name) {
      cached.seen = this.tickCount;
      return cached;
    }
    const matched = new Uint8Array(this.compiled.length);
    const matching: number[] = [];
    for (const c of this.compiled) {
      if (c.machine || !c.matches(p)) continue;
      matched[c.index] = 1;
      matching.push(c.index);
    }
    const entry: CachedProcess = {
      startTime: p.startTime,
      name: p.name,
      cmdline: p.cmdline,
      matched,
      matching: Int32Array.from(matching),
      nameScope: `name:${p.name}`,
      idScope: identity(p),
      seen: this.tickCount,
    };
    this.cache.set(p.pid, entry);
    return entry;
  }

  private sweepCache(): void {
    for (const [pid, entry] of this.cache) if (this.tickCount - entry.seen > 8) this.cache.delete(pid);
  }

  private emptyGroup(scope: string): Group {
    return { scope, count: 0, known: 0, sum: 0, max: -Infinity, names: new Set() };
  }

  private addToGroup(group: Group, metric: Metric, p: ProcessRow): void {
    group.count++;
    if (group.names.size < 4) group.names.add(p.name);
    const value = processValue(metric, p);
    if (value === null) return;
    group.known++;
    group.sum += value;
    if (value > group.max || group.top === undefined) {
      group.max = value;
      group.top = p;
    }
  }

  private subjectOf(group: Group): { subject: string; process?: AlertProcess } {
    if (group.count === 1 && group.top) return { subject: group.top.name, process: toProcess(group.top) };
    const names = [...group.names];
    const subject =
      group.count === 0
        ? 'no process'
        : names.length === 1
          ? `${group.count} × ${names[0]}`
          : `${group.count} processes (${names.slice(0, 3).join(', ')}${group.names.size > 3 ? ', …' : ''})`;
    return group.top ? { subject, process: toProcess(group.top) } : { subject };
  }

  // --- evaluation -----------------------------------------------------------------------------

  private evaluateProcessRule(
    rule: AlertRule,
    groups: Map<string, Group>,
    now: number,
    out: AlertTransition[],
  ): void {
    if (rule.metric === 'absent' && rule.groupBy === 'process') {
      this.resolveReturnedDeaths(rule, groups, now, out);
      return;
    }
    for (const group of groups.values()) {
      const key = `${rule.name}|${group.scope}`;
      const { subject, process } = this.subjectOf(group);
      let value: number | null;
      switch (rule.metric) {
        case 'process_count':
          value = group.count;
          break;
        case 'absent':
          value = group.count;
          break;
        case 'memory_growth':
          value = group.known > 0 ? this.growthRate(rule, key, group.sum, now) : null;
          break;
        default:
          value =
            group.known === 0
              ? null
              : rule.aggregate === 'max'
                ? group.max
                : rule.aggregate === 'sum'
                  ? group.sum
                  : group.sum / group.known;
      }
      if (rule.metric === 'absent') {
        // Breach when none runs; clear as soon as one does.
        this.step(
          rule,
          key,
          group.scope,
          group.count === 0,
          group.count > 0,
          value,
          group.count ? subject : describeMatch(rule),
          process,
          now,
          out,
        );
        continue;
      }
      if (value === null) {
        // Processes present but unreadable (or a growth window still filling): hold.
        if (group.count > 0) continue;
        this.step(rule, key, group.scope, false, true, null, subject, process, now, out);
        continue;
      }
      this.step(
        rule,
        key,
        group.scope,
        compare(value, rule.operator, rule.threshold),
        this.clears(rule, value),
        value,
        subject,
        process,
        now,
        out,
      );
    }
    // Scopes with state but no processes this tick: their processes are gone.
    if (rule.groupBy !== 'all') {
      const prefix = `${rule.name}|`;
      for (const alert of this.byRule.get(rule.name) ?? []) {
        if (groups.has(alert.scope) || !this.alerts.has(alert.key)) continue;
        this.step(rule, alert.key, alert.scope, false, true, null, alert.subject, alert.process, now, out);
        this.growth.delete(alert.key);
      }
      if (rule.metric === 'memory_growth') {
        for (const key of this.growth.keys())
          if (key.startsWith(prefix) && !groups.has(key.slice(prefix.length))) this.growth.delete(key);
      }
    }
  }

  private evaluateMachineRule(rule: AlertRule, tick: Tick, now: number, out: AlertTransition[]): void {
    const m = tick.machine;
    const value =
      rule.metric === 'system_cpu' ? m.cpu : m.memTotal > 0 ? (m.memUsed / m.memTotal) * 100 : null;
    if (value === null) return;
    this.step(
      rule,
      `${rule.name}|machine`,
      'machine',
      compare(value, rule.operator, rule.threshold),
      this.clears(rule, value),
      value,
      'machine',
      undefined,
      now,
      out,
    );
  }

  /**
   * leak / restart_loop / anomaly: the open findings of that kind about matching processes (match
   * by name, command or pid; the finding's process, its newest identity), grouped like processes.
   * The value is how many; the subject is the culprit the finding names.
   */
  private evaluateFindingRule(
    c: CompiledRule,
    findings: readonly Finding[],
    now: number,
    out: AlertTransition[],
  ): void {
    const rule = c.rule;
    const groups = new Map<string, { count: number; subject: string; process?: AlertProcess }>();
    if (rule.groupBy === 'all') groups.set('all', { count: 0, subject: describeMatch(rule) });
    for (const f of findings) {
      const name = f.subject.name;
      if (!f.open || f.kind !== rule.metric || name === null) continue;
      const id = f.subject.identities[f.subject.identities.length - 1];
      const cmdline = f.subject.cmdline ?? '';
      if (!c.matches({ pid: id?.pid ?? 0, name, cmdline, category: 'other', user: null } as ProcessRow))
        continue;
      const scope =
        rule.groupBy === 'all' ? 'all' : rule.groupBy === 'name' || !id ? `name:${name}` : identity(id);
      const group = groups.get(scope) ?? { count: 0, subject: name };
      group.count++;
      if (group.count === 1 || scope === 'all') {
        group.subject = group.count === 1 ? name : `${group.count} findings (${name}, …)`;
        if (id) group.process = toProcess({ ...id, name, cmdline });
      }
      groups.set(scope, group);
    }
    for (const [scope, group] of groups) {
      const value = group.count;
      const key = `${rule.name}|${scope}`;
      const breach = compare(value, rule.operator, rule.threshold);
      this.step(
        rule,
        key,
        scope,
        breach,
        this.clears(rule, value),
        value,
        group.subject,
        group.process,
        now,
        out,
      );
    }
    // A scope whose finding closed: resolve it.
    for (const alert of this.byRule.get(rule.name) ?? []) {
      if (groups.has(alert.scope) || !this.alerts.has(alert.key)) continue;
      this.step(rule, alert.key, alert.scope, false, true, 0, alert.subject, alert.process, now, out);
    }
  }

  /** An absent rule grouped by process: each matching process that exits is a death. */
  private evaluateDeaths(tick: Tick, now: number, out: AlertTransition[]): void {
    if (!tick.exited.length) return;
    const deathRules = this.compiled.filter(
      (c) => c.rule.metric === 'absent' && c.rule.groupBy === 'process',
    );
    for (const gone of tick.exited) {
      const cached = this.cache.get(gone.pid);
      if (!cached || cached.startTime !== gone.startTime) continue;
      for (const c of deathRules) {
        if (!cached.matched[c.index]) continue;
        const process = toProcess({ ...gone, name: cached.name, cmdline: cached.cmdline });
        const scope = identity(gone);
        this.step(c.rule, `${c.rule.name}|${scope}`, scope, true, false, 0, cached.name, process, now, out);
      }
      this.cache.delete(gone.pid);
    }
  }

  /** A death clears once a process of the same name runs again (the restart worked). */
  private resolveReturnedDeaths(
    rule: AlertRule,
    groups: Map<string, Group>,
    now: number,
    out: AlertTransition[],
  ): void {
    let running: Set<string> | undefined;
    for (const alert of this.byRule.get(rule.name) ?? []) {
      if (!this.alerts.has(alert.key)) continue;
      running ??= new Set([...groups.values()].flatMap((g) => [...g.names]));
      const back = running.has(alert.process?.name ?? alert.subject);
      this.step(
        rule,
        alert.key,
        alert.scope,
        !back,
        back,
        back ? 1 : 0,
        alert.subject,
        alert.process,
        now,
        out,
      );
    }
  }

  private clears(rule: AlertRule, value: number): boolean {
    if (rule.resolveAt === undefined) return !compare(value, rule.operator, rule.threshold);
    return rule.operator === '>' || rule.operator === '>=' ? value < rule.resolveAt : value > rule.resolveAt;
  }

  private growthRate(rule: AlertRule, key: string, mb: number, now: number): number | null {
    let points = this.growth.get(key);
    if (!points) this.growth.set(key, (points = []));
    // Keep about 120 points per window whatever the sampling interval: bounded state.
    const step = Math.max(rule.windowMs / 120, 1000);
    const last = points[points.length - 1];
    if (!last || now - last[0] >= step) points.push([now, mb]);
    else last[1] = mb;
    while (points.length && points[0]![0] < now - rule.windowMs) points.shift();
    if (points.length < 3 || now - points[0]![0] < rule.windowMs / 2) return null;
    return slopePerHour(points);
  }

  /**
   * Advances one alert. `breach`: the fire condition holds; `clear`: the resolve condition holds
   * (with hysteresis both can be false: the value sits between the two lines).
   */
  private step(
    rule: AlertRule,
    key: string,
    scope: string,
    breach: boolean,
    clear: boolean,
    value: number | null,
    subject: string,
    process: AlertProcess | undefined,
    now: number,
    out: AlertTransition[],
  ): void {
    let alert = this.alerts.get(key);
    if (!alert) {
      if (!breach) return;
      alert = {
        key,
        rule: rule.name,
        scope,
        state: 'pending',
        since: now,
        lastNotifiedAt: 0,
        notified: false,
        escalated: false,
        value,
        subject,
      };
      if (process) alert.process = process;
      this.alerts.set(key, alert);
    }
    alert.value = value;
    if (breach || !clear) {
      alert.subject = subject;
      if (process) alert.process = process;
    }

    if (alert.state === 'pending') {
      if (!breach) {
        this.alerts.delete(key);
        return;
      }
      if (now - alert.since < rule.forMs) return;
      alert.state = 'firing';
      alert.since = now;
      this.announce(rule, alert, 'firing', now, out);
      return;
    }

    // keep_firing_for: a measured value must stay back that long; a process that is gone (null)
    // has nothing to come back, so it clears at once.
    const hold = rule.keepFiringForMs ?? 0;
    if (!clear || value === null || hold === 0) delete alert.clearSince;
    else if (now - (alert.clearSince ??= now) < hold) clear = false;

    if (clear) {
      this.alerts.delete(key);
      const channels = alert.notified ? this.channelsFor(rule, alert) : [];
      const held = alert.notified ? undefined : (this.suppression(rule, alert, now) ?? 'silence');
      out.push(this.transition(rule, alert, 'resolved', now, channels, held));
      return;
    }
    if (!alert.notified) {
      this.announce(rule, alert, 'firing', now, out);
    } else if (rule.escalate && !alert.escalated && now - alert.since >= rule.escalate.afterMs) {
      if (this.suppression(rule, alert, now)) return;
      alert.escalated = true;
      alert.lastNotifiedAt = now;
      out.push(this.transition(rule, alert, 'escalated', now, this.channelsFor(rule, alert)));
    } else if (rule.repeatMs > 0 && now - alert.lastNotifiedAt >= rule.repeatMs) {
      if (this.suppression(rule, alert, now)) return;
      alert.lastNotifiedAt = now;
      out.push(this.transition(rule, alert, 'repeat', now, this.channelsFor(rule, alert)));
    }
  }

  /** Emits a firing transition, or records it as suppressed (once) to be announced later. */
  private announce(
    rule: AlertRule,
    alert: AlertState,
    kind: TransitionKind,
    now: number,
    out: AlertTransition[],
  ): void {
    const suppressed = this.suppression(rule, alert, now);
    if (suppressed) {
      // Tell history once, at the moment it started firing; announce when the suppression ends.
      if (alert.since === now) out.push(this.transition(rule, alert, kind, now, [], suppressed));
      return;
    }
    alert.notified = true;
    alert.lastNotifiedAt = now;
    out.push(this.transition(rule, alert, kind, now, this.channelsFor(rule, alert)));
  }

  private channelsFor(rule: AlertRule, alert: AlertState): string[] {
    if (!alert.escalated || !rule.escalate) return rule.channels;
    return [...new Set([...rule.channels, ...rule.escalate.channels])];
  }

  private suppression(
    rule: AlertRule,
    alert: AlertState,
    now: number,
  ): 'silence' | 'maintenance' | undefined {
    for (const s of this.configSilences.length || this.runtimeSilences.length ? this.silences(now) : []) {
      if (s.rule !== undefined && s.rule !== rule.name) continue;
      if (s.scope !== undefined && s.scope !== alert.scope) continue;
      if (s.process !== undefined) {
        let regex = this.silenceRegexes.get(s.process);
        if (!regex) this.silenceRegexes.set(s.process, (regex = compileRegex(s.process, 'silence process')));
        if (!regex.test(alert.process?.name ?? alert.subject)) continue;
      }
      return 'silence';
    }
    return this.calendar.inMaintenance(rule.name, now) ? 'maintenance' : undefined;
  }

  private transition(
    rule: AlertRule,
    alert: AlertState,
    kind: TransitionKind,
    now: number,
    channels: string[],
    suppressed?: 'silence' | 'maintenance',
  ): AlertTransition {
    const t: AlertTransition = {
      kind,
      key: alert.key,
      rule: rule.name,
      scope: alert.scope,
      metric: rule.metric,
      severity: rule.severity,
      subject: alert.subject,
      value: alert.value,
      threshold: rule.threshold,
      operator: rule.operator,
      unit: ALERT_UNITS[rule.metric],
      firedAt: alert.since,
      ts: now,
      channels,
    };
    if (alert.process) t.process = alert.process;
    if (suppressed) t.suppressed = suppressed;
    // Repeats carry the action too: an absent rule with `repeat` retries its restart (capped).
    if (rule.action && (kind === 'firing' || kind === 'repeat')) t.action = rule.action;
    return t;
  }
}

function describeMatch(rule: AlertRule): string {
  const m = rule.match ?? {};
  return m.name ?? m.command ?? m.category ?? (m.pid !== undefined ? `pid ${m.pid}` : (m.user ?? rule.name));
}
