/** The detail loader on a real store, live progress rows, and the evaluator's progress throttle. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTrialDetail } from '../../dashboard/detail.js';
import { refreshWatched } from '../../dashboard/render.js';
import { frontOf } from '../../dashboard/scatter.js';
import { RunWatcher } from '../../dashboard/snapshot.js';
import { Rng } from '../../core/rng.js';
import { supersededByLaterRung } from '../../search/fidelity.js';
import { Overview } from '../../dashboard/views/overview.js';
import { batchReporter, type TrialProgress } from '../../evaluators/progress.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import { summarizeSpec } from '../../spaces/summary.js';
import { SqliteStore } from '../../store/sqlite.js';

describe('the watcher marks reduced fidelity', () => {
  it('flags a trial trained below the run\'s full fidelity, so the overview says its accuracy is a cheap estimate', () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-rung-')), 'runs.db'));
    const runId = store.createRun({ name: 'h', space: 'mlp', dataset: 'mnist', strategy: 'halving', seed: 0, config: { space: 'mlp', profile: 'proxy', workers: 1, budgets: {}, fidelity: { epochs: 2, trainFraction: 1 } } });
    const ids = store.queueTrials(runId, [0, 1].map((number) => ({ number, genotype: { depth: 1 }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: number === 0 ? 0.5 : 2, trainFraction: 1 }, rung: number === 0 ? 0 : 1 })), {});
    ids.forEach((id, i) => { store.startTrial(id, 1); store.finishTrial(id, { status: 'complete', accuracy: i === 0 ? 0.9 : 0.8, valAccuracy: 0.8, sizeBytes: 100, costs: [], epochs: [] }, {}); });
    const snapshot = new RunWatcher(store, runId, 'proxy').refresh();
    expect(snapshot.trials.map((t) => [t.number, t.reduced === true])).toEqual([[0, true], [1, false]]);
    expect(render(<Overview snapshot={snapshot} width={100} />).lastFrame()).toMatch(/best: trial 0, 90\.00% test accuracy \(at reduced fidelity\), /);
    store.close();
  });
});

describe('trial detail from the store', () => {
  it('joins the stored layer table with latency shares predicted on the profile, costs and the curve', () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-detail-')), 'runs.db'));
    const runId = store.createRun({ name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 0, config: { space: 'mlp', profile: 'raspberry-pi-4', workers: 1, budgets: { maxLatencyMs: 0.5, maxSizeBytes: 500 } } });
    const mlp = getBuiltinSpace('mlp');
    const genotype = mlp.presets!['lenet-300-100']!;
    const [id] = store.queueTrials(runId, [{ number: 0, genotype, genotypeHash: 'h', seed: 1, fidelity: { epochs: 2 }, rung: 0 }], {});
    store.startTrial(id!, 1);
    const progress: TrialProgress = { stage: 'training', epoch: 1, epochs: 2, batch: 10, batches: 40, loss: 0.7, imagesPerSecond: 1500, at: 1 };
    store.trialProgress(id!, progress as never);
    const watcher = new RunWatcher(store, runId, 'raspberry-pi-4');
    expect(watcher.refresh().running!.map((r) => [r.number, r.worker, r.progress])).toEqual([[0, 1, progress]]);
    const layers = summarizeSpec(mlp.toSpec(genotype, { inputShape: [28, 28, 1], numClasses: 10 }));
    store.finishTrial(id!, {
      status: 'complete', accuracy: 0.97, valAccuracy: 0.96, sizeBytes: 1000, metrics: { layers } as never,
      costs: [{ profile: 'raspberry-pi-4', latencyMs: 0.3, energyMj: 0.01, peakMemoryBytes: 4000, feasible: true }],
      epochs: [{ epoch: 1, trainLoss: 1, trainAccuracy: 0.9, valLoss: 1, valAccuracy: 0.9, learningRate: 0.001, seconds: 2, imagesPerSecond: 1000 }],
    }, {});
    // A late report after the end changes nothing, and the finished trial is no longer running.
    store.trialProgress(id!, { ...progress, batch: 11 } as never);
    const after = watcher.refresh();
    expect(after.running).toEqual([]);
    expect(after.counts.byStatus).toMatchObject({ running: 0, complete: 1 });
    // 0.3 ms meets the latency budget; 1000 B breaks the 500 B size budget, and so all budgets together.
    expect(after.derived!.bestUnder.map((b) => [b.label, b.best?.number ?? null])).toEqual([['latency <= 0.5 ms', 0], ['size <= 500 B', null], ['all budgets', null]]);
    // A trial within every budget is the best under all of them (the test of all budgets once called itself for ever on one).
    const [fits] = store.queueTrials(runId, [{ number: 1, genotype, genotypeHash: 'h1', seed: 2, fidelity: { epochs: 2 }, rung: 0 }], {});
    store.startTrial(fits!, 1);
    store.finishTrial(fits!, { status: 'complete', accuracy: 0.9, valAccuracy: 0.9, sizeBytes: 400, metrics: { layers } as never,
      costs: [{ profile: 'raspberry-pi-4', latencyMs: 0.4, energyMj: 0.01, peakMemoryBytes: 4000, feasible: true }], epochs: [] }, {});
    expect(watcher.refresh().derived!.bestUnder.map((b) => [b.label, b.best?.number ?? null])).toEqual([['latency <= 0.5 ms', 0], ['size <= 500 B', 1], ['all budgets', 1]]);
    expect(after.derived!.backend).toBeNull(); // the hand-written metrics name none
    expect((store.trial(id!)!.progress as unknown as TrialProgress).batch).toBe(10);

    const detail = loadTrialDetail(store, store.run(runId)!, 'raspberry-pi-4', 0)!;
    expect(detail.layers.map((l) => l.name)).toEqual(['dense0', 'dense1', 'logits']);
    expect(detail.layers.every((l) => l.latencyShare! > 0)).toBe(true);
    // The big first layer takes most of the time.
    expect(detail.layers[0]!.latencyShare!).toBeGreaterThan(detail.layers[2]!.latencyShare!);
    expect(detail.layers.reduce((s, l) => s + l.latencyShare!, 0) + detail.otherLatencyShare!).toBeCloseTo(1, 9);
    expect(detail.costs.map((c) => c.profile)).toEqual(['raspberry-pi-4']);
    expect(detail.epochs).toHaveLength(1);
    // The proxy profile predicts no per-layer latency: the column is left empty, not made up.
    expect(loadTrialDetail(store, store.run(runId)!, 'proxy', 0)!.layers.every((l) => l.latencyShare === null)).toBe(true);
    expect(loadTrialDetail(store, store.run(runId)!, 'raspberry-pi-4', 5)).toBeNull();
    store.close();
  });
});

describe('the watcher across a resume', () => {
  it('follows an interrupted trial when it runs again, counts included', () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-watch-')), 'runs.db'));
    const runId = store.createRun({ name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 0, config: { space: 'mlp', profile: 'raspberry-pi-4', workers: 1 } });
    const [id] = store.queueTrials(runId, [{ number: 0, genotype: { depth: 1 }, genotypeHash: 'h', seed: 1, fidelity: { epochs: 2 }, rung: 0 }], {});
    store.startTrial(id!, 1);
    store.reclaimUnfinished(runId);
    const watcher = new RunWatcher(store, runId, 'raspberry-pi-4');
    expect(watcher.refresh().counts.byStatus).toMatchObject({ interrupted: 1, complete: 0 });
    store.startTrial(id!, 1);
    expect(watcher.refresh().running!.map((r) => r.number)).toEqual([0]);
    store.finishTrial(id!, { status: 'complete', accuracy: 0.9, costs: [{ profile: 'raspberry-pi-4', latencyMs: 0.3, energyMj: 0.01, peakMemoryBytes: 4000, feasible: true }] }, {});
    const after = watcher.refresh();
    expect(after.counts.byStatus).toMatchObject({ interrupted: 0, running: 0, complete: 1 });
    expect(after.derived!.best?.number).toBe(0);
    expect(after.derived!.sorted('accuracy').map((r) => [r.number, r.status])).toEqual([[0, 'complete']]);
  });
});

describe('progress reports', () => {
  it('reports the first batch, then at most once per interval, and always the last batch', () => {
    let t = 0;
    const seen: TrialProgress[] = [];
    const onBatch = batchReporter((p) => seen.push(p), 'training', 2, 1000, () => t);
    for (let epoch = 0; epoch < 2; epoch++) {
      // 32 images in 0.2 s of training a step, 0.1 s of other work between steps; the last batch holds 8.
      for (let batch = 0; batch < 10; batch++) { t += 300; onBatch({ epoch, batch, batches: 10, loss: 1, learningRate: 0.1, images: batch === 9 ? 8 : 32, seconds: 0.2 }); }
      t += 5000; // evaluation between epochs is not training
    }
    expect(seen.map((p) => `${p.epoch}:${p.batch}`)).toEqual(['1:1', '1:5', '1:9', '2:1', '2:5', '2:9', '2:10']);
    expect(seen[1]!.imagesPerSecond).toBeCloseTo(32 / 0.2, 6);
    // Across the epoch's end: batch 10 (8 images), then batch 1 of the next after 5 s of evaluation.
    expect(seen[3]!.imagesPerSecond).toBeCloseTo((8 + 32) / 0.4, 6);
    expect(seen.every((p) => p.epochs === 2 && p.batches === 10 && p.stage === 'training')).toBe(true);
  });
});

describe('the watcher on a stopped run', () => {
  it('ends its clock at the last sign of life and shows its running trials as interrupted', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hwnas-stopped-')), 'runs.db');
    const store = SqliteStore.open(path);
    const runId = store.createRun({ name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 0, config: { space: 'mlp', profile: 'raspberry-pi-4', workers: 1 } });
    const [id] = store.queueTrials(runId, [{ number: 0, genotype: { depth: 1 }, genotypeHash: 'h', seed: 1, fidelity: { epochs: 2 }, rung: 0 }], {});
    store.startTrial(id!, 1);
    const created = store.run(runId)!.createdAt;
    // The trial reported progress 6 s in; the owner's one heartbeat came at the start; then it was killed (kill -9).
    store.trialProgress(id!, { stage: 'training', epoch: 1, epochs: 2, batch: 10, batches: 40, loss: 0.7, imagesPerSecond: 1500, at: created + 6 } as never);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const db = new Database(path);
    db.prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, heartbeat_at = ?, active_seconds = 0.05').run(gone, hostname(), created + 0.05);
    db.close();
    const snapshot = new RunWatcher(store, runId, 'raspberry-pi-4').refresh(created + 300);
    expect(snapshot.stopped).toBe(true);
    expect(snapshot.elapsedSeconds).toBeCloseTo(6, 6);
    expect(snapshot.running).toEqual([]);
    expect(snapshot.counts.byStatus).toMatchObject({ running: 0, interrupted: 1 });
    // Resumed a day later: the clock counts the 6 s searched before and the 5 s since, not the day in between.
    const resumedAt = created + 86_400;
    const later = new Database(path);
    later.prepare("UPDATE runs SET owner_pid = ?, heartbeat_at = ?, active_seconds = 6, status = 'running'").run(process.pid, resumedAt);
    later.close();
    expect(new RunWatcher(store, runId, 'raspberry-pi-4').refresh(resumedAt + 5).elapsedSeconds).toBeCloseTo(11, 6);
    store.close();
  });
});

describe('a database file that goes away under the dashboard', () => {
  it('ends the refresh with one line when the file is deleted or replaced, and not before', () => {
    for (const change of ['deleted', 'replaced'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'hwnas-gone-'));
      const path = join(dir, 'runs.db');
      const writer = SqliteStore.open(path);
      const runId = writer.createRun({ name: 'r', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 0, config: { profile: 'proxy' } });
      writer.close();
      const store = SqliteStore.open(path, { readonly: true });
      const watcher = new RunWatcher(store, runId, 'proxy');
      expect(refreshWatched(store, watcher).counts.total).toBe(0);
      if (change === 'deleted') rmSync(path);
      else { copyFileSync(path, join(dir, 'copy.db')); renameSync(join(dir, 'copy.db'), path); }
      expect(store.stillAtPath()).toBe(false);
      expect(() => refreshWatched(store, watcher)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was deleted or replaced while the dashboard watched it$`));
      store.close();
    }
  });
});

describe('the watcher\'s Pareto front in a halving run', () => {
  it('drops a rung\'s result once a later rung trains its genotype further, and lets back what that result dominated', () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-rungs-')), 'runs.db'));
    const runId = store.createRun({ name: 'h', space: 'mlp', dataset: 'mnist', strategy: 'halving', seed: 0, config: { space: 'mlp', profile: 'proxy', workers: 1, budgets: {}, fidelity: { epochs: 2, trainFraction: 1 } } });
    const finish = (number: number, hash: string, rung: number, accuracy: number, sizeBytes: number) => {
      const [id] = store.queueTrials(runId, [{ number, genotype: { depth: 1 }, genotypeHash: hash, seed: number, fidelity: { epochs: rung === 0 ? 0.5 : 2, trainFraction: 1 }, rung }], {});
      store.startTrial(id!, 1);
      store.finishTrial(id!, { status: 'complete', accuracy, valAccuracy: accuracy, sizeBytes, costs: [{ profile: 'proxy', latencyMs: 1, energyMj: 1, peakMemoryBytes: 1, feasible: true }], epochs: [] }, {});
    };
    const watcher = new RunWatcher(store, runId, 'proxy');
    const front = () => watcher.refresh().derived!.front('size').map((p) => p.id);
    // Trial 3 is dominated by trial 0 (bigger, less accurate) until trial 0's genotype is trained further as trial 2.
    finish(0, 'a', 0, 0.70, 1000); finish(1, 'b', 0, 0.60, 500); finish(3, 'c', 0, 0.65, 1050);
    expect(front()).toEqual([1, 0]);
    finish(2, 'a', 2, 0.90, 1100);
    expect(front()).toEqual([1, 3, 2]);
    // Off the plot too: drawn, it sat above the front it is no longer part of.
    expect(watcher.refresh().derived!.points('size').map((p) => p.id).sort()).toEqual([1, 2, 3]);
    // A rung's result read after its genotype's later one (rows can arrive in any order) never enters.
    finish(5, 'd', 2, 0.95, 2000); finish(4, 'd', 0, 0.97, 1900);
    expect(front()).toEqual([1, 3, 2, 5]);
    expect(watcher.refresh().derived!.points('latency').map((p) => p.id).sort()).toEqual([1, 2, 3, 5]);
    store.close();
  });

  it('keeps the front the plot\'s own front through random promotions', () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-rungs-')), 'runs.db'));
    const runId = store.createRun({ name: 'h', space: 'mlp', dataset: 'mnist', strategy: 'halving', seed: 0, config: { space: 'mlp', profile: 'proxy', workers: 1, budgets: {}, fidelity: { epochs: 2, trainFraction: 1 } } });
    const watcher = new RunWatcher(store, runId, 'proxy');
    const rng = new Rng(3);
    let number = 0;
    for (let round = 0; round < 25; round++) {
      // A few trials per refresh: new genotypes at rung 0, and promotions of earlier ones (in any order).
      for (let k = 0; k < 4; k++) {
        const hash = `g${rng.int(12)}`, rung = rng.int(3);
        const [id] = store.queueTrials(runId, [{ number: number++, genotype: { depth: 1 }, genotypeHash: hash, seed: number, fidelity: { epochs: 2, trainFraction: 1 }, rung }], {});
        store.startTrial(id!, 1);
        store.finishTrial(id!, { status: 'complete', accuracy: rng.next(), valAccuracy: 0.5, sizeBytes: 100 + rng.int(900), costs: [{ profile: 'proxy', latencyMs: 1 + rng.next(), energyMj: 1, peakMemoryBytes: 1, feasible: true }], epochs: [] }, {});
      }
      const derived = watcher.refresh().derived!;
      for (const axis of ['latency', 'size'] as const) expect(derived.front(axis)).toEqual(frontOf(derived.points(axis)));
      // The plot holds each genotype's last-rung trials only, as hwnas pareto lists them.
      const superseded = supersededByLaterRung(store.trials(runId, { status: 'complete' }));
      const numbers = new Set(store.trials(runId, { status: 'complete' }).filter((t) => !superseded.has(t.id)).map((t) => t.number));
      expect(new Set(derived.points('size').map((p) => p.id))).toEqual(numbers);
    }
    store.close();
  });
});
