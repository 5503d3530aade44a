import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { UserError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../store/migrations.js';
import { runStopped } from '../../store/run-owner.js';
import { SqliteStore } from '../../store/sqlite.js';
import { storageError } from '../../store/storage-error.js';
import type { NewTrial, TrialOutcome } from '../../store/types.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'hwnas-store-')), 'runs.db');
const run = { name: 'r1', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: { trials: 10 } };
const trial = (number: number): NewTrial => ({ number, genotype: { depth: 1 + (number % 3) }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: 1 }, rung: 0 });

describe('opening', () => {
  it('creates a versioned WAL store with foreign keys', () => {
    const path = dbPath();
    SqliteStore.open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(0x48574e53);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it.each([
    ['a foreign SQLite database', (p: string) => { const db = new Database(p); db.exec('CREATE TABLE t (x)'); db.close(); }, /is an SQLite database but not an hwnas store/],
    ['a file that is not a database', (p: string) => writeFileSync(p, 'hello, this is not sqlite'.repeat(100)), /is not an hwnas store/],
    ['an SQLite file with a schema version but no tables', (p: string) => { const db = new Database(p); db.pragma('user_version = 2'); db.close(); }, /is an SQLite database but not an hwnas store/],
    ['a store from a newer hwnas', (p: string) => { SqliteStore.open(p).close(); const db = new Database(p); db.pragma('user_version = 99'); db.close(); }, /written by a newer hwnas \(schema 99/],
  ])('refuses %s and leaves it untouched', (_label, make, message) => {
    const path = dbPath();
    make(path);
    const before = readFileSync(path);
    expect(() => SqliteStore.open(path)).toThrow(message);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses to open a missing database read-only', () => {
    expect(() => SqliteStore.open('/nonexistent/runs.db', { readonly: true })).toThrow(/no database at \/nonexistent\/runs.db/);
  });
});

describe('runs and trials', () => {
  it('walks a trial through its states, with costs, curves and strategy state, one transaction each', () => {
    const store = SqliteStore.open(dbPath());
    const runId = store.createRun(run);
    const [id] = store.queueTrials(runId, [trial(0)], { next: 1 });
    expect(store.trial(id!)!.status).toBe('queued');
    store.startTrial(id!, 1);
    expect(store.trial(id!)!.status).toBe('running');
    store.finishTrial(id!, {
      status: 'complete', accuracy: 0.91, sizeBytes: 1000, params: 250, macs: 5000, metrics: { note: 'ok' },
      costs: [{ profile: 'pi', latencyMs: 1.5, energyMj: 0.2, peakMemoryBytes: 4096, feasible: true }],
      epochs: [{ epoch: 1, trainLoss: 0.4, trainAccuracy: 0.8, valLoss: 0.3, valAccuracy: 0.9, learningRate: 0.001, seconds: 2, imagesPerSecond: 1500 }],
    }, { next: 1, told: 1 });
    const t = store.trial(id!)!;
    expect(t).toMatchObject({ status: 'complete', accuracy: 0.91, sizeBytes: 1000, worker: 1, metrics: { note: 'ok' } });
    expect(store.costs(id!)).toEqual([{ profile: 'pi', latencyMs: 1.5, energyMj: 0.2, peakMemoryBytes: 4096, feasible: true }]);
    expect(store.epochs(id!)[0]!.valAccuracy).toBe(0.9);
    expect(store.run(runId)!.strategyState).toEqual({ next: 1, told: 1 });
    expect(() => store.startTrial(id!, 2)).toThrow(/cannot start: not queued/);
    expect(store.counts(runId).byStatus.complete).toBe(1);
    store.close();
  });

  it("lists a trial's costs with the run's searched profile first, then its other profiles in order, then the rest", () => {
    const store = SqliteStore.open(dbPath());
    const runId = store.createRun({ ...run, config: { profile: 'zeta-pi', extraProfiles: ['mcu'] } });
    const cost = (profile: string) => ({ profile, latencyMs: 1, energyMj: 1, peakMemoryBytes: 1, feasible: true });
    const [id] = store.insertFinishedTrials(runId, [{ ...trial(0), outcome: { status: 'complete', accuracy: 0.5, costs: ['alpha', 'mcu', 'zeta-pi'].map(cost) } }], null);
    expect(store.costs(id!).map((c) => c.profile)).toEqual(['zeta-pi', 'mcu', 'alpha']);
    store.close();
  });

  it('reclaims trials a dead owner left running or queued, and lets them run again', () => {
    const store = SqliteStore.open(dbPath());
    const runId = store.createRun(run);
    const ids = store.queueTrials(runId, [trial(0), trial(1), trial(2)], {});
    store.startTrial(ids[0]!, 1);
    store.finishTrial(ids[0]!, { status: 'complete', accuracy: 0.5 }, {});
    store.startTrial(ids[1]!, 2);
    store.trialProgress(ids[1]!, { epoch: 3 });
    const reclaimed = store.reclaimUnfinished(runId);
    expect(reclaimed.map((t) => t.number)).toEqual([1, 2]);
    expect(store.counts(runId).byStatus).toMatchObject({ complete: 1, interrupted: 2, running: 0, queued: 0 });
    // Running again after the resume, it shows none of its dead run's progress.
    store.startTrial(ids[1]!, 1);
    expect(store.trial(ids[1]!)!.status).toBe('running');
    expect(store.trial(ids[1]!)!.progress).toBeNull();
    store.close();
  });

  it('serves a read-only reader while the writer writes', () => {
    const path = dbPath();
    const writer = SqliteStore.open(path);
    const runId = writer.createRun(run);
    const reader = SqliteStore.open(path, { readonly: true });
    for (let i = 0; i < 50; i++) {
      writer.insertFinishedTrials(runId, [{ ...trial(i), outcome: { status: 'complete', accuracy: i / 50 } }], null);
      expect(reader.counts(runId).total).toBe(i + 1);
    }
    expect(() => (reader as unknown as { createRun(r: typeof run): number }).createRun({ ...run, name: 'r2' })).toThrow(/readonly/i);
    reader.close();
    writer.close();
  });
});

describe('best and the staircase', () => {
  const rng = new Rng(9);
  const store = SqliteStore.open(dbPath());
  const runId = store.createRun(run);
  const rows = Array.from({ length: 1500 }, (_, i) => {
    const latency = 0.1 + rng.next() * 10;
    // Accuracy correlates with latency, as it does for real networks, plus noise.
    const accuracy = Math.min(0.99, 0.5 + 0.04 * latency + 0.1 * rng.next());
    const outcome: TrialOutcome = {
      status: i % 37 === 0 ? 'failed' : 'complete', accuracy: i % 37 === 0 ? null : accuracy, sizeBytes: Math.round(1000 + rng.next() * 1e5),
      costs: [{ profile: 'pi', latencyMs: latency, energyMj: latency * 0.3, feasible: true }, { profile: 'mcu', latencyMs: latency * 40, feasible: true }],
    };
    return { ...trial(i), outcome };
  });
  store.insertFinishedTrials(runId, rows, null);
  const complete = rows.filter((r) => r.outcome.status === 'complete');
  /** The most accurate feasible trial; ties go to the cheapest on `cost`, then the earliest. */
  const brute = (ok: (r: typeof rows[number]) => boolean, cost: (r: typeof rows[number]) => number = () => 0) => {
    const feasible = complete.filter(ok).sort((a, b) => b.outcome.accuracy! - a.outcome.accuracy! || cost(a) - cost(b) || a.number - b.number);
    return feasible[0]?.number ?? null;
  };
  const piLatency = (r: typeof rows[number]) => r.outcome.costs![0]!.latencyMs!;

  it.each([0.05, 0.5, 2, 5, 9.9, 20])('one latency budget (%f ms) answers like a brute-force scan', (budget) => {
    const answer = store.best({ runId, profile: 'pi', maxLatencyMs: budget });
    expect(answer?.number ?? null).toBe(brute((r) => piLatency(r) <= budget, piLatency));
  });

  it('size and energy budgets, and combined budgets, answer like a brute-force scan', () => {
    expect(store.best({ runId, maxSizeBytes: 20_000 })?.number ?? null).toBe(brute((r) => r.outcome.sizeBytes! <= 20_000, (r) => r.outcome.sizeBytes!));
    expect(store.best({ runId, profile: 'pi', maxEnergyMj: 1 })?.number ?? null).toBe(brute((r) => r.outcome.costs![0]!.energyMj! <= 1, (r) => r.outcome.costs![0]!.energyMj!));
    expect(store.best({ runId, profile: 'mcu', maxLatencyMs: 150, maxSizeBytes: 50_000 })?.number ?? null)
      .toBe(brute((r) => r.outcome.costs![1]!.latencyMs! <= 150 && r.outcome.sizeBytes! <= 50_000, (r) => r.outcome.costs![1]!.latencyMs!));
    expect(store.best({ runId })?.number).toBe(brute(() => true));
  });

  it('keeps exactly the accuracy/latency Pareto front', () => {
    const front = store.front(runId, 'latency_ms', 'pi');
    const expected = complete.filter((a) => !complete.some((b) => b !== a
      && b.outcome.costs![0]!.latencyMs! <= a.outcome.costs![0]!.latencyMs! && b.outcome.accuracy! >= a.outcome.accuracy!
      && (b.outcome.costs![0]!.latencyMs! < a.outcome.costs![0]!.latencyMs! || b.outcome.accuracy! > a.outcome.accuracy!)));
    expect(front.map((f) => f.trialId).length).toBe(expected.length);
    for (let i = 1; i < front.length; i++) expect(front[i]!.accuracy).toBeGreaterThan(front[i - 1]!.accuracy);
  });

  it('asks for a profile when a device budget has none', () => {
    expect(() => store.best({ runId, maxLatencyMs: 2 })).toThrow(/needs --profile/);
  });
});

describe('a store from schema 1', () => {
  it('reads without migrating, and has no stored models; a writer migrates it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hwnas-v1-')), 'old.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.prepare("INSERT INTO runs (name, status, space, dataset, strategy, seed, config_json, created_at) VALUES ('old', 'interrupted', 'mlp', 'mnist', 'random', 0, '{}', 1)").run();
    db.close();
    const reader = SqliteStore.open(path, { readonly: true });
    expect(reader.artifact(1)).toBeNull();
    // Schema 4's searched seconds: none recorded before it.
    expect(reader.run('old')!.activeSeconds).toBe(0);
    reader.close();
    const writer = SqliteStore.open(path);
    writer.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Schema 3 keeps running trials' progress for the dashboard's workers view.
    expect((check.prepare('PRAGMA table_info(trials)').all() as Array<{ name: string }>).map((c) => c.name)).toContain('progress_json');
    check.close();
  });
});

describe('one owner per run', () => {
  const setOwner = (path: string, pid: number, host: string, heartbeatAgo: number) => {
    const db = new Database(path);
    db.prepare("UPDATE runs SET status = 'running', owner_pid = ?, owner_host = ?, heartbeat_at = ?").run(pid, host, Date.now() / 1000 - heartbeatAgo);
    db.close();
  };

  it('refuses to take over a run a live process is searching, and takes over one whose process is gone', () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const runId = store.createRun(run);
    // The test runner's parent is alive on this host.
    setOwner(path, process.ppid, hostname(), 1);
    expect(() => store.claimRun(runId)).toThrow(new RegExp(`run 'r1' is being searched by process ${process.ppid} on ${hostname()}`));
    const hint = () => { try { store.claimRun(runId); } catch (error) { return (error as UserError).hint; } return undefined; };
    // Found alive on this machine: waiting for its heartbeat to age would not help.
    expect(hint()).toBe('let it finish, or stop it (Ctrl-C in its terminal, or kill it) and resume');
    // Another host's run: alive while its heartbeat is fresh, taken over once it is a minute old.
    setOwner(path, 1, 'elsewhere', 5);
    expect(() => store.claimRun(runId)).toThrow(/on elsewhere \(last heartbeat 5 s ago\)/);
    expect(hint()).toMatch(/if that machine's process is gone, resume 60 s after its last heartbeat$/);
    setOwner(path, 1, 'elsewhere', 120);
    store.claimRun(runId);
    expect(store.run(runId)).toMatchObject({ status: 'running', ownerPid: process.pid, ownerHost: hostname() });
    // A process that exited (kill -9) on this host: stopped (runs and the dashboard say so), resumed at once, its heartbeat however fresh.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    setOwner(path, gone, hostname(), 0);
    expect(runStopped(store.run(runId)!, Date.now() / 1000, hostname())).toBe(true);
    store.claimRun(runId);
    expect(runStopped(store.run(runId)!, Date.now() / 1000, hostname())).toBe(false);
    // A finished run has no owner to wait for.
    store.finishRun(runId, 'interrupted', null, 'stopped', 42);
    expect(store.run(runId)).toMatchObject({ ownerPid: null, activeSeconds: 42 });
    store.claimRun(runId);
    store.close();
  });

  it('records a trial only while it is running here', () => {
    const store = SqliteStore.open(dbPath());
    const runId = store.createRun(run);
    const [id] = store.queueTrials(runId, [trial(0)], {});
    store.startTrial(id!, 1);
    store.reclaimUnfinished(runId);
    expect(() => store.finishTrial(id!, { status: 'complete', accuracy: 0.5 }, {})).toThrow(/trial 0 is interrupted .*another process took the run over/);
    expect(store.trial(id!)!.status).toBe('interrupted');
    store.heartbeat(runId, 12.5);
    expect(store.run(runId)!.activeSeconds).toBe(12.5);
    store.close();
  });
});

describe('a damaged or locked store', () => {
  /** A store some pages long (400 trials), so damage can fall past its header and schema. */
  const storeOf400Trials = () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const runId = store.createRun(run);
    store.insertFinishedTrials(runId, Array.from({ length: 400 }, (_, i) => ({ ...trial(i), outcome: { status: 'complete', accuracy: 0.5, metrics: { pad: 'x'.repeat(500) } } as TrialOutcome })), {});
    store.close();
    return path;
  };

  it('calls a truncated store damaged, not foreign', () => {
    const path = storeOf400Trials();
    truncateSync(path, 20_000);
    expect(() => SqliteStore.open(path, { readonly: true }).runs()).toThrow(/is damaged/);
  });

  it('refuses to write into a store with damaged pages, and leaves the file as it was', () => {
    const path = storeOf400Trials();
    // Garbage over pages deep in the file: the header and the schema still read.
    const bytes = readFileSync(path);
    bytes.fill(0xff, 20_000, 28_000);
    writeFileSync(path, bytes);
    expect(() => SqliteStore.open(path)).toThrow(/runs\.db is damaged/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it.each(['', ' ', ':memory:'])("refuses --db '%s', where SQLite would keep a run in memory and lose it", (path) => {
    expect(() => SqliteStore.open(path)).toThrow(/names no file: SQLite would keep the results in memory/);
  });

  it('calls a store whose tables do not match its schema version damaged, without a stack trace', () => {
    const path = dbPath();
    SqliteStore.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    const before = readFileSync(path);
    expect(() => SqliteStore.open(path)).toThrow(new RegExp(`says it is schema ${SCHEMA_VERSION - 1} but its tables do not match`));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('leaves every result in the database file itself when it closes, even with a reader still open', () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const runId = store.createRun(run);
    const reader = SqliteStore.open(path, { readonly: true });
    expect(reader.run(runId)!.name).toBe('r1');
    store.insertFinishedTrials(runId, [0, 1, 2].map((n) => ({ ...trial(n), outcome: { status: 'complete' as const, accuracy: 0.5 + n / 10 } })), null);
    store.close();
    // Copied without its -wal (moved to another machine, say), the file still holds the run's trials.
    const copy = join(mkdtempSync(join(tmpdir(), 'hwnas-store-copy-')), 'copy.db');
    writeFileSync(copy, readFileSync(path));
    const copied = SqliteStore.open(copy, { readonly: true });
    expect(copied.counts(copied.latestRun()!.id).byStatus.complete).toBe(3);
    copied.close();
    reader.close();
  });

  it('finds a damaged byte inside a stored model by its checksum', () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const runId = store.createRun(run);
    const model = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
    const [id] = store.insertFinishedTrials(runId, [{ ...trial(3), outcome: { status: 'complete', accuracy: 0.9, artifact: model } }], null);
    expect(store.artifact(id!)).toEqual({ bytes: model, intact: true });
    const db = new Database(path);
    const damaged = Buffer.from(model);
    damaged[150] ^= 0x10;
    db.prepare('UPDATE trial_artifacts SET bytes = ? WHERE trial_id = ?').run(damaged, id);
    db.close();
    expect(store.artifact(id!)).toEqual({ bytes: new Uint8Array(damaged), intact: false });
    store.close();
  });

  it('names the trial whose stored JSON is unreadable', () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const runId = store.createRun(run);
    const [id] = store.queueTrials(runId, [trial(7)], {});
    const db = new Database(path);
    db.prepare("UPDATE trials SET genotype_json = '{\"depth\": 1' WHERE id = ?").run(id);
    db.close();
    expect(() => store.trial(id!)).toThrow(/runs\.db is damaged: trial 7's genotype is not JSON/);
    store.close();
  });

  it('says another writer holds the lock, not that hwnas has a bug', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(storageError(busy)?.message).toMatch(/is locked by another writer: database is locked/);
  });

  it('points at the -wal and -shm files when the database cannot be written (another account read it last)', () => {
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    const error = storageError(readonly)!;
    expect(error.message).toMatch(/^cannot use .*: attempt to write a readonly database$/);
    expect(error.hint).toMatch(/the file, its directory and .*-wal and .*-shm \(if there\) are writable by you/);
  });
});
