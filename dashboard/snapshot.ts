/**
 * What the dashboard shows, read from the store: the run, its counts, every trial with
 * its cost on the run's profile. Refreshes are incremental: only rows newer than the last
 * seen, plus the few that were still queued or running, are read again, so a refresh stays
 * cheap at 100k+ trials.
 */
import type { SqliteStore } from '../store/sqlite.js';
import type { RunCounts, RunRecord, TrialRecord } from '../store/types.js';
import { addToFront, compareRows, insertSorted, pointOf, type Axis, type SortKey } from './order.js';
import type { ScatterPoint } from './scatter.js';

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
}

export interface Snapshot {
  run: RunRecord;
  profile: string;
  counts: RunCounts;
  trials: TrialRow[];
  elapsedSeconds: number;
  /** Orders, fronts and the best trial, maintained incrementally (views compute them when absent). */
  derived?: Derived;
}

export interface Derived {
  sorted(sort: SortKey): TrialRow[];
  front(axis: Axis): ScatterPoint[];
  best: TrialRow | null;
}

export class RunWatcher {
  private readonly rows = new Map<number, TrialRow>();
  private lastId = 0;
  private readonly sortedBy = new Map<SortKey, TrialRow[]>();
  private readonly fronts: Record<Axis, ScatterPoint[]> = { latency: [], size: [] };
  private best: TrialRow | null = null;

  constructor(private readonly store: SqliteStore, private readonly runId: number, private readonly profile: string) {}

  private toRow(t: TrialRecord & { latencyMs: number | null; energyMj: number | null }): TrialRow {
    return {
      id: t.id, number: t.number, status: t.status, accuracy: t.accuracy, sizeBytes: t.sizeBytes, latencyMs: t.latencyMs,
      energyMj: t.energyMj, macs: t.macs, error: t.error,
      seconds: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
    };
  }

  refresh(now = Date.now() / 1000): Snapshot {
    const run = this.store.run(this.runId)!;
    // Rows that may have changed since the last look: unfinished ones, and anything new.
    const unfinished = [...this.rows.values()].filter((r) => r.status === 'queued' || r.status === 'running').map((r) => r.id);
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
      this.rows.set(row.id, row);
      if (row.id > this.lastId) this.lastId = row.id;
      for (const axis of ['latency', 'size'] as const) {
        const p = pointOf(row, axis);
        if (p !== null) this.fronts[axis] = addToFront(this.fronts[axis], p);
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
      front: (axis) => this.fronts[axis],
      best: this.best,
    };
    return { run, profile: this.profile, counts: this.store.counts(this.runId), trials, elapsedSeconds: Math.max(0, end - run.createdAt), derived };
  }
}
