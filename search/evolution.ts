/**
 * Regularized (aging) evolution (Real et al. 2019): keep a population in age order;
 * each child is a mutation of the best of `sampleSize` random members; the oldest member
 * dies when a child joins. Fitness is the first objective, feasible trials first (less
 * constraint violation wins); failed trials never join, and trials rejected for their
 * budgets join ranked by their violation, so a tight budget is approached from the nearest
 * misses.
 *
 * Determinism: trial n belongs to batch floor(n / batchSize). Results join the population
 * batch by batch, in trial order, once a whole batch is back, and a child of batch k is
 * proposed only after every earlier batch has joined. So the population a proposal sees,
 * and the order the Rng is drawn in, are the same whatever the number of workers or the
 * order they finish in. Warm-up trials (the first populationSize) are random samples and
 * may be asked ahead.
 */
import type { Json } from '../core/json.js';
import { mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { BatchedTrials, genotypeCount, type BatchedTrialsState } from './batched-trials.js';
import type { Ask, Fidelity, Strategy, ToldTrial } from './strategy.js';

export interface EvolutionOptions {
  populationSize: number;
  sampleSize: number;
  mutationRate: number;
  /** Trials per batch (independent of the worker count). */
  batchSize: number;
  maxTrials?: number;
}

interface Member { genotype: Genotype; objective: number; violation: number }

/** `joined`: batches whose results have joined the population. */
export interface EvolutionState extends BatchedTrialsState { joined: number; population: Member[] }

export class RegularizedEvolution implements Strategy {
  readonly name = 'evolution';
  private readonly trials: BatchedTrials;
  private population: Member[];

  constructor(private readonly space: SpaceDefinition, runSeed: number, fidelity: Fidelity, private readonly options: EvolutionOptions, state?: EvolutionState) {
    if (!(options.sampleSize >= 1 && options.sampleSize <= options.populationSize)) throw new RangeError('sampleSize must be in [1, populationSize]');
    this.trials = new BatchedTrials({ runSeed, fidelity, batchSize: options.batchSize, warmUpTrials: options.populationSize, maxTrials: options.maxTrials ?? Infinity, spaceSize: genotypeCount(space) },
      state, state?.joined ?? 0);
    this.population = state?.population ?? [];
  }

  private better(a: Member, b: Member): boolean {
    return a.violation !== b.violation ? a.violation < b.violation : a.objective < b.objective;
  }

  private tournamentChild(): Genotype {
    const rng = this.trials.rng;
    let parent = this.population[rng.int(this.population.length)]!;
    for (let i = 1; i < this.options.sampleSize; i++) {
      const other = this.population[rng.int(this.population.length)]!;
      if (this.better(other, parent)) parent = other;
    }
    return mutate(this.space, rng, parent.genotype, this.options.mutationRate);
  }

  ask(): Ask {
    // With no survivor (every trial so far failed) evolution has nothing to mutate: sample.
    return this.trials.ask((warmUp) => (warmUp || this.population.length === 0 ? sample(this.space, this.trials.rng) : this.tournamentChild()));
  }

  tell(trial: ToldTrial): void {
    // Each complete batch joins in trial order; the oldest member dies as each child joins.
    this.trials.tell(trial, (completed) => {
      for (const t of completed) {
        this.population.push({ genotype: t.genotype, objective: t.objectives[0]!, violation: t.violation });
        if (this.population.length > this.options.populationSize) this.population.shift();
      }
    });
  }

  snapshot(): Json {
    const state: EvolutionState = { ...this.trials.state(), joined: this.trials.released, population: this.population };
    return state as unknown as Json;
  }
}
