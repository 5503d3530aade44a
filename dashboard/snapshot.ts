/**
 * What the dashboard shows, read from the store: the run, its counts, every trial with
 * its cost on the run's profile. Refreshes are incremental: only rows newer than the last
 * seen, plus the few that were still queued or running, are read again, so a refresh stays
 * cheap at 100k+ trials.
 */
import type { SqliteStore } from '../store/sqlite.js';
import type { RunCounts, RunRecord, TrialRecord } from '../store/types.js';

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
}

export class RunWatcher {
  private readonly rows = new Map<number, TrialRow>();
  private lastId = 0;

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
    if (unfinished.length > 0) for (const t of this.store.trialRows(this.runId, this.profile, { ids: unfinished })) this.rows.set(t.id, this.toRow(t));
    for (const t of this.store.trialRows(this.runId, this.profile, { afterId: this.lastId })) {
      this.rows.set(t.id, this.toRow(t));
      if (t.id > this.lastId) this.lastId = t.id;
    }
    const end = run.finishedAt ?? now;
    return { run, profile: this.profile, counts: this.store.counts(this.runId), trials: [...this.rows.values()], elapsedSeconds: Math.max(0, end - run.createdAt) };
  }
}
