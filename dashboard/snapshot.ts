/**
 * What the dashboard shows, read from the store: the run, its counts, every trial with
 * its cost on the run's profile. Refreshes are incremental: only rows newer than the last
 * seen, plus the few that were still queued or running, are read again, so a refresh stays
 * cheap at 100k+ trials.
 */
import { hostname } from 'node:os';
import { runStopped } from '../store/run-owner.js';
import type { SqliteStore } from '../store/sqlite.js';
import { describeBudgets, type Budgets } from '../search/run-config.js';
import { fullFidelity } from '../search/fidelity.js';
import { TRIAL_STATUSES, type RunCounts, type RunRecord, type TrialRecord, type TrialStatus } from '../store/types.js';
import { addToFront, compareRows, insertSorted, pointOf, type Axis, type SortKey } from './order.js';
import { frontOf, type ScatterPoint } from './scatter.js';
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
  /** Trained below the run's full fidelity (halving's lower rungs): its accuracy is a cheap estimate. */
  reduced?: boolean;
  /** Its genotype and halving rung (rows made without a store may leave them out). */
  genotypeHash?: string;
  rung?: number;
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
  /** The run says running but its process is gone (killed, or its machine went down): it waits for --resume. */
  stopped?: boolean;
  /** Orders, fronts and the best trial, maintained incrementally (views compute them when absent). */
  derived?: Derived;
}

/** One budget of the run as the overview reports it: the most accurate complete trial that meets it. */
export interface BudgetBest { label: string; best: TrialRow | null }

/** Whether `profile` is the one the run searched for, which its latency and energy budgets are on (an old config names none). */
export function isSearchedProfile(config: { profile?: string }, profile: string): boolean {
  return config.profile === undefined || config.profile === profile;
}

/**
 * The run's budgets that a trial row of `profile` can be checked against (peak memory is
 * checked before training only). Latency and energy budgets are the run's profile's: on
 * another profile's figures they would pick other trials than best and the search did.
 */
export function budgetTests(config: { budgets?: Budgets; profile?: string }, profile: string): Array<{ label: string; fits: (r: TrialRow) => boolean }> {
  const budgets = config.budgets ?? {};
  const tests: Array<{ label: string; fits: (r: TrialRow) => boolean }> = [];
  const ownProfile = isSearchedProfile(config, profile);
  if (ownProfile && budgets.maxLatencyMs !== undefined) tests.push({ label: describeBudgets({ maxLatencyMs: budgets.maxLatencyMs }), fits: (r) => r.latencyMs !== null && r.latencyMs <= budgets.maxLatencyMs! });
  if (ownProfile && budgets.maxEnergyMj !== undefined) tests.push({ label: describeBudgets({ maxEnergyMj: budgets.maxEnergyMj }), fits: (r) => r.energyMj !== null && r.energyMj <= budgets.maxEnergyMj! });
  if (budgets.maxSizeBytes !== undefined) tests.push({ label: describeBudgets({ maxSizeBytes: budgets.maxSizeBytes }), fits: (r) => r.sizeBytes !== null && r.sizeBytes <= budgets.maxSizeBytes! });
  // Over the budgets alone: `tests` itself would hold this test too, which then called itself for ever.
  const each = [...tests];
  if (each.length > 1) tests.push({ label: 'all budgets', fits: (r) => each.every((t) => t.fits(r)) });
  return tests;
}

export interface Derived {
  sorted(sort: SortKey): TrialRow[];
  /** Every complete trial as a plot point (appended as trials complete). */
  points(axis: Axis): ScatterPoint[];
  front(axis: Axis): ScatterPoint[];
  byNumber(trialNumber: number): TrialRow | undefined;
  best: TrialRow | null;
  /** Per budget of the run (and all of them together), the best trial meeting it on the dashboard's profile. */
  bestUnder: BudgetBest[];
  /** The backend trials ran on, as the first complete trial reported it. */
  backend: string | null;
}

const AXES = ['latency', 'size'] as const;

export class RunWatcher {
  /** Every row in id order, updated in place (a refresh hands views this array instead of copying 100k rows), and each id's place in it. */
  private readonly list: TrialRow[] = [];
  private readonly position = new Map<number, number>();
  /** Ids of queued, running and interrupted rows: the only old rows that can still change. */
  private readonly unfinished = new Set<number>();
  private lastId = 0;
  private readonly sortedBy = new Map<SortKey, TrialRow[]>();
  private readonly fronts: Record<Axis, ScatterPoint[]> = { latency: [], size: [] };
  private readonly points: Record<Axis, ScatterPoint[]> = { latency: [], size: [] };
  private readonly numbers = new Map<number, TrialRow>();
  /** Trials per status, kept as rows arrive and change (a GROUP BY over 100k rows costs more than the rest of a refresh). */
  private readonly byStatus = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
  private best: TrialRow | null = null;
  /** The latest trial start, end or progress report seen (unix seconds). */
  private lastActivity = 0;
  private readonly budgetBests: Array<BudgetBest & { fits: (r: TrialRow) => boolean }>;
  private backend: string | null = null;
  /** Per genotype, the highest rung it completed so far and its trials there. */
  private readonly lastRung = new Map<string, { rung: number; numbers: number[] }>();

  /** The run as it started (its config, for each trial's fidelity). */
  private readonly started: RunRecord | null;

  constructor(private readonly store: SqliteStore, private readonly runId: number, private readonly profile: string) {
    this.started = store.run(runId);
    this.budgetBests = budgetTests((this.started?.config ?? {}) as { budgets?: Budgets; profile?: string }, profile).map((t) => ({ ...t, best: null }));
  }

  private toRow(t: TrialRecord & { latencyMs: number | null; energyMj: number | null }): TrialRow {
    if (this.backend === null && t.status === 'complete') this.backend = (t.metrics as { backend?: string } | null)?.backend ?? null;
    return {
      id: t.id, number: t.number, status: t.status, accuracy: t.accuracy, sizeBytes: t.sizeBytes, latencyMs: t.latencyMs,
      energyMj: t.energyMj, macs: t.macs, error: t.error, ...(this.started !== null && !fullFidelity(t, this.started) ? { reduced: true } : {}),
      genotypeHash: t.genotypeHash, rung: t.rung,
      seconds: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
      worker: t.worker, startedAt: t.startedAt, progress: t.status === 'running' ? t.progress as unknown as TrialProgress | null : null,
    };
  }

  /**
   * Takes superseded trials' points off the plot and the front. Of what a removed front point
   * dominated, only points no other front point dominates come back: those right of it up to
   * the next front point and below it down to the previous one (the front rises to the
   * right). A pass over the points, not a re-sort of them: at 100,000 trials a re-sort made
   * that refresh 20 times slower.
   */
  private retire(numbers: readonly number[]): void {
    const gone = new Set(numbers);
    for (const axis of AXES) {
      const points = this.points[axis].filter((p) => !gone.has(p.id));
      this.points[axis] = points;
      let front = this.fronts[axis];
      for (const n of numbers) {
        const k = front.findIndex((p) => p.id === n);
        if (k < 0) continue;
        const r = front[k]!, prevY = k > 0 ? front[k - 1]!.y : Number.NEGATIVE_INFINITY, nextX = k + 1 < front.length ? front[k + 1]!.x : Number.POSITIVE_INFINITY;
        const back = points.filter((p) => p.x >= r.x && p.x < nextX && p.y <= r.y && p.y > prevY);
        front = frontOf([...front.slice(0, k), ...front.slice(k + 1), ...back]);
      }
      this.fronts[axis] = front;
    }
  }

  refresh(now = Date.now() / 1000): Snapshot {
    const run = this.store.run(this.runId)!;
    // Rows that may have changed since the last look: unfinished ones, and anything new.
    const unfinished = [...this.unfinished];
    const changed = [
      ...(unfinished.length > 0 ? this.store.trialRows(this.runId, this.profile, { ids: unfinished }) : []),
      ...this.store.trialRows(this.runId, this.profile, { afterId: this.lastId }),
    ].map((t) => this.toRow(t));
    // A re-read row whose status is unchanged (a running trial's progress) only changed fields no
    // sort uses: it is updated in place, where every sorted order already holds it. New rows and
    // rows whose status changed take new places (inserted, no full re-sort).
    const placed: TrialRow[] = [];
    const moved = new Set<number>();
    for (const row of changed) {
      this.lastActivity = Math.max(this.lastActivity, row.startedAt ?? 0, row.startedAt !== null && row.seconds !== null ? row.startedAt + row.seconds : 0, row.progress?.at ?? 0);
      const at = this.position.get(row.id);
      if (at !== undefined && this.list[at]!.status === row.status) { Object.assign(this.list[at]!, row); continue; }
      placed.push(row);
      if (at !== undefined) moved.add(row.id);
    }
    for (const [sort, sorted] of this.sortedBy) {
      const kept = moved.size > 0 ? sorted.filter((r) => !moved.has(r.id)) : sorted;
      for (const row of placed) insertSorted(kept, row, sort);
      this.sortedBy.set(sort, kept);
    }
    // A halving rung's result whose genotype a later rung trained further leaves the plot and the front, as in `hwnas pareto`.
    const superseded: number[] = [];
    for (const row of placed) {
      const at = this.position.get(row.id);
      if (at === undefined) { this.position.set(row.id, this.list.length); this.list.push(row); } else { this.byStatus[this.list[at]!.status]--; this.list[at] = row; }
      this.byStatus[row.status]++;
      // Interrupted trials run again after a resume, so they are re-read too.
      if (row.status === 'queued' || row.status === 'running' || row.status === 'interrupted') this.unfinished.add(row.id); else this.unfinished.delete(row.id);
      if (row.id > this.lastId) this.lastId = row.id;
      this.numbers.set(row.number, row);
      let live = true;
      if (row.status === 'complete' && row.genotypeHash !== undefined && row.rung !== undefined) {
        const last = this.lastRung.get(row.genotypeHash);
        if (last === undefined || last.rung < row.rung) {
          if (last !== undefined) superseded.push(...last.numbers);
          this.lastRung.set(row.genotypeHash, { rung: row.rung, numbers: [row.number] });
        } else if (last.rung === row.rung) last.numbers.push(row.number);
        else live = false; // read after its genotype's later rung
      }
      for (const axis of AXES) {
        const p = live ? pointOf(row, axis) : null;
        // A trial completes once: its point is added once, when it does.
        if (p !== null) { this.points[axis].push(p); this.fronts[axis] = addToFront(this.fronts[axis], p); }
      }
      if (row.status === 'complete' && row.accuracy !== null) {
        if (this.best === null || row.accuracy > this.best.accuracy!) this.best = row;
        for (const b of this.budgetBests) if (b.fits(row) && (b.best === null || row.accuracy > b.best.accuracy!)) b.best = row;
      }
    }
    if (superseded.length > 0) this.retire(superseded);
    const stopped = runStopped(run, now, hostname());
    // A stopped run's clock ends at its last sign of life: its owner's heartbeat (every 10 s), or a trial's start,
    // end or progress report (about every second), whichever came last.
    const end = run.finishedAt ?? (stopped ? Math.max(run.heartbeatAt ?? run.createdAt, this.lastActivity) : now);
    const trials = this.list;
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
      bestUnder: this.budgetBests.map(({ label, best }) => ({ label, best })),
      backend: this.backend,
    };
    // A stopped run's 'running' trials died with its process: interrupted, as --resume will record them, not ticking on.
    const running = stopped ? [] : [...this.unfinished].map((id) => this.list[this.position.get(id)!]!).filter((r) => r.status === 'running');
    const byStatus = { ...this.byStatus };
    if (stopped) { byStatus.interrupted += byStatus.running; byStatus.running = 0; }
    const counts = { total: this.list.length, byStatus };
    // Time spent searching, as --time counts it: a killed run's downtime before its resume is not. The store keeps the
    // seconds searched as of the owner's last heartbeat (and at the end); the clock runs on from that heartbeat.
    // Runs stored before that count (schema 4) have none: their wall-clock time stands in.
    const searched = run.finishedAt !== null ? run.activeSeconds : run.activeSeconds + Math.max(0, end - (run.heartbeatAt ?? run.createdAt));
    const elapsedSeconds = searched > 0 ? searched : Math.max(0, end - run.createdAt);
    return { run, profile: this.profile, counts, trials, running, elapsedSeconds, derived, ...(stopped ? { stopped } : {}) };
  }
}
