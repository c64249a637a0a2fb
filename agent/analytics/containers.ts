// Containers' starts and stops, from the ticks: a container id (collect/cgroup.ts, read from each
// process's cgroup) first seen on some process is a start, dated by its first process's start
// time; an id no process carries on two ticks in a row is a stop, dated by the last tick it was
// seen on (one tick of grace: a process list read between a container's processes exiting and its
// next one starting would otherwise stop and start it). The name is looked up once it is seen
// (collect/containerName.ts: files only, no daemon), and again a minute later while unknown — a
// process's environ may not be readable in its first instant.
//
// Per tick: one pass over the rows comparing `container` with null; maps only while containers run.
// Kept in DATA_DIR/analytics/containers.json (written whole, atomically, when something changed).
import path from 'node:path';
import type { ContainerEvent, Tick } from '../../shared/model';
import { loadJson, saveJsonAtomic } from '../alerts/outbox';
import { resolveContainerName } from '../collect/containerName';

/** Events kept (newest survive): ~100 bytes each. */
export const MAX_CONTAINER_EVENTS = 2000;
/** Ticks without a process of a container before it is stopped. */
const GONE_TICKS = 2;
const NAME_RETRY_MS = 60_000;
const NAME_TRIES = 3;

export const containersFile = (dataDir: string) => path.join(dataDir, 'analytics', 'containers.json');

export type ResolveName = (container: string, pid: number | null) => string | null;

interface Running {
  start: ContainerEvent;
  lastSeen: number;
  missed: number;
  tries: number;
  nextTryAt: number;
}

interface Saved {
  version: 1;
  events: ContainerEvent[];
  /** Running when saved, with the last tick each was seen on. */
  running: { container: string; lastSeen: number }[];
}

export class ContainerBook {
  private events: ContainerEvent[] = [];
  private readonly running = new Map<string, Running>();
  private dirty = false;

  constructor(
    private readonly file: string | null,
    private readonly resolve: ResolveName = resolveContainerName,
  ) {
    if (file) this.load(file);
  }

  private load(file: string): void {
    const saved = loadJson<Saved>(file);
    if (!saved || !Array.isArray(saved.events)) return;
    this.events = saved.events.filter(
      (e) =>
        e &&
        typeof e.ts === 'number' &&
        typeof e.container === 'string' &&
        (e.kind === 'start' || e.kind === 'stop'),
    );
    // Running when the last agent stopped: still running if the first ticks show it, else stopped
    // when last seen then.
    for (const r of Array.isArray(saved.running) ? saved.running : []) {
      const start = newest(this.events, (e) => e.kind === 'start' && e.container === r.container);
      if (!start || typeof r.lastSeen !== 'number') continue;
      this.running.set(r.container, { start, lastSeen: r.lastSeen, missed: 0, tries: 0, nextTryAt: 0 });
    }
  }

  onTick(tick: Tick): void {
    const t = tick.ts;
    // Each container's first-started process: its init, whose environ names it.
    let seen: Map<string, { pid: number; startTime: number }> | undefined;
    for (const row of tick.processes) {
      if (row.container === null) continue;
      seen ??= new Map();
      const first = seen.get(row.container);
      if (!first || row.startTime < first.startTime) seen.set(row.container, row);
    }
    for (const [container, first] of seen ?? []) {
      let r = this.running.get(container);
      if (!r) {
        const start: ContainerEvent = { ts: first.startTime, kind: 'start', container, name: null };
        r = { start, lastSeen: t, missed: 0, tries: 0, nextTryAt: t };
        this.running.set(container, r);
        this.push(start);
      }
      r.lastSeen = t;
      r.missed = 0;
      if (r.start.name === null && r.tries < NAME_TRIES && t >= r.nextTryAt) {
        r.tries++;
        r.nextTryAt = t + NAME_RETRY_MS;
        r.start.name = this.resolve(container, first.pid);
        if (r.start.name !== null) this.dirty = true;
      }
    }
    for (const [container, r] of this.running) {
      if (seen?.has(container)) continue;
      if (++r.missed < GONE_TICKS) continue;
      this.running.delete(container);
      this.push({ ts: r.lastSeen, kind: 'stop', container, name: r.start.name });
    }
  }

  private push(event: ContainerEvent): void {
    this.events.push(event);
    if (this.events.length > MAX_CONTAINER_EVENTS)
      this.events.splice(0, this.events.length - MAX_CONTAINER_EVENTS);
    this.dirty = true;
  }

  /** Starts and stops within [from, to], oldest first. */
  inRange(from: number, to: number): ContainerEvent[] {
    return this.events
      .filter((e) => e.ts >= from && e.ts <= to)
      .map((e) => ({ ...e }))
      .sort((a, b) => a.ts - b.ts);
  }

  /** The name of a running or recorded container; null when unknown. */
  nameOf(container: string): string | null {
    return (
      this.running.get(container)?.start.name ??
      newest(this.events, (e) => e.container === container && e.name !== null)?.name ??
      null
    );
  }

  /**
   * Writes the file when something changed, or with `running` when containers run (their last
   * sightings move every tick: written with the baselines, every few minutes and at the stop).
   * Errors go to the caller (the engine logs them once).
   */
  save(running = false): void {
    if (!this.file || !(this.dirty || (running && this.running.size > 0))) return;
    this.dirty = false;
    const saved: Saved = {
      version: 1,
      events: this.events,
      running: [...this.running].map(([container, r]) => ({ container, lastSeen: r.lastSeen })),
    };
    saveJsonAtomic(this.file, saved);
  }
}

function newest(events: ContainerEvent[], test: (e: ContainerEvent) => boolean): ContainerEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (test(events[i]!)) return events[i];
  return undefined;
}
