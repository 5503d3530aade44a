/**
 * What the dashboard shows, read from the store: the run, its counts, every trial with
 * its cost on the run's profile. Refreshes are incremental: only rows newer than the last
 * seen, plus the few that were still queued or running, are read again, so a refresh stays
 * cheap at 100k+ trials.
 */
import type { SqliteStore } from '../store/sqlite.js';
import { TRIAL_STATUSES, type RunCounts, type RunRecord, type TrialRecord, type TrialStatus } from '../store/types.js';
import { addToFront, compareRows, insertSorted, pointOf, type Axis, type SortKey } from './order.js';
import type { ScatterPoint } from './scatter.js';
import type { TrialProgress } from '../evaluators/progress.js';

export interface TrialRow {
  id: number;
  number: number;
  status: TrialRecord['status'];
  accuracy: number | null;
  sizeBytes: number | null;
  latencyMs: number | null;
  energyMj: number | null;
  macs: number | null;
  error: string | null;
  seconds: number | null;
  worker: number | null;
  startedAt: number | null;
  /** A running trial's latest progress report. */
  progress: TrialProgress | null;
}

export interface Snapshot {
  run: RunRecord;
  profile: string;
  counts: RunCounts;
  trials: TrialRow[];
  /** Trials running now (kept by the watcher; views filter `trials` when absent). */
  running?: TrialRow[];
  elapsedSeconds: number;
  /** Orders, fronts and the best trial, maintained incrementally (views compute them when absent). */
  derived?: Derived;
}

export interface Derived {
  sorted(sort: SortKey): TrialRow[];
  /** Every complete trial as a plot point (appended as trials complete). */
  points(axis: Axis): ScatterPoint[];
  front(axis: Axis): ScatterPoint[];
  byNumber(trialNumber: number): TrialRow | undefined;
  best: TrialRow | null;
}

export class RunWatcher {
  private readonly rows = new Map<number, TrialRow>();
  /** Ids of queued and running rows: the only old rows that can still change. */
  private readonly unfinished = new Set<number>();
  private lastId = 0;
  private readonly sortedBy = new Map<SortKey, TrialRow[]>();
  private readonly fronts: Record<Axis, ScatterPoint[]> = { latency: [], size: [] };
  private readonly points: Record<Axis, ScatterPoint[]> = { latency: [], size: [] };
  private readonly numbers = new Map<number, TrialRow>();
  /** Trials per status, kept as rows arrive and change (a GROUP BY over 100k rows costs more than the rest of a refresh). */
  private readonly byStatus = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
  private best: TrialRow | null = null;

  constructor(private readonly store: SqliteStore, private readonly runId: number, private readonly profile: string) {}

  private toRow(t: TrialRecord & { latencyMs: number | null; energyMj: number | null }): TrialRow {
    return {
      id: t.id, number: t.number, status: t.status, accuracy: t.accuracy, sizeBytes: t.sizeBytes, latencyMs: t.latencyMs,
      energyMj: t.energyMj, macs: t.macs, error: t.error,
      seconds: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
      worker: t.worker, startedAt: t.startedAt, progress: t.status === 'running' ? t.progress as unknown as TrialProgress | null : null,
    };
  }

  refresh(now = Date.now() / 1000): Snapshot {
    const run = this.store.run(this.runId)!;
    // Rows that may have changed since the last look: unfinished ones, and anything new.
    const unfinished = [...this.unfinished];
    const changed = [
      ...(unfinished.length > 0 ? this.store.trialRows(this.runId, this.profile, { ids: unfinished }) : []),
      ...this.store.trialRows(this.runId, this.profile, { afterId: this.lastId }),
    ].map((t) => this.toRow(t));
    const changedIds = new Set(changed.map((r) => r.id));
    for (const [sort, sorted] of this.sortedBy) {
      // Few rows change per refresh: drop their old places and insert them anew (no full re-sort).
      const kept = unfinished.some((id) => changedIds.has(id)) ? sorted.filter((r) => !changedIds.has(r.id)) : sorted;
      for (const row of changed) insertSorted(kept, row, sort);
      this.sortedBy.set(sort, kept);
    }
    for (const row of changed) {
      const before = this.rows.get(row.id);
      if (before !== undefined) this.byStatus[before.status]--;
      this.byStatus[row.status]++;
      this.rows.set(row.id, row);
      if (row.status === 'queued' || row.status === 'running') this.unfinished.add(row.id); else this.unfinished.delete(row.id);
      if (row.id > this.lastId) this.lastId = row.id;
      this.numbers.set(row.number, row);
      for (const axis of ['latency', 'size'] as const) {
        const p = pointOf(row, axis);
        // A trial completes once: its point is added once, when it does.
        if (p !== null) { this.points[axis].push(p); this.fronts[axis] = addToFront(this.fronts[axis], p); }
      }
      if (row.status === 'complete' && row.accuracy !== null && (this.best === null || row.accuracy > this.best.accuracy!)) this.best = row;
    }
    const end = run.finishedAt ?? now;
    const trials = [...this.rows.values()];
    const derived: Derived = {
      sorted: (sort) => {
        let sorted = this.sortedBy.get(sort);
        if (sorted === undefined) { sorted = [...trials].sort(compareRows(sort)); this.sortedBy.set(sort, sorted); }
        return sorted;
      },
      points: (axis) => this.points[axis],
      front: (axis) => this.fronts[axis],
      byNumber: (n) => this.numbers.get(n),
      best: this.best,
    };
    const running = [...this.unfinished].map((id) => this.rows.get(id)!).filter((r) => r.status === 'running');
    const counts = { total: this.rows.size, byStatus: { ...this.byStatus } };
    return { run, profile: this.profile, counts, trials, running, elapsedSeconds: Math.max(0, end - run.createdAt), derived };
  }
}
