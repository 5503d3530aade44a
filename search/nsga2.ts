/**
 * NSGA-II (Deb et al. 2002) over any number of minimised objectives, with Deb's
 * constraint domination for budgets (a feasible trial beats an infeasible one; of two
 * infeasible ones the smaller violation wins; trials rejected before training take part
 * by their violation). Generation g is trials [g*N, (g+1)*N);
 * generation 0 is random; the children of generation g are proposed only when
 * generation g-1 has been told in full, so proposals never depend on which worker
 * finished first. Parents come from binary tournaments on (front, crowding); children
 * are uniform crossovers (probability `crossoverRate`) then mutations.
 */
import type { Json } from '../core/json.js';
import { crossover, mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { BatchedTrials, genotypeCount, type BatchedTrialsState, type Completed } from './batched-trials.js';
import { survivors, tournament } from './pareto.js';
import type { Ask, Fidelity, Strategy, ToldTrial } from './strategy.js';

export interface Nsga2Options {
  populationSize: number;
  crossoverRate: number;
  mutationRate: number;
  maxTrials?: number;
}

export type Individual = Completed;

/** `generation`: generations merged into the population. */
export interface Nsga2State extends BatchedTrialsState { generation: number; population: Individual[] }

export class Nsga2 implements Strategy {
  readonly name = 'nsga2';
  private readonly trials: BatchedTrials;
  /** Survivors, best first (front, then crowding). */
  private population: Individual[];

  constructor(private readonly space: SpaceDefinition, runSeed: number, fidelity: Fidelity, private readonly options: Nsga2Options, state?: Nsga2State) {
    if (!(options.populationSize >= 2)) throw new RangeError('populationSize must be >= 2');
    const n = options.populationSize;
    this.trials = new BatchedTrials({ runSeed, fidelity, batchSize: n, warmUpTrials: n, maxTrials: options.maxTrials ?? Infinity, spaceSize: genotypeCount(space) }, state, state?.generation ?? 0);
    this.population = state?.population ?? [];
  }

  /** The current survivors, best first. */
  get survivors(): readonly Individual[] {
    return this.population;
  }

  private child(): Genotype {
    const rng = this.trials.rng;
    const p1 = tournament(this.population, rng), p2 = tournament(this.population, rng);
    const base = rng.next() < this.options.crossoverRate ? crossover(this.space, rng, p1.genotype, p2.genotype) : p1.genotype;
    return mutate(this.space, rng, base, this.options.mutationRate);
  }

  ask(): Ask {
    // Generation 0 is random, and so is any child while every trial so far failed.
    return this.trials.ask((warmUp) => (warmUp || this.population.length === 0 ? sample(this.space, this.trials.rng) : this.child()));
  }

  tell(trial: ToldTrial): void {
    // Environmental selection once a generation is back: parents and children compete; the best N by (front, crowding) survive.
    this.trials.tell(trial, (offspring) => { this.population = survivors([...this.population, ...offspring], this.options.populationSize); });
  }

  snapshot(): Json {
    const state: Nsga2State = { ...this.trials.state(), generation: this.trials.released, population: this.population };
    return state as unknown as Json;
  }
}
