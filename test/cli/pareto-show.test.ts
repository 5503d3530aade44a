/** `hwnas pareto` and `hwnas show` on a hand-built store, through the built CLI. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite.js';
import type { TrialOutcome } from '../../store/types.js';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

const db = join(mkdtempSync(join(tmpdir(), 'hwnas-pareto-')), 'runs.db');

function outcome(accuracy: number, latencyMs: number, sizeBytes: number): TrialOutcome {
  return {
    status: 'complete', accuracy, valAccuracy: accuracy - 0.01, sizeBytes, params: sizeBytes / 4, macs: latencyMs * 1e6,
    costs: [{ profile: 'proxy', latencyMs, energyMj: latencyMs / 1000, peakMemoryBytes: 4096, feasible: true }],
    epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: accuracy - 0.01, learningRate: 0.002, seconds: 1.5, imagesPerSecond: 4000 }],
    metrics: { layers: [{ name: 'dense0', kind: 'dense', weightShape: [784, 10], outputShape: [1, 1, 10], macs: 7840, effectiveMacs: 784, params: 7850, nonzeros: 794, bits: 4, bytes: 700 }],
      stages: [{ stage: 'prune', detail: '90% magnitude sparsity (erk), polynomial schedule', accuracy, valAccuracy: accuracy, params: 7850, nonzeros: 794, macs: 7840, effectiveMacs: 784, storedBytes: 700, seconds: 1 }] },
  };
}

beforeAll(() => {
  assertCliBuilt();
  const store = SqliteStore.open(db);
  const runId = store.createRun({ name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'nsga2', seed: 1, config: {} });
  const trial = (number: number, o: TrialOutcome) => ({ number, genotype: { depth: number }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: 1, trainFraction: 1 }, rung: 0, outcome: o });
  store.insertFinishedTrials(runId, [
    trial(0, outcome(0.90, 1.0, 40_000)), // front
    trial(1, outcome(0.85, 0.5, 20_000)), // front
    trial(2, outcome(0.80, 0.8, 30_000)), // dominated by 1
    trial(3, outcome(0.95, 2.0, 80_000)), // front
    trial(4, { status: 'failed', error: 'diverged: training loss became NaN at epoch 1, batch 3' }),
  ], null);
  store.close();
});

describe('hwnas pareto', () => {
  it('lists the non-dominated complete trials, cheapest first', async () => {
    const r = await hwnas(['pareto', '--db', db]);
    expect(r.code).toBe(0);
    const trials = r.stdout.trim().split('\n').slice(1, -1).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(trials).toEqual([1, 0, 3]);
    expect(r.stdout).toMatch(/3 of 4 complete trials are Pareto-optimal for accuracy vs latency, size \(proxy\)/);
  });
  it('prints JSON and honours --objectives', async () => {
    const r = await hwnas(['pareto', '--db', db, '--objectives', 'size', '--json']);
    const front = JSON.parse(r.stdout) as Array<{ trial: number; sizeBytes: number; accuracy: number }>;
    expect(front.map((t) => t.trial)).toEqual([1, 0, 3]);
    expect(front[0]).toMatchObject({ sizeBytes: 20_000, accuracy: 0.85 });
  });
  it.each([
    [['--objectives', 'speed'], /unknown objective 'speed'/],
    [['--profile', 'raspberry-pi-4'], /has no costs for profile 'raspberry-pi-4'[\s\S]*its profiles: proxy/],
    [['--run', 'day'], /no run named 'day'/],
  ])('rejects %j with a one-line error', async (args, message) => {
    const r = await hwnas(['pareto', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('hwnas show', () => {
  it('prints the genotype, costs, stages, layers and curve of a trial', async () => {
    const r = await hwnas(['show', '1', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run 'night', trial 1: complete/);
    expect(r.stdout).toMatch(/test 85.00% \(validation 84.00%/);
    expect(r.stdout).toMatch(/^ {2}depth +1$/m);
    expect(r.stdout).toMatch(/^proxy +0.500 ms/m);
    expect(r.stdout).toMatch(/^prune +85.00%.*90% magnitude sparsity/m);
    expect(r.stdout).toMatch(/^dense0 +dense +784x10 +1x1x10 +7,840 +784 +7,850 +794 +4 +700$/m);
    expect(r.stdout).toMatch(/^ +1 +0.5000 +80.00% +0.4000 +84.00% +0.00200 +1.5$/m);
  });
  it('shows a failed trial with its reason, and everything as JSON', async () => {
    expect((await hwnas(['show', '4', '--db', db])).stdout).toMatch(/trial 4: failed \(diverged: training loss became NaN/);
    const json = JSON.parse((await hwnas(['show', '0', '--db', db, '--json'])).stdout) as { number: number; costs: unknown[]; epochs: unknown[]; genotype: object };
    expect(json).toMatchObject({ number: 0, genotype: { depth: 0 } });
    expect(json.costs).toHaveLength(1);
    expect(json.epochs).toHaveLength(1);
  });
  it.each([
    [['9'], /run 'night' has no trial 9[\s\S]*numbered 0 to 4/],
    [['x'], /trial must be a trial number/],
    [[], /show needs one trial number/],
  ])('rejects %j with a one-line error', async (args, message) => {
    const r = await hwnas(['show', ...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
  it('says when the database does not exist', async () => {
    const r = await hwnas(['show', '1', '--db', join(tmpdir(), 'no-such-hwnas.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no database at/);
  });
});
