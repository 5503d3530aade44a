/** The read-only queries behind `hwnas show` and `hwnas pareto`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite.js';
import type { NewTrial, TrialOutcome } from '../../store/types.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'hwnas-queries-')), 'runs.db');
const newRun = (name: string) => ({ name, space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: {} });
const trial = (number: number, outcome: TrialOutcome): NewTrial & { outcome: TrialOutcome } =>
  ({ number, genotype: { depth: number }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: 1 }, rung: 0, outcome });
const complete = (accuracy: number, profiles: string[]): TrialOutcome =>
  ({ status: 'complete', accuracy, sizeBytes: 100, costs: profiles.map((profile) => ({ profile, latencyMs: accuracy, energyMj: 1, peakMemoryBytes: 64, feasible: true })) });

describe('trial lookups by number', () => {
  it('finds a trial by its number within its run only, and gives the run\'s number range', () => {
    const store = SqliteStore.open(dbPath());
    const a = store.createRun(newRun('a')), b = store.createRun(newRun('b'));
    store.insertFinishedTrials(a, [trial(0, complete(0.5, ['pi'])), trial(3, complete(0.6, ['pi']))], null);
    store.insertFinishedTrials(b, [trial(7, complete(0.7, ['pi']))], null);
    expect(store.trialByNumber(a, 3)).toMatchObject({ number: 3, accuracy: 0.6, runId: a });
    expect(store.trialByNumber(a, 7)).toBeNull();
    // Numbers can have gaps (a resumed or rejected-heavy run): the range is min..max, not 0..count-1.
    expect(store.trialNumberRange(a)).toEqual({ first: 0, last: 3 });
    expect(store.trialNumberRange(b)).toEqual({ first: 7, last: 7 });
    expect(store.trialNumberRange(store.createRun(newRun('empty')))).toBeNull();
    store.close();
  });
});

describe('complete trials with costs', () => {
  it('returns only complete trials with an accuracy, with the costs of the asked profile or nulls', () => {
    const store = SqliteStore.open(dbPath());
    const runId = store.createRun(newRun('a'));
    store.insertFinishedTrials(runId, [
      trial(0, complete(0.5, ['pi', 'proxy'])),
      trial(1, complete(0.6, ['proxy'])),
      trial(2, { status: 'failed', error: 'boom', accuracy: 0.99, costs: [{ profile: 'pi', latencyMs: 0.001, feasible: true }] }),
      trial(3, { status: 'pruned', accuracy: 0.4 }),
    ], null);
    store.queueTrials(runId, [{ number: 4, genotype: {}, genotypeHash: 'h4', seed: 4, fidelity: {}, rung: 0 }], {});
    const rows = store.completeWithCosts(runId, 'pi');
    expect(rows.map((r) => [r.number, r.latencyMs, r.energyMj, r.peakMemoryBytes])).toEqual([[0, 0.5, 1, 64], [1, null, null, null]]);
    expect(store.profiles(runId)).toEqual(['pi', 'proxy']);
    store.close();
  });

  it('lists a run\'s profiles from its own trials only', () => {
    const store = SqliteStore.open(dbPath());
    const a = store.createRun(newRun('a')), b = store.createRun(newRun('b'));
    store.insertFinishedTrials(a, [trial(0, complete(0.5, ['pi']))], null);
    store.insertFinishedTrials(b, [trial(0, complete(0.5, ['stm32']))], null);
    expect(store.profiles(a)).toEqual(['pi']);
    expect(store.profiles(store.createRun(newRun('c')))).toEqual([]);
    store.close();
  });
});
