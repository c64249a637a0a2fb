// The findings the agent has made: open ones keyed by what they are about, closed ones kept for
// the report. Persisted as one JSON file under the data dir (DATA_DIR/analytics/findings.json),
// written whole and atomically (temp → fsync → rename, the alert state's pattern): findings change
// a few times an hour, so a rewrite is cheaper than a log to compact, and the offline CLI reads
// the same file.
import path from 'node:path';
import { isFindingKind, type Finding } from '../../shared/model';
import { loadJson, saveJsonAtomic } from '../alerts/outbox';

/** Most findings kept (newest first survive); at a few hundred bytes each the file stays < 1 MB. */
export const MAX_FINDINGS = 2000;

export const findingsFile = (dataDir: string) => path.join(dataDir, 'analytics', 'findings.json');

interface Saved {
  version: 1;
  findings: (Finding & { key: string })[];
}

type Content = Pick<Finding, 'kind' | 'subject' | 'evidence' | 'summary'>;

export class FindingBook {
  /** All kept findings, oldest `from` first; each open one is also in `open`. */
  private all: (Finding & { key: string })[] = [];
  private readonly open = new Map<string, Finding & { key: string }>();
  private dirty = false;

  constructor(private readonly file: string | null) {
    if (file) this.load(file);
  }

  private load(file: string): void {
    const saved = loadJson<Saved>(file);
    if (!saved || !Array.isArray(saved.findings)) return;
    for (const f of saved.findings) {
      if (!f || !isFindingKind(f.kind) || typeof f.from !== 'number' || typeof f.key !== 'string') continue;
      this.all.push(f);
      // Still open when the agent stopped: it is closed by `expire` unless the condition holds again.
      if (f.open) this.open.set(f.key, f);
    }
  }

  /** Opens the finding `key` (from `from`), or moves an open one's end to `to` with new figures. */
  hold(key: string, from: number, to: number, content: Content): Finding {
    const known = this.open.get(key);
    if (known) {
      known.to = Math.max(known.to, to);
      known.evidence = content.evidence;
      known.summary = content.summary;
      known.subject = content.subject;
      this.dirty = true;
      return known;
    }
    const finding = { key, ...content, from, to, open: true };
    this.open.set(key, finding);
    this.all.push(finding);
    if (this.all.length > MAX_FINDINGS) this.all.splice(0, this.all.length - MAX_FINDINGS);
    this.dirty = true;
    return finding;
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** Closes the finding `key` when open; its end stays the last time it held. */
  release(key: string): void {
    const known = this.open.get(key);
    if (!known) return;
    known.open = false;
    this.open.delete(key);
    this.dirty = true;
  }

  /** Closes open findings that have not held since `before` (their subject went, or the agent restarted). */
  expire(before: number, kind?: Finding['kind']): void {
    for (const [key, f] of this.open) if (f.to < before && (!kind || f.kind === kind)) this.release(key);
  }

  /** Findings whose window meets [from, to], oldest first. */
  inRange(from: number, to: number): Finding[] {
    return this.all.filter((f) => f.from <= to && f.to >= from).map(strip);
  }

  /** The open findings (alerts and badges read them every tick: no scan of the closed ones). */
  openFindings(): Finding[] {
    return [...this.open.values()].map(strip);
  }

  openCount(): number {
    return this.open.size;
  }

  /** Writes the file when something changed; errors go to the caller (the engine logs them once). */
  save(): void {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    const saved: Saved = { version: 1, findings: this.all };
    saveJsonAtomic(this.file, saved);
  }
}

const strip = ({ key: _key, ...finding }: Finding & { key: string }): Finding => finding;
