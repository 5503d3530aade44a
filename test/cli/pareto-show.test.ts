/** `hwnas pareto` and `hwnas show` through the built CLI: on a hand-built store, and once on a search as it writes. */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite.js';
import type { TrialOutcome } from '../../store/types.js';
import { assertCliBuilt, cliMain, hwnas } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hwnas-pareto-'));
const db = join(dir, 'runs.db');
const missingDb = join(dir, 'no-such.db');

/** A complete trial costed on 'pi' (the run's first profile) and 'proxy', whose latencies order trials differently. */
function outcome(accuracy: number, piMs: number, proxyMs: number, sizeBytes: number): TrialOutcome {
  return {
    status: 'complete', accuracy, valAccuracy: accuracy - 0.01, sizeBytes, params: sizeBytes / 4, macs: piMs * 1e6,
    costs: [
      { profile: 'pi', latencyMs: piMs, energyMj: piMs / 1000, peakMemoryBytes: 4096, feasible: true },
      { profile: 'proxy', latencyMs: proxyMs, energyMj: proxyMs / 1000, peakMemoryBytes: 4096, feasible: piMs < 1.5 },
    ],
    epochs: [
      { epoch: 1, trainLoss: 0.9, trainAccuracy: 0.7, valLoss: 0.6, valAccuracy: accuracy - 0.05, learningRate: 0.002, seconds: 1.5, imagesPerSecond: 4000 },
      { epoch: 2, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: accuracy - 0.01, learningRate: 0.001, seconds: 1.25, imagesPerSecond: 4100 },
    ],
    metrics: {
      baselineAccuracy: accuracy + 0.02, trainSeconds: 2.75, imagesPerSecond: 4050, backend: 'wasm',
      layers: [
        { name: 'dense0', kind: 'dense', weightShape: [784, 10], outputShape: [1, 1, 10], macs: 7840, effectiveMacs: 784, params: 7850, nonzeros: 794, bits: 4, bytes: 700 },
        { name: 'logits', kind: 'dense', weightShape: [10, 10], outputShape: [1, 1, 10], macs: 100, effectiveMacs: 100, params: 110, nonzeros: 110, bits: 8, bytes: 120 },
      ],
      stages: [{ stage: 'prune', detail: '90% magnitude sparsity (erk), polynomial schedule', accuracy, valAccuracy: accuracy, params: 7960, nonzeros: 904, macs: 7940, effectiveMacs: 884, storedBytes: 820, seconds: 1 }],
    },
  };
}

beforeAll(() => {
  assertCliBuilt();
  const store = SqliteStore.open(db);
  // An empty run first, so the latest run (the default) is 'night'.
  store.createRun({ name: 'empty', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 0, config: {} });
  const runId = store.createRun({ name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'nsga2', seed: 1, config: { profile: 'pi', extraProfiles: ['proxy'] } });
  const trial = (number: number, o: TrialOutcome) => ({ number, genotype: { depth: 2, 'quant.bits': 4 + number, activation: 'relu' }, genotypeHash: `h${number}`,
    seed: 100 + number, fidelity: { epochs: 2, trainFraction: 0.5 }, rung: 0, outcome: o });
  store.insertFinishedTrials(runId, [
    trial(0, outcome(0.90, 1.0, 1.0, 40_000)), // front
    trial(1, outcome(0.85, 0.5, 3.0, 20_000)), // front
    trial(2, outcome(0.80, 0.8, 0.1, 30_000)), // dominated by 1 on pi; the fastest on proxy
    trial(3, outcome(0.95, 2.0, 2.0, 80_000)), // front
    // Would dominate everything if a failed trial counted.
    trial(4, { status: 'failed', error: 'diverged: training loss became NaN at epoch 1, batch 3', accuracy: 0.99, sizeBytes: 10,
      costs: [{ profile: 'pi', latencyMs: 0.001, energyMj: 0, peakMemoryBytes: 1, feasible: true }] }),
    // Complete but never costed (e.g. written by an older hwnas): the smallest, but without a latency.
    trial(6, { status: 'complete', accuracy: 0.5, valAccuracy: 0.5, sizeBytes: 1_000, params: 250, macs: 1000 }),
  ], null);
  const [running] = store.queueTrials(runId, [{ number: 5, genotype: { depth: 1 }, genotypeHash: 'h5', seed: 105, fidelity: { epochs: 2, trainFraction: 0.5 }, rung: 0 }], {});
  store.startTrial(running!, 2);
  store.close();
});

/** The first column of each table row (between the header and the count line). */
const trialColumn = (stdout: string) => stdout.trim().split('\n').slice(1, -1).map((l) => Number(l.trim().split(/\s+/)[0]));

describe('hwnas pareto', () => {
  it('lists the non-dominated complete trials on the run\'s first profile, cheapest first', async () => {
    const r = await hwnas(['pareto', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^trial +test acc +val acc +latency +energy +stored +params +MMAC$/);
    expect(trialColumn(r.stdout)).toEqual([1, 0, 3]);
    expect(r.stdout).toMatch(/^ +1 +85\.00% +84\.00% +0\.500 ms +0\.000500 mJ +19\.5 KiB +5,000 +0\.500$/m);
    expect(r.stdout).toMatch(/^3 of 5 complete trials are Pareto-optimal for accuracy vs latency, size \(pi\); 1 without these costs left out$/m);
  });

  it('uses another profile\'s costs with --profile', async () => {
    const r = await hwnas(['pareto', '--db', db, '--profile', 'proxy']);
    expect(r.code).toBe(0);
    expect(trialColumn(r.stdout)).toEqual([2, 0, 3, 1]);
    expect(r.stdout).toMatch(/4 of 5 complete trials .* \(proxy\)/);
  });

  it('prints one JSON array and honours --objectives, accuracy included or not', async () => {
    for (const objectives of ['size', 'accuracy,size']) {
      const r = await hwnas(['pareto', '--db', db, '--objectives', objectives, '--json']);
      expect(r.code).toBe(0);
      const front = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      expect(front.map((t) => t['trial'])).toEqual([6, 1, 0, 3]);
      expect(Object.keys(front[1]!).sort()).toEqual(['accuracy', 'energyMj', 'fullFidelity', 'genotype', 'latencyMs', 'macs', 'params', 'peakMemoryBytes', 'profile', 'sizeBytes', 'trial', 'valAccuracy', 'withinRunBudgets']);
      expect(front[1]).toMatchObject({ trial: 1, accuracy: 0.85, sizeBytes: 20_000, latencyMs: 0.5, profile: 'pi', genotype: { depth: 2 } });
    }
  });

  it('says so and exits 1 for a run without complete trials', async () => {
    const r = await hwnas(['pareto', '--db', db, '--run', 'empty']);
    expect(r).toMatchObject({ code: 1, stdout: "run 'empty' has no complete trials yet\n" });
    expect(await hwnas(['pareto', '--db', db, '--run', 'empty', '--json'])).toMatchObject({ code: 1, stdout: '[]\n' });
    // best says the same; "fits these budgets" only when budgets were asked for.
    expect(await hwnas(['best', '--db', db, '--run', 'empty'])).toMatchObject({ code: 1, stdout: "run 'empty' has no complete trials\n" });
    expect(await hwnas(['best', '--db', db, '--run', 'empty', '--max-size', '1MB'])).toMatchObject({ code: 1, stdout: "no complete trial of run 'empty' fits these budgets\n" });
  });

  it('show of a proposal rejected before training gives no run time and says what its fidelity would have been', async () => {
    const rejectedDb = join(dir, 'rejected.db');
    const store = SqliteStore.open(rejectedDb);
    const runId = store.createRun({ name: 'tight', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: { profile: 'pi', budgets: { maxLatencyMs: 0.001 } } });
    store.insertFinishedTrials(runId, [{ number: 0, genotype: { depth: 1 }, genotypeHash: 'r0', seed: 5, fidelity: { epochs: 2, trainFraction: 1 }, rung: 0,
      outcome: { status: 'rejected', error: 'predicted latency 0.5 ms > budget 0.001 ms', costs: [{ profile: 'pi', latencyMs: 0.5, energyMj: 0.1, peakMemoryBytes: 4096, feasible: false }] } }], null);
    store.close();
    const r = await hwnas(['show', '0', '--db', rejectedDb]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}seed 5, proposed for 2 epochs on 100\.00% of the training set, rung 0/m);
    expect(r.stdout).toMatch(/^ {2}rejected \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, before training$/m);
    expect(r.stdout).not.toMatch(/ran \d/);
  });

  it('best says an energy budget cannot be checked on a profile without energies, rather than that nothing fits', async () => {
    const tableDb = join(dir, 'table.db');
    const store = SqliteStore.open(tableDb);
    const runId = store.createRun({ name: 'table', space: 'nb201', dataset: 'cifar10', strategy: 'random', seed: 1, config: { profile: 'tabular:raspi4' } });
    store.insertFinishedTrials(runId, [{ number: 0, genotype: { depth: 1 }, genotypeHash: 't0', seed: 5, fidelity: {}, rung: 0,
      outcome: { status: 'complete', accuracy: 0.9, valAccuracy: 0.9, sizeBytes: 1000, params: 250, macs: 1000, costs: [{ profile: 'tabular:raspi4', latencyMs: 5, energyMj: null, peakMemoryBytes: null, feasible: true }] } }], null);
    store.close();
    const r = await hwnas(['best', '--db', tableDb, '--max-energy', '100mJ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: profile 'tabular:raspi4' has no energy figures for run 'table': --max-energy cannot be checked$/m);
    expect(JSON.parse((await hwnas(['best', '--db', tableDb, '--max-latency', '10ms', '--json'])).stdout)).toMatchObject({ trial: 0 });
  });

  it('best with no budgets asked answers within the run\'s own budgets, as the search\'s last line does', async () => {
    const budgetDb = join(dir, 'budgets.db');
    const store = SqliteStore.open(budgetDb);
    const runId = store.createRun({ name: 'small', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: { profile: 'pi', budgets: { maxSizeBytes: 30_000 } } });
    // Trial 0 broke the size budget once trained (its prediction met it).
    const over = outcome(0.9, 1.0, 1.0, 40_000);
    over.costs![0]!.feasible = false;
    store.insertFinishedTrials(runId, [0, 1].map((number) => ({ number, genotype: { depth: number }, genotypeHash: `b${number}`, seed: number, fidelity: {}, rung: 0,
      outcome: number === 0 ? over : outcome(0.85, 0.5, 3.0, 20_000) })), null);
    store.close();
    const own = await hwnas(['best', '--db', budgetDb]);
    expect(own.stdout).toMatch(/^run 'small', trial 1: 85\.00% test accuracy/);
    expect(own.stdout).toMatch(/^ {2}within the run's budgets: size <= 30 kB \(give budgets to ask for others\)$/m);
    // Budgets given, or another view asked for with --profile: those, not the run's.
    expect(JSON.parse((await hwnas(['best', '--db', budgetDb, '--max-size', '1MB', '--json'])).stdout)).toMatchObject({ trial: 0 });
    expect(JSON.parse((await hwnas(['best', '--db', budgetDb, '--profile', 'pi', '--json'])).stdout)).toMatchObject({ trial: 0 });
    // Such an answer says that the search ruled it out, and pareto marks it.
    expect((await hwnas(['best', '--db', budgetDb, '--max-latency', '2ms'])).stdout)
      .toMatch(/^ {2}over the run's own budget once trained: size 39\.1 KiB > budget 30 kB \(the search did not count it\)$/m);
    expect((await hwnas(['best', '--db', budgetDb, '--max-latency', '0.8ms'])).stdout).not.toMatch(/over the run's own budget/);
    const front = await hwnas(['pareto', '--db', budgetDb]);
    expect(front.stdout).toMatch(/^ +0! +90\.00%/m);
    expect(front.stdout).toMatch(/^ +1 +85\.00%/m);
    expect(front.stdout).toMatch(/^! over the run's size budget \(30 kB\) once trained: the search did not count it$/m);
    const json = JSON.parse((await hwnas(['pareto', '--db', budgetDb, '--json'])).stdout) as Array<{ trial: number; withinRunBudgets: boolean }>;
    expect(json.map((t) => [t.trial, t.withinRunBudgets])).toEqual([[1, true], [0, false]]);
  });

  it.each([
    [['--objectives', 'accuracy,speed'], /^hwnas: unknown objective 'speed'\n {2}hint: use a comma-separated list of accuracy, latency, energy, size, memory\n$/],
    [['--objectives', 'accuracy'], /needs at least one cost besides accuracy/],
    [['--profile', 'raspberry-pi-4'], /^hwnas: run 'night' has no costs for profile 'raspberry-pi-4'\n {2}hint: its profiles: pi, proxy\n$/],
    [['--run', 'day'], /^hwnas: no run named 'day'/],
  ])('rejects %j with a one-line error and exit 2', async (args, message) => {
    const r = await hwnas(['pareto', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('hwnas show', () => {
  it('prints status, fidelity, timings, results, genotype, costs, stages, layers and the curve', async () => {
    const r = await hwnas(['show', '1', '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe("run 'night', trial 1: complete");
    expect(lines[1]).toBe('  seed 101, 2 epochs on 50.00% of the training set, rung 0, worker -');
    expect(lines[2]).toMatch(/^ {2}queued \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, waited 0\.0 s, ran 0\.0 s, of it training 2\.8 s at 4,050 images\/s on wasm$/);
    expect(lines[3]).toBe('  test 85.00% (validation 84.00%, before compression 87.00%), 19.5 KiB stored, 5,000 parameters, 500,000 MACs');
    expect(r.stdout).toContain('genotype\n  activation = "relu"\n  depth      = 2\n  quant.bits = 5\n');
    expect(r.stdout).toMatch(/^profile +latency +energy +peak memory +fits\npi +0\.500 ms +0\.000500 mJ +4 KiB +yes\nproxy +3\.000 ms +0\.00300 mJ +4 KiB +yes\nfits: within the run's budgets on pi; within the device's memory on the others$/m);
    expect(r.stdout).toMatch(/^prune +85\.00% +- +904 +820 B +90% magnitude sparsity/m);
    expect(r.stdout).toMatch(/^layer +kind +weights +output +MACs +nonzero MACs +params +nonzeros +bits +bytes$/m);
    expect(r.stdout).toMatch(/^dense0 +dense +784x10 +1x1x10 +7,840 +784 +7,850 +794 +4 +700$/m);
    expect(r.stdout).toMatch(/^total +7,940 +884 +7,960 +904 +820$/m);
    expect(r.stdout).toMatch(/^epoch +train loss +train acc +val loss +val acc +lr +seconds\n +1 +0\.9000 +70\.00% +0\.6000 +80\.00% +0\.00200 +1\.5\n +2 +0\.5000 +80\.00% +0\.4000 +84\.00% +0\.00100 +1\.3$/m);
  });

  it('shows a failed trial\'s reason and a running trial without results', async () => {
    const failed = await hwnas(['show', '4', '--db', db]);
    expect(failed.stdout).toMatch(/^run 'night', trial 4: failed\n {2}error: diverged: training loss became NaN at epoch 1, batch 3\n/);
    const running = await hwnas(['show', '5', '--db', db]);
    expect(running.code).toBe(0);
    expect(running.stdout).toMatch(/^run 'night', trial 5: running\n.*worker 2\n {2}queued .* UTC, waited \d+\.\d s\n\ngenotype\n {2}depth = 1\n$/);
  });

  it('prints everything as one JSON object with --json', async () => {
    const r = await hwnas(['show', '0', '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { costs: unknown[]; epochs: unknown[]; metrics: { layers: unknown[] } };
    expect(json).toMatchObject({ run: 'night', number: 0, status: 'complete', error: null, seed: 100, accuracy: 0.9, valAccuracy: 0.89, sizeBytes: 40_000,
      fidelity: { epochs: 2, trainFraction: 0.5 }, genotype: { depth: 2, 'quant.bits': 4 } });
    expect(json.costs).toEqual([
      { profile: 'pi', latencyMs: 1, energyMj: 0.001, peakMemoryBytes: 4096, feasible: true },
      { profile: 'proxy', latencyMs: 1, energyMj: 0.001, peakMemoryBytes: 4096, feasible: true },
    ]);
    expect(json.epochs).toHaveLength(2);
    expect(json.metrics.layers).toHaveLength(2);
    for (const key of ['queuedAt', 'startedAt', 'finishedAt', 'params', 'macs', 'rung', 'worker']) expect(json).toHaveProperty(key);
  });

  it.each([
    [['9'], /^hwnas: run 'night' has no trial 9\n {2}hint: its trials are numbered 0 to 6\n$/],
    [['0', '--run', 'empty'], /^hwnas: run 'empty' has no trial 0\n {2}hint: it has no trials yet\n$/],
    [['x'], /^hwnas: trial must be a trial number \(an integer >= 0\), got 'x'\n$/],
    [['-1'], /^hwnas: '-1' for 'show': negative numbers are not accepted here/],
    [[], /^hwnas: show needs one trial number/],
  ])('rejects %j with a one-line error and exit 2', async (args, message) => {
    const r = await hwnas(['show', ...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('both commands', () => {
  it.each([['show', '1'], ['pareto']])('say in one line that the database does not exist (%s)', async (...args) => {
    const r = await hwnas([...args, '--db', missingDb]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^hwnas: no database at .*no-such\.db\n {2}hint: .*\n$/);
  });

  it.each([['show', '1'], ['pareto'], ['best']])('say in one line that a database damaged past its header is damaged (%s)', async (...args) => {
    // Overwrite the trials table's first page: the file still opens, and the damage shows when a query reads it.
    const damaged = join(dir, `damaged-${args[0]}.db`);
    copyFileSync(db, damaged);
    const reader = new Database(damaged, { readonly: true });
    const page = (reader.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'trials'").get() as { rootpage: number }).rootpage;
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.close();
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const r = await hwnas([...args, '--db', damaged]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: .*damaged-\w+\.db is damaged: database disk image is malformed\n {2}hint: restore it from a copy/);
  });

  it('best takes device budgets on the run\'s first profile unless --profile names another', async () => {
    const trialOf = async (...args: string[]) => (JSON.parse((await hwnas(['best', '--max-latency', '0.9ms', ...args, '--db', db, '--json'])).stdout) as { trial: number }).trial;
    expect(await trialOf()).toBe(1); // pi: 0.5 ms
    expect(await trialOf('--profile', 'proxy')).toBe(2); // proxy: 0.1 ms
  });

  it('best says which profiles a run has when asked for another', async () => {
    const r = await hwnas(['best', '--max-latency', '2ms', '--profile', 'raspberry-pi-4', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hwnas: run 'night' has no costs for profile 'raspberry-pi-4'\n {2}hint: its profiles: pi, proxy\n$/);
  });

  it('read a database while a real search writes it', async () => {
    const live = join(dir, 'live.db');
    const search = spawn(process.execPath, [cliMain, 'search', '--space', 'mlp', '--dataset', 'mnist', '--epochs', '0.15', '--trials', '2', '--workers', '1',
      '--seed', '3', '--db', live], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => search.on('exit', resolve));
    let finished = false;
    void exited.then(() => { finished = true; });
    // Poll until trial 0 is complete; with one worker, trial 1 is then still training.
    let during = await hwnas(['show', '0', '--db', live]);
    while (!finished && !/trial 0: complete/.test(during.stdout)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      during = await hwnas(['show', '0', '--db', live]);
    }
    const frontDuring = await hwnas(['pareto', '--db', live, '--json']);
    const searchWasRunning = !finished;
    expect(await exited).toBe(0);
    expect(searchWasRunning).toBe(true);
    expect(during.stdout).toMatch(/trial 0: complete/);
    expect(frontDuring.code).toBe(0);
    expect((JSON.parse(frontDuring.stdout) as unknown[]).length).toBeGreaterThanOrEqual(1);
    // The real evaluator's metrics fill every section of show.
    const after = await hwnas(['show', '1', '--db', live]);
    expect(after.code).toBe(0);
    for (const heading of [/^genotype$/m, /^profile +latency/m, /^stage +test acc/m, /^layer +kind/m, /^total +[\d,]+/m, /^epoch +train loss/m]) expect(after.stdout).toMatch(heading);
    expect((await hwnas(['pareto', '--db', live])).stdout).toMatch(/of 2 complete trials are Pareto-optimal .* \(proxy\)\n$/);
  }, 120_000);
});

describe('trials trained at reduced fidelity (halving\'s low rungs)', () => {
  it('best, pareto and show say their accuracy is a cheap estimate', async () => {
    const cheapDb = join(dir, 'halving.db');
    const store = SqliteStore.open(cheapDb);
    const runId = store.createRun({ name: 'h', space: 'mlp', dataset: 'mnist', strategy: 'halving', seed: 0, config: { profile: 'pi', fidelity: { epochs: 2, trainFraction: 1 } } });
    const at = (number: number, epochs: number, accuracy: number) => ({ number, genotype: { depth: number }, genotypeHash: `c${number}`, seed: number,
      fidelity: { epochs, trainFraction: 1 }, rung: epochs < 2 ? 0 : 2, outcome: outcome(accuracy, 0.5 + number, 1, 1000 * (number + 1)) });
    store.insertFinishedTrials(runId, [at(0, 2 / 9, 0.7), at(1, 2, 0.9)], null);
    store.close();
    const best = await hwnas(['best', '--max-latency', '0.6ms', '--db', cheapDb]);
    expect(best.stdout).toMatch(/^ {2}trained 0\.222 of 2 epochs \(rung 0\) only: a cheap estimate \(hwnas export retrains it at full fidelity\)$/m);
    expect(JSON.parse((await hwnas(['best', '--db', cheapDb, '--json'])).stdout)).toMatchObject({ trial: 1, fullFidelity: true });
    const pareto = await hwnas(['pareto', '--objectives', 'latency,memory', '--db', cheapDb]);
    expect(pareto.stdout).toMatch(/^trial +test acc +val acc +latency +energy +peak mem +stored/);
    expect(pareto.stdout).toMatch(/^ *0\* /m);
    expect(pareto.stdout).toMatch(/^\* trained at reduced fidelity/m);
    const show = await hwnas(['show', '0', '--db', cheapDb]);
    expect(show.stdout).toMatch(/0\.222 epochs on 100\.00% of the training set, rung 0, worker - \(reduced fidelity: a cheap estimate; hwnas export retrains it\)/);
  });

  it('pareto lists a genotype once, at the last rung that trained it', async () => {
    const promotedDb = join(dir, 'promoted.db');
    const store = SqliteStore.open(promotedDb);
    const runId = store.createRun({ name: 'p', space: 'mlp', dataset: 'mnist', strategy: 'halving', seed: 0, config: { profile: 'pi', fidelity: { epochs: 2, trainFraction: 1 } } });
    // One genotype at rung 0 and, promoted, at rung 2: trained further it scores higher but stores a few bytes more,
    // so on accuracy and size neither result dominates the other. Another genotype stopped at rung 0.
    const at = (number: number, hash: string, rung: number, accuracy: number, size: number) => ({ number, genotype: { depth: hash === 'a' ? 1 : 2 }, genotypeHash: hash, seed: number,
      fidelity: { epochs: rung === 0 ? 2 / 9 : 2, trainFraction: 1 }, rung, outcome: outcome(accuracy, 0.5, 1, size) });
    store.insertFinishedTrials(runId, [at(0, 'a', 0, 0.70, 1000), at(1, 'b', 0, 0.60, 500), at(2, 'a', 2, 0.90, 1100)], null);
    store.close();
    const text = await hwnas(['pareto', '--objectives', 'size', '--db', promotedDb]);
    expect(text.stdout.split('\n').filter((l) => /^ *\d+\S* +\d+\.\d+%/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1*', '2']);
    expect(text.stdout).toMatch(/^2 of 3 complete trials are Pareto-optimal for accuracy vs size \(pi\); 1 earlier-rung result of genotypes a later rung trained further left out$/m);
    const json = JSON.parse((await hwnas(['pareto', '--objectives', 'size', '--db', promotedDb, '--json'])).stdout) as Array<{ trial: number }>;
    expect(json.map((t) => t.trial)).toEqual([1, 2]);
    // best within a size only the earlier rung's model meets answers with it, and says what training further gave.
    const best = await hwnas(['best', '--max-size', '1050B', '--db', promotedDb]);
    expect(best.stdout).toMatch(/^run 'p', trial 0: 70\.00% test accuracy/);
    expect(best.stdout).toMatch(/^ {2}its genotype was trained further as trial 2 \(rung 2\): 90\.00% test accuracy, 1\.1 KiB stored$/m);
    expect(JSON.parse((await hwnas(['best', '--max-size', '1050B', '--db', promotedDb, '--json'])).stdout)).toMatchObject({ trial: 0, trainedFurther: { trial: 2, rung: 2, accuracy: 0.9, fullFidelity: true } });
    expect(JSON.parse((await hwnas(['best', '--db', promotedDb, '--json'])).stdout)).toMatchObject({ trial: 2, trainedFurther: null });
    expect((await hwnas(['show', '0', '--db', promotedDb])).stdout).toMatch(/^ {2}its genotype was trained further as trial 2 \(rung 2\): 90\.00% test accuracy, 1\.1 KiB stored$/m);
    expect(JSON.parse((await hwnas(['show', '0', '--db', promotedDb, '--json'])).stdout)).toMatchObject({ number: 0, trainedFurther: { trial: 2, rung: 2, accuracy: 0.9, sizeBytes: 1100, fullFidelity: true } });
  });
});
