/**
 * Contract tests run against every strategy on a closed-form toy problem (NNI's sanity
 * approach): determinism under any worker count and finish order, exact resume from a
 * snapshot, failures tolerated, and actual optimisation.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { Json } from '../../core/json.js';
import { genotypeHash } from '../../spaces/operators.js';
import type { SpaceDefinition } from '../../spaces/space.js';
import { RegularizedEvolution, type EvolutionState } from '../../search/evolution.js';
import { Nsga2, type Nsga2State } from '../../search/nsga2.js';
import { hypervolume, paretoFront, paretoRanking } from '../../search/pareto.js';
import { RandomSearch, type RandomState } from '../../search/random.js';
import type { Proposal, Strategy, ToldTrial } from '../../search/strategy.js';
import { SuccessiveHalving, type HalvingState } from '../../search/successive-halving.js';

const space: SpaceDefinition = {
  name: 'toy',
  params: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { type: 'int' as const, low: 0, high: 9 }])),
};
const fidelity = { epochs: 1, trainFraction: 1, rung: 0 };

/** Two conflicting objectives (accuracy-like and cost-like) and a budget on the sum. */
function evaluate(p: Proposal): ToldTrial {
  const x = Object.values(p.genotype) as number[];
  if (x[0] === 9 && x[1] === 9) return { number: p.number, state: 'failed' };
  const error = x.reduce((s, v, i) => s + (v - (i % 2 === 0 ? 7 : 2)) ** 2, 0);
  const cost = x.reduce((s, v) => s + v, 0);
  return { number: p.number, state: 'complete', objectives: [error, cost], violation: Math.max(0, cost - 40) };
}

type Factory = (state?: Json) => Strategy;
const BUDGET = 120;
const factories: Record<string, Factory> = {
  random: (s) => new RandomSearch(space, 7, fidelity, BUDGET, s as unknown as RandomState | undefined),
  evolution: (s) => new RegularizedEvolution(space, 7, fidelity, { populationSize: 20, sampleSize: 5, mutationRate: 0.3, batchSize: 4, maxTrials: BUDGET }, s as unknown as EvolutionState | undefined),
  nsga2: (s) => new Nsga2(space, 7, fidelity, { populationSize: 16, crossoverRate: 0.9, mutationRate: 0.2, maxTrials: BUDGET }, s as unknown as Nsga2State | undefined),
  halving: (s) => new SuccessiveHalving(space, 7, fidelity, { rungs: 3, eta: 3, bracketSize: 18, mutationRate: 0.3, maxTrials: BUDGET }, s as unknown as HalvingState | undefined),
};

/** Drives a strategy with `workers` parallel slots; a seeded Rng decides which trial finishes next. */
function drive(strategy: Strategy, workers: number, orderSeed: number, stopAfter = Infinity): { proposals: Proposal[]; running: Proposal[] } {
  const order = new Rng(orderSeed);
  const running: Proposal[] = [];
  const proposals: Proposal[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    while (running.length < workers && proposals.length < stopAfter) {
      const ask = strategy.ask();
      if (ask.kind !== 'trial') break;
      running.push(ask.proposal);
      proposals.push(ask.proposal);
    }
    if (running.length === 0) break;
    if (proposals.length >= stopAfter) return { proposals, running };
    const [done] = running.splice(order.int(running.length), 1);
    strategy.tell(evaluate(done!));
  }
  return { proposals, running };
}

const fingerprint = (ps: Proposal[]) => ps.map((p) => `${p.number}:${genotypeHash(p.genotype)}:${p.seed}`);

describe.each(Object.keys(factories))('strategy %s', (name) => {
  const make = factories[name]!;

  it('proposes the whole budget and then reports done', () => {
    const s = make();
    const { proposals } = drive(s, 3, 1);
    expect(proposals.map((p) => p.number)).toEqual([...Array(BUDGET).keys()]);
    expect(s.ask().kind).toBe('done');
  });

  it('proposes the same trials for 1, 2 or 5 workers finishing in any order', () => {
    const reference = fingerprint(drive(make(), 1, 0).proposals);
    for (const [workers, seed] of [[2, 1], [2, 2], [5, 3], [5, 4]] as const) {
      expect(fingerprint(drive(make(), workers, seed).proposals), `${workers} workers, order ${seed}`).toEqual(reference);
    }
  });

  it('resumes exactly from a JSON snapshot taken mid-run', () => {
    const reference = fingerprint(drive(make(), 2, 5).proposals);
    const first = make();
    const partial = drive(first, 2, 5, 50);
    // Running trials at the snapshot are lost with the process and told again after resume, as the controller does.
    const restored = make(JSON.parse(JSON.stringify(first.snapshot())) as Json);
    for (const p of partial.running) restored.tell(evaluate(p));
    const rest = drive(restored, 2, 6);
    expect(fingerprint([...partial.proposals, ...rest.proposals])).toEqual(reference);
  });
});

describe('a space smaller than the budget', () => {
  const tiny: SpaceDefinition = { name: 'tiny', params: { a: { type: 'categorical', values: [1, 2] }, b: { type: 'categorical', values: ['x', 'y'] } } };
  it.each(['random', 'evolution', 'nsga2'])('%s proposes each of its 4 genotypes once, then is done', (name) => {
    const strategy = name === 'random' ? new RandomSearch(tiny, 1, fidelity, 12)
      : name === 'evolution' ? new RegularizedEvolution(tiny, 1, fidelity, { populationSize: 2, sampleSize: 2, mutationRate: 0.5, batchSize: 1, maxTrials: 12 })
        : new Nsga2(tiny, 1, fidelity, { populationSize: 2, crossoverRate: 0.9, mutationRate: 0.5, maxTrials: 12 });
    const { proposals } = drive(strategy, 2, 1);
    expect(proposals).toHaveLength(4);
    expect(new Set(proposals.map((p) => genotypeHash(p.genotype))).size).toBe(4);
    expect(strategy.ask().kind).toBe('done');
  });
  it('halving brings each of its 4 genotypes through the rungs, promotions re-proposed at more epochs, then is done', () => {
    const strategy = new SuccessiveHalving(tiny, 1, { epochs: 9, trainFraction: 1, rung: 2 }, { rungs: 3, eta: 3, bracketSize: 9, mutationRate: 0.5, maxTrials: 40 });
    const { proposals } = drive(strategy, 2, 1);
    const firstRung = proposals.filter((p) => p.fidelity.rung === 0).map((p) => genotypeHash(p.genotype));
    expect(firstRung).toHaveLength(4);
    expect(new Set(firstRung).size).toBe(4);
    expect(proposals.some((p) => p.fidelity.rung === 2)).toBe(true);
    expect(strategy.ask().kind).toBe('done');
  });
});

describe('random search resumed from a run saved before it kept the genotypes it proposed', () => {
  it('does not propose those again', () => {
    const six: SpaceDefinition = { name: 'six', params: { a: { type: 'categorical', values: [1, 2, 3] }, b: { type: 'categorical', values: ['x', 'y'] } } };
    const first = new RandomSearch(six, 4, fidelity, 12);
    const before = drive(first, 1, 1, 4).proposals.map((p) => genotypeHash(p.genotype));
    const { seen: _, ...old } = first.snapshot() as unknown as RandomState;
    const resumed = new RandomSearch(six, 4, fidelity, 12, old);
    const after = drive(resumed, 1, 1).proposals.map((p) => genotypeHash(p.genotype));
    expect(after.filter((h) => before.includes(h))).toEqual([]);
    expect(new Set([...before, ...after]).size).toBe(6);
  });
});

describe('strategies optimise', () => {
  const best = (proposals: Proposal[]) => Math.min(...proposals.map(evaluate).filter((t) => t.state === 'complete' && t.violation === 0).map((t) => t.objectives![0]!));
  const hv = (proposals: Proposal[]) => {
    const pts = proposals.map(evaluate).filter((t) => t.state === 'complete' && t.violation === 0).map((t) => t.objectives!);
    return hypervolume(paretoFront(pts).map((i) => pts[i]!), [300, 60]);
  };
  it('regularized evolution finds a better feasible optimum than random search on average', () => {
    let wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const evo = new RegularizedEvolution(space, seed, fidelity, { populationSize: 20, sampleSize: 5, mutationRate: 0.3, batchSize: 4, maxTrials: 200 });
      const rnd = new RandomSearch(space, seed, fidelity, 200);
      if (best(drive(evo, 2, seed).proposals) < best(drive(rnd, 2, seed).proposals)) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(8);
  });
  it('NSGA-II covers more hypervolume than random search on average', () => {
    let wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const nsga = new Nsga2(space, seed, fidelity, { populationSize: 20, crossoverRate: 0.9, mutationRate: 0.2, maxTrials: 200 });
      const rnd = new RandomSearch(space, seed, fidelity, 200);
      if (hv(drive(nsga, 2, seed).proposals) > hv(drive(rnd, 2, seed).proposals)) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(8);
  });
  it('NSGA-II keeps feasible survivors first under a budget', () => {
    const nsga = new Nsga2(space, 3, fidelity, { populationSize: 20, crossoverRate: 0.9, mutationRate: 0.2, maxTrials: 200 });
    drive(nsga, 2, 3);
    const violations = nsga.survivors.map((s) => s.violation);
    expect(violations[0]).toBe(0);
    const firstInfeasible = violations.findIndex((v) => v > 0);
    if (firstInfeasible >= 0) expect(violations.slice(firstInfeasible).every((v) => v > 0)).toBe(true);
  });

  it('under a budget most proposals break, evolution and NSGA-II learn from the rejections: more proposals fit than random ones', () => {
    // As the controller does: a proposal over budget (cost <= 8: 3 in 1,000 random ones fit) is rejected before
    // training and told by how much it is over.
    const tight = (p: Proposal): ToldTrial => {
      const cost = (Object.values(p.genotype) as number[]).reduce((a, v) => a + v, 0);
      return cost > 8 ? { number: p.number, state: 'rejected', objectives: [0, cost], violation: cost - 8 } : evaluate(p);
    };
    const fitting = (s: Strategy, seed: number) => {
      const order = new Rng(seed);
      let fits = 0;
      const running: Proposal[] = [];
      for (let asked = 0; asked < 200 || running.length > 0;) {
        while (running.length < 2 && asked < 200) {
          const ask = s.ask();
          if (ask.kind !== 'trial') break;
          running.push(ask.proposal);
          asked++;
        }
        if (running.length === 0) break;
        const [done] = running.splice(order.int(running.length), 1);
        const told = tight(done!);
        if (told.state !== 'rejected') fits++;
        s.tell(told);
      }
      return fits;
    };
    for (const make of [
      (seed: number) => new RegularizedEvolution(space, seed, fidelity, { populationSize: 20, sampleSize: 5, mutationRate: 0.3, batchSize: 4, maxTrials: 200 }),
      (seed: number) => new Nsga2(space, seed, fidelity, { populationSize: 20, crossoverRate: 0.9, mutationRate: 0.2, maxTrials: 200 }),
    ]) {
      let wins = 0;
      for (let seed = 0; seed < 10; seed++) if (fitting(make(seed), seed) >= 20 + fitting(new RandomSearch(space, seed, fidelity, 200), seed)) wins++;
      expect(wins).toBeGreaterThanOrEqual(9);
    }
  });
});

describe('successive halving', () => {
  it('promotes the best third of each rung, by Pareto rank, with 3x the training', () => {
    const s = new SuccessiveHalving(space, 1, { epochs: 9, trainFraction: 1, rung: 2 }, { rungs: 3, eta: 3, bracketSize: 9, mutationRate: 0.3 });
    const { proposals } = drive(s, 2, 1, 9 + 3 + 1);
    expect(proposals.map((p) => p.fidelity.epochs)).toEqual([...Array(9).fill(1), 3, 3, 3, 9]);
    const rung0 = proposals.slice(0, 9).map(evaluate);
    const ranked = paretoRanking(rung0.map((t) => t.objectives ?? [Infinity, Infinity]), rung0.map((t) => (t.state === 'complete' ? t.violation! : Infinity)));
    const promoted = new Set(proposals.slice(9, 12).map((p) => genotypeHash(p.genotype)));
    expect(promoted).toEqual(new Set(ranked.slice(0, 3).map((i) => genotypeHash(proposals[i]!.genotype))));
  });

  it('still promotes one trial to full fidelity when failures leave a rung smaller than eta', () => {
    const s = new SuccessiveHalving(space, 1, { epochs: 9, trainFraction: 1, rung: 2 }, { rungs: 3, eta: 3, bracketSize: 9, mutationRate: 0.3 });
    const proposals: Proposal[] = [];
    for (let i = 0; i < 12; i++) {
      const ask = s.ask();
      if (ask.kind !== 'trial') break;
      proposals.push(ask.proposal);
      // Seven of the first nine fail: two reach the second rung, where floor(2 / 3) is 0.
      s.tell(ask.proposal.number < 7 ? { number: ask.proposal.number, state: 'failed' } : evaluate(ask.proposal));
    }
    expect(proposals.map((p) => p.fidelity.epochs)).toEqual([...Array(9).fill(1), 3, 3, 9]);
  });

  it('spends most trials cheaply: under half of its training at full fidelity', () => {
    const s = new SuccessiveHalving(space, 2, { epochs: 9, trainFraction: 1, rung: 2 }, { rungs: 3, eta: 3, bracketSize: 9, mutationRate: 0.3, maxTrials: 130 });
    const { proposals } = drive(s, 2, 2);
    const cost = proposals.reduce((sum, p) => sum + p.fidelity.epochs, 0);
    const full = proposals.filter((p) => p.fidelity.epochs === 9).length * 9;
    expect(full / cost).toBeLessThan(0.5);
    expect(proposals.filter((p) => p.fidelity.epochs === 1).length).toBeGreaterThan(proposals.length / 2);
  });
});
