/** The tabular evaluator, table-backed profiles and a table-answered search through the CLI, on a generated table. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateTabular, tabularColumns } from '../../evaluators/tabular/evaluate-tabular.js';
import { shapeOnlyDataset } from '../../evaluators/tabular/shape-dataset.js';
import { parseTable, readTable, requireColumn } from '../../evaluators/tabular/table.js';
import { costOf } from '../../hardware-profiles/cost-model.js';
import { tabularCostModel } from '../../hardware-profiles/tabular.js';
import { fromArchString, nb201, toArchString } from '../../spaces/nb201.js';
import { SqliteStore } from '../../store/sqlite.js';
import { writeNb201Fixture, type FixtureRow } from '../helpers/nb201-table.js';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hwnas-tabular-'));
const tableFile = join(dir, 'nb201-fixture.json');
let rows: FixtureRow[] = [];
const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };

beforeAll(() => {
  rows = writeNb201Fixture(tableFile);
});

describe('tables', () => {
  it('reads a table and refuses malformed ones in one line naming the file and row', () => {
    const table = readTable(tableFile);
    expect(table.rows).toHaveLength(15_625);
    expect(() => parseTable({ rows: [] }, 't.json')).toThrow(/^t.json: not a table: no "archs" list$/);
    expect(() => parseTable({ archs: [] }, 't.json')).toThrow(/^t.json: the table has no rows$/);
    expect(() => parseTable({ archs: [{ arch: 'x', acc: { cifar10: { test200: 'high' } } }] }, 't.json')).toThrow(/^t.json: archs\[0\].acc.cifar10.test200: must be a number or null, got "high"$/);
    expect(() => parseTable({ archs: [{ arch: 'x', acc: { cifar10: { test200: 150 } } }] }, 't.json')).toThrow(/^t.json: archs\[0\].acc.cifar10.test200: 150 is not a percentage in \[0, 100\]$/);
    expect(() => parseTable({ archs: [{ arch: 'x', acc: { cifar10: { test200: 90 } }, hw: { cifar10: { raspi4_latency: -1 } } }] }, 't.json')).toThrow(/^t.json: archs\[0\].hw.cifar10.raspi4_latency: -1 is negative$/);
    expect(() => readTable(join(dir, 'missing.json'))).toThrow(/missing.json: no such table file/);
    writeFileSync(join(dir, 'broken.json'), '{"archs": [');
    expect(() => readTable(join(dir, 'broken.json'))).toThrow(/broken.json: not valid JSON/);
    // A byte-order mark (some Windows editors write one) is read past, as in profile and space files.
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ archs: [{ arch: 'x', acc: { cifar10: { test200: 90 } } }] })}`);
    expect(readTable(join(dir, 'bom.json')).rows).toHaveLength(1);
    expect(() => requireColumn(table, 'hw', 'cifar10', 'tpu_latency')).toThrow(/no hardware column 'tpu_latency' for cifar10/);
  });

  it('looks trials up: validation accuracy for the search, test accuracy for reports, 12-epoch columns below full fidelity', () => {
    const row = rows[1234]!;
    const genotype = fromArchString(row.arch);
    const request = { trial: { number: 0, seed: 1, genotype, epochs: 200, trainFraction: 1 }, space: 'nb201', dataset: shapeOnlyDataset('cifar10'),
      training: { batchSize: 64, learningRate: 0.001, optimizer: 'adam' as const, schedule: 'constant' as const } };
    const settings = { table: tableFile, dataset: 'cifar10', fullEpochs: 200 };
    const full = evaluateTabular(request, settings, nb201);
    expect(full.state).toBe('complete');
    if (full.state !== 'complete') return;
    expect(full.metrics.valAccuracy).toBeCloseTo(row.acc.cifar10.valid200! / 100, 12);
    expect(full.metrics.accuracy).toBeCloseTo(row.acc.cifar10.test200! / 100, 12);
    const cheap = evaluateTabular({ ...request, trial: { ...request.trial, epochs: 22 } }, settings, nb201);
    expect(cheap.state === 'complete' && cheap.metrics.valAccuracy).toBeCloseTo(row.acc.cifar10.valid12! / 100, 12);
    expect(tabularColumns(22, 200)).toEqual({ validation: 'valid12', test: 'test12' });
  });

  it('costs a cell from its measured columns; a null is infeasible with the reason, not a crash', () => {
    const table = readTable(tableFile);
    const pi = tabularCostModel(table, 'tabular:raspi4', 'cifar10'), gpu = tabularCostModel(table, 'tabular:edgegpu', 'cifar10');
    const row = rows[8]!, missing = rows[7]!; // 7 is a multiple of 7: no edgegpu measurement
    const g = fromArchString(row.arch);
    const cost = costOf(pi, g, nb201.toSpec(g, shape));
    expect(cost).toMatchObject({ profile: 'tabular:raspi4', latencyMs: row.hw.cifar10.raspi4_latency, violations: [] });
    expect(Number.isNaN(cost.energyMj)).toBe(true); // the fixture measures no raspi4 energy
    expect(costOf(gpu, g, nb201.toSpec(g, shape)).energyMj).toBe(row.hw.cifar10.edgegpu_energy);
    const m = fromArchString(missing.arch);
    expect(costOf(gpu, m, nb201.toSpec(m, shape)).violations).toEqual([`the table has no measured edgegpu_latency for ${missing.arch}`]);
    expect(() => gpu.estimate(nb201.toSpec(m, shape))).toThrow(/answers from a table by architecture/);
    expect(() => tabularCostModel(table, 'tabular:tpu', 'cifar10')).toThrow(/no hardware column 'tpu_latency' for cifar10/);
  });
});

describe('hwnas search --evaluator tabular', () => {
  beforeAll(assertCliBuilt);

  it('runs through the same controller, pool and store; best answers on the table-backed profile', async () => {
    const db = join(dir, 'tab.db');
    const search = await hwnas(['search', '--space', 'nb201', '--evaluator', 'tabular', '--table', tableFile, '--strategy', 'nsga2', '--trials', '40',
      '--workers', '2', '--seed', '3', '--profile', 'tabular:raspi4,tabular:edgegpu', '--max-latency', '20ms', '--db', db], {}, 120_000);
    expect(search.stderr).toBe('');
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/nb201 on cifar10, nsga2, 40 trials, 2 workers, latency <= 20 ms \(tabular:raspi4\)/);
    const store = SqliteStore.open(db, { readonly: true });
    const run = store.latestRun()!;
    const complete = store.trials(run.id, { status: 'complete' });
    expect(complete).toHaveLength(40);
    const byArch = new Map(rows.map((r) => [r.arch, r]));
    // Every answer is the table's: test200 stored as the test accuracy, valid200 as the validation accuracy, the measured latency as the cost.
    for (const t of complete) {
      const arch = `|${t.genotype.edge0}~0|+|${t.genotype.edge1}~0|${t.genotype.edge2}~1|+|${t.genotype.edge3}~0|${t.genotype.edge4}~1|${t.genotype.edge5}~2|`;
      const row = byArch.get(arch)!;
      expect(t.accuracy).toBeCloseTo(row.acc.cifar10.test200! / 100, 9);
      expect(t.valAccuracy).toBeCloseTo(row.acc.cifar10.valid200! / 100, 9);
      expect(store.costs(t.id).find((c) => c.profile === 'tabular:raspi4')!.latencyMs).toBeCloseTo(row.hw.cifar10.raspi4_latency!, 9);
    }
    const expected = complete.filter((t) => store.costs(t.id).find((c) => c.profile === 'tabular:raspi4')!.latencyMs! <= 12)
      .sort((a, b) => b.accuracy! - a.accuracy!)[0]!;
    store.close();
    const best = JSON.parse((await hwnas(['best', '--db', db, '--profile', 'tabular:raspi4', '--max-latency', '12ms', '--json'])).stdout) as { trial: number };
    expect(best.trial).toBe(expected.number);
    const shown = await hwnas(['show', String(expected.number), '--db', db]);
    expect(shown.stdout).toMatch(/answered by table lookup \(--evaluator tabular\), no training/);
    expect(shown.stdout).toMatch(/^tabular:raspi4 +[\d.]+ ms +- +/m);
  });

  it('multi-fidelity reads the 12-epoch columns below full fidelity', async () => {
    const db = join(dir, 'halving.db');
    const r = await hwnas(['search', '--space', 'nb201', '--evaluator', 'tabular', '--table', tableFile, '--strategy', 'halving', '--trials', '16',
      '--workers', '1', '--profile', 'tabular:raspi4', '--db', db, '--json'], {}, 120_000);
    expect(r.code).toBe(0);
    const store = SqliteStore.open(db, { readonly: true });
    const trials = store.trials(store.latestRun()!.id, { status: 'complete' });
    store.close();
    const byArch = new Map(rows.map((row) => [row.arch, row]));
    // Two rungs on a table (12 and 200 epochs): 12 screened at valid12, the best 4 looked up at valid200.
    const cheap = trials.filter((t) => t.rung === 0), full = trials.filter((t) => t.rung === 1);
    expect([cheap.length, full.length]).toEqual([12, 4]);
    // Stored at the table's real fidelities, so show and best say 12 and 200 epochs.
    expect([...new Set(cheap.map((t) => (t.fidelity as { epochs: number }).epochs)), ...new Set(full.map((t) => (t.fidelity as { epochs: number }).epochs))]).toEqual([12, 200]);
    for (const t of cheap) expect(t.valAccuracy).toBeCloseTo(byArch.get(toArchString(t.genotype))!.acc.cifar10.valid12! / 100, 9);
    for (const t of full) expect(t.valAccuracy).toBeCloseTo(byArch.get(toArchString(t.genotype))!.acc.cifar10.valid200! / 100, 9);
  });

  it.each([
    [['--table', 'nope.json'], /^hwnas: \S*nope.json: no such table file/],
    [[], /^hwnas: --evaluator tabular needs --table FILE/],
    [['--table', '__TABLE__', '--profile', 'tabular:tpu'], /no hardware column 'tpu_latency' for cifar10/],
    [['--table', '__TABLE__', '--dataset', 'mnist'], /no accuracy column 'valid200' for mnist/],
  ])('refuses a bad table setup in one line: %j', async (extra, message) => {
    const args = extra.map((a) => (a === '__TABLE__' ? tableFile : a));
    const r = await hwnas(['search', '--space', 'nb201', '--evaluator', 'tabular', '--trials', '2', '--db', join(dir, 'bad.db'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
