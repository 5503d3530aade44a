/**
 * The store's schema, as numbered migrations applied in order inside one transaction
 * each; `PRAGMA user_version` records how far a file has come and `application_id`
 * marks it as an hwnas store. Only store/ holds SQL.
 */
export const APPLICATION_ID = 0x48574e53; // "HWNS"

export const MIGRATIONS: readonly string[] = [
  // 1: runs, trials, per-profile costs, learning curves, events, and the Pareto staircase.
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
    space TEXT NOT NULL,
    dataset TEXT NOT NULL,
    strategy TEXT NOT NULL,
    seed INTEGER NOT NULL,
    config_json TEXT NOT NULL,
    strategy_state_json TEXT,
    owner_pid INTEGER,
    owner_host TEXT,
    heartbeat_at REAL,
    created_at REAL NOT NULL,
    finished_at REAL
  );

  CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'complete', 'pruned', 'failed', 'interrupted', 'rejected')),
    genotype_json TEXT NOT NULL,
    genotype_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    fidelity_json TEXT NOT NULL,
    rung INTEGER NOT NULL DEFAULT 0,
    worker INTEGER,
    error TEXT,
    queued_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    accuracy REAL,
    val_accuracy REAL,
    size_bytes INTEGER,
    params INTEGER,
    macs INTEGER,
    metrics_json TEXT,
    UNIQUE (run_id, number)
  );
  CREATE INDEX trials_by_status ON trials (run_id, status);
  CREATE INDEX trials_by_accuracy ON trials (run_id, accuracy DESC) WHERE status = 'complete';
  CREATE INDEX trials_by_hash ON trials (run_id, genotype_hash);

  CREATE TABLE trial_costs (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    latency_ms REAL,
    energy_mj REAL,
    peak_memory_bytes INTEGER,
    feasible INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (trial_id, profile)
  ) WITHOUT ROWID;

  -- For each (run, profile, cost), the trials no other trial beats on both that cost and
  -- accuracy: accuracy rises with cost along it, so the best trial within a budget is the
  -- entry with the largest cost <= budget, one index seek even with millions of trials.
  CREATE TABLE staircase (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    cost TEXT NOT NULL CHECK (cost IN ('latency_ms', 'energy_mj', 'size_bytes', 'peak_memory_bytes')),
    value REAL NOT NULL,
    accuracy REAL NOT NULL,
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, profile, cost, value, trial_id)
  ) WITHOUT ROWID;

  -- The same for two budgets at once: trials non-dominated in (cost a, cost b, accuracy).
  -- The best trial under both budgets is always on it, and it stays small (hundreds of
  -- rows for a million trials), so a filtered scan of it is instant.
  CREATE TABLE staircase2 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    costs TEXT NOT NULL,
    a REAL NOT NULL,
    b REAL NOT NULL,
    accuracy REAL NOT NULL,
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, profile, costs, a, b, trial_id)
  ) WITHOUT ROWID;

  CREATE TABLE epochs (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    learning_rate REAL, seconds REAL, images_per_second REAL,
    PRIMARY KEY (trial_id, epoch)
  ) WITHOUT ROWID;

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    data_json TEXT
  );
  CREATE INDEX events_by_run ON events (run_id, id);
  `,
  // 2: each complete trial's compressed model file (kilobytes), so export needs no retraining.
  `
  CREATE TABLE trial_artifacts (
    trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    bytes BLOB NOT NULL
  );
  `,
  // 3: what a running trial is doing now (stage, epoch, batch, images/s), for the dashboard's workers view.
  `
  ALTER TABLE trials ADD COLUMN progress_json TEXT;
  `,
  // 4: seconds a run has searched over all its resumes, so a resumed --time budget counts them.
  `
  ALTER TABLE runs ADD COLUMN active_seconds REAL NOT NULL DEFAULT 0;
  `,
  // 5: a SHA-256 of each stored model: a damaged byte inside it still decodes, into a model that
  // exports with its old accuracy claimed and far worse weights.
  `
  ALTER TABLE trial_artifacts ADD COLUMN sha256 TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
