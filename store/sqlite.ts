/**
 * The SQLite store (better-sqlite3): the only module that holds SQL. One process writes
 * (the search controller; workers hand results back to it), one transaction per state
 * change, so SQLite never sees two writers (Optuna's "database is locked", optuna#820).
 * Readers (dashboard, `best`, `show`) open the file read-only; under WAL they neither
 * block nor break the writer. Write transactions take the lock when they begin
 * (BEGIN IMMEDIATE): one that reads first and upgrades later gets SQLITE_BUSY at once,
 * without waiting out busy_timeout, whenever another connection wrote in between. synchronous=FULL: a trial recorded as complete survives a
 * kill -9 or a power cut (commits are seconds apart, so the fsync is cheap).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { UserError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import type { Genotype } from '../spaces/space.js';
import { ParetoFront } from './fronts.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { ownerState, STALE_SECONDS } from './run-owner.js';
import { damagedStore, storeOpened } from './storage-error.js';
import type {
  BestQuery, CostName, EpochRow, NewRun, NewTrial, RunCounts, RunRecord, RunStatus, TrialOutcome, TrialRecord, TrialStatus,
} from './types.js';
import { TRIAL_STATUSES } from './types.js';

type Row = Record<string, unknown>;

/** A cost as stored: a value a profile could not give (a table's null, an unmeasured energy) is NULL, never NaN or Infinity. */
const known = (value: number | null | undefined): number | null => (value === undefined || value === null || !Number.isFinite(value) ? null : value);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The profiles a run's config names, in order: the first is the one its budgets and objectives are on. */
export function configuredProfiles(config: unknown): string[] {
  const c = (config ?? {}) as { profile?: unknown; extraProfiles?: unknown };
  return [c.profile, ...(Array.isArray(c.extraProfiles) ? c.extraProfiles : [])].filter((p): p is string => typeof p === 'string');
}

/** The staircase key for device-independent costs. */
const ANY_PROFILE = '*';
/** Budget pairs kept as 3-D staircases (each costs a little on every insert). */
const COST_PAIRS: ReadonlyArray<readonly [CostName, CostName]> = [
  ['latency_ms', 'size_bytes'], ['energy_mj', 'size_bytes'], ['peak_memory_bytes', 'size_bytes'], ['latency_ms', 'peak_memory_bytes'], ['latency_ms', 'energy_mj'],
];

function now(): number {
  return Date.now() / 1000;
}

/**
 * Checks, without writing, that `path` is an hwnas store this version can use (or an
 * empty/new file). A foreign or newer file is refused before anything modifies it.
 */
function inspect(path: string, readonly: boolean): void {
  // A reader never creates a file: only a writer's error may suggest a new one.
  const foreignHint = readonly ? 'pass --db with the database hwnas search wrote' : 'pass --db with an hwnas database, or a new file name to create one';
  if (!existsSync(path)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    // Our first migration sets application_id: a foreign file may have a version but no tables.
    if ((tables > 0 || version > 0) && appId !== APPLICATION_ID) {
      throw new UserError(`${path} is an SQLite database but not an hwnas store (application_id ${appId})`, foreignHint);
    }
    if (version > SCHEMA_VERSION) {
      throw new UserError(`${path} was written by a newer hwnas (schema ${version}, this one reads up to ${SCHEMA_VERSION})`, 'upgrade hwnas to open it; the file was not modified');
    }
    // The header and schema can be intact over damaged pages, which only a query that reads them
    // finds: a search found them after it had added its run. A writer checks every page first.
    if (!readonly && tables > 0) {
      const problems = db.pragma('quick_check(1)', { simple: true }) as string;
      if (problems !== 'ok') throw damagedStore(path, problems);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const message = (error as Error).message;
    const code = String((error as { code?: unknown }).code ?? '');
    // A truncated or damaged hwnas store has our header; a file that is no database at all does not.
    if (/malformed/i.test(message) || code.startsWith('SQLITE_CORRUPT')) throw damagedStore(path, message);
    if (/not a database|file is encrypted/i.test(message)) {
      throw new UserError(`${path} is not an hwnas store (${message})`, foreignHint);
    }
    if (/^SQLITE_(READONLY|CANTOPEN)/.test(code)) {
      throw new UserError(`cannot read ${path}: ${message}`, `check that the file is readable; reading it also needs its directory writable, where SQLite keeps ${path}-shm (copy the file elsewhere if it is not yours)`);
    }
    throw error;
  } finally {
    db?.close();
  }
}

export interface OpenOptions { readonly?: boolean }

export class SqliteStore {
  private readonly db: Database.Database;
  readonly path: string;
  readonly readonly: boolean;

  private readonly statements = new Map<string, Database.Statement>();
  /** The writer's copies of the staircases, by table key; loaded on first use. */
  private readonly fronts = new Map<string, ParetoFront>();

  /** The file's schema version (a reader may open an older file it does not migrate). */
  private readonly version: number;

  /** The opened file's identity, to notice it deleted or replaced under an open connection. */
  private readonly file: { dev: number; ino: number };

  private constructor(db: Database.Database, path: string, readonly: boolean) {
    this.db = db;
    this.path = path;
    this.readonly = readonly;
    this.version = db.pragma('user_version', { simple: true }) as number;
    const { dev, ino } = statSync(path);
    this.file = { dev, ino };
  }

  /**
   * Whether the file at `path` is still the one this connection reads. A connection keeps
   * reading a file deleted or replaced under it (a new run's database copied over it), so a
   * dashboard would show the old one, unchanging, for as long as it ran.
   */
  stillAtPath(): boolean {
    try {
      const { dev, ino } = statSync(this.path);
      return dev === this.file.dev && ino === this.file.ino;
    } catch {
      return false;
    }
  }

  /** Prepared once per connection: preparing costs more than running these statements. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Opens (creating and migrating when writable) the store at `path`. */
  static open(path: string, options: OpenOptions = {}): SqliteStore {
    const readonly = options.readonly === true;
    // SQLite takes '' and ':memory:' for a database that vanishes on close: a run searched into it is lost.
    if (path.trim() === '' || path === ':memory:') {
      throw new UserError(`--db '${path}' names no file: SQLite would keep the results in memory and lose them on exit`, 'pass --db with a file name, e.g. --db runs.db');
    }
    if (readonly && !existsSync(path)) throw new UserError(`no database at ${path}`, 'run hwnas search first, or pass --db with an existing database');
    if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`${path} is a directory, not a database`, 'pass --db with a file name');
    inspect(path, readonly);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly, fileMustExist: readonly });
    } catch (error) {
      throw new UserError(`cannot open database ${path}: ${(error as Error).message}`, 'check the --db path and that its directory exists and is writable');
    }
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const version = db.pragma('user_version', { simple: true }) as number;
      for (let v = version; v < SCHEMA_VERSION; v++) {
        try {
          db.transaction(() => {
            db.exec(MIGRATIONS[v]!);
            db.pragma(`user_version = ${v + 1}`);
            db.pragma(`application_id = ${APPLICATION_ID}`);
          }).immediate();
        } catch (error) {
          // A lock, a full disk or a read-only file is reported as such by the caller.
          if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN)/.test(String((error as { code?: unknown }).code ?? ''))) { db.close(); throw error; }
          // Each step ran in its own transaction: a failed one changed nothing.
          db.close();
          throw new UserError(`${path} says it is schema ${v} but its tables do not match (upgrading it: ${(error as Error).message})`,
            'restore the file from a copy; it was not modified by this step');
        }
      }
    } else if ((db.pragma('user_version', { simple: true }) as number) === 0) {
      db.close();
      throw new UserError(`${path} is an empty database, not an hwnas store`, 'run hwnas search --db with it first');
    }
    storeOpened(path);
    return new SqliteStore(db, path, readonly);
  }

  close(): void {
    // SQLite folds the WAL into the database file when its last connection closes, but a
    // read-only reader (a dashboard left open) cannot: the run's end would then live only in
    // the -wal file, and a copy of the .db alone would lose it. The writer folds it in itself.
    if (!this.readonly) {
      try { this.db.pragma('wal_checkpoint(TRUNCATE)'); } catch { /* a busy reader or a full disk: the WAL keeps the data, as before */ }
    }
    this.db.close();
  }

  /** One write transaction, holding the write lock from its start. */
  private write<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  /** A JSON column as stored; unreadable JSON means a damaged file, not a bug. */
  private json(text: unknown, what: string): Json {
    try {
      return JSON.parse(text as string) as Json;
    } catch (error) {
      throw damagedStore(this.path, `${what} is not JSON (${(error as Error).message})`);
    }
  }

  // ---- runs ----

  createRun(run: NewRun): number {
    const info = this.sql(`INSERT INTO runs (name, status, space, dataset, strategy, seed, config_json, created_at)
      VALUES (?, 'running', ?, ?, ?, ?, ?, ?)`).run(run.name, run.space, run.dataset, run.strategy, run.seed, JSON.stringify(run.config), now());
    this.event(Number(info.lastInsertRowid), 'run-created', `run ${run.name} created`);
    return Number(info.lastInsertRowid);
  }

  private toRun(row: Row): RunRecord {
    return {
      id: row.id as number, name: row.name as string, status: row.status as RunStatus, space: row.space as string,
      dataset: row.dataset as string, strategy: row.strategy as string, seed: row.seed as number,
      config: this.json(row.config_json, `run ${row.name as string}'s config`),
      strategyState: row.strategy_state_json === null ? null : this.json(row.strategy_state_json, `run ${row.name as string}'s strategy state`),
      ownerPid: row.owner_pid as number | null, ownerHost: row.owner_host as string | null, heartbeatAt: row.heartbeat_at as number | null,
      // Absent in files from before schema 4, which a reader does not migrate.
      activeSeconds: (row.active_seconds as number | undefined) ?? 0,
      createdAt: row.created_at as number, finishedAt: row.finished_at as number | null,
    };
  }

  run(idOrName: number | string): RunRecord | null {
    const row = typeof idOrName === 'number'
      ? this.sql('SELECT * FROM runs WHERE id = ?').get(idOrName)
      : this.sql('SELECT * FROM runs WHERE name = ?').get(idOrName);
    return row === undefined ? null : this.toRun(row as Row);
  }

  latestRun(): RunRecord | null {
    const row = this.sql('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get();
    return row === undefined ? null : this.toRun(row as Row);
  }

  runs(): RunRecord[] {
    return (this.sql('SELECT * FROM runs ORDER BY id').all() as Row[]).map((r) => this.toRun(r));
  }

  /**
   * Makes this process the run's owner (on start and resume). A run another live process
   * is still searching is refused: two owners would run its trials twice.
   */
  claimRun(runId: number, pid: number = process.pid, host: string = hostname()): void {
    this.write(() => {
      const run = this.run(runId);
      if (run === null) throw new Error(`no run ${runId}`);
      if (run.status === 'running' && ownerState(run, now(), host) === 'alive') {
        const ago = Math.round(now() - run.heartbeatAt!);
        throw new UserError(`run '${run.name}' is being searched by process ${run.ownerPid} on ${run.ownerHost} (last heartbeat ${ago} s ago)`,
          // On this machine the process was found alive; another machine's is judged by its heartbeat alone.
          run.ownerHost === host ? 'let it finish, or stop it (Ctrl-C in its terminal, or kill it) and resume'
            : `let it finish or stop it with Ctrl-C; if that machine's process is gone, resume ${STALE_SECONDS} s after its last heartbeat`);
      }
      this.sql("UPDATE runs SET owner_pid = ?, owner_host = ?, heartbeat_at = ?, status = 'running', finished_at = NULL WHERE id = ?").run(pid, host, now(), runId);
    });
  }

  /** The owner is alive; `activeSeconds`: how long the run has searched, over all its resumes. */
  heartbeat(runId: number, activeSeconds: number): void {
    this.sql('UPDATE runs SET heartbeat_at = ?, active_seconds = ? WHERE id = ?').run(now(), activeSeconds, runId);
  }

  finishRun(runId: number, status: Exclude<RunStatus, 'running'>, strategyState: Json | null, message: string, activeSeconds?: number): void {
    this.write(() => {
      this.sql('UPDATE runs SET status = ?, finished_at = ?, owner_pid = NULL, strategy_state_json = coalesce(?, strategy_state_json), active_seconds = coalesce(?, active_seconds) WHERE id = ?')
        .run(status, now(), strategyState === null ? null : JSON.stringify(strategyState), activeSeconds ?? null, runId);
      this.event(runId, `run-${status}`, message);
    });
  }

  // ---- trials: a state machine, one transaction per transition ----

  /** Records proposals as queued, with the strategy state after asking them. */
  queueTrials(runId: number, trials: NewTrial[], strategyState: Json): number[] {
    return this.write(() => {
      const insert = this.sql(`INSERT INTO trials (run_id, number, status, genotype_json, genotype_hash, seed, fidelity_json, rung, queued_at)
        VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)`);
      const ids = trials.map((t) => Number(insert.run(runId, t.number, JSON.stringify(t.genotype), t.genotypeHash, t.seed, JSON.stringify(t.fidelity), t.rung, now()).lastInsertRowid));
      this.saveStrategy(runId, strategyState);
      return ids;
    });
  }

  startTrial(trialId: number, worker: number): void {
    const info = this.sql("UPDATE trials SET status = 'running', worker = ?, started_at = ?, progress_json = NULL WHERE id = ? AND status IN ('queued', 'interrupted')").run(worker, now(), trialId);
    if (info.changes !== 1) throw new Error(`trial ${trialId} cannot start: not queued`);
  }

  /** A running trial's latest progress (one small update, a few per second at most across the pool); it stays where the trial ended and is cleared when it starts (again, after a resume). */
  trialProgress(trialId: number, progress: Json): void {
    this.sql("UPDATE trials SET progress_json = ? WHERE id = ? AND status = 'running'").run(JSON.stringify(progress), trialId);
  }

  /** Records a running trial's end, its costs, curve and the strategy state after telling it, atomically. */
  finishTrial(trialId: number, outcome: TrialOutcome, strategyState: Json): void {
    this.write(() => {
      const row = this.sql('SELECT run_id, number, status FROM trials WHERE id = ?').get(trialId) as { run_id: number; number: number; status: TrialStatus } | undefined;
      if (row === undefined) throw new Error(`no trial ${trialId}`);
      if (row.status !== 'running') {
        throw new UserError(`trial ${row.number} is ${row.status} in ${this.path}, not running here: another process took the run over`, 'let one process search a run at a time');
      }
      this.sql(`UPDATE trials SET status = ?, error = ?, finished_at = ?, accuracy = ?, val_accuracy = ?, size_bytes = ?,
        params = ?, macs = ?, metrics_json = ? WHERE id = ?`).run(outcome.status, outcome.error ?? null, now(), outcome.accuracy ?? null,
        outcome.valAccuracy ?? null, outcome.sizeBytes ?? null, outcome.params ?? null, outcome.macs ?? null,
        outcome.metrics === undefined ? null : JSON.stringify(outcome.metrics), trialId);
      this.writeDetails(row.run_id, trialId, outcome);
      this.saveStrategy(row.run_id, strategyState);
    });
  }

  /** Inserts finished trials directly (rejected candidates, tabular lookups, synthetic loads), in one transaction. */
  insertFinishedTrials(runId: number, trials: Array<NewTrial & { outcome: TrialOutcome }>, strategyState: Json | null): number[] {
    return this.write(() => {
      const insert = this.sql(`INSERT INTO trials (run_id, number, status, genotype_json, genotype_hash, seed, fidelity_json, rung,
        error, queued_at, started_at, finished_at, accuracy, val_accuracy, size_bytes, params, macs, metrics_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const at = now();
      const ids = trials.map((t) => {
        const o = t.outcome;
        const id = Number(insert.run(runId, t.number, o.status, JSON.stringify(t.genotype), t.genotypeHash, t.seed, JSON.stringify(t.fidelity), t.rung,
          o.error ?? null, at, at, at, o.accuracy ?? null, o.valAccuracy ?? null, o.sizeBytes ?? null, o.params ?? null, o.macs ?? null,
          o.metrics === undefined ? null : JSON.stringify(o.metrics)).lastInsertRowid);
        this.writeDetails(runId, id, o);
        return id;
      });
      if (strategyState !== null) this.saveStrategy(runId, strategyState);
      return ids;
    });
  }

  private writeDetails(runId: number, trialId: number, outcome: TrialOutcome): void {
    const cost = this.sql(`INSERT OR REPLACE INTO trial_costs (trial_id, profile, latency_ms, energy_mj, peak_memory_bytes, feasible)
      VALUES (?, ?, ?, ?, ?, ?)`);
    for (const c of outcome.costs ?? []) cost.run(trialId, c.profile, known(c.latencyMs), known(c.energyMj), known(c.peakMemoryBytes), c.feasible ? 1 : 0);
    const epoch = this.sql(`INSERT OR REPLACE INTO epochs (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
      learning_rate, seconds, images_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const e of outcome.epochs ?? []) epoch.run(trialId, e.epoch, e.trainLoss, e.trainAccuracy, e.valLoss, e.valAccuracy, e.learningRate, e.seconds, e.imagesPerSecond);
    if (outcome.artifact !== undefined) {
      const bytes = Buffer.from(outcome.artifact);
      this.sql("INSERT OR REPLACE INTO trial_artifacts (trial_id, format, bytes, sha256) VALUES (?, 'hwnas-1', ?, ?)").run(trialId, bytes, sha256(bytes));
    }
    if (outcome.status !== 'complete' || outcome.accuracy === null || outcome.accuracy === undefined) return;
    const size = outcome.sizeBytes ?? null;
    if (size !== null) this.climb(runId, ANY_PROFILE, 'size_bytes', size, outcome.accuracy, trialId);
    for (const c of outcome.costs ?? []) {
      const values: Array<[CostName, number | null]> = [['latency_ms', known(c.latencyMs)], ['energy_mj', known(c.energyMj)],
        ['peak_memory_bytes', known(c.peakMemoryBytes)], ['size_bytes', size]];
      for (const [cost, value] of values) if (value !== null && cost !== 'size_bytes') this.climb(runId, c.profile, cost, value, outcome.accuracy, trialId);
      for (const [first, second] of COST_PAIRS) {
        const a = values.find(([k]) => k === first)![1], b = values.find(([k]) => k === second)![1];
        if (a !== null && b !== null) this.climb2(runId, c.profile, `${first}+${second}`, a, b, outcome.accuracy, trialId);
      }
    }
  }

  /** Adds a point to a staircase unless a cheaper-or-equal, at-least-as-accurate trial is on it; drops points it beats. */
  private climb(runId: number, profile: string, cost: CostName, value: number, accuracy: number, trialId: number): void {
    const key = `1|${runId}|${profile}|${cost}`;
    let front = this.fronts.get(key);
    if (front === undefined) {
      const rows = this.sql('SELECT value, accuracy, trial_id FROM staircase WHERE run_id = ? AND profile = ? AND cost = ?').all(runId, profile, cost) as Row[];
      front = new ParetoFront(rows.map((r) => ({ costs: [r.value as number], accuracy: r.accuracy as number, id: r.trial_id as number })));
      this.fronts.set(key, front);
    }
    const change = front.add([value], accuracy, trialId);
    if (!change.added) return;
    for (const id of change.removed) this.sql('DELETE FROM staircase WHERE run_id = ? AND profile = ? AND cost = ? AND trial_id = ?').run(runId, profile, cost, id);
    this.sql('INSERT INTO staircase (run_id, profile, cost, value, accuracy, trial_id) VALUES (?, ?, ?, ?, ?, ?)').run(runId, profile, cost, value, accuracy, trialId);
  }

  private climb2(runId: number, profile: string, costs: string, a: number, b: number, accuracy: number, trialId: number): void {
    const key = `2|${runId}|${profile}|${costs}`;
    let front = this.fronts.get(key);
    if (front === undefined) {
      const rows = this.sql('SELECT a, b, accuracy, trial_id FROM staircase2 WHERE run_id = ? AND profile = ? AND costs = ?').all(runId, profile, costs) as Row[];
      front = new ParetoFront(rows.map((r) => ({ costs: [r.a as number, r.b as number], accuracy: r.accuracy as number, id: r.trial_id as number })));
      this.fronts.set(key, front);
    }
    const change = front.add([a, b], accuracy, trialId);
    if (!change.added) return;
    for (const id of change.removed) this.sql('DELETE FROM staircase2 WHERE run_id = ? AND profile = ? AND costs = ? AND trial_id = ?').run(runId, profile, costs, id);
    this.sql('INSERT INTO staircase2 (run_id, profile, costs, a, b, accuracy, trial_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(runId, profile, costs, a, b, accuracy, trialId);
  }

  private saveStrategy(runId: number, state: Json): void {
    this.sql('UPDATE runs SET strategy_state_json = ?, heartbeat_at = ? WHERE id = ?').run(JSON.stringify(state), now(), runId);
  }

  /**
   * On resume: trials left running (or queued) by a dead owner become interrupted, ready
   * to run again; returns them in trial order.
   */
  reclaimUnfinished(runId: number): TrialRecord[] {
    return this.write(() => {
      const rows = this.sql("SELECT * FROM trials WHERE run_id = ? AND status IN ('running', 'queued', 'interrupted') ORDER BY number").all(runId) as Row[];
      this.sql("UPDATE trials SET status = 'interrupted', worker = NULL WHERE run_id = ? AND status IN ('running', 'queued')").run(runId);
      if (rows.length > 0) this.event(runId, 'trials-reclaimed', `${rows.length} unfinished trials reclaimed`);
      return rows.map((r) => this.toTrial({ ...r, status: 'interrupted' }));
    });
  }

  /**
   * Rejections since the last proposal that was not rejected (by number): the streak a
   * resumed run continues, so it stops where an uninterrupted one would.
   */
  trailingRejections(runId: number): number {
    const row = this.sql(`SELECT COUNT(*) AS n FROM trials WHERE run_id = ? AND status = 'rejected'
      AND number > COALESCE((SELECT MAX(number) FROM trials WHERE run_id = ? AND status != 'rejected'), -1)`).get(runId, runId) as { n: number };
    return row.n;
  }

  /**
   * The smallest predicted cost of each kind among a run's rejected proposals on one profile
   * (null where none was predicted, as in runs stored before the predicted size was): a
   * resumed run reports how close its proposals came to the budgets over the whole run.
   */
  rejectedMinimums(runId: number, profile: string): { latencyMs: number | null; energyMj: number | null; peakMemoryBytes: number | null; storedBytes: number | null } {
    const row = this.sql(`SELECT MIN(c.latency_ms) AS latency, MIN(c.energy_mj) AS energy, MIN(c.peak_memory_bytes) AS memory,
      MIN(json_extract(t.metrics_json, '$.predictedSizeBytes')) AS size
      FROM trials t LEFT JOIN trial_costs c ON c.trial_id = t.id AND c.profile = ? WHERE t.run_id = ? AND t.status = 'rejected'`).get(profile, runId) as Row;
    return { latencyMs: row.latency as number | null, energyMj: row.energy as number | null, peakMemoryBytes: row.memory as number | null, storedBytes: row.size as number | null };
  }

  /** Marks running trials as interrupted (a clean Ctrl-C). */
  interruptRunning(runId: number): number {
    return this.sql("UPDATE trials SET status = 'interrupted', worker = NULL WHERE run_id = ? AND status = 'running'").run(runId).changes;
  }

  // ---- reading ----

  private toTrial(row: Row): TrialRecord {
    return {
      id: row.id as number, runId: row.run_id as number, number: row.number as number, status: row.status as TrialStatus,
      genotype: this.json(row.genotype_json, `trial ${row.number as number}'s genotype`) as Genotype, genotypeHash: row.genotype_hash as string, seed: row.seed as number,
      fidelity: this.json(row.fidelity_json, `trial ${row.number as number}'s fidelity`), rung: row.rung as number, worker: row.worker as number | null,
      error: row.error as string | null, queuedAt: row.queued_at as number, startedAt: row.started_at as number | null,
      finishedAt: row.finished_at as number | null, accuracy: row.accuracy as number | null, valAccuracy: row.val_accuracy as number | null,
      sizeBytes: row.size_bytes as number | null, params: row.params as number | null, macs: row.macs as number | null,
      metrics: row.metrics_json === null ? null : this.json(row.metrics_json, `trial ${row.number as number}'s metrics`),
      progress: row.progress_json === null || row.progress_json === undefined ? null : this.json(row.progress_json, `trial ${row.number as number}'s progress`),
    };
  }

  trial(trialId: number): TrialRecord | null {
    const row = this.sql('SELECT * FROM trials WHERE id = ?').get(trialId);
    return row === undefined ? null : this.toTrial(row as Row);
  }

  /**
   * The complete trial of the same genotype at the highest rung above this one's, if any:
   * halving trains a promoted genotype again, as a new trial.
   */
  laterRung(trial: TrialRecord): TrialRecord | null {
    const row = this.sql(`SELECT * FROM trials WHERE run_id = ? AND genotype_hash = ? AND status = 'complete' AND accuracy IS NOT NULL AND rung > ?
      ORDER BY rung DESC, id DESC LIMIT 1`).get(trial.runId, trial.genotypeHash, trial.rung);
    return row === undefined ? null : this.toTrial(row as Row);
  }

  trialByNumber(runId: number, number: number): TrialRecord | null {
    const row = this.sql('SELECT * FROM trials WHERE run_id = ? AND number = ?').get(runId, number);
    return row === undefined ? null : this.toTrial(row as Row);
  }

  /** The lowest and highest trial number of a run, or null when it has none: `show` names the valid range. */
  trialNumberRange(runId: number): { first: number; last: number } | null {
    const row = this.sql('SELECT min(number) AS first, max(number) AS last FROM trials WHERE run_id = ?').get(runId) as { first: number | null; last: number | null };
    return row.first === null || row.last === null ? null : { first: row.first, last: row.last };
  }

  /** Trials of a run in id order, optionally only those after `afterId` (incremental polling). */
  trials(runId: number, options: { status?: TrialStatus; afterId?: number; limit?: number } = {}): TrialRecord[] {
    const rows = this.sql(`SELECT * FROM trials WHERE run_id = ? AND id > ? ${options.status ? 'AND status = ?' : ''} ORDER BY id LIMIT ?`)
      .all(...[runId, options.afterId ?? 0, ...(options.status ? [options.status] : []), options.limit ?? -1]) as Row[];
    return rows.map((r) => this.toTrial(r));
  }

  /**
   * A trial's cost on each profile: the run's configured profiles first, in their order (the
   * first is the one its budgets are on, which every listing names first), then others by name.
   */
  costs(trialId: number): Array<{ profile: string; latencyMs: number | null; energyMj: number | null; peakMemoryBytes: number | null; feasible: boolean }> {
    const run = this.sql('SELECT r.name, r.config_json FROM runs r JOIN trials t ON t.run_id = r.id WHERE t.id = ?').get(trialId) as Row | undefined;
    const configured = configuredProfiles(run === undefined ? {} : this.json(run.config_json, `run ${run.name as string}'s config`));
    const rank = (profile: string) => { const i = configured.indexOf(profile); return i < 0 ? configured.length : i; };
    const rows = (this.sql('SELECT * FROM trial_costs WHERE trial_id = ? ORDER BY profile').all(trialId) as Row[])
      .sort((a, b) => rank(a.profile as string) - rank(b.profile as string));
    return rows.map((r) => ({
      profile: r.profile as string, latencyMs: r.latency_ms as number | null, energyMj: r.energy_mj as number | null,
      peakMemoryBytes: r.peak_memory_bytes as number | null, feasible: r.feasible === 1,
    }));
  }

  /** Complete trials of a run with their cost on one profile (null costs when it has none), for front views. */
  completeWithCosts(runId: number, profile: string): Array<TrialRecord & { latencyMs: number | null; energyMj: number | null; peakMemoryBytes: number | null }> {
    const rows = this.sql(`SELECT t.*, c.latency_ms AS c_latency, c.energy_mj AS c_energy, c.peak_memory_bytes AS c_memory FROM trials t
      LEFT JOIN trial_costs c ON c.trial_id = t.id AND c.profile = ? WHERE t.run_id = ? AND t.status = 'complete' AND t.accuracy IS NOT NULL ORDER BY t.id`).all(profile, runId) as Row[];
    return rows.map((r) => ({ ...this.toTrial(r), latencyMs: r.c_latency as number | null, energyMj: r.c_energy as number | null, peakMemoryBytes: r.c_memory as number | null }));
  }

  /** Trials after `afterId` (or the given ids) with their cost on one profile, in one query: the dashboard's incremental refresh. */
  trialRows(runId: number, profile: string, options: { afterId?: number; ids?: number[] } = {}): Array<TrialRecord & { latencyMs: number | null; energyMj: number | null }> {
    const ids = options.ids ?? [];
    const where = ids.length > 0 ? `t.id IN (${ids.map(() => '?').join(',')})` : 't.id > ?';
    const rows = this.db.prepare(`SELECT t.*, c.latency_ms AS c_latency, c.energy_mj AS c_energy FROM trials t
      LEFT JOIN trial_costs c ON c.trial_id = t.id AND c.profile = ? WHERE t.run_id = ? AND ${where} ORDER BY t.id`)
      .all(profile, runId, ...(ids.length > 0 ? ids : [options.afterId ?? 0])) as Row[];
    return rows.map((r) => ({ ...this.toTrial(r), latencyMs: r.c_latency as number | null, energyMj: r.c_energy as number | null }));
  }

  /** Profiles a run's trials were costed on. */
  profiles(runId: number): string[] {
    return (this.sql('SELECT DISTINCT c.profile FROM trial_costs c JOIN trials t ON t.id = c.trial_id WHERE t.run_id = ? ORDER BY c.profile').all(runId) as Array<{ profile: string }>).map((r) => r.profile);
  }

  /**
   * The trial's stored model file, or null when it has none (failed, or from an older hwnas);
   * `intact` is false when it no longer matches the SHA-256 stored with it (models stored
   * before schema 5 have none, and count as intact). A damaged byte can still decode.
   */
  artifact(trialId: number): { bytes: Uint8Array; intact: boolean } | null {
    if (this.version < 2) return null; // written before stores kept models; export retrains
    const row = this.sql(`SELECT bytes, ${this.version >= 5 ? 'sha256' : 'NULL AS sha256'} FROM trial_artifacts WHERE trial_id = ?`).get(trialId) as { bytes: Buffer; sha256: string | null } | undefined;
    if (row === undefined) return null;
    return { bytes: new Uint8Array(row.bytes), intact: row.sha256 === null || sha256(row.bytes) === row.sha256 };
  }

  epochs(trialId: number): EpochRow[] {
    return (this.sql('SELECT * FROM epochs WHERE trial_id = ? ORDER BY epoch').all(trialId) as Row[]).map((r) => ({
      epoch: r.epoch as number, trainLoss: r.train_loss as number | null, trainAccuracy: r.train_accuracy as number | null,
      valLoss: r.val_loss as number | null, valAccuracy: r.val_accuracy as number | null, learningRate: r.learning_rate as number | null,
      seconds: r.seconds as number | null, imagesPerSecond: r.images_per_second as number | null,
    }));
  }

  counts(runId: number): RunCounts {
    const byStatus = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
    for (const r of this.sql('SELECT status, count(*) AS n FROM trials WHERE run_id = ? GROUP BY status').all(runId) as Array<{ status: TrialStatus; n: number }>) byStatus[r.status] = r.n;
    return { total: Object.values(byStatus).reduce((s, n) => s + n, 0), byStatus };
  }

  /**
   * The most accurate complete trial within every given budget, or null; among equally
   * accurate trials the one cheapest on the (first) budgeted cost wins. A single budget
   * is one index seek on its staircase; several budgets walk trials by accuracy.
   */
  best(query: BestQuery): TrialRecord | null {
    const bounds: Array<[CostName, number]> = [];
    if (query.maxLatencyMs !== undefined) bounds.push(['latency_ms', query.maxLatencyMs]);
    if (query.maxEnergyMj !== undefined) bounds.push(['energy_mj', query.maxEnergyMj]);
    if (query.maxPeakMemoryBytes !== undefined) bounds.push(['peak_memory_bytes', query.maxPeakMemoryBytes]);
    if (query.maxSizeBytes !== undefined) bounds.push(['size_bytes', query.maxSizeBytes]);
    const profiled = bounds.some(([c]) => c !== 'size_bytes');
    if (profiled && query.profile === undefined) throw new UserError('a latency, energy or memory budget needs --profile', 'for example: hwnas best --max-latency 2ms --profile raspberry-pi-4');
    if (bounds.length === 0) {
      const row = this.sql("SELECT * FROM trials WHERE run_id = ? AND status = 'complete' AND accuracy IS NOT NULL ORDER BY accuracy DESC, id LIMIT 1").get(query.runId);
      return row === undefined ? null : this.toTrial(row as Row);
    }
    if (bounds.length === 1) {
      const [cost, limit] = bounds[0]!;
      const hit = this.sql('SELECT trial_id FROM staircase WHERE run_id = ? AND profile = ? AND cost = ? AND value <= ? ORDER BY value DESC LIMIT 1')
        .get(query.runId, cost === 'size_bytes' ? ANY_PROFILE : query.profile, cost, limit) as { trial_id: number } | undefined;
      return hit === undefined ? null : this.trial(hit.trial_id);
    }
    if (bounds.length === 2) {
      const pair = COST_PAIRS.find(([x, y]) => (x === bounds[0]![0] && y === bounds[1]![0]) || (x === bounds[1]![0] && y === bounds[0]![0]));
      if (pair !== undefined) {
        const [la, lb] = pair[0] === bounds[0]![0] ? [bounds[0]![1], bounds[1]![1]] : [bounds[1]![1], bounds[0]![1]];
        const hit = this.sql(`SELECT trial_id FROM staircase2 WHERE run_id = ? AND profile = ? AND costs = ? AND a <= ? AND b <= ?
          ORDER BY accuracy DESC, ${pair[0] === bounds[0]![0] ? 'a' : 'b'}, trial_id LIMIT 1`).get(query.runId, query.profile, `${pair[0]}+${pair[1]}`, la, lb) as { trial_id: number } | undefined;
        return hit === undefined ? null : this.trial(hit.trial_id);
      }
    }
    const column = (c: CostName) => (c === 'size_bytes' ? 't.size_bytes' : `c.${c}`);
    const conditions = bounds.map(([c]) => `${column(c)} <= ?`);
    const row = this.sql(`SELECT t.* FROM trials t JOIN trial_costs c ON c.trial_id = t.id AND c.profile = ?
      WHERE t.run_id = ? AND t.status = 'complete' AND t.accuracy IS NOT NULL AND ${conditions.join(' AND ')}
      ORDER BY t.accuracy DESC, ${column(bounds[0]![0])}, t.id LIMIT 1`).get(query.profile, query.runId, ...bounds.map(([, v]) => v));
    return row === undefined ? null : this.toTrial(row as Row);
  }

  /** The staircase itself: the accuracy/cost Pareto front of a run, cheapest first. */
  front(runId: number, cost: CostName, profile?: string): Array<{ trialId: number; value: number; accuracy: number }> {
    return (this.sql('SELECT trial_id, value, accuracy FROM staircase WHERE run_id = ? AND profile = ? AND cost = ? ORDER BY value')
      .all(runId, cost === 'size_bytes' ? ANY_PROFILE : profile ?? ANY_PROFILE, cost) as Row[])
      .map((r) => ({ trialId: r.trial_id as number, value: r.value as number, accuracy: r.accuracy as number }));
  }

  event(runId: number, kind: string, message: string, data?: Json): void {
    this.sql('INSERT INTO events (run_id, at, kind, message, data_json) VALUES (?, ?, ?, ?, ?)').run(runId, now(), kind, message, data === undefined ? null : JSON.stringify(data));
  }

  events(runId: number, afterId = 0): Array<{ id: number; at: number; kind: string; message: string }> {
    return this.sql('SELECT id, at, kind, message FROM events WHERE run_id = ? AND id > ? ORDER BY id').all(runId, afterId) as Array<{ id: number; at: number; kind: string; message: string }>;
  }
}
