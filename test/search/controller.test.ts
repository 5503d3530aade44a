/** The search controller with a stand-in for the worker pool: what it stores and reports about budgets. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/json.js';
import type { EvalRequest, EvalResult } from '../../evaluators/protocol.js';
import { shapeOnlyDataset } from '../../evaluators/tabular/shape-dataset.js';
import { costModelFor } from '../../hardware-profiles/registry.js';
import { FAILURES_IN_A_ROW, runSearch, type SearchEvent } from '../../search/controller.js';
import type { RunConfig } from '../../search/run-config.js';
import { costSpecOf } from '../../spaces/builtin.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import { SqliteStore } from '../../store/sqlite.js';

const space = getBuiltinSpace('mlp');
const dataset = shapeOnlyDataset('mnist');
const proxy = costModelFor('proxy');

function config(budgets: RunConfig['budgets']): RunConfig {
  return {
    name: 'r', space: 'mlp', spaceName: 'mlp', dataset: { name: 'mnist' }, strategy: 'random', seed: 3, fidelity: { epochs: 1, trainFraction: 1 },
    training: { batchSize: 64, learningRate: 0.001, optimizer: 'adam', schedule: 'constant' }, trials: 6, seconds: null, workers: 2,
    profile: 'proxy', budgets, trialTimeoutSeconds: null,
  };
}

/** A trained model stored at `factor` times its predicted size (compression that came out worse than predicted). */
const trainedAt = (factor: number) => async (request: EvalRequest): Promise<EvalResult> => {
  const predicted = proxy.estimate(costSpecOf(space, request.trial.genotype, dataset)).storedBytes;
  return {
    state: 'complete', epochs: [], layers: [], artifact: '',
    metrics: { accuracy: 0.5 + request.trial.number / 100, valAccuracy: 0.5, baselineAccuracy: 0.6, fp32Bytes: 4 * predicted, nonzeros: 1, effectiveMacs: 1, stages: [], bestEpoch: 1,
      params: 1, macs: 1, sizeBytes: Math.round(predicted * factor), trainSeconds: 1, imagesPerSecond: 1, backend: 'fake' },
  };
};

function search(c: RunConfig, runTrial: (r: EvalRequest) => Promise<EvalResult>) {
  const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
  const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
  const events: SearchEvent[] = [];
  return { store, runId, events, done: runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial, onEvent: (e) => events.push(e) }) };
}

describe('search controller budgets', () => {
  it('marks a trained model that breaks the size budget its prediction met as not fitting, and says so', async () => {
    // The same seed proposes the same six models: the first run finds their predicted sizes.
    const first = search(config({}), trainedAt(1));
    await first.done;
    const limit = Math.max(...first.store.trials(first.runId).map((t) => t.sizeBytes!));
    first.store.close();
    expect(first.events.some((e) => e.kind === 'trial' && e.overBudget !== undefined)).toBe(false);
    // Every prediction meets the limit, and trained models come out 1.5x their prediction.
    const { store, runId, events, done } = search(config({ maxSizeBytes: limit }), trainedAt(1.5));
    await done;
    const trials = store.trials(runId);
    expect(trials.map((t) => t.status)).toEqual(Array(6).fill('complete'));
    const over = trials.filter((t) => t.sizeBytes! > limit).map((t) => t.number);
    expect(over.length).toBeGreaterThan(0);
    for (const t of trials) expect(store.costs(t.id)[0]!.feasible, `trial ${t.number}`).toBe(t.sizeBytes! <= limit);
    const flagged = events.flatMap((e) => (e.kind === 'trial' && e.overBudget !== undefined ? [e.number] : []));
    expect(flagged.sort()).toEqual(over.sort());
    const best = store.best({ runId, profile: 'proxy', maxSizeBytes: limit });
    expect(best === null || best.sizeBytes! <= limit).toBe(true);
    store.close();
  });

  it('reports the smallest predicted cost when no proposal meets a budget', async () => {
    const { store, events, done } = search(config({ maxLatencyMs: 1e-9 }), trainedAt(1));
    expect(await done).toBe('complete');
    store.close();
    const finished = events.find((e) => e.kind === 'finished') as Extract<SearchEvent, { kind: 'finished' }>;
    expect(finished.rejected).toBe(2000);
    expect(finished.closest?.maxLatencyMs).toBeGreaterThan(1e-9);
    expect(Object.keys(finished.closest!)).toEqual(['maxLatencyMs']);
  });

  it('reports the smallest predicted cost over the whole run when it was stopped and resumed', async () => {
    const budgets = { maxLatencyMs: 1e-9, maxSizeBytes: 1 };
    const finishedOf = (events: SearchEvent[]) => events.filter((e) => e.kind === 'finished').pop() as Extract<SearchEvent, { kind: 'finished' }>;
    const whole = search(config(budgets), trainedAt(1));
    await whole.done;
    const expected = finishedOf(whole.events).closest!;
    expect(Object.keys(expected).sort()).toEqual(['maxLatencyMs', 'maxSizeBytes']);
    // Stop just after the last proposal with the smallest latency or size: the resumed part never sees either again.
    const rejected = whole.store.trials(whole.runId, { status: 'rejected' });
    const lastWith = (smallest: (t: typeof rejected[number]) => boolean) => rejected.filter(smallest).pop()!.number;
    const stopAt = Math.max(lastWith((t) => whole.store.costs(t.id)[0]!.latencyMs === expected.maxLatencyMs),
      lastWith((t) => (t.metrics as { predictedSizeBytes: number }).predictedSizeBytes === expected.maxSizeBytes));
    expect(stopAt).toBeLessThan(1900);
    whole.store.close();
    const stop = new AbortController();
    const c = config(budgets);
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    const onEvent = (e: SearchEvent) => { if (e.kind === 'rejected' && e.number === stopAt) stop.abort(); };
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: trainedAt(1), onEvent, stop: stop.signal })).toBe('interrupted');
    const events: SearchEvent[] = [];
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: trainedAt(1), onEvent: (e) => events.push(e) })).toBe('complete');
    expect(store.counts(runId).byStatus.rejected).toBe(2000);
    expect(finishedOf(events).closest).toEqual(expected);
    store.close();
  });

  it('reports no closest cost for a run without budgets', async () => {
    const { store, events, done } = search(config({}), trainedAt(1));
    await done;
    store.close();
    expect('closest' in events.find((e) => e.kind === 'finished')!).toBe(false);
  });
});

describe('search controller stopping and resuming', () => {
  it('aborts running trials at once on stop, records them interrupted, and resumes them first', async () => {
    const stop = new AbortController();
    let started = 0;
    // Trials that never finish unless aborted, as a long training would not.
    const endless = (_request: EvalRequest, signal: AbortSignal): Promise<EvalResult> => new Promise((_resolve, reject) => {
      started++;
      if (started === 2) setTimeout(() => stop.abort(), 10);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    const c = config({});
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: endless, stop: stop.signal })).toBe('interrupted');
    expect(store.counts(runId).byStatus).toMatchObject({ interrupted: 2, running: 0, complete: 0 });
    expect(store.run(runId)!.status).toBe('interrupted');
    const seen: number[] = [];
    const resumed = await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: async (r) => { seen.push(r.trial.number); return trainedAt(1)(r); } });
    expect(resumed).toBe('complete');
    expect(seen.slice(0, 2)).toEqual([0, 1]);
    expect(store.counts(runId).byStatus).toMatchObject({ complete: 6, interrupted: 0 });
    store.close();
  });

  it('stops, resumable, when trial after trial fails, and counts a streak only while nothing completes', async () => {
    const failed = async (): Promise<EvalResult> => ({ state: 'failed', kind: 'crashed', reason: "backend 'tensorflow' could not load", epochs: [] });
    const c = { ...config({}), trials: 40 };
    const { store, runId, events, done } = search(c, failed);
    expect(await done).toBe('interrupted');
    const counts = store.counts(runId).byStatus;
    // Two workers: the tenth failure stops it; the other trial in flight is recorded if it ended first, else left to --resume.
    expect(counts.failed).toBeGreaterThanOrEqual(FAILURES_IN_A_ROW);
    expect(counts.failed).toBeLessThanOrEqual(FAILURES_IN_A_ROW + 1);
    expect(counts.complete).toBe(0);
    expect(store.run(runId)!.status).toBe('interrupted');
    const finished = events.find((e) => e.kind === 'finished') as Extract<SearchEvent, { kind: 'finished' }>;
    expect(finished.failing).toEqual({ inARow: FAILURES_IN_A_ROW, reason: "backend 'tensorflow' could not load" });
    expect(finished).toMatchObject({ status: 'interrupted', complete: 0, failed: counts.failed, trained: counts.failed, interrupted: counts.interrupted });
    store.close();

    // Failures with completions between them (a model that diverges now and then) never stop a run.
    const sometimes = (request: EvalRequest) => (request.trial.number % 3 === 0 ? trainedAt(1)(request) : failed());
    const mixed = search({ ...c, trials: 30, workers: 1 }, sometimes);
    expect(await mixed.done).toBe('complete');
    expect(mixed.store.counts(mixed.runId).byStatus).toMatchObject({ complete: 10, failed: 20 });
    mixed.store.close();
  });

  it('a store error ends the run without writing off the trials still training as crashed', async () => {
    const c = config({});
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    // Recording the first trial to finish fails, as on a full disk; the other is still training.
    let full = true;
    const failing = new Proxy(store, { get: (target, key) => {
      if (key === 'finishTrial' && full) return () => { full = false; throw new Error('database or disk is full'); };
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    } });
    let terminate: (error: Error) => void = () => {};
    const runTrial = (request: EvalRequest, signal: AbortSignal): Promise<EvalResult> => (request.trial.number === 0 ? trainedAt(1)(request)
      : new Promise((_resolve, reject) => { terminate = reject; signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }); }));
    await expect(runSearch(c, runId, { store: failing, space, dataset, costModel: proxy, runTrial })).rejects.toThrow(/disk is full/);
    // The CLI then destroys the pool, which fails the tasks still running.
    terminate(new Error('Terminating worker thread'));
    await new Promise((r) => setTimeout(r, 20));
    expect(store.trials(runId).map((t) => [t.number, t.status])).toEqual([[0, 'running'], [1, 'running']]);
    store.close();
  });

  it('times a trial from its first progress report: a slow worker start does not count against --trial-timeout', async () => {
    const c = { ...config({}), trials: 2, workers: 1, trialTimeoutSeconds: 0.3 };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const report = { stage: 'training', epoch: 1, epochs: 1, batch: 1, batches: 10, loss: 1, imagesPerSecond: 1, at: 0 };
    // Trial 0 starts slowly (a fresh worker loading tfjs), then trains briefly; trial 1 starts at once and trains for ever.
    const runTrial = async (request: EvalRequest, signal: AbortSignal, onProgress?: (p: never) => void): Promise<EvalResult> => {
      // As the pool does: an abort ends the task at once.
      const aborted = new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      if (request.trial.number !== 0) { onProgress?.(report as never); return aborted; }
      return Promise.race([aborted, (async () => { await sleep(500); onProgress?.(report as never); await sleep(100); return trainedAt(1)(request); })()]);
    };
    const { store, runId, done } = search(c, runTrial);
    await done;
    expect(store.trials(runId).map((t) => [t.number, t.status, t.error])).toEqual([[0, 'complete', null], [1, 'failed', 'timeout: timed out after 0.3 s of training']]);
    store.close();
  });

  it('counts the seconds searched before a resume against --time', async () => {
    const c = { ...config({}), trials: null, seconds: 30 };
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    // The run searched 31 s before it was stopped: its time is up, so a resume dispatches nothing.
    store.finishRun(runId, 'interrupted', null, 'stopped', 31);
    let dispatched = 0;
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: async (r) => { dispatched++; return trainedAt(1)(r); } })).toBe('complete');
    expect(dispatched).toBe(0);
    expect(store.run(runId)!.activeSeconds).toBeGreaterThanOrEqual(31);
    store.close();
  });

  it('finishes the trials a stop interrupted even when the time was up by the resume: they were dispatched within it', async () => {
    const c = { ...config({}), trials: null, seconds: 30 };
    const stop = new AbortController();
    const endless = (_request: EvalRequest, signal: AbortSignal): Promise<EvalResult> => new Promise((_resolve, reject) => {
      setTimeout(() => stop.abort(), 10);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: endless, stop: stop.signal })).toBe('interrupted');
    expect(store.counts(runId).byStatus.interrupted).toBe(2);
    // As if the stop came after the 30 s: the two trials in flight are all the run has left to do.
    store.finishRun(runId, 'interrupted', store.run(runId)!.strategyState, 'stopped', 31);
    const seen: number[] = [];
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: async (r) => { seen.push(r.trial.number); return trainedAt(1)(r); } })).toBe('complete');
    expect(seen).toEqual([0, 1]);
    expect(store.counts(runId).byStatus).toMatchObject({ complete: 2, interrupted: 0 });
    store.close();
  });

  it('continues a streak of rejections across a resume, so it stops where an uninterrupted run does', async () => {
    const c = config({ maxLatencyMs: 1e-9 });
    const stop = new AbortController();
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'hwnas-controller-')), 'runs.db'));
    const runId = store.createRun({ name: c.name, space: c.spaceName, dataset: c.dataset.name, strategy: c.strategy, seed: c.seed, config: c as unknown as Json });
    // Stopped part-way through the streak (the proposal loop yields to the stop between proposals).
    let rejected = 0;
    const onEvent = (e: SearchEvent) => { if (e.kind === 'rejected' && ++rejected === 700) stop.abort(); };
    await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: trainedAt(1), stop: stop.signal, onEvent });
    const before = store.counts(runId).byStatus.rejected;
    expect(before).toBeGreaterThanOrEqual(700);
    expect(before).toBeLessThan(2000);
    expect(store.trailingRejections(runId)).toBe(before);
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: trainedAt(1) })).toBe('complete');
    expect(store.counts(runId).byStatus.rejected).toBe(2000);
    // A run that ended its streak adds nothing on a further resume.
    expect(await runSearch(c, runId, { store, space, dataset, costModel: proxy, runTrial: trainedAt(1) })).toBe('complete');
    expect(store.counts(runId).byStatus.rejected).toBe(2000);
    store.close();
  });
});
