/** The strategy benchmark's protocol on a generated table: hypervolume by hand, an exhaustive search's zero regret, strategies ranked. */
import { describe, expect, it } from 'vitest';
import { quartiles } from '../../core/stats.js';
import { Nsga2 } from '../../search/nsga2.js';
import { RandomSearch } from '../../search/random.js';
import { SuccessiveHalving, TABULAR_HALVING } from '../../search/successive-halving.js';
import type { Strategy } from '../../search/strategy.js';
import { benchmarkStrategy, CHEAP_COST, deviceTable, runOnTable, type BenchRow } from '../../search/table-benchmark.js';
import { fromArchString, nb201Definition } from '../../spaces/nb201.js';
import { nb201FixtureRows } from '../helpers/nb201-table.js';

const rows: BenchRow[] = nb201FixtureRows().map((r) => ({ arch: r.arch, test200: r.acc.cifar10.test200!, valid200: r.acc.cifar10.valid200!, valid12: r.acc.cifar10.valid12!, latency: r.hw.cifar10.edgegpu_latency ?? null }));

/** Proposes the given architectures in order, at full fidelity (or the cheap one where asked). */
function scripted(archs: string[], cheap = new Set<number>()): Strategy {
  let next = 0;
  return {
    name: 'scripted',
    ask: () => (next < archs.length ? { kind: 'trial', proposal: { number: next, genotype: fromArchString(archs[next]!), seed: 0, fidelity: { epochs: cheap.has(next++) ? 22 : 200, trainFraction: 1, rung: 0 } } } : { kind: 'done' }),
    tell: () => {},
    snapshot: () => null,
  };
}

describe('quartiles', () => {
  it('interpolate', () => {
    expect(quartiles([4, 1, 3, 2])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25 });
  });
});

describe('the table protocol', () => {
  const table = deviceTable('edgegpu', rows);

  it('reads the budget at the median measured latency and the best feasible test accuracy under it', () => {
    const latencies = rows.filter((r) => r.latency !== null).map((r) => r.latency!).sort((a, b) => a - b);
    expect(table.budget).toBe(latencies[Math.floor((latencies.length - 1) / 2)]);
    expect(table.bestFeasibleTest).toBe(Math.max(...rows.filter((r) => r.latency !== null && r.latency <= table.budget).map((r) => r.test200)));
  });

  it('an exhaustive search has zero regret and picks within 0.3 pt; unmeasured cells cost nothing', () => {
    const measured = rows.filter((r) => r.latency !== null);
    const all = runOnTable(scripted(rows.map((r) => r.arch)), table, [measured.length], false);
    expect(all.regret[0]).toBeCloseTo(0, 12);
    expect(all.evaluations).toBe(measured.length);
    const budgeted = runOnTable(scripted(rows.map((r) => r.arch)), table, [measured.filter((r) => r.latency! <= table.budget).length], true);
    expect(budgeted.pickWithin[0]).toBe(true);
  });

  it('counts a valid12 lookup as 12/200 of an evaluation, and only full evaluations join the front', () => {
    const archs = rows.filter((r) => r.latency !== null).slice(0, 40).map((r) => r.arch);
    // 20 cheap then 20 full: the first checkpoint (1.2) is reached by the cheap ones alone, with nothing found yet.
    const run = runOnTable(scripted(archs, new Set(Array.from({ length: 20 }, (_, i) => i))), table, [20 * CHEAP_COST, 20 * CHEAP_COST + 20], false);
    expect(run.regret[0]).toBe(1);
    expect(run.regret[1]).toBeLessThan(1);
    expect(run.evaluations).toBe(40);
  });

  it('NSGA-II finds more of the front than random search, and multi-fidelity more than NSGA-II, for the same cost', () => {
    const checkpoints = [100, 300];
    const random = benchmarkStrategy('random', (s, seed, f) => new RandomSearch(s, seed, f, Infinity), nb201Definition, table, 5, checkpoints);
    const nsga2 = benchmarkStrategy('nsga2', (s, seed, f) => new Nsga2(s, seed, f, { populationSize: 16, crossoverRate: 0.9, mutationRate: 0.25 }), nb201Definition, table, 5, checkpoints);
    expect(nsga2.regret[1]!.median).toBeLessThan(random.regret[1]!.median);
    expect(nsga2.pickWithin.every((p) => p.share >= 0 && p.share <= 1)).toBe(true);
    // Screening children at the cheap fidelity beats training every child in full, at equal cost.
    const halving = benchmarkStrategy('halving', (s, seed, f) => new SuccessiveHalving(s, seed, { ...f, rung: 1 }, TABULAR_HALVING), nb201Definition, table, 5, checkpoints);
    expect(halving.regret[0]!.median).toBeLessThan(nsga2.regret[0]!.median);
    expect(halving.regret[1]!.median).toBeLessThan(nsga2.regret[1]!.median);
  });
});
