/**
 * NSGA-II (Deb et al. 2002) over any number of minimised objectives, with Deb's
 * constraint domination for budgets (a feasible trial beats an infeasible one; of two
 * infeasible ones the smaller violation wins). Generation g is trials [g*N, (g+1)*N);
 * generation 0 is random; the children of generation g are proposed only when
 * generation g-1 has been told in full, so proposals never depend on which worker
 * finished first. Parents come from binary tournaments on (front, crowding); children
 * are uniform crossovers (probability `crossoverRate`) then mutations.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { crossover, genotypeHash, mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { survivors, tournament } from './pareto.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

export interface Nsga2Options {
  populationSize: number;
  crossoverRate: number;
  mutationRate: number;
  maxTrials?: number;
}

export interface Individual { number: number; genotype: Genotype; objectives: number[]; violation: number }

export interface Nsga2State {
  rng: RngState; next: number; generation: number; population: Individual[];
  asked: Array<[number, Genotype]>; told: ToldTrial[]; seen: string[];
}

export class Nsga2 implements Strategy {
  readonly name = 'nsga2';
  private rng: Rng;
  private next: number;
  /** Generations whose results have been merged into the population. */
  private generation: number;
  /** Survivors, best first (front, then crowding). */
  private population: Individual[];
  private asked: Map<number, Genotype>;
  private told: Map<number, ToldTrial>;
  private seen: Set<string>;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly fidelity: Fidelity,
    private readonly options: Nsga2Options, state?: Nsga2State) {
    if (!(options.populationSize >= 2)) throw new RangeError('populationSize must be >= 2');
    this.rng = new Rng(state?.rng ?? runSeed);
    this.next = state?.next ?? 0;
    this.generation = state?.generation ?? 0;
    this.population = state?.population ?? [];
    this.asked = new Map(state?.asked ?? []);
    this.told = new Map((state?.told ?? []).map((t) => [t.number, t]));
    this.seen = new Set(state?.seen ?? []);
  }

  private get maxTrials(): number {
    return this.options.maxTrials ?? Infinity;
  }

  /** The current survivors, best first. */
  get survivors(): readonly Individual[] {
    return this.population;
  }

  private fresh(make: () => Genotype): Genotype {
    let g = make();
    for (let attempt = 0; attempt < 20 && this.seen.has(genotypeHash(g)); attempt++) g = make();
    this.seen.add(genotypeHash(g));
    return g;
  }

  private child(): Genotype {
    const p1 = tournament(this.population, this.rng), p2 = tournament(this.population, this.rng);
    const base = this.rng.next() < this.options.crossoverRate ? crossover(this.space, this.rng, p1.genotype, p2.genotype) : p1.genotype;
    return mutate(this.space, this.rng, base, this.options.mutationRate);
  }

  ask(): Ask {
    const number = this.next;
    if (number >= this.maxTrials) return this.asked.size > 0 ? { kind: 'wait' } : { kind: 'done' };
    const n = this.options.populationSize;
    const generationOf = Math.floor(number / n);
    if (generationOf > 0 && this.generation < generationOf) return { kind: 'wait' };
    this.next++;
    const genotype = this.fresh(() => (generationOf === 0 || this.population.length === 0 ? sample(this.space, this.rng) : this.child()));
    this.asked.set(number, genotype);
    return { kind: 'trial', proposal: { number, genotype, fidelity: this.fidelity, seed: trialSeed(this.runSeed, number) } };
  }

  tell(trial: ToldTrial): void {
    if (!this.asked.has(trial.number)) return;
    this.told.set(trial.number, trial);
    const n = this.options.populationSize;
    for (;;) {
      const start = this.generation * n, end = Math.min(start + n, this.maxTrials);
      if (start >= end) break;
      const numbers = Array.from({ length: end - start }, (_, i) => start + i);
      if (!numbers.every((k) => this.told.has(k))) break;
      const offspring: Individual[] = [];
      for (const k of numbers) {
        const t = this.told.get(k)!;
        const genotype = this.asked.get(k)!;
        this.told.delete(k);
        this.asked.delete(k);
        if (t.state === 'complete' && t.objectives !== undefined) offspring.push({ number: k, genotype, objectives: t.objectives, violation: t.violation ?? 0 });
      }
      // Environmental selection: parents and children compete; the best N by (front, crowding) survive.
      this.population = survivors([...this.population, ...offspring], n);
      this.generation++;
    }
  }

  snapshot(): Json {
    const state: Nsga2State = {
      rng: this.rng.state(), next: this.next, generation: this.generation, population: this.population,
      asked: [...this.asked], told: [...this.told.values()], seen: [...this.seen],
    };
    return state as unknown as Json;
  }
}
