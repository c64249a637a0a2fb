// The shape `demo-data` gives generated history: each program keeps its own habits — editors and
// browsers busy in working hours and quiet at night, databases steady, build tools idle between
// bursts, kernel threads without memory, one process slowly leaking — so a demo's charts, tables
// and screenshots read like a developer's machine rather than 600 copies of one random process.
// Benchmarks keep the uniform shape (generate.ts), so their figures stay comparable across runs.
import type { Category } from '../../shared/model';

type Habit = 'interactive' | 'service' | 'burst' | 'kernel';

interface Profile {
  category: Category;
  /** % of one core while busy (a burst's level for build tools). */
  cpu: number;
  rssMb: number;
  /** Disk read + write while busy, KiB/s. */
  ioKiBps: number;
  habit: Habit;
  user?: string;
}

const PROFILES: Record<string, Profile> = {
  node: { category: 'development', cpu: 8, rssMb: 180, ioKiBps: 40, habit: 'interactive' },
  code: { category: 'development', cpu: 12, rssMb: 450, ioKiBps: 60, habit: 'interactive' },
  chrome: { category: 'browser', cpu: 15, rssMb: 600, ioKiBps: 120, habit: 'interactive' },
  firefox: { category: 'browser', cpu: 12, rssMb: 550, ioKiBps: 100, habit: 'interactive' },
  bash: { category: 'shell', cpu: 0.3, rssMb: 6, ioKiBps: 1, habit: 'interactive' },
  zsh: { category: 'shell', cpu: 0.3, rssMb: 8, ioKiBps: 1, habit: 'interactive' },
  postgres: { category: 'database', cpu: 3, rssMb: 250, ioKiBps: 400, habit: 'service', user: 'postgres' },
  'redis-server': { category: 'database', cpu: 1.5, rssMb: 60, ioKiBps: 30, habit: 'service', user: 'redis' },
  dockerd: { category: 'container', cpu: 1, rssMb: 90, ioKiBps: 20, habit: 'service', user: 'root' },
  containerd: { category: 'container', cpu: 0.8, rssMb: 50, ioKiBps: 10, habit: 'service', user: 'root' },
  systemd: { category: 'system', cpu: 0.3, rssMb: 12, ioKiBps: 5, habit: 'service', user: 'root' },
  sshd: { category: 'system', cpu: 0.1, rssMb: 8, ioKiBps: 1, habit: 'service', user: 'root' },
  python3: { category: 'development', cpu: 60, rssMb: 150, ioKiBps: 300, habit: 'burst' },
  java: { category: 'development', cpu: 20, rssMb: 900, ioKiBps: 80, habit: 'interactive' },
  tsserver: { category: 'development', cpu: 6, rssMb: 400, ioKiBps: 10, habit: 'interactive' },
  esbuild: { category: 'development', cpu: 90, rssMb: 80, ioKiBps: 2000, habit: 'burst' },
  git: { category: 'development', cpu: 40, rssMb: 30, ioKiBps: 3000, habit: 'burst' },
  make: { category: 'development', cpu: 30, rssMb: 20, ioKiBps: 200, habit: 'burst' },
  cargo: { category: 'development', cpu: 95, rssMb: 300, ioKiBps: 1500, habit: 'burst' },
  'rust-analyzer': { category: 'development', cpu: 10, rssMb: 700, ioKiBps: 20, habit: 'interactive' },
  'kworker/0:1': { category: 'system', cpu: 0.5, rssMb: 0, ioKiBps: 0, habit: 'kernel', user: 'root' },
  Xorg: { category: 'system', cpu: 4, rssMb: 120, ioKiBps: 2, habit: 'interactive', user: 'root' },
  pulseaudio: { category: 'system', cpu: 1, rssMb: 25, ioKiBps: 1, habit: 'service' },
  'gnome-shell': { category: 'system', cpu: 6, rssMb: 350, ioKiBps: 5, habit: 'interactive' },
  nginx: { category: 'other', cpu: 0.8, rssMb: 30, ioKiBps: 50, habit: 'service', user: 'www-data' },
  mysqld: { category: 'database', cpu: 2.5, rssMb: 400, ioKiBps: 300, habit: 'service', user: 'mysql' },
  slack: { category: 'other', cpu: 3, rssMb: 500, ioKiBps: 15, habit: 'interactive' },
  electron: { category: 'other', cpu: 4, rssMb: 300, ioKiBps: 10, habit: 'interactive' },
  vim: { category: 'development', cpu: 0.3, rssMb: 40, ioKiBps: 2, habit: 'interactive' },
  tmux: { category: 'shell', cpu: 0.2, rssMb: 10, ioKiBps: 1, habit: 'interactive' },
};

const FALLBACK: Profile = { category: 'other', cpu: 2, rssMb: 50, ioKiBps: 10, habit: 'interactive' };
const MB = 1024 * 1024;
const HOUR_MS = 3_600_000;
/** An idle instance (a helper, a background tab) holds this share of its program's memory. */
const IDLE_MEMORY_SHARE = 0.05;
/** Bursts started per busy hour by a build tool at full working-hours level. */
const BURSTS_PER_HOUR = 1.2;
/** The leaking process grows this much per hour of its life. */
const LEAK_MB_PER_HOUR = 4;

/** How busy each habit is at `ts`, by the local clock: 1 in working hours on a weekday. */
export function habitLevels(ts: number): Record<Habit, number> {
  const date = new Date(ts);
  const hour = date.getHours() + date.getMinutes() / 60;
  const weekend = date.getDay() === 0 || date.getDay() === 6;
  const work =
    hour >= 9 && hour < 18 ? 1 : hour >= 7.5 && hour < 9 ? 0.5 : hour >= 18 && hour < 23 ? 0.35 : 0.04;
  const day = weekend ? work * 0.3 : work;
  return { interactive: day, service: 0.5 + 0.5 * day, burst: day, kernel: 0.3 + 0.7 * day };
}

/** One process's habits: its program's profile and its own scale, rhythm and leak. */
export class WorkdayProcess {
  readonly profile: Profile;
  private readonly scale: number;
  private readonly phase: number;
  private burstUntil = 0;

  constructor(
    name: string,
    private readonly random: () => number,
    readonly active: boolean,
    private readonly leaking: boolean,
    private readonly startTime: number,
  ) {
    this.profile = PROFILES[name] ?? FALLBACK;
    this.scale = 0.5 + random();
    this.phase = random();
  }

  get category(): Category {
    return this.profile.category;
  }

  get user(): string {
    return this.profile.user ?? 'dev';
  }

  get kernelThread(): boolean {
    return this.profile.habit === 'kernel';
  }

  /** CPU % of one core and disk bytes/s over the `spanMs` that ends at `ts`. */
  load(
    ts: number,
    spanMs: number,
    levels: Record<Habit, number>,
  ): { cpu: number; readBps: number; writeBps: number } {
    if (!this.active) return { cpu: 0, readBps: 0, writeBps: 0 };
    const p = this.profile;
    let busy: number;
    if (p.habit === 'burst') {
      if (ts >= this.burstUntil && this.random() < (BURSTS_PER_HOUR * levels.burst * spanMs) / HOUR_MS) {
        this.burstUntil = ts + (2 + this.random() * 8) * 60_000;
      }
      busy = ts < this.burstUntil ? 1 : 0.003;
    } else {
      busy = levels[p.habit];
    }
    const cpu = p.cpu * this.scale * busy * (0.6 + 0.8 * this.random());
    const io = p.ioKiBps * 1024 * this.scale * busy * this.random();
    return { cpu, readBps: Math.floor(io * 0.6), writeBps: Math.floor(io * 0.4) };
  }

  /** Resident bytes at `ts`: a slow six-hour swell for busy processes, steady growth for the leaker. */
  rss(ts: number): number {
    const base = this.profile.rssMb * MB * this.scale * (this.active ? 1 : IDLE_MEMORY_SHARE);
    if (!this.active) return Math.round(base);
    const swell = 1 + 0.08 * Math.sin(2 * Math.PI * (ts / (6 * HOUR_MS) + this.phase));
    const leak = this.leaking ? (Math.max(0, ts - this.startTime) / HOUR_MS) * LEAK_MB_PER_HOUR * MB : 0;
    return Math.round(base * swell + leak);
  }
}
