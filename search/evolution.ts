/**
 * Regularized (aging) evolution (Real et al. 2019): keep a population in age order;
 * each child is a mutation of the best of `sampleSize` random members; the oldest member
 * dies when a child joins. Fitness is the first objective, feasible trials first (less
 * constraint violation wins); failed trials never join.
 *
 * Determinism: trial n belongs to batch floor(n / batchSize). Results join the population
 * batch by batch, in trial order, once a whole batch is back, and a child of batch k is
 * proposed only after every earlier batch has joined. So the population a proposal sees,
 * and the order the Rng is drawn in, are the same whatever the number of workers or the
 * order they finish in. Warm-up trials (the first populationSize) are random samples and
 * may be asked ahead.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { genotypeHash, mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

export interface EvolutionOptions {
  populationSize: number;
  sampleSize: number;
  mutationRate: number;
  /** Trials per batch (independent of the worker count). */
  batchSize: number;
  maxTrials?: number;
}

interface Member { genotype: Genotype; objective: number; violation: number }

export interface EvolutionState {
  rng: RngState; next: number; joined: number; population: Member[];
  asked: Array<[number, Genotype]>; told: ToldTrial[]; seen: string[];
}

export class RegularizedEvolution implements Strategy {
  readonly name = 'evolution';
  private rng: Rng;
  private next: number;
  /** Batches whose results have joined the population. */
  private joined: number;
  private population: Member[];
  private asked: Map<number, Genotype>;
  private told: Map<number, ToldTrial>;
  private seen: Set<string>;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly fidelity: Fidelity,
    private readonly options: EvolutionOptions, state?: EvolutionState) {
    if (!(options.sampleSize >= 1 && options.sampleSize <= options.populationSize)) throw new RangeError('sampleSize must be in [1, populationSize]');
    if (!(options.batchSize >= 1)) throw new RangeError('batchSize must be >= 1');
    this.rng = new Rng(state?.rng ?? runSeed);
    this.next = state?.next ?? 0;
    this.joined = state?.joined ?? 0;
    this.population = state?.population ?? [];
    this.asked = new Map(state?.asked ?? []);
    this.told = new Map((state?.told ?? []).map((t) => [t.number, t]));
    this.seen = new Set(state?.seen ?? []);
  }

  private get maxTrials(): number {
    return this.options.maxTrials ?? Infinity;
  }

  private better(a: Member, b: Member): boolean {
    return a.violation !== b.violation ? a.violation < b.violation : a.objective < b.objective;
  }

  /** A genotype not evaluated before, when one can be found in a few tries. */
  private fresh(make: () => Genotype): Genotype {
    let g = make();
    for (let attempt = 0; attempt < 20 && this.seen.has(genotypeHash(g)); attempt++) g = make();
    this.seen.add(genotypeHash(g));
    return g;
  }

  private tournamentChild(): Genotype {
    let parent = this.population[this.rng.int(this.population.length)]!;
    for (let i = 1; i < this.options.sampleSize; i++) {
      const other = this.population[this.rng.int(this.population.length)]!;
      if (this.better(other, parent)) parent = other;
    }
    return mutate(this.space, this.rng, parent.genotype, this.options.mutationRate);
  }

  ask(): Ask {
    const number = this.next;
    if (number >= this.maxTrials) return this.asked.size > 0 ? { kind: 'wait' } : { kind: 'done' };
    const warmUp = number < this.options.populationSize;
    if (!warmUp && this.joined < Math.floor(number / this.options.batchSize)) return { kind: 'wait' };
    this.next++;
    // With no survivor (every trial so far failed) evolution has nothing to mutate: sample.
    const genotype = this.fresh(() => (warmUp || this.population.length === 0 ? sample(this.space, this.rng) : this.tournamentChild()));
    this.asked.set(number, genotype);
    return { kind: 'trial', proposal: { number, genotype, fidelity: this.fidelity, seed: trialSeed(this.runSeed, number) } };
  }

  tell(trial: ToldTrial): void {
    if (!this.asked.has(trial.number)) return;
    this.told.set(trial.number, trial);
    // Join every complete batch, oldest first.
    for (;;) {
      const start = this.joined * this.options.batchSize;
      const end = Math.min(start + this.options.batchSize, this.maxTrials);
      if (start >= end) break;
      const numbers = Array.from({ length: end - start }, (_, i) => start + i);
      if (!numbers.every((n) => this.told.has(n))) break;
      for (const n of numbers) {
        const t = this.told.get(n)!;
        const genotype = this.asked.get(n)!;
        this.told.delete(n);
        this.asked.delete(n);
        if (t.state !== 'complete' || t.objectives === undefined) continue;
        this.population.push({ genotype, objective: t.objectives[0]!, violation: t.violation ?? 0 });
        if (this.population.length > this.options.populationSize) this.population.shift();
      }
      this.joined++;
    }
  }

  snapshot(): Json {
    const state: EvolutionState = {
      rng: this.rng.state(), next: this.next, joined: this.joined, population: this.population,
      asked: [...this.asked], told: [...this.told.values()], seen: [...this.seen],
    };
    return state as unknown as Json;
  }
}
