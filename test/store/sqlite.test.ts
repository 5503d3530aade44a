import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { APPLICATION_ID, MIGRATIONS } from '../../store/migrations.js';
import { SqliteStore } from '../../store/sqlite.js';
import type { NewTrial, TrialOutcome } from '../../store/types.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'hwnas-store-')), 'runs.db');
const run = { name: 'r1', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: { trials: 10 } };
const trial = (number: number): NewTrial => ({ number, genotype: { depth: 1 + (number % 3) }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: 1 }, rung: 0 });

describe('opening', () => {
  it('creates a versioned WAL store with foreign keys', () => {
    const path = dbPath();
    SqliteStore.open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.pragma('application_id', { simple: true })).toBe(0x48574e53);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it.each([
    ['a foreign SQLite database', (p: string) => { const db = new Database(p); db.exec('CREATE TABLE t (x)'); db.close(); }, /is an SQLite database but not an hwnas store/],
    ['a file that is not a database', (p: string) => writeFileSync(p, 'hello, this is not sqlite'.repeat(100)), /is not an hwnas store/],
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
    db.close();
    const reader = SqliteStore.open(path, { readonly: true });
    expect(reader.artifact(1)).toBeNull();
    reader.close();
    const writer = SqliteStore.open(path);
    writer.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    // Schema 3 keeps running trials' progress for the dashboard's workers view.
    expect((check.prepare('PRAGMA table_info(trials)').all() as Array<{ name: string }>).map((c) => c.name)).toContain('progress_json');
    check.close();
  });
});
